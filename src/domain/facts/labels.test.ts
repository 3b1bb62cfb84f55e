import { describe, expect, test } from 'vitest';
import { codeLabel } from './labels.js';

describe('field paths and outputs in words', () => {
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
    ['radiation.primaryGy', 'radiation to the primary (Gy)'],
    ['rms.cogRiskFusionBased', 'RMS COG risk fusion based'],
    ['survivorship.chestRtGy', 'survivorship chest RT Gy'],
  ])('%s reads "%s"', (code, words) => {
    expect(codeLabel(code)).toBe(words);
  });

});
