import { describe, expect, test } from 'vitest';
import type { CaseFacts } from '../facts/case-facts.js';
import type { RmsResult } from '../facts/assessment.js';
import { NO_STAGING, type StagingContext } from './context.js';
import { plannedExposure } from './exposure.js';
import { CORE_FLAGS, FLAG_RULES, flags, type FlagName } from './flags.js';

const facts = (o: Partial<CaseFacts> = {}): CaseFacts => ({
  ageMonths: 200, sex: 'male', morphology: '9260/3', topography: 'C41.3', siteCategory: 'bone_chest_wall', metastases: [], ...o,
});
const RMS = { morphology: '8910/3', topography: 'C49.6', siteCategory: 'soft_tissue_trunk' } as const;
const ctx = (o: Partial<StagingContext> = {}): StagingContext => ({ ...NO_STAGING, ...o });
const rms = (o: Partial<RmsResult>): RmsResult => ({
  stage: null, clinicalGroup: null, siteCategory: null, cogRiskHistologyBased: null, cogRiskFusionBased: null,
  arst2032Category: null, lowRiskSubset: null, oberlinFactorCount: null, oberlinCategory: null, epssgHighRisk: null, ...o,
});
const raised = (f: CaseFacts, planned: Parameters<typeof flags>[2] = {}, c: StagingContext = ctx()) => flags(f, c, planned).value ?? [];

