import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DIALECTS } from '../support/stores.js';
import { json, testApi, type TestApi } from '../support/api.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/ctgov');
const study = (nct: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, `${nct}.json`), 'utf8'));

describe.each(DIALECTS)('clinical trials on %s', (dialect) => {
  let t: TestApi;
  const as = (user: string) => t.as(user);
  const call: TestApi['call'] = (...args) => t.call(...args);

  beforeAll(async () => { t = await testApi(dialect, { patients: 20 }); });
  afterAll(async () => { await t?.close(); });

  test('the demo registry holds every shipped ClinicalTrials.gov record, classified by network, and one local trial', async () => {
    const list = json(await call('trials', 'GET', '/trials?limit=50'));
    const ids = list.items.filter((x: { source: string }) => x.source === 'ctgov').map((x: { nctId: string }) => x.nctId).sort();
    expect(list.items.filter((x: { source: string }) => x.source === 'local').map((x: { localId: string }) => x.localId)).toEqual(['LCH-SARC-2026-01']);
    expect(ids).toEqual(fs.readdirSync(FIXTURES).map((f) => f.replace('.json', '')).sort());
    const arst = list.items.find((x: { nctId: string }) => x.nctId === 'NCT02567435');
    expect(arst.network).toBe('COG');
    expect(arst.criteriaCount).toBeGreaterThanOrEqual(2);
  });

  test('a case gets an honest verdict per trial, each criterion with its verdict and evidence, and the facts that would settle the most trials', async () => {
    const cases = json(await call('coordinator', 'GET', '/cases?limit=100')).items as Array<{ id: string }>;
    let res: any = null;
    for (const c of cases) {
      const r = json(await call('coordinator', 'GET', `/cases/${c.id}/trial-matches`));
      if (r.available) { res = r; break; }
    }
    expect(res).not.toBeNull();
    expect(res.matches).toHaveLength(8);
    for (const m of res.matches) {
      expect(['eligible', 'not_eligible', 'possible']).toContain(m.verdict);
      expect(m.trialId).toMatch(/^(NCT\d{8}|LCH-SARC-2026-01)$/);
      for (const c of m.criteria) {
        expect(typeof c.text).toBe('string');
        expect(['inclusion', 'exclusion']).toContain(c.kind);
        expect(['met', 'not_met', 'unknown', 'needs_review']).toContain(c.verdict);
        expect(c.evidence).toBeDefined();
      }
      // Uncurated items can never make a trial "eligible".
      if (m.criteria.some((c: { verdict: string }) => c.verdict === 'needs_review')) expect(m.verdict).not.toBe('eligible');
      if (m.verdict === 'not_eligible') expect(m.criteria.some((c: { verdict: string }) => c.verdict === 'not_met')).toBe(true);
    }
    expect(Array.isArray(res.dataRequests)).toBe(true);
  });

  test('an import reports each bad record and imports the rest; a changed record makes its curation stale', async () => {
    const good = study('NCT04129151');
    const report = await call('trials', 'POST', '/trials/import', {
      studies: [
        { protocolSection: { identificationModule: { briefTitle: 'no id' } } },
        { protocolSection: { identificationModule: { nctId: 'NCT09990001', briefTitle: 'A local copy' }, eligibilityModule: { minimumAge: '6 Fortnights', eligibilityCriteria: 'Inclusion Criteria:\n\n* Age 1 to 21 years' } } },
        good,
        good,
      ],
    });
    expect(report.statusCode).toBe(200);
    const r = json(report);
    expect(r.errors.length).toBeGreaterThanOrEqual(2);
    expect(r.errors.some((e: { reason: string }) => /nctId/i.test(e.reason))).toBe(true);
    expect(r.errors.some((e: { reason: string; nctId: string }) => e.nctId === 'NCT04129151' && /duplicate/i.test(e.reason))).toBe(true);
    expect(r.imported.find((i: { nctId: string }) => i.nctId === 'NCT09990001').outcome).toBe('new');
    expect(r.imported.find((i: { nctId: string }) => i.nctId === 'NCT04129151').outcome).toBe('unchanged');

    const curated = json(await call('trials', 'GET', '/trials?q=NCT02567435')).items[0];
    const changed = study('NCT02567435');
    changed.protocolSection.eligibilityModule.eligibilityCriteria += '\n* Amendment 3: patients must weigh at least 10 kg';
    const again = json(await call('trials', 'POST', '/trials/import', changed));
    expect(again.imported[0].outcome).toBe('curation_stale');
    const after = json(await call('trials', 'GET', `/trials/${curated.id}`));
    expect(after.curation).toBe('stale');
    expect(after.definition.curation.stale).toBe(true);
    expect((await call('coordinator', 'POST', '/trials/import', changed)).statusCode).toBe(403);
  });

  test('a curator re-approves the criteria with If-Match; a stale or malformed edit is refused naming the field', async () => {
    const row = json(await call('trials', 'GET', '/trials?q=NCT02567435')).items[0];
    const res = await call('trials', 'GET', `/trials/${row.id}`);
    const def = json(res).definition;
    expect((await call('trials', 'PUT', `/trials/${row.id}/definition`, def)).statusCode).toBe(428);
    expect((await call('trials', 'PUT', `/trials/${row.id}/definition`, def, { 'if-match': 'W/"999"' })).statusCode).toBe(412);
    const bad = await call('trials', 'PUT', `/trials/${row.id}/definition`, { ...def, scopes: 'none' }, { 'if-match': res.headers.etag! });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.field).toMatch(/^scopes/);
    const ok = await call('trials', 'PUT', `/trials/${row.id}/definition`, def, { 'if-match': res.headers.etag! });
    expect(ok.statusCode).toBe(200);
    expect(json(ok).curation).not.toBe('stale');
    expect(json(ok).definition.curation.stale).toBe(false);
  });

  test('the screening log records offers and needs a reason for a decline; the program figures count them', async () => {
    const cases = json(await call('coordinator', 'GET', '/cases?limit=100')).items as Array<{ id: string }>;
    const trialId = json(await call('trials', 'GET', '/trials?q=NCT04129151')).items[0].id;
    const caseId = cases[0]!.id;
    const noReason = await call('trials', 'PUT', `/cases/${caseId}/trial-screenings/${trialId}`, { status: 'declined' });
    expect(noReason.statusCode).toBe(400);
    expect(json(noReason).error.field).toBe('reason');
    expect((await call('trials', 'PUT', `/cases/${caseId}/trial-screenings/${trialId}`, { status: 'offered' })).statusCode).toBe(200);
    const declined = json(await call('trials', 'PUT', `/cases/${caseId}/trial-screenings/${trialId}`, { status: 'declined', reason: 'Family chose standard therapy.' }));
    expect(declined.history.map((h: { status: string }) => h.status)).toEqual(['offered', 'declined']);
    // The case's matches carry each log entry with its history, with who logged each step.
    const matches = json(await call('coordinator', 'GET', `/cases/${caseId}/trial-matches`));
    const entry = matches.screening.find((x: { trialId: string }) => x.trialId === trialId);
    expect(entry.history.map((h: { status: string; user_name: string }) => [h.status, h.user_name])).toEqual([['offered', 'Grace Osei (Research Coordinator)'], ['declined', 'Grace Osei (Research Coordinator)']]);
    expect((await call('trials', 'PUT', `/cases/${caseId}/trial-screenings/no-such-trial`, { status: 'offered' })).statusCode).toBe(400);
    const m = json(await call('trials', 'GET', '/trials/metrics'));
    expect(m.total.presented).toBeGreaterThan(0);
    expect(m.total.offered).toBeGreaterThan(0);
    expect(m.definition).toMatch(/presented/);
  });

  test('another institution cannot read this institution’s case matches', async () => {
    const cases = json(await call('coordinator', 'GET', '/cases?limit=5')).items as Array<{ id: string }>;
    expect((await call('riverside', 'GET', `/cases/${cases[0]!.id}/trial-matches`)).statusCode).toBe(404);
  });
});
