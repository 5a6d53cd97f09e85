import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt } from './columns';
import { type Role, members, organizations } from './core';
import { mentions } from './listening';

export const alertKinds = ['spike', 'promoted_post', 'emerging_topic'] as const;
export const alertStatuses = ['new', 'attached', 'opened_crisis', 'below_threshold', 'false_alarm'] as const;
export const crisisStatuses = ['open', 'monitoring', 'resolved'] as const;
export type CrisisStatus = (typeof crisisStatuses)[number];
export const severities = ['low', 'medium', 'high', 'critical'] as const;
export const outboxStatuses = ['pending', 'sending', 'sent', 'failed'] as const;

const orgId = () =>
  uuid('organization_id')
    .notNull()
    .references(() => organizations.id, { onDelete: 'cascade' });

/** What a detector found: the series, expected vs observed, since when, a score and the explanation. */
export const alerts = pgTable(
  'alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    kind: text('kind', { enum: alertKinds }).notNull(),
    seriesKey: text('series_key').notNull(),
    /** The topic the alert is about (a term, hashtag or `all`), which decides the crisis it attaches to. */
    topic: text('topic').notNull(),
    channel: text('channel'),
    observed: real('observed').notNull(),
    expected: real('expected').notNull(),
    score: real('score').notNull(),
    since: timestamp('since', { withTimezone: true }).notNull(),
    explanation: jsonb('explanation').$type<Record<string, unknown>>().notNull().default({}),
    mentionId: uuid('mention_id').references(() => mentions.id),
    status: text('status', { enum: alertStatuses }).notNull().default('new'),
    crisisId: uuid('crisis_id'),
    feedbackBy: uuid('feedback_by').references(() => members.id, { onDelete: 'set null' }),
    feedbackAt: at('feedback_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('alerts_org_time').on(t.organizationId, t.createdAt),
    // One alert per series onset, even when two instances see the same bucket.
    uniqueIndex('alerts_onset').on(t.organizationId, t.kind, t.seriesKey, t.since),
  ],
);

/** A crisis checklist template: items with the role that owns them and when they are due after the crisis opens. */
export const protocolTemplates = pgTable('protocol_templates', {
  id: uuid('id').primaryKey().defaultRandom(),
  organizationId: orgId(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  /** Topics (terms, hashtags) this protocol fits; empty = the default protocol. */
  matchTopics: text('match_topics').array().notNull().default(sql`'{}'::text[]`),
  items: jsonb('items').$type<{ text: string; ownerRole: Role; dueOffsetMinutes: number }[]>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  createdAt: createdAt(),
});

/** A crisis and its room. `topicKey` + a partial unique index make one storm one room. */
export const crises = pgTable(
  'crises',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    title: text('title').notNull(),
    topicKey: text('topic_key').notNull(),
    status: text('status', { enum: crisisStatuses }).notNull().default('open'),
    severity: text('severity', { enum: severities }).notNull().default('high'),
    trigger: text('trigger', { enum: ['alert', 'manual'] }).notNull(),
    triggerAlertId: uuid('trigger_alert_id'),
    protocolTemplateId: uuid('protocol_template_id').references(() => protocolTemplates.id, { onDelete: 'set null' }),
    openedBy: text('opened_by').notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    statusChangedBy: text('status_changed_by'),
    statusChangedAt: at('status_changed_at'),
    resolvedAt: at('resolved_at'),
    budgetCents: bigint('budget_cents', { mode: 'number' }),
    currency: text('currency').notNull().default('USD'),
  },
  (t) => [
    index('crises_org_status').on(t.organizationId, t.status),
    uniqueIndex('crises_one_open_per_topic').on(t.organizationId, t.topicKey).where(sql`${t.status} <> 'resolved'`),
  ],
);

/** The crisis timeline: append-only, written in the same transaction as the change it records. */
export const crisisEvents = pgTable(
  'crisis_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    organizationId: orgId(),
    crisisId: uuid('crisis_id')
      .notNull()
      .references(() => crises.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actor: text('actor').notNull(),
    kind: text('kind').notNull(),
    summary: text('summary').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('crisis_events_crisis').on(t.crisisId, t.id)],
);

