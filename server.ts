import { createServer } from 'node:http';
import { sql } from 'drizzle-orm';
import next from 'next';
import { DatabaseStartupError, openDatabase } from '@/db/client';
import { startInstagramMentionFetch } from '@/lib/channels/meta/mention-fetch';
import { createAppRoomServer } from '@/lib/collab/app-rooms';
import { ConfigError, loadConfig } from '@/lib/config';
import { startNotificationDelivery } from '@/lib/crises/notify-delivery';
import { startLiveDetection } from '@/lib/detection/service';
import { seedDemoIfEmpty } from '@/lib/orgs/demo';
import { startSlaEscalation } from '@/lib/routing/escalate';
import { setRuntime } from '@/lib/runtime';

const log = (message: string) => console.log(`[stormdesk] ${message}`);

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  // next-auth reads these; the secret itself is never logged.
  process.env.NEXTAUTH_SECRET = config.authSecret;
  process.env.NEXTAUTH_URL ??= config.publicUrl;

  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const { db } = database;
  setRuntime({ db, databaseKind: database.kind });
  log(database.kind === 'postgres' ? `database: Postgres (migrations applied)` : `database: embedded PGlite in ${config.dataDir}/db (migrations applied)`);
  if (config.authSecretSource !== 'environment') log(`auth secret: ${config.authSecretSource === 'generated' ? 'generated and kept' : 'read from'} ${config.dataDir}/auth-secret`);
  if (config.seedDemo && (await seedDemoIfEmpty(db))) log('demo organization "Demo Air" created (accounts in the README)');
  const stopSlaEscalation = startSlaEscalation(db, log);

  const app = next({ dev: config.dev, hostname: 'localhost', port: config.port, dir: process.cwd() });
  await app.prepare();
  const handle = app.getRequestHandler();

  const rooms = createAppRoomServer({ db, authSecret: config.authSecret, allowedOrigins: config.allowedOrigins, log });
  const delivery = startNotificationDelivery({ db, smtpUrl: process.env.SMTP_URL, smtpFrom: process.env.SMTP_FROM, log });
  const detection = startLiveDetection({ db, log, onNotificationsQueued: delivery.kick });
  const mentionFetch = startInstagramMentionFetch({ db, graphUrl: config.metaGraphUrl, log });

  const server = createServer((req, res) => {
    if (req.url === '/api/health') {
      db.execute(sql`select 1`).then(
        () => {
          res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
          res.end(JSON.stringify({ status: 'ok', database: database.kind, ...rooms.stats() }));
        },
        () => {
          res.writeHead(503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
          res.end(JSON.stringify({ status: 'unavailable', database: database.kind }));
        },
      );
      return;
    }
    void handle(req, res);
  });
  server.on('upgrade', (req, socket, head) => {
    // Other paths belong to Next (HMR in dev): leave their sockets alone.
    if (rooms.handles(req.url)) void rooms.handleUpgrade(req, socket, head);
  });
  server.keepAliveTimeout = 65_000;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: flushing rooms and closing`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close();
    await rooms.close();
    // Before detection stops, so the last fetched mentions are still counted.
    await mentionFetch.stop();
    await detection.stop();
    await delivery.stop();
    stopSlaEscalation();
    server.closeAllConnections();
    await app.close?.();
    await database.close();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await new Promise<void>((resolve) => server.listen(config.port, config.hostname, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log(`ready on http://localhost:${port} (${config.dev ? 'development' : 'production'})`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DatabaseStartupError) {
    console.error(`[stormdesk] cannot start: ${error.message}`);
  } else {
    console.error('[stormdesk] cannot start:', error);
  }
  process.exit(1);
});
