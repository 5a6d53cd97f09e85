import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchInstagramMention, GraphApiError, graphRequestUrl, MentionedCommentResponse, mentionOfMentionedComment } from '@/lib/channels/meta/graph';
import { graphError, startFakeGraphApi } from '@/test/fake-graph-api';

const accountId = '17841405309211844';
const accessToken = 'EAAGgraphunittoken000000';
const notifiedAt = new Date('2026-03-05T09:00:00Z');
let graph: Awaited<ReturnType<typeof startFakeGraphApi>>;

beforeAll(async () => {
  graph = await startFakeGraphApi({ accountId, accessToken });
});
afterAll(() => graph.close());

async function failure(promise: Promise<unknown>): Promise<GraphApiError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!(error instanceof GraphApiError)) throw new Error(`expected a GraphApiError, got ${String(error)}`);
  return error;
}

describe('the Graph API client', () => {
  it('builds the versioned URL with the token, and the app secret proof only when there is an app secret', () => {
    const url = graphRequestUrl({ graphUrl: 'https://graph.facebook.com/', accessToken }, accountId, 'mentioned_media.media_id(1){id}');
    expect(url.origin + url.pathname).toBe(`https://graph.facebook.com/v21.0/${accountId}`);
    expect(url.searchParams.get('access_token')).toBe(accessToken);
    expect(url.searchParams.has('appsecret_proof')).toBe(false);
  });

  it('tells what to retry: throttling and 5xx yes, a bad token or a missing permission no', async () => {
    const access = { graphUrl: graph.url, accessToken };
    const target = { accountId, mediaId: '1790000000000001', commentId: '1780000000000001', notifiedAt };
    const cases: [ReturnType<typeof graphError>, boolean, boolean][] = [
      [graphError(17, 'User request limit reached'), true, true],
      [graphError(2, 'Service temporarily unavailable', { status: 500 }), true, false],
      [graphError(190, 'Error validating access token: Session has expired'), false, false],
      [graphError(10, 'Application does not have permission for this action', { type: 'OAuthException', status: 403 }), false, false],
      [graphError(200, 'Permissions error', { status: 403 }), false, false],
    ];
    for (const [answer, retryable, rateLimited] of cases) {
      graph.failures.push(answer);
      const error = await failure(fetchInstagramMention(access, target));
      expect([error.info.code, error.info.retryable, error.info.rateLimited]).toEqual([(answer.body as { error: { code: number } }).error.code, retryable, rateLimited]);
    }
  });

  it('tells what a proxy’s HTML error page says, without its markup or scripts', async () => {
    graph.failures.push({ status: 503, body: '<!DOCTYPE html><html><head><style>h1{color:red}</style></head><body><h1>Service <script>alert(1)</script>Unavailable</h1><!-- edge 7 --></body></html>' });
    const error = await failure(fetchInstagramMention({ graphUrl: graph.url, accessToken }, { accountId, mediaId: '1790000000000001', notifiedAt }));
    expect(error.message).toBe('the Graph API answered HTTP 503: Service Unavailable');
    expect(error.info.retryable).toBe(true);
  });

  it('retries when Meta cannot be reached, and refuses an id that is not a Graph id without calling', async () => {
    const closed = await startFakeGraphApi({ accountId, accessToken });
    await closed.close();
    const unreachable = await failure(fetchInstagramMention({ graphUrl: closed.url, accessToken }, { accountId, mediaId: '1', notifiedAt }));
    expect(unreachable.message).toMatch(/could not be reached: ECONNREFUSED/);
    expect(unreachable.info.retryable).toBe(true);

    const before = graph.requests.length;
    const forged = await failure(fetchInstagramMention({ graphUrl: graph.url, accessToken }, { accountId, mediaId: '1', commentId: '1){id}&x=(', notifiedAt }));
    expect(forged.info.retryable).toBe(false);
    expect(graph.requests.length).toBe(before);
  });

  it('reads Meta’s +0000 times, and takes a bare username as the author when there is no from', () => {
    const answer = MentionedCommentResponse.parse({ id: accountId, mentioned_comment: { id: '1780000000000002', text: 'hola @airstorm', timestamp: '2017-05-03T16:09:08+0000', username: 'Lucia.MX' } });
    const fetched = mentionOfMentionedComment(answer, {}, { accountId, mediaId: '1790000000000002', commentId: '1780000000000002', notifiedAt });
    expect(fetched).toMatchObject({ mention: { occurredAt: new Date('2017-05-03T16:09:08Z'), author: { externalId: 'Lucia.MX', handle: 'Lucia.MX' }, threadKey: '1790000000000002' } });
    expect(() => mentionOfMentionedComment(MentionedCommentResponse.parse({ id: accountId, mentioned_comment: { id: '1', text: 'x' } }), {}, { accountId, mediaId: '2', notifiedAt })).toThrow(/named no author/);
  });
});
