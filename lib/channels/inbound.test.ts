import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as batchRoute from '@/app/api/ingest/batch/route';
import * as chatRoute from '@/app/api/ingest/chat/[key]/route';
import * as emailRoute from '@/app/api/ingest/email/[key]/route';
import * as metaRoute from '@/app/api/ingest/meta/[key]/route';
import * as phoneRoute from '@/app/api/ingest/phone/[key]/route';
import * as purchasesRoute from '@/app/api/ingest/purchases/route';
import * as simulatorRoute from '@/app/api/ingest/simulator/route';
import * as xRoute from '@/app/api/ingest/x/[key]/route';
import type { DatabaseHandle } from '@/db/client';
import { auditLog, customerIdentities, customers, mentions } from '@/db/schema';
import { createTestDatabase } from '@/db/testing';
import { createApiKey, createConnection, ensureSimulatorConnections, type SimulatorConnection, updateConnection } from '@/lib/channels/connections';
import { signStormdeskBody } from '@/lib/channels/signature';
import { buildDelivery, type Delivery, type SimulatedMessage } from '@/lib/channels/simulate';
import type { Channel } from '@/lib/channels/types';
import { setRuntime } from '@/lib/runtime';
import { updateListeningSettings } from '@/lib/signals/settings';
import { type TestOrganization, createTestOrganization } from '@/test/fixtures';

let database: DatabaseHandle;
let org: TestOrganization;
let sim: Record<Channel, SimulatorConnection>;
let apiKey: string;

const origin = 'http://stormdesk.test';
const params = (path: string) => ({ params: Promise.resolve({ key: path.split('/').pop()! }) });
const routeOf = (path: string) => {
  const segment = path.split('/')[3];
  return { x: xRoute, meta: metaRoute, email: emailRoute, phone: phoneRoute, chat: chatRoute }[segment as 'x'];
};

function send(delivery: Delivery, tamper: Partial<Delivery> = {}): Promise<Response> {
  const d = { ...delivery, ...tamper };
  return routeOf(d.path).POST(new Request(origin + d.path, { method: 'POST', headers: d.headers, body: d.body }), params(d.path));
}

async function storedCount(externalIdLike?: string): Promise<number> {
  const [row] = await database.db
    .select({ n: count() })
    .from(mentions)
    .where(and(eq(mentions.organizationId, org.id), ...(externalIdLike ? [eq(mentions.externalId, externalIdLike)] : [])));
  return Number(row?.n ?? 0);
}

const at = new Date('2026-03-05T09:00:00Z');
const message = (channel: Channel, id: string, text = 'My bag is lost and nobody answers. Refund! 😡', extra: Partial<SimulatedMessage> = {}): SimulatedMessage => ({
  channel,
  id,
  text,
  at,
  author: { id: `author-${id}`, handle: `author_${id.replace(/\W/g, '')}`.slice(0, 15), name: 'Ana Pérez', email: `ana.${id.replace(/\W/g, '')}@example.com`, phone: '+34600111222', followers: 420 },
  ...extra,
});

beforeAll(async () => {
  database = await createTestDatabase();
  setRuntime({ db: database.db, databaseKind: database.kind });
  org = await createTestOrganization(database.db, 'inbound');
  const connections = await ensureSimulatorConnections({ ctx: org.as('admin') });
  sim = Object.fromEntries(connections.map((c) => [c.channel, c])) as Record<Channel, SimulatorConnection>;
  apiKey = (await createApiKey({ ctx: org.as('admin'), input: { name: 'listening tool' } })).key;
});
afterAll(() => database.close());

