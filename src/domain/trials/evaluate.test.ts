import { describe, expect, test } from 'vitest';
import { assess } from '../assess.js';
import { caseFactsSchema, type CaseFacts } from '../facts/case-facts.js';
import { ageBound, type Criterion, type Expr, type Scope, type TrialDefinition } from './criteria.js';
import {
  MET, NOT_MET, UNKNOWN, assembleTrialMatch, caseContext, criterionInfo, criterionMatch, kleeneAnd, kleeneAtLeast, kleeneNot, kleeneOr,
  kleeneWhen, type MatchOptions, type NodeResult, type Tri,
} from './evaluate.js';
import { evaluateExpr, naiveMatchTrial } from './naive.js';

const facts = (o: Partial<CaseFacts> = {}): CaseFacts => caseFactsSchema.parse({
  ageMonths: 168, sex: 'male', morphology: '9260/3', topography: 'C40.2', siteCategory: 'bone_extremity', ...o,
});
const ev = (e: Expr, o: Partial<CaseFacts> = {}, opts: MatchOptions = {}): NodeResult => evaluateExpr(e, caseContext(facts(o), opts));
const triOf = (e: Expr, o: Partial<CaseFacts> = {}, opts: MatchOptions = {}): string => ['NOT_MET', 'UNKNOWN', 'MET'][ev(e, o, opts).tri]!;
const r = (tri: Tri, missing: string[] = []): NodeResult => ({ tri, evidence: ['n', 'u', 'm'][tri]!, missing, review: false });
const labs = (l: NonNullable<CaseFacts['labs']>): Partial<CaseFacts> => ({ labs: l });

describe('strong Kleene connectives (E.3)', () => {
  const T = [NOT_MET, UNKNOWN, MET] as const;
  const name = (t: Tri) => ['NOT_MET', 'UNKNOWN', 'MET'][t];
  test.each(T.flatMap((a) => T.map((b) => [name(a), name(b), a, b] as const)))('%s and %s / %s or %s', (_a, _b, a, b) => {
    expect(kleeneAnd([r(a), r(b)]).tri).toBe(Math.min(a, b));
    expect(kleeneOr([r(a), r(b)]).tri).toBe(Math.max(a, b));
  });

  test('not swaps MET and NOT_MET and keeps UNKNOWN with its missing facts', () => {
    expect(kleeneNot(r(MET)).tri).toBe(NOT_MET);
    expect(kleeneNot(r(NOT_MET)).tri).toBe(MET);
    expect(kleeneNot(r(UNKNOWN, ['labs.anc']))).toMatchObject({ tri: UNKNOWN, missing: ['labs.anc'] });
  });

  test.each([
    [2, [MET, MET, NOT_MET], MET],
    [2, [MET, UNKNOWN, NOT_MET], UNKNOWN],
    [2, [MET, NOT_MET, NOT_MET], NOT_MET],
    [1, [UNKNOWN, UNKNOWN], UNKNOWN],
    [1, [NOT_MET, NOT_MET], NOT_MET],
  ] as const)('at least %d of %o is %d', (n, kids, want) => {
    expect(kleeneAtLeast(n, kids.map((k) => r(k))).tri).toBe(want);
  });

  test.each([
    [NOT_MET, NOT_MET, MET], [NOT_MET, UNKNOWN, MET],
    [MET, NOT_MET, NOT_MET], [MET, UNKNOWN, UNKNOWN], [MET, MET, MET],
    [UNKNOWN, MET, MET], [UNKNOWN, NOT_MET, UNKNOWN], [UNKNOWN, UNKNOWN, UNKNOWN],
  ] as const)('when(if=%d, then=%d) is %d', (c, t, want) => {
    expect(kleeneWhen(r(c), r(t)).tri).toBe(want);
  });

  test('an UNKNOWN and keeps only the missing facts of its UNKNOWN children', () => {
    expect(kleeneAnd([r(MET), r(UNKNOWN, ['a']), r(UNKNOWN, ['b', 'a'])]).missing).toEqual(['a', 'b']);
    expect(kleeneOr([r(MET), r(UNKNOWN, ['a'])]).missing).toEqual([]);
  });
});

