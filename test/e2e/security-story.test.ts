import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CHROMIUM_PATH, launchBrowser, signedIn, startServer, watchConsole, type RunningServer } from './harness.js';
import { LoginPage } from './pages.js';

/** The admin's new-user form, in the words the screen uses. */
class NewUserForm {
  constructor(private readonly page: Page) {}

  async open(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}/admin/users`);
    await this.page.getByRole('button', { name: 'Add user' }).click();
  }

  async fill(username: string, displayName: string, role: string, password: string): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Username' }).fill(username);
    await this.page.getByRole('textbox', { name: 'Display name' }).fill(displayName);
    await this.page.getByRole('combobox', { name: 'Role' }).selectOption(role);
    await this.page.getByLabel('Initial password').fill(password);
  }

  async create(): Promise<void> {
    await this.page.getByRole('button', { name: 'Create user' }).click();
  }
}

/** Refused requests the story makes on purpose (400 policy, 401 sign-in) are logged by the browser; nothing else may be. */
const unexpected = (problems: string[]) => problems.filter((p) => !/status of (400|401) /.test(p));

describe('account security in the browser', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install chromium`);
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the admin is told at the password field that a breached password is refused, then creates the user with a passphrase', async () => {
    const { page, problems } = await signedIn(browser, server, 'admin');
    const form = new NewUserForm(page);
    await form.open(server.url);
    await form.fill('new.coordinator', 'New Coordinator', 'coordinator', 'qwerty123456');
    await form.create();
    await page.getByText('The password is on the list of common passwords found in data breaches: choose another').waitFor();
    await page.getByLabel('Initial password').fill('lantern orbit maple 7');
    await form.create();
    await page.getByRole('cell', { name: 'new.coordinator', exact: true }).waitFor();
    expect(unexpected(problems)).toEqual([]);
  });

  test('after five wrong passwords the sign-in page says the account is locked, and the right password is refused for now', async () => {
    const page = await browser.newPage();
    const problems = watchConsole(page);
    const login = new LoginPage(page, server.url);
    await login.open();
    const attempt = async (password: string) => {
      const [res] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login')), login.signIn('ent', password)]);
      return res.status();
    };
    for (let i = 0; i < 5; i++) expect(await attempt(`not-the-password-${i}`)).toBe(401);
    expect(await attempt('tumorboard-demo')).toBe(401);
    await page.getByText('Username or password is incorrect (after 5 failed attempts an account is locked for 15 minutes).').waitFor();
    expect(await page.getByLabel('Username').isVisible()).toBe(true);
    expect(unexpected(problems)).toEqual([]);
  });
});
