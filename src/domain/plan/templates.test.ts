import { describe, expect, test } from 'vitest';
import type { CaseFacts } from '../facts/case-facts.js';
import type { RmsResult } from '../facts/assessment.js';
import { NO_STAGING, type StagingContext } from './context.js';
import { TEMPLATES, TEMPLATE_IDS, selectTemplate, templateAgents, type TemplateId, type TreatmentTemplate } from './templates.js';

const facts = (o: Partial<CaseFacts> = {}): CaseFacts => ({
  ageMonths: 120, sex: 'male', morphology: '9180/3', topography: 'C40.2', siteCategory: 'bone_extremity', ...o,
});
const ctx = (o: Partial<StagingContext> = {}): StagingContext => ({ ...NO_STAGING, ...o });
const rms = (o: Partial<RmsResult>): RmsResult => ({
  stage: null, clinicalGroup: null, siteCategory: null, cogRiskHistologyBased: null, cogRiskFusionBased: null,
  arst2032Category: null, lowRiskSubset: null, oberlinFactorCount: null, oberlinCategory: null, epssgHighRisk: null, ...o,
});
const RMS_FACTS = facts({ morphology: '8910/3', topography: 'C49.2', siteCategory: 'soft_tissue_extremity' });

describe('template library (rules.md §2)', () => {
  test.each([
    'T-EWS-ICC', 'T-EWS-MET', 'T-OS-MAP', 'T-OS-LOWGRADE', 'T-RMS-VLR-VA24', 'T-RMS-LR-VAC4-VA', 'T-RMS-LR-SUBSET-B',
    'T-RMS-IR-VACVI-MAINT', 'T-RMS-HR-INTENSIVE', 'T-RMS-EPSSG-MAINT', 'T-NRSTS-A', 'T-NRSTS-B', 'T-NRSTS-C', 'T-NRSTS-D',
    'T-NRSTS-HR', 'T-BN-OBSERVE', 'T-BN-CURETTAGE', 'T-BN-AGGRESSIVE',
  ])('%s is in the library under its own ID, with a version, a title, rule IDs and local-control options', (id) => {
    expect(TEMPLATE_IDS).toContain(id);
    const t: TreatmentTemplate = TEMPLATES[id as TemplateId];
    expect(t.id).toBe(id);
    expect(t.version).toMatch(/^\d{4}\.\d+$/);
    expect(t.title.length).toBeGreaterThan(10);
    expect(t.rules.length).toBeGreaterThan(0);
    expect(t.rules.every((r) => r.startsWith('R-'))).toBe(true);
    expect(t.localControl.length).toBeGreaterThan(0);
  });

  test('the library has exactly the 18 template IDs of rules.md §2', () => {
    expect(Object.keys(TEMPLATES).sort()).toEqual([...TEMPLATE_IDS].sort());
    expect(TEMPLATE_IDS).toHaveLength(18);
  });

  test.each<[TemplateId, Record<string, number>]>([
    ['T-EWS-ICC', { doxorubicin: 375, cyclophosphamide: 8400, ifosfamide: 63000, etoposide: 3500 }],
    ['T-OS-MAP', { doxorubicin: 450, cisplatin: 480, methotrexate: 144000 }],
    ['T-RMS-LR-VAC4-VA', { cyclophosphamide: 4800 }],
    ['T-RMS-IR-VACVI-MAINT', { cyclophosphamide: 12600 }],
    ['T-RMS-EPSSG-MAINT', { doxorubicin: 240, ifosfamide: 54000, cyclophosphamide: 4200 }],
    ['T-NRSTS-C', { ifosfamide: 54000, doxorubicin: 375 }],
    ['T-NRSTS-D', { ifosfamide: 54000, doxorubicin: 375 }],
    ['T-NRSTS-HR', { ifosfamide: 54000, doxorubicin: 375 }],
    ['T-OS-LOWGRADE', {}], ['T-NRSTS-A', {}], ['T-NRSTS-B', {}],
    ['T-BN-OBSERVE', {}], ['T-BN-CURETTAGE', {}], ['T-BN-AGGRESSIVE', {}],
  ])('%s plans exactly the cumulative totals rules.md states', (id, totals) => {
    expect(TEMPLATES[id].plannedCumulativeMgM2).toEqual(totals);
  });

  test.each<TemplateId>(['T-RMS-HR-INTENSIVE', 'T-RMS-LR-SUBSET-B'])(
    '%s gives no invented totals and says they are not given', (id) => {
      const t: TreatmentTemplate = TEMPLATES[id];
      expect(t.plannedCumulativeMgM2).toEqual({});
      expect(t.plannedTotalsNote).toMatch(/^Not given/);
      expect(templateAgents(t)).toContain('cyclophosphamide');
    });

  const totalRows = TEMPLATE_IDS.flatMap((id) => Object.entries(TEMPLATES[id].plannedCumulativeMgM2 as Record<string, number>)
    .map(([agent, total]) => [id, agent, total] as const));
  test.each(totalRows)('%s: the planned %s total (%d mg/m²) equals count × dose × administrations summed over its cycles', (id, agent, total) => {
    let sum = 0;
    for (const phase of (TEMPLATES[id] as TreatmentTemplate).phases) {
      for (const cycle of phase.cycles) {
        for (const a of cycle.agents) {
          if (a.agent !== agent) continue;
          expect(cycle.count, `${cycle.name} count`).not.toBeNull();
          expect(a.doseMgM2, `${cycle.name} ${agent} dose`).toBeDefined();
          sum += (cycle.count ?? 0) * (a.doseMgM2 ?? 0) * (a.administrations ?? 1);
        }
      }
    }
    expect(sum).toBeCloseTo(total, 6);
  });

  test('the [K] parts are marked: Ewing doxorubicin total, NRSTS doxorubicin dose, RMS IR maintenance, low-grade OS', () => {
    expect(TEMPLATES['T-EWS-ICC'].unverifiedTotals).toContain('doxorubicin');
    expect(TEMPLATES['T-NRSTS-C'].unverifiedTotals).toContain('doxorubicin');
    expect(TEMPLATES['T-RMS-IR-VACVI-MAINT'].phases[1].unverified).toBe(true);
    expect(TEMPLATES['T-OS-LOWGRADE'].unverified).toBe(true);
    expect(TEMPLATES['T-EWS-MET'].unverified).toBe(true);
  });

  test('the T-OS-MAP pre-operative phase is two 5-week MAP cycles ending with surgery at week 10', () => {
    const [pre, surgery] = TEMPLATES['T-OS-MAP'].phases;
    expect(pre.weeks).toEqual({ from: 1, to: 10 });
    expect(pre.cycles[0].count).toBe(2);
    expect(surgery.weeks).toEqual({ from: 10, to: 10 });
  });
});

