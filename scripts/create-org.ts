// npm run org:create -- --name "Acme Air" --slug acme-air --admin-email ops@acme.example --admin-name "Ops Lead"
// Creates an organization and its first admin on the configured database, and prints the admin's first password once.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DatabaseStartupError, openDatabase } from '@/db/client';
import { loadConfig } from '@/lib/config';
import { DomainError } from '@/lib/errors';
import { createOrganization } from '@/lib/orgs/create-organization';

const { values } = parseArgs({
  options: { name: { type: 'string' }, slug: { type: 'string' }, 'admin-email': { type: 'string' }, 'admin-name': { type: 'string' } },
});
const { name, slug, 'admin-email': email, 'admin-name': adminName } = values;
if (!name || !slug || !email || !adminName) {
  console.error('usage: npm run org:create -- --name "Acme Air" --slug acme-air --admin-email ops@acme.example --admin-name "Ops Lead"');
  process.exit(2);
}

const config = loadConfig({ ...process.env, AUTH_SECRET: process.env.AUTH_SECRET || 'x'.repeat(32) });
try {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const password = randomBytes(12).toString('base64url');
  const created = await createOrganization(database.db, { name, slug, members: [{ email, name: adminName, role: 'admin', password }] });
  await database.close();
  if (!created) {
    console.error(`An organization with the slug "${slug}" already exists.`);
    process.exit(1);
  }
  console.log(`Created ${name} (${slug}). Sign in as ${email} with the first password: ${password}`);
} catch (error) {
  if (error instanceof DatabaseStartupError || error instanceof DomainError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
