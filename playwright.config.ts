import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3210);
export const baseURL = `http://localhost:${port}`;

/**
 * Browser tests drive Debian's Chromium against the production build (`npm run build`), started by Playwright with
 * a fresh data directory (the restart spec runs its own on E2E_PORT + 1, the fake Graph API listens on E2E_PORT + 2).
 * scripts/test.mjs sets E2E_DATA_DIR; DATABASE_URL, when set, runs them on Postgres instead.
 */
export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  outputDir: 'test-results/e2e',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: {
    command: 'node --max-semi-space-size=64 dist/server.mjs',
    url: `${baseURL}/api/health`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    stdout: 'pipe',
    env: {
      NODE_ENV: 'production',
      PORT: String(port),
      NEXT_TELEMETRY_DISABLED: '1',
      STORMDESK_DATA_DIR: process.env.E2E_DATA_DIR ?? '.data/e2e',
      STORMDESK_DEMO: 'on',
      // The Graph API that id-only Instagram mentions are fetched from: a fake that e2e/instagram-mentions.spec.ts runs.
      META_GRAPH_URL: `http://127.0.0.1:${port + 2}`,
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL, AUTH_SECRET: process.env.AUTH_SECRET ?? 'e2e-secret-e2e-secret-e2e-secret-0123' } : {}),
    },
  },
});