describe('webhooks: every channel through its own protocol', () => {
  it.each(['x', 'facebook', 'instagram', 'email', 'phone', 'chat'] as const)('%s: a signed delivery is stored once, even when delivered twice', async (channel) => {
    const delivery = buildDelivery(message(channel, `dup-${channel}`), sim[channel]);
    const first = await send(delivery);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ accepted: 1, duplicates: 0 });
    const again = await send(delivery);
    expect(await again.json()).toEqual({ accepted: 0, duplicates: 1 });
    const [row] = await database.db.select().from(mentions).where(and(eq(mentions.organizationId, org.id), eq(mentions.channel, channel)));
    expect(row).toMatchObject({ category: 'complaint' });
    expect(row!.raw).toBeTruthy();
  });

  it.each(['x', 'facebook', 'email', 'phone', 'chat'] as const)('%s: a forged or missing signature is refused with 401 and nothing is stored', async (channel) => {
    const before = await storedCount();
    const delivery = buildDelivery(message(channel, `forged-${channel}`), sim[channel]);
    const forged = await send(delivery, { body: delivery.body.replace('Refund', 'Refunds') });
    expect(forged.status).toBe(401);
    expect((await forged.json()).error).toMatch(/signature rejected/i);
    const headers = Object.fromEntries(Object.entries(delivery.headers).filter(([name]) => name === 'content-type'));
    const unsigned = await send(delivery, { headers });
    expect(unsigned.status).toBe(401);
    expect((await unsigned.json()).error).toMatch(/header is missing/);
    expect(await storedCount()).toBe(before);
  });

  it('a malformed but signed body gets 400 saying what is wrong', async () => {
    const bad = buildDelivery(message('x', 'bad-x'), sim.x);
    const body = bad.body.replace(/"created_at":"[^"]+"/, '"created_at":"yesterday"');
    const signed = buildDelivery(message('x', 'bad-x'), { ...sim.x });
    const { hmacSha256 } = await import('@/lib/channels/signature');
    const response = await send(signed, { body, headers: { ...signed.headers, 'x-twitter-webhooks-signature': `sha256=${hmacSha256(sim.x.secrets.consumerSecret!, body).toString('base64')}` } });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/tweet_create_events\[0\]\.created_at: expected a date like/);

    const phone = buildDelivery(message('phone', 'bad-phone'), sim.phone);
    const notJson = '{"callId": "c1", ';
    const { signStormdeskBody } = await import('@/lib/channels/signature');
    const r2 = await send(phone, { body: notJson, headers: { ...phone.headers, 'x-stormdesk-signature': signStormdeskBody(notJson, sim.phone.secrets.sharedSecret!) } });
    expect(r2.status).toBe(400);
    expect((await r2.json()).error).toMatch(/not valid JSON/);
  });

  it('an oversized body gets 413 before it is read in full', async () => {
    const delivery = buildDelivery(message('chat', 'huge', 'x'.repeat(1_100_000)), sim.chat);
    const response = await send(delivery);
    expect(response.status).toBe(413);
    expect((await response.json()).error).toMatch(/larger than 1,048,576 bytes/);
  });

  it('an unknown webhook key gets 404, and so does a key used on another channel’s endpoint', async () => {
    const delivery = buildDelivery(message('x', 'unknown'), sim.x);
    const unknown = await xRoute.POST(new Request(`${origin}/api/ingest/x/nope-nope-nope`, { method: 'POST', headers: delivery.headers, body: delivery.body }), { params: Promise.resolve({ key: 'nope-nope-nope' }) });
    expect(unknown.status).toBe(404);
    const chatKey = sim.chat.webhookPath.split('/').pop()!;
    const crossed = await xRoute.POST(new Request(`${origin}/api/ingest/x/${chatKey}`, { method: 'POST', headers: delivery.headers, body: delivery.body }), { params: Promise.resolve({ key: chatKey }) });
    expect(crossed.status).toBe(404);
  });

  it('X: answers the CRC challenge with the HMAC of the token', async () => {
    const path = sim.x.webhookPath;
    const response = await xRoute.GET(new Request(`${origin}${path}?crc_token=challenge123`), params(path));
    expect(response.status).toBe(200);
    const { createHmac } = await import('node:crypto');
    expect(await response.json()).toEqual({ response_token: `sha256=${createHmac('sha256', sim.x.secrets.consumerSecret!).update('challenge123').digest('base64')}` });
  });

  it('Meta: echoes hub.challenge for the right verify token, 403 for a wrong one', async () => {
    const path = sim.facebook.webhookPath;
    const ok = await metaRoute.GET(new Request(`${origin}${path}?hub.mode=subscribe&hub.verify_token=${sim.facebook.secrets.verifyToken}&hub.challenge=42`), params(path));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('42');
    const wrong = await metaRoute.GET(new Request(`${origin}${path}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=42`), params(path));
    expect(wrong.status).toBe(403);
  });

  it('keeps emoji, right-to-left text and markup as inert data', async () => {
    const text = 'حقيبتي ضاعت 😡 <img src=x onerror=alert(1)> <b>help</b> שלום';
    const response = await send(buildDelivery(message('chat', 'rtl-1', text), sim.chat));
    expect(response.status).toBe(200);
    const [row] = await database.db.select().from(mentions).where(eq(mentions.externalId, 'session-author-rtl-1/rtl-1'));
    expect(row!.text).toBe(text);
  });

  it('a connection created by an admin gets generated secrets once and receives signed deliveries', async () => {
    const { connection, generatedSecrets } = await createConnection({ ctx: org.as('admin'), input: { channel: 'chat', name: 'Website chat' } });
    expect(generatedSecrets.sharedSecret).toMatch(/^[\w-]{20,}$/);
    expect(connection).not.toHaveProperty('secrets');
    expect(connection.secretsSet).toEqual({ sharedSecret: true });
    const delivery = buildDelivery(message('chat', 'site-1'), { channel: 'chat', webhookPath: connection.webhookPath, externalAccountId: 'site', secrets: generatedSecrets });
    expect((await send(delivery)).status).toBe(200);
  });
});

