import type { Db } from '@/db/client';
import { parseMentionBatch } from '@/lib/channels/batch/parse';
import { parseChatMessage } from '@/lib/channels/chat/parse';
import { verifyChatSignature } from '@/lib/channels/chat/verify';
import { authenticateApiKey, ensureSimulatorConnections, findConnectionByWebhookKey, touchApiKey } from '@/lib/channels/connections';
import { parseEmail } from '@/lib/channels/email/parse';
import { readSenderAuthentication, verifyEmailRelaySignature, withSenderVerdict } from '@/lib/channels/email/verify';
import { recordMentionFetches } from '@/lib/channels/meta/mention-fetch';
import { type InstagramMentionToFetch, parseMetaDelivery } from '@/lib/channels/meta/parse';
import { metaSignatureHeader, verifyMetaSignature, verifySubscription } from '@/lib/channels/meta/verify';
import { parsePhoneCall } from '@/lib/channels/phone/parse';
import { verifyPhoneSignature } from '@/lib/channels/phone/verify';
import { stormdeskSignatureHeader } from '@/lib/channels/signature';
import type { Channel, NormalizedMention } from '@/lib/channels/types';
import { parseXWebhook } from '@/lib/channels/x/parse';
import { crcResponse, verifyXSignature, xSignatureHeader } from '@/lib/channels/x/verify';
import type { Ctx } from '@/lib/context';
import { DomainError, exhaustiveSwitchError, invalidInput, notFound } from '@/lib/errors';
import { errorResponse, json } from '@/lib/http';
import { runtime } from '@/lib/runtime';
import { ingestMentions } from '@/lib/signals/ingest';
import { loadListeningSettings } from '@/lib/signals/settings';
import { importPurchases } from '@/lib/signals/purchases';
import { readJsonBody } from '@/lib/channels/validate';

/** Largest webhook body we read; platforms send far less. */
export const maxWebhookBytes = 1024 * 1024;
/** Largest batch API body (5,000 mentions with their raw payloads). */
export const maxBatchBytes = 10 * 1024 * 1024;

/** The webhook endpoints under /api/ingest/<segment>/<key>. */
export const webhookSegments = ['x', 'meta', 'email', 'phone', 'chat'] as const;
export type WebhookSegment = (typeof webhookSegments)[number];

/**
 * Reads the request body once, as bytes, refusing more than `limit` bytes (413) before buffering it all.
 * Signatures are checked on exactly these bytes.
 */
export async function readRawBody(request: Request, limit: number): Promise<Uint8Array> {
  const tooLarge = () => new DomainError('TOO_LARGE', `The body is larger than ${limit.toLocaleString('en-US')} bytes; nothing was stored.`);
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    parts.push(value);
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

function channelsOf(segment: WebhookSegment): Channel[] {
  switch (segment) {
    case 'x':
      return ['x'];
    case 'meta':
      return ['facebook', 'instagram'];
    case 'email':
    case 'phone':
    case 'chat':
      return [segment];
    default:
      return exhaustiveSwitchError(segment);
  }
}

async function connectionFor(db: Db, segment: WebhookSegment, key: string) {
  const connection = await findConnectionByWebhookKey(db, key);
  if (!connection || !channelsOf(segment).includes(connection.channel)) throw notFound('No channel connection has this webhook URL.');
  return connection;
}

/** GET on a webhook: X's CRC challenge or Meta's subscription handshake. */
export async function handleWebhookGet(segment: WebhookSegment, request: Request, key: string, db: Db = runtime().db): Promise<Response> {
  try {
    const connection = await connectionFor(db, segment, key);
    const query = new URL(request.url).searchParams;
    switch (segment) {
      case 'x':
        return json(crcResponse(query.get('crc_token') ?? '', connection.secrets.consumerSecret ?? ''));
      case 'meta': {
        const challenge = verifySubscription({ mode: query.get('hub.mode'), verifyToken: query.get('hub.verify_token'), challenge: query.get('hub.challenge') }, connection.secrets.verifyToken ?? '');
        return new Response(challenge, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } });
      }
      case 'email':
      case 'phone':
      case 'chat':
        return json({ error: 'This endpoint takes signed POST requests only.' }, 405);
      default:
        return exhaustiveSwitchError(segment);
    }
  } catch (error) {
    return errorResponse(error);
  }
}

/** Parses an email and marks its sender verified only when our receiving server (once configured) authenticated the From address. */
async function parseVerifiedEmail(rawBody: Uint8Array, receivingMailServer: string | null): Promise<NormalizedMention> {
  const mention = await parseEmail(rawBody);
  const from = mention.author.email ?? mention.author.externalId;
  return withSenderVerdict(mention, receivingMailServer ? readSenderAuthentication(rawBody, receivingMailServer, from) : null);
}

/**
 * POST on a webhook: find the connection, read the body once, verify its signature on the raw bytes, parse, ingest.
 * Answers `{accepted, duplicates}`, plus `fetching: n` when n id-only Instagram mentions were queued for the Graph API.
 */
