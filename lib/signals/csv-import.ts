import { assertCan } from '@/lib/auth/permissions';
import { parseMentionsCsv } from '@/lib/channels/batch/csv';
import type { Ctx } from '@/lib/context';
import type { CsvInput } from '@/lib/csv';
import { forbidden, invalidInput } from '@/lib/errors';
import { ingestMentions } from '@/lib/signals/ingest';
import { loadListeningSettings } from '@/lib/signals/settings';

/** Imports a CSV export of mentions (an admin's upload) through the same ingest path as every channel; all or nothing. */
export async function importMentionsCsv({ ctx, input }: { ctx: Ctx; input: { csv: CsvInput } }): Promise<{ accepted: number; duplicates: number }> {
  if (ctx.actor.type !== 'member') throw forbidden('Only a signed-in admin can import mentions.');
  assertCan(ctx.actor.role, 'channels.manage');
  const { defaultCallingCode } = await loadListeningSettings(ctx.db, ctx.organizationId);
  const parsed = parseMentionsCsv(input.csv, defaultCallingCode ? { defaultCallingCode } : {});
  if (parsed.length === 0) throw invalidInput('Choose a CSV file with a header row and at least one mention.');
  const result = await ingestMentions({ ctx, input: { mentions: parsed } });
  return { accepted: result.accepted, duplicates: result.duplicates };
}
