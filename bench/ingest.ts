/**
 * Ingest benchmark: mentions per second through the batch API (real HTTP, until persisted, classified and scored),
 * the same pipeline without HTTP, and a plain COPY of the same rows into the same table, on PGlite and on Postgres;
 * then single-webhook latency at 200 requests/s. Also COPY of every row the pipeline wrote for its mentions (customers,
 * identities, tickets, mentions): what the same data costs with no work besides writing it. Prints a table, then one
 * JSON line.
 *
 *   npm run bench:ingest                       # Postgres at postgres://postgres@127.0.0.1:5432 (a fresh database), and PGlite
 *   BENCH_DATABASE_URL=postgres://… BENCH_MENTIONS=20000 npm run bench:ingest
 */
import { once } from 'node:events';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { DatabaseHandle } from '@/db/client';
import { openPglite } from '@/db/client';
import { customerIdentities, customers, mentions, tickets } from '@/db/schema';
import { createTestDatabase } from '@/db/testing';
import { parseMentionBatch } from '@/lib/channels/batch/parse';
import { createApiKey, createConnection } from '@/lib/channels/connections';
import { handleBatchPost, handleWebhookPost } from '@/lib/channels/inbound';
import { buildDelivery } from '@/lib/channels/simulate';
import { seededRandom } from '@/lib/detection/seeded-random';
import { copyOnPostgresJs } from '@/lib/signals/bulk';
import { ingestMentions } from '@/lib/signals/ingest';
import { createTestOrganization } from '@/test/fixtures';

const postgresUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const mentionsPerPhase = { postgres: Number(process.env.BENCH_MENTIONS ?? 20_000), pglite: Number(process.env.BENCH_MENTIONS_PGLITE ?? 10_000) };
const batchSize = 5_000;
const webhookRate = 200;
const webhookRequests = Number(process.env.BENCH_WEBHOOKS ?? 1_000);

const texts = [
  'My bag is lost and nobody answers. I want a refund 😡 #lostluggage',
  'How do I change my seat on flight {n}?',
  'Thanks, great crew today! 👏',
  'Me perdieron la maleta en el vuelo {n}, ayuda por favor',
  'Cancelaram meu voo {n} e ninguém responde. Absurdo',
  'Still waiting for my refund, order {n}. Never again.',
  'Is there wifi on the A321 to Lisbon?',
  'Charged twice for the same ticket {n}, this is a scam',
];

/** Batch API items as a listening tool would send them: 5 in 4 by a different author, some with email, varied reach. */
function batchItems(prefix: string, count: number, seed: number): object[] {
  const random = seededRandom(seed);
  const authors = Math.max(1, Math.round(count * 0.8));
  const start = Date.now() - 3_600_000;
  return Array.from({ length: count }, (_, i) => {
    const a = Math.floor(random() * authors);
    return {
      channel: (['x', 'x', 'x', 'facebook', 'instagram', 'email'] as const)[i % 6],
      externalId: `${prefix}-${i}`,
      text: texts[i % texts.length]!.replace('{n}', String(1000 + i)),
      occurredAt: new Date(start + i * 50).toISOString(),
      author: { externalId: `${prefix}-author-${a}`, handle: `${prefix.replace(/\W/g, '')}_${a}`.slice(0, 30), ...(a % 5 === 0 && { email: `${prefix}.${a}@example.com` }), followers: Math.floor(random() ** 3 * 200_000) },
      ...(i % 97 === 0 && { promoted: true, metrics: { impressions: 1_500_000 } }),
    };
  });
}

const chunksOf = <T>(items: T[], size: number) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

function toRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(origin + (req.url ?? '/'), { method: req.method, headers, ...(hasBody && { body: Readable.toWeb(req) as ReadableStream, duplex: 'half' }) } as RequestInit);
}