describe('age, on whole months at match time', () => {
  const atLeast12 = { op: 'age', min: ageBound.atLeast(12) } as const;
  const atMost21 = { op: 'age', max: ageBound.atMost(21) } as const;
  test.each([
    [143, 'NOT_MET'], [144, 'MET'], [145, 'MET'],
  ])('a child of %d months against "≥ 12 years" is %s', (ageMonths, want) => {
    expect(triOf(atLeast12, { ageMonths })).toBe(want);
  });

  test.each([
    [252, 'MET'], [263, 'MET'], [264, 'NOT_MET'],
  ])('a patient of %d months against "≤ 21 years" (before the 22nd birthday) is %s', (ageMonths, want) => {
    expect(triOf(atMost21, { ageMonths })).toBe(want);
  });

  test('the explanation states the convention and the age used', () => {
    expect(ev(atMost21, { ageMonths: 263 }).evidence).toBe('age 263 months (21 y 11 m; whole months, at match time) meets ≤ 21 y (before the 22nd birthday)');
  });

  test('a limit in days within the month of the age is unknown, not guessed', () => {
    const e = { op: 'age', min: ageBound.atLeast(14, 'days') } as const;
    expect(ev(e, { ageMonths: 0 })).toMatchObject({ tri: UNKNOWN, missing: ['ageDays'] });
    expect(triOf(e, { ageMonths: 1 })).toBe('MET');
  });

  test('a projected enrollment date moves the age', () => {
    expect(triOf(atMost21, { ageMonths: 263 }, { enrollmentInDays: 60 })).toBe('NOT_MET');
  });
});

describe('COG renal function (D.1)', () => {
  const renal = { op: 'ref', macro: 'COG_RENAL_V1' } as const;
  const table = { op: 'creatinineTable', table: 'COG_CREATININE_AGE_SEX_V1' } as const;
  test('creatinine at the table value is met, and the evidence names the row', () => {
    const res = ev(table, { sex: 'female', ageMonths: 130, ...labs({ creatinineMgDl: 1.2 }) });
    expect(res.tri).toBe(MET);
    expect(res.evidence).toBe('creatinine 1.2 mg/dL ≤ 1.2 mg/dL (COG table, female 10 to < 13 y)');
  });

  test.each([
    ['female', 130, 1.21, 'NOT_MET'], ['male', 192, 1.7, 'MET'], ['female', 192, 1.5, 'NOT_MET'], ['male', 156, 1.5, 'MET'],
    ['female', 155, 1.3, 'NOT_MET'], ['female', 156, 1.3, 'MET'], ['male', 12, 0.6, 'MET'], ['male', 11, 0.6, 'NOT_MET'],
  ] as const)('a %s of %d months with creatinine %d mg/dL is %s against the table', (sex, ageMonths, creatinineMgDl, want) => {
    expect(triOf(table, { sex, ageMonths, ...labs({ creatinineMgDl }) })).toBe(want);
  });

  test('a creatinine above the table with GFR pending is unknown, not failed', () => {
    const res = ev(renal, { sex: 'female', ageMonths: 130, ...labs({ creatinineMgDl: 1.5, gfrMlMin173: null }) });
    expect(res.tri).toBe(UNKNOWN);
    expect(res.missing).toEqual(['labs.gfrMlMin173']);
  });

  test('a measured GFR of at least 70 is met without a creatinine', () => {
    expect(ev(renal, labs({ gfrMlMin173: 70 }))).toMatchObject({ tri: MET, evidence: 'GFR/creatinine clearance 70 mL/min/1.73 m² ≥ 70 mL/min/1.73 m²' });
  });

  test('both known and failing is not met', () => {
    expect(triOf(renal, { sex: 'female', ageMonths: 130, ...labs({ creatinineMgDl: 1.5, gfrMlMin173: 60 }) })).toBe('NOT_MET');
  });

  test('under one month the table has no row: a clinician decides', () => {
    expect(ev(table, { ageMonths: 0, ...labs({ creatinineMgDl: 0.3 }) })).toMatchObject({ tri: UNKNOWN, review: true });
  });
});

