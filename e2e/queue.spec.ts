import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { ChannelsAdminPage, QueuePage, memberSession } from './pages';

const screens = 'test-results/screens';
mkdirSync(screens, { recursive: true });

test('the storm fills the queue; an agent sees the top ticket with its priority breakdown and the customer’s history', async ({ browser }) => {
  const admin = await memberSession(browser, 'admin');
  const channelsPage = new ChannelsAdminPage(admin.page);
  await channelsPage.open();
  const report = await channelsPage.runDrill('Shop: oversold iPad discount storm');
  await expect(report).toContainText('0 failed');
  await expect(report).toContainText(/sent 142 signed messages, 142 accepted/);

  const agent = await memberSession(browser, 'agent');
  const queue = new QueuePage(agent.page);
  await queue.open();
  expect(await queue.rows().count()).toBeGreaterThanOrEqual(100);
  const top = queue.rows().first();
  // The buyer who emailed, got no answer and now tweets to 48,000 followers ranks first, and the row says why.
  await expect(top.getByTestId('customer-name')).toHaveText('Carla Mendes');
  await expect(top.getByTestId('priority-breakdown')).toContainText('Contacted us by email');
  await expect(top.getByTestId('sla')).toHaveText(/min left/);
  const scores = await queue.rows().getByTestId('priority-score').allTextContents();
  expect(scores.map(Number)).toEqual([...scores.map(Number)].sort((a, b) => b - a));
  await agent.page.screenshot({ path: `${screens}/queue.png`, fullPage: false });

  await queue.openTicket(0);
  await expect(agent.page.getByTestId('priority-table')).toContainText('Cross-channel');
  const history = agent.page.getByTestId('customer-history');
  await expect(history.locator('li')).toHaveCount(2);
  await expect(history).toContainText('You cancelled my iPad order without asking');
  await expect(agent.page.getByTestId('lifetime-value')).toHaveText('$2,898');
  await expect(agent.page.getByTestId('agitator')).toContainText('Likely a customer');
  await agent.page.screenshot({ path: `${screens}/ticket.png`, fullPage: true });

  // Filters narrow the same queue by channel.
  await queue.open('?channel=phone');
  const phoneRows = await queue.rows().count();
  expect(phoneRows).toBeGreaterThan(0);
  expect(phoneRows).toBeLessThan(142);
  await admin.context.close();
  await agent.context.close();
});

test('a new promoted attack appears in an open queue without reloading, at the top', async ({ browser }) => {
  const agent = await memberSession(browser, 'agent');
  const queue = new QueuePage(agent.page);
  await queue.open();
  const header = agent.page.getByTestId('queue-summary');
  const before = await header.textContent();
  // A marker that a reload would wipe: the page must update in place.
  await agent.page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));

  const admin = await memberSession(browser, 'admin');
  const channelsPage = new ChannelsAdminPage(admin.page);
  await channelsPage.open();
  await expect(await channelsPage.runDrill('Airline: promoted tweets over a lost bag')).toContainText('0 failed');

  await expect(header).not.toHaveText(before ?? '');
  expect(await agent.page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
  await expect(queue.rows().first().getByTestId('customer-name')).toHaveText('Hasan Minhaj Rahman');
  await expect(queue.rows().first().getByTestId('priority-breakdown')).toContainText('Contacted us by phone');
  await expect(queue.rows().first().getByTestId('amplified')).toHaveText('Promoted · 2,400,000 impressions');
  await expect(queue.rows().first().getByTestId('ticket-link')).toHaveText('Lost bag on DA 212 JFK, file JFKDA48213');
  await agent.page.screenshot({ path: `${screens}/queue-attack.png` });
  await admin.context.close();
  await agent.context.close();
});

test('npm run simulate sends signed traffic with an API key', async ({ browser }) => {
  const admin = await memberSession(browser, 'admin');
  const channelsPage = new ChannelsAdminPage(admin.page);
  await channelsPage.open();
  const key = await channelsPage.createApiKey('simulator');
  expect(key).toMatch(/^sdk_/);
  const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/simulate.ts', '--url', baseURL, '--scenario', 'background', '--api-key', key], { timeout: 120_000 });
  expect(stdout).toMatch(/sent 60 in .* s: 60 accepted, 0 duplicates, 0 failed/);
  await admin.context.close();
});