describe('flags (R-FLAGS)', () => {
  test('every R-FLAGS name has a trigger row', () => {
    const rows = FLAG_RULES.map((r) => r.value as string);
    for (const name of CORE_FLAGS) expect(rows).toContain(name);
  });

  const SITE_ROWS: Array<[FlagName, string, Partial<CaseFacts>, boolean]> = [
    ['INFANT_LT_12MO', 'any tumour at 11 months', { ageMonths: 11 }, true],
    ['INFANT_LT_12MO', 'any tumour at 12 months', { ageMonths: 12 }, false],
    ['RT_INDIVIDUALIZE_LT_24MO', 'RMS at 23 months', { ...RMS, ageMonths: 23 }, true],
    ['RT_INDIVIDUALIZE_LT_24MO', 'RMS at 24 months', { ...RMS, ageMonths: 24 }, false],
    ['RT_INDIVIDUALIZE_LT_24MO', 'Ewing at 12 months', { ageMonths: 12 }, false],
    ['AGE_GE_10Y', 'RMS at 119 months', { ...RMS, ageMonths: 119 }, false],
    ['AGE_GE_10Y', 'RMS at 120 months', { ...RMS, ageMonths: 120 }, true],
    ['AGE_GE_10Y', 'Ewing at 150 months', { ageMonths: 150 }, false],
    ['PARATESTICULAR_RPLND_REQUIRED', 'paratesticular RMS at 119 months', { ...RMS, siteCategory: 'gu_paratesticular', topography: 'C63.1', ageMonths: 119 }, false],
    ['PARATESTICULAR_RPLND_REQUIRED', 'paratesticular RMS at 120 months', { ...RMS, siteCategory: 'gu_paratesticular', topography: 'C63.1', ageMonths: 120 }, true],
    ['PARATESTICULAR_RPLND_REQUIRED', 'paratesticular leiomyosarcoma at 150 months', { morphology: '8890/3', siteCategory: 'gu_paratesticular', topography: 'C63.1', ageMonths: 150 }, false],
    ['EXTREMITY_RMS_REGIONAL_NODE_EVALUATION', 'extremity RMS', { ...RMS, siteCategory: 'soft_tissue_extremity', topography: 'C49.2' }, true],
    ['EXTREMITY_RMS_REGIONAL_NODE_EVALUATION', 'extremity synovial sarcoma', { morphology: '9040/3', siteCategory: 'soft_tissue_extremity', topography: 'C49.2' }, false],
    ['PARAMENINGEAL', 'parameningeal RMS', { ...RMS, siteCategory: 'hn_parameningeal', topography: 'C30.0' }, true],
    ['PARAMENINGEAL', 'parameningeal Ewing', { siteCategory: 'hn_parameningeal', topography: 'C30.0' }, false],
    ['MENINGEAL_IMPINGEMENT_EARLY_RT', 'PM RMS with intracranial extension', { ...RMS, siteCategory: 'hn_parameningeal', headNeck: { intracranialExtension: true } }, true],
    ['MENINGEAL_IMPINGEMENT_EARLY_RT', 'PM RMS with skull-base erosion', { ...RMS, siteCategory: 'hn_parameningeal', headNeck: { skullBaseErosion: true } }, true],
    ['MENINGEAL_IMPINGEMENT_EARLY_RT', 'non-PM head and neck RMS with cranial nerve palsy', { ...RMS, siteCategory: 'hn_nonparameningeal', headNeck: { cranialNervePalsy: true } }, true],
    ['MENINGEAL_IMPINGEMENT_EARLY_RT', 'orbital RMS with bone erosion', { ...RMS, siteCategory: 'hn_orbit', headNeck: { boneErosion: true } }, true],
    ['MENINGEAL_IMPINGEMENT_EARLY_RT', 'PM RMS without any sign', { ...RMS, siteCategory: 'hn_parameningeal', headNeck: { intracranialExtension: false, skullBaseErosion: false, cranialNervePalsy: false } }, false],
    ['MENINGEAL_IMPINGEMENT_EARLY_RT', 'PM Ewing with intracranial extension', { siteCategory: 'hn_parameningeal', headNeck: { intracranialExtension: true } }, false],
    ['ORBIT', 'orbital RMS', { ...RMS, siteCategory: 'hn_orbit', topography: 'C69.6' }, true],
    ['ORBIT', 'orbital Ewing', { siteCategory: 'hn_orbit', topography: 'C69.6' }, false],
    ['BLADDER_PROSTATE_ORGAN_PRESERVATION', 'bladder primary', { ...RMS, siteCategory: 'gu_bladder_prostate', topography: 'C67.9' }, true],
    ['BLADDER_PROSTATE_ORGAN_PRESERVATION', 'prostate topography', { ...RMS, siteCategory: 'other', topography: 'C61.9' }, true],
    ['GYNECOLOGIC_SITE', 'vaginal primary', { ...RMS, sex: 'female', siteCategory: 'gu_gynecologic', topography: 'C52.9' }, true],
    ['BILIARY', 'biliary primary', { ...RMS, siteCategory: 'biliary', topography: 'C24.0' }, true],
    ['SPINE_CORD_RISK', 'vertebral primary', { siteCategory: 'bone_spine', topography: 'C41.2' }, true],
    ['SPINE_CORD_RISK', 'spinal canal extension', { bone: { spinalCanalInvasion: true } }, true],
    ['SPINE_CORD_RISK', 'paraspinal soft-tissue primary', { ...RMS, primarySite: 'left paraspinal muscles' }, true],
    ['SPINE_CORD_RISK', 'rib primary', {}, false],
    ['PELVIC_SITE', 'pelvic bone (C41.4)', { topography: 'C41.4', siteCategory: 'bone_pelvis' }, true],
    ['PELVIC_SITE', 'pelvic soft tissue (C49.5)', { ...RMS, topography: 'C49.5' }, true],
    ['PELVIC_SITE', 'rib (C41.3)', {}, false],
    ['GROWTH_REMAINING_LIMB_SALVAGE_OPTIONS', 'female femoral sarcoma at 167 months', { sex: 'female', ageMonths: 167, topography: 'C40.2', siteCategory: 'bone_extremity' }, true],
    ['GROWTH_REMAINING_LIMB_SALVAGE_OPTIONS', 'female femoral sarcoma at 168 months', { sex: 'female', ageMonths: 168, topography: 'C40.2', siteCategory: 'bone_extremity' }, false],
    ['GROWTH_REMAINING_LIMB_SALVAGE_OPTIONS', 'male femoral sarcoma at 191 months', { ageMonths: 191, topography: 'C40.2', siteCategory: 'bone_extremity' }, true],
    ['GROWTH_REMAINING_LIMB_SALVAGE_OPTIONS', 'male femoral sarcoma at 192 months', { ageMonths: 192, topography: 'C40.2', siteCategory: 'bone_extremity' }, false],
    ['GROWTH_REMAINING_LIMB_SALVAGE_OPTIONS', 'humeral sarcoma (C40.0)', { ageMonths: 100, topography: 'C40.0', siteCategory: 'bone_extremity' }, false],
    ['GROWTH_REMAINING_LIMB_SALVAGE_OPTIONS', 'benign femoral tumour', { morphology: '9250/1', ageMonths: 100, topography: 'C40.2', siteCategory: 'bone_extremity' }, false],
    ['WHOLE_LUNG_RT', 'Ewing with lung metastases', { metastases: ['lung'] }, true],
    ['WHOLE_LUNG_RT', 'RMS with lung metastases', { ...RMS, metastases: ['lung', 'bone'] }, true],
    ['WHOLE_LUNG_RT', 'osteosarcoma with lung metastases', { morphology: '9180/3', metastases: ['lung'] }, false],
    ['WHOLE_LUNG_RT', 'Ewing with pleural metastases only', { metastases: ['pleura'] }, false],
    ['PELVIC_RT_GONADAL_AND_BLADDER_LATE_EFFECTS', 'a survivor after pelvic RT', { exposures: { radiation: [{ field: 'pelvis', doseGy: 50.4 }] } }, true],
    ['PELVIC_RT_GONADAL_AND_BLADDER_LATE_EFFECTS', 'a survivor after chest-wall RT', { exposures: { radiation: [{ field: 'chest_wall', doseGy: 50.4 }] } }, false],
  ];
  test.each(SITE_ROWS.map(([flag, label, o, on]) => [flag, label, on, o] as const))('%s for %s: %s', (flag, _label, on, o) => {
    const d = flags(facts(o), ctx(), {});
    expect(d.value?.includes(flag)).toBe(on);
    if (on) {
      const e = d.explanations.find((x) => x.text.startsWith(`${flag}:`));
      expect(e?.output).toBe('flags');
      expect(e?.rules.length).toBeGreaterThan(0);
    }
  });

  const PLAN_ROWS: Array<[FlagName, string, Parameters<typeof flags>[2], Partial<CaseFacts>, boolean]> = [
    ['FERTILITY_PRESERVATION_INDICATED', 'T-EWS-ICC planned (CED > 0)', plannedExposure('T-EWS-ICC'), {}, true],
    ['FERTILITY_PRESERVATION_INDICATED', 'T-OS-MAP planned (cisplatin)', plannedExposure('T-OS-MAP'), { morphology: '9180/3' }, true],
    ['FERTILITY_PRESERVATION_INDICATED', 'T-RMS-VLR-VA24 planned', plannedExposure('T-RMS-VLR-VA24'), RMS, false],
    ['FERTILITY_PRESERVATION_INDICATED', 'NRSTS arm B (RT 55.8 Gy) at a pelvic site', plannedExposure('T-NRSTS-B'), { morphology: '9040/3', topography: 'C49.5', siteCategory: 'soft_tissue_trunk' }, true],
    ['FERTILITY_PRESERVATION_INDICATED', 'NRSTS arm B (RT 55.8 Gy) in the thigh', plannedExposure('T-NRSTS-B'), { morphology: '9040/3', topography: 'C49.2', siteCategory: 'soft_tissue_extremity' }, false],
    ['CISPLATIN_OTOTOXICITY_MONITORING', 'cisplatin planned', { cisplatin: 480 }, {}, true],
    ['CISPLATIN_OTOTOXICITY_MONITORING', 'cisplatin received', {}, { exposures: { agents: { cisplatin: 360 } } }, true],
    ['CISPLATIN_OTOTOXICITY_MONITORING', 'cisplatin in prior therapy', {}, { priorTherapy: [{ kind: 'chemotherapy', agents: ['Cisplatin'] }] }, true],
    ['CISPLATIN_OTOTOXICITY_MONITORING', 'no platinum', { doxorubicin: 375 }, {}, false],
    ['ANTHRACYCLINE_CARDIAC_MONITORING', 'doxorubicin planned', { doxorubicin: 375 }, {}, true],
    ['ANTHRACYCLINE_CARDIAC_MONITORING', 'mitoxantrone received', {}, { exposures: { agents: { mitoxantrone: 40 } } }, true],
    ['ANTHRACYCLINE_CARDIAC_MONITORING', 'T-RMS-HR-INTENSIVE (doxorubicin, total not given)', plannedExposure('T-RMS-HR-INTENSIVE'), RMS, true],
    ['ANTHRACYCLINE_CARDIAC_MONITORING', 'no anthracycline', { cyclophosphamide: 4800 }, {}, false],
    ['IFOSFAMIDE_NEPHROTOXICITY_RISK', 'T-EWS-ICC planned (63 g/m²)', plannedExposure('T-EWS-ICC'), {}, true],
    ['IFOSFAMIDE_NEPHROTOXICITY_RISK', 'T-NRSTS-C planned (54 g/m²)', plannedExposure('T-NRSTS-C'), {}, false],
    ['IFOSFAMIDE_NEPHROTOXICITY_RISK', 'received 59,999 mg/m²', {}, { exposures: { agents: { ifosfamide: 59999 } } }, false],
    ['IFOSFAMIDE_NEPHROTOXICITY_RISK', 'received 60,000 mg/m²', {}, { exposures: { agents: { ifosfamide: 60000 } } }, true],
  ];
  test.each(PLAN_ROWS.map(([flag, label, planned, o, on]) => [flag, label, on, planned, o] as const))('%s with %s: %s', (flag, _label, on, planned, o) => {
    const c = ctx({ nrsts: { arst0332RiskGroup: 'low', arst0332Arm: 'B' } });
    expect(raised(facts(o), planned, c).includes(flag)).toBe(on);
  });

  test.each<[string, Parameters<typeof flags>[2], Partial<CaseFacts>, FlagName[]]>([
    ['an unknown plan', null, {}, ['FERTILITY_PRESERVATION_INDICATED', 'CISPLATIN_OTOTOXICITY_MONITORING', 'ANTHRACYCLINE_CARDIAC_MONITORING', 'IFOSFAMIDE_NEPHROTOXICITY_RISK']],
    ['T-RMS-HR-INTENSIVE (ifosfamide total not given)', plannedExposure('T-RMS-HR-INTENSIVE'), RMS, ['IFOSFAMIDE_NEPHROTOXICITY_RISK']],
  ])('%s leaves plan-dependent flags undecided and names the planned totals as missing', (_label, planned, o, undecided) => {
    const d = flags(facts(o), ctx(), planned);
    expect(d.missing).toEqual(undecided.map((flag) => ({ field: 'plannedCumulativeMgM2', needed_for: `flags.${flag}` })));
  });

  test('an RMS with unknown metastases names them as missing for WHOLE_LUNG_RT', () => {
    expect(flags(facts({ ...RMS, metastases: undefined }), ctx(), {}).missing).toContainEqual({ field: 'metastases', needed_for: 'flags.WHOLE_LUNG_RT' });
  });

  test('a parameningeal RMS without head and neck facts names them as missing for MENINGEAL_IMPINGEMENT_EARLY_RT', () => {
    expect(flags(facts({ ...RMS, siteCategory: 'hn_parameningeal' }), ctx(), {}).missing.map((m) => m.field))
      .toEqual(['headNeck.intracranialExtension', 'headNeck.skullBaseErosion', 'headNeck.cranialNervePalsy']);
  });

  test('the DESIGN.md osteosarcoma example (male, 168 months, distal femur, T-OS-MAP) raises growth, fertility, cisplatin and anthracycline flags', () => {
    const f = facts({ morphology: '9180/3', topography: 'C40.2', siteCategory: 'bone_extremity', ageMonths: 168, metastases: ['lung'] });
    expect(raised(f, plannedExposure('T-OS-MAP'))).toEqual([
      'GROWTH_REMAINING_LIMB_SALVAGE_OPTIONS', 'FERTILITY_PRESERVATION_INDICATED', 'CISPLATIN_OTOTOXICITY_MONITORING', 'ANTHRACYCLINE_CARDIAC_MONITORING',
    ]);
  });

  test('the paratesticular flag carries the COG vs European disagreement', () => {
    const d = flags(facts({ ...RMS, siteCategory: 'gu_paratesticular', topography: 'C63.1', ageMonths: 150 }), ctx(), {});
    expect(d.explanations.find((e) => e.text.startsWith('PARATESTICULAR'))?.disagreement).toMatch(/European/);
  });
});

