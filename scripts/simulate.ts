import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { openPostgres } from '@/db/client';
import { organizations } from '@/db/schema';
import type { SimulatorConnection } from '@/lib/channels/connections';
import { ensureSimulatorConnections } from '@/lib/channels/connections';
import { expandScenario, sendMessages } from '@/lib/channels/scenarios';
import { importPurchases } from '@/lib/signals/purchases';
import { scenarioNames, scenarios } from './scenarios';

const usage = `Sends a drill's signed traffic through Stormdesk's real webhook endpoints.

  npm run simulate -- --url http://localhost:3000 --scenario <${scenarioNames.join('|')}> --api-key <key>
  DATABASE_URL=postgres://… npm run simulate -- --url http://localhost:3000 --scenario <name> --org <slug>

  --api-key   an API key of the organization (Channels page, or STORMDESK_API_KEY): the server hands out its simulator connections
  --org       with DATABASE_URL instead: ensure the simulator connections directly in Postgres (not for the embedded database, which one process owns)
  --concurrency  requests in flight (default 4)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { url: { type: 'string', default: 'http://localhost:3000' }, scenario: { type: 'string' }, 'api-key': { type: 'string' }, org: { type: 'string' }, concurrency: { type: 'string', default: '4' }, help: { type: 'boolean' } },
  });
  if (values.help || !values.scenario) {
    console.log(usage);
    process.exit(values.help ? 0 : 2);
  }
  const scenario = scenarios[values.scenario];
  if (!scenario) throw new Error(`Unknown scenario "${values.scenario}"; known: ${scenarioNames.join(', ')}.`);
  const baseUrl = values.url!;
  const apiKey = values['api-key'] ?? process.env.STORMDESK_API_KEY;
  const runId = randomBytes(4).toString('hex');
  const { messages, purchases } = expandScenario(scenario, new Date(), runId);

  let connections: SimulatorConnection[];
  let purchasesImported = 0;
  if (apiKey) {
    const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
    const response = await fetch(new URL('/api/ingest/simulator', baseUrl), { method: 'POST', headers });
    const body = (await response.json()) as { connections?: SimulatorConnection[]; error?: string };
    if (!response.ok || !body.connections) throw new Error(`The server refused the simulator (${response.status}): ${body.error ?? 'no connections'}`);
    connections = body.connections;
    if (purchases.length > 0) {
      const sent = await fetch(new URL('/api/ingest/purchases', baseUrl), { method: 'POST', headers, body: JSON.stringify(purchases) });
      const result = (await sent.json()) as { imported?: number; error?: string };
      if (!sent.ok) throw new Error(`Purchases refused (${sent.status}): ${result.error}`);
      purchasesImported = result.imported ?? 0;
    }
  } else if (process.env.DATABASE_URL && values.org) {
    const database = await openPostgres(process.env.DATABASE_URL);
    try {
      const [org] = await database.db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, values.org));
      if (!org) throw new Error(`No organization with the slug "${values.org}".`);
      const ctx = { db: database.db, organizationId: org.id, actor: { type: 'system' as const, reason: 'simulator' } };
      connections = await ensureSimulatorConnections({ ctx });
      if (purchases.length > 0) purchasesImported = (await importPurchases({ ctx, input: { purchases } })).imported;
    } finally {
      await database.close();
    }
  } else {
    console.error(`Give --api-key (or STORMDESK_API_KEY), or DATABASE_URL with --org.\n\n${usage}`);
    process.exit(2);
  }

  console.log(`${scenario.title}: ${messages.length} messages, ${purchases.length} purchases → ${baseUrl}`);
  const started = performance.now();
  const report = await sendMessages({ baseUrl, connections, messages, concurrency: Number(values.concurrency) });
  const seconds = (performance.now() - started) / 1000;
  console.log(`sent ${report.sent} in ${seconds.toFixed(1)} s: ${report.accepted} accepted, ${report.duplicates} duplicates, ${report.failed.length} failed; ${purchasesImported} purchases recorded`);
  for (const failure of report.failed.slice(0, 5)) console.log(`  ${failure.status}: ${failure.error}`);
  if (report.failed.length > 0) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(`simulate: ${(error as Error).message}`);
  process.exit(1);
});
