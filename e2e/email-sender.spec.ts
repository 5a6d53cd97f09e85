import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { ChannelsAdminPage, QueuePage, memberSession } from './pages';

const screens = 'test-results/screens';
mkdirSync(screens, { recursive: true });

test('an email connection without a receiving mail server warns that no sender is verified', async ({ browser }) => {
  const { context, page } = await memberSession(browser, 'admin');
  const channels = new ChannelsAdminPage(page);
  await channels.open();
  const name = `care@ inbox ${Date.now().toString(36)}`;
  const form = page.getByRole('form', { name: 'Connect a channel' });
  await form.getByLabel('Channel').selectOption({ label: 'Email' });
  await form.getByLabel('Name').fill(name);
  await form.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('new-webhook-url')).toContainText('/api/ingest/email/');

  const row = page.getByTestId('connection-row').filter({ hasText: name });
  await expect(row.getByTestId('mail-server-warning')).toContainText('no sender of this connection is verified');
  await row.getByLabel('Receiving mail server').fill('mx.demo-air.example');
  await row.getByRole('button', { name: 'Save' }).click();
  await expect(row.getByTestId('mail-server-warning')).toHaveCount(0);
  await page.reload();
  await expect(row.getByLabel('Receiving mail server')).toHaveValue('mx.demo-air.example');
  await row.screenshot({ path: `${screens}/channels-mail-server.png` });
  await context.close();
});

test('a forged-From email arrives marked “sender not verified”, apart from the real customer’s history', async ({ browser }) => {
  const admin = await memberSession(browser, 'admin');
  const channels = new ChannelsAdminPage(admin.page);
  await channels.open();
  await expect(await channels.runDrill('Email: a forged From asks to redirect a refund')).toContainText('sent 2 signed messages, 2 accepted, 0 duplicates, 0 failed');
  await admin.context.close();

  const { context, page } = await memberSession(browser, 'agent');
  const queue = new QueuePage(page);
  await queue.open();
  const forged = queue.rows().filter({ hasText: 'New bank details for my refund' }).first();
  const genuine = queue.rows().filter({ hasText: 'Refund for cancelled flight DA 417' }).first();
  await expect(forged.getByTestId('sender-not-verified')).toHaveText(/sender not verified/i);
  await expect(genuine.getByTestId('sender-not-verified')).toHaveCount(0);
  await expect(genuine).toContainText('LTV $1,240');
  await page.screenshot({ path: `${screens}/queue-unverified-sender.png` });

  await forged.getByTestId('ticket-link').click();
  await expect(page.getByTestId('ticket-subject')).toHaveText('New bank details for my refund');
  await expect(page.getByTestId('sender-not-verified').first()).toBeVisible();
  const panel = page.getByTestId('customer-panel');
  await expect(panel.getByTestId('unverified-customer')).toContainText('kept apart from the customer');
  await expect(panel.getByTestId('lifetime-value')).toHaveText('$0');
  await expect(panel.getByTestId('customer-history')).not.toContainText('Refund for cancelled flight DA 417');
  await page.screenshot({ path: `${screens}/ticket-unverified-sender.png`, fullPage: true });
  await context.close();
});
