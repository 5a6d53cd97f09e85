import { and, count, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { customers, mentions, purchases } from '@/db/schema';
import { createTestDatabase } from '@/db/testing';
import { crisisDocumentName, readCustomers } from '@/lib/collab/crisis-doc';
import { liveRooms } from '@/lib/collab/live-rooms';
import type { Ctx } from '@/lib/context';
import { openCrisis } from '@/lib/crises/open';
import { seedDefaultProtocols } from '@/lib/crises/protocols';
import { importAffectedCustomersUpload, importMentionsUpload, importPurchasesUpload, maxCsvUploadBytes } from '@/lib/csv-upload';
import { type TestOrganization, createTestOrganization } from '@/test/fixtures';
import { startRoomServer } from '@/test/rooms';

let database: DatabaseHandle;
let org: TestOrganization;
let server: Awaited<ReturnType<typeof startRoomServer>>;

beforeAll(async () => {
  database = await createTestDatabase();
  org = await createTestOrganization(database.db, 'csv-upload');
  await seedDefaultProtocols(database.db, org.id);
  server = await startRoomServer(database.db);
});
afterAll(async () => {
  await server.stop();
  await database.close();
});

const url = 'http://stormdesk.test/api/imports';
const upload = (body: BodyInit) => new Request(url, { method: 'POST', headers: { 'content-type': 'text/csv' }, body, duplex: 'half' } as RequestInit);

/** A body that records whether anyone started reading it. */
function watchedBody(text: string): { body: ReadableStream<Uint8Array>; wasRead: () => boolean } {
  let read = false;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        read = true;
        controller.enqueue(new TextEncoder().encode(text));
        controller.close();
      },
    },
    // Nothing is pulled ahead: only a reader pulls.
    { highWaterMark: 0 },
  );
  return { body, wasRead: () => read };
}

/** A body of `chunks` pieces of `chunk`, generated as it is read, with no declared length. */
function generatedBody(chunk: Uint8Array, chunks: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ < chunks) controller.enqueue(chunk);
      else controller.close();
    },
  });
}

const answer = async (response: Response) => ({ status: response.status, body: (await response.json()) as { ok: boolean; error?: string; code?: string; data?: Record<string, unknown>; problems?: unknown[] } });

const purchasesHeader = 'customer_email,external_id,amount,currency,purchased_at,description';
const mentionsHeader = 'channel,external_id,occurred_at,text,author_handle';

describe('who may upload: decided before the body is read', () => {
  it('401 without a signed-in member', async () => {
    const { body, wasRead } = watchedBody(`${purchasesHeader}\na@example.com,o-1,10,USD,2026-01-01,x\n`);
    const { status, body: json } = await answer(await importPurchasesUpload(upload(body), null));
    expect(status).toBe(401);
    expect(json).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    expect(wasRead()).toBe(false);
  });

  it('403 for a role without the permission: observers for purchases, agents for mentions, observers for a crisis', async () => {
    for (const [response, watched] of [
      [importPurchasesUpload, org.as('observer')],
      [importMentionsUpload, org.as('agent')],
      [(r: Request, ctx: Ctx | null) => importAffectedCustomersUpload(r, ctx, '00000000-0000-4000-8000-000000000000'), org.as('observer')],
    ] as const) {
      const { body, wasRead } = watchedBody('name\nAl\n');
      expect((await answer(await response(upload(body), watched))).status).toBe(403);
      expect(wasRead()).toBe(false);
    }
  });
});

