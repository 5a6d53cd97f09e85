import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { NotesPage, signInAs } from './pages';

const port = Number(process.env.E2E_PORT ?? 3210) + 1;
const origin = `http://localhost:${port}`;
const dataDir = mkdtempSync(path.join(tmpdir(), 'stormdesk-restart-'));

/** A server process of its own (the shared one cannot be restarted), on the same data. */
async function startServer(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['dist/server.mjs'], {
    env: { ...process.env, NODE_ENV: 'production', PORT: String(port), STORMDESK_DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: '1', STORMDESK_DEMO: 'on' },
    stdio: 'inherit',
  });
  await expect
    .poll(async () => fetch(`${origin}/api/health`).then((r) => r.status, () => 0), { timeout: 60_000, message: 'server to answer its health route' })
    .toBe(200);
  return child;
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

test.afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test('edits survive a server restart: SIGTERM flushes what the room holds', async ({ browser }) => {
  let server = await startServer();
  const leadContext = await browser.newContext({ baseURL: origin });
  const agentContext = await browser.newContext({ baseURL: origin });
  const lead = await leadContext.newPage();
  const agent = await agentContext.newPage();
  await signInAs(lead, 'lead');
  await signInAs(agent, 'agent');
  const leadNotes = new NotesPage(lead);
  const agentNotes = new NotesPage(agent);
  await leadNotes.open();
  await agentNotes.open();

  const text = `Keep this across restarts ${Date.now()}`;
  await leadNotes.type(text);
  // Once the agent sees it, the server holds it; stop at once, inside the flush window.
  await expect(agentNotes.editor()).toContainText(text);
  expect(await stop(server)).toBe(0);
  await expect(lead.getByTestId('connection-status')).not.toHaveAttribute('data-status', 'connected');
  await leadContext.close();
  await agentContext.close();

  server = await startServer();
  // A fresh browser profile: no local copy, so the text can only come from the server's database.
  const freshContext = await browser.newContext({ baseURL: origin });
  const fresh = await freshContext.newPage();
  await signInAs(fresh, 'observer');
  const freshNotes = new NotesPage(fresh);
  await freshNotes.open();
  await expect(freshNotes.editor()).toContainText(text);
  await freshContext.close();
  expect(await stop(server)).toBe(0);
});