describe('email: the sender is verified by our receiving server before it links to a customer', () => {
  const lucia = { id: 'lucia', name: 'Lucía Fernández', email: 'lucia.fernandez@gmail.example' };
  const email = (id: string, extra: Partial<SimulatedMessage> = {}): SimulatedMessage => ({ channel: 'email', id, text: 'Maleta perdida\nMi maleta no llegó, quiero un reembolso.', at, author: lucia, ...extra });
  const mentionOf = async (id: string) => (await database.db.select().from(mentions).where(and(eq(mentions.organizationId, org.id), eq(mentions.externalId, `<${id}@simulator.stormdesk.example>`))))[0]!;

  it('a forged From arrives but stays out of the real customer’s history; a verified one joins it', async () => {
    expect((await send(buildDelivery(email('auth-real-1'), sim.email))).status).toBe(200);
    const real = await mentionOf('auth-real-1');
    expect(real.authorExternalId).toBe('lucia.fernandez@gmail.example');

    const forged = await send(buildDelivery(email('auth-forged-1', { text: 'Cambio de cuenta\nEnvíen el reembolso a esta otra cuenta.', forgedFrom: true }), sim.email));
    expect(forged.status).toBe(200);
    expect(await forged.json()).toEqual({ accepted: 1, duplicates: 0 });
    const impostor = await mentionOf('auth-forged-1');
    expect(impostor.authorExternalId).toBe('unverified:lucia.fernandez@gmail.example');
    expect(impostor.customerId).not.toBe(real.customerId);
    expect(impostor.ticketId).not.toBe(real.ticketId);
    const keys = await database.db.select({ key: customerIdentities.key }).from(customerIdentities).where(eq(customerIdentities.customerId, impostor.customerId!));
    expect(keys.map((k) => k.key)).toEqual(['unverified:lucia.fernandez@gmail.example']);

    expect((await send(buildDelivery(email('auth-real-2'), sim.email))).status).toBe(200);
    expect((await mentionOf('auth-real-2')).customerId).toBe(real.customerId);
  });

  it('a chat visitor typing a customer’s address stays apart unless the site vouches for it', async () => {
    expect((await send(buildDelivery(email('chat-owner-1'), sim.email))).status).toBe(200);
    const owner = await mentionOf('chat-owner-1');
    const chat = (id: string, vouched: boolean): SimulatedMessage => ({ channel: 'chat', id, text: 'Please send my refund to this new card', at, author: lucia, forgedFrom: !vouched });
    const chatOf = async (id: string) => (await database.db.select().from(mentions).where(and(eq(mentions.organizationId, org.id), eq(mentions.externalId, `session-lucia/${id}`))))[0]!;

    expect((await send(buildDelivery(chat('claim-1', false), sim.chat))).status).toBe(200);
    const claim = await chatOf('claim-1');
    expect(claim.customerId).not.toBe(owner.customerId);
    expect(claim.authorExternalId).toBe('unverified:lucia.fernandez@gmail.example');
    expect((await send(buildDelivery(chat('vouched-1', true), sim.chat))).status).toBe(200);
    expect((await chatOf('vouched-1')).customerId).toBe(owner.customerId);
  });

  it('verifies no sender of a connection until its receiving mail server is set', async () => {
    const { connection, generatedSecrets } = await createConnection({ ctx: org.as('admin'), input: { channel: 'email', name: 'care@ inbox' } });
    expect(connection.receivingMailServer).toBeNull();
    const target = { channel: 'email' as const, webhookPath: connection.webhookPath, externalAccountId: 'care', secrets: generatedSecrets };
    expect((await send(buildDelivery(email('auth-unset-1'), target))).status).toBe(200);
    expect((await mentionOf('auth-unset-1')).authorExternalId).toBe('unverified:lucia.fernandez@gmail.example');

    await updateConnection({ ctx: org.as('admin'), input: { connectionId: connection.id, receivingMailServer: 'MX.Simulator.Stormdesk.Example' } });
    expect((await send(buildDelivery(email('auth-set-1'), target))).status).toBe(200);
    expect((await mentionOf('auth-set-1')).authorExternalId).toBe('lucia.fernandez@gmail.example');
    await expect(updateConnection({ ctx: org.as('admin'), input: { connectionId: connection.id, receivingMailServer: 'not a host; dmarc=pass' } })).rejects.toThrow(/host name/);
  });
});

