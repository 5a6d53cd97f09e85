import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Runs server.ts (through tsx, as `npm run dev` does) and collects what it prints until it exits. */
function runServer(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

describe('server start-up', () => {
  it('an unreachable DATABASE_URL gives one clear line and a non-zero exit within 10 s', async () => {
    const result = await runServer({ DATABASE_URL: 'postgres://stormdesk:pw@127.0.0.1:1/stormdesk', AUTH_SECRET: 'x'.repeat(40), PORT: '0' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('[stormdesk] cannot start: Cannot reach the database at 127.0.0.1:1/stormdesk: ECONNREFUSED.');
    expect(result.stderr).not.toContain('pw@');
    expect(result.ms).toBeLessThan(10_000);
  });

  it('production on Postgres without AUTH_SECRET refuses to start with a clear message', async () => {
    const result = await runServer({ NODE_ENV: 'production', DATABASE_URL: 'postgres://127.0.0.1:1/x', AUTH_SECRET: '', NEXTAUTH_SECRET: '', PORT: '0' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/^\[stormdesk\] cannot start: AUTH_SECRET is not set\./);
  });
});
