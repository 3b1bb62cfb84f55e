import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { useStory } from './harness.js';
import { LoginPage } from './pages.js';

/** The admin's user list and its edit dialog, in the words the screen uses. */
class AdminUsersPage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  async open(): Promise<void> {
    await this.page.goto(`${this.baseUrl}/admin/users`);
    await this.page.getByRole('table', { name: 'Users' }).getByRole('cell', { name: 'orthopedic', exact: true }).waitFor();
  }

  row(username: string) {
    return this.page.getByRole('row').filter({ has: this.page.getByRole('cell', { name: username, exact: true }) });
  }

  dialog() {
    return this.page.getByRole('dialog');
  }

  async edit(username: string): Promise<void> {
    await this.page.getByRole('button', { name: `Edit ${username}` }).click();
    await this.dialog().getByRole('textbox', { name: 'Display name' }).waitFor();
  }

  async save(): Promise<void> {
    await this.dialog().getByRole('button', { name: 'Save changes' }).click();
  }

  async closed(): Promise<void> {
    await this.dialog().waitFor({ state: 'hidden' });
  }

  status() {
    return this.page.getByRole('status');
  }
}

/** Refused sign-ins the story makes on purpose (401) are logged by the browser; nothing else may be. */
const unexpected = (problems: string[]) => problems.filter((p) => !/status of 401 /.test(p));

describe('an administrator manages existing users', () => {
  const story = useStory();

  test('the admin changes a clinician\'s discipline, deactivates a user who left, and that user is signed out and cannot sign in', async () => {
    // The travel coordinator is working when they are deactivated.
    const leaver = await story.signedIn('travel');

    const { page, problems } = await story.signedIn('admin');
    const users = new AdminUsersPage(page, story.server.url);
    await users.open();

    // A required discipline left empty is refused at the field, before anything is sent.
    await users.edit('orthopedic');
    await users.dialog().getByRole('combobox', { name: 'Discipline' }).selectOption('');
    await users.save();
    await users.dialog().getByText('Choose the clinician’s discipline').waitFor();
    await users.dialog().getByRole('combobox', { name: 'Discipline' }).selectOption('pediatric_surgery');
    await users.save();
    await users.status().getByText('Saved the changes to Dr. Marcus Lindqvist (Orthopedic Oncology).').waitFor();
    await users.row('orthopedic').getByRole('cell', { name: 'Pediatric surgery' }).waitFor();

    // The admin's own account cannot be deactivated from here.
    await users.edit('admin');
    expect(await users.dialog().getByRole('checkbox', { name: /Active/ }).isDisabled()).toBe(true);
    await users.dialog().getByRole('button', { name: 'Cancel' }).click();

    await users.edit('travel');
    await users.dialog().getByRole('checkbox', { name: /Active/ }).uncheck();
    await users.dialog().getByText('Saving signs this user out on every device at once, and they can no longer sign in.').waitFor();
    await users.save();
    await users.status().getByText(/is deactivated: signed out everywhere and can no longer sign in/).waitFor();
    await users.row('travel').getByText('Inactive').waitFor();
    await users.closed();
    await page.screenshot({ path: '.tmp/e2e-admin-users.png', fullPage: true });
    expect(unexpected(problems)).toEqual([]);

    // The leaver's open session has ended: the app goes back to the sign-in page.
    await leaver.page.reload();
    await leaver.page.getByRole('button', { name: 'Sign in' }).waitFor();
    // And signing in again is refused with the same message as a wrong password.
    const login = new LoginPage(leaver.page, story.server.url);
    await login.open();
    const [res] = await Promise.all([
      leaver.page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login')),
      login.signIn('travel', 'tumorboard-demo'),
    ]);
    expect(res.status()).toBe(401);
    await leaver.page.getByText('Username or password is incorrect (after 5 failed attempts an account is locked for 15 minutes).').waitFor();
    expect(await leaver.page.getByRole('button', { name: 'Log out' }).count()).toBe(0);
    expect(unexpected(leaver.problems)).toEqual([]);
  });

  test('the admin sees that an account is locked after wrong passwords, confirms the unlock, and the user signs in again', async () => {
    const signIn = (password: string) => fetch(`${story.server.url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ent', password }),
    });
    for (let i = 0; i < 5; i++) expect((await signIn(`not-the-password-${i}`)).status).toBe(401);
    expect((await signIn('tumorboard-demo')).status).toBe(401);

    const { page, problems } = await story.signedIn('admin');
    const users = new AdminUsersPage(page, story.server.url);
    await users.open();
    await users.row('ent').getByText('Locked').waitFor();
    await page.getByRole('button', { name: 'Unlock ent' }).click();
    await users.dialog().getByText(/is locked after repeated wrong passwords until .*Unlock only if you know it was them/).waitFor();
    await page.screenshot({ path: '.tmp/e2e-admin-users-unlock.png' });
    await users.dialog().getByRole('button', { name: 'Unlock account' }).click();
    await users.status().getByText('Dr. Thomas Nguyen (Otolaryngology) is unlocked and can sign in again.').waitFor();
    await users.closed();
    expect(await users.row('ent').getByText('Locked').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Unlock ent' }).count()).toBe(0);
    expect((await signIn('tumorboard-demo')).status).toBe(200);
    expect(problems).toEqual([]);
  });
});
