import { createHmac } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as metaRoute from '@/app/api/ingest/meta/[key]/route';
import type { DatabaseHandle } from '@/db/client';
import { auditLog, instagramMentionFetches, mentions, tickets } from '@/db/schema';
import { createTestDatabase } from '@/db/testing';
import { createConnection, updateConnection } from '@/lib/channels/connections';
import { graphApiVersion, mentionedCommentFields, mentionedMediaFields } from '@/lib/channels/meta/graph';
import { listMentionFetchBacklog, type MentionFetchWorker, retryMentionFetches, startInstagramMentionFetch } from '@/lib/channels/meta/mention-fetch';
import { buildInstagramMentionDelivery, type Delivery } from '@/lib/channels/simulate';
import { setRuntime } from '@/lib/runtime';
import { graphError, startFakeGraphApi } from '@/test/fake-graph-api';
import { type TestOrganization, createTestOrganization } from '@/test/fixtures';
import { waitFor } from '@/test/wait';

let database: DatabaseHandle;
let org: TestOrganization;

const igAccountId = '17841405309211844';
const appSecret = 'meta-app-secret-for-tests';
const goodToken = 'EAAGm0PX4ZCpsBAKgoodtoken1234567890';
const at = new Date('2026-03-05T09:00:00Z');
const origin = 'http://stormdesk.test';

// What a test leaves running is stopped after it, pass or fail.
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

beforeAll(async () => {
  database = await createTestDatabase();
  setRuntime({ db: database.db, databaseKind: database.kind });
  org = await createTestOrganization(database.db, 'ig-mentions');
});
afterAll(() => database.close());

/** An Instagram connection as an admin would create it, with the app secret and the access token pasted. */
async function instagramConnection(name: string, accessToken = goodToken) {
  const { connection, generatedSecrets } = await createConnection({ ctx: org.as('admin'), input: { channel: 'instagram', name, externalAccountId: igAccountId, secrets: { appSecret, accessToken } } });
  return { connection, target: { channel: 'instagram' as const, webhookPath: connection.webhookPath, externalAccountId: igAccountId, secrets: { appSecret, ...generatedSecrets } } };
}

async function fakeGraph(accessToken = goodToken) {
  const graph = await startFakeGraphApi({ accountId: igAccountId, accessToken, appSecret });
  cleanups.push(graph.close);
  return graph;
}

function worker(graphUrl: string, logs: string[] = []): MentionFetchWorker {
  const w = startInstagramMentionFetch({ db: database.db, graphUrl, pollMs: 20, backoffMs: 10, rateLimitBackoffMs: 30, log: (m) => logs.push(m) });
  cleanups.push(() => w.stop());
  return w;
}

function post(delivery: Delivery): Promise<Response> {
  const key = delivery.path.split('/').pop()!;
  return metaRoute.POST(new Request(origin + delivery.path, { method: 'POST', headers: delivery.headers, body: delivery.body }), { params: Promise.resolve({ key }) });
}

const fetchRows = (connectionId: string) => database.db.select().from(instagramMentionFetches).where(eq(instagramMentionFetches.connectionId, connectionId));
const mentionOf = async (externalId: string) => (await database.db.select().from(mentions).where(and(eq(mentions.organizationId, org.id), eq(mentions.channel, 'instagram'), eq(mentions.externalId, externalId))))[0];
const settled = (connectionId: string) => waitFor(async () => {
  const rows = await fetchRows(connectionId);
  return rows.length > 0 && rows.every((r) => r.status !== 'pending' && r.status !== 'fetching') ? rows : null;
}, { message: 'the fetches to settle' });