describe('phone: a caller id links to its customer only when attested, or when the connection trusts unattested ones', () => {
  const mentionOf = async (callId: string) => (await database.db.select().from(mentions).where(and(eq(mentions.organizationId, org.id), eq(mentions.externalId, callId))))[0]!;
  const keysOf = async (customerId: string) => (await database.db.select({ key: customerIdentities.key }).from(customerIdentities).where(eq(customerIdentities.customerId, customerId))).map((k) => k.key);

  it('the simulator attests its callers; a spoofed caller id arrives but stays out of the real customer’s history', async () => {
    const daniel = { id: 'daniel', name: 'Daniel Okafor', phone: '+1 312 555 0187' };
    const call = (id: string, text: string, extra: Partial<SimulatedMessage> = {}): SimulatedMessage => ({ channel: 'phone', id, text, at, author: daniel, ...extra });
    expect(JSON.parse(buildDelivery(call('sim-call-1', 'x'), sim.phone).body)).toMatchObject({ callerVerification: 'TN-Validation-Passed-A' });

    expect((await send(buildDelivery(call('sim-call-1', 'Flight DA 90 cancelled, asks when the refund arrives.'), sim.phone))).status).toBe(200);
    const real = await mentionOf('sim-call-1');
    expect(real.authorExternalId).toBe('+13125550187');

    const spoofed = await send(buildDelivery(call('sim-spoof-1', 'Wants the refund sent to a new card today. Urgent!', { forgedFrom: true }), sim.phone));
    expect(await spoofed.json()).toEqual({ accepted: 1, duplicates: 0 });
    const impostor = await mentionOf('sim-spoof-1');
    expect((impostor.raw as { callerVerification: string }).callerVerification).toBe('TN-Validation-Passed-C');
    expect(impostor.authorExternalId).toBe('unverified:phone:+13125550187');
    expect(impostor.customerId).not.toBe(real.customerId);
    expect(impostor.ticketId).not.toBe(real.ticketId);
    expect(await keysOf(impostor.customerId!)).toEqual(['unverified:phone:+13125550187']);
    expect(await keysOf(real.customerId!)).toEqual(['phone:+13125550187']);

    expect((await send(buildDelivery(call('sim-call-2', 'Calls back about the refund.'), sim.phone))).status).toBe(200);
    expect((await mentionOf('sim-call-2')).customerId).toBe(real.customerId);
  });

  it('a new connection keeps unattested callers apart until the admin trusts its caller ids; failed attestations never link', async () => {
    const { connection, generatedSecrets } = await createConnection({ ctx: org.as('admin'), input: { channel: 'phone', name: 'Madrid contact centre' } });
    expect(connection.trustCallerId).toBe(false);
    const post = (record: object) => {
      const body = JSON.stringify(record);
      const headers = { 'content-type': 'application/json', 'x-stormdesk-signature': signStormdeskBody(body, generatedSecrets.sharedSecret!) };
      return phoneRoute.POST(new Request(origin + connection.webhookPath, { method: 'POST', headers, body }), params(connection.webhookPath));
    };
    // A Spanish PBX: no STIR/SHAKEN on these calls, so no callerVerification in its records.
    const record = (callId: string, extra: object = {}) => ({ callId, direction: 'inbound', from: '+34 600 11 22 33', to: '+34 910 000 000', startedAt: '2026-03-05T10:31:07Z', durationSeconds: 412, callerName: 'Lucía Fernández', agentSummary: 'Lost bag on DA 3456, wants her expenses refunded.', ...extra });

    // We called her back: the number we dialled is hers.
    expect((await post(record('pbx-out-1', { direction: 'outbound', from: '+34 910 000 000', to: '+34 600 11 22 33' }))).status).toBe(200);
    const owner = await mentionOf('pbx-out-1');
    expect(owner.authorExternalId).toBe('+34600112233');

    expect((await post(record('pbx-in-1'))).status).toBe(200);
    const unattested = await mentionOf('pbx-in-1');
    expect(unattested.authorExternalId).toBe('unverified:phone:+34600112233');
    expect(unattested.customerId).not.toBe(owner.customerId);

    const trusting = await updateConnection({ ctx: org.as('admin'), input: { connectionId: connection.id, trustCallerId: true } });
    expect(trusting.trustCallerId).toBe(true);
    const [audit] = await database.db.select().from(auditLog).where(and(eq(auditLog.organizationId, org.id), eq(auditLog.action, 'connection.update'), eq(auditLog.subject, connection.id)));
    expect(audit!.data).toMatchObject({ trustCallerId: true });
    expect((await post(record('pbx-in-2'))).status).toBe(200);
    expect((await mentionOf('pbx-in-2')).customerId).toBe(owner.customerId);
    expect((await post(record('pbx-in-3', { callerVerification: 'No-TN-Validation' }))).status).toBe(200);
    expect((await mentionOf('pbx-in-3')).customerId).toBe(owner.customerId);
    // A signature that failed, or a gateway's attestation, says more than silence: never trusted.
    expect((await post(record('pbx-in-4', { callerVerification: 'TN-Validation-Failed' }))).status).toBe(200);
    expect((await mentionOf('pbx-in-4')).authorExternalId).toBe('unverified:phone:+34600112233');

    // Saving the form without the setting keeps it; only a phone connection can trust caller ids.
    expect((await updateConnection({ ctx: org.as('admin'), input: { connectionId: connection.id, enabled: true } })).trustCallerId).toBe(true);
    expect((await createConnection({ ctx: org.as('admin'), input: { channel: 'chat', name: 'Chat', trustCallerId: true } })).connection.trustCallerId).toBe(false);
  });

  it('refuses a call record with a malformed verification result with 400, storing nothing', async () => {
    const before = await storedCount();
    const delivery = buildDelivery({ channel: 'phone', id: 'bad-verstat', text: 'Bag lost', at, author: { id: 'x', phone: '+13125550187' } }, sim.phone);
    const body = delivery.body.replace('"TN-Validation-Passed-A"', '"verified"');
    const response = await send(delivery, { body, headers: { ...delivery.headers, 'x-stormdesk-signature': signStormdeskBody(body, sim.phone.secrets.sharedSecret!) } });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/^Call record is invalid: callerVerification: expected the caller id's STIR\/SHAKEN result .*TN-Validation-Passed-A/);
    expect(await storedCount()).toBe(before);
  });
});

