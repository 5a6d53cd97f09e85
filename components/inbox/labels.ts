import type { ChannelName } from '@/db/schema';
import { channelLabel } from '@/lib/signals/format';

/** What each priority factor is called next to its points. */
export const factorLabels: Record<string, string> = {
  content: 'Message',
  customer_value: 'Customer value',
  reach: 'Reach',
  cross_channel: 'Cross-channel',
  amplification: 'Amplification',
  agitator: 'Customer or agitator',
};

/** A channel's name as a badge shows it. */
export const channelName = (channel: ChannelName) => (channel === 'chat' ? 'Chat' : channel === 'email' ? 'Email' : channel === 'phone' ? 'Phone' : channelLabel(channel));

/** Money in minor units, e.g. "$1,240". */
export function formatMoney(cents: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(0)} ${currency}`;
  }
}

/** "2026-03-05 09:12 UTC": the same on every server and browser. */
export function formatWhen(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The server's clock when a page renders, the timers' starting point before the browser takes over. */
export function renderTime(): number {
  return Date.now();
}
