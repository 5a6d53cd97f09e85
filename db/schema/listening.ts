import { sql } from 'drizzle-orm';
import { bigint, boolean, foreignKey, index, integer, jsonb, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
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
    agitator: jsonb('agitator').$type<{ kind: string; confidence: number; reasons: string[] }>(),
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
    organizationId: orgId(),
    customerId: uuid('customer_id').notNull(),
    subject: text('subject').notNull(),
    channel: text('channel', { enum: channels }).notNull(),
    status: text('status', { enum: ticketStatuses }).notNull().default('open'),
    priority: integer('priority').notNull().default(0),
    priorityBreakdown: jsonb('priority_breakdown').$type<{ factor: string; points: number; reason: string }[]>().notNull().default([]),
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
    index('tickets_assignee').on(t.assigneeId),
    index('tickets_crisis').on(t.crisisId),
    foreignKey({ name: 'tickets_customer_fk', columns: [t.organizationId, t.customerId], foreignColumns: [customers.organizationId, customers.id] }),
  ],
);

/** One inbound message as received (raw payload kept), normalized, classified and scored. Deduplicated per channel. */
export const mentions = pgTable(
  'mentions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: orgId(),
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
    customerId: uuid('customer_id'),
    ticketId: uuid('ticket_id').references(() => tickets.id),
    threadKey: text('thread_key'),
    isPublic: boolean('is_public').notNull(),
    promoted: boolean('promoted').notNull().default(false),
    metrics: jsonb('metrics').$type<{ impressions?: number; likes?: number; reposts?: number; replies?: number }>(),
    hashtags: text('hashtags').array().notNull().default(sql`'{}'::text[]`),
    lang: text('lang'),
    category: text('category', { enum: categories }).notNull(),
    sentiment: real('sentiment').notNull().default(0),
    matchedTriggers: text('matched_triggers').array().notNull().default(sql`'{}'::text[]`),
    topicTerms: text('topic_terms').array().notNull().default(sql`'{}'::text[]`),
    priority: integer('priority').notNull().default(0),
    priorityBreakdown: jsonb('priority_breakdown').$type<{ factor: string; points: number; reason: string }[]>().notNull().default([]),
    raw: jsonb('raw').notNull(),
  },
  (t) => [
    uniqueIndex('mentions_dedupe').on(t.organizationId, t.channel, t.externalId),
    index('mentions_org_time').on(t.organizationId, t.occurredAt),
    index('mentions_customer').on(t.customerId),
    index('mentions_ticket').on(t.ticketId),
    foreignKey({ name: 'mentions_customer_fk', columns: [t.organizationId, t.customerId], foreignColumns: [customers.organizationId, customers.id] }),
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
