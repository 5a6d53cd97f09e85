import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { startFakeGraphApi } from '../test/fake-graph-api';
import { ChannelsAdminPage, QueuePage, memberSession } from './pages';

// playwright.config.ts points the server's META_GRAPH_URL here.
const graphPort = Number(process.env.E2E_PORT ?? 3210) + 2;
const screens = 'test-results/screens';
mkdirSync(screens, { recursive: true });

// A stand-in for Meta's Graph API, started by the test (it knows the token), on the port the server was told.
let fakeGraph: Awaited<ReturnType<typeof startFakeGraphApi>> | undefined;
test.afterAll(() => fakeGraph?.close());

const account = '17841400000000042';
// Meta's ids are numeric strings; these three are a comment that is fetched, a post Meta no longer has, and a comment
// caught in an outage.
const fetched = { mediaId: '17900000000000101', commentId: '17900000000000102' };
const deleted = { mediaId: '17900000000000201' };
const outage = { mediaId: '17900000000000301', commentId: '17900000000000302' };

test('id-only Instagram mentions are fetched from the Graph API; a backlog and a failure show on Channels, and “Fetch again” recovers', async ({ browser, request }) => {
  const accessToken = `EAAG${randomBytes(24).toString('hex')}`;
  const appSecret = randomBytes(16).toString('hex');
  const graph = (fakeGraph = await startFakeGraphApi({ accountId: account, accessToken, appSecret, port: graphPort }));
  const hostile = `<img src=x onerror="document.title='pwned'"> @demoair my bag never came off DA 17 #lostluggage ${Date.now().toString(36)}`;
  graph.comments.set(fetched.commentId, { id: fetched.commentId, text: hostile, timestamp: new Date().toISOString().replace('Z', '+0000'), from: { id: '5550001', username: 'maria.travels' }, media: { id: fetched.mediaId } });
  // Meta's answer for a deleted or private object; its message may quote the token, which must never be shown or stored.
  graph.answers.set(deleted.mediaId, {
    status: 400,
    body: { error: { message: `Unsupported get request. Object with ID '${deleted.mediaId}' does not exist (token ${accessToken})`, type: 'GraphMethodException', code: 100, error_subcode: 33, fbtrace_id: 'AbCdEf123' } },
  });
  // An outage answered by an edge proxy: HTML, not Meta's JSON, and it must render as text.
  graph.answers.set(outage.commentId, { status: 503, body: '<html><body><h1>Service <script>alert(1)</script>Unavailable</h1></body></html>' });

  const { context, page } = await memberSession(browser, 'admin');
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.setViewportSize({ width: 1440, height: 900 });
  const channels = new ChannelsAdminPage(page);
  await channels.open();
  const name = `@demoair on Instagram ${Date.now().toString(36)}`;
  const form = page.getByRole('form', { name: 'Connect a channel' });
  await form.getByLabel('Channel').selectOption({ label: 'Instagram' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Account id on the platform (optional)').fill(account);
  await form.getByLabel('App secret of the Meta app').fill(appSecret);
  await form.getByLabel(/^Access token/).fill(accessToken);
  await form.getByRole('button', { name: 'Connect' }).click();
  const webhookUrl = (await page.getByTestId('new-webhook-url').textContent()) ?? '';
  expect(webhookUrl).toContain('/api/ingest/meta/');

  // Meta's `mentions` webhook: ids only, signed with the app secret.
  const changes = [fetched, deleted, outage].map((m) => ({ field: 'mentions', value: { media_id: m.mediaId, ...('commentId' in m && { comment_id: m.commentId }) } }));
  const body = JSON.stringify({ object: 'instagram', entry: [{ id: account, time: Math.floor(Date.now() / 1000), changes }] });
  const delivery = await request.post(new URL(webhookUrl).pathname, {
    data: body,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}` },
  });
  expect(delivery.status()).toBe(200);
  expect(await delivery.json()).toMatchObject({ accepted: 0, fetching: 3 });

  const row = page.getByTestId('connection-row').filter({ hasText: name });
  await expect(async () => {
    await page.reload();
    await expect(row.getByTestId('mention-fetch-waiting')).toContainText('1 Instagram mention waiting to be fetched', { timeout: 1_000 });
    await expect(row.getByTestId('mention-fetch-waiting')).toContainText('the Graph API answered HTTP 503: Service Unavailable', { timeout: 1_000 });
    await expect(row.getByTestId('mention-fetch-failed')).toContainText('1 Instagram mention could not be fetched', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  // Meta's words, with the token cut out; the proxy's page by its words, without its markup or script.
  await expect(row.getByTestId('mention-fetch-failed')).toContainText(`Object with ID '${deleted.mediaId}' does not exist (token [redacted])`);
  await expect(row.getByTestId('mention-fetch-waiting')).not.toContainText('alert(1)');
  expect(await page.content()).not.toContain(accessToken);
  await page.screenshot({ path: `${screens}/channels-instagram-backlog.png`, fullPage: true });

  // Every call carried the token and its app secret proof, on the documented field expansion.
  const calls = graph.requests.filter((r) => r.path === `/v21.0/${account}`);
  expect(calls.map((c) => c.query.fields)).toEqual(
    expect.arrayContaining([
      `mentioned_comment.comment_id(${fetched.commentId}){id,text,timestamp,username,from,media{id}}`,
      `mentioned_media.media_id(${deleted.mediaId}){id,caption,timestamp,username,media_type,permalink}`,
    ]),
  );
  for (const call of calls) {
    expect(call.query.access_token).toBe(accessToken);
    expect(call.query.appsecret_proof).toBe(createHmac('sha256', appSecret).update(accessToken).digest('hex'));
  }

  // The post comes back (it was only private for a while): fetching again clears the failure and the post reaches the queue.
  graph.answers.delete(deleted.mediaId);
  graph.media.set(deleted.mediaId, { id: deleted.mediaId, caption: `Three days and no bag. @demoair #lostluggage ${Date.now().toString(36)}`, username: 'jon.on.the.road', media_type: 'IMAGE' });
  // The failure (and its button, with its “queued again” note) goes as soon as the mention is queued again, often
  // before the action's own answer; the backlog is back to the one outage mention once the worker has fetched it.
  await row.getByRole('button', { name: 'Fetch again' }).click();
  await expect(async () => {
    await page.reload();
    await expect(row.getByTestId('mention-fetch-failed')).toHaveCount(0, { timeout: 1_000 });
    await expect(row.getByTestId('mention-fetch-waiting')).toContainText('1 Instagram mention waiting', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await context.close();

  // An agent sees the fetched comment as text: the markup in it does nothing.
  const agent = await memberSession(browser, 'agent');
  const queue = new QueuePage(agent.page);
  await queue.open('?channel=instagram');
  const mention = queue.rows().filter({ hasText: hostile });
  await expect(mention).toHaveCount(1);
  await expect(mention.locator('img')).toHaveCount(0);
  await expect(queue.rows().filter({ hasText: 'Three days and no bag.' })).toHaveCount(1);
  expect(await agent.page.title()).not.toBe('pwned');
  expect(dialogs).toEqual([]);
  await agent.context.close();
});
