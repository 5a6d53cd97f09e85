import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { apiKeys, auditLog, channelConnections } from '@/db/schema';
import { assertCan } from '@/lib/auth/permissions';
import { requeueFailedMentionFetches } from '@/lib/channels/meta/mention-fetch';
import { simulatorMailServer } from '@/lib/channels/simulate';
import { Channel, channels } from '@/lib/channels/types';
import { type Ctx, actorLabel, inTransaction } from '@/lib/context';
import { DomainError, exhaustiveSwitchError, forbidden, notFound } from '@/lib/errors';
import { publish } from '@/lib/events';
import { parseInput } from '@/lib/validation';

const metaSecretFields = [
  { name: 'appSecret', label: 'App secret of the Meta app', generated: false },
  { name: 'verifyToken', label: 'Verify token (typed into Meta’s webhook setup)', generated: true },
];

/** The secrets a channel's connection needs, by name, with what an admin sees next to the write-only field. */
export function secretFieldsOf(channel: Channel): { name: string; label: string; generated: boolean }[] {
  switch (channel) {
    case 'x':
      return [{ name: 'consumerSecret', label: 'Consumer secret (API key secret) of the X app', generated: false }];
    case 'facebook':
      return metaSecretFields;
    case 'instagram':
      return [
        ...metaSecretFields,
        // Meta's `mentions` webhook carries ids only: the text and author are fetched from the Graph API with this token.
        { name: 'accessToken', label: 'Access token (Page or user token with instagram_basic, instagram_manage_comments) to fetch mentions', generated: false },
      ];
    case 'email':
      return [{ name: 'sharedSecret', label: 'Signing secret of the mail relay', generated: true }];
    case 'phone':
      return [{ name: 'sharedSecret', label: 'Signing secret of the telephony system', generated: true }];
    case 'chat':
      return [{ name: 'sharedSecret', label: 'Signing secret of the chat widget backend', generated: true }];
    default:
      return exhaustiveSwitchError(channel);
  }
}

/** The path segment of a channel's webhook: Facebook and Instagram share Meta's. */
export function webhookSegmentOf(channel: Channel): 'x' | 'meta' | 'email' | 'phone' | 'chat' {
  switch (channel) {
    case 'x':
      return 'x';
    case 'facebook':
    case 'instagram':
      return 'meta';
    case 'email':
    case 'phone':
    case 'chat':
      return channel;
    default:
      return exhaustiveSwitchError(channel);
  }
}

/** The webhook URL a platform is given for a connection. */
export function webhookPathOf(channel: Channel, webhookKey: string): string {
  return `/api/ingest/${webhookSegmentOf(channel)}/${webhookKey}`;
}

const newSecret = () => randomBytes(24).toString('base64url');

/** A connection as pages see it: which secrets are set, never their values. */
export interface ConnectionView {
  id: string;
  channel: Channel;
  name: string;
  webhookKey: string;
  webhookPath: string;
  externalAccountId: string | null;
  enabled: boolean;
  secretsSet: Record<string, boolean>;
  /** Email only: the authserv-id whose Authentication-Results are trusted; null means no sender is verified. */
  receivingMailServer: string | null;
  /** Phone only (false elsewhere): inbound caller ids that no STIR/SHAKEN attestation proves are taken as the customer's. */
  trustCallerId: boolean;
  createdAt: Date;
}

function viewOf(row: typeof channelConnections.$inferSelect): ConnectionView {
  return {
    id: row.id,
    channel: row.channel,
    name: row.name,
    webhookKey: row.webhookKey,
    webhookPath: webhookPathOf(row.channel, row.webhookKey),
    externalAccountId: row.externalAccountId,
    enabled: row.enabled,
    secretsSet: Object.fromEntries(secretFieldsOf(row.channel).map((f) => [f.name, Boolean(row.secrets[f.name])])),
    receivingMailServer: row.receivingMailServer,
    trustCallerId: row.trustCallerId,
    createdAt: row.createdAt,
  };
}

/** An organization's connections without their secrets, for pages. */
export async function listConnections(db: Db, organizationId: string): Promise<ConnectionView[]> {
  const rows = await db.select().from(channelConnections).where(eq(channelConnections.organizationId, organizationId)).orderBy(channelConnections.createdAt);
  return rows.map(viewOf);
}

