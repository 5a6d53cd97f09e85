import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { ChannelsAdminPage, alertIn, memberSession } from './pages';

const screens = 'test-results/screens';
mkdirSync(screens, { recursive: true });

test('an admin connects a channel: webhook URL shown, generated secret shown once and never sent again', async ({ browser }) => {
  const { context, page } = await memberSession(browser, 'admin');
  const channels = new ChannelsAdminPage(page);
  await channels.open();
  const form = page.getByRole('form', { name: 'Connect a channel' });
  await form.getByLabel('Channel').selectOption({ label: 'Chat' });
  await form.getByLabel('Name').fill('Website chat');
  await form.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('new-webhook-url')).toContainText('/api/ingest/chat/');
  const secret = (await page.locator('.secret-once').first().textContent()) ?? '';
  expect(secret.length).toBeGreaterThan(20);
  await page.screenshot({ path: `${screens}/channels.png`, fullPage: true });

  await page.reload();
  const row = page.getByTestId('connection-row').filter({ hasText: 'Website chat' });
  await expect(row).toContainText('stored — type to replace');
  expect(await page.content()).not.toContain(secret);
  await context.close();
});

test('an admin sets a channel’s first-response target and the home calling code; observers cannot open admin pages', async ({ browser }) => {
  const { context, page } = await memberSession(browser, 'admin');
  await page.goto('/admin/settings');
  await page.getByLabel('Chat').fill('15');
  await page.getByLabel('Home country calling code').fill('+351');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status')).toContainText('Saved');
  await page.reload();
  await expect(page.getByLabel('Chat')).toHaveValue('15');
  await expect(page.getByLabel('Home country calling code')).toHaveValue('351');
  await page.screenshot({ path: `${screens}/settings.png`, fullPage: true });
  // Cleared again: the demo organization's other tests read numbers in E.164.
  await page.getByLabel('Home country calling code').fill('');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status')).toContainText('Saved');
  await page.reload();
  await expect(page.getByLabel('Home country calling code')).toHaveValue('');
  await context.close();

  const observer = await memberSession(browser, 'observer');
  const response = await observer.page.goto('/admin/channels');
  expect(response?.status()).toBe(404);
  await observer.context.close();
});

test('mentions imported by CSV become two customers an agent merges by hand', async ({ browser }, testInfo) => {
  const admin = await memberSession(browser, 'admin');
  const channels = new ChannelsAdminPage(admin.page);
  await channels.open();
  const suffix = Date.now().toString(36);
  const csv = `channel,external_id,occurred_at,text,author_handle,author_email,author_name\nx,csv-${suffix}-1,2026-03-05T09:00:00Z,"My refund never came <b>help</b>",merge_${suffix},,Rita Merge\nemail,csv-${suffix}-2,2026-03-05T08:00:00Z,Refund for order 5521 please,,rita.${suffix}@example.com,Rita M.\n`;
  const file = testInfo.outputPath('mentions.csv');
  writeFileSync(file, csv);
  const importForm = admin.page.getByRole('form', { name: 'Import mentions' });
  await importForm.getByLabel('CSV file').setInputFiles(file);
  await importForm.getByRole('button', { name: 'Import mentions' }).click();
  await expect(importForm.getByRole('status')).toHaveText('2 mentions imported, 0 already known.');
  await admin.context.close();

  const { context, page } = await memberSession(browser, 'agent');
  await page.goto(`/customers?q=${suffix}`);
  await expect(page.getByTestId('customer-row')).toHaveCount(2);
  await page.getByTestId('customer-row').getByRole('link', { name: 'Rita Merge' }).click();
  await page.getByLabel('Find the other record').fill(`rita.${suffix}`);
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  await page.getByRole('button', { name: 'Merge Rita M. into this customer' }).click();
  // The panel refreshes in place: both identities and both contacts now belong to one customer.
  await expect(page.getByTestId('customer-history').locator('li')).toHaveCount(2);
  await expect(page.getByTestId('customer-panel')).toContainText(`email:rita.${suffix}@example.com`);
  // The markup someone typed is shown as text, not rendered.
  await expect(page.getByTestId('customer-history')).toContainText('My refund never came <b>help</b>');
  await page.screenshot({ path: `${screens}/customer.png`, fullPage: true });
  await page.goto(`/customers?q=${suffix}`);
  await expect(page.getByTestId('customer-row')).toHaveCount(1);
  await expect(alertIn(page)).toHaveCount(0);
  await context.close();
});
