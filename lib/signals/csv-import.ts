import { assertCan } from '@/lib/auth/permissions';
import { parseMentionsCsv } from '@/lib/channels/batch/csv';
import type { Ctx } from '@/lib/context';
import { forbidden, invalidInput } from '@/lib/errors';
import { ingestMentions } from '@/lib/signals/ingest';

/** Largest CSV the UI import takes. */
export const maxCsvBytes = 10 * 1024 * 1024;

/** Imports a CSV export of mentions (an admin's upload) through the same ingest path as every channel; all or nothing. */
export async function importMentionsCsv({ ctx, input }: { ctx: Ctx; input: { csv: string } }): Promise<{ accepted: number; duplicates: number }> {
  if (ctx.actor.type !== 'member') throw forbidden('Only a signed-in admin can import mentions.');
  assertCan(ctx.actor.role, 'channels.manage');
  if (typeof input.csv !== 'string' || input.csv.trim() === '') throw invalidInput('Choose a CSV file with a header row and at least one mention.');
  if (Buffer.byteLength(input.csv) > maxCsvBytes) throw invalidInput(`The CSV is larger than ${maxCsvBytes / 1024 / 1024} MB; split it.`);
  const parsed = parseMentionsCsv(input.csv);
  const result = await ingestMentions({ ctx, input: { mentions: parsed } });
  return { accepted: result.accepted, duplicates: result.duplicates };
}
