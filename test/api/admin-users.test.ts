import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { totpCodeAt } from '../../src/domain/auth/mfa.js';
import { LOGIN_REFUSED_MESSAGE, LOGIN_THROTTLE } from '../../src/services/auth.service.js';
import { DEMO_PASSWORD } from '../../src/services/demo.service.js';
import { DIALECTS } from '../support/stores.js';
import { json, testApi, type TestApi } from '../support/api.js';

interface ListedUser {
  id: string; username: string; displayName: string; role: string; discipline: string | null; active: boolean;
  version: number; lockedUntil: string | null; mfaEnabled: boolean;
}

describe.each(DIALECTS)('administrators manage existing users on %s', (dialect) => {
  let t: TestApi;
  const login = (username: string, password = DEMO_PASSWORD) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  const users = async (): Promise<ListedUser[]> => {
    const res = await t.call('admin', 'GET', '/admin/users?limit=100');
    expect(res.statusCode, res.body).toBe(200);
    return json(res).items;
  };
  const user = async (username: string): Promise<ListedUser> => (await users()).find((u) => u.username === username)!;
  /** The editable state of a listed user, as the edit form sends it. */
  const editable = (u: ListedUser) => ({ displayName: u.displayName, role: u.role, discipline: u.discipline, active: u.active });
  const put = (as: string, u: ListedUser, body: object, version = u.version) =>
    t.call(as, 'PUT', `/admin/users/${u.id}`, body, { 'if-match': `W/"${version}"` });
  const userAudit = (id: string) => t.db.store.db.selectFrom('audit_log').select(['action', 'outcome', 'detail', 'user_id'])
    .where('record_type', '=', 'user').where('record_id', '=', id).orderBy('seq').execute();

  beforeAll(async () => { t = await testApi(dialect, { patients: 2 }); });
  afterAll(async () => { await t?.close(); });

  test('an administrator changes a clinician\'s discipline and name: the new version comes back with its ETag and the change is audited by field name', async () => {
    await t.as('orthopedic');
    const before = await user('orthopedic');
    const res = await put('admin', before, { ...editable(before), displayName: 'Dr. M. Lindqvist', discipline: 'pediatric_surgery' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers.etag).toBe(`W/"${before.version + 1}"`);
    expect(json(res)).toMatchObject({ id: before.id, displayName: 'Dr. M. Lindqvist', discipline: 'pediatric_surgery', role: 'clinician', active: true, version: before.version + 1 });
    expect(json(res)).not.toHaveProperty('passwordHash');
    expect(await user('orthopedic')).toMatchObject({ displayName: 'Dr. M. Lindqvist', discipline: 'pediatric_surgery' });
    const admin = await user('admin');
    const audit = await userAudit(before.id);
    expect(audit).toEqual([{ action: 'update', outcome: 'success', detail: 'fields=displayName,discipline', user_id: admin.id }]);
    // The clinician's session (opened before the edit) carries on with the new discipline: no role change, still active.
    const me = await t.call('orthopedic', 'GET', '/auth/me');
    expect(json(me).user.discipline).toBe('pediatric_surgery');
  });

  test('an edit from a stale version answers 412 naming If-Match and one without If-Match answers 428, changing nothing', async () => {
    const before = await user('pathologist');
    expect((await put('admin', before, { ...editable(before), displayName: 'First edit' })).statusCode).toBe(200);
    const stale = await put('admin', before, { ...editable(before), displayName: 'Second edit' }, before.version);
    expect(stale.statusCode).toBe(412);
    expect(json(stale).error.field).toBe('If-Match');
    const bare = await t.call('admin', 'PUT', `/admin/users/${before.id}`, { ...editable(before), displayName: 'Third edit' });
    expect(bare.statusCode).toBe(428);
    expect(await user('pathologist')).toMatchObject({ displayName: 'First edit', version: before.version + 1 });
  });

  test.each([
    ['an unknown role', { role: 'superuser' }, 'role'],
    ['a clinician without a discipline', { discipline: null }, 'discipline'],
    ['a discipline outside the vocabulary', { discipline: 'astrology' }, 'discipline'],
    ['an empty display name', { displayName: '  ' }, 'displayName'],
    ['active as text', { active: 'no' }, 'active'],
  ])('%s is refused with 400 naming the field, and nothing changes', async (_what, change, field) => {
    const before = await user('radiologist');
    const res = await put('admin', before, { ...editable(before), ...change });
    expect(res.statusCode, res.body).toBe(400);
    expect(json(res).error.field).toBe(field);
    expect(await user('radiologist')).toEqual(before);
  });

  test('a clinician cannot be created without a discipline either (the same rule as an edit)', async () => {
    const res = await t.call('admin', 'POST', '/admin/users', { username: 'no.discipline', displayName: 'Dr. Nobody', role: 'clinician', password: 'lantern orbit maple 7' });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.field).toBe('discipline');
    expect((await users()).some((u) => u.username === 'no.discipline')).toBe(false);
  });

  test('an administrator cannot deactivate themself or give up their own admin role (409 naming the field)', async () => {
    const me = await user('admin');
    const off = await put('admin', me, { ...editable(me), active: false });
    expect(off.statusCode).toBe(409);
    expect(json(off).error.field).toBe('active');
    const demoted = await put('admin', me, { ...editable(me), role: 'coordinator' });
    expect(demoted.statusCode).toBe(409);
    expect(json(demoted).error.field).toBe('role');
    expect(await user('admin')).toEqual(me);
    expect((await t.call('admin', 'GET', '/auth/me')).statusCode).toBe(200);
    // Their own name is theirs to correct.
    expect((await put('admin', me, { ...editable(me), displayName: 'Program Administrator (LCH)' })).statusCode).toBe(200);
  });

  test('deactivating a user ends their sessions at once and they cannot sign in, with the same message as a wrong password; reactivating lets them back', async () => {
    const cookie = await t.login('surgeon');
    const other = await t.login('surgeon');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/patients', headers: { cookie } })).statusCode).toBe(200);
    const before = await user('surgeon');
    const res = await put('admin', before, { ...editable(before), active: false });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res).active).toBe(false);
    for (const c of [cookie, other]) {
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/patients', headers: { cookie: c } })).statusCode).toBe(401);
    }
    const sessions = await t.db.store.db.selectFrom('sessions').select('id').where('user_id', '=', before.id).execute();
    expect(sessions).toEqual([]);
    const refused = await login('surgeon');
    const wrong = await login('surgeon', 'not the password at all');
    expect(refused.statusCode).toBe(401);
    expect(json(refused).error).toEqual(json(wrong).error);
    expect(json(refused).error.message).toBe(LOGIN_REFUSED_MESSAGE);
    expect((await userAudit(before.id)).at(-1)).toMatchObject({ action: 'update', outcome: 'success', detail: 'fields=active sessions_ended=2' });
    expect(await user('surgeon')).toMatchObject({ active: false });

    const inactive = await user('surgeon');
    expect((await put('admin', inactive, { ...editable(inactive), active: true })).statusCode).toBe(200);
    expect((await login('surgeon')).statusCode).toBe(200);
  });

  test('a role change ends the user\'s sessions, so the next sign-in carries the new role\'s rules', async () => {
    const cookie = await t.login('neurosurgeon');
    const before = await user('neurosurgeon');
    expect((await put('admin', before, { ...editable(before), role: 'trials' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/patients', headers: { cookie } })).statusCode).toBe(401);
    const again = await login('neurosurgeon');
    expect(again.statusCode).toBe(200);
    expect(json(again).user.role).toBe('trials');
  });

  test('an account locked after five wrong passwords shows as locked; unlocking lets the user sign in with the right password', async () => {
    for (let i = 0; i < LOGIN_THROTTLE.maxFailures; i++) expect((await login('radiation', 'wrong password number ' + i)).statusCode).toBe(401);
    expect((await login('radiation')).statusCode).toBe(401);
    const locked = await user('radiation');
    expect(locked.lockedUntil).not.toBeNull();
    expect(Date.parse(locked.lockedUntil!)).toBeGreaterThan(Date.now());
    expect((await user('oncologist')).lockedUntil).toBeNull();

    const res = await t.call('admin', 'POST', `/admin/users/${locked.id}/unlock`);
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toEqual({ unlocked: true, wasLocked: true });
    expect((await user('radiation')).lockedUntil).toBeNull();
    expect((await login('radiation')).statusCode).toBe(200);
    expect((await userAudit(locked.id)).at(-1)).toMatchObject({ action: 'update', outcome: 'success', detail: 'unlocked' });
  });

  test('the list shows who has two-step sign-in on, and nothing of its key or codes', async () => {
    const cookie = await t.login('medonc');
    const started = json(await t.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/enrolment', headers: { cookie } }));
    const confirmed = await t.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/confirm', headers: { cookie }, payload: { code: totpCodeAt(started.secret, new Date()) } });
    expect(confirmed.statusCode).toBe(200);
    const list = await t.call('admin', 'GET', '/admin/users?limit=100');
    const medonc = (json(list).items as ListedUser[]).find((u) => u.username === 'medonc')!;
    expect(medonc.mfaEnabled).toBe(true);
    expect((await user('oncologist')).mfaEnabled).toBe(false);
    expect(list.body).not.toContain(started.secret);
    expect(list.body).not.toMatch(/password|secret|recovery/i);
  });

  test('another institution\'s user is not found (404) for an edit, an unlock or a two-step reset, and is left unchanged', async () => {
    const theirs = await t.db.store.db.selectFrom('users').selectAll().where('username', '=', 'riverside').executeTakeFirstOrThrow();
    const body = { displayName: 'Taken over', role: 'coordinator', discipline: null, active: false };
    const edit = await t.call('admin', 'PUT', `/admin/users/${theirs.id}`, body, { 'if-match': `W/"${theirs.version}"` });
    expect(edit.statusCode).toBe(404);
    expect(json(edit).error.field).toBe('id');
    expect((await t.call('admin', 'POST', `/admin/users/${theirs.id}/unlock`)).statusCode).toBe(404);
    expect((await t.call('admin', 'POST', `/admin/users/${theirs.id}/mfa-reset`)).statusCode).toBe(404);
    const after = await t.db.store.db.selectFrom('users').selectAll().where('id', '=', theirs.id).executeTakeFirstOrThrow();
    expect(after).toEqual(theirs);
    expect((await login('riverside')).statusCode).toBe(200);
    expect((await userAudit(theirs.id)).map((a) => a.outcome)).toEqual(['denied', 'denied']);
  });

  test('users who are not administrators are refused (403) and change nothing', async () => {
    const target = await user('travel');
    for (const who of ['coordinator', 'oncologist']) {
      expect((await put(who, target, { ...editable(target), active: false })).statusCode).toBe(403);
      expect((await t.call(who, 'POST', `/admin/users/${target.id}/unlock`)).statusCode).toBe(403);
    }
    expect(await user('travel')).toEqual(target);
  });
});
