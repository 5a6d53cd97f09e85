import { z } from 'zod';
import type { SimulatorConnection } from '@/lib/channels/connections';
import { buildDelivery, type SimulatedMessage } from '@/lib/channels/simulate';
import { Channel } from '@/lib/channels/types';
import { seededRandom } from '@/lib/detection/seeded-random';
import type { PurchaseRecord } from '@/lib/signals/purchases';

const Range = z.tuple([z.number().nonnegative(), z.number().nonnegative()]);

const Author = z.object({
  name: z.string().optional(),
  handle: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  followers: z.number().int().nonnegative().optional(),
  accountAgeDays: z.number().nonnegative().optional(),
});

/** A drill as data: named people with scripted messages and purchases, plus crowds generated from templates. */
export const Scenario = z.object({
  name: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string(),
  description: z.string(),
  seed: z.number().int().default(1),
  /** Messages happen over this many minutes, ending when the drill runs. */
  spanMinutes: z.number().positive(),
  authors: z.record(z.string(), Author).default({}),
  purchases: z
    .array(z.object({ author: z.string(), externalId: z.string(), amount: z.number().positive(), currency: z.string().length(3), daysAgo: z.number().nonnegative(), description: z.string().default('') }))
    .default([]),
  messages: z
    .array(z.object({ minute: z.number().nonnegative(), author: z.string(), channel: Channel, text: z.string(), direct: z.boolean().optional(), promoted: z.boolean().optional(), impressions: z.number().int().nonnegative().optional(), lang: z.string().optional(), forgedFrom: z.boolean().optional() }))
    .default([]),
  crowds: z
    .array(
      z.object({
        id: z.string(),
        count: z.number().int().positive().max(5_000),
        minutes: Range,
        /** Picked at random; repeat a channel to weight it. */
        channels: z.array(Channel).min(1),
        texts: z.array(z.string()).min(1),
        /** Appended to public posts at random (coordinated hashtags). */
        hashtags: z.array(z.string()).default([]),
        followers: Range.default([20, 2_000]),
        accountAgeDays: Range.default([30, 3_000]),
        /** Share of the crowd with a purchase on record, and its amount range. */
        buyers: z.number().min(0).max(1).default(0),
        purchaseAmount: Range.default([50, 500]),
        currency: z.string().length(3).default('USD'),
        lang: z.string().optional(),
      }),
    )
    .default([]),
});
export type Scenario = z.input<typeof Scenario>;

const fill = (template: string, random: () => number, n: number) =>
  template.replaceAll('{n}', String(n)).replace(/\{(\d+)-(\d+)\}/g, (_, lo: string, hi: string) => String(Math.floor(Number(lo) + random() * (Number(hi) - Number(lo) + 1))));

const givenNames = ['Ana', 'Ben', 'Chloe', 'Diego', 'Emma', 'Farid', 'Grace', 'Hugo', 'Inés', 'João', 'Kenji', 'Lucía', 'Mateo', 'Nora', 'Omar', 'Priya', 'Rafael', 'Sofia', 'Tomás', 'Yara'];
const familyNames = ['Almeida', 'Brown', 'Costa', 'Díaz', 'Evans', 'Fernández', 'García', 'Hughes', 'Ito', 'Khan', 'López', 'Martins', 'Nguyen', 'Oliveira', 'Pereira', 'Reyes', 'Silva', 'Torres', 'Walker', 'Zhou'];
const personName = (random: () => number) => `${givenNames[Math.floor(random() * givenNames.length)]} ${familyNames[Math.floor(random() * familyNames.length)]}`;

const between = (random: () => number, [lo, hi]: [number, number]) => lo + random() * (hi - lo);

/**
 * Expands a scenario into messages (oldest first, ending at `now`) and purchases. Deterministic for a seed; `runId`
 * makes ids unique per run so a second drill is new traffic, not duplicates.
 */
