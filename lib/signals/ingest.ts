import { randomUUID } from 'node:crypto';
import { and, eq, gte, inArray, ne, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { customerIdentities, customers, mentions, purchases, tickets } from '@/db/schema';
import type { Channel, NormalizedMention } from '@/lib/channels/types';
import { type Ctx, inTransaction } from '@/lib/context';
import { type IngestedMention, publish } from '@/lib/events';
import { assignTickets, loadRoutingCandidates, type TicketToRoute } from '@/lib/routing/assign';
import { assessAgitator, type AgitatorAssessment } from '@/lib/signals/agitator';
import { classifyText, type Classification } from '@/lib/signals/classify';
import { identityKeysOf } from '@/lib/signals/identity';
import { scorePriority, type Priority } from '@/lib/signals/priority';
import { loadListeningSettings, type ListeningSettings } from '@/lib/signals/settings';
import { parseInput } from '@/lib/validation';

const isMention = (value: unknown): value is NormalizedMention => {
  const m = value as NormalizedMention | null;
  return typeof m === 'object' && m !== null && typeof m.channel === 'string' && typeof m.externalId === 'string' && m.externalId !== '' && typeof m.text === 'string' && m.occurredAt instanceof Date && typeof m.author?.externalId === 'string';
};

export const IngestInput = z.object({
  /** Mentions already verified and normalized by a channel adapter. */
  mentions: z.array(z.custom<NormalizedMention>(isMention, 'expected a normalized mention')).max(20_000),
  /** The channel connection they arrived through, if any. */
  connectionId: z.string().uuid().optional(),
  receivedAt: z.date().optional(),
  /** Country calling code for national phone numbers in identities. */
  defaultCallingCode: z.string().regex(/^[1-9]\d{0,2}$/).optional(),
});
export type IngestInput = z.input<typeof IngestInput>;

/** What an ingest did: new mentions stored, and how many were already known (platform retries, repeated imports). */
export interface IngestResult {
  accepted: number;
  duplicates: number;
  mentions: IngestedMention[];
  /** Tickets opened by this ingest. */
  newTicketIds: string[];
}

/** A concurrent ingest stored one of our keys first; the whole transaction is retried so nothing is half-stored. */
class ConcurrentIngest extends Error {}

const dayMs = 86_400_000;
// Rows per multi-row INSERT: Postgres allows 65,535 parameters per statement; mentions have 29 columns.
const chunkRows = 1_000;

/**
 * The one ingest path for every channel: dedupe by (organization, channel, externalId) → resolve the customer by
 * identity keys (one customer across channels) → classify with the organization's triggers → score priority with
 * its breakdown (customer value, reach, the last 24 hours on any channel) → group into the customer's open ticket or
 * open one with its SLA target → route new tickets. All in one transaction with multi-row statements; events are
 * published after commit. Duplicates are counted, never errors.
 */
export async function ingestMentions({ ctx, input }: { ctx: Ctx; input: IngestInput }): Promise<IngestResult> {
  const data = parseInput(IngestInput, input);
  const receivedAt = data.receivedAt ?? new Date();
  const seen = new Set<string>();
  const unique: NormalizedMention[] = [];
  for (const mention of data.mentions) {
    const key = `${mention.channel}\u0000${mention.externalId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(mention);
  }
  const repeatedInBatch = data.mentions.length - unique.length;
  if (unique.length === 0) return { accepted: 0, duplicates: repeatedInBatch, mentions: [], newTicketIds: [] };

  const settings = await loadListeningSettings(ctx.db, ctx.organizationId);
  let result: IngestResult | undefined;
  for (let attempt = 0; !result; attempt++) {
    try {
      result = await inTransaction(ctx, (tx) => ingestInTransaction(tx.db, ctx.organizationId, unique, { ...data, receivedAt }, settings));
    } catch (error) {
      if (!(error instanceof ConcurrentIngest) || attempt >= 4) throw error;
    }
  }
  result.duplicates += repeatedInBatch;
  if (result.accepted > 0) {
    publish('mentions.ingested', { organizationId: ctx.organizationId, mentions: result.mentions });
    publish('live.changed', { organizationId: ctx.organizationId, topic: 'queue' });
  }
  return result;
}

type CustomerState = {
  id: string;
  isNew: boolean;
  displayName: string;
  lifetimeValueCents: number;
  currency: string;
  followers: number;
  accountCreatedAt: Date | null;
  purchaseCount: number;
  firstSeenAt: Date;
  lastContactAt: Date | null;
  agitator: AgitatorAssessment | null;
  contacts: { channel: Channel; occurredAt: Date }[];
  touched: boolean;
};

type TicketState = TicketToRoute & {
  isNew: boolean;
  customerId: string;
  subject: string;
  status: 'open' | 'pending' | 'resolved';
  breakdown: Priority['breakdown'];
  slaDueAt: Date;
  topicTerms: string[];
  lastMentionAt: Date;
  touched: boolean;
};

async function ingestInTransaction(db: Db, organizationId: string, batch: NormalizedMention[], input: { connectionId?: string; receivedAt: Date; defaultCallingCode?: string }, settings: ListeningSettings): Promise<IngestResult> {
  // 1. Deduplicate against what is stored.
  const known = new Set<string>();
  for (const ids of chunks([...new Set(batch.map((m) => m.externalId))], 10_000)) {
    const rows = await db
      .select({ channel: mentions.channel, externalId: mentions.externalId })
      .from(mentions)
      .where(and(eq(mentions.organizationId, organizationId), inArray(mentions.externalId, ids)));
    for (const row of rows) known.add(`${row.channel}\u0000${row.externalId}`);
  }
  const fresh = batch.filter((m) => !known.has(`${m.channel}\u0000${m.externalId}`)).sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  if (fresh.length === 0) return { accepted: 0, duplicates: batch.length, mentions: [], newTicketIds: [] };

  // 2. Who wrote them: identity keys → stored customers.
  const keysOf = fresh.map((m) => identityKeysOf(m, { defaultCallingCode: input.defaultCallingCode }));
  const customerOfKey = new Map<string, string>();
  for (const keys of chunks([...new Set(keysOf.flat())], 10_000)) {
    const rows = await db
      .select({ key: customerIdentities.key, customerId: customerIdentities.customerId })
      .from(customerIdentities)
      .where(and(eq(customerIdentities.organizationId, organizationId), inArray(customerIdentities.key, keys)));
    for (const row of rows) customerOfKey.set(row.key, row.customerId);
  }
  const customerState = await loadCustomers(db, organizationId, [...new Set(customerOfKey.values())], fresh[0]!.occurredAt);
  const openTicketOf = await loadOpenTickets(db, organizationId, [...customerState.keys()]);
  const [purchaseData] = await db.select({ any: sql<number>`1` }).from(purchases).where(eq(purchases.organizationId, organizationId)).limit(1);
  const orgHasPurchaseData = purchaseData !== undefined;

  const newIdentities: { organizationId: string; customerId: string; key: string }[] = [];
  const rows: (typeof mentions.$inferInsert)[] = [];
  const ingested: IngestedMention[] = [];
  const ticketState = new Map<string, TicketState>();
  for (const ticket of openTicketOf.values()) ticketState.set(ticket.id, ticket);

  fresh.forEach((mention, i) => {
    const keys = keysOf[i]!;
    // 3. One customer across channels: the first key already known decides; the others are linked to them.
    const knownId = keys.map((k) => customerOfKey.get(k)).find((id) => id !== undefined);
    let customer = knownId ? customerState.get(knownId) : undefined;
    if (!customer) {
      customer = newCustomer(mention);
      customerState.set(customer.id, customer);
    }
    for (const key of keys) {
      if (customerOfKey.has(key)) continue;
      customerOfKey.set(key, customer.id);
      newIdentities.push({ organizationId, customerId: customer.id, key });
    }
    const followers = mention.author.followers;
    if (followers !== undefined && followers > customer.followers) customer.followers = followers;
    if (!customer.accountCreatedAt && mention.author.accountCreatedAt) customer.accountCreatedAt = mention.author.accountCreatedAt;

    // 4. Classify with the organization's triggers.
    const text = withoutNul(mention.text);
    const classification = classifyText({ text, hashtags: mention.hashtags }, settings.classify);

    // 5. Priority, from what we know of this customer up to this mention.
    const since = mention.occurredAt.getTime() - dayMs;
    const recent = customer.contacts.filter((c) => c.occurredAt.getTime() >= since && c.occurredAt.getTime() <= mention.occurredAt.getTime());
    const knowsPurchases = orgHasPurchaseData || customer.purchaseCount > 0;
    const agitator = assessAgitator({
      now: mention.occurredAt,
      ...(knowsPurchases && { purchaseCount: customer.purchaseCount, lifetimeValue: customer.lifetimeValueCents / 100 }),
      ...(customer.accountCreatedAt && { accountCreatedAt: customer.accountCreatedAt }),
      postsLast24h: recent.length + 1,
      ...(customer.followers > 0 || followers !== undefined ? { followers: customer.followers } : {}),
      ...(mention.metrics?.impressions !== undefined && { impressions: mention.metrics.impressions }),
      promoted: mention.promoted ?? false,
      hashtags: mention.hashtags,
    });
    const priority = scorePriority(
      {
        channel: mention.channel,
        occurredAt: mention.occurredAt,
        category: classification.category,
        sentiment: classification.sentiment,
        matchedTriggers: classification.matchedTriggers,
        ...(knowsPurchases && { lifetimeValue: customer.lifetimeValueCents / 100 }),
        ...(customer.followers > 0 || followers !== undefined ? { followers: customer.followers } : {}),
        ...(mention.metrics?.impressions !== undefined && { impressions: mention.metrics.impressions }),
        promoted: mention.promoted ?? false,
        earlierContacts: recent,
        agitator,
      },
      settings.weights,
    );
    customer.agitator = agitator;
    customer.contacts.push({ channel: mention.channel, occurredAt: mention.occurredAt });
    if (!customer.lastContactAt || customer.lastContactAt < mention.occurredAt) customer.lastContactAt = mention.occurredAt;
    customer.touched = true;

    // 6. Tickets: the customer's open ticket takes the mention; else a new one with its SLA target.
    const ticket = groupIntoTicket(ticketState, openTicketOf, customer, mention, text, classification, priority, input.receivedAt, settings);

    const id = randomUUID();
    rows.push({
      id,
      organizationId,
      channel: mention.channel,
      connectionId: input.connectionId ?? null,
      externalId: mention.externalId,
      kind: mention.kind,
      text,
      occurredAt: mention.occurredAt,
      receivedAt: input.receivedAt,
      authorExternalId: mention.author.externalId,
      authorHandle: mention.author.handle ?? null,
      authorName: mention.author.name ?? null,
      authorFollowers: followers ?? null,
      customerId: customer.id,
      ticketId: ticket.id,
      threadKey: mention.threadKey ?? null,
      isPublic: mention.isPublic,
      promoted: mention.promoted ?? false,
      metrics: mention.metrics ?? null,
      hashtags: mention.hashtags,
      lang: mention.lang ?? (classification.language === 'unknown' ? null : classification.language),
      category: classification.category,
      sentiment: classification.sentiment,
      matchedTriggers: classification.matchedTriggers,
      topicTerms: classification.topicTerms,
      priority: priority.score,
      priorityBreakdown: priority.breakdown,
      raw: storableRaw(mention.raw),
    });
    ingested.push({
      id,
      channel: mention.channel,
      occurredAt: mention.occurredAt,
      category: classification.category,
      topicTerms: classification.topicTerms,
      hashtags: mention.hashtags,
      text,
      isPublic: mention.isPublic,
      promoted: mention.promoted ?? false,
      metrics: mention.metrics ?? null,
      authorHandle: mention.author.handle ?? null,
      authorFollowers: followers ?? null,
      customerId: customer.id,
      ticketId: ticket.id,
    });
  });

  // 7. Route the new tickets before they are written, so no second statement is needed.
  const newTickets = [...ticketState.values()].filter((t) => t.isNew);
  if (newTickets.length > 0) {
    const candidates = await loadRoutingCandidates(db, organizationId);
    const ltvOf = new Map([...customerState.values()].map((c) => [c.id, c.lifetimeValueCents / 100]));
    assignTickets(newTickets.sort((a, b) => b.priority - a.priority), candidates, { lifetimeValueOf: (t) => ltvOf.get((t as TicketState).customerId) ?? 0 });
  }

  // 8. Write: customers, identities, tickets, mentions; each as few multi-row statements as Postgres allows.
  const createdCustomers = [...customerState.values()].filter((c) => c.isNew);
  for (const part of chunks(createdCustomers, chunkRows)) {
    await db.insert(customers).values(
      part.map((c) => ({ id: c.id, organizationId, displayName: c.displayName, followers: c.followers, accountCreatedAt: c.accountCreatedAt, agitator: c.agitator, firstSeenAt: c.firstSeenAt, lastContactAt: c.lastContactAt })),
    );
  }
  for (const part of chunks(newIdentities, 5_000)) {
    const inserted = await db.insert(customerIdentities).values(part).onConflictDoNothing().returning({ id: customerIdentities.id });
    if (inserted.length !== part.length) throw new ConcurrentIngest();
  }
  await updateCustomers(db, [...customerState.values()].filter((c) => !c.isNew && c.touched));
  for (const part of chunks(newTickets, chunkRows)) {
    await db.insert(tickets).values(
      part.map((t) => ({
        id: t.id,
        organizationId,
        customerId: t.customerId,
        subject: t.subject,
        channel: t.channel,
        status: t.status,
        priority: t.priority,
        priorityBreakdown: t.breakdown,
        assigneeId: t.assigneeId,
        slaDueAt: t.slaDueAt,
        topicTerms: t.topicTerms,
        createdAt: input.receivedAt,
        lastMentionAt: t.lastMentionAt,
      })),
    );
  }
  await updateTickets(db, [...ticketState.values()].filter((t) => !t.isNew && t.touched));
  for (const part of chunks(rows, chunkRows)) {
    const inserted = await db.insert(mentions).values(part).onConflictDoNothing().returning({ id: mentions.id });
    if (inserted.length !== part.length) throw new ConcurrentIngest();
  }
  return { accepted: rows.length, duplicates: batch.length - fresh.length, mentions: ingested, newTicketIds: newTickets.map((t) => t.id) };
}

function newCustomer(mention: NormalizedMention): CustomerState {
  const a = mention.author;
  const displayName = a.name?.trim() || (a.handle ? `@${a.handle}` : undefined) || a.email || a.phone || a.externalId;
  return {
    id: randomUUID(),
    isNew: true,
    displayName: withoutNul(displayName).slice(0, 300),
    lifetimeValueCents: 0,
    currency: 'USD',
    followers: a.followers ?? 0,
    accountCreatedAt: a.accountCreatedAt ?? null,
    purchaseCount: 0,
    firstSeenAt: mention.occurredAt,
    lastContactAt: null,
    agitator: null,
    contacts: [],
    touched: true,
  };
}

function groupIntoTicket(
  ticketState: Map<string, TicketState>,
  openTicketOf: Map<string, TicketState>,
  customer: CustomerState,
  mention: NormalizedMention,
  text: string,
  classification: Classification,
  priority: Priority,
  receivedAt: Date,
  settings: ListeningSettings,
): TicketState {
  const open = openTicketOf.get(customer.id);
  if (open) {
    if (priority.score > open.priority) {
      open.priority = priority.score;
      open.breakdown = priority.breakdown;
    }
    if (mention.occurredAt > open.lastMentionAt) open.lastMentionAt = mention.occurredAt;
    // The customer wrote again: a ticket waiting on them is back in the queue.
    if (open.status === 'pending') open.status = 'open';
    open.sentiment = Math.min(open.sentiment, classification.sentiment);
    open.touched = true;
    return open;
  }
  const ticket: TicketState = {
    id: randomUUID(),
    isNew: true,
    customerId: customer.id,
    subject: subjectOf(text),
    channel: mention.channel,
    status: 'open',
    priority: priority.score,
    breakdown: priority.breakdown,
    slaDueAt: new Date(receivedAt.getTime() + settings.slaMinutes[mention.channel] * 60_000),
    topicTerms: classification.topicTerms.slice(0, 20),
    lastMentionAt: mention.occurredAt,
    language: mention.lang ?? classification.language,
    sentiment: classification.sentiment,
    assigneeId: null,
    touched: true,
  };
  openTicketOf.set(customer.id, ticket);
  ticketState.set(ticket.id, ticket);
  return ticket;
}

/** A ticket's subject: the first line of what the customer wrote, shortened. */
export function subjectOf(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '(no text)';
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}

async function loadCustomers(db: Db, organizationId: string, ids: string[], earliest: Date): Promise<Map<string, CustomerState>> {
  const state = new Map<string, CustomerState>();
  if (ids.length === 0) return state;
  for (const part of chunks(ids, 10_000)) {
    const rows = await db
      .select({
        id: customers.id,
        displayName: customers.displayName,
        lifetimeValueCents: customers.lifetimeValueCents,
        currency: customers.currency,
        followers: customers.followers,
        accountCreatedAt: customers.accountCreatedAt,
        firstSeenAt: customers.firstSeenAt,
        lastContactAt: customers.lastContactAt,
        agitator: customers.agitator,
      })
      .from(customers)
      .where(and(eq(customers.organizationId, organizationId), inArray(customers.id, part)));
    for (const row of rows) state.set(row.id, { ...row, agitator: (row.agitator as AgitatorAssessment | null) ?? null, isNew: false, purchaseCount: 0, contacts: [], touched: false });
    const counts = await db
      .select({ customerId: purchases.customerId, n: sql<number>`count(*)::int` })
      .from(purchases)
      .where(and(eq(purchases.organizationId, organizationId), inArray(purchases.customerId, part)))
      .groupBy(purchases.customerId);
    for (const row of counts) {
      const customer = state.get(row.customerId);
      if (customer) customer.purchaseCount = Number(row.n);
    }
    // Earlier contacts on any channel: what cross-channel priority and the posting rate look at.
    const history = await db
      .select({ customerId: mentions.customerId, channel: mentions.channel, occurredAt: mentions.occurredAt })
      .from(mentions)
      .where(and(eq(mentions.organizationId, organizationId), inArray(mentions.customerId, part), gte(mentions.occurredAt, new Date(earliest.getTime() - dayMs))));
    for (const row of history) if (row.customerId) state.get(row.customerId)?.contacts.push({ channel: row.channel, occurredAt: row.occurredAt });
  }
  return state;
}

async function loadOpenTickets(db: Db, organizationId: string, customerIds: string[]): Promise<Map<string, TicketState>> {
  const open = new Map<string, TicketState>();
  for (const part of chunks(customerIds, 10_000)) {
    const rows = await db
      .select()
      .from(tickets)
      .where(and(eq(tickets.organizationId, organizationId), inArray(tickets.customerId, part), ne(tickets.status, 'resolved')))
      .orderBy(tickets.lastMentionAt);
    // Ordered oldest first, so the most recently active open ticket wins.
    for (const t of rows) {
      open.set(t.customerId, {
        id: t.id,
        isNew: false,
        customerId: t.customerId,
        subject: t.subject,
        channel: t.channel,
        status: t.status,
        priority: t.priority,
        breakdown: t.priorityBreakdown as Priority['breakdown'],
        slaDueAt: t.slaDueAt,
        topicTerms: t.topicTerms,
        lastMentionAt: t.lastMentionAt,
        language: 'unknown',
        sentiment: 0,
        assigneeId: t.assigneeId,
        touched: false,
      });
    }
  }
  return open;
}

async function updateCustomers(db: Db, changed: CustomerState[]): Promise<void> {
  for (const part of chunks(changed, 2_000)) {
    const values = sql.join(
      part.map((c) => sql`(${c.id}::uuid, ${c.followers}::int, ${c.lastContactAt?.toISOString() ?? null}::timestamptz, ${c.accountCreatedAt?.toISOString() ?? null}::timestamptz, ${JSON.stringify(c.agitator)}::jsonb)`),
      sql`, `,
    );
    await db.execute(sql`update customers as c set
      followers = greatest(c.followers, v.followers),
      last_contact_at = greatest(c.last_contact_at, v.last_contact_at),
      account_created_at = coalesce(c.account_created_at, v.account_created_at),
      agitator = v.agitator
      from (values ${values}) as v(id, followers, last_contact_at, account_created_at, agitator) where c.id = v.id`);
  }
}

async function updateTickets(db: Db, changed: TicketState[]): Promise<void> {
  for (const part of chunks(changed, 2_000)) {
    const values: SQL = sql.join(
      part.map((t) => sql`(${t.id}::uuid, ${t.priority}::int, ${JSON.stringify(t.breakdown)}::jsonb, ${t.lastMentionAt.toISOString()}::timestamptz, ${t.status}::text)`),
      sql`, `,
    );
    await db.execute(sql`update tickets as t set
      priority = v.priority, priority_breakdown = v.breakdown, last_mention_at = greatest(t.last_mention_at, v.last_mention_at), status = v.status
      from (values ${values}) as v(id, priority, breakdown, last_mention_at, status) where t.id = v.id`);
  }
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** Postgres text and jsonb cannot hold U+0000; an untrusted message may. */
function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}

function storableRaw(raw: unknown): unknown {
  if (raw === undefined) return {};
  if (typeof raw === 'string') return withoutNul(raw);
  const json = JSON.stringify(raw);
  return json.includes('\\u0000') ? (JSON.parse(json.replaceAll('\\u0000', '\\ufffd')) as unknown) : raw;
}
