'use server';

import { revalidatePath } from 'next/cache';
import { scenarios } from '@/scripts/scenarios';
import { type ActionResult, runAsMember } from '@/lib/auth/session';
import { type ConnectionView, createApiKey, createConnection, revokeApiKey, updateConnection } from '@/lib/channels/connections';
import { runDrill } from '@/lib/channels/drill';
import { retryMentionFetches } from '@/lib/channels/meta/mention-fetch';
import type { DrillReport } from '@/lib/channels/scenarios';
import { invalidInput } from '@/lib/errors';

const text = (form: FormData, name: string) => String(form.get(name) ?? '');
const secretsOf = (form: FormData) => Object.fromEntries([...form.entries()].filter(([name, value]) => name.startsWith('secret:') && typeof value === 'string').map(([name, value]) => [name.slice(7), value as string]));

export type CreateConnectionState = ActionResult<{ connection: ConnectionView; generatedSecrets: Record<string, string> }> | null;

/** Creates a channel connection; generated secrets come back this once. */
export async function createConnectionAction(_: CreateConnectionState, form: FormData): Promise<CreateConnectionState> {
  const result = await runAsMember((ctx) => createConnection({
      ctx,
      input: { channel: text(form, 'channel') as never, name: text(form, 'name'), externalAccountId: text(form, 'externalAccountId') || undefined, secrets: secretsOf(form), receivingMailServer: text(form, 'receivingMailServer'), trustCallerId: text(form, 'trustCallerId') === 'true' },
    }));
  if (result.ok) revalidatePath('/admin/channels');
  return result;
}

export type UpdateConnectionState = ActionResult<{ name: string }> | null;

/**
 * Replaces pasted secrets (empty fields keep the stored ones), sets an email connection's receiving mail server or a
 * phone connection's trust in unattested caller ids, and switches the connection on or off.
 */
export async function updateConnectionAction(_: UpdateConnectionState, form: FormData): Promise<UpdateConnectionState> {
  const result = await runAsMember(async (ctx) => {
    const view = await updateConnection({ ctx, input: {
        connectionId: text(form, 'connectionId'),
        secrets: secretsOf(form),
        enabled: form.get('enabled') === 'on',
        // Only the email form has the field; elsewhere it stays as stored.
        ...(form.has('receivingMailServer') && { receivingMailServer: text(form, 'receivingMailServer') }),
        ...(form.has('trustCallerId') && { trustCallerId: text(form, 'trustCallerId') === 'true' }),
      },
    });
    return { name: view.name };
  });
  if (result.ok) revalidatePath('/admin/channels');
  return result;
}

export type CreateApiKeyState = ActionResult<{ name: string; key: string }> | null;

/** Creates a batch API key, shown once. */
export async function createApiKeyAction(_: CreateApiKeyState, form: FormData): Promise<CreateApiKeyState> {
  const result = await runAsMember(async (ctx) => {
    const created = await createApiKey({ ctx, input: { name: text(form, 'name') } });
    return { name: created.name, key: created.key };
  });
  if (result.ok) revalidatePath('/admin/channels');
  return result;
}

/** Revokes an API key. */
export async function revokeApiKeyAction(keyId: string): Promise<ActionResult<null>> {
  const result = await runAsMember(async (ctx) => {
    await revokeApiKey({ ctx, input: { keyId } });
    return null;
  });
  if (result.ok) revalidatePath('/admin/channels');
  return result;
}

/** Puts a connection's failed Instagram mention fetches back in the queue. */
export async function retryMentionFetchesAction(connectionId: string): Promise<ActionResult<{ requeued: number }>> {
  const result = await runAsMember((ctx) => retryMentionFetches({ ctx, input: { connectionId } }));
  if (result.ok) revalidatePath('/admin/channels');
  return result;
}

export type DrillState = ActionResult<DrillReport & { purchases: number; title: string }> | null;

/** Runs a drill scenario through this server's own webhook endpoints. */
export async function runDrillAction(_: DrillState, form: FormData): Promise<DrillState> {
  return runAsMember(async (ctx) => {
    const scenario = scenarios[text(form, 'scenario')];
    if (!scenario) throw invalidInput('Choose a scenario.');
    // The drill talks to this very process, like a platform would, on the port it listens on.
    const baseUrl = `http://127.0.0.1:${process.env.PORT ?? '3000'}`;
    const report = await runDrill({ ctx, input: { scenario, baseUrl } });
    return { ...report, title: scenario.title };
  });
}