async function serve(handler: (request: Request) => Promise<Response>): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const origin = `http://${req.headers.host ?? 'localhost'}`;
    handler(toRequest(req, origin))
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch((error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A copy's id: the original with its version digit changed, so it sorts where the original did (time-ordered ids). */
const copiedId = (column: string, digit = 'c') => `overlay(${column}::text placing '${digit}' from 15 for 1)::uuid`;

/**
 * Exports rows as CSV with the database itself, then COPYs them back into the same table: `select` gives, per column,
 * what the copy writes (a new id, a new external id...) and `where` which rows.
 */
async function copyBack(handle: DatabaseHandle, table: PgTable, select: Record<string, string>, where: string): Promise<{ rows: number; seconds: number }> {
  const columns = Object.values(getTableColumns(table)).map((c) => c.name);
  const name = getTableName(table);
  const exportSql = `copy (select ${columns.map((c) => select[c] ?? c).join(', ')} from ${name} where ${where}) to stdout with (format csv)`;
  const importSql = `copy ${name} (${columns.join(', ')}) from stdin with (format csv)`;
  if (handle.kind === 'postgres') {
    const chunks: Buffer[] = [];
    await pipeline(await handle.sql.unsafe(exportSql).readable(), new Writable({ write: (chunk: Buffer, _e, done) => (chunks.push(chunk), done()) }));
    const csv = Buffer.concat(chunks);
    const rows = csv.toString('utf8').split('\n').length - 1;
    const started = performance.now();
    // As ingest does it: a refused COPY rejects instead of hanging (postgres.js drops the error).
    await (await copyOnPostgresJs(handle.sql as never, importSql, csv)).finished;
    return { rows, seconds: (performance.now() - started) / 1000 };
  }
  const exported = await handle.pglite.query(exportSql.replace('to stdout', "to '/dev/blob'"));
  const blob = exported.blob!;
  const rows = (await blob.text()).split('\n').length - 1;
  const started = performance.now();
  await handle.pglite.query(importSql.replace('from stdin', "from '/dev/blob'"), [], { blob });
  return { rows, seconds: (performance.now() - started) / 1000 };
}

/**
 * COPY of the same mention rows the pipeline stored, into the same table (the baseline); then every row the
 * pipeline wrote for them (customers, identities, tickets, mentions) as plain COPYs, the floor of this data model.
 */
async function copyBaselines(handle: DatabaseHandle, organizationId: string, prefix: string): Promise<{ mentionRows: { rows: number; seconds: number }; allTables: { rows: number; seconds: number } }> {
  const ofRun = `organization_id = '${organizationId}' and external_id like '${prefix}-%'`;
  const mentionRows = await copyBack(handle, mentions, { id: copiedId('id'), external_id: `'copy-' || external_id` }, ofRun);
  const customersOfRun = `id in (select customer_id from mentions where ${ofRun})`;
  const parts = [
    await copyBack(handle, customers, { id: copiedId('id') }, customersOfRun),
    await copyBack(handle, customerIdentities, { id: copiedId('id'), customer_id: copiedId('customer_id'), key: `'copy:' || key` }, customersOfRun.replace('id in', 'customer_id in')),
    await copyBack(handle, tickets, { id: copiedId('id'), customer_id: copiedId('customer_id') }, `id in (select ticket_id from mentions where ${ofRun})`),
    await copyBack(handle, mentions, { id: copiedId('id', 'd'), external_id: `'copy2-' || external_id`, customer_id: copiedId('customer_id'), ticket_id: copiedId('ticket_id') }, ofRun),
  ];
  return { mentionRows, allTables: { rows: parts.reduce((n, p) => n + p.rows, 0), seconds: parts.reduce((t, p) => t + p.seconds, 0) } };
}

const serverSide: number[] = [];
type Result = { batchApi: number; pipeline: number; copy: number; copyAll: number; webhookP50: number; webhookP99: number; webhookServerP99: number; webhookErrors: number };

async function run(kind: 'postgres' | 'pglite'): Promise<Result> {
  let handle: DatabaseHandle;
  if (kind === 'postgres') {
    process.env.DATABASE_URL = postgresUrl;
    handle = await createTestDatabase();
    delete process.env.DATABASE_URL;
  } else {
    handle = await openPglite(null);
  }
  const n = mentionsPerPhase[kind];
  try {
    const { db } = handle;
    const org = await createTestOrganization(db, `bench-${kind}`);
    const system = { db, organizationId: org.id, actor: { type: 'system' as const, reason: 'bench' } };
    // Warm up the JIT and the database's caches; not counted.
    await ingestMentions({ ctx: system, input: { mentions: parseMentionBatch(JSON.stringify(batchItems('warm', 500, 1))) } });

    // The pipeline without HTTP: parse the JSON body, then ingest, batch after batch.
    const pipelineBodies = chunksOf(batchItems('pipe', n, 2), batchSize).map((items) => JSON.stringify(items));
    let started = performance.now();
    for (const body of pipelineBodies) await ingestMentions({ ctx: system, input: { mentions: parseMentionBatch(body) } });
    const pipelineSeconds = (performance.now() - started) / 1000;

    // The batch API through real HTTP on a real server.
    const { key } = await createApiKey({ ctx: org.as('admin'), input: { name: 'bench' } });
    const server = await serve((request) => {
      const path = new URL(request.url).pathname;
      if (path === '/api/ingest/batch') return handleBatchPost(request, db);
      const webhookKey = path.split('/').pop() ?? '';
      const arrived = performance.now();
      return handleWebhookPost('x', request, webhookKey, db).finally(() => serverSide.push(performance.now() - arrived));
    });
    const apiBodies = chunksOf(batchItems('api', n, 3), batchSize).map((items) => JSON.stringify(items));
    started = performance.now();
    let accepted = 0;
    for (const body of apiBodies) {
      const response = await fetch(`${server.url}/api/ingest/batch`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
      const result = (await response.json()) as { accepted?: number; error?: string };
      if (!response.ok) throw new Error(`batch API answered ${response.status}: ${result.error}`);
      accepted += result.accepted ?? 0;
    }
    const apiSeconds = (performance.now() - started) / 1000;
    if (accepted !== n) throw new Error(`batch API accepted ${accepted} of ${n}`);


    // Single webhooks at a steady 200 requests/s, open loop: latency from send to answer.
    const { connection, generatedSecrets } = await createConnection({ ctx: org.as('admin'), input: { channel: 'x', name: 'bench', externalAccountId: '999', secrets: { consumerSecret: 'bench-consumer-secret' } } });
    const sim = { channel: 'x' as const, webhookPath: connection.webhookPath, externalAccountId: '999', secrets: { consumerSecret: 'bench-consumer-secret', ...generatedSecrets } };
    const deliveries = Array.from({ length: webhookRequests }, (_, i) =>
      buildDelivery({ channel: 'x', id: `hook-${i}`, text: texts[i % texts.length]!.replace('{n}', String(i)), at: new Date(), author: { id: `hook-author-${i % 700}`, handle: `hook_${i % 700}`, followers: 50 + i } }, sim),
    );
    // A running server is warm: a few requests first, not counted.
    for (let i = 0; i < 20; i++) {
      const d = buildDelivery({ channel: 'x', id: `hook-warm-${i}`, text: texts[i % texts.length]!, at: new Date(), author: { id: `warm-${i}`, handle: `warm_${i}` } }, sim);
      await (await fetch(server.url + d.path, { method: 'POST', headers: d.headers, body: d.body })).arrayBuffer();
    }
    const latencies: number[] = [];
    let errors = 0;
    const t0 = performance.now();
    await Promise.all(
      deliveries.map(async (d, i) => {
        const due = t0 + (i * 1000) / webhookRate;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const sent = performance.now();
        const response = await fetch(server.url + d.path, { method: 'POST', headers: d.headers, body: d.body });
        await response.arrayBuffer();
        latencies.push(performance.now() - sent);
        if (!response.ok) errors += 1;
      }),
    );
    await server.close();

    // COPY of the same rows the pipeline stored, into the same table; last, so that the background work its writes
    // bring (checkpoints, autovacuum) does not fall into the webhook phase.
    const copy = await copyBaselines(handle, org.id, 'pipe');
    serverSide.sort((a, b) => a - b);
    const serverP99 = serverSide[Math.min(serverSide.length - 1, Math.ceil(serverSide.length * 0.99) - 1)] ?? 0;
    serverSide.length = 0;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? 0;
    return { batchApi: n / apiSeconds, pipeline: n / pipelineSeconds, copy: copy.mentionRows.rows / copy.mentionRows.seconds, copyAll: n / copy.allTables.seconds, webhookP50: pct(50), webhookP99: pct(99), webhookServerP99: serverP99, webhookErrors: errors };
  } finally {
    await handle.close();
  }
}

const round = (x: number) => Math.round(x);
const results = { postgres: await run('postgres'), pglite: await run('pglite') };

const rows = (['postgres', 'pglite'] as const).map((kind) => {
  const r = results[kind];
  return [kind, mentionsPerPhase[kind], round(r.batchApi), round(r.pipeline), round(r.copy), (r.pipeline / r.copy).toFixed(3), round(r.copyAll), (r.pipeline / r.copyAll).toFixed(3), r.webhookP50.toFixed(1), r.webhookP99.toFixed(1), r.webhookServerP99.toFixed(1), r.webhookErrors];
});
const header = ['database', 'mentions', 'batch API /s', 'pipeline /s', 'COPY rows/s', 'pipeline÷COPY', 'COPY all rows, mentions/s', 'pipeline÷COPY all', 'webhook p50 ms', 'webhook p99 ms', 'handler p99 ms', 'webhook errors'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const line = (cells: (string | number)[]) => cells.map((c, i) => String(c).padStart(widths[i]!)).join('  ');
console.log(`Ingest: batches of ${batchSize}, webhooks at ${webhookRate} req/s × ${webhookRequests} (X, signed), one process, ${process.env.BENCH_NOTE ?? 'shared 2-core machine'}`);
console.log(line(header));
for (const r of rows) console.log(line(r));
console.log(
  JSON.stringify({
    batch_api_mentions_per_s: round(results.postgres.batchApi),
    pipeline_mentions_per_s: round(results.postgres.pipeline),
    copy_rows_per_s: round(results.postgres.copy),
    pipeline_to_copy: Number((results.postgres.pipeline / results.postgres.copy).toFixed(3)),
    batch_api_mentions_per_s_pglite: round(results.pglite.batchApi),
    pipeline_mentions_per_s_pglite: round(results.pglite.pipeline),
    copy_rows_per_s_pglite: round(results.pglite.copy),
    pipeline_to_copy_pglite: Number((results.pglite.pipeline / results.pglite.copy).toFixed(3)),
    copy_all_tables_mentions_per_s: round(results.postgres.copyAll),
    pipeline_to_copy_all_tables: Number((results.postgres.pipeline / results.postgres.copyAll).toFixed(3)),
    webhook_p99_ms: Number(results.postgres.webhookP99.toFixed(1)),
  }),
);
