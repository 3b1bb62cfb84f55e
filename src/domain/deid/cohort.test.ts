import { expect, test } from 'vitest';
import { ageBand, cohortFiltersSchema, stageRiskKey, stageRiskLabel, STAGE_RISK_KEYS } from './cohort.js';
import type { Assessment } from '../facts/assessment.js';

test.each([
  [0, '<1'], [11, '<1'], [12, '1-4'], [59, '1-4'], [60, '5-9'], [179, '10-14'], [180, '15-19'], [239, '15-19'], [240, '20-29'],
  [1079, '30-89'], [1080, '90+'], [null, 'unknown'], [-1, 'unknown'],
])('%s months at diagnosis falls in the %s band', (months, band) => {
  expect(ageBand(months)).toBe(band);
});

const a = (over: Partial<Assessment>) => ({ enneking: null, ajcc: null, rms: null, ewing: null, osteosarcoma: null, nrsts: null, ...over }) as Assessment;

test.each([
  ['rhabdomyosarcoma', a({ rms: { cogRiskFusionBased: 'intermediate', cogRiskHistologyBased: 'low' } as Assessment['rms'] }), 'rms:intermediate'],
  ['rhabdomyosarcoma', a({ rms: { cogRiskFusionBased: null, cogRiskHistologyBased: 'low' } as Assessment['rms'] }), 'rms:low'],
  ['ewing', a({ ewing: { metastaticCategory: 'localized' } }), 'ewing:localized'],
  ['osteosarcoma', a({ osteosarcoma: { metastaticCategory: 'metastatic_lung_only' } as Assessment['osteosarcoma'] }), 'os:metastatic_lung_only'],
  ['nrsts', a({ nrsts: { arst0332RiskGroup: 'high', arst0332Arm: 'D' } }), 'nrsts:high'],
  ['benign_bone', a({ enneking: { stage: '2', substage: null } }), 'enneking:2'],
  ['ewing', a({}), 'unknown'],
] as const)('a %s assessment groups as %s', (family, assessment, key) => {
  expect(stageRiskKey(family, assessment)).toBe(key);
  expect(STAGE_RISK_KEYS).toContain(key);
});

test('stage/risk keys read as words', () => {
  expect(stageRiskLabel('rms:low')).toBe('RMS COG risk: low');
  expect(stageRiskLabel('ewing:metastatic_lung_pleura_only')).toBe('Ewing: metastatic lung pleura only');
});

test.each([
  [{ families: ['lymphoma'] }, 'families'],
  [{ ageBands: ['100+'] }, 'ageBands'],
  [{ diagnosisYearFrom: 2020, diagnosisYearTo: 2019 }, 'diagnosisYearTo'],
  [{ diagnosisYearFrom: 1800 }, 'diagnosisYearFrom'],
  [{ stageRisk: ['rms:extreme'] }, 'stageRisk'],
  [{ mrn: 'X' }, ''],
])('bad filters %j are refused naming %s', (input, field) => {
  const res = cohortFiltersSchema.safeParse(input);
  expect(res.success).toBe(false);
  expect(res.error!.issues[0]!.path.join('.')).toContain(field);
});

test('the cheap pre-check never drops a subject the full filter would keep', async () => {
  const { generateDemoPatients } = await import('../demo/generate.js');
  const { classify, matches, mayMatch } = await import('./cohort.js');
  const subjects = generateDemoPatients({ seed: 3, count: 150, today: '2026-11-27' }).map((g, i) => ({
    patientId: `p${i}`, mrn: g.patient.mrn, familyName: '', givenName: '', birthDate: g.patient.birthDate, sex: g.patient.sex, preferredLanguage: 'English',
    interpreterNeeded: false, homeCountry: 'US', homeState: null, city: null, postalCode: null, guardians: [],
    tumor: g.tumors[0] ? { ...g.tumors[0], details: (g.tumors[0].details ?? {}) as Record<string, unknown> } : null, relapseDiagnosisDate: null,
    caseStatus: null, caseQuestion: null, referredOn: null, plan: i % 3 === 0 ? { templateId: 'T-OS-MAP', status: 'draft', startedOn: null } : null,
    enrolledTrials: i % 4 === 0 ? [{ nctId: null, network: 'institutional' }] : [],
  }));
  const filters = [{ families: ['ewing' as const] }, { diagnosisYearFrom: 2025, diagnosisYearTo: 2026 }, { templates: ['none' as const] }, { trialEnrolled: true }, { ageBands: ['10-14' as const], families: ['osteosarcoma' as const] }];
  for (const f of filters) {
    const full = subjects.map(classify).filter((c) => matches(c, f)).map((c) => c.subject.patientId);
    const fast = subjects.filter((x) => mayMatch(x, f)).map(classify).filter((c) => matches(c, f)).map((c) => c.subject.patientId);
    expect(fast).toEqual(full);
    expect(full.length).toBeGreaterThan(0);
  }
});
