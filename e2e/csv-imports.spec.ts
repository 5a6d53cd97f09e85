import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { CrisesPage, RoomPage, alertIn, memberSession } from './pages';

const screens = 'test-results/screens';
mkdirSync(screens, { recursive: true });

test('an agent imports a purchases CSV larger than 1 MB from the customers page', async ({ browser }) => {
  const { context, page } = await memberSession(browser, 'agent');
  const run = Date.now().toString(36);
  const note = 'Economy return, seat 14C, one checked bag, meal preference vegetarian, loyalty tier silver; '.repeat(3);
  const rows = Array.from({ length: 4_000 }, (_, i) => `buyer${i % 400}.${run}@example.com,ord-${run}-${i},10.50,USD,2026-01-${String((i % 28) + 1).padStart(2, '0')},"${note}"`);
  const csv = ['customer_email,external_id,amount,currency,purchased_at,description', ...rows].join('\r\n');
  expect(Buffer.byteLength(csv)).toBeGreaterThan(1024 * 1024);

  await page.goto('/customers');
  const form = page.getByRole('form', { name: 'Import purchases' });
  await form.getByLabel('CSV file').setInputFiles({ name: 'purchases.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await form.getByRole('button', { name: 'Import purchases' }).click();
  await expect(form.getByRole('status')).toHaveText('4,000 purchases imported (0 already known) for 400 customers.', { timeout: 30_000 });
  await page.screenshot({ path: `${screens}/customers-purchases-import.png` });

  // A bad row further down rejects the whole file, naming its line and column.
  const bad = `${csv}\r\nbuyer.${run}@example.com,ord-${run}-late,12.345,USD,2026-01-01,x`;
  await form.getByLabel('CSV file').setInputFiles({ name: 'purchases.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await form.getByRole('button', { name: 'Import purchases' }).click();
  await expect(alertIn(page)).toContainText('1 of 4,001 rows are invalid. line 4002, amount: expected an amount like 129.99');

  await page.goto(`/customers?q=buyer0.${run}`);
  // Ten orders of 10.50: rows 0, 400, … 3600.
  await expect(page.getByTestId('customer-row').first()).toContainText('$105');
  await context.close();
});

test('a lead imports a crisis’s affected customers by CSV; a bad line imports nothing and is named', async ({ browser }) => {
  const { context, page } = await memberSession(browser, 'lead');
  const crises = new CrisesPage(page);
  await crises.open();
  await crises.openCrisis(`Oversold tablets ${Date.now()}`);
  const room = new RoomPage(page);
  await room.waitLive();

  await room.customers.importCsv('name,email,phone,what_happened\nAl Buyer,al@example.com,,order cancelled\nBo Buyer,not-an-email,,late\n');
  await expect(alertIn(page)).toContainText('line 3: Email “not-an-email” is not valid');
  await expect(room.customers.rows()).toHaveCount(0);

  await room.customers.importCsv('name,email,phone,what_happened\r\n"Buyer, Al",al@example.com,,"order cancelled, ""twice"""\r\nBo Buyer,bo@example.com,+34600112233,late\r\n');
  await expect(page.getByRole('status').filter({ hasText: 'added' })).toHaveText('2 added.');
  await expect(room.customers.rows()).toHaveCount(2);
  await expect(room.customers.rows().first()).toContainText('Buyer, Al');
  await page.screenshot({ path: `${screens}/room-customers-import.png`, fullPage: true });
  await context.close();
});
