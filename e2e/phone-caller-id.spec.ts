import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { ChannelsAdminPage, QueuePage, memberSession } from './pages';

const screens = 'test-results/screens';
mkdirSync(screens, { recursive: true });

test('a phone connection keeps unattested callers apart unless the admin trusts them, and then warns', async ({ browser }) => {
  const { context, page } = await memberSession(browser, 'admin');
  const channels = new ChannelsAdminPage(page);
  await channels.open();
  const name = `Contact centre ${Date.now().toString(36)}`;
  const form = page.getByRole('form', { name: 'Connect a channel' });
  await form.getByLabel('Channel').selectOption({ label: 'Phone' });
  await expect(form.getByLabel('Caller ids without attestation')).toHaveValue('false');
  await form.getByLabel('Name').fill(name);
  await form.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('new-webhook-url')).toContainText('/api/ingest/phone/');

  const row = page.getByTestId('connection-row').filter({ hasText: name });
  await expect(row.getByTestId('caller-id-warning')).toHaveCount(0);
  await row.getByLabel('Caller ids without attestation').selectOption({ label: 'trust them as the customer’s number' });
  await row.getByRole('button', { name: 'Save' }).click();
  await expect(row.getByTestId('caller-id-warning')).toContainText('easy to spoof');
  await page.reload();
  await expect(row.getByLabel('Caller ids without attestation')).toHaveValue('true');
  await row.screenshot({ path: `${screens}/channels-caller-id.png` });
  await row.getByLabel('Caller ids without attestation').selectOption({ label: 'keep apart, marked “sender not verified”' });
  await row.getByRole('button', { name: 'Save' }).click();
  await expect(row.getByTestId('caller-id-warning')).toHaveCount(0);
  await context.close();
});

test('a spoofed caller id arrives marked “sender not verified”, apart from the real customer’s history and value', async ({ browser }) => {
  const admin = await memberSession(browser, 'admin');
  const channels = new ChannelsAdminPage(admin.page);
  await channels.open();
  await expect(await channels.runDrill('Phone: a spoofed caller id asks to move a refund')).toContainText('sent 2 signed messages, 2 accepted, 0 duplicates, 0 failed');
  await admin.context.close();

  const { context, page } = await memberSession(browser, 'agent');
  const queue = new QueuePage(page);
  await queue.open();
  const spoofed = queue.rows().filter({ hasText: 'Caller says he holds booking PNR-Q7MD4K' }).first();
  const genuine = queue.rows().filter({ hasText: "Caller's flight DA 90 ORD–MAD was cancelled" }).first();
  await expect(spoofed.getByTestId('sender-not-verified')).toHaveText(/sender not verified/i);
  await expect(genuine.getByTestId('sender-not-verified')).toHaveCount(0);
  await expect(genuine).toContainText('LTV $2,860');

  await spoofed.getByTestId('ticket-link').click();
  await expect(page.getByTestId('sender-not-verified').first()).toBeVisible();
  const panel = page.getByTestId('customer-panel');
  await expect(panel.getByTestId('unverified-customer')).toContainText('the caller’s carrier for a call');
  await expect(panel.getByTestId('lifetime-value')).toHaveText('$0');
  await expect(panel.getByTestId('customer-history')).not.toContainText('DA 90 ORD–MAD was cancelled');
  await page.screenshot({ path: `${screens}/ticket-spoofed-caller.png`, fullPage: true });
  await context.close();
});