function assertAdmin(ctx: Ctx, permission: 'channels.manage' | 'drill.run' = 'channels.manage'): void {
  if (ctx.actor.type !== 'member') throw forbidden('Only a signed-in admin can manage channel connections.');
  assertCan(ctx.actor.role, permission);
}

const SecretValue = z.string().trim().max(500);

/** An authserv-id as mail servers write it: a host name ("mx.stormdesk.example"); empty leaves it unset. */
const ReceivingMailServer = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .refine((v) => v === '' || /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(v), 'Write the receiving mail server as a host name, e.g. mx.example.com (the first word of its Authentication-Results header).');

/** Only email connections have a receiving mail server. */
function receivingMailServerFor(channel: Channel, value: string | undefined): string | null {
  return channel === 'email' && value ? value : null;
}

/** Only phone connections trust caller ids; a new one does not unless the admin says so (a caller id can be spoofed). */
function trustCallerIdFor(channel: Channel, value: boolean | undefined): boolean {
  return channel === 'phone' && value === true;
}

export const CreateConnectionInput = z.object({
  channel: Channel,
  name: z.string().trim().min(1, 'Name the connection (e.g. “@DemoAir on X”).').max(120),
  externalAccountId: z.string().trim().max(200).optional(),
  /** Pasted secrets; empty ones that Stormdesk can generate are generated and shown once. */
  secrets: z.record(z.string(), SecretValue).default({}),
  receivingMailServer: ReceivingMailServer.optional(),
  /** Phone only: take inbound caller ids without STIR/SHAKEN attestation as the customer's. Default false. */
  trustCallerId: z.boolean().optional(),
});
export type CreateConnectionInput = z.input<typeof CreateConnectionInput>;

/**
 * Creates a connection with an unguessable webhook key. Secrets the admin pasted are stored; shared secrets and
 * verify tokens left empty are generated and returned this once (the platform side needs them), never again.
 */
export async function createConnection({ ctx, input }: { ctx: Ctx; input: CreateConnectionInput }): Promise<{ connection: ConnectionView; generatedSecrets: Record<string, string> }> {
  assertAdmin(ctx);
  const data = parseInput(CreateConnectionInput, input);
  const fields = secretFieldsOf(data.channel);
  const secrets: Record<string, string> = {};
  const generatedSecrets: Record<string, string> = {};
  for (const field of fields) {
    const pasted = data.secrets[field.name]?.trim();
    if (pasted) secrets[field.name] = pasted;
    else if (field.generated) secrets[field.name] = generatedSecrets[field.name] = newSecret();
  }
  const row = await inTransaction(ctx, async ({ db }) => {
    const [created] = await db
      .insert(channelConnections)
      .values({
        organizationId: ctx.organizationId,
        channel: data.channel,
        name: data.name,
        webhookKey: randomBytes(18).toString('base64url'),
        externalAccountId: data.externalAccountId || null,
        secrets,
        receivingMailServer: receivingMailServerFor(data.channel, data.receivingMailServer),
        trustCallerId: trustCallerIdFor(data.channel, data.trustCallerId),
      })
      .returning();
    await db.insert(auditLog).values({ organizationId: ctx.organizationId, actor: actorLabel(ctx.actor), action: 'connection.create', subject: created!.id, data: { channel: data.channel, name: data.name, ...(created!.trustCallerId && { trustCallerId: true }) } });
    return created!;
  });
  return { connection: viewOf(row), generatedSecrets };
}

export const UpdateConnectionInput = z.object({
  connectionId: z.string().uuid(),
  /** Only non-empty values replace a stored secret: the form never shows the old ones. */
  secrets: z.record(z.string(), SecretValue).default({}),
  enabled: z.boolean().optional(),
  /** Email only; an empty value unsets it (then no sender is verified). Absent keeps the stored one. */
  receivingMailServer: ReceivingMailServer.optional(),
  /** Phone only; absent keeps the stored setting. */
  trustCallerId: z.boolean().optional(),
});
export type UpdateConnectionInput = z.input<typeof UpdateConnectionInput>;

/**
 * Replaces secrets (write-only), sets an email connection's receiving mail server or whether a phone connection trusts
 * unattested caller ids, and switches a connection on or off.
 */
