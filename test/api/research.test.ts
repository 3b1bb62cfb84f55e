import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DIALECTS } from '../support/stores.js';
import { json, testApi, type TestApi } from '../support/api.js';
import { DEMO_PASSWORD } from '../../src/services/demo.service.js';
import { DEMO_DUA_REFERENCE } from '../../src/services/demo-research.js';
import { BREAKDOWNS, classify, cohortCounts, matches, type ClassifiedSubject, type CohortFilters } from '../../src/domain/deid/cohort.js';
import { researchRepo } from '../../src/store/research.repo.js';

/** `|larger| − |smaller|` when one set holds the other, else null. */
function nestedGap(a: ReadonlySet<string>, b: ReadonlySet<string>): number | null {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  return [...small].every((x) => large.has(x)) ? large.size - small.size : null;
}

/** The rule, by brute force: nested with an earlier exact count and 1 to 10 apart, and not shown before itself. */
function subtractable(s: ReadonlySet<string>, prior: ReadonlyArray<ReadonlySet<string>>): boolean {
  if (prior.some((p) => nestedGap(s, p) === 0)) return false;
  return prior.some((p) => { const g = nestedGap(s, p); return g !== null && g >= 1 && g <= 10; });
}

/** Filters to try, from the values the demo data really has: single filters, "all but one age band", and pairs. */
function candidateFilters(subjects: readonly ClassifiedSubject[]): CohortFilters[] {
  const distinct = <T>(xs: T[]) => [...new Set(xs)];
  const bands = distinct(subjects.map((c) => c.ageBand)).filter((b) => b !== 'unknown') as Array<NonNullable<CohortFilters['ageBands']>[number]>;
  const families = distinct(subjects.map((c) => c.family)).filter((f) => f !== 'unknown') as Array<NonNullable<CohortFilters['families']>[number]>;
  const years = distinct(subjects.map((c) => c.diagnosisYear)).filter((y): y is number => y !== null);
  const single: CohortFilters[] = [
    { trialEnrolled: true }, { trialEnrolled: false }, { templates: ['none'] },
    ...families.map((f) => ({ families: [f] })), ...bands.map((b) => ({ ageBands: [b] })), ...bands.map((b) => ({ ageBands: bands.filter((x) => x !== b) })),
    ...years.map((y) => ({ diagnosisYearFrom: y })), ...years.map((y) => ({ diagnosisYearTo: y })),
  ];
  const pairs = single.flatMap((a, i) => single.slice(i + 1).filter((b) => Object.keys(b).every((k) => !(k in a))).map((b) => ({ ...a, ...b })));
  return [...single, ...pairs];
}

