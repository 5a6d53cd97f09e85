// npm run bench:collab — the crisis room under load, on the real server (a child process, production build):
// N headless y-websocket editors typing into one room (propagation p50/p99, lost updates) for N = 10 and 100, the same
// load on a bare y-protocols relay (no auth, no persistence) for the ratio, connections one process holds across 100
// rooms, and the room page's first-load JavaScript (gzip) and largest contentful paint in Chromium on localhost.
// Prints a table, then one JSON line with the keys.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { encode } from 'next-auth/jwt';
import { chromium } from '@playwright/test';
import * as Y from 'yjs';
import { crisisDocumentName, crisisParts } from '@/lib/collab/crisis-doc';
import { connectClient, sessionCookie } from '@/test/rooms';
import { freePort, prepareDataDir, startStormdesk } from '@/test/stormdesk-process';

const SECRET = 'bench-secret-bench-secret-bench-secret-01';
const TYPING_SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const KEYSTROKES_PER_SECOND = Number(process.env.BENCH_RATE ?? 3);
const CONNECTION_TARGET = Number(process.env.BENCH_CONNECTIONS ?? 2000);

const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(20);
  }
  return check();
}
const quantile = (sorted: number[], q: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
const round = (n: number) => Math.round(n * 10) / 10;

interface TypingResult {
  editors: number;
  edits: number;
  deliveries: number;
  lost: number;
  p50: number;
  p99: number;
  converged: boolean;
}

/** N editors in one room, each typing into its own paragraph of the plan; every other editor's arrival time is recorded. */
async function typing(url: string, origin: string, docName: string, editors: number, cookies: string[]): Promise<TypingResult> {
  const clients = Array.from({ length: editors }, (_, i) => connectClient(url, docName, { origin, cookie: cookies[i % cookies.length] }));
  await until(() => clients.every((c) => c.provider.synced), 60_000);
  const texts = clients.map((client, i) => {
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText(`editor ${i}: `);
    paragraph.insert(0, [text]);
    const plan = crisisParts(client.doc).plan;
    plan.insert(plan.length, [paragraph]);
    return text;
  });
  await until(() => clients.every((c) => crisisParts(c.doc).plan.length >= editors), 30_000);

  // Tokens have a fixed width, so a receiver knows how many of a writer's keystrokes it holds from the text's length
  // alone: no diffing in the load generator, which shares two cores with the server.
  const width = 11;
  const prefix = (i: number) => `editor ${i}: `.length;
  const sent = Array.from({ length: editors }, () => [] as number[]);
  const latencies: number[] = [];
  let received = 0;
  clients.forEach((client) => {
    const paragraphs = crisisParts(client.doc).plan.toArray() as Y.XmlElement[];
    paragraphs.forEach((paragraph) => {
      const text = paragraph.get(0) as Y.XmlText;
      const writer = Number(/editor (\d+)/.exec(text.toString())?.[1]);
      if (!Number.isInteger(writer)) return;
      let seen = 0;
      text.observe((event) => {
        if (event.transaction.local) return;
        const now = performance.now();
        const holds = Math.floor((text.length - prefix(writer)) / width);
        for (let k = seen + 1; k <= holds; k += 1) {
          const at = sent[writer]![k];
          if (at === undefined) continue;
          latencies.push(now - at);
          received += 1;
        }
        seen = Math.max(seen, holds);
      });
    });
  });
  const interval = 1000 / KEYSTROKES_PER_SECOND;
  const seqs = new Array<number>(editors).fill(0);
  const timers: NodeJS.Timeout[] = [];
  clients.forEach((_, i) => {
    const start = setTimeout(() => {
      const type = () => {
        const seq = (seqs[i]! += 1);
        sent[i]![seq] = performance.now();
        texts[i]!.insert(texts[i]!.length, `w${String(i).padStart(3, '0')}s${String(seq).padStart(5, '0')};`);
      };
      type();
      timers.push(setInterval(type, interval));
    }, Math.random() * interval);
    timers.push(start);
  });
  await sleep(TYPING_SECONDS * 1000);
  for (const timer of timers) clearInterval(timer);
  const edits = seqs.reduce((a, b) => a + b, 0);
  const expected = edits * (editors - 1);
  await until(() => received >= expected, 15_000);
  const reference = crisisParts(clients[0]!.doc).plan.toString();
  const converged = clients.every((c) => crisisParts(c.doc).plan.toString() === reference);
  for (const client of clients) client.destroy();
  latencies.sort((a, b) => a - b);
  return { editors, edits, deliveries: received, lost: expected - received, p50: round(quantile(latencies, 0.5)), p99: round(quantile(latencies, 0.99)), converged };
}

/** Opens connections across 100 rooms in waves until the target or until the server stops accepting; returns how many it held. */
async function connections(url: string, origin: string, docNames: string[], cookies: string[], health: () => Promise<{ connections: number }>): Promise<number> {
  const clients: ReturnType<typeof connectClient>[] = [];
  const wave = 100;
  let held = 0;
  while (clients.length < CONNECTION_TARGET) {
    for (let i = 0; i < wave && clients.length < CONNECTION_TARGET; i += 1) {
      const n = clients.length;
      clients.push(connectClient(url, docNames[n % docNames.length]!, { origin, cookie: cookies[n % cookies.length] }));
    }
    const ok = await until(() => clients.every((c) => c.provider.synced), 30_000);
    held = (await health()).connections;
    if (!ok) break;
  }
  // Hold them a moment and count again: connections that dropped are not held.
  await sleep(1000);
  held = Math.min(held, (await health()).connections, clients.filter((c) => c.provider.wsconnected).length);
  for (const client of clients) client.destroy();
  return held;
}

async function startRelay(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/relay.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /relay on (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
  });
  return { child, port };
}

