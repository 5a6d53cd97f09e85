import { exhaustiveSwitchError } from '@/lib/errors';
import type { Channel } from '@/lib/channels/types';

/** How a channel is named in sentences shown to agents. */
export function channelLabel(channel: Channel): string {
  switch (channel) {
    case 'x':
      return 'X';
    case 'facebook':
      return 'Facebook';
    case 'instagram':
      return 'Instagram';
    case 'email':
      return 'email';
    case 'phone':
      return 'phone';
    case 'chat':
      return 'web chat';
    default:
      return exhaustiveSwitchError(channel);
  }
}

/** "3 hours ago", "25 minutes ago", "2 days ago". */
export function timeAgo(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  const days = Math.round(hours / 24);
  return `${days} days ago`;
}

/** A count with thousands separators, the same on every server. */
export function formatCount(n: number): string {
  return countFormat.format(n);
}

// Building a NumberFormat costs far more than using one; priority reasons format thousands of counts per second.
const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
