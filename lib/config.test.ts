import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, isAllowedOrigin, loadConfig } from './config';

const dataDir = mkdtempSync(path.join(tmpdir(), 'stormdesk-config-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('loadConfig', () => {
  it('generates an auth secret for the embedded default, keeps it private under the data directory, and reuses it', () => {
    const first = loadConfig({ NODE_ENV: 'production', STORMDESK_DATA_DIR: dataDir });
    expect(first.authSecretSource).toBe('generated');
    expect(readFileSync(path.join(dataDir, 'auth-secret'), 'utf8')).toBe(first.authSecret);
    expect(statSync(path.join(dataDir, 'auth-secret')).mode & 0o077).toBe(0);
    const second = loadConfig({ NODE_ENV: 'production', STORMDESK_DATA_DIR: dataDir });
    expect(second.authSecret).toBe(first.authSecret);
    expect(second.seedDemo).toBe(true);
  });

  it('refuses to start in production on Postgres without AUTH_SECRET', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x', STORMDESK_DATA_DIR: dataDir })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x', STORMDESK_DATA_DIR: dataDir })).toThrow(/AUTH_SECRET is not set/);
    const ok = loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x', AUTH_SECRET: 'x'.repeat(40) });
    expect(ok.seedDemo).toBe(false);
  });

  it('takes the Graph API base URL from META_GRAPH_URL, without a trailing slash, and refuses one that is not http(s)', () => {
    expect(loadConfig({ STORMDESK_DATA_DIR: dataDir }).metaGraphUrl).toBe('https://graph.facebook.com');
    expect(loadConfig({ STORMDESK_DATA_DIR: dataDir, META_GRAPH_URL: 'http://127.0.0.1:4010/' }).metaGraphUrl).toBe('http://127.0.0.1:4010');
    expect(() => loadConfig({ STORMDESK_DATA_DIR: dataDir, META_GRAPH_URL: 'graph.facebook.com' })).toThrow(/META_GRAPH_URL must be an http\(s\) URL/);
  });

  it('checks PORT and the secret length', () => {
    expect(() => loadConfig({ PORT: 'eighty', STORMDESK_DATA_DIR: dataDir })).toThrow(/PORT must be a port number/);
    expect(() => loadConfig({ AUTH_SECRET: 'short' })).toThrow(/too short/);
  });
});

describe('isAllowedOrigin', () => {
  it('accepts the same host and configured origins, nothing else', () => {
    expect(isAllowedOrigin('http://localhost:3000', 'localhost:3000', [])).toBe(true);
    expect(isAllowedOrigin('https://evil.example', 'localhost:3000', [])).toBe(false);
    expect(isAllowedOrigin(undefined, 'localhost:3000', [])).toBe(false);
    expect(isAllowedOrigin('https://desk.example', 'internal:3000', ['https://desk.example'])).toBe(true);
  });
});
