import { describe, expect, test } from 'vitest';
import { CORE_FLAGS, PLATFORM_FLAGS } from '../../../src/domain/plan/flags.js';
import { ajccSchemeLabel, FLAG_LABELS, flagLabel } from './clinicalLabels.js';

describe('words for the rules engine codes', () => {
  test('every flag the engine can raise has its own label', () => {
    for (const f of [...CORE_FLAGS, ...PLATFORM_FLAGS]) expect(FLAG_LABELS[f], f).toMatch(/^[A-Z]/);
    expect(flagLabel('SPINE_CORD_RISK')).toBe('Spinal cord at risk');
    expect(flagLabel('SOME_NEW_FLAG')).toBe('Some new flag');
  });

  test('the AJCC chapter is named in words, and an unknown one stays readable', () => {
    expect(ajccSchemeLabel('AJCC8-sts-trunk-extremity')).toBe('soft tissue sarcoma, trunk and extremities');
    expect(ajccSchemeLabel('AJCC8-bone-skull')).toBe('bone skull');
    expect(ajccSchemeLabel(null)).toBe('scheme unknown');
  });
});