describe('national phone numbers are read in the organization’s home country calling code', () => {
  it('refuses a national caller id until the code is set; then calls, purchases and the batch API meet on one customer', async () => {
    const spain = await createTestOrganization(database.db, 'national-numbers');
    const { connection, generatedSecrets } = await createConnection({ ctx: spain.as('admin'), input: { channel: 'phone', name: 'Madrid PBX', trustCallerId: true } });
    const key = (await createApiKey({ ctx: spain.as('admin'), input: { name: 'CRM' } })).key;
    const authorization = `Bearer ${key}`;
    // A PBX that writes numbers as the country dials them.
    const call = (callId: string) => {
      const body = JSON.stringify({ callId, direction: 'inbound', from: '600 11 22 33', to: '910 000 000', startedAt: '2026-03-05T10:31:07Z', durationSeconds: 95, agentSummary: 'Lost bag on DA 3456, wants a refund.' });
      const headers = { 'content-type': 'application/json', 'x-stormdesk-signature': signStormdeskBody(body, generatedSecrets.sharedSecret!) };
      return phoneRoute.POST(new Request(origin + connection.webhookPath, { method: 'POST', headers, body }), params(connection.webhookPath));
    };
    const ofSpain = (externalId: string) => database.db.select().from(mentions).where(and(eq(mentions.organizationId, spain.id), eq(mentions.externalId, externalId)));

    const refused = await call('national-1');
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatch(/from: "600 11 22 33" is not a phone number .* needs the home country calling code under Settings/);
    expect(await ofSpain('national-1')).toEqual([]);

    await expect(updateListeningSettings({ ctx: spain.as('admin'), input: { defaultCallingCode: '034' } })).rejects.toThrow(/1 to 3 digits/);
    expect((await updateListeningSettings({ ctx: spain.as('admin'), input: { defaultCallingCode: '+34' } })).defaultCallingCode).toBe('34');
    const [audit] = await database.db.select().from(auditLog).where(and(eq(auditLog.organizationId, spain.id), eq(auditLog.action, 'settings.update')));
    expect(audit!.data).toMatchObject({ defaultCallingCode: '34' });

    expect((await call('national-1')).status).toBe(200);
    const [caller] = await ofSpain('national-1');
    expect(caller!.authorExternalId).toBe('+34600112233');

    // The CRM knows her by the same national number: her purchase counts for the caller.
    const purchases = await purchasesRoute.POST(
      new Request(`${origin}/api/ingest/purchases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify([{ customerPhone: '600 112 233', customerName: 'Lucía Fernández', externalId: 'order-77', amount: '840.00', currency: 'EUR', purchasedAt: '2026-02-01T12:00:00Z' }]),
      }),
    );
    expect(await purchases.json()).toMatchObject({ imported: 1, customersUpdated: 1 });
    const [customer] = await database.db.select().from(customers).where(eq(customers.id, caller!.customerId));
    expect(customer!.lifetimeValueCents).toBe(84_000);

    // A listening tool's mention with the number as she typed it joins her too.
    const batch = await batchRoute.POST(
      new Request(`${origin}/api/ingest/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify([{ channel: 'facebook', externalId: 'fb-national-1', text: 'Still no bag, still no refund', occurredAt: '2026-03-05T11:00:00Z', author: { externalId: 'fb-4411', phone: '600112233' } }]),
      }),
    );
    expect(await batch.json()).toEqual({ accepted: 1, duplicates: 0 });
    expect((await ofSpain('fb-national-1'))[0]!.customerId).toBe(caller!.customerId);

    // Cleared, national numbers are refused again.
    expect((await updateListeningSettings({ ctx: spain.as('admin'), input: { defaultCallingCode: null } })).defaultCallingCode).toBeNull();
    expect((await call('national-2')).status).toBe(400);
  });
});

