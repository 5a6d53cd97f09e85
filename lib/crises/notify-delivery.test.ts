import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DatabaseHandle } from '@/db/client';
import { organizationSettings, outbox } from '@/db/schema';
import { createTestDatabase } from '@/db/testing';
import type { Ctx } from '@/lib/context';
import { startFakeSmtp } from '@/test/fake-smtp';
import { startFakeWebhook } from '@/test/fake-webhook';
import { createTestOrganization } from '@/test/fixtures';
import { waitFor } from '@/test/wait';
import { raiseAlert } from './alerts';
import { startNotificationDelivery } from './notify-delivery';
import { listCrisisEvents } from './timeline';

let database: DatabaseHandle;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(() => database.close());

const storm = (topic: string, summary: string) => ({
  kind: 'spike' as const,
  seriesKey: `topic:${topic}`,
  topic,
  observed: 70,
  expected: 6,
  score: 7,
  since: new Date(Date.UTC(2025, 5, 1, 9, 0)),
  summary,
});

describe('notification delivery', () => {
  it('posts a Slack-compatible message to the webhook, retries a failure with backoff, and logs both on the timeline', async () => {
    const org = await createTestOrganization(db, 'notify-webhook');
    const slack = await startFakeWebhook([500]);
    await db.insert(organizationSettings).values({ organizationId: org.id, notifications: { webhookUrl: slack.url } });
    const ctx: Ctx = { db, organizationId: org.id, actor: { type: 'system', reason: 'detection' } };
    const { crisis } = await raiseAlert({ ctx, input: storm('#lostluggage', 'Complaints about <!channel> & #lostluggage: 70/min'), notify: { emailEnabled: false, publicUrl: 'https://desk.example' } });
    const delivery = startNotificationDelivery({ db, backoffMs: 30, pollMs: 10 });
    try {
      const [sent] = await waitFor(async () => {
        const rows = await db.select().from(outbox).where(and(eq(outbox.crisisId, crisis!.id), eq(outbox.status, 'sent')));
        return rows.length > 0 ? rows : null;
      });
      expect(sent).toMatchObject({ kind: 'notification.webhook', attempts: 2, lastError: null });
    } finally {
      await delivery.stop();
      await slack.close();
    }
    expect(slack.requests).toHaveLength(2);
    const body = JSON.parse(slack.requests[1]!.body) as { text: string; blocks: { type: string }[] };
    expect(slack.requests[1]!.headers['content-type']).toBe('application/json');
    expect(body.text).toContain(`<https://desk.example/crises/${crisis!.id}|Open the crisis room>`);
    // Complaint text cannot ping the whole channel or forge links.
    expect(body.text).toContain('&lt;!channel&gt; &amp; #lostluggage');
    expect(body.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section']);
    const events = await listCrisisEvents(db, org.id, crisis!.id);
    const failed = events.find((e) => e.kind === 'notification.failed');
    expect(failed!.summary).toMatch(/Team webhook failed \(attempt 1 of 6\): the webhook answered HTTP 500.*retrying/);
    expect(events.find((e) => e.kind === 'notification.sent')!.summary).toBe('Team webhook delivered after 2 attempts');
  });

  it('emails the committee and the agent on duty through SMTP', async () => {
    const org = await createTestOrganization(db, 'notify-email');
    const smtp = await startFakeSmtp();
    await db.insert(organizationSettings).values({ organizationId: org.id, notifications: { emailTo: ['pr-agency@partner.example'] } });
    const ctx: Ctx = { db, organizationId: org.id, actor: { type: 'system', reason: 'detection' } };
    const { crisis } = await raiseAlert({ ctx, input: storm('ipad', 'Complaints about ipad: 70/min against 6 expected'), notify: { emailEnabled: true, publicUrl: 'https://desk.example' } });
    const delivery = startNotificationDelivery({ db, smtpUrl: smtp.smtpUrl, smtpFrom: 'Stormdesk <alerts@desk.example>', pollMs: 10 });
    try {
      await waitFor(async () => {
        const rows = await db.select().from(outbox).where(eq(outbox.crisisId, crisis!.id));
        return rows.length === 4 && rows.every((r) => r.status === 'sent');
      });
    } finally {
      await delivery.stop();
      await smtp.close();
    }
    const recipients = smtp.messages.flatMap((m) => m.to).sort();
    expect(recipients).toEqual(['agent@notify-email.example', 'executive@notify-email.example', 'lead@notify-email.example', 'pr-agency@partner.example']);
    const mail = { ...smtp.messages[0]!, data: smtp.messages[0]!.data.replace(/=\r\n/g, '').replace(/=3D/g, '=') };
    expect(mail.from).toBe('alerts@desk.example');
    expect(mail.data).toContain('Subject: [Stormdesk] Crisis opened: Complaint storm about ipad');
    expect(mail.data).toContain(`https://desk.example/crises/${crisis!.id}`);
    const rows = await db.select().from(outbox).where(eq(outbox.crisisId, crisis!.id));
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
  });

  it('gives up after the last attempt and leaves the failure visible', async () => {
    const org = await createTestOrganization(db, 'notify-down');
    const ctx: Ctx = { db, organizationId: org.id, actor: { type: 'system', reason: 'detection' } };
    // Nothing listens on this port: every attempt fails to connect.
    const smtp = await startFakeSmtp();
    const deadUrl = smtp.smtpUrl;
    await smtp.close();
    const { crisis } = await raiseAlert({ ctx, input: storm('wifi', 'Complaints about wifi'), notify: { emailEnabled: true } });
    const delivery = startNotificationDelivery({ db, smtpUrl: deadUrl, maxAttempts: 2, backoffMs: 10, pollMs: 10, timeoutMs: 2_000 });
    try {
      await waitFor(async () => {
        const rows = await db.select().from(outbox).where(eq(outbox.crisisId, crisis!.id));
        return rows.length > 0 && rows.every((r) => r.status === 'failed');
      }, { timeoutMs: 15_000 });
    } finally {
      await delivery.stop();
    }
    const rows = await db.select().from(outbox).where(eq(outbox.crisisId, crisis!.id));
    expect(rows.every((r) => r.attempts === 2 && /ECONNREFUSED/.test(r.lastError ?? ''))).toBe(true);
    const events = await listCrisisEvents(db, org.id, crisis!.id);
    expect(events.filter((e) => e.kind === 'notification.failed' && e.summary.includes('gave up'))).toHaveLength(rows.length);
  });
});
