'use client';

import { useActionState } from 'react';
import type { SettingsState } from '@/app/(app)/admin/settings/actions';
import { ActionResultMessage } from '@/components/ui/ActionResultMessage';

type Props = {
  action: (state: SettingsState, form: FormData) => Promise<SettingsState>;
  sla: { channel: string; label: string; minutes: number }[];
  weights: { name: string; label: string; value: number; step: number }[];
  triggers: { category: string; lang: string; phrases: string[] }[];
  defaultCallingCode: string | null;
};

/** The organization's listening settings: SLA per channel, priority weights, trigger phrases per language, home calling code. */
export function SettingsForm({ action, sla, weights, triggers, defaultCallingCode }: Props) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="stack" aria-label="Listening settings">
      <ActionResultMessage
        state={state}
        success={() => (
          <>
            Saved. New mentions use these settings at once.
          </>
        )}
      />
      <section className="panel">
        <h2>First-response target per channel (minutes)</h2>
        <div className="form-row">
          {sla.map((s) => (
            <label key={s.channel} className="field">
              {s.label}
              <input name={`sla:${s.channel}`} type="number" min={1} max={10080} defaultValue={s.minutes} style={{ width: '7rem' }} />
            </label>
          ))}
        </div>
      </section>
      <section className="panel">
        <h2>Priority weights</h2>
        <p className="small muted">The most points each factor can give (they add up to 100 by default), and the scales that earn full points.</p>
        <div className="form-row">
          {weights.map((w) => (
            <label key={w.name} className="field">
              {w.label}
              <input name={`weight:${w.name}`} type="number" min={0} step={w.step} defaultValue={w.value} style={{ width: '9rem' }} />
            </label>
          ))}
        </div>
      </section>
      <section className="panel">
        <h2>Phone numbers</h2>
        <p className="small muted">
          Call records, imports and the batch API often write numbers without their country (600 112 233). They are read in this country, so a caller is linked to the
          customer whose purchases carry the same number. Without it, such numbers are not read: a call record with one is refused.
        </p>
        <label className="field">
          Home country calling code
          <input name="defaultCallingCode" inputMode="numeric" pattern="\+?[1-9][0-9]{0,2}" placeholder="e.g. 34" defaultValue={defaultCallingCode ?? ''} style={{ width: '7rem' }} />
        </label>
      </section>
      <section className="panel">
        <h2>Trigger phrases</h2>
        <p className="small muted">One phrase per line. Matching ignores case and accents; a trailing * matches any ending (refund* matches refunded).</p>
        <div className="grid">
          {triggers.map((t) => (
            <label key={`${t.category}:${t.lang}`} className="field">
              {t.category} · {t.lang}
              <textarea className="triggers" name={`triggers:${t.category}:${t.lang}`} defaultValue={t.phrases.join('\n')} />
            </label>
          ))}
        </div>
      </section>
      <div>
        <button className="button" type="submit" disabled={pending}>
          {pending ? 'Saving…' : 'Save settings'}
        </button>
      </div>
    </form>
  );
}