describe('what is uploaded', () => {
  it('413 for more than 50 MB, as soon as the stream passes it', async () => {
    // Few rows, each long (under the row limit): the size decides, not the row count.
    const chunk = new TextEncoder().encode(`big@example.com,big-1,10,USD,2026-01-01,${'a'.repeat(512 * 1024)}\n`);
    const streamed = await answer(await importPurchasesUpload(upload(generatedBody(chunk, Math.ceil(maxCsvUploadBytes / chunk.byteLength) + 1)), org.as('agent')));
    expect(streamed.status).toBe(413);
    expect(streamed.body.error).toMatch(/larger than 50 MB; nothing was imported/);
  });

  it('400 for a file that is not UTF-8, naming the line', async () => {
    const latin1 = Buffer.concat([Buffer.from(`${purchasesHeader}\nok@example.com,o-2,10,USD,2026-01-01,fine\n`), Buffer.from('jose@example.com,o-3,10,EUR,2026-01-01,Jos\xe9 caf\xe9\n', 'latin1')]);
    const { status, body } = await answer(await importPurchasesUpload(upload(latin1), org.as('agent')));
    expect(status).toBe(400);
    expect(body.error).toMatch(/not UTF-8 text: line 3/);
    expect(await database.db.select().from(purchases).where(eq(purchases.externalId, 'o-2'))).toHaveLength(0);
  });

  it('400 for a row over 1,000,000 characters, naming where it starts', async () => {
    const csv = `${purchasesHeader}\nlong@example.com,o-4,10,USD,2026-01-01,"${'y'.repeat(1_000_001)}"\n`;
    const { status, body } = await answer(await importPurchasesUpload(upload(csv), org.as('agent')));
    expect(status).toBe(400);
    expect(body.error).toMatch(/row starting on line 2 is longer than 1,000,000 characters/);
  });

  it('413 as soon as a file has more rows than the import takes, whatever its size', async () => {
    const chunk = new TextEncoder().encode('fan,x,2026-03-05T09:00:00Z,hi,fan\n'.repeat(1_000));
    const { status, body } = await answer(await importMentionsUpload(upload(generatedBody(chunk, 21)), org.as('admin')));
    expect(status).toBe(413);
    expect(body.error).toMatch(/more than 20,000 rows/);
  });

  it('400 for an empty upload', async () => {
    expect((await answer(await importPurchasesUpload(upload(''), org.as('agent')))).status).toBe(400);
  });
});

describe('imports', () => {
  it('purchases: stores every row, or none when one row is bad, naming line and column', async () => {
    const bad = `${purchasesHeader}\nrita@example.com,r-1,129.99,USD,2026-01-01,ok\nrita@example.com,r-2,12.345,USD,2026-01-01,"two\nlines"\nrita@example.com,r-3,5,US,2026-01-01,bad currency\n`;
    const rejected = await answer(await importPurchasesUpload(upload(bad), org.as('agent')));
    expect(rejected.status).toBe(400);
    expect(rejected.body.error).toMatch(/2 of 3 rows are invalid. line 3, amount: expected an amount like 129.99; line 5, currency: expected an ISO 4217 code/);
    expect(rejected.body.problems).toHaveLength(2);
    expect(await database.db.select().from(purchases).where(like(purchases.externalId, 'r-%'))).toHaveLength(0);

    const good = bad.replace('12.345', '12.34').replace(',US,', ',USD,');
    const accepted = await answer(await importPurchasesUpload(upload(good), org.as('agent')));
    expect(accepted).toMatchObject({ status: 200, body: { ok: true, data: { imported: 3, summary: '3 purchases imported (0 already known) for 1 customers.' } } });
    const [rita] = await database.db.select().from(customers).where(and(eq(customers.organizationId, org.id), eq(customers.displayName, 'rita@example.com')));
    expect(rita?.lifetimeValueCents).toBe(14_733);
  });

  it('mentions: an admin imports thousands of rows in one upload', async () => {
    const rows = Array.from({ length: 6_000 }, (_, i) => `x,up-${i},2026-03-05T09:00:00Z,"Refund please, order ${i}",fan_${i}`);
    const { status, body } = await answer(await importMentionsUpload(upload([mentionsHeader, ...rows].join('\r\n')), org.as('admin')));
    expect(status).toBe(200);
    expect(body.data).toMatchObject({ accepted: 6_000, duplicates: 0, summary: '6,000 mentions imported, 0 already known.' });
    const [stored] = await database.db.select({ n: count() }).from(mentions).where(and(eq(mentions.organizationId, org.id), like(mentions.externalId, 'up-%')));
    expect(Number(stored?.n)).toBe(6_000);
  });

  it('affected customers: a lead imports a crisis’s customers; a bad line stores nothing', async () => {
    const { crisis } = await openCrisis({ ctx: org.as('lead'), input: { title: 'Upload storm' } });
    const bad = 'name,email,what_happened\nAl,al@example.com,bag lost\nBo,not-an-email,late\n';
    const rejected = await answer(await importAffectedCustomersUpload(upload(bad), org.as('lead'), crisis.id));
    expect(rejected.status).toBe(400);
    expect(rejected.body.error).toMatch(/line 3: Email “not-an-email” is not valid/);
    const good = 'name,email,what_happened\nAl,al@example.com,bag lost\nBo,bo@example.com,late\n';
    const accepted = await answer(await importAffectedCustomersUpload(upload(good), org.as('lead'), crisis.id));
    expect(accepted).toMatchObject({ status: 200, body: { ok: true, data: { added: 2, merged: 0 } } });
    const names = await liveRooms()!.change(crisisDocumentName(crisis.id), org.id, (doc) => readCustomers(doc).map((c) => c.name));
    expect(names).toEqual(['Al', 'Bo']);
  });
});
