import { and, eq, gte, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { customerIdentities, customers, mentions, purchases, tickets } from '@/db/schema';
import type { Channel, NormalizedMention } from '@/lib/channels/types';
import { type Ctx, inTransaction } from '@/lib/context';
import { uuidv7 } from '@/lib/ids';
import { type IngestedMention, publish } from '@/lib/events';
import { assignTickets, loadRoutingCandidates, type RoutingCandidate, type TicketToRoute } from '@/lib/routing/assign';
import { type BulkRow, bulkWriter, executeRepeated } from '@/lib/signals/bulk';
import { assessCheckedAgitator, type AgitatorAssessment } from '@/lib/signals/agitator';
import { classifyText, type Classification } from '@/lib/signals/classify';
import { identityKeysOf } from '@/lib/signals/identity';
import { scoreCheckedPriority, type Priority } from '@/lib/signals/priority';
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

/**
 * A concurrent ingest (another server instance) stored one of our keys first: a mention's (channel, externalId) or an
 * identity key. The insert fails on the unique index, the transaction rolls back whole, and the run is retried, when
 * its reads see those rows as stored. Plain inserts, not ON CONFLICT DO NOTHING: the speculative insertion that
 * needs cost every row of every run for what only a race brings.
 */
const isConcurrentInsert = (error: unknown): boolean => {
  for (let cause = error; cause instanceof Error; cause = cause.cause) if ((cause as { code?: unknown }).code === '23505') return true;
  return false;
};

const dayMs = 86_400_000;
// Mentions per slice of a run: small enough that the database works on one slice while the next is scored, large
// enough that each statement carries many rows.
const sliceMentions = 1_000;
// How long scoring may hold the event loop before the database's replies are read.
const yieldEveryMs = 2;
const yieldToIo = () => new Promise((resolve) => setImmediate(resolve));

/** One mention with where and when it arrived; calls that run together keep their own. */
type Item = { mention: NormalizedMention; connectionId: string | null; receivedAt: Date };

/** What happened to each item of a run, by position: stored (with what detectors see) or already known. */
type RunOutcome = { stored: (IngestedMention | null)[]; newTicketIds: string[] };

/**
 * The one ingest path for every channel: dedupe by (organization, channel, externalId) → resolve the customer by
 * identity keys (one customer across channels) → classify with the organization's triggers → score priority with
 * its breakdown (customer value, reach, the last 24 hours on any channel) → group into the customer's open ticket or
 * open one with its SLA target → route new tickets. All in one transaction with multi-row statements; events are
 * published after commit. Duplicates are counted, never errors. Calls for one organization that arrive while its
 * previous ingest is still writing are run together in the next transaction (many webhooks, one commit).
 */
export async function ingestMentions({ ctx, input }: { ctx: Ctx; input: IngestInput }): Promise<IngestResult> {
  const data = parseInput(IngestInput, input);
  const receivedAt = data.receivedAt ?? new Date();
  const items: Item[] = data.mentions.map((mention) => ({ mention, connectionId: data.connectionId ?? null, receivedAt }));
  if (items.length === 0) return { accepted: 0, duplicates: 0, mentions: [], newTicketIds: [] };
  const outcome = isTransaction(ctx.db) ? await runItems(ctx, items) : await coalesced(ctx, items);
  const stored = outcome.stored.filter((m): m is IngestedMention => m !== null);
  return { accepted: stored.length, duplicates: items.length - stored.length, mentions: stored, newTicketIds: outcome.newTicketIds };
}

// drizzle transactions expose `rollback`; inside one, the caller owns the commit and nothing is coalesced.
const isTransaction = (db: Db) => typeof (db as unknown as { rollback?: unknown }).rollback === 'function';

type Waiting = { items: Item[]; resolve: (outcome: RunOutcome) => void; reject: (error: unknown) => void };
type Lane = { running: boolean; waiting: Waiting[] };
const lanes = new WeakMap<Db, Map<string, Lane>>();

/** Queues a call on its organization's lane; a lane runs one transaction at a time with everything that waited. */
function coalesced(ctx: Ctx, items: Item[]): Promise<RunOutcome> {
  let byOrg = lanes.get(ctx.db);
  if (!byOrg) lanes.set(ctx.db, (byOrg = new Map()));
  let lane = byOrg.get(ctx.organizationId);
  if (!lane) byOrg.set(ctx.organizationId, (lane = { running: false, waiting: [] }));
  const promise = new Promise<RunOutcome>((resolve, reject) => lane.waiting.push({ items, resolve, reject }));
  if (!lane.running) {
    lane.running = true;
    // Let the requests already read in this turn of the event loop join the first run.
    setImmediate(() => void drain(ctx, lane));
  }
  return promise;
}

async function drain(ctx: Ctx, lane: Lane): Promise<void> {
  while (lane.waiting.length > 0) {
    const calls = lane.waiting.splice(0);
    try {
      const outcome = await runItems(ctx, calls.flatMap((c) => c.items));
      let offset = 0;
      for (const call of calls) {
        const stored = outcome.stored.slice(offset, offset + call.items.length);
        offset += call.items.length;
        const tickets = new Set(stored.flatMap((m) => (m?.ticketId ? [m.ticketId] : [])));
        call.resolve({ stored, newTicketIds: outcome.newTicketIds.filter((id) => tickets.has(id)) });
      }
    } catch (error) {
      if (calls.length === 1) calls[0]!.reject(error);
      // One call's failure must not fail the others: run them apart.
      else for (const call of calls) await runItems(ctx, call.items).then(call.resolve, call.reject);
    }
  }
  lane.running = false;
}

/** Runs items in one transaction (retried whole when a concurrent ingest stored one of its keys first), then publishes. */
async function runItems(ctx: Ctx, items: Item[]): Promise<RunOutcome> {
  const settings = await loadListeningSettings(ctx.db, ctx.organizationId);
  let outcome: RunOutcome | undefined;
  for (let attempt = 0; !outcome; attempt++) {
    try {
      outcome = await inTransaction(ctx, (tx) => ingestInTransaction(tx.db, ctx.organizationId, items, settings));
    } catch (error) {
      if (!isConcurrentInsert(error) || attempt >= 4) throw error;
    }
  }
  const stored = outcome.stored.filter((m): m is IngestedMention => m !== null);
  if (stored.length > 0) {
    publish('mentions.ingested', { organizationId: ctx.organizationId, mentions: stored });
    publish('live.changed', { organizationId: ctx.organizationId, topic: 'queue' });
  }
  return outcome;
}

type CustomerState = {
  id: string;
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
  customerId: string;
  subject: string;
  status: 'open' | 'pending' | 'resolved';
  breakdown: Priority['breakdown'];
  slaDueAt: Date;
  topicTerms: string[];
  createdAt: Date;
  lastMentionAt: Date;
  touched: boolean;
};

async function ingestInTransaction(db: Db, organizationId: string, items: Item[], settings: ListeningSettings): Promise<RunOutcome> {
  const stored: (IngestedMention | null)[] = items.map(() => null);
  // 1. Deduplicate within the run (the first wins), then against what is stored (read with the rest below).
  const keyOf = (m: NormalizedMention) => `${m.channel}\u0000${m.externalId}`;
  const firstIndex = new Map<string, number>();
  items.forEach((item, index) => {
    if (!firstIndex.has(keyOf(item.mention))) firstIndex.set(keyOf(item.mention), index);
  });
  // 2. Who wrote them: identity keys, and what the database knows of those people.
  const candidates = [...firstIndex.values()];
  const keysByIndex = new Map(candidates.map((index) => [index, identityKeysOf(items[index]!.mention, { defaultCallingCode: settings.defaultCallingCode ?? undefined })]));
  const earliest = Math.min(...candidates.map((index) => items[index]!.mention.occurredAt.getTime()));
  const reading = readStoredState(
    db,
    organizationId,
    candidates.map((index) => ({ channel: items[index]!.mention.channel, externalId: items[index]!.mention.externalId })),
    [...new Set([...keysByIndex.values()].flat())],
    new Date(earliest),
  );
  // Awaited below: a failure must not count as unhandled while classification runs.
  reading.catch(() => undefined);
  // 4. Classify with the organization's triggers while the database reads: it needs only the text.
  const texts = new Map<number, string>();
  const classifications = new Map<number, Classification>();
  let lastYield = performance.now();
  for (const index of candidates) {
    if (performance.now() - lastYield > yieldEveryMs) await (lastYield = performance.now(), yieldToIo());
    const { mention } = items[index]!;
    const text = withoutNul(mention.text);
    texts.set(index, text);
    classifications.set(index, classifyText({ text, hashtags: mention.hashtags }, settings.classify));
  }
  const { known, customerOfKey, customerState, openTicketOf, orgHasPurchaseData, routing } = await reading;
  const fresh = candidates.filter((index) => !known.has(keyOf(items[index]!.mention))).sort((a, b) => items[a]!.mention.occurredAt.getTime() - items[b]!.mention.occurredAt.getTime());
  if (fresh.length === 0) return { stored, newTicketIds: [] };
  // Statements run while later slices are scored; a failure stops the run at the next slice.
  const writer = bulkWriter(db);
  const newTicketIds: string[] = [];
  // 3, 5–8 slice by slice, in time order: each slice's rows go out to the database (in order, on the transaction's
  // connection) while the next slice is scored. A key a concurrent ingest stored first fails the run, which is
  // retried whole.
  for (const slice of chunks(fresh, sliceMentions)) {
    if (writer.failed !== undefined) break;
    const newIdentities: { id: string; customerId: string; key: string }[] = [];
    const rows: BulkRow<typeof mentions>[] = [];
    const createdCustomers: CustomerState[] = [];
    const createdTickets: TicketState[] = [];
    for (const index of slice) {
      // Let the connection's replies in: each COPY starts when the one before it is over, and its data goes out when
      // the server asks for it.
      if (performance.now() - lastYield > yieldEveryMs) await (lastYield = performance.now(), yieldToIo());
      const { mention, connectionId, receivedAt } = items[index]!;
      const keys = keysByIndex.get(index)!;
      // 3. One customer across channels: the first key already known decides; the others are linked to them.
      let knownId: string | undefined;
      for (let k = 0; k < keys.length && knownId === undefined; k++) knownId = customerOfKey.get(keys[k]!);
      let customer = knownId ? customerState.get(knownId) : undefined;
      if (!customer) {
        customer = newCustomer(mention);
        customerState.set(customer.id, customer);
        createdCustomers.push(customer);
      }
      for (const key of keys) {
        if (customerOfKey.has(key)) continue;
        customerOfKey.set(key, customer.id);
        newIdentities.push({ id: uuidv7(), customerId: customer.id, key });
      }
      const followers = mention.author.followers;
      if (followers !== undefined && followers > customer.followers) customer.followers = followers;
      if (!customer.accountCreatedAt && mention.author.accountCreatedAt) customer.accountCreatedAt = mention.author.accountCreatedAt;

      const text = texts.get(index)!;
      const classification = classifications.get(index)!;

      // 5. Priority, from what we know of this customer up to this mention. Inputs are built as checked values, the
      // way their schemas read them: an absent field is unknown.
      const at = mention.occurredAt.getTime();
      const recent = customer.contacts.filter((c) => c.occurredAt.getTime() >= at - dayMs && c.occurredAt.getTime() <= at);
      const knowsPurchases = orgHasPurchaseData || customer.purchaseCount > 0;
      const lifetimeValue = knowsPurchases ? customer.lifetimeValueCents / 100 : undefined;
      const reach = customer.followers > 0 || followers !== undefined ? customer.followers : undefined;
      const impressions = mention.metrics?.impressions;
      const promoted = mention.promoted ?? false;
      const agitator = assessCheckedAgitator({
        now: mention.occurredAt,
        purchaseCount: knowsPurchases ? customer.purchaseCount : undefined,
        lifetimeValue,
        accountCreatedAt: customer.accountCreatedAt ?? undefined,
        postsLast24h: recent.length + 1,
        followers: reach,
        impressions,
        promoted,
        hashtags: mention.hashtags,
        coordinatedHashtags: [],
      });
      const priority = scoreCheckedPriority(
        {
          channel: mention.channel,
          occurredAt: mention.occurredAt,
          category: classification.category,
          sentiment: classification.sentiment,
          matchedTriggers: classification.matchedTriggers,
          lifetimeValue,
          followers: reach,
          impressions,
          promoted,
          earlierContacts: recent,
          senderVerified: mention.author.verified === false ? false : undefined,
          agitator,
        },
        settings.weights,
      );
      customer.agitator = agitator;
      customer.contacts.push({ channel: mention.channel, occurredAt: mention.occurredAt });
      if (!customer.lastContactAt || customer.lastContactAt < mention.occurredAt) customer.lastContactAt = mention.occurredAt;
      customer.touched = true;

      // 6. Tickets: the customer's open ticket takes the mention; else a new one with its SLA target.
      const ticket = groupIntoTicket(createdTickets, openTicketOf, customer, mention, text, classification, priority, receivedAt, settings);

      const id = uuidv7();
      rows.push({
        id,
        channel: mention.channel,
        connectionId,
        externalId: mention.externalId,
        kind: mention.kind,
        text,
        occurredAt: mention.occurredAt.getTime(),
        receivedAt: receivedAt.getTime(),
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
      stored[index] = {
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
      };
    }

    // 7. Route the slice's new tickets, highest priority first, before they are written.
    assignTickets(createdTickets.sort((a, b) => b.priority - a.priority), routing, { lifetimeValueOf: (t) => (customerState.get(t.customerId)?.lifetimeValueCents ?? 0) / 100 });
    newTicketIds.push(...createdTickets.map((t) => t.id));

    // 8. Write the slice: customers, identities, tickets, mentions, one COPY each. A later mention that changes what is
    // written marks it touched again, and step 9 updates it.
    const shared = { organizationId };
    writer.insert(
      customers,
      createdCustomers.map((c) => ({ id: c.id, displayName: c.displayName, lifetimeValueCents: 0, currency: c.currency, followers: c.followers, accountCreatedAt: epochMs(c.accountCreatedAt), agitator: c.agitator, firstSeenAt: c.firstSeenAt.getTime(), lastContactAt: epochMs(c.lastContactAt) })),
      shared,
    );
    writer.insert(customerIdentities, newIdentities, { organizationId, createdAt: Date.now() });
    writer.insert(
      tickets,
      createdTickets.map((t) => ({
        id: t.id,
        customerId: t.customerId,
        subject: t.subject,
        channel: t.channel,
        status: t.status,
        priority: t.priority,
        priorityBreakdown: t.breakdown,
        assigneeId: t.assigneeId,
        slaDueAt: t.slaDueAt.getTime(),
        topicTerms: t.topicTerms,
        createdAt: t.createdAt.getTime(),
        lastMentionAt: t.lastMentionAt.getTime(),
      })),
      shared,
    );
    writer.insert(mentions, rows, shared);
    for (const written of [...createdCustomers, ...createdTickets]) {
      written.touched = false;
    }
  }

  // 9. Customers and tickets changed since they were written (by an earlier run or an earlier slice).
  writer.update(
    customers,
    [...customerState.values()].filter((c) => c.touched).map((c) => ({ id: c.id, followers: c.followers, lastContactAt: epochMs(c.lastContactAt), accountCreatedAt: epochMs(c.accountCreatedAt), agitator: c.agitator })),
    sql`followers = greatest(c.followers, v.followers), last_contact_at = greatest(c.last_contact_at, v.last_contact_at), account_created_at = coalesce(c.account_created_at, v.account_created_at), agitator = v.agitator`,
  );
  writer.update(
    tickets,
    [...openTicketOf.values()].filter((t) => t.touched).map((t) => ({ id: t.id, priority: t.priority, priorityBreakdown: t.breakdown, lastMentionAt: t.lastMentionAt.getTime(), status: t.status })),
    sql`priority = v.priority, priority_breakdown = v.priority_breakdown, last_mention_at = greatest(c.last_mention_at, v.last_mention_at), status = v.status`,
  );
  await writer.done();
  return { stored, newTicketIds };
}

function newCustomer(mention: NormalizedMention): CustomerState {
  const a = mention.author;
  const displayName = a.name?.trim() || (a.handle ? `@${a.handle}` : undefined) || a.email || a.phone || a.externalId;
  return {
    id: uuidv7(),
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
  created: TicketState[],
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
    id: uuidv7(),
    customerId: customer.id,
    subject: subjectOf(text),
    channel: mention.channel,
    status: 'open',
    priority: priority.score,
    breakdown: priority.breakdown,
    slaDueAt: new Date(receivedAt.getTime() + settings.slaMinutes[mention.channel] * 60_000),
    topicTerms: classification.topicTerms.slice(0, 20),
    createdAt: receivedAt,
    lastMentionAt: mention.occurredAt,
    language: mention.lang ?? classification.language,
    sentiment: classification.sentiment,
    assigneeId: null,
    touched: true,
  };
  openTicketOf.set(customer.id, ticket);
  created.push(ticket);
  return ticket;
}

/** A ticket's subject: the first line of what the customer wrote, shortened. */
export function subjectOf(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '(no text)';
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}

/** What the database knows that a run depends on. */
type StoredState = {
  known: Set<string>;
  customerOfKey: Map<string, string>;
  customerState: Map<string, CustomerState>;
  openTicketOf: Map<string, TicketState>;
  orgHasPurchaseData: boolean;
  routing: RoutingCandidate[];
};

/**
 * Reads it in two rounds of statements that go out together on the transaction's connection: which (channel,
 * externalId) pairs are stored already, the customers behind the authors' identity keys, and the routing candidates;
 * then those customers' rows, purchase counts, last-day contacts and open tickets. Lists travel as one parameter each
 * (thousands of bound parameters cost more to build and bind than the query takes to run). Statements are prepared
 * (parsed and planned once per connection): for a single webhook, parsing and planning took longer than running them.
 */
async function readStoredState(db: Db, organizationId: string, pairs: { channel: Channel; externalId: string }[], keys: string[], earliest: Date): Promise<StoredState> {
  const [knownRows, identityRows, purchaseData, routing] = await Promise.all([
    executeRepeated<{ channel: string; externalId: string }>(
      db,
      // One lookup in the dedupe index per pair, whatever plan the prepared statement settles on: joined as a set, a
      // generic plan scanned all of the organization's mentions for a single webhook's pair.
      sql`select k.channel, k."externalId" from jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) as k(channel text, "externalId" text)
          cross join lateral (select 1 from ${mentions} m where m.organization_id = ${organizationId} and m.channel = k.channel and m.external_id = k."externalId" limit 1) as stored`,
    ),
    db
      .select({ key: customerIdentities.key, customerId: customerIdentities.customerId })
      .from(customerIdentities)
      .where(and(eq(customerIdentities.organizationId, organizationId), sql`${customerIdentities.key} = any(array(select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb)))`))
      .prepare('ingest_identities')
      .execute(),
    db.select({ any: sql<number>`1` }).from(purchases).where(eq(purchases.organizationId, organizationId)).limit(1).prepare('ingest_has_purchases').execute(),
    loadRoutingCandidates(db, organizationId),
  ]);
  // Customer ids are uuids: an array literal of them needs no quoting. They are this organization's (its identities
  // point to its own customers, a foreign key on (organization, customer) makes sure), so the reads below go by
  // customer alone: with the organization in the condition too, a planner without statistics yet (a new installation
  // hit by a storm) combined each lookup with a scan of the whole organization's rows, milliseconds per webhook.
  const customerIds = sql`${`{${[...new Set(identityRows.map((r) => r.customerId))].join(',')}}`}::uuid[]`;
  const [customerRows, purchaseRows, historyRows, ticketRows] = await Promise.all([
    db
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
      .where(sql`${customers.id} = any(${customerIds})`)
      .prepare('ingest_customers')
      .execute(),
    db
      .select({ customerId: purchases.customerId, n: sql<number>`count(*)::int` })
      .from(purchases)
      .where(sql`${purchases.customerId} = any(${customerIds})`)
      .groupBy(purchases.customerId)
      .prepare('ingest_purchase_counts')
      .execute(),
    // Earlier contacts on any channel: what cross-channel priority and the posting rate look at.
    db
      .select({ customerId: mentions.customerId, channel: mentions.channel, occurredAt: mentions.occurredAt })
      .from(mentions)
      .where(and(sql`${mentions.customerId} = any(${customerIds})`, gte(mentions.occurredAt, new Date(earliest.getTime() - dayMs))))
      .prepare('ingest_recent_contacts')
      .execute(),
    // Oldest activity first, so the most recently active open ticket of a customer wins.
    db
      .select()
      .from(tickets)
      .where(and(sql`${tickets.customerId} = any(${customerIds})`, ne(tickets.status, 'resolved')))
      .orderBy(tickets.lastMentionAt)
      .prepare('ingest_open_tickets')
      .execute(),
  ]);
  const known = new Set(knownRows.map((r) => `${r.channel}\u0000${r.externalId}`));
  const customerOfKey = new Map(identityRows.map((r) => [r.key, r.customerId]));
  const customerState = new Map<string, CustomerState>();
  for (const row of customerRows) {
    customerState.set(row.id, { ...row, agitator: (row.agitator as AgitatorAssessment | null) ?? null, purchaseCount: 0, contacts: [], touched: false });
  }
  for (const row of purchaseRows) {
    const customer = customerState.get(row.customerId);
    if (customer) customer.purchaseCount = Number(row.n);
  }
  for (const row of historyRows) if (row.customerId) customerState.get(row.customerId)?.contacts.push({ channel: row.channel, occurredAt: row.occurredAt });
  const openTicketOf = new Map<string, TicketState>();
  for (const t of ticketRows) {
    openTicketOf.set(t.customerId, {
      id: t.id,
      customerId: t.customerId,
      subject: t.subject,
      channel: t.channel,
      status: t.status,
      priority: t.priority,
      breakdown: t.priorityBreakdown as Priority['breakdown'],
      slaDueAt: t.slaDueAt,
      topicTerms: t.topicTerms,
      createdAt: t.createdAt,
      lastMentionAt: t.lastMentionAt,
      language: 'unknown',
      sentiment: 0,
      assigneeId: t.assigneeId,
      touched: false,
    });
  }
  return { known, customerOfKey, customerState, openTicketOf, orgHasPurchaseData: purchaseData.length > 0, routing };
}

const epochMs = (date: Date | null) => date?.getTime() ?? null;

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** Postgres text and jsonb cannot hold U+0000; an untrusted message may. */
function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}

/** The payload as it arrived; a U+0000 inside it is replaced when the row is serialized (lib/signals/bulk.ts). */
function storableRaw(raw: unknown): unknown {
  if (raw === undefined) return {};
  return typeof raw === 'string' ? withoutNul(raw) : raw;
}
