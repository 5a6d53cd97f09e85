import { expect, test } from '@playwright/test';
import { DashboardPage, DetectionAdminPage, memberSession } from './pages';

const screens = 'test-results/screens';

test('a crisis opened in another browser appears on the dashboard live, linked to its room', async ({ browser }) => {
  const agent = await memberSession(browser, 'agent');
  const lead = await memberSession(browser, 'lead');
  const watching = new DashboardPage(agent.page);
  await watching.open();
  // Other tests may have left crises open in the demo organization: count from what is shown now.
  const state = agent.page.getByTestId('crisis-state');
  await expect(state).toHaveText(/^(No open crisis|\d+ open cris[ie]s)$/);
  const before = Number.parseInt((await state.textContent()) ?? '', 10) || 0;

  const opening = new DashboardPage(lead.page);
  await opening.open();
  await opening.openCrisisByHand('Oversold discounted tablets', 'ipad', 'The shop sold 3,000 tablets it does not have');

  // No reload on the agent's side: the live stream refreshes the page.
  const link = watching.crisisLink('Oversold discounted tablets');
  await expect(link).toBeVisible();
  await expect(link).toHaveAttribute('href', /^\/crises\/[0-9a-f-]{36}$/);
  await expect(state).toHaveText(before === 0 ? '1 open crisis' : `${before + 1} open crises`);
  // The agent on duty was given the room.
  await expect(agent.page.getByTestId('notification').first()).toContainText('You are on duty for the crisis “Oversold discounted tablets”');
  await agent.page.screenshot({ path: `${screens}/dashboard-manual-crisis.png`, fullPage: true });
  await agent.context.close();
  await lead.context.close();
});

test('a storm drill through live detection opens a room by itself, on the dashboard while it is watched', async ({ browser }) => {
  const lead = await memberSession(browser, 'lead');
  const admin = await memberSession(browser, 'admin');
  const dashboard = new DashboardPage(lead.page);
  await dashboard.open();

  const detection = new DetectionAdminPage(admin.page);
  await detection.open();
  await expect(admin.page.getByLabel('Emerging topic: times its usual share')).toHaveValue('3');
  await admin.page.screenshot({ path: `${screens}/detection-settings.png`, fullPage: true });
  await detection.runDrill();

  const room = dashboard.crisisLink('Promoted complaint attack about #lostluggage');
  await expect(room).toBeVisible({ timeout: 30_000 });
  await expect(lead.page.getByTestId('open-crisis').filter({ hasText: 'Promoted complaint attack' })).toContainText('Opened by detection');
  await expect(lead.page.getByRole('img', { name: 'Complaints per minute against the expected range' })).toBeVisible();
  const promoted = dashboard.alertRows().filter({ hasText: 'Promoted post' });
  await expect(promoted).toContainText('@stranded_sam');
  await expect(promoted).toContainText('opened a room');
  // The hashtag that carries the storm is an emerging topic (the drill's seed follows the clock; in a few seeds in a
  // thousand one of its words also emerges on its own a moment later, and is listed above it, newest first).
  await expect(lead.page.getByTestId('emerging-topic').filter({ hasText: '#lostluggage' })).toHaveCount(1);
  // The all-complaints spike joined the same room: one storm, one room.
  await expect(dashboard.alertRows().filter({ hasText: 'all complaints' }).first()).toContainText('in a room');
  await lead.page.screenshot({ path: `${screens}/dashboard-storm.png`, fullPage: true });

  // A lead marks an alert a false alarm; it stays listed as feedback.
  // Which series fire besides "all complaints" depends on how fast the replay runs; any alert but the promoted post will do.
  const spike = dashboard.alertRows().filter({ hasNotText: 'Promoted post' }).first();
  await spike.getByRole('button', { name: 'False alarm' }).click();
  await expect(lead.page.getByTestId('alert-status').filter({ hasText: /^false alarm$/ })).toHaveCount(1);
  await admin.page.screenshot({ path: `${screens}/admin-detection.png`, fullPage: true });
  await admin.page.goto('/admin/protocols');
  await admin.page.getByText('Social media complaint storm').click();
  await admin.page.screenshot({ path: `${screens}/admin-protocols.png`, fullPage: true });
  await lead.context.close();
  await admin.context.close();
});
