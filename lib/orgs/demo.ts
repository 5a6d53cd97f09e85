import { count } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { type Role, organizations } from '@/db/schema';
import { createOrganization } from './create-organization';

/** The demo password for every demo account; listed in the README, so never use demo data in production. */
export const DEMO_PASSWORD = 'stormdesk-demo';

/** One demo account per role, as the README lists them. */
export const demoAccounts: readonly { email: string; name: string; role: Role }[] = [
  { email: 'admin@demo-air.example', name: 'Ada Admin', role: 'admin' },
  { email: 'exec@demo-air.example', name: 'Evelyn Executive', role: 'executive' },
  { email: 'lead@demo-air.example', name: 'Leo Lead', role: 'lead' },
  { email: 'agent@demo-air.example', name: 'Ana Agent', role: 'agent' },
  { email: 'observer@demo-air.example', name: 'Olga Observer', role: 'observer' },
];

/** Creates the "Demo Air" organization when the database has no organization at all. Returns whether it did. */
export async function seedDemoIfEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(organizations);
  if ((row?.n ?? 0) > 0) return false;
  const created = await createOrganization(db, {
    name: 'Demo Air',
    slug: 'demo-air',
    members: demoAccounts.map((account) => ({ ...account, password: DEMO_PASSWORD })),
  });
  return created !== null;
}
