import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { createTestDatabase } from '@/db/testing';
import { TEST_PASSWORD, createTestOrganization } from '@/test/fixtures';
import { signInErrorMessage, signInWithPassword } from './credentials';
import { hashPassword, verifyPassword } from './password';
import { can, navigationFor } from './permissions';
import { FREE_FAILURES, lockDurationMs } from './throttle';

describe('passwords', () => {
  it('verifies the right password only, and salts every hash', async () => {
    const hash = await hashPassword('pa55word-long-enough');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('pa55word-long-enough', hash)).toBe(true);
    expect(await verifyPassword('pa55word-long-enougH', hash)).toBe(false);
    expect(await hashPassword('pa55word-long-enough')).not.toBe(hash);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});

describe('sign-in throttle', () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await createTestDatabase();
    await createTestOrganization(database.db, 'throttle');
  });
  afterAll(() => database.close());

  it('accepts the right password and refuses a wrong one with a clear message', async () => {
    expect((await signInWithPassword(database.db, 'Agent@Throttle.example', TEST_PASSWORD)).ok).toBe(true);
    const wrong = await signInWithPassword(database.db, 'agent@throttle.example', 'nope');
    expect(wrong).toEqual({ ok: false, reason: 'invalid' });
    expect(signInErrorMessage(wrong as { ok: false; reason: 'invalid' })).toBe('Wrong email or password.');
  });

  it('locks an account after repeated failures, even with the right password, and lets it in after the lock', async () => {
    const t0 = new Date('2026-01-01T00:00:00Z');
    for (let i = 0; i < FREE_FAILURES; i += 1) await signInWithPassword(database.db, 'lead@throttle.example', 'wrong', t0);
    const locked = await signInWithPassword(database.db, 'lead@throttle.example', TEST_PASSWORD, new Date(t0.getTime() + 1000));
    expect(locked).toMatchObject({ ok: false, reason: 'locked' });
    expect(signInErrorMessage(locked as never, new Date(t0.getTime() + 1000))).toBe('Too many failed attempts for this account. Try again in 29 seconds.');
    const later = new Date(t0.getTime() + lockDurationMs(FREE_FAILURES) + 1000);
    expect((await signInWithPassword(database.db, 'lead@throttle.example', TEST_PASSWORD, later)).ok).toBe(true);
  });

  it('locks longer after each further failure, up to 15 minutes', () => {
    expect(lockDurationMs(FREE_FAILURES - 1)).toBe(0);
    expect(lockDurationMs(FREE_FAILURES)).toBe(30_000);
    expect(lockDurationMs(FREE_FAILURES + 1)).toBe(60_000);
    expect(lockDurationMs(FREE_FAILURES + 20)).toBe(15 * 60_000);
  });

  it('counts failures for unknown accounts too, so the lock does not reveal which emails exist', async () => {
    for (let i = 0; i < FREE_FAILURES; i += 1) await signInWithPassword(database.db, 'ghost@throttle.example', 'x');
    expect(await signInWithPassword(database.db, 'ghost@throttle.example', 'x')).toMatchObject({ reason: 'locked' });
  });
});

describe('permissions', () => {
  it('gives member management to admins only and editing to everyone but observers', () => {
    expect(can('admin', 'members.manage')).toBe(true);
    for (const role of ['executive', 'lead', 'agent', 'observer'] as const) expect(can(role, 'members.manage')).toBe(false);
    expect(can('observer', 'notes.edit')).toBe(false);
    expect(can('agent', 'notes.edit')).toBe(true);
    expect(navigationFor('agent').map((i) => i.href)).not.toContain('/admin/members');
    expect(navigationFor('admin').map((i) => i.href)).toContain('/admin/members');
  });
});