describe('batch API', () => {
  const post = (body: string, authorization?: string) =>
    batchRoute.POST(new Request(`${origin}/api/ingest/batch`, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization && { authorization }) }, body }));
  const item = (i: number, extra: object = {}) => ({ channel: 'x', externalId: `batch-${i}`, text: `Refund my ticket ${i} please`, occurredAt: '2026-03-05T10:00:00Z', author: { handle: `fan${i}` }, ...extra });

  it('refuses a missing or unknown key with 401', async () => {
    expect((await post('[]')).status).toBe(401);
    expect((await post('[]', 'Bearer sdk_wrong')).status).toBe(401);
  });

  it('stores a valid batch and reports duplicates on a repeat', async () => {
    const body = JSON.stringify([item(1), item(2), item(3)]);
    const first = await post(body, `Bearer ${apiKey}`);
    expect(await first.json()).toEqual({ accepted: 3, duplicates: 0 });
    const second = await post(body, `Bearer ${apiKey}`);
    expect(await second.json()).toEqual({ accepted: 0, duplicates: 3 });
  });

  it('rejects the whole batch, naming every bad item, when one is invalid', async () => {
    const before = await storedCount();
    const response = await post(JSON.stringify([item(10), item(11, { occurredAt: 'tomorrow' }), item(12, { author: {} })]), `Bearer ${apiKey}`);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error).toMatch(/nothing was stored: 2 of 3 items are invalid/);
    expect(body.error).toMatch(/\[1\]\.occurredAt/);
    expect(await storedCount()).toBe(before);
  });

  it('refuses more than 10 MB with 413', async () => {
    const response = await post(JSON.stringify([item(20, { text: 'x'.repeat(11 * 1024 * 1024) })]), `Bearer ${apiKey}`);
    expect(response.status).toBe(413);
  });

  it('gives the simulator its connections for an API key', async () => {
    const response = await simulatorRoute.POST(new Request(`${origin}/api/ingest/simulator`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}` } }));
    const body = await response.json();
    expect(body.connections.map((c: SimulatorConnection) => c.channel)).toEqual(['x', 'facebook', 'instagram', 'email', 'phone', 'chat']);
    expect(body.connections[0].webhookPath).toBe(sim.x.webhookPath);
  });
});
