'use client';

import { useActionState } from 'react';
import type { DetectionFormState } from '@/app/(app)/admin/detection/actions';
import { ActionResultMessage } from '@/components/ui/ActionResultMessage';

export interface DetectionFormValues {
  openCrisisScore: number;
  minExcessMinutes: number;
  minExcessEvents: number;
  warmupHours: number;
  stormWindowMinutes: number;
  emergingCrisisMinComplaints: number;
  emergingMinLift: number;
  promotedReachToOpen: number;
  webhookUrl: string;
  emailTo: string;
}

function NumberField({ name, label, hint, value, step = 1 }: { name: keyof DetectionFormValues; label: string; hint: string; value: number; step?: number }) {
  return (
    <label className="field" style={{ flex: '1 1 220px' }}>
      {label}
      <input name={name} type="number" step={step} min={0} defaultValue={value} required />
      <span className="muted" style={{ fontSize: '0.8rem' }}>
        {hint}
      </span>
    </label>
  );
}

/** The admin's detection thresholds and where the committee is told. */
export function DetectionSettingsForm({ values, action }: { values: DetectionFormValues; action: (state: DetectionFormState, form: FormData) => Promise<DetectionFormState> }) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="stack" aria-label="Detection settings">
      <ActionResultMessage
        state={state}
        success={() => (
          <>
            Saved. Live detection applies it within 30 seconds.
          </>
        )}
      />
      <h3 style={{ margin: 0 }}>When does a storm open a room?</h3>
      <div className="form-row">
        <NumberField name="openCrisisScore" label="Score that opens a room" hint="4 = rarer than once a week per series; higher = fewer rooms" value={values.openCrisisScore} step={0.1} />
        <NumberField name="minExcessEvents" label="Extra complaints, at least" hint="above the usual, before any alert" value={values.minExcessEvents} />
        <NumberField name="minExcessMinutes" label="Extra volume, in minutes of usual traffic" hint="smaller = faster, more false alarms" value={values.minExcessMinutes} />
      </div>
      <div className="form-row">
        <NumberField name="warmupHours" label="Learning time of a new series (hours)" hint="no alert before" value={values.warmupHours} step={0.5} />
        <NumberField name="stormWindowMinutes" label="Storm window (minutes)" hint="related alerts join a room opened this recently" value={values.stormWindowMinutes} />
        <NumberField name="promotedReachToOpen" label="Promoted post opens a room at reach" hint="people reached" value={values.promotedReachToOpen} />
      </div>
      <div className="form-row">
        <NumberField name="emergingCrisisMinComplaints" label="Emerging topic opens a room at" hint="recent complaints mentioning it" value={values.emergingCrisisMinComplaints} />
        <NumberField name="emergingMinLift" label="Emerging topic: times its usual share" hint="a common word that merely doubles in a busy hour is not new" value={values.emergingMinLift} step={0.5} />
      </div>
      <h3 style={{ margin: '0.5rem 0 0' }}>Who is told</h3>
      <p className="muted" style={{ margin: 0 }}>
        Leads and executives get an in-app notification, the next on-duty agent gets the room, and emails go out when SMTP_URL is set.
      </p>
      <div className="form-row">
        <label className="field" style={{ flex: '2 1 360px' }}>
          Team webhook (Slack-compatible incoming webhook URL)
          <input name="webhookUrl" type="url" defaultValue={values.webhookUrl} placeholder="https://hooks.slack.com/services/…" />
        </label>
        <label className="field" style={{ flex: '1 1 260px' }}>
          Extra email recipients
          <input name="emailTo" defaultValue={values.emailTo} placeholder="pr@agency.example, legal@…" />
        </label>
      </div>
      <div>
        <button className="button" type="submit" disabled={pending}>
          {pending ? 'Saving…' : 'Save settings'}
        </button>
      </div>
    </form>
  );
}
