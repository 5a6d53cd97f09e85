import { sql } from 'drizzle-orm';
import { bigint, boolean, foreignKey, index, integer, json, jsonb, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt } from './columns';
import { members, organizations } from './core';

/** Channels a mention can arrive on. */
export const channels = ['x', 'facebook', 'instagram', 'email', 'phone', 'chat'] as const;
export type ChannelName = (typeof channels)[number];

export const mentionKinds = ['post', 'comment', 'direct_message', 'email', 'call', 'chat'] as const;
export const categories = ['complaint', 'question', 'praise', 'other'] as const;
export const ticketStatuses = ['open', 'pending', 'resolved'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

const orgId = () =>
  uuid('organization_id')
    .notNull()
    .references(() => organizations.id, { onDelete: 'cascade' });

/**
 * A platform account of the organization and its webhook. `secrets` (app secret, verify token, consumer secret,
 * shared secret) never leave the server: queries for pages select the other columns only.
 */
export const channelConnections = pgTable(
  'channel_connections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    channel: text('channel', { enum: channels }).notNull(),
    name: text('name').notNull(),
    /** Public, unguessable id in the webhook URL (`/api/ingest/<channel>/<webhookKey>`). */
    webhookKey: text('webhook_key').notNull().unique(),
    /** The platform's id of our account (X for_user_id, Facebook page id, Instagram account id, inbound address). */
    externalAccountId: text('external_account_id'),
    secrets: jsonb('secrets').$type<Record<string, string>>().notNull().default({}),
    /**
     * Email only: the authserv-id of our receiving mail server (RFC 8601), whose Authentication-Results header is
     * trusted to say whether the From address is authenticated. Null: no sender is verified.
     */
    receivingMailServer: text('receiving_mail_server'),
    /**
     * Phone only: whether an inbound caller id that no STIR/SHAKEN attestation proves (none, No-TN-Validation — every
     * call from outside North America —, or a pass without its level) is taken as the customer's. False: such callers
     * are kept apart as unverified. Connections made before the setting existed were migrated to true (their old
     * behaviour), and the Channels page warns about it.
     */
    trustCallerId: boolean('trust_caller_id').notNull().default(false),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index('channel_connections_org').on(t.organizationId)],
);

/** Keys for the batch API; only a hash is stored. */
export const apiKeys = pgTable('api_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  organizationId: orgId(),
  name: text('name').notNull(),
  prefix: text('prefix').notNull(),
  keyHash: text('key_hash').notNull().unique(),
  createdAt: createdAt(),
  lastUsedAt: at('last_used_at'),
  revokedAt: at('revoked_at'),
});

/** One person across channels. A merged customer points at the one it was merged into. */
export const customers = pgTable(
  'customers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    displayName: text('display_name').notNull(),
    /** Lifetime value in minor units (cents) of `currency`. */
    lifetimeValueCents: bigint('lifetime_value_cents', { mode: 'number' }).notNull().default(0),
    currency: text('currency').notNull().default('USD'),
    /** Largest audience seen on any of their accounts. */
    followers: integer('followers').notNull().default(0),
    accountCreatedAt: at('account_created_at'),
    agitator: json('agitator').$type<{ kind: string; confidence: number; reasons: string[] }>(),
    mergedIntoId: uuid('merged_into_id'),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
    lastContactAt: at('last_contact_at'),
  },
  // (organization, id) is what rows of customers point to: a row of one organization cannot name another's customer.
  (t) => [uniqueIndex('customers_org_id').on(t.organizationId, t.id)],
);

/** A handle, email or phone that identifies a customer; `key` is normalized (`x:@name`, `email:a@b.c`, `phone:+1...`). */
export const customerIdentities = pgTable(
  'customer_identities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // The organization is checked through the customer (below): one foreign key check per row, not two, on the table a
    // storm writes most rows to.
    organizationId: uuid('organization_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    key: text('key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('customer_identities_org_key').on(t.organizationId, t.key),
    index('customer_identities_customer').on(t.customerId),
    foreignKey({ name: 'customer_identities_customer_fk', columns: [t.organizationId, t.customerId], foreignColumns: [customers.organizationId, customers.id] }).onDelete('cascade'),
  ],
);

