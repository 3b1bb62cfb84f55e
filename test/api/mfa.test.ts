import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { totpCodeAt } from '../../src/domain/auth/mfa.js';
import { DEFAULT_PROGRAM_CONFIG } from '../../src/services/context.js';
import { DEMO_PASSWORD } from '../../src/services/demo.service.js';
import { DIALECTS } from '../support/stores.js';
import { json, testApi, type TestApi } from '../support/api.js';

describe.each(DIALECTS)('two-step sign-in on %s', (dialect) => {
  let t: TestApi;
  const login = (username: string, otp?: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: DEMO_PASSWORD, ...(otp ? { otp } : {}) } });
  const call = (cookie: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, ...(payload ? { payload } : {}) });
  const cookieOf = (res: { cookies: Array<{ name: string; value: string }> }) => `tb_session=${res.cookies.find((c) => c.name === 'tb_session')!.value}`;
  /** Enrols a user: the QR code and secret, then the first code; returns the secret and the recovery codes. */
  const enrol = async (cookie: string) => {
    const started = await call(cookie, 'POST', '/auth/mfa/enrolment');
    expect(started.statusCode, started.body).toBe(200);
    const { secret, uri, qr } = json(started);
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(qr).toMatch(/^data:image\/svg\+xml;base64,/);
    const firstCode = totpCodeAt(secret, new Date());
    const confirmed = await call(cookie, 'POST', '/auth/mfa/confirm', { code: firstCode });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    return { secret: secret as string, firstCode, recoveryCodes: json(confirmed).recoveryCodes as string[] };
  };

  beforeAll(async () => { t = await testApi(dialect, { patients: 4 }); });
  afterAll(async () => { await t?.close(); });

  test('an oncologist sets up an authenticator: a wrong first code is refused naming the code, the right one gives ten recovery codes once', async () => {
    const cookie = await t.login('oncologist');
    expect(json(await call(cookie, 'GET', '/auth/mfa'))).toMatchObject({ enabled: false, required: false });
    const started = json(await call(cookie, 'POST', '/auth/mfa/enrolment'));
    // The key is stored sealed with the server key, never as the base32 the app shows.
    const row = await t.db.store.db.selectFrom('user_mfa').innerJoin('users', 'users.id', 'user_mfa.user_id').select('user_mfa.secret').where('users.username', '=', 'oncologist').executeTakeFirstOrThrow();
    expect(row.secret).toMatch(/^v1\./);
    expect(row.secret).not.toContain(started.secret);
    const wrong = await call(cookie, 'POST', '/auth/mfa/confirm', { code: '000000' === totpCodeAt(started.secret, new Date()) ? '111111' : '000000' });
    expect(wrong.statusCode).toBe(400);
    expect(json(wrong).error.field).toBe('code');
    const ok = await call(cookie, 'POST', '/auth/mfa/confirm', { code: totpCodeAt(started.secret, new Date()) });
    expect(ok.statusCode).toBe(200);
    expect(json(ok).recoveryCodes).toHaveLength(10);
    expect(json(await call(cookie, 'GET', '/auth/mfa'))).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    // A second set-up while one is active is refused (a stolen session cannot move the factor to another phone).
    expect((await call(cookie, 'POST', '/auth/mfa/enrolment')).statusCode).toBe(409);
    // Only hashes are stored.
    const stored = await t.db.store.db.selectFrom('mfa_recovery_codes').select('code_hash').execute();
    expect(stored.some((r) => json(ok).recoveryCodes.includes(r.code_hash))).toBe(false);
  });

  test('then signing in needs the code: without it 401 names otp; a wrong or reused code is refused; a recovery code works once', async () => {
    const cookie = await t.login('surgeon');
    const { secret, firstCode, recoveryCodes } = await enrol(cookie);
    const bare = await login('surgeon');
    expect(bare.statusCode).toBe(401);
    expect(json(bare).error.field).toBe('otp');
    expect(bare.cookies.find((c) => c.name === 'tb_session')).toBeUndefined();
    // The code that confirmed the set-up cannot be used again: a replay.
    const replay = await login('surgeon', firstCode);
    expect(replay.statusCode).toBe(401);
    expect(json(replay).error.field).toBe('otp');
    const next = await login('surgeon', totpCodeAt(secret, new Date(Date.now() + 30_000)));
    expect(next.statusCode, next.body).toBe(200);
    const rescue = await login('surgeon', recoveryCodes[0]!.toLowerCase());
    expect(rescue.statusCode).toBe(200);
    expect((await login('surgeon', recoveryCodes[0]!)).statusCode).toBe(401);
    expect(json(await call(cookieOf(rescue), 'GET', '/auth/mfa')).recoveryCodesLeft).toBe(9);
    // Turning it off needs the password.
    expect((await call(cookieOf(rescue), 'POST', '/auth/mfa/disable', { password: 'wrong-password-123' })).statusCode).toBe(403);
    expect((await call(cookieOf(rescue), 'POST', '/auth/mfa/disable', { password: DEMO_PASSWORD })).statusCode).toBe(200);
    expect((await login('surgeon')).statusCode).toBe(200);
  });

  test('where the configuration requires it for clinicians, a clinician without one can only set it up; afterwards the same session works', async () => {
    t.services.config = { ...DEFAULT_PROGRAM_CONFIG, mfaRequiredRoles: ['clinician'] };
    try {
      const res = await login('radiation');
      expect(res.statusCode).toBe(200);
      expect(json(res).user.mfaPending).toBe(true);
      const cookie = cookieOf(res);
      const blocked = await call(cookie, 'GET', '/patients');
      expect(blocked.statusCode).toBe(403);
      expect(json(blocked).error.field).toBe('mfa');
      expect(json(await call(cookie, 'GET', '/auth/mfa')).required).toBe(true);
      await enrol(cookie);
      expect((await call(cookie, 'GET', '/patients')).statusCode).toBe(200);
      expect(json(await call(cookie, 'GET', '/auth/me')).user.mfaPending).toBe(false);
      // A required factor cannot be turned off by its owner.
      expect((await call(cookie, 'POST', '/auth/mfa/disable', { password: DEMO_PASSWORD })).statusCode).toBe(403);
      // Other roles are not affected.
      expect(json(await login('coordinator')).user.mfaPending).toBe(false);
    } finally {
      t.services.config = undefined;
    }
  });

  test('an administrator resets a lost authenticator: the user\'s sessions end and sign-in needs no code until set up again', async () => {
    const cookie = await t.login('medonc');
    await enrol(cookie);
    const admin = await t.login('admin');
    const users = json(await call(admin, 'GET', '/admin/users?limit=100')).items as Array<{ id: string; username: string }>;
    const medonc = users.find((u) => u.username === 'medonc')!;
    expect((await call(await t.login('coordinator'), 'POST', `/admin/users/${medonc.id}/mfa-reset`)).statusCode).toBe(403);
    expect((await call(admin, 'POST', `/admin/users/${medonc.id}/mfa-reset`)).statusCode).toBe(200);
    expect((await call(cookie, 'GET', '/auth/mfa')).statusCode).toBe(401);
    expect((await login('medonc')).statusCode).toBe(200);
    const audit = await t.db.store.db.selectFrom('audit_log').select(['record_type', 'detail']).where('record_type', '=', 'mfa').execute();
    expect(audit.map((a) => a.detail)).toEqual(expect.arrayContaining(['enrolment started', 'enrolment confirmed', 'reset by administrator']));
  });
});