export async function updateConnection({ ctx, input }: { ctx: Ctx; input: UpdateConnectionInput }): Promise<ConnectionView> {
  assertAdmin(ctx);
  const data = parseInput(UpdateConnectionInput, input);
  const { view, requeued } = await inTransaction(ctx, async ({ db }) => {
    const [row] = await db.select().from(channelConnections).where(and(eq(channelConnections.organizationId, ctx.organizationId), eq(channelConnections.id, data.connectionId)));
    if (!row) throw notFound('No such connection in your organization.');
    const allowed = new Set(secretFieldsOf(row.channel).map((f) => f.name));
    const replaced = Object.entries(data.secrets).filter(([name, value]) => allowed.has(name) && value.trim() !== '');
    const secrets = { ...row.secrets, ...Object.fromEntries(replaced) };
    const receivingMailServer = data.receivingMailServer === undefined ? row.receivingMailServer : receivingMailServerFor(row.channel, data.receivingMailServer);
    const trustCallerId = data.trustCallerId === undefined ? row.trustCallerId : trustCallerIdFor(row.channel, data.trustCallerId);
    const [updated] = await db
      .update(channelConnections)
      .set({ secrets, receivingMailServer, trustCallerId, ...(data.enabled !== undefined && { enabled: data.enabled }) })
      .where(eq(channelConnections.id, row.id))
      .returning();
    // A new token may fix what failed for want of one (or for an expired one): those mentions are fetched again.
    const requeued = replaced.some(([name]) => name === 'accessToken') ? await requeueFailedMentionFetches(db, ctx.organizationId, row.id) : 0;
    await db.insert(auditLog).values({ organizationId: ctx.organizationId, actor: actorLabel(ctx.actor), action: 'connection.update', subject: row.id, data: { secretsReplaced: replaced.map(([n]) => n), enabled: data.enabled ?? null, receivingMailServer, ...(row.channel === 'phone' && { trustCallerId }), ...(requeued > 0 && { mentionFetchesRequeued: requeued }) } });
    return { view: viewOf(updated!), requeued };
  });
  connectionCache.delete(view.webhookKey);
  if (requeued > 0) publish('mentions.fetchQueued', { organizationId: ctx.organizationId });
  return view;
}

// Webhooks arrive hundreds per second per connection; a secret change reaches other instances within a few seconds.
const connectionCacheMs = 5_000;
const connectionCache = new Map<string, { at: number; row: typeof channelConnections.$inferSelect | null }>();

/** The connection behind a webhook URL, with its secrets, for the inbound route only; null when unknown or switched off. */
export async function findConnectionByWebhookKey(db: Db, key: string): Promise<typeof channelConnections.$inferSelect | null> {
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(key)) return null;
  const hit = connectionCache.get(key);
  if (hit && Date.now() - hit.at < connectionCacheMs) return hit.row;
  const [row] = await db.select().from(channelConnections).where(eq(channelConnections.webhookKey, key));
  const found = row && row.enabled ? row : null;
  // Unknown keys are not cached: a scan of random keys must not grow the map.
  if (found) connectionCache.set(key, { at: Date.now(), row: found });
  return found;
}

/** A simulator connection with its secrets: what a drill needs to sign traffic like the platform would. */
export interface SimulatorConnection {
  channel: Channel;
  webhookPath: string;
  externalAccountId: string;
  secrets: Record<string, string>;
}

const simulatorName = 'Simulator (drills)';

/**
 * Ensures one "Simulator (drills)" connection per channel exists and returns their keys and secrets. These exist only
 * to rehearse: their secrets were generated here and sign nothing real. Admins (drill.run) or an API key may call it.
 */
