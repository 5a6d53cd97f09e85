import type { Metadata } from 'next';
import { channelName } from '@/components/inbox/labels';
import { SettingsForm } from '@/components/inbox/SettingsForm';
import { channels } from '@/db/schema';
import { memberCtx, requireMember } from '@/lib/auth/session';
import { triggerCategories, triggerLanguages } from '@/lib/signals/classify';
import { loadListeningSettings } from '@/lib/signals/settings';
import { saveSettingsAction } from './actions';
import '@/components/inbox/inbox.css';

export const metadata: Metadata = { title: 'Settings' };
export const dynamic = 'force-dynamic';

const weightLabels: Record<string, { label: string; step: number }> = {
  content: { label: 'Message (points)', step: 1 },
  customerValue: { label: 'Customer value (points)', step: 1 },
  reach: { label: 'Reach (points)', step: 1 },
  crossChannel: { label: 'Cross-channel (points)', step: 1 },
  amplification: { label: 'Amplification (points)', step: 1 },
  agitator: { label: 'Customer/agitator (±points)', step: 1 },
  lifetimeValueForFullPoints: { label: 'Lifetime value for full points', step: 100 },
  followersForFullPoints: { label: 'Followers for full points', step: 1000 },
  reachAnomalyRatio: { label: 'Impressions ÷ followers that is anomalous', step: 1 },
};

export default async function SettingsPage() {
  const member = await requireMember('settings.manage');
  const settings = await loadListeningSettings(memberCtx(member).db, member.organizationId);
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Settings</h1>
          <p className="muted" style={{ margin: 0 }}>
            How the queue ranks and times what comes in.
          </p>
        </div>
      </div>
      <SettingsForm
        action={saveSettingsAction}
        sla={channels.map((c) => ({ channel: c, label: channelName(c), minutes: settings.slaMinutes[c] }))}
        weights={Object.entries(settings.weights).map(([name, value]) => ({ name, value, label: weightLabels[name]?.label ?? name, step: weightLabels[name]?.step ?? 1 }))}
        defaultCallingCode={settings.defaultCallingCode}
        triggers={triggerCategories.flatMap((category) => triggerLanguages.map((lang) => ({ category, lang, phrases: settings.triggers[category][lang] })))}
      />
    </div>
  );
}