export const purchases = pgTable(
  'purchases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    externalId: text('external_id').notNull(),
    amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    description: text('description').notNull().default(''),
    purchasedAt: timestamp('purchased_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('purchases_org_external').on(t.organizationId, t.externalId), index('purchases_customer').on(t.customerId)],
);

/** The conversation with one customer about one matter. */
export const tickets = pgTable(
  'tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // The organization is checked through the customer (below): the foreign key to (organization, customer) already
    // proves the organization exists, and deleting it deletes its customers and their tickets.
    organizationId: uuid('organization_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    subject: text('subject').notNull(),
    channel: text('channel', { enum: channels }).notNull(),
    status: text('status', { enum: ticketStatuses }).notNull().default('open'),
    priority: integer('priority').notNull().default(0),
    priorityBreakdown: json('priority_breakdown').$type<{ factor: string; points: number; reason: string }[]>().notNull().default([]),
    assigneeId: uuid('assignee_id').references(() => members.id, { onDelete: 'set null' }),
    slaDueAt: timestamp('sla_due_at', { withTimezone: true }).notNull(),
    escalatedAt: at('escalated_at'),
    firstResponseAt: at('first_response_at'),
    crisisId: uuid('crisis_id'),
    topicTerms: text('topic_terms').array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
    lastMentionAt: timestamp('last_mention_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: at('resolved_at'),
  },
  (t) => [
    index('tickets_queue').on(t.organizationId, t.status, t.priority),
    index('tickets_customer').on(t.customerId),
    // Only assigned tickets and crisis tickets are looked up by these: a storm's new tickets add no entry to them.
    index('tickets_assignee').on(t.assigneeId).where(sql`${t.assigneeId} is not null`),
    index('tickets_crisis').on(t.crisisId).where(sql`${t.crisisId} is not null`),
    foreignKey({ name: 'tickets_customer_fk', columns: [t.organizationId, t.customerId], foreignColumns: [customers.organizationId, customers.id] }).onDelete('cascade'),
  ],
);

/** One inbound message as received (raw payload kept), normalized, classified and scored. Deduplicated per channel. */
export const mentions = pgTable(
  'mentions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // Checked through the customer, as for tickets: one foreign key check per row fewer on the table a storm fills.
    organizationId: uuid('organization_id').notNull(),
    channel: text('channel', { enum: channels }).notNull(),
    connectionId: uuid('connection_id').references(() => channelConnections.id, { onDelete: 'set null' }),
    externalId: text('external_id').notNull(),
    kind: text('kind', { enum: mentionKinds }).notNull(),
    text: text('text').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    authorExternalId: text('author_external_id'),
    authorHandle: text('author_handle'),
    authorName: text('author_name'),
    authorFollowers: integer('author_followers'),
    customerId: uuid('customer_id').notNull(),
    ticketId: uuid('ticket_id').references(() => tickets.id),
    threadKey: text('thread_key'),
    isPublic: boolean('is_public').notNull(),
    promoted: boolean('promoted').notNull().default(false),
    metrics: json('metrics').$type<{ impressions?: number; likes?: number; reposts?: number; replies?: number }>(),
    hashtags: text('hashtags').array().notNull().default(sql`'{}'::text[]`),
    lang: text('lang'),
    category: text('category', { enum: categories }).notNull(),
    sentiment: real('sentiment').notNull().default(0),
    matchedTriggers: text('matched_triggers').array().notNull().default(sql`'{}'::text[]`),
    topicTerms: text('topic_terms').array().notNull().default(sql`'{}'::text[]`),
    priority: integer('priority').notNull().default(0),
    // json, not jsonb, for the documents written once and read whole (the breakdown, the payload; agitator and the
    // ticket's breakdown too): json input only checks the text, where jsonb builds a tree, a quarter of the cost of
    // writing a mention row. And the payload keeps its exact text.
    priorityBreakdown: json('priority_breakdown').$type<{ factor: string; points: number; reason: string }[]>().notNull().default([]),
    raw: json('raw').notNull(),
  },
  (t) => [
    uniqueIndex('mentions_dedupe').on(t.organizationId, t.channel, t.externalId),
    index('mentions_org_time').on(t.organizationId, t.occurredAt),
    index('mentions_customer').on(t.customerId),
    index('mentions_ticket').on(t.ticketId),
    foreignKey({ name: 'mentions_customer_fk', columns: [t.organizationId, t.customerId], foreignColumns: [customers.organizationId, customers.id] }).onDelete('cascade'),
  ],
);

export const mentionFetchStatuses = ['pending', 'fetching', 'fetched', 'skipped', 'failed'] as const;
export type MentionFetchStatus = (typeof mentionFetchStatuses)[number];

/**
 * An Instagram mention Meta announced by ids only (`mentions` webhook: media id, comment id), kept until its text and
 * author are fetched from the Graph API and ingested: accepted means never lost. A Meta retry of the same webhook finds
 * its row (the unique index) instead of queueing a second fetch. `fetching` is a lease: a worker that died mid-fetch
 * leaves the row claimable again once `next_attempt_at` passes.
 */
export const instagramMentionFetches = pgTable(
  'instagram_mention_fetches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => channelConnections.id, { onDelete: 'cascade' }),
    /** The mentioned Instagram account (the webhook entry's id): the `{ig-user-id}` the Graph API is asked through. */
    accountId: text('account_id').notNull(),
    mediaId: text('media_id').notNull(),
    /** '' for a mention in a caption: NULLs never collide in a unique index, and retries must. */
    commentId: text('comment_id').notNull().default(''),
    /** When Meta says it happened (entry.time): the mention's time if the Graph answer has none. */
    notifiedAt: timestamp('notified_at', { withTimezone: true }).notNull(),
    status: text('status', { enum: mentionFetchStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    lastAttemptAt: at('last_attempt_at'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    fetchedAt: at('fetched_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('instagram_mention_fetches_dedupe').on(t.organizationId, t.connectionId, t.mediaId, t.commentId),
    index('instagram_mention_fetches_due').on(t.status, t.nextAttemptAt),
  ],
);

/** An organization's tunable settings; absent keys take the code's defaults. */
export const organizationSettings = pgTable('organization_settings', {
  organizationId: uuid('organization_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  classification: jsonb('classification').$type<Record<string, unknown>>().notNull().default({}),
  priorityWeights: jsonb('priority_weights').$type<Record<string, number>>().notNull().default({}),
  /** First-response target in minutes per channel (default 60). */
  slaMinutes: jsonb('sla_minutes').$type<Partial<Record<ChannelName, number>>>().notNull().default({}),
  detection: jsonb('detection').$type<Record<string, unknown>>().notNull().default({}),
  notifications: jsonb('notifications').$type<{ webhookUrl?: string; emailTo?: string[] }>().notNull().default({}),
  /**
   * The country calling code ("34") a phone number written without one is read in: national numbers in call records,
   * the batch API, CSV imports and purchases. Null: such numbers are not read as phone numbers.
   */
  defaultCallingCode: text('default_calling_code'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** What an agent can take: skills, a cap on open tickets, whether they are on duty. */
export const agentProfiles = pgTable('agent_profiles', {
  memberId: uuid('member_id')
    .primaryKey()
    .references(() => members.id, { onDelete: 'cascade' }),
  organizationId: orgId(),
  channels: text('channels').array().notNull().default(sql`'{}'::text[]`),
  languages: text('languages').array().notNull().default(sql`'{}'::text[]`),
  topics: text('topics').array().notNull().default(sql`'{}'::text[]`),
  maxOpenTickets: integer('max_open_tickets').notNull().default(15),
  onDuty: boolean('on_duty').notNull().default(true),
  csat: real('csat'),
  avgResponseSeconds: integer('avg_response_seconds'),
});
