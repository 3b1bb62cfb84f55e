import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { totpCodeAt } from '../../src/domain/auth/mfa.js';
import { launchBrowser, startServer, watchConsole, type RunningServer } from './harness.js';
import { TwoStepPage } from './mfa-pages.js';
import { LoginPage } from './pages.js';

/**
 * Issue 9 §1, as a clinician lives it where the program requires two-step sign-in for clinicians: the first sign-in
 * leads to the set-up and nothing else; she scans the code, saves her recovery codes, and from then on signs in with
 * her password and the code from her phone.
 */
describe('a clinician sets up two-step sign-in where the program requires it, then signs in with a code', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    process.env.MFA_REQUIRED_ROLES = 'clinician';
    try { server = await startServer(); } finally { delete process.env.MFA_REQUIRED_ROLES; }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('her first sign-in leads only to the set-up; once it is on, the record opens; the next sign-in asks for the code', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchConsole(page);
    const login = new LoginPage(page, server.url);
    await login.open();
    await login.signIn('oncologist', 'tumorboard-demo');
    const twoStep = new TwoStepPage(page);
    await twoStep.requiredNotice().waitFor();
    // Nothing else is offered meanwhile.
    expect(await page.getByRole('link', { name: 'Patients' }).count()).toBe(0);

    const secret = await twoStep.start();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const firstCode = totpCodeAt(secret, new Date());
    const codes = await twoStep.confirm(firstCode);
    expect(codes).toHaveLength(10);
    await page.screenshot({ path: '.tmp/mfa-story-codes.png', fullPage: true });
    await twoStep.savedCodes();
    // The same session now opens the program.
    await page.getByRole('link', { name: 'Patients' }).first().click();
    await page.getByRole('heading', { name: 'Patients', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Log out' }).click();
    await login.open();
    await login.signIn('oncologist', 'tumorboard-demo');
    const code = page.getByLabel('Authentication code');
    await code.waitFor();
    expect(await page.getByRole('alert').innerText()).toMatch(/two-step sign-in/);
    // The code that turned it on was used already: a replay is refused.
    await code.fill(firstCode);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not right or was already used' }).waitFor();
    await code.fill(totpCodeAt(secret, new Date(Date.now() + 30_000)));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    expect(await page.getByTestId('current-user').innerText()).toMatch(/Priya Raman/);
    // The refused sign-ins (no code yet, a replayed code) are the only failed requests.
    expect(problems.filter((p) => !p.includes('status of 401'))).toEqual([]);
  }, 120_000);
});
