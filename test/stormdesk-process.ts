import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase } from '@/db/client';
import { type MemberRow, listMembers } from '@/db/queries/members';
import { organizations, roles, type Role } from '@/db/schema';
import type { Ctx } from '@/lib/context';
import { openCrisis } from '@/lib/crises/open';
import { seedDemoIfEmpty } from '@/lib/orgs/demo';

/**
 * Prepares a data directory the way a running Stormdesk would have it: the demo organization and `crisisCount` open
 * crises. The embedded database is closed again before the server opens it (PGlite has one opener).
 */
export async function prepareDataDir(dataDir: string, crisisCount: number): Promise<{ organizationId: string; members: Record<Role, MemberRow>; crisisIds: string[] }> {
  const database = await openDatabase({ dataDir });
  try {
    await seedDemoIfEmpty(database.db);
    const [any] = await database.db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, 'demo-air'));
    const rows = await listMembers(database.db, any!.id);
    const members = Object.fromEntries(roles.map((role) => [role, rows.find((m) => m.role === role)!])) as Record<Role, MemberRow>;
    const lead = members.lead;
    const ctx: Ctx = { db: database.db, organizationId: any!.id, actor: { type: 'member', memberId: lead.memberId, userId: lead.userId, role: 'lead', name: lead.name, email: lead.email } };
    const crisisIds: string[] = [];
    for (let i = 0; i < crisisCount; i += 1) crisisIds.push((await openCrisis({ ctx, input: { title: `Prepared crisis ${i + 1}` } })).crisis.id);
    return { organizationId: any!.id, members, crisisIds };
  } finally {
    await database.close();
  }
}

export interface StormdeskProcess {
  child: ChildProcess;
  origin: string;
  url: string;
  output: () => string;
  health: () => Promise<{ rooms: number; connections: number; unflushedRooms: number }>;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/**
 * Starts the real server in a child process on a free port: the production build (`dist/server.mjs`) when there is
 * one, else server.ts through tsx in development mode. Resolves once its health route answers.
 */
export async function startStormdesk({ dataDir, authSecret, port = 0, timeoutMs = 120_000 }: { dataDir: string; authSecret: string; port?: number; timeoutMs?: number }): Promise<StormdeskProcess> {
  const built = existsSync('dist/server.mjs') && existsSync(path.join('.next', 'BUILD_ID'));
  const child = spawn(process.execPath, built ? ['dist/server.mjs'] : ['--import', 'tsx', 'server.ts'], {
    env: {
      ...process.env,
      NODE_ENV: built ? 'production' : 'development',
      PORT: String(port),
      HOSTNAME_BIND: '127.0.0.1',
      STORMDESK_DATA_DIR: dataDir,
      AUTH_SECRET: authSecret,
      STORMDESK_DEMO: 'on',
      NEXT_TELEMETRY_DISABLED: '1',
      DATABASE_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const listening = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const check = () => {
      const match = /ready on http:\/\/localhost:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before it was ready:\n${output}`));
    });
  });
  const origin = `http://127.0.0.1:${listening}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    origin,
    url: `ws://127.0.0.1:${listening}/yjs`,
    output: () => output,
    health: async () => (await fetch(`${origin}/api/health`)).json(),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A port that is free now, so a restarted server can come back on the same one (clients reconnect to it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
