import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { customers } from '@/db/schema';
import { createTestDatabase } from '@/db/testing';
import { uuidv7 } from '@/lib/ids';
import { type TestOrganization, createTestOrganization } from '@/test/fixtures';
import { bulkWriter } from './bulk';

let database: DatabaseHandle;
let org: TestOrganization;

beforeAll(async () => {
  database = await createTestDatabase();
  org = await createTestOrganization(database.db, 'bulk');
});
afterAll(() => database.close());

const customerRows = (count: number, name: (i: number) => string) => Array.from({ length: count }, (_, i) => ({ id: uuidv7(), displayName: name(i), firstSeenAt: Date.UTC(2026, 2, 5, 9, 0, 0, i) }));

describe('bulkWriter', () => {
  it('writes many rows with COPY and a few with one statement, values exactly as given', async () => {
    const many = customerRows(150, (i) => `Many ${i}\t\\ "x"\n`);
    const few = customerRows(3, (i) => `Few ${i}`);
    await database.db.transaction(async (tx) => {
      const writer = bulkWriter(tx);
      writer.insert(customers, many, { organizationId: org.id });
      writer.insert(customers, few, { organizationId: org.id });
      await writer.done();
    });
    const stored = await database.db.select().from(customers).where(eq(customers.organizationId, org.id));
    const byId = new Map(stored.map((c) => [c.id, c]));
    for (const row of [...many, ...few]) {
      expect(byId.get(row.id)?.displayName).toBe(row.displayName);
      expect(byId.get(row.id)?.firstSeenAt.getTime()).toBe(row.firstSeenAt);
    }
  });

  it('fails with the database’s own error when a COPY is refused after its data, and sends nothing after it', async () => {
    const rows = customerRows(150, (i) => `Twice ${i}`);
    const later = customerRows(150, (i) => `Later ${i}`);
    const failure = database.db.transaction(async (tx) => {
      const writer = bulkWriter(tx);
      writer.insert(customers, rows, { organizationId: org.id });
      // The same ids again: the primary key refuses them once the rows are in.
      writer.insert(customers, rows, { organizationId: org.id });
      writer.insert(customers, later, { organizationId: org.id });
      try {
        await writer.done();
      } finally {
        expect(writer.failed).toBeDefined();
      }
    });
    await expect(failure).rejects.toSatisfy((error: unknown) => {
      for (let cause = error; cause instanceof Error; cause = cause.cause) if ((cause as { code?: unknown }).code === '23505') return true;
      return false;
    });
    const stored = await database.db.select({ id: customers.id }).from(customers).where(eq(customers.organizationId, org.id));
    const ids = new Set(stored.map((c) => c.id));
    expect([...rows, ...later].some((r) => ids.has(r.id))).toBe(false);
    // The connection is usable afterwards (postgres.js would otherwise leave it inside the failed COPY).
    await database.db.transaction(async (tx) => {
      const writer = bulkWriter(tx);
      writer.insert(customers, later, { organizationId: org.id });
      await writer.done();
    });
    expect((await database.db.select({ id: customers.id }).from(customers).where(eq(customers.id, later[0]!.id))).length).toBe(1);
  });
});
