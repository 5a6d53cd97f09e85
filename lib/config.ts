import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A configuration problem, told in one sentence at start-up. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface ServerConfig {
  port: number;
  hostname: string;
  dev: boolean;
  databaseUrl?: string;
  dataDir: string;
  authSecret: string;
  /** Where the secret came from, for the start-up line (never the secret itself). */
  authSecretSource: 'environment' | 'generated' | 'data-dir';
  seedDemo: boolean;
  publicUrl: string;
  allowedOrigins: string[];
  /** META_GRAPH_URL: where Instagram mentions are fetched from (https://graph.facebook.com; tests point it at a fake). */
  metaGraphUrl: string;
}

/** Reads and checks the environment once, at start-up. */
export function loadConfig(env: Record<string, string | undefined>): ServerConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number, not "${env.PORT}".`);
  const dev = env.NODE_ENV !== 'production';
  const databaseUrl = env.DATABASE_URL || undefined;
  const dataDir = path.resolve(env.STORMDESK_DATA_DIR || '.data');
  const publicUrl = (env.AUTH_URL || env.NEXTAUTH_URL || `http://localhost:${port}`).replace(/\/$/, '');
  let secret = env.AUTH_SECRET || env.NEXTAUTH_SECRET;
  let authSecretSource: ServerConfig['authSecretSource'] = 'environment';
  if (!secret) {
    if (!dev && databaseUrl) {
      throw new ConfigError('AUTH_SECRET is not set. In production with DATABASE_URL, set AUTH_SECRET to a long random string (e.g. `openssl rand -base64 32`).');
    }
    ({ secret, source: authSecretSource } = generatedSecret(dataDir));
  }
  if (secret.length < 32) throw new ConfigError('AUTH_SECRET is too short: use at least 32 characters.');
  const demoSetting = env.STORMDESK_DEMO?.toLowerCase();
  const seedDemo = demoSetting ? ['1', 'on', 'true', 'yes'].includes(demoSetting) : !(databaseUrl && !dev);
  const allowedOrigins = [publicUrl, ...(env.STORMDESK_ALLOWED_ORIGINS ?? '').split(',')].map((o) => o.trim()).filter(Boolean);
  const metaGraphUrl = (env.META_GRAPH_URL || 'https://graph.facebook.com').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(metaGraphUrl)) throw new ConfigError(`META_GRAPH_URL must be an http(s) URL like https://graph.facebook.com, not "${env.META_GRAPH_URL}".`);
  return { port, hostname: env.HOSTNAME_BIND || '0.0.0.0', dev, databaseUrl, dataDir, authSecret: secret, authSecretSource, seedDemo, publicUrl, allowedOrigins, metaGraphUrl };
}

function generatedSecret(dataDir: string): { secret: string; source: 'generated' | 'data-dir' } {
  const file = path.join(dataDir, 'auth-secret');
  if (existsSync(file)) return { secret: readFileSync(file, 'utf8').trim(), source: 'data-dir' };
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return { secret, source: 'generated' };
}

/** Whether a websocket's Origin may open rooms: the configured origins, or the very host it connected to. */
export function isAllowedOrigin(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (!origin) return false;
  if (allowed.includes(origin)) return true;
  try {
    return !!host && new URL(origin).host === host;
  } catch {
    return false;
  }
}