describe('performance status (D.3): the scale depends on age, and scales are never converted', () => {
  const cog = { op: 'ref', macro: 'COG_PERF_50_V1' } as const;
  test.each([
    [49, 'NOT_MET'], [50, 'MET'],
  ])('Lansky %d against "Lansky ≥ 50 for ≤ 16 y" at 10 years is %s', (value, want) => {
    expect(triOf(cog, { ageMonths: 120, performance: { scale: 'lansky', value } })).toBe(want);
  });

  test('a Karnofsky score for a 10-year-old is unknown: the trial needs Lansky at that age', () => {
    const res = ev(cog, { ageMonths: 120, performance: { scale: 'karnofsky', value: 90 } });
    expect(res.tri).toBe(UNKNOWN);
    expect(res.missing).toEqual(['performance']);
    expect(res.evidence).toContain('scales are not converted');
  });

  test.each([
    [203, 'lansky', 'MET'], [204, 'lansky', 'UNKNOWN'], [204, 'karnofsky', 'MET'], [203, 'karnofsky', 'UNKNOWN'],
  ] as const)('at %d months a %s score of 80 is %s ("> 16 y" = from the 17th birthday)', (ageMonths, scale, want) => {
    expect(triOf(cog, { ageMonths, performance: { scale, value: 80 } })).toBe(want);
  });

  test('a rule for another age group does not apply', () => {
    const karnofskyOver10 = { op: 'performance', rules: [{ scale: 'karnofsky', appliesIf: { min: ageBound.over(10) }, min: 50 }] } as const;
    expect(triOf(karnofskyOver10, { ageMonths: 120, performance: { scale: 'lansky', value: 30 } })).toBe('MET');
  });

  test('ECOG is a maximum', () => {
    const ecog = { op: 'performance', rules: [{ scale: 'ecog', max: 1 }] } as const;
    expect(triOf(ecog, { performance: { scale: 'ecog', value: 1 } })).toBe('MET');
    expect(triOf(ecog, { performance: { scale: 'ecog', value: 2 } })).toBe('NOT_MET');
  });

  test('no score at all is unknown, asking for performance', () => {
    expect(ev(cog, {})).toMatchObject({ tri: UNKNOWN, missing: ['performance'] });
  });
});

describe('labs', () => {
  test('an absolute threshold at the limit follows the comparator', () => {
    expect(triOf({ op: 'lab', fact: 'anc', cmp: '>=', absolute: 1000 }, labs({ anc: 1000 }))).toBe('MET');
    expect(triOf({ op: 'lab', fact: 'anc', cmp: '>', absolute: 1000 }, labs({ anc: 1000 }))).toBe('NOT_MET');
  });

  test('× ULN uses the recorded upper limit of normal and says so', () => {
    const res = ev({ op: 'lab', fact: 'bilirubinTotalMgDl', cmp: '<=', xUln: 1.5 }, labs({ bilirubinTotalMgDl: 1.8, bilirubinUln: 1.2 }));
    expect(res).toMatchObject({ tri: MET, evidence: 'total bilirubin 1.8 mg/dL ≤ 1.8 mg/dL (1.5 × ULN 1.2)' });
  });

  test('× ULN without a recorded ULN is unknown, asking for the ULN', () => {
    expect(ev({ op: 'lab', fact: 'altUL', cmp: '<', xUln: 3 }, labs({ altUL: 30 }))).toMatchObject({ tri: UNKNOWN, missing: ['labs.altUln'] });
  });

  test('labs older than the window are unknown, never failed', () => {
    const anc = { op: 'lab', fact: 'anc', cmp: '>=', absolute: 1000, withinDays: 14 } as const;
    expect(triOf(anc, labs({ anc: 500, drawnDaysAgo: 14 }))).toBe('NOT_MET');
    expect(ev(anc, labs({ anc: 500, drawnDaysAgo: 15 }))).toMatchObject({ tri: UNKNOWN, missing: ['labs.anc'] });
    expect(ev(anc, labs({ anc: 2000 }))).toMatchObject({ tri: UNKNOWN, missing: ['labs.drawnDaysAgo'] });
  });

  test('an explicit null (pending) lab is unknown', () => {
    expect(ev({ op: 'lab', fact: 'platelets', cmp: '>=', absolute: 100000 }, labs({ platelets: null }))).toMatchObject({ tri: UNKNOWN, missing: ['labs.platelets'] });
  });
});

