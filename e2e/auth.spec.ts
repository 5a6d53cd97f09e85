import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, type DemoRole, SignInPage, alertIn, demo, signInAs } from './pages';

const navigationByRole: Record<DemoRole, { sees: string[]; doesNotSee: string[] }> = {
  admin: { sees: ['Overview', 'Team notes', 'Members', 'Audit log'], doesNotSee: [] },
  executive: { sees: ['Overview', 'Team notes'], doesNotSee: ['Members', 'Audit log'] },
  lead: { sees: ['Overview', 'Team notes'], doesNotSee: ['Members', 'Audit log'] },
  agent: { sees: ['Overview', 'Team notes'], doesNotSee: ['Members', 'Audit log'] },
  observer: { sees: ['Overview', 'Team notes'], doesNotSee: ['Members', 'Audit log'] },
};

test('every page but sign-in requires a session', async ({ page }) => {
  for (const path of ['/', '/notes', '/admin/members']) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/signin$/);
  }
});

for (const role of Object.keys(demo) as DemoRole[]) {
  test(`${role} signs in and sees their own navigation`, async ({ page }) => {
    await signInAs(page, role);
    await expect(page.getByTestId('member-name')).toHaveText(demo[role].name);
    await expect(page.getByTestId('organization')).toHaveText('Demo Air');
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const label of navigationByRole[role].sees) await expect(nav.getByRole('link', { name: label })).toBeVisible();
    for (const label of navigationByRole[role].doesNotSee) await expect(nav.getByRole('link', { name: label })).toHaveCount(0);
    await page.screenshot({ path: `test-results/screens/landing-${role}.png`, fullPage: true });
  });
}

test('a wrong password gets a clear message and no session', async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.open();
  await signIn.signIn(demo.agent.email, 'not-the-password');
  await expect(signIn.error()).toHaveText('Wrong email or password.');
  await page.screenshot({ path: 'test-results/screens/signin-wrong-password.png' });
  await page.goto('/');
  await expect(page).toHaveURL(/\/signin$/);
});

test('repeated failures lock the account for a while, with a message that says so', async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.open();
  // An account of its own, so the lock does not disturb other tests.
  for (let attempt = 0; attempt < 5; attempt += 1) {
    await signIn.signIn('nobody-here@demo-air.example', `wrong-${attempt}`);
    await expect(signIn.error()).toBeVisible();
  }
  await signIn.signIn('nobody-here@demo-air.example', 'wrong-again');
  await expect(signIn.error()).toContainText('Too many failed attempts');
});

test('sign-out ends the session', async ({ page }) => {
  await signInAs(page, 'lead');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/signin$/);
});

test('a non-admin cannot open the members page', async ({ page }) => {
  await signInAs(page, 'lead');
  const response = await page.goto('/admin/members');
  expect(response?.status()).toBe(404);
});

test('an admin adds a member, who can then sign in with the role given', async ({ page, browser }) => {
  await signInAs(page, 'admin');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' }).click();
  const form = page.getByRole('form', { name: 'Add a member' });
  // Unique per run, so the test passes again on a reused server.
  const stamp = Date.now();
  const name = `Nina New ${stamp}`;
  const email = `nina-${stamp}@demo-air.example`;
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Role').selectOption('agent');
  await form.getByRole('button', { name: 'Add member' }).click();
  await expect(form.getByRole('status')).toContainText(`${name} (${email}) was added.`);
  const password = await form.getByTestId('temporary-password').textContent();
  expect(password).toBeTruthy();
  await expect(page.getByRole('table', { name: 'Members' }).getByRole('row', { name: new RegExp(name) })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/admin-members.png', fullPage: true });

  const context = await browser.newContext();
  const newcomer = await context.newPage();
  const signIn = new SignInPage(newcomer);
  await signIn.open();
  await signIn.signIn(email, password!);
  await expect(newcomer.getByRole('heading', { level: 1, name: 'Agent desk' })).toBeVisible();

  // Promote her to lead: her next page shows the new role, without signing in again.
  await page.getByRole('combobox', { name: `Role of ${name}` }).selectOption('lead');
  await expect.poll(async () => (await newcomer.reload(), await newcomer.getByRole('heading', { level: 1 }).textContent())).toBe('Crisis lead');
  await context.close();
});

test('the last admin cannot be demoted', async ({ page }) => {
  await signInAs(page, 'admin');
  await page.goto('/admin/members');
  await page.getByRole('combobox', { name: 'Role of Ada Admin' }).selectOption('agent');
  await expect(alertIn(page)).toContainText('at least one admin');
  await expect(page.getByRole('combobox', { name: 'Role of Ada Admin' })).toHaveValue('admin');
});

test('an unknown email gets the same message as a wrong password', async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.open();
  await signIn.signIn('someone@elsewhere.example', DEMO_PASSWORD);
  await expect(signIn.error()).toHaveText('Wrong email or password.');
});