describe('platform flags', () => {
  const OS_ROWS: Array<[string, StagingContext['osteosarcoma'], boolean]> = [
    ['exactly 90% necrosis (good by Huvos, poor by EURAMOS)', { metastaticCategory: 'localized', huvosGrade: 'III', responseByNecrosis90: 'good', euramosResponse: 'poor' }, true],
    ['95% necrosis', { metastaticCategory: 'localized', huvosGrade: 'III', responseByNecrosis90: 'good', euramosResponse: 'good' }, false],
    ['no response yet', { metastaticCategory: 'localized', huvosGrade: null, responseByNecrosis90: null, euramosResponse: null }, false],
  ];
  test.each(OS_ROWS.map(([label, os, on]) => [label, on, os] as const))('OSTEOSARCOMA_RESPONSE_DISAGREEMENT_90 with %s: %s', (_label, on, osteosarcoma) => {
    const d = flags(facts({ morphology: '9180/3' }), ctx({ osteosarcoma }), {});
    expect(d.value?.includes('OSTEOSARCOMA_RESPONSE_DISAGREEMENT_90')).toBe(on);
    if (on) expect(d.explanations.find((e) => e.rules.includes('R-OS-RESP-90'))?.disagreement).toBeTruthy();
  });

  test.each([[71, false], [72, true], [167, true], [168, false]])('WLI_DOSE_PROTOCOL_DEPENDENT for Ewing lung metastases at %d months: %s', (ageMonths, on) => {
    expect(raised(facts({ ageMonths, metastases: ['lung'] })).includes('WLI_DOSE_PROTOCOL_DEPENDENT')).toBe(on);
  });

  test.each([['Ewing with an Enneking stage', '9260/3', 'IIB', true], ['Ewing without one', '9260/3', null, false], ['osteosarcoma', '9180/3', 'IIB', false]] as const)(
    'ENNEKING_CAVEAT_EWING for %s: %s', (_label, morphology, stage, on) => {
      const c = ctx({ enneking: stage === null ? null : { stage, substage: null } });
      expect(raised(facts({ morphology }), {}, c).includes('ENNEKING_CAVEAT_EWING')).toBe(on);
    });

  test('RMS_DNA_MUTATION_REGIMEN_UNVERIFIED is raised for the ARST2032 DNA-mutation category and marked unverified', () => {
    const d = flags(facts(RMS), ctx({ rms: rms({ arst2032Category: 'DNA_MUTATION' }) }), {});
    expect(d.value).toContain('RMS_DNA_MUTATION_REGIMEN_UNVERIFIED');
    expect(d.explanations.find((e) => e.text.startsWith('RMS_DNA'))?.unverified).toBe(true);
  });
});
