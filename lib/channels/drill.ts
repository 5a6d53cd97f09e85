import { randomBytes } from 'node:crypto';
import { assertCan } from '@/lib/auth/permissions';
import { ensureSimulatorConnections } from '@/lib/channels/connections';
import { type DrillReport, type Scenario, expandScenario, sendMessages } from '@/lib/channels/scenarios';
import type { Ctx } from '@/lib/context';
import { forbidden } from '@/lib/errors';
import { importPurchases } from '@/lib/signals/purchases';

/**
 * Runs a drill for an admin: ensures the simulator connections, records the scenario's purchases, then sends its
 * messages signed through the real webhook endpoints at `baseUrl`, so the whole pipeline is exercised.
 */
export async function runDrill({ ctx, input }: { ctx: Ctx; input: { scenario: Scenario; baseUrl: string; concurrency?: number } }): Promise<DrillReport & { purchases: number }> {
  if (ctx.actor.type !== 'member') throw forbidden('Only a signed-in admin can run a drill.');
  assertCan(ctx.actor.role, 'drill.run');
  const connections = await ensureSimulatorConnections({ ctx });
  const runId = randomBytes(4).toString('hex');
  const { messages, purchases } = expandScenario(input.scenario, new Date(), runId);
  const imported = purchases.length > 0 ? await importPurchases({ ctx: { ...ctx, actor: { type: 'system', reason: 'drill' } }, input: { purchases } }) : { imported: 0 };
  const report = await sendMessages({ baseUrl: input.baseUrl, connections, messages, concurrency: input.concurrency ?? 4 });
  return { ...report, purchases: imported.imported };
}
