import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DIALECTS } from '../support/stores.js';
import { json, testApi, type TestApi } from '../support/api.js';

const entry = (localId: string, extra: Record<string, unknown> = {}) => ({
  localId, title: 'Institutional pilot of image-guided cryoablation for relapsed pediatric sarcoma', status: 'RECRUITING', phases: ['PHASE1'],
  sponsor: 'Demo Children’s Center', minimumAge: '12 Months', maximumAge: '21 Years', sex: 'ALL',
  inclusion: ['Histologically confirmed Ewing sarcoma, osteosarcoma or rhabdomyosarcoma', 'Relapsed or refractory disease', 'Lansky or Karnofsky performance status ≥ 60'],
  exclusion: ['Pregnant or breastfeeding'],
  arms: [{ label: 'Cryoablation', description: 'Image-guided cryoablation of up to three lesions' }],
  contact: { name: 'Research office', phone: '+1 410 555 0100' },
  ...extra,
});

describe.each(DIALECTS)('local institutional trials on %s', (dialect) => {
  let t: TestApi;
  const as = (user: string) => t.as(user);
  const call: TestApi['call'] = (...args) => t.call(...args);

  beforeAll(async () => { t = await testApi(dialect, { patients: 12 }); });
  afterAll(async () => { await t?.close(); });

  test('a research coordinator enters a local trial by hand; its criteria are drafted for curation and open cases are matched against it', async () => {
    const res = await call('trials', 'POST', '/trials', entry('tst-pilot-01'));
    expect(res.statusCode).toBe(201);
    const trial = json(res);
    expect(res.headers.etag).toBe('W/"1"');
    expect(trial).toMatchObject({ localId: 'TST-PILOT-01', nctId: null, source: 'local', network: 'institutional', status: 'RECRUITING', curation: 'draft' });
    // The items were segmented and drafted like an imported record's.
    const criteria = trial.definition.scopes.flatMap((sc: { criteria: unknown[] }) => sc.criteria);
    expect(criteria.length).toBeGreaterThanOrEqual(4);
    expect(trial.registry.eligibility.minimumAge.days).toBeGreaterThan(300);
    expect(trial.registry.arms[0].label).toBe('Cryoablation');
    // It is listed and searchable by its protocol number.
    const list = json(await call('coordinator', 'GET', '/trials?q=pilot-01'));
    expect(list.items.map((x: { localId: string }) => x.localId)).toEqual(['TST-PILOT-01']);
    // Every open case now has a verdict for it: drafted items cannot make it eligible.
    const cases = json(await call('coordinator', 'GET', '/cases?limit=100')).items as Array<{ id: string }>;
    const m = json(await call('coordinator', 'GET', `/cases/${cases[0]!.id}/trial-matches`));
    const local = m.matches.find((x: { trialId: string }) => x.trialId === 'TST-PILOT-01');
    if (m.available) {
      expect(local).toBeDefined();
      expect(local.verdict).not.toBe('eligible');
    }
  });

  test('the same protocol number twice is one trial (409 naming localId); an NCT number, a bad age or an inverted range is refused naming the field', async () => {
    const again = await call('trials', 'POST', '/trials', entry('TST-PILOT-01'));
    expect(again.statusCode).toBe(409);
    expect(json(again).error.message).toMatch(/^localId:/);
    for (const [body, field] of [
      [entry('NCT01234567'), 'localId'],
      [entry('TST-AGE-01', { minimumAge: 'twelve' }), 'minimumAge'],
      [entry('TST-AGE-02', { minimumAge: '30 Years', maximumAge: '12 Months' }), 'maximumAge'],
      [entry('TST-EMPTY-01', { inclusion: [] }), 'inclusion'],
      [entry('TST-EMPTY-02', { inclusion: [''] }), 'inclusion[0]'],
      [entry('TST-EXTRA-01', { color: 'red' }), 'color'],
    ] as const) {
      const r = await call('trials', 'POST', '/trials', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(json(r).error.message.startsWith(`${field}:`), json(r).error.message).toBe(true);
    }
    const total = json(await call('coordinator', 'GET', '/trials?q=TST-')).total;
    expect(total).toBe(1);
  });

  test('an oncologist cannot enter trials; only the running institution edits its local trial, and only with If-Match', async () => {
    expect((await call('oncologist', 'POST', '/trials', entry('TST-CLIN-01'))).statusCode).toBe(403);
    const trial = json(await call('coordinator', 'GET', '/trials?q=TST-PILOT-01')).items[0];
    expect((await call('trials', 'PUT', `/trials/${trial.id}/registry`, entry('TST-PILOT-01', { status: 'CLOSED' }))).statusCode).toBe(428);
    // The other institution's coordinator (no curation permission) cannot edit it.
    expect((await call('riverside', 'PUT', `/trials/${trial.id}/registry`, entry('TST-PILOT-01', { status: 'CLOSED' }), { 'if-match': `W/"${trial.version}"` })).statusCode).toBe(403);
    // An imported record is not edited by hand.
    const imported = json(await call('coordinator', 'GET', '/trials?q=NCT02567435')).items[0];
    const r = await call('trials', 'PUT', `/trials/${imported.id}/registry`, entry('TST-PILOT-01'), { 'if-match': `W/"${imported.version}"` });
    expect(r.statusCode).toBe(400);
    expect(json(r).error.message).toMatch(/^source:/);
  });

  test('a status edit keeps the curation; changed criteria make a curated trial stale, as a re-import does', async () => {
    let trial = json(await call('trials', 'GET', `/trials/${json(await call('coordinator', 'GET', '/trials?q=TST-PILOT-01')).items[0].id}`));
    // Curate it: accept every drafted item as written.
    const def = trial.definition;
    const curated = { ...def, scopes: def.scopes.map((sc: { criteria: Array<Record<string, unknown>> }) => ({ ...sc, criteria: sc.criteria.map((c) => ({ ...c, status: c.status === 'needs_review' || c.status === 'proposed' ? 'rejected' : c.status })) })) };
    const saved = await call('trials', 'PUT', `/trials/${trial.id}/definition`, curated, { 'if-match': `W/"${trial.version}"` });
    expect(saved.statusCode, saved.body).toBe(200);
    trial = json(saved);
    expect(trial.curation).toBe('curated');

    const closed = await call('trials', 'PUT', `/trials/${trial.id}/registry`, entry('TST-PILOT-01', { status: 'ACTIVE_NOT_RECRUITING' }), { 'if-match': `W/"${trial.version}"` });
    expect(closed.statusCode, closed.body).toBe(200);
    trial = json(closed);
    expect(trial).toMatchObject({ status: 'ACTIVE_NOT_RECRUITING', curation: 'curated' });
    expect(trial.registry.local.status).toBe('ACTIVE_NOT_RECRUITING');

    // A stale version is refused.
    expect((await call('trials', 'PUT', `/trials/${trial.id}/registry`, entry('TST-PILOT-01'), { 'if-match': 'W/"1"' })).statusCode).toBe(412);

    const amended = await call('trials', 'PUT', `/trials/${trial.id}/registry`, entry('TST-PILOT-01', { exclusion: ['Pregnant or breastfeeding', 'Prior cryoablation of the target lesion'] }), { 'if-match': `W/"${trial.version}"` });
    expect(amended.statusCode, amended.body).toBe(200);
    expect(json(amended).curation).toBe('stale');
    // The protocol number cannot be renamed.
    const renamed = await call('trials', 'PUT', `/trials/${trial.id}/registry`, entry('TST-OTHER-01'), { 'if-match': `W/"${json(amended).version}"` });
    expect(renamed.statusCode).toBe(400);
    expect(json(renamed).error.message).toMatch(/^localId:/);
  });
});