/** In-app notifications, one per member it is meant for. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    crisisId: uuid('crisis_id').references(() => crises.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id'),
    createdAt: createdAt(),
    readAt: at('read_at'),
  },
  (t) => [index('notifications_member').on(t.memberId, t.createdAt)],
);

/** One thing to send to one recipient on one channel (email, webhook, a platform reply): retried, never silently dropped. */
export const outbox = pgTable(
  'outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    kind: text('kind').notNull(),
    channel: text('channel').notNull(),
    recipient: text('recipient').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    status: text('status', { enum: outboxStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: at('sent_at'),
    crisisId: uuid('crisis_id').references(() => crises.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('outbox_idempotency').on(t.organizationId, t.idempotencyKey), index('outbox_due').on(t.status, t.nextAttemptAt)],
);

/** SQL projection of the room's checklist (the Yjs document is the source; rewritten on every flush). */
export const crisisChecklistItems = pgTable(
  'crisis_checklist_items',
  {
    crisisId: uuid('crisis_id')
      .notNull()
      .references(() => crises.id, { onDelete: 'cascade' }),
    itemId: text('item_id').notNull(),
    organizationId: orgId(),
    text: text('text').notNull(),
    ownerRole: text('owner_role'),
    ownerMemberId: uuid('owner_member_id'),
    dueAt: at('due_at'),
    doneBy: text('done_by'),
    doneAt: at('done_at'),
    orderKey: text('order_key').notNull(),
  },
  (t) => [uniqueIndex('crisis_checklist_pk').on(t.crisisId, t.itemId)],
);

/** SQL projection of the room's affected customers. */
export const crisisCustomers = pgTable(
  'crisis_customers',
  {
    crisisId: uuid('crisis_id')
      .notNull()
      .references(() => crises.id, { onDelete: 'cascade' }),
    entryId: text('entry_id').notNull(),
    organizationId: orgId(),
    customerId: uuid('customer_id'),
    /** The one identity the room resolved (joins `compensations.customer_key`). */
    customerKey: text('customer_key'),
    name: text('name').notNull(),
    contacts: jsonb('contacts').$type<{ channel: string; value: string }[]>().notNull().default([]),
    whatHappened: text('what_happened').notNull().default(''),
    state: text('state', { enum: ['to_contact', 'contacted', 'resolved'] }).notNull().default('to_contact'),
  },
  (t) => [uniqueIndex('crisis_customers_pk').on(t.crisisId, t.entryId)],
);

/** Compensation per affected customer per crisis; the unique key is what stops paying anyone twice. */
export const compensations = pgTable(
  'compensations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    crisisId: uuid('crisis_id')
      .notNull()
      .references(() => crises.id, { onDelete: 'cascade' }),
    /** The customer id when known, else the normalized contact key. */
    customerKey: text('customer_key').notNull(),
    refundCents: bigint('refund_cents', { mode: 'number' }).notNull().default(0),
    compensationCents: bigint('compensation_cents', { mode: 'number' }).notNull().default(0),
    compensationType: text('compensation_type').notNull().default('voucher'),
    currency: text('currency').notNull().default('USD'),
    status: text('status', { enum: ['proposed', 'approved', 'paid'] }).notNull().default('proposed'),
    approvedBy: uuid('approved_by').references(() => members.id, { onDelete: 'set null' }),
    approvedAt: at('approved_at'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('compensations_once').on(t.crisisId, t.customerKey)],
);

/**
 * One closed bucket of one live series (`all`, `channel:<name>`, `topic:<term>`): what came, what the baseline
 * expected before seeing it, and the upper edge of the expected band. The dashboard draws these.
 */
export const detectionBuckets = pgTable(
  'detection_buckets',
  {
    organizationId: orgId(),
    seriesKey: text('series_key').notNull(),
    bucketStart: timestamp('bucket_start', { withTimezone: true }).notNull(),
    observed: real('observed').notNull(),
    expected: real('expected').notNull(),
    upper: real('upper').notNull(),
  },
  (t) => [uniqueIndex('detection_buckets_pk').on(t.organizationId, t.seriesKey, t.bucketStart), index('detection_buckets_time').on(t.organizationId, t.bucketStart)],
);

/** Snapshot of a live series' learned baseline (SeriesState numbers), so a restart does not forget weeks of rhythm. */
export const detectionSeries = pgTable(
  'detection_series',
  {
    organizationId: orgId(),
    seriesKey: text('series_key').notNull(),
    state: jsonb('state').$type<number[]>().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('detection_series_pk').on(t.organizationId, t.seriesKey)],
);

/**
 * What the emerging-term finder learned about one term of an organization's complaints: its time-decayed counts as of
 * `last_seen_at` (the data's clock), so that after a restart a common word is still known as common. The row with
 * the empty term (never a term itself) holds the complaint totals the shares are measured against.
 */
export const detectionTerms = pgTable(
  'detection_terms',
  {
    organizationId: orgId(),
    term: text('term').notNull(),
    recent: doublePrecision('recent').notNull(),
    baseline: doublePrecision('baseline').notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    /** Already alerted on in its current surge. */
    flagged: boolean('flagged').notNull().default(false),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.term] })],
);
