import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CHROMIUM_PATH, launchBrowser, signedIn, startServer, watchConsole, type RunningServer } from './harness.js';
import { LoginPage, PatientsPage } from './pages.js';

describe('a coordinator in the browser', () => {
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

  test('the server prints its URL and the demo logins', () => {
    expect(server.stdout()).toMatch(/Demo logins \(password "tumorboard-demo"\): coordinator, oncologist/);
  });

  test('signs in, searches the patient list and opens a patient, with no console errors', async () => {
    const page = await browser.newPage();
    const problems = watchConsole(page);
    const login = new LoginPage(page, server.url);
    await login.open();
    await login.signIn('coordinator', 'tumorboard-demo');
    await page.getByRole('heading', { name: 'Patients' }).waitFor();
    const patients = new PatientsPage(page);
    await expect.poll(() => patients.rows().count()).toBeGreaterThan(5);
    await patients.search('sarcoma');
    await page.waitForTimeout(600);
    const name = await patients.openFirst();
    await page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
    const familyName = name.split(',')[0]!.trim();
    await page.getByRole('heading', { name: new RegExp(familyName) }).first().waitFor();
    await page.screenshot({ path: '.tmp/e2e-patient.png', fullPage: true });
    expect(problems).toEqual([]);
  });

  test('a wrong password shows an error and stays on the sign-in page', async () => {
    const page = await browser.newPage();
    const login = new LoginPage(page, server.url);
    await login.open();
    await login.signIn('coordinator', 'not-the-password');
    await page.getByText(/incorrect/i).waitFor();
    expect(await page.getByLabel('Username').isVisible()).toBe(true);
  });

  test('the app runs under the strict CSP (no inline script), and signing out on all devices ends the other browser\'s session', async () => {
    const res = await fetch(server.url);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(await res.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const a = await signedIn(browser, server, 'riverside');
    const b = await signedIn(browser, server, 'riverside');
    await a.page.getByRole('button', { name: 'Account', exact: true }).click();
    await a.page.getByRole('menuitem', { name: 'Sign out on all devices' }).click();
    await a.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await b.page.reload();
    await b.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(a.problems).toEqual([]);
    expect(b.problems).toEqual([]);
  });

  test('on a phone the patient list is cards, and the navigation drawer closes on Escape with the focus back on its button', async () => {
    const { page, problems } = await signedIn(browser, server, 'coordinator', { width: 390, height: 844 });
    await page.getByTestId('patient-card').first().waitFor();
    expect(await page.getByRole('table', { name: 'Patients' }).isVisible()).toBe(false);
    const open = page.getByRole('button', { name: 'Open navigation' });
    await open.click();
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Cases' }).waitFor();
    expect(await page.locator('#main').evaluate((m) => (m as HTMLElement).inert)).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('button', { name: 'Open navigation' }).evaluate((b) => b === document.activeElement)).toBe(true);
    // Closed: the button says so, and the page behind is reachable again (it is inert while the drawer is open).
    expect(await page.getByRole('button', { name: 'Open navigation' }).getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('#main').evaluate((m) => (m as HTMLElement).inert)).toBe(false);
    expect(problems).toEqual([]);
  });
});
