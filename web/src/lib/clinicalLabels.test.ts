import { describe, expect, test } from 'vitest';
import { CORE_FLAGS, PLATFORM_FLAGS } from '../../../src/domain/plan/flags.js';
import { ajccSchemeLabel, codeLabel, FLAG_LABELS, flagLabel } from './clinicalLabels.js';

describe('words for the rules engine codes', () => {
  test('every flag the engine can raise has its own label', () => {
    for (const f of [...CORE_FLAGS, ...PLATFORM_FLAGS]) expect(FLAG_LABELS[f], f).toMatch(/^[A-Z]/);
    expect(flagLabel('SPINE_CORD_RISK')).toBe('Spinal cord at risk');
    expect(flagLabel('SOME_NEW_FLAG')).toBe('Some new flag');
  });

  test.each([
    ['bone.compartment', 'bone compartment (intra- or extracompartmental)'],
    ['enneking.stage', 'Enneking stage'],
    ['nrsts.arst0332RiskGroup', 'NRSTS ARST0332 risk group'],
    ['rms.arst2032Category', 'RMS ARST2032 category'],
    ['ajcc.T', 'AJCC T'],
    ['survivorship.cedMgM2', 'survivorship CED mg/m²'],
    ['exposures.radiation[0].breastInField', 'exposures radiation 1 breast in field'],
    ['molecular.foxo1Fusion', 'molecular FOXO1 fusion'],
    ['nrsts_arm_D_preop_rt_boost_after_surgery', 'NRSTS arm D preop RT boost after surgery'],
    ['rms_group_III_orbit', 'RMS group III orbit'],
    ['rms_group_II_n0', 'RMS group II N0'],
    ['ewing_postop_microscopic_residual', 'Ewing postop microscopic residual'],
  ])('%s reads "%s"', (code, words) => {
    expect(codeLabel(code)).toBe(words);
  });

  test('the AJCC chapter is named in words, and an unknown one stays readable', () => {
    expect(ajccSchemeLabel('AJCC8-sts-trunk-extremity')).toBe('soft tissue sarcoma, trunk and extremities');
    expect(ajccSchemeLabel('AJCC8-bone-skull')).toBe('bone skull');
    expect(ajccSchemeLabel(null)).toBe('scheme unknown');
  });
});
