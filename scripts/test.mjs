#!/usr/bin/env node
// `npm test`: the unit and database suites (vitest; PGlite unless DATABASE_URL is set), then the browser suite
// (Playwright in Debian's Chromium against a fresh production build) when a Chromium is found.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const run = (command, args, env = {}) => spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env } }).status ?? 1;

const results = [];
const unit = run('npx', ['vitest', 'run']);
results.push(['unit and database tests (vitest)', unit]);

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (process.env.STORMDESK_SKIP_E2E) {
  console.log('\nBrowser tests skipped: STORMDESK_SKIP_E2E is set.');
} else if (!existsSync(chromium)) {
  console.log(`\nBrowser tests skipped: no Chromium at ${chromium}. Install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH.`);
} else {
  const build = process.env.STORMDESK_SKIP_BUILD ? 0 : run('npm', ['run', 'build', '--silent']);
  results.push(['production build', build]);
  if (build === 0) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'stormdesk-e2e-'));
    const e2e = run('npx', ['playwright', 'test', ...process.argv.slice(2)], { E2E_DATA_DIR: dataDir, CHROMIUM_PATH: chromium });
    results.push(['browser tests (Playwright, Chromium)', e2e]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log('\nSummary:');
for (const [name, status] of results) console.log(`  ${status === 0 ? 'passed' : 'FAILED'}  ${name}`);
process.exit(results.every(([, status]) => status === 0) ? 0 : 1);