describe.each(DIALECTS)('research cohort and de-identified export on %s', (dialect) => {
  let t: TestApi;
  const as = (user: string) => t.as(user);
  const call: TestApi['call'] = (...args) => t.call(...args);
  const audit = async (recordType: string) => t.services.store.db.selectFrom('audit_log').selectAll().where('record_type', '=', recordType).execute();

  /** The researcher's institution's patients: the 40 generated and those the demo's open referrals brought in. */
  let own = 0;
  let referred = 0;
  beforeAll(async () => {
    t = await testApi(dialect, { patients: 40 });
    const db = t.services.store.db;
    own = (await db.selectFrom('patients').innerJoin('institutions', 'institutions.id', 'patients.institution_id')
      .select('patients.id').where('institutions.code', '=', 'LCH').execute()).length;
    referred = (await db.selectFrom('referrals').select('patient_id').distinct().where('patient_id', 'is not', null)
      .where('status', 'not in', ['presented', 'declined', 'redirected']).execute()).length;
  });
  afterAll(async () => { await t?.close(); });

  test('a researcher gets cohort counts and breakdowns in which no count from 1 to 10 is shown', async () => {
    const res = await call('researcher', 'POST', '/research/cohort', {});
    expect(res.statusCode).toBe(200);
    const body = json(res);
    expect(own).toBe(40 + referred);
    expect(body.total.count).toBe(own);
    expect(body.breakdowns.map((b: { dimension: string }) => b.dimension)).toEqual(['family', 'stageRisk', 'ageBand', 'diagnosisYear', 'template', 'trialEnrolled', 'sex']);
    for (const b of body.breakdowns) {
      for (const c of b.cells) {
        if (c.suppressed) expect(c).toMatchObject({ count: null, display: '<11' });
        else expect(c.count === 0 || c.count >= 11).toBe(true);
      }
    }
    const filtered = json(await call('researcher', 'POST', '/research/cohort', { families: ['osteosarcoma'], diagnosisYearFrom: 2000 }));
    expect(filtered.total.suppressed || filtered.total.count <= own).toBe(true);
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
    expect(log[0]).toMatchObject({ mode: 'safe_harbor', format: 'csv', row_count: own, sha256: res.headers['x-export-sha256'] });
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
    expect(rows).toHaveLength(own);
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
    // The demo gives the second institution patients of its own; the researcher's total is her institution's own.
    const all = await t.services.store.db.selectFrom('patients').select('id').execute();
    expect(all.length).toBeGreaterThan(own);
    expect(json(await call('researcher', 'POST', '/research/cohort', {})).total.count).toBe(own);
  });

  describe('differencing control: counts that could be subtracted from earlier ones', () => {
    let subjects: ClassifiedSubject[];
    let institutionId: string;
    let researchers = 0;
    const members = (f: CohortFilters) => new Set(subjects.filter((c) => matches(c, f)).map((c) => c.subject.patientId));
    /** A researcher with no history of her own (the demo has one researcher; an admin adds more). */
    const freshResearcher = async () => {
      const username = `researcher-${++researchers}`;
      const res = await call('admin', 'POST', '/admin/users', { username, displayName: `Researcher ${researchers}`, role: 'researcher', password: DEMO_PASSWORD });
      expect(res.statusCode).toBe(201);
      return username;
    };
    const userId = async (username: string) => (await t.services.store.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
    const storedRows = async (username: string) => t.services.store.db.selectFrom('research_released_sets').selectAll().where('user_id', '=', await userId(username)).execute();
    /** The sets a researcher has been shown exactly, as stored. */
    const released = async (username: string) => (await storedRows(username)).flatMap((r) => Object.values(JSON.parse(r.payload) as Record<string, string[]>).map((m) => new Set(m)));
    /** Filters whose total is shown exactly and could be subtracted from what `username` saw: refused. */
    const refusable = async (username: string) => {
      const prior = await released(username);
      const f = candidateFilters(subjects).find((x) => members(x).size >= 11 && subtractable(members(x), prior));
      expect(f, 'the demo data has a cohort 1 to 10 children away from an earlier count').toBeDefined();
      return f!;
    };

    beforeAll(async () => {
      const r = await t.services.store.db.selectFrom('users').select('institution_id').where('username', '=', 'researcher').executeTakeFirstOrThrow();
      institutionId = r.institution_id;
      subjects = (await researchRepo.subjects(t.services.store.db, institutionId)).map(classify);
    });

    test('a nested cohort 1 to 10 children away from an earlier count is refused naming filters; 11 or more away is answered', async () => {
      const who = await freshResearcher();
      const all = members({});
      expect(json(await call(who, 'POST', '/research/cohort', {})).total.count).toBe(all.size);
      const refused = await refusable(who);
      const res = await call(who, 'POST', '/research/cohort', refused);
      expect(res.statusCode, JSON.stringify(refused)).toBe(409);
      expect(json(res).error.field).toBe('filters');
      expect(json(res).error.message).toMatch(/^filters: this cohort differs from one you counted before by 1 to 10 children/);

      const prior = await released(who);
      const wide = candidateFilters(subjects).find((f) => {
        const m = members(f);
        const g = nestedGap(m, all);
        // Not a set she was shown already (that would be answered anyway): answered because it is 11 or more away.
        return m.size >= 11 && g !== null && g >= 11 && !subtractable(m, prior) && !prior.some((p) => nestedGap(m, p) === 0);
      });
      expect(wide, 'the demo data has a cohort 11 or more children smaller than the whole').toBeDefined();
      const ok = await call(who, 'POST', '/research/cohort', wide!);
      expect(ok.statusCode).toBe(200);
      expect(json(ok).total.count).toBe(members(wide!).size);
    });

    test("a drill-down cell 1 to 10 children away from an earlier count is suppressed; another researcher's history changes nothing for her", async () => {
      const who = await freshResearcher();
      expect((await call(who, 'POST', '/research/cohort', {})).statusCode).toBe(200);
      const prior = await released(who);
      // A cohort she may count whose breakdown has a cell that plain suppression would show but that is nested with
      // one of her earlier counts and 1 to 10 children away from it.
      let pick: { f: CohortFilters; dimension: string; key: string } | undefined;
      for (const f of candidateFilters(subjects)) {
        const cohort = subjects.filter((c) => matches(c, f));
        if (cohort.length < 11 || subtractable(members(f), prior)) continue;
        const plain = cohortCounts(cohort);
        for (const b of BREAKDOWNS) {
          const cell = plain.breakdowns.find((x) => x.dimension === b.dimension)!.cells.find((c) => !c.suppressed && c.count! >= 11 &&
            subtractable(new Set(cohort.filter((s) => b.key(s) === c.key).map((s) => s.subject.patientId)), prior));
          if (cell) { pick = { f, dimension: b.dimension, key: cell.key }; break; }
        }
        if (pick) break;
      }
      expect(pick, 'the demo data has a drill-down with a cell 1 to 10 away from an earlier count').toBeDefined();
      const { f, dimension, key } = pick!;

      // Another researcher asking the same gets the cell: the first one's history is hers alone.
      const other = await freshResearcher();
      const theirs = json(await call(other, 'POST', '/research/cohort', f));
      const theirCell = theirs.breakdowns.find((b: { dimension: string }) => b.dimension === dimension).cells.find((c: { key: string }) => c.key === key);
      expect(theirCell.suppressed).toBe(false);

      const mine = await call(who, 'POST', '/research/cohort', f);
      expect(mine.statusCode).toBe(200);
      const b = json(mine).breakdowns.find((x: { dimension: string }) => x.dimension === dimension);
      expect(b.cells.find((c: { key: string }) => c.key === key)).toMatchObject({ suppressed: true, display: '<11', count: null });
      expect(b.overlapSuppressed).toBeGreaterThanOrEqual(1);
      expect(theirs.breakdowns.find((x: { dimension: string }) => x.dimension === dimension).overlapSuppressed).toBeUndefined();
      // What was stored is what was shown exactly: not the hidden cell.
      const rows = await storedRows(who);
      expect(Object.keys(JSON.parse(rows.at(-1)!.payload) as object)).not.toContain(`${dimension}:${key}`);
      const entry = (await audit('research_cohort')).filter((e) => e.outcome === 'success').at(-1)!;
      expect(entry.detail).toMatch(/overlap_suppressed=\d+/);
    });

    test('a refused answer stores nothing: the same question is refused again, an unrelated one still answers, the refusal is audited', async () => {
      const who = await freshResearcher();
      expect((await call(who, 'POST', '/research/cohort', {})).statusCode).toBe(200);
      const before = await storedRows(who);
      expect(before).toHaveLength(1);
      expect(JSON.parse(before[0]!.payload).total).toHaveLength(members({}).size);
      const refused = await refusable(who);
      expect((await call(who, 'POST', '/research/cohort', refused)).statusCode).toBe(409);
      expect(await storedRows(who)).toHaveLength(1);
      expect((await call(who, 'POST', '/research/cohort', refused)).statusCode).toBe(409);
      expect(await storedRows(who)).toHaveLength(1);
      const id = await userId(who);
      const denied = (await audit('research_cohort')).filter((e) => e.user_id === id && e.outcome !== 'success');
      expect(denied).toHaveLength(2);
      expect(denied.every((e) => e.detail === 'conflict' && e.patient_id === null)).toBe(true);
      // An unrelated question (not nested with anything she saw within 10) is answered and remembered.
      const prior = await released(who);
      const unrelated = candidateFilters(subjects).find((f) => members(f).size >= 11 && !subtractable(members(f), prior) && !prior.some((p) => nestedGap(members(f), p) === 0));
      expect((await call(who, 'POST', '/research/cohort', unrelated!)).statusCode).toBe(200);
      expect(await storedRows(who)).toHaveLength(2);
      // The same refused question from a researcher without that history is answered.
      expect((await call(await freshResearcher(), 'POST', '/research/cohort', refused)).statusCode).toBe(200);
    });
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
