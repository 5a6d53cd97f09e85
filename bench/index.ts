// npm run bench: every benchmark in turn; each prints its own table and JSON line, and this prints them all last.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const benches = ['bench/detect-core.ts', 'bench/ingest.ts', 'bench/detect.ts', 'bench/collab.ts'].filter((file) => existsSync(file));
const figures: Record<string, unknown> = {};
for (const file of benches) {
  console.log(`\n# ${file}`);
  const run = spawnSync(process.execPath, ['--expose-gc', '--max-semi-space-size=64', '--import', 'tsx', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(run.stdout);
  const last = run.stdout.trim().split('\n').at(-1) ?? '';
  try {
    Object.assign(figures, JSON.parse(last));
  } catch {
    console.error(`${file} did not end with a JSON line (exit ${run.status})`);
  }
}
console.log(JSON.stringify(figures));
