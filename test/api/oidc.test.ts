import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp, type App } from '../../src/http/app.js';
import { DEFAULT_PROGRAM_CONFIG } from '../../src/services/context.js';
import type { OidcSettings } from '../../src/services/oidc.service.js';
import { DIALECTS } from '../support/stores.js';
import { json, testApi, type TestApi } from '../support/api.js';
import { startOidcProvider, TEST_CLIENT } from '../support/oidc-provider.js';

const REDIRECT = 'http://127.0.0.1:3999/api/v1/auth/oidc/callback';

/** A browser's part: follows the provider's redirects with its cookies, signs in as `login` and consents. */
async function signInAtProvider(authorizeUrl: string, login: string): Promise<string> {
  const jar = new Map<string, string>();
  let url = authorizeUrl;
  let body: URLSearchParams | undefined;
  for (let hop = 0; hop < 20; hop++) {
    const res = await fetch(url, {
      method: body ? 'POST' : 'GET', redirect: 'manual',
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(body ? { body } : {}),
    });
    for (const c of res.headers.getSetCookie()) { const [kv] = c.split(';'); const i = kv!.indexOf('='); jar.set(kv!.slice(0, i), kv!.slice(i + 1)); }
    body = undefined;
    const location = res.headers.get('location');
    if (location) {
      const next = new URL(location, url).href;
      if (next.startsWith(REDIRECT)) return next;
      url = next;
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`no form at ${url}: ${res.status} ${html.slice(0, 200)}`);
    url = new URL(action, url).href;
    // The form's hidden fields (which prompt this is), and the user's name and any password on the sign-in prompt.
    const hidden = Object.fromEntries([...html.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    body = new URLSearchParams({ ...hidden, ...(html.includes('name="login"') ? { login, password: 'any' } : {}) });
  }
  throw new Error('too many redirects');
}

describe.each(DIALECTS)('single sign-on with OpenID Connect on %s', (dialect) => {
  let t: TestApi;
  let app: App;
  let idp: { issuer: string; close(): Promise<void> };
  let settings: OidcSettings;

  /** Starts at TumorBoard, signs in at the provider, and returns TumorBoard's answer to the callback. */
  const sso = async (login: string) => {
    const start = await app.inject({ method: 'GET', url: '/api/v1/auth/oidc/start' });
    expect(start.statusCode).toBe(302);
    const back = new URL(await signInAtProvider(start.headers.location as string, login));
    return { callback: back, res: await app.inject({ method: 'GET', url: `${back.pathname}${back.search}` }) };
  };

  beforeAll(async () => {
    idp = await startOidcProvider(REDIRECT);
    t = await testApi(dialect, { patients: 3 });
    settings = { issuer: idp.issuer, clientId: TEST_CLIENT.id, clientSecret: TEST_CLIENT.secret, redirectUri: REDIRECT, name: 'Lakeshore SSO', usernameClaim: 'preferred_username' };
    app = await buildApp({ services: t.services, oidc: settings, loginRateLimit: 1000 });
  });
  afterAll(async () => { await app?.close(); await t?.close(); await idp?.close(); });

  test('the sign-in page learns the provider\'s name; without SSO settings there is none', async () => {
    expect(json(await app.inject({ method: 'GET', url: '/api/v1/auth/providers' })).sso.name).toBe('Lakeshore SSO');
    expect(json(await t.app.inject({ method: 'GET', url: '/api/v1/auth/providers' })).sso).toBeNull();
    const off = await t.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/start' });
    expect(off.statusCode).toBe(404);
    expect(json(off).error.message).toMatch(/single sign-on is not set up/);
  });

  test('a clinician signs in at the hospital\'s provider: the account of that username is linked and a session opens', async () => {
    const { res } = await sso('oncologist');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/');
    const cookie = res.cookies.find((c) => c.name === 'tb_session');
    expect(cookie?.httpOnly).toBe(true);
    const me = json(await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `tb_session=${cookie!.value}` } }));
    expect(me.user.username).toBe('oncologist');
    const user = await t.db.store.db.selectFrom('users').select('oidc_subject').where('username', '=', 'oncologist').executeTakeFirstOrThrow();
    expect(user.oidc_subject).toBe(`${idp.issuer}|oncologist`);
    const audit = await t.db.store.db.selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'login').where('detail', '=', 'sso').execute();
    expect(audit.length).toBeGreaterThan(0);
  });

  test('a callback is used once: replaying it is refused, back at the sign-in page with the reason', async () => {
    const { callback } = await sso('surgeon');
    const again = await app.inject({ method: 'GET', url: `${callback.pathname}${callback.search}` });
    expect(again.statusCode).toBe(302);
    expect(decodeURIComponent(again.headers.location as string)).toMatch(/^\/\?sso_error=this sign-in link has expired or was already used/);
    expect(again.cookies.find((c) => c.name === 'tb_session')).toBeUndefined();
  });

  test('an identity with no TumorBoard account is refused (accounts are created by an administrator, never by sign-in)', async () => {
    const { res } = await sso('stranger');
    expect(decodeURIComponent(res.headers.location as string)).toMatch(/no TumorBoard account matches this identity/);
    expect(await t.db.store.db.selectFrom('users').select('id').where('username', '=', 'stranger').executeTakeFirst()).toBeUndefined();
  });

  test('where the role requires two-step sign-in, a provider that reports none is refused', async () => {
    t.services.config = { ...DEFAULT_PROGRAM_CONFIG, mfaRequiredRoles: ['clinician'] };
    try {
      const { res } = await sso('radiation');
      expect(decodeURIComponent(res.headers.location as string)).toMatch(/requires two-step sign-in/);
      expect(res.cookies.find((c) => c.name === 'tb_session')).toBeUndefined();
      // A coordinator is not affected.
      expect((await sso('coordinator')).res.cookies.find((c) => c.name === 'tb_session')).toBeDefined();
    } finally {
      t.services.config = undefined;
    }
  });
});
