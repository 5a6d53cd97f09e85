import { expect, test } from '@playwright/test';
import { CrisesPage, RoomPage, memberSession } from './pages';

const screens = 'test-results/screens';

test('a lead and an agent run the room together; the executive approves; an observer follows read-only', async ({ browser }) => {
  const lead = await memberSession(browser, 'lead');
  const agent = await memberSession(browser, 'agent');
  const observer = await memberSession(browser, 'observer');
  const executive = await memberSession(browser, 'executive');

  const crises = new CrisesPage(lead.page);
  await crises.open();
  const title = `Lost bags at JFK ${Date.now()}`;
  const path = await crises.openCrisis(title);

  const leadRoom = new RoomPage(lead.page);
  const agentRoom = new RoomPage(agent.page);
  const observerRoom = new RoomPage(observer.page);
  const execRoom = new RoomPage(executive.page);
  await leadRoom.waitLive();
  await agentRoom.open(path);
  await observerRoom.open(path);
  await execRoom.open(path);
  await expect(leadRoom.presence()).toContainText('Ana Agent');
  await expect(leadRoom.presence()).toContainText('Olga Observer');

  // Plan: both type at once; both texts end up in both editors.
  await Promise.all([leadRoom.plan.type('Lead: apologise first, facts second. '), agentRoom.plan.type('Agent: 212 bags located. ')]);
  for (const room of [leadRoom, agentRoom, observerRoom]) {
    await expect(room.plan.editor()).toContainText('apologise first');
    await expect(room.plan.editor()).toContainText('212 bags located');
  }

  // Checklist: the agent ticks, the lead reorders, at the same time.
  const ack = 'Acknowledge publicly on every channel where it is spreading';
  const before = await leadRoom.checklist.texts();
  await Promise.all([agentRoom.checklist.check(ack), leadRoom.checklist.moveDown(before[0]!)]);
  await expect(leadRoom.checklist.box(ack)).toBeChecked();
  await expect(lead.page.getByTestId('ack-clock')).toContainText('Acknowledged publicly');
  await expect(lead.page.getByTestId('ack-clock')).toContainText('Ana Agent');
  await expect.poll(() => agentRoom.checklist.texts()).toEqual([before[1], before[0], ...before.slice(2)]);
  expect(await leadRoom.checklist.texts()).toEqual(await agentRoom.checklist.texts());
  await leadRoom.checklist.add('Call the JFK station manager');
  await expect(agentRoom.checklist.items().last()).toContainText('Call the JFK station manager');

  // Affected customers: the same person added by both at once from different channels is listed once.
  await Promise.all([
    leadRoom.customers.addByHand({ name: 'Jane Doe', email: 'Jane.Doe@Example.com', whatHappened: 'Bag lost on BA117' }),
    agentRoom.customers.addByHand({ name: 'Jane Doe', email: 'jane.doe@example.com', x: '@janedoe' }),
  ]);
  await expect(agentRoom.customers.rows()).toHaveCount(1);
  await expect(leadRoom.customers.rows()).toHaveCount(1);
  await expect(leadRoom.customers.rows().first()).toContainText('@janedoe');
  await expect(lead.page.getByRole('textbox', { name: 'What happened to Jane Doe' })).toHaveValue('Bag lost on BA117');
  await leadRoom.customers.addByHand({ name: 'Tom Tablet', phone: '+34600112233', whatHappened: 'Order cancelled' });
  await expect(agentRoom.customers.rows()).toHaveCount(2);

  // Compensation: agent proposes the refund while the lead proposes the voucher; both land.
  await Promise.all([agentRoom.compensation.setRefund('Jane Doe', '120'), leadRoom.compensation.setCompensation('Jane Doe', '50')]);
  for (const room of [leadRoom, agentRoom]) {
    await expect(room.compensation.refund('Jane Doe')).toHaveValue('120.00');
    await expect(room.compensation.amount('Jane Doe')).toHaveValue('50.00');
  }
  // The executive reads the proposal as text (executives approve; they do not propose).
  await expect(execRoom.compensation.refund('Jane Doe')).toHaveText('120.00');
  await expect(execRoom.compensation.amount('Jane Doe')).toHaveText('50.00');
  // Agents cannot approve; the executive can.
  await expect(agent.page.getByRole('button', { name: 'Approve compensation for Jane Doe' })).toHaveCount(0);
  await execRoom.compensation.approve('Jane Doe');
  await expect(agentRoom.compensation.row('Jane Doe')).toHaveAttribute('data-status', 'approved');
  await expect(agentRoom.compensation.row('Jane Doe')).toContainText('Evelyn Executive');
  await expect(agentRoom.compensation.refund('Jane Doe')).toBeDisabled();
  await expect(leadRoom.compensation.totals()).toContainText('$170.00');
  await expect(leadRoom.timeline()).toContainText('Evelyn Executive approved $120.00 refund + $50.00 voucher for Jane Doe');

  // The executive writes the plan but not the checklist.
  await execRoom.plan.type('Exec: statement approved at 10:40. ');
  await expect(leadRoom.plan.editor()).toContainText('statement approved');
  await expect(execRoom.checklist.box(ack)).toBeDisabled();

  // The observer reads everything live and can change nothing.
  await expect(observerRoom.plan.editor()).toContainText('statement approved');
  await expect(observerRoom.plan.editor()).toHaveAttribute('contenteditable', 'false');
  await expect(observerRoom.checklist.box(ack)).toBeDisabled();
  await expect(observer.page.getByRole('region', { name: 'Add a customer by hand' })).toHaveCount(0);
  await expect(observer.page.getByText('Read-only: you follow this room')).toBeVisible();
  await expect(observerRoom.compensation.row('Jane Doe')).toHaveAttribute('data-status', 'approved');

  await lead.page.setViewportSize({ width: 1440, height: 1000 });
  await lead.page.screenshot({ path: `${screens}/room-lead.png`, fullPage: true });
  await observer.page.screenshot({ path: `${screens}/room-observer.png`, fullPage: true });
  await executive.page.screenshot({ path: `${screens}/room-executive.png`, fullPage: true });

  // Resolving makes the room read-only for everyone, and it stays readable.
  lead.page.once('dialog', (dialog) => void dialog.accept());
  await lead.page.getByRole('button', { name: 'Resolve' }).click();
  await expect(agent.page.getByTestId('crisis-status')).toHaveText('RESOLVED');
  await expect(agentRoom.checklist.box(ack)).toBeDisabled();
  await expect(agentRoom.plan.editor()).toContainText('statement approved');
  await agent.page.screenshot({ path: `${screens}/room-resolved.png`, fullPage: true });

  for (const session of [lead, agent, observer, executive]) await session.context.close();
});