export async function handleWebhookPost(segment: WebhookSegment, request: Request, key: string, db: Db = runtime().db): Promise<Response> {
  try {
    const connection = await connectionFor(db, segment, key);
    const rawBody = await readRawBody(request, maxWebhookBytes);
    const header = (name: string) => request.headers.get(name);
    const secret = (name: string) => connection.secrets[name] ?? '';
    let batch: NormalizedMention[];
    let toFetch: InstagramMentionToFetch[] = [];
    switch (segment) {
      case 'x':
        verifyXSignature({ rawBody, signature: header(xSignatureHeader), consumerSecret: secret('consumerSecret') });
        batch = parseXWebhook(rawBody);
        break;
      case 'meta':
        verifyMetaSignature({ rawBody, signature: header(metaSignatureHeader), appSecret: secret('appSecret') });
        ({ mentions: batch, toFetch } = parseMetaDelivery(rawBody));
        break;
      case 'email':
        verifyEmailRelaySignature({ rawBody, signature: header(stormdeskSignatureHeader), secret: secret('sharedSecret') });
        batch = [await parseVerifiedEmail(rawBody, connection.receivingMailServer)];
        break;
      case 'phone':
        verifyPhoneSignature({ rawBody, signature: header(stormdeskSignatureHeader), secret: secret('sharedSecret') });
        batch = [parsePhoneCall(rawBody, { ...(await callingCodeOf(db, connection.organizationId)), trustUnattestedCallerId: connection.trustCallerId })];
        break;
      case 'chat':
        verifyChatSignature({ rawBody, signature: header(stormdeskSignatureHeader), secret: secret('sharedSecret') });
        batch = [parseChatMessage(rawBody)];
        break;
      default:
        return exhaustiveSwitchError(segment);
    }
    // Id-only Instagram mentions are stored as fetches to make before Meta gets its answer (nothing accepted is lost);
    // the fetch worker gets their text from the Graph API. A Meta retry finds them recorded: a duplicate.
    const queued = toFetch.length > 0 ? await recordMentionFetches(db, { organizationId: connection.organizationId, connectionId: connection.id, fetches: toFetch }) : { recorded: 0, known: 0 };
    const ctx: Ctx = { db, organizationId: connection.organizationId, actor: { type: 'system', reason: `webhook:${connection.channel}` } };
    const result = await ingestMentions({ ctx, input: { mentions: batch, connectionId: connection.id } });
    return json({ accepted: result.accepted, duplicates: result.duplicates + queued.known, ...(queued.recorded > 0 && { fetching: queued.recorded }) });
  } catch (error) {
    return errorResponse(error);
  }
}

/** The organization's country calling code, for national phone numbers (settings, cached). */
async function callingCodeOf(db: Db, organizationId: string): Promise<{ defaultCallingCode?: string }> {
  const { defaultCallingCode } = await loadListeningSettings(db, organizationId);
  return defaultCallingCode ? { defaultCallingCode } : {};
}

async function apiKeyCtx(db: Db, request: Request): Promise<Ctx & { actor: { type: 'api-key'; keyId: string } }> {
  const key = await authenticateApiKey(db, request.headers.get('authorization'));
  if (!key) throw new DomainError('UNAUTHENTICATED', 'Send a valid API key as "Authorization: Bearer <key>" (created by an admin under Channels).');
  return { db, organizationId: key.organizationId, actor: { type: 'api-key', keyId: key.keyId } };
}

/** POST /api/ingest/batch: a JSON array of mentions of any channel, with an organization's API key. All or nothing. */
export async function handleBatchPost(request: Request, db: Db = runtime().db): Promise<Response> {
  try {
    const ctx = await apiKeyCtx(db, request);
    const rawBody = await readRawBody(request, maxBatchBytes);
    if (rawBody.byteLength === 0) throw invalidInput('The body is empty: expected a JSON array of mentions.');
    const batch = parseMentionBatch(rawBody, await callingCodeOf(db, ctx.organizationId));
    const result = await ingestMentions({ ctx, input: { mentions: batch } });
    await touchApiKey(db, ctx.actor.keyId);
    return json({ accepted: result.accepted, duplicates: result.duplicates });
  } catch (error) {
    return errorResponse(error);
  }
}

/** POST /api/ingest/simulator: with an API key, ensures the organization's simulator connections and returns what the simulator needs to sign traffic. */
export async function handleSimulatorConnections(request: Request, db: Db = runtime().db): Promise<Response> {
  try {
    const ctx = await apiKeyCtx(db, request);
    return json({ connections: await ensureSimulatorConnections({ ctx }) });
  } catch (error) {
    return errorResponse(error);
  }
}

/** POST /api/ingest/purchases: a JSON array of purchases (see PurchaseRecord) with an API key; all or nothing. */
export async function handlePurchasesPost(request: Request, db: Db = runtime().db): Promise<Response> {
  try {
    const ctx = await apiKeyCtx(db, request);
    const rawBody = await readRawBody(request, maxBatchBytes);
    const body = readJsonBody(rawBody, 'Purchases');
    if (!Array.isArray(body)) throw invalidInput('Purchases are invalid: expected a JSON array.');
    const result = await importPurchases({ ctx, input: { purchases: body } });
    await touchApiKey(db, ctx.actor.keyId);
    return json(result);
  } catch (error) {
    return errorResponse(error);
  }
}
