import type { Metadata } from 'next';
import { DetectionSettingsForm } from '@/components/admin/DetectionSettingsForm';
import { DrillForm } from '@/components/admin/DrillForm';
import { can } from '@/lib/auth/permissions';
import { memberCtx, requireMember } from '@/lib/auth/session';
import { readDetectionSettings } from '@/lib/detection/settings';
import { runDrillAction, saveDetectionSettingsAction } from './actions';

export const metadata: Metadata = { title: 'Detection' };
export const dynamic = 'force-dynamic';

const MINUTE_MS = 60_000;

export default async function DetectionPage() {
  const member = await requireMember('settings.manage');
  const { detection, webhookUrl, emailTo } = await readDetectionSettings(memberCtx(member));
  const values = {
    openCrisisScore: detection.openCrisisScore,
    minExcessMinutes: detection.spike.minExcessMs / MINUTE_MS,
    minExcessEvents: detection.spike.minExcessEvents,
    warmupHours: detection.spike.warmupMs / 3_600_000,
    stormWindowMinutes: detection.stormWindowMinutes,
    emergingCrisisMinComplaints: detection.emergingCrisisMinComplaints,
    emergingMinLift: detection.emerging.minLift,
    promotedReachToOpen: detection.promotedReachToOpen,
    webhookUrl,
    emailTo: emailTo.join(', '),
  };
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Detection</h1>
          <p className="muted" style={{ margin: 0 }}>
            Complaints are counted per minute for all complaints, each channel and each busy topic; a storm alerts at its onset and opens a room when it is
            above the threshold.
          </p>
        </div>
      </div>
      <section className="panel">
        <DetectionSettingsForm values={values} action={saveDetectionSettingsAction} />
      </section>
      {can(member.role, 'drill.run') && (
        <section className="panel">
          <h2>Storm drill</h2>
          <p className="muted" style={{ marginTop: 0 }}>
            Replays a day of ordinary complaints, then a promoted lost-bag post and a #lostluggage storm ending now, through live detection: the room opens
            and the committee is notified for real. Only on an organization without live traffic in the last day.
          </p>
          <DrillForm action={runDrillAction} />
        </section>
      )}
    </div>
  );
}