describe('selectTemplate', () => {
  const ewing = facts({ morphology: '9260/3' });
  test.each([
    ['localized', 'T-EWS-ICC'],
    ['metastatic_lung_pleura_only', 'T-EWS-MET'],
    ['metastatic_bone_or_marrow', 'T-EWS-MET'],
    ['metastatic_other', 'T-EWS-MET'],
  ] as const)('Ewing sarcoma that is %s gets %s', (metastaticCategory, id) => {
    const d = selectTemplate(ewing, ctx({ ewing: { metastaticCategory } }));
    expect(d.value).toBe(id);
    expect(d.explanations[0]).toMatchObject({ output: 'treatmentTemplate', rules: ['R-EWS-CAT', id] });
  });

  test('Ewing sarcoma with an unknown metastatic category gets no template and names the blocking output', () => {
    const d = selectTemplate(ewing, ctx({ ewing: { metastaticCategory: null } }));
    expect(d.value).toBeNull();
    expect(d.missing).toEqual([{ field: 'ewing.metastaticCategory', needed_for: 'treatmentTemplate' }]);
  });

  test('metastatic Ewing template selection is marked unverified', () => {
    expect(selectTemplate(ewing, ctx({ ewing: { metastaticCategory: 'metastatic_other' } })).explanations[0]?.unverified).toBe(true);
  });

  test.each([
    ['9180/3', 'C40.2', 'T-OS-MAP'],
    ['9181/3', 'C40.0', 'T-OS-MAP'],
    ['9194/3', 'C40.2', 'T-OS-MAP'],
    ['9187/3', 'C40.2', 'T-OS-LOWGRADE'],
    ['9192/3', 'C40.2', 'T-OS-LOWGRADE'],
    ['9193/3', 'C40.2', null],
    ['9180/3', 'C49.2', null],
  ])('osteosarcoma %s at %s gets %s', (morphology, topography, id) => {
    const d = selectTemplate(facts({ morphology, topography }), ctx());
    expect(d.value).toBe(id);
    expect(d.missing).toEqual([]);
    expect(d.explanations).toHaveLength(1);
  });

  const RMS_ROWS: Array<[string, Partial<RmsResult>, TemplateId | null]> = [
    ['ARST2032 VLR', { arst2032Category: 'VLR', cogRiskFusionBased: 'low', lowRiskSubset: 'A' }, 'T-RMS-VLR-VA24'],
    ['ARST2032 LR', { arst2032Category: 'LR', cogRiskFusionBased: 'low', lowRiskSubset: 'A' }, 'T-RMS-LR-VAC4-VA'],
    ['low risk subset B', { arst2032Category: 'NOT_VLR_OR_LR', cogRiskFusionBased: 'low', lowRiskSubset: 'B' }, 'T-RMS-LR-SUBSET-B'],
    ['NOT_VLR_OR_LR low risk without subset', { arst2032Category: 'NOT_VLR_OR_LR', cogRiskFusionBased: 'low', lowRiskSubset: null }, 'T-RMS-LR-SUBSET-B'],
    ['fusion-negative intermediate risk', { arst2032Category: 'NOT_VLR_OR_LR', cogRiskFusionBased: 'intermediate' }, 'T-RMS-IR-VACVI-MAINT'],
    ['fusion-positive intermediate risk', { arst2032Category: 'NOT_ELIGIBLE_FUSION_POSITIVE', cogRiskFusionBased: 'intermediate' }, 'T-RMS-IR-VACVI-MAINT'],
    ['fusion-positive high risk', { arst2032Category: 'NOT_ELIGIBLE_FUSION_POSITIVE', cogRiskFusionBased: 'high' }, 'T-RMS-HR-INTENSIVE'],
    ['high risk with ARST2032 unknown', { arst2032Category: null, cogRiskFusionBased: 'high' }, 'T-RMS-HR-INTENSIVE'],
    ['subset A not eligible for ARST2032 (age)', { arst2032Category: 'NOT_ELIGIBLE', cogRiskFusionBased: 'low', lowRiskSubset: 'A' }, 'T-RMS-LR-VAC4-VA'],
    ['ARST2032 DNA mutation', { arst2032Category: 'DNA_MUTATION', cogRiskFusionBased: 'low', lowRiskSubset: 'A' }, null],
  ];
  test.each(RMS_ROWS.map(([label, r, id]) => [label, id, r] as const))('RMS with %s gets %s', (_label, id, r) => {
    expect(selectTemplate(RMS_FACTS, ctx({ rms: rms(r) })).value).toBe(id);
  });

  const RMS_MISSING_ROWS: Array<[string, Partial<RmsResult> | null, string]> = [
    ['no RMS staging', null, 'rms'],
    ['fusion-based risk unknown', { arst2032Category: 'NOT_ELIGIBLE', cogRiskFusionBased: null }, 'rms.cogRiskFusionBased'],
    ['low risk but ARST2032 category unknown', { arst2032Category: null, cogRiskFusionBased: 'low', lowRiskSubset: 'A' }, 'rms.arst2032Category'],
  ];
  test.each(RMS_MISSING_ROWS.map(([label, r, field]) => [label, field, r] as const))('RMS with %s gets no template and names %s as missing', (_label, field, r) => {
    const d = selectTemplate(RMS_FACTS, ctx({ rms: r === null ? null : rms(r) }));
    expect(d.value).toBeNull();
    expect(d.missing).toEqual([{ field, needed_for: 'treatmentTemplate' }]);
  });

  test('an EpSSG high-risk RMS on the intermediate template is pointed to the EpSSG maintenance alternative', () => {
    const d = selectTemplate(RMS_FACTS, ctx({ rms: rms({ cogRiskFusionBased: 'intermediate', epssgHighRisk: true }) }));
    expect(d.value).toBe('T-RMS-IR-VACVI-MAINT');
    expect(d.explanations[1]?.rules).toContain('T-RMS-EPSSG-MAINT');
  });

  test.each([['A', 'T-NRSTS-A'], ['B', 'T-NRSTS-B'], ['C', 'T-NRSTS-C'], ['D', 'T-NRSTS-D'], ['HR', 'T-NRSTS-HR']] as const)(
    'NRSTS on ARST0332 arm %s gets %s', (arm, id) => {
      const d = selectTemplate(facts({ morphology: '9040/3', topography: 'C49.2' }), ctx({ nrsts: { arst0332RiskGroup: null, arst0332Arm: arm } }));
      expect(d.value).toBe(id);
      expect(d.explanations[0]?.rules).toEqual(['R-NRSTS-ARM', id]);
    });

  test('NRSTS without an ARST0332 arm names the arm as missing', () => {
    const d = selectTemplate(facts({ morphology: '9040/3', topography: 'C49.2' }), ctx({ nrsts: { arst0332RiskGroup: null, arst0332Arm: null } }));
    expect(d.missing).toEqual([{ field: 'nrsts.arst0332Arm', needed_for: 'treatmentTemplate' }]);
  });

  test.each([['1', 'T-BN-OBSERVE'], ['2', 'T-BN-CURETTAGE'], ['3', 'T-BN-AGGRESSIVE'], ['IIB', null]] as const)(
    'a benign bone tumour at Enneking stage %s gets %s', (stage, id) => {
      const d = selectTemplate(facts({ morphology: '9250/1' }), ctx({ enneking: { stage, substage: null } }));
      expect(d.value).toBe(id);
    });

  test('a benign bone tumour without an Enneking stage names it as missing', () => {
    expect(selectTemplate(facts({ morphology: '9210/0' }), ctx()).missing).toEqual([{ field: 'enneking.stage', needed_for: 'treatmentTemplate' }]);
  });

  test.each([
    ['chondrosarcoma (no template family)', { morphology: '9220/3' }],
    ['desmoid (intermediate soft tissue)', { morphology: '8821/1', topography: 'C49.2' }],
    ['an unknown morphology', { morphology: '9999/3' }],
    ['relapsed osteosarcoma', { diseaseStatus: 'relapsed' as const }],
  ])('%s gets no template, with a reason and nothing missing', (_label, o) => {
    const d = selectTemplate(facts(o), ctx());
    expect(d.value).toBeNull();
    expect(d.missing).toEqual([]);
    expect(d.explanations[0]?.output).toBe('treatmentTemplate');
  });
});
