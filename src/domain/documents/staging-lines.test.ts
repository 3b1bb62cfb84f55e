import { describe, expect, test } from 'vitest';
import { assess } from '../assess.js';
import { stagingLines } from './staging-lines.js';

function assessed(facts: object) {
  const r = assess(facts);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.assessment;
}

describe('staging lines of a letter', () => {
  test('an osteosarcoma of the femur gets Enneking and AJCC lines, each naming its system and rule IDs', () => {
    const lines = stagingLines(assessed({ ageMonths: 168, sex: 'male', morphology: '9180/3', topography: 'C40.2', siteCategory: 'bone_extremity', sizeCm: 7.5, bone: { skipLesion: 'none', compartment: 'extracompartmental' }, regionalNodes: 'N0', metastases: [] }));
    const ajcc = lines.find((l) => l.kind === 'ajcc_stage')!;
    expect(ajcc.value).toBe('IIA');
    expect(ajcc.system).toMatch(/AJCC 8th edition/);
    expect(ajcc.rules.length).toBeGreaterThan(0);
    expect(lines.find((l) => l.kind === 'enneking_stage')!.rules.every((r) => r.startsWith('R-'))).toBe(true);
    expect(lines.some((l) => l.kind === 'cog_risk_group')).toBe(false);
  });

  test('a rhabdomyosarcoma without its fusion status keeps the risk group unknown instead of guessing', () => {
    const lines = stagingLines(assessed({ ageMonths: 60, sex: 'female', morphology: '8910/3', topography: 'C69.6', siteCategory: 'hn_orbit', sizeCm: 3, invasiveness: 'T1', regionalNodes: 'N0', metastases: [], surgery: { status: 'biopsy' } }));
    const risk = lines.find((l) => l.kind === 'cog_risk_group')!;
    expect(risk.value).toBeNull();
    expect(lines.find((l) => l.kind === 'rms_stage')!.value).toBe('1');
  });
});
