import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { createTestDatabase } from '@/db/testing';
import { detectionSettings } from '@/lib/crises/alerts';
import { DomainError } from '@/lib/errors';
import { type TestOrganization, createTestOrganization } from '@/test/fixtures';
import { readDetectionSettings, updateDetectionSettings } from './settings';

let database: DatabaseHandle;
let org: TestOrganization;

beforeAll(async () => {
  database = await createTestDatabase();
  org = await createTestOrganization(database.db, 'detection-settings');
});
afterAll(() => database.close());

const form = { openCrisisScore: '5', minExcessMinutes: '3', minExcessEvents: '30', warmupHours: '12', stormWindowMinutes: '90', emergingCrisisMinComplaints: '25', emergingMinLift: '4', promotedReachToOpen: '50000', webhookUrl: 'https://hooks.slack.example/services/T/B/X', emailTo: 'pr@agency.example, legal@demo.example' };

describe('detection settings', () => {
  it('start from the live defaults and save what an admin sets, in the units of the form', async () => {
    expect((await readDetectionSettings(org.as('admin'))).detection).toMatchObject({ openCrisisScore: 4, emerging: { minLift: 3 }, spike: { minExcessMs: 120_000, minExcessEvents: 20 } });
    await updateDetectionSettings({ ctx: org.as('admin'), input: form });
    const saved = await readDetectionSettings(org.as('admin'));
    expect(saved).toMatchObject({
      detection: { openCrisisScore: 5, stormWindowMinutes: 90, emerging: { minLift: 4 }, promotedReachToOpen: 50_000, spike: { minExcessMs: 180_000, minExcessEvents: 30, warmupMs: 12 * 3_600_000 } },
      webhookUrl: form.webhookUrl,
      emailTo: ['pr@agency.example', 'legal@demo.example'],
    });
    expect((await detectionSettings(org.as('admin'))).openCrisisScore).toBe(5);
  });

  it('refuse non-admins and values that make no sense', async () => {
    const code = (c: DomainError['code']) => (e: unknown) => e instanceof DomainError && e.code === c;
    await expect(updateDetectionSettings({ ctx: org.as('lead'), input: form })).rejects.toSatisfy(code('FORBIDDEN'));
    await expect(updateDetectionSettings({ ctx: org.as('admin'), input: { ...form, openCrisisScore: '1' } })).rejects.toSatisfy(code('INVALID_INPUT'));
    await expect(updateDetectionSettings({ ctx: org.as('admin'), input: { ...form, emergingMinLift: '0.5' } })).rejects.toSatisfy(code('INVALID_INPUT'));
    await expect(updateDetectionSettings({ ctx: org.as('admin'), input: { ...form, webhookUrl: 'javascript:alert(1)' } })).rejects.toSatisfy(code('INVALID_INPUT'));
    await expect(updateDetectionSettings({ ctx: org.as('admin'), input: { ...form, emailTo: 'not-an-email' } })).rejects.toSatisfy(code('INVALID_INPUT'));
  });
});