test('nothing typed during a network cut is lost', async ({ browser }) => {
  const lead = await memberSession(browser, 'lead');
  const agent = await memberSession(browser, 'agent');
  const crises = new CrisesPage(lead.page);
  await crises.open();
  const path = await crises.openCrisis(`Network cut drill ${Date.now()}`);
  const leadRoom = new RoomPage(lead.page);
  const agentRoom = new RoomPage(agent.page);
  await leadRoom.waitLive();
  await agentRoom.open(path);

  await agent.context.setOffline(true);
  await expect(agentRoom.status()).toHaveAttribute('data-status', 'disconnected', { timeout: 15_000 });
  await agent.page.screenshot({ path: `${screens}/room-offline.png` });
  await agentRoom.plan.type('Written while offline. ');
  await agentRoom.checklist.check('Form the crisis committee (lead, executive, agents on duty)');
  // Meanwhile the lead keeps working online.
  await leadRoom.plan.type('Lead online meanwhile. ');

  await agent.context.setOffline(false);
  await agentRoom.waitLive();
  await expect(leadRoom.plan.editor()).toContainText('Written while offline.');
  await expect(leadRoom.checklist.box('Form the crisis committee (lead, executive, agents on duty)')).toBeChecked();
  await expect(agentRoom.plan.editor()).toContainText('Lead online meanwhile.');

  for (const session of [lead, agent]) await session.context.close();
});
