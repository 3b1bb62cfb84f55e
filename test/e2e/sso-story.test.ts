import net from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startOidcProvider, TEST_CLIENT } from '../support/oidc-provider.js';
import { launchBrowser, startServer, watchConsole, type RunningServer } from './harness.js';
import { LoginPage } from './pages.js';

/** A free port on 127.0.0.1 (the provider must know TumorBoard's callback address before the server starts). */
async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/**
 * Issue 9 §1, single sign-on as a clinician lives it: the sign-in page offers the hospital's account; she signs in
 * there and lands in TumorBoard as herself. A colleague without a TumorBoard account is sent back with the reason.
 */
describe('a clinician signs in with the hospital\'s single sign-on', () => {
  let server: RunningServer;
  let browser: Browser;
  let idp: { issuer: string; close(): Promise<void> };

  beforeAll(async () => {
    const port = await freePort();
    const redirect = `http://127.0.0.1:${port}/api/v1/auth/oidc/callback`;
    idp = await startOidcProvider(redirect);
    const env = { OIDC_ISSUER: idp.issuer, OIDC_CLIENT_ID: TEST_CLIENT.id, OIDC_CLIENT_SECRET: TEST_CLIENT.secret, OIDC_REDIRECT_URI: redirect, OIDC_NAME: 'Lakeshore SSO' };
    Object.assign(process.env, env);
    try { server = await startServer(['--port', String(port)]); } finally { for (const k of Object.keys(env)) delete process.env[k]; }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await idp?.close();
  });

  /** At the provider's (development) sign-in page: any password; then its consent page. */
  async function signInAtProvider(page: import('playwright-core').Page, name: string): Promise<void> {
    await page.locator('input[name="login"]').fill(name);
    await page.locator('input[name="password"]').fill('anything');
    await page.locator('button[type="submit"]').click();
    const proceed = page.getByRole('button', { name: 'Continue' });
    await proceed.waitFor();
    await proceed.click();
  }

  test('"Sign in with Lakeshore SSO" leads to the provider and back, signed in as herself', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchConsole(page);
    await new LoginPage(page, server.url).open();
    expect(problems).toEqual([]);
    await page.getByRole('link', { name: 'Sign in with Lakeshore SSO' }).click();
    // (The test provider's own pages load outside resources this machine cannot reach: not ours to check.)
    await signInAtProvider(page, 'oncologist');
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    expect(await page.getByTestId('current-user').innerText()).toMatch(/Priya Raman/);
    // Back in TumorBoard: its pages load without a console error.
    const ours = watchConsole(page);
    await page.reload();
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    expect(ours, ours.join('\n')).toEqual([]);
  }, 120_000);

  test('someone without a TumorBoard account is sent back to the sign-in page with the reason', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await new LoginPage(page, server.url).open();
    await page.getByRole('link', { name: 'Sign in with Lakeshore SSO' }).click();
    await signInAtProvider(page, 'a.stranger');
    const alert = page.getByRole('alert').filter({ hasText: 'Single sign-on did not work' });
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/No TumorBoard account matches this identity/);
    expect(await page.getByLabel('Username').isVisible()).toBe(true);
  }, 120_000);
});
