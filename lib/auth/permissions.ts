import type { Role } from '@/db/schema';
import { forbidden } from '@/lib/errors';

/**
 * The one permission table: what each role may do. Pages, actions, routes and websocket rooms all ask here,
 * on the server; the browser only hides what it would be refused anyway.
 */
export const permissions = {
  'members.read': ['admin', 'executive', 'lead', 'agent', 'observer'],
  'members.manage': ['admin'],
  'audit.read': ['admin'],
  'notes.read': ['admin', 'executive', 'lead', 'agent', 'observer'],
  'notes.edit': ['admin', 'executive', 'lead', 'agent'],
  'queue.read': ['admin', 'executive', 'lead', 'agent', 'observer'],
  'queue.work': ['admin', 'lead', 'agent'],
  'customers.manage': ['admin', 'lead', 'agent'],
  'channels.manage': ['admin'],
  'settings.manage': ['admin'],
  'drill.run': ['admin'],
  'dashboard.read': ['admin', 'executive', 'lead', 'agent', 'observer'],
  'alerts.feedback': ['admin', 'lead', 'agent'],
  'crisis.read': ['admin', 'executive', 'lead', 'agent', 'observer'],
  'crisis.open': ['admin', 'executive', 'lead', 'agent'],
  /** Co-edit the room: checklist, affected customers, compensation proposals. */
  'crisis.edit': ['admin', 'lead', 'agent'],
  /** Edit the response plan (executives write it with the committee). */
  'crisis.plan.edit': ['admin', 'executive', 'lead', 'agent'],
  /** Move a crisis through open → monitoring → resolved. */
  'crisis.manage': ['admin', 'executive', 'lead'],
  'compensation.approve': ['executive', 'lead'],
  'statement.approve': ['executive'],
  'protocols.manage': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

/** Whether `role` holds `permission`. */
export function can(role: Role, permission: Permission): boolean {
  return (permissions[permission] as readonly Role[]).includes(role);
}

/** Throws FORBIDDEN unless `role` holds `permission`. */
export function assertCan(role: Role, permission: Permission): void {
  if (!can(role, permission)) throw forbidden(`Your role (${role}) does not allow ${permission}.`);
}

export interface NavItem {
  href: string;
  label: string;
  permission: Permission;
}

/** Navigation, in order; each role sees the items its permissions allow. */
export const navigation: readonly NavItem[] = [
  { href: '/', label: 'Overview', permission: 'notes.read' },
  { href: '/queue', label: 'Queue', permission: 'queue.read' },
  { href: '/customers', label: 'Customers', permission: 'queue.read' },
  { href: '/dashboard', label: 'Dashboard', permission: 'dashboard.read' },
  { href: '/crises', label: 'Crises', permission: 'crisis.read' },
  { href: '/notes', label: 'Team notes', permission: 'notes.read' },
  { href: '/admin/members', label: 'Members', permission: 'members.manage' },
  { href: '/admin/channels', label: 'Channels', permission: 'channels.manage' },
  { href: '/admin/settings', label: 'Settings', permission: 'settings.manage' },
  { href: '/admin/audit', label: 'Audit log', permission: 'audit.read' },
  { href: '/admin/protocols', label: 'Protocols', permission: 'protocols.manage' },
  { href: '/admin/detection', label: 'Detection', permission: 'settings.manage' },
];

/** The navigation a role sees. */
export function navigationFor(role: Role): NavItem[] {
  return navigation.filter((item) => can(role, item.permission));
}

/** What each role comes to Stormdesk for, shown on its landing page. */
export const roleDescriptions: Record<Role, string> = {
  admin: 'Connect channels, set protocols and rules, manage people and roles.',
  executive: 'Read the response plan, approve or reject public statements and compensation.',
  lead: 'Run the crisis room: plan, checklist, affected customers, compensation.',
  agent: 'Answer the queue, follow the crisis protocol, reply in public then in private.',
  observer: 'Follow the room read-only (legal, PR agency).',
};
