import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DIALECTS } from '../support/stores.js';
import { json, testApi, type TestApi } from '../support/api.js';
import { DEMO_PASSWORD } from '../../src/services/demo.service.js';
import { DEMO_DUA_REFERENCE } from '../../src/services/demo-research.js';

describe.each(DIALECTS)('research cohort and de-identified export on %s', (dialect) => {
  let t: TestApi;
  const as = (user: string) => t.as(user);
  const call: TestApi['call'] = (...args) => t.call(...args);
  const audit = async (recordType: string) => t.services.store.db.selectFrom('audit_log').selectAll().where('record_type', '=', recordType).execute();

  beforeAll(async () => { t = await testApi(dialect, { patients: 40 }); });
  afterAll(async () => { await t?.close(); });

  test('a researcher gets cohort counts and breakdowns in which no count from 1 to 10 is shown', async () => {
    const res = await call('researcher', 'POST', '/research/cohort', {});
    expect(res.statusCode).toBe(200);
    const body = json(res);
    expect(body.total.count).toBe(40);
    expect(body.breakdowns.map((b: { dimension: string }) => b.dimension)).toEqual(['family', 'stageRisk', 'ageBand', 'diagnosisYear', 'template', 'trialEnrolled', 'sex']);
    for (const b of body.breakdowns) {
      for (const c of b.cells) {
        if (c.suppressed) expect(c).toMatchObject({ count: null, display: '<11' });
        else expect(c.count === 0 || c.count >= 11).toBe(true);
      }
    }
    const filtered = json(await call('researcher', 'POST', '/research/cohort', { families: ['osteosarcoma'], diagnosisYearFrom: 2000 }));
    expect(filtered.total.suppressed || filtered.total.count <= 40).toBe(true);
    const entries = await audit('research_cohort');
    expect(entries.length).toBeGreaterThanOrEqual(2);
    expect(entries.every((e) => e.patient_id === null && e.action === 'read' && e.outcome === 'success')).toBe(true);
    expect(entries.at(-1)!.detail).toContain('osteosarcoma');
  });

  test('bad filters are refused with 400 naming the field', async () => {
    const unknown = await call('researcher', 'POST', '/research/cohort', { families: ['lymphoma'] });
    expect(unknown.statusCode).toBe(400);
    expect(json(unknown).error.message).toContain('families');
    const backwards = await call('researcher', 'POST', '/research/cohort', { diagnosisYearFrom: 2020, diagnosisYearTo: 2010 });
    expect(backwards.statusCode).toBe(400);
    expect(json(backwards).error.message).toContain('diagnosisYearTo');
    const stray = await call('researcher', 'POST', '/research/cohort', { mrn: 'LCH-000001' });
    expect(stray.statusCode).toBe(400);
    expect(json(stray).error.message).toContain('mrn');
  });

  test('a coordinator, an admin and a clinician may not build cohorts or export; a researcher may not read patients', async () => {
    for (const u of ['coordinator', 'admin', 'oncologist']) {
      expect((await call(u, 'POST', '/research/cohort', {})).statusCode).toBe(403);
      expect((await call(u, 'POST', '/research/export', { mode: 'safe_harbor', password: DEMO_PASSWORD })).statusCode).toBe(403);
    }
    expect((await call('researcher', 'GET', '/patients')).statusCode).toBe(403);
  });

  test('a Safe Harbor CSV download says its mode, has no identifier, and is logged with its hash', async () => {
    const res = await call('researcher', 'POST', '/research/export', { mode: 'safe_harbor', format: 'csv', password: DEMO_PASSWORD });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="tumorboard-research-safe-harbor-\d{8}\.csv"/);
    expect(res.headers['x-safe-harbor']).toBe('yes');
    const lines = res.body.split('\r\n');
    expect(lines[0]).toContain('mode=safe_harbor');
    expect(lines[0]).toContain('45 CFR 164.514(b)(2)');
    const header = lines.find((l) => l.startsWith('subject,'))!;
    expect(header).toContain('diagnosis_year');
    expect(res.body).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    const patients = await t.services.store.db.selectFrom('patients').select(['mrn', 'family_name', 'given_name', 'id']).execute();
    for (const p of patients) {
      expect(res.body).not.toContain(p.mrn);
      expect(res.body).not.toContain(p.id);
      expect(res.body).not.toContain(`${p.given_name} ${p.family_name}`);
    }
    const log = await t.services.store.db.selectFrom('research_exports').selectAll().execute();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ mode: 'safe_harbor', format: 'csv', row_count: 40, sha256: res.headers['x-export-sha256'] });
    const entries = (await audit('research_export')).filter((e) => e.outcome === 'success');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'export', patient_id: null, record_id: log[0]!.id });
  });

  test('a date-shifted NDJSON export is labelled NOT Safe Harbor and carries pseudonyms', async () => {
    const res = await call('researcher', 'POST', '/research/export', { mode: 'date_shifted', format: 'ndjson', password: DEMO_PASSWORD, filters: {} });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-safe-harbor']).toBe('no');
    const [meta, ...rows] = res.body.trim().split('\n').map((l) => JSON.parse(l));
    expect(meta._meta.safeHarbor).toBe(false);
    expect(meta._meta.notice.join(' ')).toContain('NOT Safe Harbor');
    expect(rows).toHaveLength(40);
    for (const r of rows) expect(r.subject).toMatch(/^P-[0-9a-f]{16}$/);
  });

  test('a Limited Data Set needs a recorded, unexpired data-use agreement of the institution', async () => {
    const none = await call('researcher', 'POST', '/research/export', { mode: 'limited', password: DEMO_PASSWORD });
    expect(none.statusCode).toBe(400);
    expect(json(none).error.message).toContain('duaId');
    const wrong = await call('researcher', 'POST', '/research/export', { mode: 'limited', duaId: 'no-such-dua', password: DEMO_PASSWORD });
    expect(wrong.statusCode).toBe(403);
    expect(json(wrong).error.message).toContain('duaId');

    const duas = json(await call('researcher', 'GET', '/research/dua'));
    const demo = duas.find((d: { reference: string }) => d.reference === DEMO_DUA_REFERENCE);
    expect(demo.active).toBe(true);
    const ok = await call('researcher', 'POST', '/research/export', { mode: 'limited', duaId: demo.id, password: DEMO_PASSWORD });
    expect(ok.statusCode).toBe(200);
    expect(ok.body.split('\r\n')[0]).toContain('NOT Safe Harbor');
    expect(ok.body).toContain(DEMO_DUA_REFERENCE);
    expect(ok.body).toMatch(/\d{4}-\d{2}-\d{2}/);

    const expired = await call('admin', 'POST', '/research/dua', { reference: 'DUA-OLD', recipient: 'Old study', purpose: 'ended', expiresOn: '2020-01-31' });
    expect(expired.statusCode).toBe(201);
    const refused = await call('researcher', 'POST', '/research/export', { mode: 'limited', duaId: json(expired).id, password: DEMO_PASSWORD });
    expect(refused.statusCode).toBe(403);
    expect(json(refused).error.message).toMatch(/duaId: .*expired/);
    expect((await call('researcher', 'POST', '/research/dua', { reference: 'X', recipient: 'Y', purpose: 'Z', expiresOn: '2030-01-01' })).statusCode).toBe(403);
    const dup = await call('admin', 'POST', '/research/dua', { reference: 'DUA-OLD', recipient: 'Old study', purpose: 'ended', expiresOn: '2020-01-31' });
    expect(dup.statusCode).toBe(409);
    expect(json(dup).error.message).toContain('reference');
  });

  test("another institution's data-use agreement cannot be used, and counts cover only the researcher's institution", async () => {
    const rcm = await t.services.store.db.selectFrom('institutions').select('id').where('code', '=', 'RCM').executeTakeFirstOrThrow();
    const rcmUser = await t.services.store.db.selectFrom('users').select('id').where('institution_id', '=', rcm.id).executeTakeFirstOrThrow();
    await t.services.store.db.insertInto('data_use_agreements').values({
      id: 'rcm-dua', institution_id: rcm.id, reference: 'RCM-DUA-1', recipient: 'R', purpose: 'P', expires_on: '2099-12-31', recorded_by: rcmUser.id, recorded_at: new Date().toISOString(),
    }).execute();
    const res = await call('researcher', 'POST', '/research/export', { mode: 'limited', duaId: 'rcm-dua', password: DEMO_PASSWORD });
    expect(res.statusCode).toBe(403);
    expect(json(res).error.message).toContain('duaId');
    expect(json(await call('researcher', 'GET', '/research/dua')).map((d: { reference: string }) => d.reference)).not.toContain('RCM-DUA-1');
    // The demo gives the second institution patients of its own; the researcher's total is her institution's 40.
    const all = await t.services.store.db.selectFrom('patients').select('id').execute();
    expect(all.length).toBeGreaterThan(40);
    expect(json(await call('researcher', 'POST', '/research/cohort', {})).total.count).toBe(40);
  });

  test('a wrong password refuses the export, names the field, writes no file log and is audited', async () => {
    const before = (await t.services.store.db.selectFrom('research_exports').select('id').execute()).length;
    const res = await call('researcher', 'POST', '/research/export', { mode: 'safe_harbor', password: 'not-my-password' });
    expect(res.statusCode).toBe(403);
    expect(json(res).error.message).toContain('password');
    expect((await t.services.store.db.selectFrom('research_exports').select('id').execute()).length).toBe(before);
    const denied = await t.services.store.db.selectFrom('audit_log').selectAll().where('record_type', '=', 'reauthentication').execute();
    expect(denied.some((e) => e.outcome === 'denied')).toBe(true);
  });
});
