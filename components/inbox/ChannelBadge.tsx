import type { ChannelName } from '@/db/schema';
import { channelName } from './labels';

/** A channel's name in its own color. */
export function ChannelBadge({ channel }: { channel: ChannelName }) {
  return <span className={`channel channel-${channel}`}>{channelName(channel)}</span>;
}
