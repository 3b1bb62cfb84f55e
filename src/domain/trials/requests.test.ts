import { describe, expect, test } from 'vitest';
import { caseFactsSchema, type CaseFacts } from '../facts/case-facts.js';
import type { Criterion, Expr, TrialDefinition } from './criteria.js';
import { caseContext, evaluateLeaf } from './evaluate.js';
import { compileTrials, matchCase } from './index.js';
import { naiveMatchTrial } from './naive.js';
import { blockingFacts, rankDataRequests, triWithFactNotMet } from './requests.js';

const facts = (o: Partial<CaseFacts> = {}): CaseFacts => caseFactsSchema.parse({
  ageMonths: 120, sex: 'female', morphology: '9260/3', topography: 'C40.2', siteCategory: 'bone_extremity', ...o,
});
const trial = (nctId: string, exprs: Expr[]): TrialDefinition => ({
  schemaVersion: 1, nctId, title: nctId, version: 1,
  registry: { lastUpdatePostDate: null, criteriaSha256: null, overallStatus: 'RECRUITING' },
  curation: { state: 'curated', basedOn: { lastUpdatePostDate: null, criteriaSha256: null }, stale: false },
  scopes: [{
    id: 'trial', kind: 'trial', label: 'Whole trial', parent: null, open: true,
    criteria: exprs.map((expr, i): Criterion => ({ id: `in${i + 1}`, kind: 'inclusion', source: { itemId: null, childItemIds: [], field: null, text: `c${i + 1}`, start: null, end: null }, expr, status: 'accepted' })),
  }],
});
const anc = { op: 'lab', fact: 'anc', cmp: '>=', absolute: 1000 } as const;
const plt = { op: 'lab', fact: 'platelets', cmp: '>=', absolute: 100000 } as const;
const perf = { op: 'ref', macro: 'COG_PERF_50_V1' } as const;

describe('blocking data requests (E.4)', () => {
  test('an unknown fact that alone could fail a required criterion is blocking', () => {
    const d = trial('NCT00000001', [anc, { op: 'manual' }]);
    const ctx = caseContext(facts());
    expect(blockingFacts(d, naiveMatchTrial(d, ctx, { blocking: false }), (l) => evaluateLeaf(l, ctx))).toEqual(['labs.anc']);
  });

  test('an unknown alternative is not blocking while another alternative is still open', () => {
    const d = trial('NCT00000002', [{ op: 'or', args: [anc, plt] }]);
    const ctx = caseContext(facts());
    const m = naiveMatchTrial(d, ctx, { blocking: false });
    expect(m.missing).toEqual(['labs.anc', 'labs.platelets']);
    expect(blockingFacts(d, m, (l) => evaluateLeaf(l, ctx))).toEqual([]);
  });

  test('with the other unknowns optimistic, a fact under an unknown condition can still block', () => {
    const ctx = caseContext(facts({ ageMonths: 120 }));
    const e: Expr = { op: 'when', if: { op: 'diseaseStatus', anyOf: ['relapsed'] }, then: anc };
    expect(triWithFactNotMet(e, 'labs.anc', (l) => evaluateLeaf(l, ctx))).toBe(0);
    expect(triWithFactNotMet(e, 'diseaseStatus', (l) => evaluateLeaf(l, ctx))).toBe(2);
  });

  test('facts are ranked by how many trials they would settle', () => {
    const defs = [trial('NCT00000001', [anc, perf]), trial('NCT00000002', [anc]), trial('NCT00000003', [{ op: 'or', args: [anc, plt] }, perf]), trial('NCT00000004', [{ op: 'diagnosis', label: 'osteosarcoma', anyOf: { families: ['osteosarcoma'] } }, anc])];
    const results = matchCase(facts(), compileTrials(defs));
    expect(results.map((r) => r.verdict)).toEqual(['possible', 'possible', 'possible', 'not_eligible']);
    expect(rankDataRequests(results)).toEqual([
      { fact: 'performance', label: expect.stringContaining('performance score'), trials: ['NCT00000001', 'NCT00000003'], unblocks: 2, blocking: true },
      { fact: 'labs.anc', label: 'absolute neutrophil count', trials: ['NCT00000001', 'NCT00000002'], unblocks: 2, blocking: true },
    ].sort((a, b) => a.fact.localeCompare(b.fact)));
  });

  test('an eligible or not-eligible trial asks for nothing', () => {
    const results = matchCase(facts({ labs: { anc: 500 } }), compileTrials([trial('NCT00000001', [anc, perf])]));
    expect(results[0]).toMatchObject({ verdict: 'not_eligible', blocking: [] });
    expect(rankDataRequests(results)).toEqual([]);
  });
});
