import { expect, test } from '@playwright/test';
import { NotesPage, memberSession } from './pages';

test('two members edit the team notes and see each other live; an observer reads but cannot edit', async ({ browser }) => {
  const lead = await memberSession(browser, 'lead');
  const agent = await memberSession(browser, 'agent');
  const observer = await memberSession(browser, 'observer');
  const leadNotes = new NotesPage(lead.page);
  const agentNotes = new NotesPage(agent.page);
  const observerNotes = new NotesPage(observer.page);
  await leadNotes.open();
  await agentNotes.open();
  await observerNotes.open();

  const fromLead = `Lead hand-over ${Date.now()}`;
  await leadNotes.type(fromLead);
  await expect(agentNotes.editor()).toContainText(fromLead);

  const fromAgent = ` agent ack ${Date.now()}`;
  await agentNotes.type(fromAgent);
  await expect(leadNotes.editor()).toContainText(fromAgent);
  await expect(observerNotes.editor()).toContainText(fromAgent);

  // Each sees who else is here.
  await expect(lead.page.getByTestId('presence')).toContainText('Ana Agent');

  await expect(observerNotes.editor()).toHaveAttribute('contenteditable', 'false');
  await expect(observer.page.getByText('Read-only')).toBeVisible();
  await lead.page.screenshot({ path: 'test-results/screens/notes-lead.png', fullPage: true });
  await observer.page.screenshot({ path: 'test-results/screens/notes-observer.png', fullPage: true });

  for (const session of [lead, agent, observer]) await session.context.close();
});
