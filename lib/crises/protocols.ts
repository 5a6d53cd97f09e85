import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { type Role, protocolTemplates } from '@/db/schema';

export interface ProtocolItem {
  text: string;
  ownerRole: Role;
  /** Minutes after the crisis opens when the item is due. */
  dueOffsetMinutes: number;
}

/** The protocol every organization starts with: what the airline and the tablet shop should have done. */
export const defaultProtocol: { name: string; description: string; items: ProtocolItem[] } = {
  name: 'Social media complaint storm',
  description: 'For a complaint that spreads on social channels: answer within the hour, one message everywhere, make every affected customer whole.',
  items: [
    { text: 'Form the crisis committee (lead, executive, agents on duty)', ownerRole: 'lead', dueOffsetMinutes: 15 },
    { text: 'Acknowledge publicly on every channel where it is spreading', ownerRole: 'lead', dueOffsetMinutes: 60 },
    { text: 'Reply in public to the triggering post, then follow up in private', ownerRole: 'agent', dueOffsetMinutes: 60 },
    { text: 'Approve one clear statement and send it on all channels', ownerRole: 'executive', dueOffsetMinutes: 180 },
    { text: 'Set up a dedicated team for affected customers', ownerRole: 'lead', dueOffsetMinutes: 24 * 60 },
    { text: 'Refund every affected customer', ownerRole: 'executive', dueOffsetMinutes: 24 * 60 },
    { text: 'Contact every affected customer personally', ownerRole: 'agent', dueOffsetMinutes: 72 * 60 },
    { text: 'Write the post-mortem', ownerRole: 'lead', dueOffsetMinutes: 7 * 24 * 60 },
  ],
};

/** Creates the default protocol for an organization that has none. */
export async function seedDefaultProtocols(db: Db, organizationId: string): Promise<void> {
  const existing = await db.select({ id: protocolTemplates.id }).from(protocolTemplates).where(eq(protocolTemplates.organizationId, organizationId)).limit(1);
  if (existing.length > 0) return;
  await db.insert(protocolTemplates).values({ organizationId, ...defaultProtocol });
}

/** The protocol that fits a topic best: one whose match topics include it, else the default (no match topics). */
export async function protocolForTopic(db: Db, organizationId: string, topic: string) {
  const all = await db.select().from(protocolTemplates).where(eq(protocolTemplates.organizationId, organizationId));
  return all.find((p) => p.matchTopics.includes(topic)) ?? all.find((p) => p.matchTopics.length === 0) ?? all[0] ?? null;
}
