import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';

/** One request as the fake Graph API received it. */
export interface GraphRequest {
  method: string;
  path: string;
  query: Record<string, string>;
}

/** An answer the fake gives instead of the real one: a status and a JSON body (or text, sent as is). */
export interface GraphAnswer {
  status: number;
  body: unknown;
}

type Node = Record<string, unknown>;

/** The Graph API's error body: `{ error: { message, type, code, error_subcode?, fbtrace_id } }`. */
export function graphError(code: number, message: string, { status = 400, type = 'OAuthException', subcode }: { status?: number; type?: string; subcode?: number } = {}): GraphAnswer {
  return { status, body: { error: { message, type, code, ...(subcode !== undefined && { error_subcode: subcode }), fbtrace_id: `A${randomBytes(8).toString('base64url')}` } } };
}

/** Splits a Graph field list at its top-level commas: `id,from,media{id}` → ['id', 'from', 'media{id}']. */
function splitFields(list: string): string[] {
  const fields: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    if (list[i] === '{') depth++;
    else if (list[i] === '}') depth--;
    else if (list[i] === ',' && depth === 0) {
      fields.push(list.slice(start, i));
      start = i + 1;
    }
  }
  fields.push(list.slice(start));
  return fields.filter(Boolean);
}

/** Keeps only the asked fields of a node, as the Graph API does; `media{id}` expands a nested node. */
function pick(node: Node, list: string): Node {
  const out: Node = {};
  for (const field of splitFields(list)) {
    const nested = /^(\w+)\{(.*)\}$/.exec(field);
    const name = nested ? nested[1]! : field;
    const value = node[name];
    if (value === undefined) continue;
    out[name] = nested && typeof value === 'object' && value !== null ? pick(value as Node, nested[2]!) : value;
  }
  return out;
}

/**
 * A real local HTTP server standing in for the Graph API of one Instagram account: answers
 * `GET /vXX.X/{ig-user-id}?fields=mentioned_comment.comment_id(…){…}` and `…mentioned_media.media_id(…){…}` from the
 * comments and media it holds, checks the access token (code 190 otherwise) and the appsecret_proof, records every
 * request, and serves the `failures` queued by a test first, in turn, and what `answers` holds for a comment or media
 * id instead of the node. On `port` when given (a server started elsewhere was told where it is).
 */
export async function startFakeGraphApi(options: { accountId: string; accessToken: string; appSecret?: string; port?: number }) {
  const requests: GraphRequest[] = [];
  const comments = new Map<string, Node>();
  const media = new Map<string, Node>();
  const failures: GraphAnswer[] = [];
  const answers = new Map<string, GraphAnswer>();

  const answer = (request: GraphRequest): GraphAnswer => {
    const match = /^\/v\d+\.\d+\/([^/]+)$/.exec(request.path);
    if (request.method !== 'GET' || !match) return graphError(2500, 'Unknown path components', { type: 'OAuthException' });
    const failure = failures.shift();
    if (failure) return failure;
    if (request.query.access_token !== options.accessToken) return graphError(190, 'Invalid OAuth access token - Cannot parse access token');
    if (options.appSecret) {
      const proof = createHmac('sha256', options.appSecret).update(request.query.access_token).digest('hex');
      if (request.query.appsecret_proof !== proof) return graphError(100, 'Invalid appsecret_proof provided in the API argument', { type: 'GraphMethodException' });
    }
    const igUserId = decodeURIComponent(match[1]!);
    const unknown = (id: string) =>
      graphError(100, `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, { type: 'GraphMethodException', subcode: 33 });
    if (igUserId !== options.accountId) return unknown(igUserId);
    const expansion = /^mentioned_(comment|media)\.(comment_id|media_id)\((\d+)\)(?:\{(.*)\})?$/.exec(request.query.fields ?? '');
    if (!expansion) return graphError(100, '(#100) Tried accessing nonexisting field', { type: 'OAuthException' });
    const [, kind, , id, fields] = expansion;
    const given = answers.get(id!);
    if (given) return given;
    const node = (kind === 'comment' ? comments : media).get(id!);
    if (!node) return unknown(id!);
    return { status: 200, body: { [`mentioned_${kind}`]: pick(node, fields ?? 'id'), id: igUserId } };
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://graph.test');
    const request = { method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams) };
    requests.push(request);
    req.resume();
    req.on('end', () => {
      const { status, body } = answer(request);
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/html' : 'application/json; charset=UTF-8' });
      res.end(text);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    comments,
    media,
    failures,
    answers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
