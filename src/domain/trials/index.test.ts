import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { assess } from '../assess.js';
import { arbCaseFacts } from '../facts/arbitrary.js';
import { caseFactsSchema, type CaseFacts } from '../facts/case-facts.js';
import type { TrialDefinition } from './criteria.js';
import { parseStudies } from './ctgov.js';
import { draftCriteria } from './draft.js';
import type { TrialMatch } from './evaluate.js';
import { compileTrials, countVerdicts, matchAll, matchCase } from './index.js';
import { naiveMatch } from './naive.js';
import { rankDataRequests } from './requests.js';
import { rng, syntheticCases, syntheticTrial, syntheticTrials } from './synthetic.js';

const DIR = path.resolve(import.meta.dirname, '../../../fixtures/ctgov');
const FIXTURES: TrialDefinition[] = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort()
  .map((f) => draftCriteria(parseStudies(JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')), f).trials[0]!));
const catalog = compileTrials(FIXTURES);

const facts = (o: Partial<CaseFacts>): CaseFacts => caseFactsSchema.parse({
  ageMonths: 168, sex: 'male', morphology: '9260/3', topography: 'C40.2', siteCategory: 'bone_extremity', ...o,
});
const assessmentOf = (f: CaseFacts) => { const a = assess(f); return a.ok ? a.assessment : null; };
const matchFixtures = (f: CaseFacts): Record<string, TrialMatch> =>
  Object.fromEntries(matchCase(f, catalog, { assessment: assessmentOf(f) }).map((m) => [m.trialId, m]));
const failing = (m: TrialMatch) => m.criteria.find((c) => c.verdict === 'not_met');

const goodLabs = { creatinineMgDl: 0.5, gfrMlMin173: null, bilirubinTotalMgDl: 0.4, bilirubinUln: 1.2, altUL: 25, altUln: 45, anc: 2500, platelets: 250000, hemoglobinGDl: 12, shorteningFractionPct: 34, ejectionFractionPct: 62, drawnDaysAgo: 3 };

describe('matching hand-written cases against the real fixture records (drafts, uncurated)', () => {
  const localizedEwing = facts({ ageMonths: 168, diseaseStatus: 'newly_diagnosed', metastases: [], metastaticSiteCount: 0, performance: { scale: 'lansky', value: 90 }, labs: goodLabs, pubertalStatus: 'pubertal' });

  test('a 14-year-old with newly diagnosed localized Ewing sarcoma is not eligible for relapsed-Ewing NCT04129151, for disease status', () => {
    const m = matchFixtures(localizedEwing).NCT04129151!;
    expect(m.verdict).toBe('not_eligible');
    expect(failing(m)).toMatchObject({ id: 'in3', kind: 'inclusion', verdict: 'not_met', evidence: 'disease status newly diagnosed, not relapsed or refractory or progressive' });
    expect(m.summary).toContain('disease status newly diagnosed');
  });

  test('the same child may be eligible for AEWS1031 (newly diagnosed non-metastatic Ewing): possible, nothing failed', () => {
    const m = matchFixtures(localizedEwing).NCT01231906!;
    expect(m.verdict).toBe('possible');
    expect(m.failed).toEqual([]);
    expect(m.criteria.find((c) => c.id === 'in1')).toMatchObject({ verdict: 'met', evidence: expect.stringContaining('meets ≤ 50 y (before the 51st birthday)') });
    expect(m.reviewItems.some((r) => r.reason === 'not_curated')).toBe(true);
  });

  test('she is not eligible for the osteosarcoma and RMS trials, each naming the histology', () => {
    const all = matchFixtures(localizedEwing);
    for (const id of ['NCT00023998', 'NCT00354835', 'NCT02567435', 'NCT03643133']) {
      expect(all[id]!.verdict).toBe('not_eligible');
      expect(failing(all[id]!)!.evidence).toMatch(/^morphology 9260\/3 \(Ewing sarcoma\) is not /);
    }
  });

  test('a 16-year-old with relapsed Ewing sarcoma and a Karnofsky score may be eligible for NCT04129151', () => {
    const m = matchFixtures(facts({ ageMonths: 192, diseaseStatus: 'relapsed', metastases: ['lung'], performance: { scale: 'karnofsky', value: 80 } })).NCT04129151!;
    expect(m.verdict).toBe('possible');
    expect(m.criteria.find((c) => c.id === 'in2')).toMatchObject({ verdict: 'met', evidence: expect.stringContaining('karnofsky 80 ≥ 50') });
  });

  test('a 15-year-old with the same relapse but a Karnofsky score needs a Lansky score (no conversion)', () => {
    const m = matchFixtures(facts({ ageMonths: 180, diseaseStatus: 'relapsed', performance: { scale: 'karnofsky', value: 80 } })).NCT04129151!;
    expect(m.criteria.find((c) => c.id === 'in2')).toMatchObject({ verdict: 'unknown', missing: ['performance'] });
    expect(m.missing).toContain('performance');
    expect(m.blocking).toContain('performance');
  });

  test('a 51-year-old is over NCT04129151’s "≤ 50 years" (read as before the 51st birthday)', () => {
    const m = matchFixtures(facts({ ageMonths: 612, diseaseStatus: 'relapsed' })).NCT04129151!;
    expect(m.verdict).toBe('not_eligible');
    expect(failing(m)).toMatchObject({ id: 'in1', evidence: expect.stringContaining('outside ≥ 12 y and ≤ 50 y (before the 51st birthday)') });
  });

  test('an 8-year-old with Ewing sarcoma is too young for SARC028 even with a bone sarcoma', () => {
    const m = matchFixtures(facts({ ageMonths: 96 })).NCT02301039!;
    expect(m.verdict).toBe('not_eligible');
    expect(m.failed[0]).toBe('reg-age');
  });

  test('a metastatic alveolar RMS (stage 4, group IV) is outside ARST0531’s intermediate-risk definition', () => {
    const f = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../../test/fixtures/case-facts/rms-alveolar-metastatic.json'), 'utf8')) as CaseFacts;
    const m = matchFixtures(f).NCT00354835!;
    expect(m.verdict).toBe('not_eligible');
    expect(failing(m)).toMatchObject({ id: 'in4', evidence: expect.stringContaining('RMS stage 4, not 1 or 2 or 3') });
  });

  test('a pleomorphic RMS is excluded from ARST1431 ("any subtype, except adult-type pleomorphic")', () => {
    const m = matchFixtures(facts({ morphology: '8901/3', topography: 'C49.2', siteCategory: 'soft_tissue_extremity', diseaseStatus: 'newly_diagnosed' })).NCT02567435!;
    expect(m.verdict).toBe('not_eligible');
    expect(failing(m)!.evidence).toContain('is not rhabdomyosarcoma (except pleomorphic RMS)');
  });

  test('a localized osteosarcoma fails the metastatic-osteosarcoma trial on extent; a metastatic one may be eligible', () => {
    const base: Partial<CaseFacts> = { morphology: '9180/3', diseaseStatus: 'newly_diagnosed', ageMonths: 120, pubertalStatus: 'prepubertal', performance: { scale: 'lansky', value: 80 }, labs: goodLabs, priorTherapy: [], enrolledStudies: [] };
    const local = matchFixtures(facts({ ...base, metastases: [] })).NCT00023998!;
    expect(local.verdict).toBe('not_eligible');
    expect(failing(local)).toMatchObject({ id: 'in2', evidence: 'no metastases' });
    const meta = matchFixtures(facts({ ...base, metastases: ['lung'] })).NCT00023998!;
    expect(meta.verdict).toBe('possible');
    expect(meta.failed).toEqual([]);
    // ECOG is asked for too: a Lansky score cannot answer it (the curator can merge the three performance items).
    expect(meta.criteria.find((c) => c.text === 'Performance status - ECOG 0-2')!.verdict).toBe('unknown');
    expect(meta.criteria.find((c) => c.text === 'Not pregnant or nursing')!.verdict).toBe('met');
  });

  test('a trial the prefilter drops is still returned, not eligible, with the failing criterion explained', () => {
    const m = matchFixtures(localizedEwing).NCT00023998!;
    expect(m).toMatchObject({ verdict: 'not_eligible', prefiltered: true, failed: ['in1'], missing: [] });
    expect(m.criteria).toEqual([expect.objectContaining({ id: 'in1', verdict: 'not_met', text: 'Histologically confirmed high-grade osteosarcoma', rule: 'diagnosis high-grade osteosarcoma' })]);
  });

  test('data requests across the fixture trials are ranked by how many trials they settle', () => {
    const f = facts({ ageMonths: 192, diseaseStatus: 'relapsed', metastases: ['lung'] });
    const requests = rankDataRequests(matchCase(f, catalog, { assessment: assessmentOf(f) }));
    expect(requests[0]).toMatchObject({ fact: 'performance', unblocks: 2, trials: ['NCT02301039', 'NCT04129151'] });
  });
});

describe('the compiled matcher agrees with the plain recursive evaluator', () => {
  const check = (f: CaseFacts, defs: readonly TrialDefinition[], compiled = compileTrials(defs)) => {
    const opts = { assessment: assessmentOf(f) };
    const naive = naiveMatch(f, defs, opts);
    const fast = matchCase(f, compiled, opts);
    const full = matchCase(f, compiled, { ...opts, prefilter: false });
    expect(full).toEqual(naive);
    fast.forEach((m, t) => {
      const ref = naive[t]!;
      expect(m.verdict).toBe(ref.verdict);
      if (m.prefiltered) {
        // Dropped only when a known fact fails: the full evaluation fails the same criterion.
        expect(m.criteria).toHaveLength(1);
        expect(ref.criteria.find((c) => c.id === m.criteria[0]!.id)).toEqual(m.criteria[0]);
        expect(m.criteria[0]!.verdict).toBe('not_met');
      } else {
        expect(m).toEqual(ref);
      }
    });
  };

  // Ages on both sides of the synthetic trials' limits (years and months), so the age index is walked at its edges.
  const BOUNDARY_MONTHS = [0, 5, 6, 11, 12, 23, 24, 35, 36, 119, 120, 131, 132, 143, 144, 155, 156, 191, 192, 203, 204, 215, 216, 227, 228, 251, 252, 263, 264, 299, 300, 311, 312, 359, 360, 479, 480, 611, 612];
  const arbFacts = fc.tuple(arbCaseFacts, fc.option(fc.constantFrom(...BOUNDARY_MONTHS), { nil: undefined }))
    .map(([f, ageMonths]) => (ageMonths === undefined ? f : { ...f, ageMonths }));

  test('prefiltered results equal full evaluation for random facts × random trials', () => {
    fc.assert(fc.property(arbFacts, fc.integer({ min: 1, max: 2 ** 31 - 1 }), (f, seed) => {
      const r = rng(seed);
      check(f, Array.from({ length: 12 }, (_, i) => syntheticTrial(r, i)));
    }), { numRuns: 120, seed: 20260101 });
  }, 120_000);

  test('and for plausible cases against a 150-trial catalog and the fixture drafts', () => {
    const defs = [...syntheticTrials(150, 7), ...FIXTURES];
    const compiled = compileTrials(defs);
    for (const f of syntheticCases(30, 11)) check(f, defs, compiled);
  }, 120_000);

  test('shared leaves and macros are compiled once', () => {
    const defs = syntheticTrials(300, 3);
    const c = compileTrials(defs);
    const leafCount = defs.reduce((n, d) => n + d.scopes.reduce((m, s) => m + s.criteria.length, 0), 0);
    expect(c.nodeCount).toBeLessThan(leafCount / 5);
  });

  test('matchAll matches each case in order, and the catalog can be reused across cases', () => {
    const cases = syntheticCases(5, 2);
    const all = matchAll(cases, catalog);
    expect(all).toHaveLength(5);
    expect(all[3]).toEqual(matchCase(cases[3]!, catalog));
    expect(Object.values(countVerdicts(all[0]!)).reduce((a, b) => a + b, 0)).toBe(FIXTURES.length);
  });
});