export async function ensureSimulatorConnections({ ctx }: { ctx: Ctx }): Promise<SimulatorConnection[]> {
  if (ctx.actor.type === 'member') assertAdmin(ctx, 'drill.run');
  else if (ctx.actor.type !== 'api-key' && ctx.actor.type !== 'system') throw forbidden();
  return inTransaction(ctx, async ({ db }) => {
    const existing = await db
      .select()
      .from(channelConnections)
      .where(and(eq(channelConnections.organizationId, ctx.organizationId), eq(channelConnections.name, simulatorName)));
    const byChannel = new Map(existing.map((row) => [row.channel, row]));
    const missing = channels.filter((channel) => !byChannel.has(channel));
    if (missing.length > 0) {
      const created = await db
        .insert(channelConnections)
        .values(
          missing.map((channel) => ({
            organizationId: ctx.organizationId,
            channel,
            name: simulatorName,
            webhookKey: randomBytes(18).toString('base64url'),
            externalAccountId: `sim-${channel}-account`,
            secrets: Object.fromEntries(secretFieldsOf(channel).map((f) => [f.name, newSecret()])),
            receivingMailServer: receivingMailServerFor(channel, simulatorMailServer),
          })),
        )
        .returning();
      for (const row of created) byChannel.set(row.channel, row);
      await db.insert(auditLog).values({ organizationId: ctx.organizationId, actor: actorLabel(ctx.actor), action: 'connection.create', data: { simulator: true, channels: missing } });
    }
    return channels.map((channel) => {
      const row = byChannel.get(channel)!;
      if (!row.enabled) throw new DomainError('CONFLICT', `The simulator connection for ${channel} is switched off; switch it on to run drills.`);
      return { channel, webhookPath: webhookPathOf(channel, row.webhookKey), externalAccountId: row.externalAccountId ?? `sim-${channel}-account`, secrets: row.secrets };
    });
  });
}

/** sha256 of an API key: what is stored and looked up. */
export const hashApiKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

export const CreateApiKeyInput = z.object({ name: z.string().trim().min(1, 'Name the key after what uses it.').max(120) });
export type CreateApiKeyInput = z.input<typeof CreateApiKeyInput>;

/** Creates a batch API key; the key is returned this once, only its hash is stored. */
export async function createApiKey({ ctx, input }: { ctx: Ctx; input: CreateApiKeyInput }): Promise<{ id: string; name: string; prefix: string; key: string }> {
  assertAdmin(ctx);
  const data = parseInput(CreateApiKeyInput, input);
  const key = `sdk_${randomBytes(24).toString('base64url')}`;
  const prefix = key.slice(0, 10);
  return inTransaction(ctx, async ({ db }) => {
    const [row] = await db.insert(apiKeys).values({ organizationId: ctx.organizationId, name: data.name, prefix, keyHash: hashApiKey(key) }).returning({ id: apiKeys.id });
    await db.insert(auditLog).values({ organizationId: ctx.organizationId, actor: actorLabel(ctx.actor), action: 'api_key.create', subject: row!.id, data: { name: data.name, prefix } });
    return { id: row!.id, name: data.name, prefix, key };
  });
}

/** Revokes an API key of the organization. */
export async function revokeApiKey({ ctx, input }: { ctx: Ctx; input: { keyId: string } }): Promise<void> {
  assertAdmin(ctx);
  const data = parseInput(z.object({ keyId: z.string().uuid() }), input);
  await inTransaction(ctx, async ({ db }) => {
    const [row] = await db
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.organizationId, ctx.organizationId), eq(apiKeys.id, data.keyId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    if (!row) throw notFound('No such active key in your organization.');
    await db.insert(auditLog).values({ organizationId: ctx.organizationId, actor: actorLabel(ctx.actor), action: 'api_key.revoke', subject: row.id });
  });
}

/** An organization's API keys (prefix and name only). */
export function listApiKeys(db: Db, organizationId: string) {
  return db
    .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt, lastUsedAt: apiKeys.lastUsedAt, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(eq(apiKeys.organizationId, organizationId))
    .orderBy(apiKeys.createdAt);
}

/** The organization and key behind `Authorization: Bearer <key>`, or null for a missing, unknown or revoked key. */
export async function authenticateApiKey(db: Db, authorization: string | null): Promise<{ organizationId: string; keyId: string } | null> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) return null;
  const [row] = await db
    .select({ id: apiKeys.id, organizationId: apiKeys.organizationId })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hashApiKey(match[1])), isNull(apiKeys.revokedAt)));
  if (!row) return null;
  return { organizationId: row.organizationId, keyId: row.id };
}

/** Records when a key was last used; one row, after the request's work is done. */
export async function touchApiKey(db: Db, keyId: string): Promise<void> {
  await db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, keyId));
}
