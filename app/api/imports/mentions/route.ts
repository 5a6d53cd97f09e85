import { currentMember, memberCtx } from '@/lib/auth/session';
import { importMentionsUpload } from '@/lib/csv-upload';

export const dynamic = 'force-dynamic';

/** An admin's CSV of mentions, sent as the body and read as it streams (a server action would cap it at 1 MB). */
export async function POST(request: Request): Promise<Response> {
  const member = await currentMember();
  return importMentionsUpload(request, member && memberCtx(member));
}
