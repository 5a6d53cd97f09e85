import Link from 'next/link';
import type { MemberRow } from '@/db/queries/members';
import type { QueueFilters } from '@/db/queries/tickets';
import { channels } from '@/db/schema';
import { channelName } from './labels';

/** The queue's filters as a plain GET form: the URL says what is shown, and it works without JavaScript. */
export function QueueFilterBar({ filters, team, crises }: { filters: QueueFilters; team: MemberRow[]; crises: { id: string; title: string }[] }) {
  return (
    <form method="get" className="form-row filters" aria-label="Filter the queue">
      <label className="field">
        Channel
        <select name="channel" defaultValue={filters.channel ?? ''}>
          <option value="">All channels</option>
          {channels.map((c) => (
            <option key={c} value={c}>
              {channelName(c)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Status
        <select name="status" defaultValue={filters.status ?? 'active'}>
          <option value="active">Open or pending</option>
          <option value="open">Open</option>
          <option value="pending">Pending (waiting on customer)</option>
          <option value="resolved">Resolved</option>
          <option value="all">All</option>
        </select>
      </label>
      <label className="field">
        Assignee
        <select name="assignee" defaultValue={filters.assignee ?? ''}>
          <option value="">Anyone</option>
          <option value="me">Me</option>
          <option value="unassigned">Unassigned</option>
          {team.map((m) => (
            <option key={m.memberId} value={m.memberId}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Crisis
        <select name="crisis" defaultValue={filters.crisis ?? ''}>
          <option value="">Any ticket</option>
          <option value="any">In a crisis</option>
          <option value="none">Not in a crisis</option>
          {crises.map((c) => (
            <option key={c.id} value={c.id}>
              {c.title}
            </option>
          ))}
        </select>
      </label>
      <button className="button" type="submit">
        Filter
      </button>
      <Link href="/queue" className="small">
        Clear
      </Link>
    </form>
  );
}
