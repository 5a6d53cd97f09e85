'use client';

import { useActionState } from 'react';
import { ActionResultMessage } from '@/components/ui/ActionResultMessage';
import { uploadCsv } from '@/components/ui/uploadCsv';
import type { ActionResult } from '@/lib/auth/session';

/** Uploads a CSV file to an import route, which reads it as it streams in (up to 50 MB), and shows the route's answer. */
export function CsvImportForm({ url, label, columns }: { url: string; label: string; columns: string }) {
  const [state, formAction, pending] = useActionState((_: ActionResult<{ summary: string }> | null, form: FormData) => uploadCsv<{ summary: string }>(url, form.get('file') as File | null), null);
  return (
    <form action={formAction} className="stack" aria-label={label}>
      <ActionResultMessage state={state} success={(data) => data.summary} />
      <p className="small muted" style={{ margin: 0 }}>
        Columns: <code>{columns}</code>. A UTF-8 CSV up to 50 MB; a bad row imports nothing and is named.
      </p>
      <div className="form-row">
        <label className="field">
          CSV file
          <input name="file" type="file" accept=".csv,text/csv" required />
        </label>
        <button className="button button-quiet" type="submit" disabled={pending}>
          {pending ? 'Importing…' : label}
        </button>
      </div>
    </form>
  );
}