export function expandScenario(input: Scenario, now: Date, runId: string): { messages: SimulatedMessage[]; purchases: PurchaseRecord[] } {
  const s = Scenario.parse(input);
  const random = seededRandom(s.seed);
  const start = now.getTime() - s.spanMinutes * 60_000;
  const at = (minute: number) => new Date(Math.min(now.getTime(), start + minute * 60_000));
  const messages: SimulatedMessage[] = [];
  const purchases: PurchaseRecord[] = [];
  const authorOf = (key: string) => {
    const a = s.authors[key];
    if (!a) throw new Error(`Scenario ${s.name}: unknown author "${key}"`);
    return {
      id: `${runId}-${key}`,
      ...(a.name && { name: a.name }),
      ...(a.handle && { handle: a.handle }),
      ...(a.email && { email: a.email }),
      ...(a.phone && { phone: a.phone }),
      ...(a.followers !== undefined && { followers: a.followers }),
      ...(a.accountAgeDays !== undefined && { accountCreatedAt: new Date(now.getTime() - a.accountAgeDays * 86_400_000) }),
    };
  };
  s.messages.forEach((m, i) => {
    messages.push({
      channel: m.channel,
      id: `${runId}-${s.name}-m${i}`,
      text: m.text,
      at: at(m.minute),
      direct: m.direct ?? false,
      author: authorOf(m.author),
      ...(m.promoted !== undefined && { promoted: m.promoted }),
      ...(m.impressions !== undefined && { impressions: m.impressions }),
      ...(m.lang && { lang: m.lang }),
      ...(m.forgedFrom && { forgedFrom: true }),
    });
  });
  for (const p of s.purchases) {
    const a = s.authors[p.author];
    purchases.push({
      // The shop's records know the customer's address, X handle and phone: that is what links their channels.
      ...(a?.email && { customerEmail: a.email }),
      ...(a?.handle && { customerHandle: a.handle }),
      ...(a?.phone && { customerPhone: a.phone }),
      ...(a?.name && { customerName: a.name }),
      externalId: `${runId}-${p.externalId}`,
      amount: p.amount,
      currency: p.currency,
      purchasedAt: new Date(now.getTime() - p.daysAgo * 86_400_000).toISOString(),
      description: p.description,
    });
  }
  for (const crowd of s.crowds) {
    for (let n = 1; n <= crowd.count; n++) {
      const channel = crowd.channels[Math.floor(random() * crowd.channels.length)]!;
      const handle = `${crowd.id.replace(/[^a-z0-9]/gi, '')}_${runId.slice(-4)}_${n}`.toLowerCase().slice(0, 30);
      const tag = crowd.hashtags.length > 0 && random() < 0.6 ? ` ${crowd.hashtags[Math.floor(random() * crowd.hashtags.length)]}` : '';
      const text = fill(crowd.texts[Math.floor(random() * crowd.texts.length)]!, random, n) + (channel === 'x' || channel === 'instagram' ? tag : '');
      const email = `${handle.replace(/_/g, '.')}@example.com`;
      const author = {
        id: `${runId}-${crowd.id}-${n}`,
        handle,
        name: personName(random),
        email,
        phone: `+1555${String(1_000_000 + Math.floor(random() * 8_999_999)).slice(0, 7)}`,
        followers: Math.round(between(random, crowd.followers)),
        accountCreatedAt: new Date(now.getTime() - between(random, crowd.accountAgeDays) * 86_400_000),
      };
      messages.push({ channel, id: `${runId}-${crowd.id}-${n}`, text, at: at(between(random, crowd.minutes)), author, ...(crowd.lang && { lang: crowd.lang }) });
      if (random() < crowd.buyers) {
        purchases.push({ customerEmail: email, customerHandle: handle, customerPhone: author.phone, customerName: author.name, externalId: `${runId}-${crowd.id}-order-${n}`, amount: Math.round(between(random, crowd.purchaseAmount) * 100) / 100, currency: crowd.currency, purchasedAt: new Date(now.getTime() - 3 * 86_400_000).toISOString(), description: `${crowd.id} order` });
      }
    }
  }
  messages.sort((a, b) => a.at.getTime() - b.at.getTime());
  return { messages, purchases };
}

/** What a drill sent and what the endpoints answered. */
export interface DrillReport {
  sent: number;
  accepted: number;
  duplicates: number;
  failed: { status: number; error: string }[];
}

/**
 * Sends messages as their platforms would: each built into the platform's payload, signed with the simulator
 * connection's secrets, and POSTed to the same webhook endpoint real traffic uses. `concurrency` requests at a time.
 */
export async function sendMessages(options: { baseUrl: string; connections: SimulatorConnection[]; messages: SimulatedMessage[]; concurrency?: number; fetch?: typeof fetch }): Promise<DrillReport> {
  const doFetch = options.fetch ?? fetch;
  const byChannel = new Map(options.connections.map((c) => [c.channel, c]));
  const report: DrillReport = { sent: 0, accepted: 0, duplicates: 0, failed: [] };
  const waiting = [...options.messages];
  // One author's messages go out one after another, in order, as a person writes them; different authors in parallel.
  const busy = new Set<string>();
  const waiters: (() => void)[] = [];
  const takeNext = async (): Promise<SimulatedMessage | undefined> => {
    for (;;) {
      if (waiting.length === 0) return undefined;
      const index = waiting.findIndex((m) => !busy.has(m.author.id));
      if (index >= 0) {
        const [message] = waiting.splice(index, 1);
        busy.add(message!.author.id);
        return message;
      }
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  const worker = async () => {
    for (;;) {
      const message = await takeNext();
      if (!message) return;
      await sendOne(message).finally(() => {
        busy.delete(message.author.id);
        waiters.splice(0).forEach((resolve) => resolve());
      });
    }
  };
  const sendOne = async (message: SimulatedMessage) => {
    const connection = byChannel.get(message.channel);
    if (!connection) throw new Error(`No simulator connection for ${message.channel}`);
    const delivery = buildDelivery(message, connection);
    report.sent += 1;
    try {
      const response = await doFetch(new URL(delivery.path, options.baseUrl), { method: 'POST', headers: delivery.headers, body: delivery.body });
      const body = (await response.json().catch(() => ({}))) as { accepted?: number; duplicates?: number; error?: string };
      if (response.ok) {
        report.accepted += body.accepted ?? 0;
        report.duplicates += body.duplicates ?? 0;
      } else report.failed.push({ status: response.status, error: body.error ?? response.statusText });
    } catch (error) {
      report.failed.push({ status: 0, error: (error as Error).message });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  return report;
}
