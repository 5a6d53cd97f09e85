import { type Browser, type BrowserContext, type Page, expect } from '@playwright/test';

export const DEMO_PASSWORD = 'stormdesk-demo';

export const demo = {
  admin: { email: 'admin@demo-air.example', name: 'Ada Admin', heading: 'Administration' },
  executive: { email: 'exec@demo-air.example', name: 'Evelyn Executive', heading: 'Executive overview' },
  lead: { email: 'lead@demo-air.example', name: 'Leo Lead', heading: 'Crisis lead' },
  agent: { email: 'agent@demo-air.example', name: 'Ana Agent', heading: 'Agent desk' },
  observer: { email: 'observer@demo-air.example', name: 'Olga Observer', heading: 'Observer' },
} as const;

export type DemoRole = keyof typeof demo;

/** The sign-in page. */
export class SignInPage {
  constructor(readonly page: Page) {}

  async open() {
    await this.page.goto('/signin');
  }

  async signIn(email: string, password: string) {
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  error() {
    return alertIn(this.page);
  }
}

/** Signs a demo member in on a page and waits for their landing page. */
export async function signInAs(page: Page, role: DemoRole) {
  const signInPage = new SignInPage(page);
  await signInPage.open();
  await signInPage.signIn(demo[role].email, DEMO_PASSWORD);
  await expect(page.getByRole('heading', { level: 1, name: demo[role].heading })).toBeVisible();
}

/** A fresh browser context (its own cookies) with a demo member signed in. */
export async function memberSession(browser: Browser, role: DemoRole): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, role);
  return { context, page };
}

/** The team notes page: a shared document. */
export class NotesPage {
  constructor(readonly page: Page) {}

  async open() {
    await this.page.goto('/notes');
    await expect(this.page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
  }

  editor() {
    return this.page.getByRole('textbox', { name: 'Team notes' });
  }

  async type(text: string) {
    await this.editor().click();
    await this.page.keyboard.press('End');
    await this.page.keyboard.type(text);
  }
}

/** Our own alerts (Next.js adds an empty route announcer with the same role). */
export function alertIn(page: Page) {
  return page.getByRole('alert').and(page.locator('.alert'));
}

/** The admin's channels page: connections, API keys, drills, imports. */
export class ChannelsAdminPage {
  constructor(readonly page: Page) {}

  async open() {
    await this.page.goto('/admin/channels');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Channels' })).toBeVisible();
  }

  /** Runs a drill scenario by its title and waits for the report. */
  async runDrill(title: string) {
    const form = this.page.getByRole('form', { name: 'Run a drill' });
    await form.getByLabel('Scenario').selectOption({ label: title });
    await form.getByRole('button', { name: 'Run drill' }).click();
    const report = this.page.getByTestId('drill-report');
    await expect(report).toBeVisible({ timeout: 60_000 });
    return report;
  }

  /** Creates an API key and returns it (shown once). */
  async createApiKey(name: string): Promise<string> {
    const form = this.page.getByRole('form', { name: 'Create an API key' });
    await form.getByLabel('What uses it').fill(name);
    await form.getByRole('button', { name: 'Create key' }).click();
    return (await this.page.getByTestId('new-api-key').textContent()) ?? '';
  }
}

/** The unified queue. */
export class QueuePage {
  constructor(readonly page: Page) {}

  async open(query = '') {
    await this.page.goto(`/queue${query}`);
    await expect(this.page.getByRole('heading', { level: 1, name: 'Queue' })).toBeVisible();
  }

  rows() {
    return this.page.getByTestId('queue-row');
  }

  /** Opens the ticket in the given row (0 = most urgent). */
  async openTicket(index = 0) {
    await this.rows().nth(index).getByTestId('ticket-link').click();
    await expect(this.page.getByTestId('priority-table')).toBeVisible();
  }
}