describe('diagnosis, status, extent and other leaves', () => {
  const rms = { op: 'diagnosis', label: 'RMS except pleomorphic', anyOf: { families: ['rhabdomyosarcoma'] }, noneOf: { codes: ['8901/3'] } } as const;
  test.each([
    ['8910/3', 'MET'], ['8901/3', 'NOT_MET'], ['8900/3', 'UNKNOWN'], ['9260/3', 'NOT_MET'],
  ])('morphology %s against "RMS of any subtype except pleomorphic" is %s', (morphology, want) => {
    expect(triOf(rms, { morphology })).toBe(want);
  });

  test('a named-subtype trial cannot decide on an RMS NOS', () => {
    expect(ev({ op: 'diagnosis', label: 'alveolar RMS', anyOf: { codes: ['8920/3'] } }, { morphology: '8900/3' })).toMatchObject({ tri: UNKNOWN, missing: ['morphology'] });
  });

  test('disease status and metastases read the facts or ask for them', () => {
    expect(triOf({ op: 'diseaseStatus', anyOf: ['relapsed', 'refractory'] }, { diseaseStatus: 'newly_diagnosed' })).toBe('NOT_MET');
    expect(ev({ op: 'diseaseStatus', anyOf: ['newly_diagnosed'] })).toMatchObject({ tri: UNKNOWN, missing: ['diseaseStatus'] });
    expect(triOf({ op: 'metastatic', present: false }, { metastases: [] })).toBe('MET');
    expect(triOf({ op: 'metastatic', present: false }, { metastases: ['lung'] })).toBe('NOT_MET');
    expect(triOf({ op: 'metastatic', present: true, sites: ['bone', 'bone_marrow'] }, { metastases: ['lung'] })).toBe('NOT_MET');
    expect(ev({ op: 'metastatic', present: true })).toMatchObject({ tri: UNKNOWN, missing: ['metastases'] });
  });

  test('prior therapy excludes steroids when asked and counts lines', () => {
    const chemo = { op: 'priorTherapy', kinds: ['chemotherapy'], excludingAgents: ['dexamethasone'] } as const;
    expect(triOf(chemo, { priorTherapy: [{ kind: 'chemotherapy', agents: ['dexamethasone'] }] })).toBe('NOT_MET');
    expect(triOf(chemo, { priorTherapy: [{ kind: 'chemotherapy', agents: ['vincristine'] }] })).toBe('MET');
    expect(triOf({ op: 'priorTherapy', kinds: ['chemotherapy'], minCount: 2 }, { priorTherapy: [{ kind: 'chemotherapy' }] })).toBe('NOT_MET');
    expect(ev(chemo)).toMatchObject({ tri: UNKNOWN, missing: ['priorTherapy'] });
  });

  test('a companion study not yet joined is unknown when it can be joined alongside', () => {
    const apec = { op: 'enrolledOnStudy', studies: ['APEC14B1'], allowConcurrent: true } as const;
    expect(triOf(apec, { enrolledStudies: ['apec14b1'] })).toBe('MET');
    expect(triOf({ op: 'enrolledOnStudy', studies: ['COG-D9902'], allowConcurrent: true }, { enrolledStudies: ['D9902'] })).toBe('MET');
    expect(ev(apec, { enrolledStudies: [] })).toMatchObject({ tri: UNKNOWN, missing: ['enrolledStudies'] });
    expect(triOf({ ...apec, allowConcurrent: false }, { enrolledStudies: [] })).toBe('NOT_MET');
  });

  test('pregnancy does not apply to males or prepubertal girls, and needs a test otherwise', () => {
    const preg = { op: 'reproductive', condition: 'pregnant_or_nursing' } as const;
    expect(triOf(preg, { sex: 'male' })).toBe('NOT_MET');
    expect(triOf(preg, { sex: 'female', pubertalStatus: 'prepubertal' })).toBe('NOT_MET');
    expect(ev(preg, { sex: 'female', pubertalStatus: 'postpubertal' })).toMatchObject({ tri: UNKNOWN, missing: ['pregnancyStatus'] });
  });

  test('stage and risk leaves read the assessment, and are unknown without it', () => {
    const f = facts({ ageMonths: 144, morphology: '8920/3', topography: 'C49.2', siteCategory: 'soft_tissue_extremity', sizeCm: 8, invasiveness: 'T2', regionalNodes: 'N1', metastases: ['lung', 'bone_marrow'], metastaticSiteCount: 2, surgery: { status: 'biopsy' } });
    const a = assess(f);
    if (!a.ok) throw new Error('invalid');
    const stage = { op: 'stageRisk', measure: 'rms.stage', anyOf: [1, 2, 3] } as const;
    expect(evaluateExpr(stage, caseContext(f, { assessment: a.assessment }))).toMatchObject({ tri: NOT_MET, evidence: 'RMS stage 4, not 1 or 2 or 3' });
    expect(evaluateExpr(stage, caseContext(f))).toMatchObject({ tri: UNKNOWN, missing: ['assessment.rms.stage'] });
    const ewing = assess(facts());
    // An Ewing sarcoma has no RMS staging at all: an RMS stage requirement is not met.
    expect(evaluateExpr(stage, caseContext(facts(), { assessment: ewing.ok ? ewing.assessment : null })).tri).toBe(NOT_MET);
  });

  test('a manual leaf always needs review', () => {
    expect(ev({ op: 'manual', note: 'organ function' })).toEqual({ tri: UNKNOWN, evidence: 'needs clinician review: organ function', missing: [], review: true });
  });

  test('SARC028: age ≥ 18, or ≥ 12 with a bone sarcoma, stays honest when histology decides', () => {
    const sarc = { op: 'or', args: [{ op: 'age', min: ageBound.atLeast(18) }, { op: 'and', args: [{ op: 'diagnosis', label: 'bone sarcoma', anyOf: { families: ['ewing', 'osteosarcoma', 'other_bone_malignant'] } }, { op: 'age', min: ageBound.atLeast(12) }] }] } as const;
    expect(triOf(sarc, { ageMonths: 168, morphology: '9260/3' })).toBe('MET');
    expect(triOf(sarc, { ageMonths: 168, morphology: '9040/3', topography: 'C49.2', siteCategory: 'soft_tissue_extremity' })).toBe('NOT_MET');
  });
});

