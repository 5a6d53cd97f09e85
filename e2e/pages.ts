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

/** The live dashboard: volume charts, open crises, alerts, and the form to open a crisis by hand. */
export class DashboardPage {
  constructor(readonly page: Page) {}

  async open() {
    await this.page.goto('/dashboard');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  }

  openCrises() {
    return this.page.getByTestId('open-crisis');
  }

  crisisLink(title: string) {
    return this.page.getByRole('region', { name: 'Open crises' }).getByRole('link', { name: title, exact: true });
  }

  alertRows() {
    return this.page.getByTestId('alert-row');
  }

  async openCrisisByHand(title: string, topic: string, reason: string) {
    const form = this.page.getByRole('form', { name: 'Open a crisis by hand' });
    await form.getByLabel('Title').fill(title);
    await form.getByLabel('Topic (optional)').fill(topic);
    await form.getByLabel('What is happening (for the committee)').fill(reason);
    await form.getByRole('button', { name: 'Open crisis room' }).click();
    await expect(form.getByRole('status')).toContainText('Crisis opened');
  }
}

/** The admin's detection page: thresholds, notification targets, storm drill. */
export class DetectionAdminPage {
  constructor(readonly page: Page) {}

  async open() {
    await this.page.goto('/admin/detection');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Detection' })).toBeVisible();
  }

  async runDrill() {
    const form = this.page.getByRole('form', { name: 'Storm drill' });
    await form.getByRole('button', { name: 'Run a storm drill' }).click();
    await expect(form.getByRole('status')).toContainText('Drill started');
  }
}

/** The crises list with its "Open a crisis" form. */
export class CrisesPage {
  constructor(readonly page: Page) {}

  async open() {
    await this.page.goto('/crises');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Crises' })).toBeVisible();
  }

  /** Opens a crisis by hand and returns its room's URL path. */
  async openCrisis(title: string, topic?: string): Promise<string> {
    const form = this.page.getByRole('form', { name: 'Open a crisis' });
    await form.getByLabel('What is happening').fill(title);
    if (topic) await form.getByLabel('Topic or hashtag (optional)').fill(topic);
    await form.getByRole('button', { name: 'Open the crisis room' }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    return new URL(this.page.url()).pathname;
  }
}

/** A crisis room: plan, checklist, affected customers, compensation, presence, timeline. */
export class RoomPage {
  constructor(readonly page: Page) {}

  async open(path: string) {
    await this.page.goto(path);
    await this.waitLive();
  }

  async waitLive() {
    await expect(this.page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
  }

  status() {
    return this.page.getByTestId('connection-status');
  }

  presence() {
    return this.page.getByTestId('presence');
  }

  timeline() {
    return this.page.getByRole('list', { name: 'Timeline' });
  }

  readonly plan = {
    editor: () => this.page.getByRole('textbox', { name: 'Response plan' }),
    type: async (text: string) => {
      await this.plan.editor().click();
      await this.page.keyboard.press('Control+End');
      await this.page.keyboard.type(text);
    },
  };

  readonly checklist = {
    items: () => this.page.getByTestId('checklist-item'),
    box: (text: string) => this.page.getByRole('list', { name: 'Protocol checklist' }).getByRole('checkbox', { name: text }),
    check: async (text: string) => {
      await this.checklist.box(text).check();
    },
    moveDown: async (text: string) => {
      await this.page.getByRole('button', { name: new RegExp(`Move “${escapeRegExp(text)}.*” down`) }).click();
    },
    add: async (text: string) => {
      const form = this.page.getByRole('form', { name: 'Add a checklist step' });
      await form.getByLabel('New step').fill(text);
      await form.getByRole('button', { name: 'Add step' }).click();
    },
    texts: async () => (await this.checklist.items().locator('.checklist-text').allTextContents()).map((t) => t.trim()),
  };

  readonly customers = {
    rows: () => this.page.getByTestId('customer-row'),
    addByHand: async (person: { name: string; email?: string; phone?: string; x?: string; whatHappened?: string }) => {
      const form = this.page.getByRole('region', { name: 'Add a customer by hand' });
      await form.getByLabel('Name').fill(person.name);
      if (person.email) await form.getByLabel('Email').fill(person.email);
      if (person.phone) await form.getByLabel('Phone (+country code)').fill(person.phone);
      if (person.x) await form.getByLabel('X handle').fill(person.x);
      if (person.whatHappened) await form.getByLabel('What happened').fill(person.whatHappened);
      await form.getByRole('button', { name: 'Add customer' }).click();
    },
    importCsv: async (csv: string) => {
      await this.page
        .getByRole('region', { name: 'Import customers from CSV' })
        .getByLabel('CSV file')
        .setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    },
    setState: async (name: string, state: 'To contact' | 'Contacted' | 'Resolved') => {
      await this.page.getByLabel(`State of ${name}`).selectOption({ label: state });
    },
  };

  readonly compensation = {
    rows: () => this.page.getByTestId('compensation-row'),
    setRefund: async (name: string, amount: string) => {
      const input = this.page.getByRole('textbox', { name: `Refund for ${name}`, exact: true });
      await input.fill(amount);
      await input.press('Enter');
    },
    setCompensation: async (name: string, amount: string) => {
      const input = this.page.getByRole('textbox', { name: `Compensation for ${name}`, exact: true });
      await input.fill(amount);
      await input.press('Enter');
    },
    approve: async (name: string) => {
      await this.page.getByRole('button', { name: `Approve compensation for ${name}` }).click();
    },
    row: (name: string) => this.page.getByTestId('compensation-row').filter({ hasText: name }),
    refund: (name: string) => this.page.getByRole('textbox', { name: `Refund for ${name}`, exact: true }),
    amount: (name: string) => this.page.getByRole('textbox', { name: `Compensation for ${name}`, exact: true }),
    totals: () => this.page.getByTestId('compensation-totals'),
  };
}

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