describe('Instagram mentions that arrive as ids only', () => {
  it('asks the Graph API for the mentioned comment as Meta documents it, and stores it classified and scored', async () => {
    const { connection, target } = await instagramConnection('@airstorm (comments)');
    const graph = await fakeGraph();
    const text = '@airstorm my bag is lost since yesterday and nobody answers. I want a refund! #lostluggage';
    graph.comments.set('17873440459141021', { id: '17873440459141021', text, timestamp: '2026-03-05T08:59:30+0000', username: 'lucia.mx', from: { id: '17841455555555555', username: 'lucia.mx' }, media: { id: '17920112008063024', media_product_type: 'FEED' }, like_count: 3 });

    const response = await post(buildInstagramMentionDelivery({ mediaId: '17920112008063024', commentId: '17873440459141021', at }, target));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: 0, duplicates: 0, fetching: 1 });
    // Recorded before the answer: nothing accepted depends on the fetch having happened.
    expect(await fetchRows(connection.id)).toMatchObject([{ status: 'pending', accountId: igAccountId, mediaId: '17920112008063024', commentId: '17873440459141021', attempts: 0 }]);

    worker(graph.url);
    const [row] = await settled(connection.id);
    expect(row).toMatchObject({ status: 'fetched', attempts: 1, lastError: null });

    expect(graph.requests).toHaveLength(1);
    const request = graph.requests[0]!;
    expect(request.method).toBe('GET');
    expect(request.path).toBe(`/${graphApiVersion}/${igAccountId}`);
    expect(graphApiVersion).toBe('v21.0');
    expect(request.query).toEqual({
      fields: `mentioned_comment.comment_id(17873440459141021){${mentionedCommentFields}}`,
      access_token: goodToken,
      appsecret_proof: createHmac('sha256', appSecret).update(goodToken).digest('hex'),
    });
    expect(mentionedCommentFields).toBe('id,text,timestamp,username,from,media{id}');

    const stored = await mentionOf('17873440459141021');
    expect(stored).toMatchObject({
      kind: 'comment',
      text,
      connectionId: connection.id,
      authorExternalId: '17841455555555555',
      authorHandle: 'lucia.mx',
      threadKey: '17920112008063024',
      category: 'complaint',
      hashtags: ['lostluggage'],
      isPublic: true,
    });
    expect(stored!.occurredAt.toISOString()).toBe('2026-03-05T08:59:30.000Z');
    expect(stored!.priority).toBeGreaterThan(0);
    expect(stored!.priorityBreakdown.length).toBeGreaterThan(0);
    // The Graph answer is the raw payload, exactly as the fake sent it (only the asked fields).
    expect(stored!.raw).toEqual({ mentioned_comment: { id: '17873440459141021', text, timestamp: '2026-03-05T08:59:30+0000', username: 'lucia.mx', from: { id: '17841455555555555', username: 'lucia.mx' }, media: { id: '17920112008063024' } }, id: igAccountId });
    const [ticket] = await database.db.select().from(tickets).where(eq(tickets.id, stored!.ticketId!));
    expect(ticket).toMatchObject({ channel: 'instagram', status: 'open' });
  });

  it('stores one pending fetch and one mention when Meta delivers the same webhook again', async () => {
    const { connection, target } = await instagramConnection('@airstorm (retries)');
    const graph = await fakeGraph();
    graph.comments.set('17800000000000002', { id: '17800000000000002', text: '@airstorm still no refund', timestamp: '2026-03-05T09:00:00+0000', from: { id: '17841400000000077', username: 'joao' }, media: { id: '18099999999999999' } });
    const delivery = buildInstagramMentionDelivery({ mediaId: '18099999999999999', commentId: '17800000000000002', at }, target);

    expect(await (await post(delivery)).json()).toEqual({ accepted: 0, duplicates: 0, fetching: 1 });
    expect(await (await post(delivery)).json()).toEqual({ accepted: 0, duplicates: 1 });
    expect(await fetchRows(connection.id)).toHaveLength(1);

    worker(graph.url);
    await settled(connection.id);
    // Meta retrying after the fetch changes nothing either.
    expect(await (await post(delivery)).json()).toEqual({ accepted: 0, duplicates: 1 });
    expect(graph.requests).toHaveLength(1);
    const rows = await database.db.select().from(mentions).where(and(eq(mentions.organizationId, org.id), eq(mentions.externalId, '17800000000000002')));
    expect(rows).toHaveLength(1);
  });

  it('retries a 5xx and a rate limit with backoff, then stores the mention', async () => {
    const { connection, target } = await instagramConnection('@airstorm (throttled)');
    const graph = await fakeGraph();
    graph.comments.set('17800000000000003', { id: '17800000000000003', text: '@airstorm flight cancelled, no hotel', timestamp: '2026-03-05T09:01:00+0000', from: { id: '17841400000000078', username: 'marta' }, media: { id: '18099999999999998' } });
    graph.failures.push({ status: 502, body: '<html><body>Bad Gateway</body></html>' }, graphError(613, 'Calls to this api have exceeded the rate limit.', { status: 400 }), graphError(4, 'Application request limit reached', { status: 403 }));
    const logs: string[] = [];

    await post(buildInstagramMentionDelivery({ mediaId: '18099999999999998', commentId: '17800000000000003', at }, target));
    worker(graph.url, logs);
    const [row] = await settled(connection.id);

    expect(row).toMatchObject({ status: 'fetched', attempts: 4, lastError: null });
    expect(graph.requests).toHaveLength(4);
    expect(logs[0]).toMatch(/attempt 1 failed: the Graph API answered HTTP 502: Bad Gateway; retrying/);
    expect(logs[1]).toMatch(/attempt 2 failed: Calls to this api have exceeded the rate limit\. \(code 613, OAuthException, fbtrace_id A[\w-]+\); retrying/);
    expect(logs[2]).toMatch(/attempt 3 failed: Application request limit reached \(code 4,/);
    expect((await mentionOf('17800000000000003'))?.text).toBe('@airstorm flight cancelled, no hotel');
  });

  it('holds back the connection’s other fetches while the Graph API throttles it (code 32)', async () => {
    const { connection, target } = await instagramConnection('@airstorm (page throttled)');
    const graph = await fakeGraph();
    graph.failures.push(graphError(32, 'Page request limit reached', { status: 400 }));
    await post(buildInstagramMentionDelivery({ mediaId: '18099999999999990', commentId: '17800000000000010', at }, target));
    await post(buildInstagramMentionDelivery({ mediaId: '18099999999999990', commentId: '17800000000000011', at }, target));
    const w = startInstagramMentionFetch({ db: database.db, graphUrl: graph.url, pollMs: 20, backoffMs: 10, rateLimitBackoffMs: 60_000 });
    cleanups.push(async () => {
      await w.stop();
      await database.db.delete(instagramMentionFetches).where(eq(instagramMentionFetches.connectionId, connection.id));
    });
    const rows = await waitFor(async () => {
      const all = await fetchRows(connection.id);
      return all.some((r) => r.attempts === 1 && r.status === 'pending') ? all : null;
    });
    await w.runOnce();
    // One call was made; both wait a minute, the untried one too.
    expect(graph.requests).toHaveLength(1);
    const soon = Date.now() + 50_000;
    expect(rows.every((r) => r.status === 'pending' && r.nextAttemptAt.getTime() > soon)).toBe(true);
    expect(rows.map((r) => r.attempts).sort()).toEqual([0, 1]);
  });

  it('marks a fetch refused for a bad token (code 190) failed and visible, and fetches it again once the token is replaced', async () => {
    const { connection, target } = await instagramConnection('@airstorm (expired token)', 'EAAGexpiredtoken0000000000');
    const graph = await fakeGraph();
    graph.comments.set('17800000000000004', { id: '17800000000000004', text: '@airstorm where is my refund', timestamp: '2026-03-05T09:02:00+0000', from: { id: '17841400000000079', username: 'ines' }, media: { id: '18099999999999997' } });
    const logs: string[] = [];

    await post(buildInstagramMentionDelivery({ mediaId: '18099999999999997', commentId: '17800000000000004', at }, target));
    worker(graph.url, logs);
    const [row] = await settled(connection.id);

    // Permanent: one attempt, no retry loop.
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row!.lastError).toMatch(/^Invalid OAuth access token - Cannot parse access token \(code 190, OAuthException, fbtrace_id /);
    expect(graph.requests).toHaveLength(1);
    expect(await mentionOf('17800000000000004')).toBeUndefined();
    const backlog = await listMentionFetchBacklog(database.db, org.id);
    expect(backlog.find((b) => b.connectionId === connection.id)).toMatchObject({ waiting: 0, failed: 1, failedError: row!.lastError });
    // The token never reaches the stored error or the log.
    expect(JSON.stringify([row, logs])).not.toContain('EAAGexpiredtoken0000000000');

    await updateConnection({ ctx: org.as('admin'), input: { connectionId: connection.id, secrets: { accessToken: goodToken } } });
    const [again] = await settled(connection.id);
    expect(again).toMatchObject({ status: 'fetched', attempts: 1, lastError: null });
    expect((await mentionOf('17800000000000004'))?.authorHandle).toBe('ines');
    expect(await listMentionFetchBacklog(database.db, org.id)).not.toContainEqual(expect.objectContaining({ connectionId: connection.id }));
  });

  it('marks an unknown object (code 100) failed at once; an admin can ask for it again, an agent cannot', async () => {
    const { connection, target } = await instagramConnection('@airstorm (deleted comment)');
    const graph = await fakeGraph();
    await post(buildInstagramMentionDelivery({ mediaId: '18099999999999996', commentId: '17800000000000005', at }, target));
    worker(graph.url);
    const [row] = await settled(connection.id);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row!.lastError).toMatch(/Object with ID '17800000000000005' does not exist.*\(code 100, subcode 33, GraphMethodException/);

    await expect(retryMentionFetches({ ctx: org.as('agent'), input: { connectionId: connection.id } })).rejects.toThrow(/does not allow channels\.manage/);
    graph.comments.set('17800000000000005', { id: '17800000000000005', text: '@airstorm back again', from: { id: '17841400000000080', username: 'ana' } });
    expect(await retryMentionFetches({ ctx: org.as('admin'), input: { connectionId: connection.id } })).toEqual({ requeued: 1 });
    const [fetched] = await settled(connection.id);
    expect(fetched).toMatchObject({ status: 'fetched' });
    // No timestamp in the answer: the webhook's time stands in.
    expect((await mentionOf('17800000000000005'))?.occurredAt.toISOString()).toBe(at.toISOString());
    const audit = await database.db.select().from(auditLog).where(and(eq(auditLog.organizationId, org.id), eq(auditLog.action, 'connection.mentions_retry')));
    expect(audit).toMatchObject([{ subject: connection.id, data: { requeued: 1 } }]);
  });

  it('keeps markup in a mention as inert text', async () => {
    const { connection, target } = await instagramConnection('@airstorm (markup)');
    const graph = await fakeGraph();
    const text = '<script>alert(document.cookie)</script><img src=x onerror=alert(1)> @airstorm refund now';
    graph.comments.set('17800000000000006', { id: '17800000000000006', text, timestamp: '2026-03-05T09:03:00+0000', from: { id: '17841400000000081', username: 'x_y' } });
    await post(buildInstagramMentionDelivery({ mediaId: '18099999999999995', commentId: '17800000000000006', at }, target));
    worker(graph.url);
    await settled(connection.id);
    const stored = await mentionOf('17800000000000006');
    expect(stored?.text).toBe(text);
    expect((stored?.raw as { mentioned_comment: { text: string } }).mentioned_comment.text).toBe(text);
  });

  it('fetches a mention in a caption through mentioned_media, and skips the account mentioning itself', async () => {
    const { connection, target } = await instagramConnection('@airstorm (captions)');
    const graph = await fakeGraph();
    graph.media.set('17920112008063100', { id: '17920112008063100', caption: 'Stuck at the gate for 5 hours, thanks @airstorm #delayed', timestamp: '2026-03-05T08:00:00+0000', username: 'travelwithkim', media_type: 'IMAGE', permalink: 'https://www.instagram.com/p/Cx1/', owner: { id: '1784' } });
    graph.comments.set('17800000000000007', { id: '17800000000000007', text: 'Thanks for flying with us @airstorm', from: { id: igAccountId, username: 'airstorm' } });

    await post(buildInstagramMentionDelivery({ mediaId: '17920112008063100', at }, target));
    await post(buildInstagramMentionDelivery({ mediaId: '17920112008063100', commentId: '17800000000000007', at }, target));
    worker(graph.url);
    const rows = await settled(connection.id);
    expect(rows.map((r) => [r.commentId, r.status]).sort()).toEqual([
      ['', 'fetched'],
      ['17800000000000007', 'skipped'],
    ]);
    const caption = graph.requests.find((r) => r.query.fields?.startsWith('mentioned_media'));
    expect(caption?.query.fields).toBe(`mentioned_media.media_id(17920112008063100){${mentionedMediaFields}}`);
    expect(await mentionOf('17920112008063100')).toMatchObject({ kind: 'post', authorHandle: 'travelwithkim', authorExternalId: 'travelwithkim', hashtags: ['delayed'] });
    expect(await mentionOf('17800000000000007')).toBeUndefined();
  });

  it('waits for a token on a connection without one, visibly', async () => {
    const { connection, generatedSecrets } = await createConnection({ ctx: org.as('admin'), input: { channel: 'instagram', name: '@airstorm (no token)', externalAccountId: igAccountId, secrets: { appSecret } } });
    expect(connection.secretsSet).toEqual({ appSecret: true, verifyToken: true, accessToken: false });
    const graph = await fakeGraph();
    await post(buildInstagramMentionDelivery({ mediaId: '18099999999999994', commentId: '17800000000000008', at }, { channel: 'instagram', webhookPath: connection.webhookPath, externalAccountId: igAccountId, secrets: { appSecret, ...generatedSecrets } }));
    worker(graph.url);
    const [row] = await settled(connection.id);
    expect(row).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/no access token is set on this connection/) });
    expect(graph.requests).toHaveLength(0);
  });

  it('deletes long-done fetches and keeps the failed ones', async () => {
    const all = () => database.db.select({ status: instagramMentionFetches.status }).from(instagramMentionFetches).where(eq(instagramMentionFetches.organizationId, org.id));
    expect((await all()).some((r) => r.status === 'fetched')).toBe(true);
    const graph = await fakeGraph();
    const w = startInstagramMentionFetch({ db: database.db, graphUrl: graph.url, pollMs: 20, keepDoneMs: 0 });
    cleanups.push(() => w.stop());
    const left = await waitFor(async () => {
      const rows = await all();
      return rows.every((r) => r.status !== 'fetched' && r.status !== 'skipped') ? rows : null;
    });
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((r) => r.status === 'failed')).toBe(true);
  });
});