describe('criterion and trial verdicts (E.3)', () => {
  const c = (id: string, expr: Expr, o: Partial<Criterion> = {}): Criterion => ({
    id, kind: 'inclusion', source: { itemId: id, childItemIds: [], field: null, text: `criterion ${id}`, start: null, end: null }, expr, status: 'accepted', ...o,
  });
  const trial = (criteria: Criterion[], o: Partial<TrialDefinition> = {}, extra: Scope[] = []): TrialDefinition => ({
    schemaVersion: 1, nctId: 'NCT00000001', title: 'T', version: 3,
    registry: { lastUpdatePostDate: '2024-01', criteriaSha256: null, overallStatus: 'RECRUITING' },
    curation: { state: 'curated', basedOn: { lastUpdatePostDate: '2024-01', criteriaSha256: null }, stale: false },
    scopes: [{ id: 'trial', kind: 'trial', label: 'Whole trial', parent: null, open: true, criteria }, ...extra], ...o,
  });
  const run = (d: TrialDefinition, o: Partial<CaseFacts> = {}) => naiveMatchTrial(d, caseContext(facts(o)));
  const ewing = { op: 'diagnosis', label: 'Ewing sarcoma', anyOf: { families: ['ewing'] } } as const;

  test('every criterion met and curated is eligible', () => {
    expect(run(trial([c('in1', ewing)])).verdict).toBe('eligible');
  });

  test('an exclusion is evaluated as NOT and says whether the condition is present', () => {
    const m = run(trial([c('ex1', { op: 'reproductive', condition: 'pregnant_or_nursing' }, { kind: 'exclusion' })]));
    expect(m.verdict).toBe('eligible');
    expect(m.criteria[0]).toMatchObject({ kind: 'exclusion', verdict: 'met', condition: 'absent' });
    const hit = run(trial([c('ex1', ewing, { kind: 'exclusion' })]));
    expect(hit).toMatchObject({ verdict: 'not_eligible', failed: ['ex1'] });
    expect(hit.criteria[0]).toMatchObject({ verdict: 'not_met', condition: 'present' });
  });

  test('a not-met criterion makes it not eligible, naming the criterion and the fact', () => {
    const m = run(trial([c('in1', ewing), c('in2', { op: 'diseaseStatus', anyOf: ['relapsed'] })]), { diseaseStatus: 'newly_diagnosed' });
    expect(m.verdict).toBe('not_eligible');
    expect(m.failed).toEqual(['in2']);
    expect(m.summary).toContain('in2 "criterion in2": disease status newly diagnosed, not relapsed');
  });

  test('unknown facts make it possible and are listed as missing', () => {
    const m = run(trial([c('in1', ewing), c('in2', { op: 'lab', fact: 'anc', cmp: '>=', absolute: 1000 })]));
    expect(m).toMatchObject({ verdict: 'possible', missing: ['labs.anc'] });
    expect(m.criteria[1]).toMatchObject({ verdict: 'unknown', missing: ['labs.anc'] });
  });

  test('a manual item needs review and makes it possible', () => {
    const m = run(trial([c('in1', ewing), c('in2', { op: 'manual' })]));
    expect(m.verdict).toBe('possible');
    expect(m.criteria[1]!.verdict).toBe('needs_review');
    expect(m.reviewItems).toEqual([{ criterionId: 'in2', itemId: 'in2', text: 'criterion in2', reason: 'manual' }]);
  });

  test('an item not yet accepted by a curator keeps it at possible even when met', () => {
    const m = run(trial([c('in1', ewing, { status: 'proposed' })]));
    expect(m.verdict).toBe('possible');
    expect(m.reviewItems[0]).toMatchObject({ criterionId: 'in1', reason: 'not_curated' });
  });

  test('a rejected item is left out; an assume-met policy is met and visible', () => {
    const m = run(trial([c('in1', ewing), c('in2', { op: 'manual' }, { status: 'rejected' }), c('in3', { op: 'manual', note: 'consent' }, { policy: 'assume_met' })]));
    expect(m.verdict).toBe('eligible');
    expect(m.criteria.map((x) => x.id)).toEqual(['in1', 'in3']);
    expect(m.criteria[1]).toMatchObject({ verdict: 'met', policy: 'assume_met' });
  });

  test('a stale curation downgrades eligible to possible', () => {
    const m = run(trial([c('in1', ewing)], { registry: { lastUpdatePostDate: '2025-06', criteriaSha256: null, overallStatus: 'RECRUITING' } }));
    expect(m.verdict).toBe('possible');
    expect(m.curation.stale).toBe(true);
    expect(m.reviewItems.at(-1)).toMatchObject({ reason: 'stale' });
  });

  test('arms are alternatives: the best open arm counts, a closed arm never makes it eligible', () => {
    const arm = (id: string, expr: Expr, open = true): Scope => ({ id, kind: 'arm', label: id, parent: 'trial', open, criteria: [c(`${id}-1`, expr)] });
    const young = { op: 'age', max: ageBound.under(12) } as const;
    const old = { op: 'age', min: ageBound.atLeast(12) } as const;
    const m = run(trial([c('in1', ewing)], {}, [arm('a', young), arm('b', old)]));
    expect(m.verdict).toBe('eligible');
    expect(m.scopes?.map((s) => [s.id, s.verdict])).toEqual([['trial', 'eligible'], ['a', 'not_eligible'], ['b', 'eligible']]);
    expect(run(trial([c('in1', ewing)], {}, [arm('a', young), arm('b', old, false)])).verdict).toBe('not_eligible');
  });

  test('criterionMatch keeps the output contract fields', () => {
    const m = criterionMatch(criterionInfo(c('in1', ewing), 'trial', 'diagnosis Ewing sarcoma'), evaluateExpr(ewing, caseContext(facts())));
    expect(Object.keys(m)).toEqual(expect.arrayContaining(['text', 'kind', 'verdict', 'evidence']));
    const t = assembleTrialMatch(trial([c('in1', ewing)]), [{ scope: trial([]).scopes[0]!, criteria: [m] }]);
    expect(Object.keys(t)).toEqual(expect.arrayContaining(['trialId', 'verdict', 'criteria', 'missing']));
  });
});