/** The room page's first-load JavaScript (gzip, as served) and its LCP, in a cold Chromium context. */
async function pageMetrics(origin: string, crisisId: string, session: string): Promise<{ jsKb: number; lcpMs: number; scripts: number }> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const load = async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addCookies([{ name: 'next-auth.session-token', value: session, url: origin }]);
    const page = await context.newPage();
    const scripts: Promise<number>[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') scripts.push(response.body().then((body) => gzipSync(body).length, () => 0));
    });
    await page.goto(`${origin}/crises/${crisisId}`, { waitUntil: 'load' });
    await page.getByTestId('connection-status').and(page.locator('[data-status="connected"]')).waitFor({ timeout: 30_000 });
    const lcp = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          new PerformanceObserver((list) => resolve(list.getEntries().at(-1)!.startTime)).observe({ type: 'largest-contentful-paint', buffered: true });
          setTimeout(() => resolve(NaN), 5000);
        }),
    );
    const sizes = await Promise.all(scripts);
    await context.close();
    return { jsKb: round(sizes.reduce((a, b) => a + b, 0) / 1024), lcpMs: Math.round(lcp), scripts: sizes.length };
  };
  await load(); // warm the server (first render of the route)
  const measured = await load();
  await browser.close();
  return measured;
}

async function main() {
  // Each y-websocket client in Node registers an exit listener.
  process.setMaxListeners(0);
  if (!existsSync('dist/server.mjs') || !existsSync('.next/BUILD_ID')) {
    log('No production build found: running npm run build first.');
    if (spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' }).status !== 0) throw new Error('npm run build failed');
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'stormdesk-bench-'));
  log('preparing 100 crisis rooms…');
  const prepared = await prepareDataDir(dataDir, 100);
  const port = await freePort();
  const server = await startStormdesk({ dataDir, authSecret: SECRET, port });
  const editors = [prepared.members.lead, prepared.members.agent, prepared.members.admin];
  const cookies = await Promise.all(editors.map((m) => sessionCookie(m, SECRET)));
  const docNames = prepared.crisisIds.map(crisisDocumentName);
  const relay = await startRelay();
  const relayUrl = `ws://127.0.0.1:${relay.port}/relay`;
  const relayOrigin = `http://127.0.0.1:${relay.port}`;
  try {
    log(`typing: ${KEYSTROKES_PER_SECOND} keystrokes/s per editor for ${TYPING_SECONDS} s`);
    const s10 = await typing(server.url, server.origin, docNames[0]!, 10, cookies);
    log(`stormdesk N=10: ${JSON.stringify(s10)}`);
    const s100 = await typing(server.url, server.origin, docNames[1]!, 100, cookies);
    log(`stormdesk N=100: ${JSON.stringify(s100)}`);
    const r10 = await typing(relayUrl, relayOrigin, 'crisis:relay-10', 10, ['']);
    log(`relay N=10: ${JSON.stringify(r10)}`);
    const r100 = await typing(relayUrl, relayOrigin, 'crisis:relay-100', 100, ['']);
    log(`relay N=100: ${JSON.stringify(r100)}`);
    log(`connections: aiming at ${CONNECTION_TARGET} across ${docNames.length} rooms`);
    const held = await connections(server.url, server.origin, docNames, cookies, server.health);
    log(`connections held: ${held}`);
    const token = await encode({ token: { uid: prepared.members.lead.userId, email: prepared.members.lead.email, name: prepared.members.lead.name }, secret: SECRET, maxAge: 3600 });
    const page = await pageMetrics(server.origin, prepared.crisisIds[2]!, token);

    const rows = [
      ['Stormdesk, 10 editors', s10],
      ['Stormdesk, 100 editors', s100],
      ['bare relay, 10 editors', r10],
      ['bare relay, 100 editors', r100],
    ] as const;
    console.log(`\nCrisis room propagation (${KEYSTROKES_PER_SECOND} keystrokes/s per editor, ${TYPING_SECONDS} s, one room)`);
    console.log('| run | edits | deliveries | lost | p50 ms | p99 ms | converged |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const [name, r] of rows) console.log(`| ${name} | ${r.edits} | ${r.deliveries} | ${r.lost} | ${r.p50} | ${r.p99} | ${r.converged ? 'yes' : 'NO'} |`);
    const ratio = round((s100.p99 / r100.p99) * 100) / 100;
    console.log(`\np99 at 100 editors vs the bare relay: ${ratio}× (goal ≤ 1.25×; p99 goal < 50 ms)`);
    console.log(`Connections held by one process across ${docNames.length} rooms: ${held} (goal 2,000)`);
    console.log(`Room page: ${page.scripts} scripts, first-load JS ${page.jsKb} kB gzip; LCP ${page.lcpMs} ms (Chromium, localhost, cold cache)`);
    console.log(
      JSON.stringify({
        p50_ms_10: s10.p50,
        p99_ms_10: s10.p99,
        p50_ms_100: s100.p50,
        p99_ms_100: s100.p99,
        lost_updates: s10.lost + s100.lost,
        relay_p99_ms_100: r100.p99,
        ratio_to_relay: ratio,
        connections_per_process: held,
        room_first_load_js_kb_gzip: page.jsKb,
        room_lcp_ms: page.lcpMs,
      }),
    );
  } finally {
    relay.child.kill('SIGTERM');
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
