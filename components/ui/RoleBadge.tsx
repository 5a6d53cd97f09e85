import type { Role } from '@/db/schema';

/** A member's role as a coloured label. */
export function RoleBadge({ role }: { role: Role }) {
  return <span className={`badge badge-${role}`}>{role}</span>;
}
