import { z } from 'zod';
import { severities } from '@/db/schema';
import { assertCan } from '@/lib/auth/permissions';
import { type Ctx, inTransaction } from '@/lib/context';
import { forbidden } from '@/lib/errors';
import { publish } from '@/lib/events';
import { parseInput } from '@/lib/validation';
import { type NotifyOptions, notifyCommittee } from './notify';
import { type CrisisRow, openCrisis } from './open';

export const OpenCrisisByHandInput = z.object({
  title: z.string().trim().min(3, 'Give the crisis a title of at least 3 characters.').max(200),
  /** Optional topic (a term or hashtag): an open room on it is joined instead of opening a second one. */
  topic: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((t) => (t ? t : undefined)),
  severity: z.enum(severities).default('high'),
  reason: z.string().trim().max(1000).default(''),
});
export type OpenCrisisByHandInput = z.input<typeof OpenCrisisByHandInput>;

/**
 * A member opens a crisis room by hand (they saw it before the detector did): the room is seeded from the protocol
 * like any other, and the committee is notified in the same transaction. On a topic that already has a room, that
 * room is returned and nobody is notified twice.
 */
export async function openCrisisByHand({ ctx, input, notify }: { ctx: Ctx; input: OpenCrisisByHandInput; notify?: NotifyOptions }): Promise<{ crisis: CrisisRow; created: boolean }> {
  if (ctx.actor.type !== 'member') throw forbidden('Only a member opens a crisis by hand.');
  assertCan(ctx.actor.role, 'crisis.open');
  const data = parseInput(OpenCrisisByHandInput, input);
  const who = ctx.actor.name;
  const result = await inTransaction(ctx, async (tx) => {
    const opened = await openCrisis({ ctx: tx, input: { title: data.title, topic: data.topic, severity: data.severity } });
    if (opened.created) {
      const detail = `${who} opened it by hand${data.reason ? `: ${data.reason}` : '.'}`;
      const notice = await notifyCommittee(tx, opened.crisis, { headline: `Crisis opened: ${opened.crisis.title}`, detail }, notify);
      return { ...opened, notified: notice.memberIds };
    }
    return { ...opened, notified: [] as string[] };
  });
  if (result.notified.length > 0) publish('live.changed', { organizationId: ctx.organizationId, topic: 'notifications', memberIds: result.notified });
  return { crisis: result.crisis, created: result.created };
}
