import type { Bundle, Observation, Resource } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, test } from 'vitest';
import { evalFhirPath } from '@medplum/core';
import { EXTENSIONS, OBSERVATION_CODES, PROFILES, SYSTEMS } from './profiles.js';
import { MCODE_RULES, errorsOf, validateBundle, validateFhirResource, validateLayer, warmUpValidators } from './validate.js';

const tumorSize = (): Observation => ({
  resourceType: 'Observation',
  id: 'obs-1',
  meta: { profile: [PROFILES.tumorSize] },
  status: 'final',
  code: { coding: [{ ...OBSERVATION_CODES.tumorSize }] },
  subject: { reference: 'Patient/pt-1' },
  focus: [{ reference: 'Condition/pcc-1' }],
  effectiveDateTime: '2026-01-05',
  component: [{ code: { coding: [{ ...OBSERVATION_CODES.tumorLongestDimension }] }, valueQuantity: { value: 7.5, system: SYSTEMS.ucum, code: 'cm', unit: 'cm' } }],
});

// Index the R4 definitions and compile the schema once, before the timed tests.
beforeAll(() => warmUpValidators(), 120_000);

describe('each validation layer catches what it should', () => {
  test('a well-formed TumorSize passes every layer', () => {
    expect(errorsOf(validateFhirResource(tumorSize()))).toEqual([]);
  });

  test('Medplum (base R4) catches a missing required element and names its path', () => {
    const { code: _code, ...broken } = tumorSize();
    const issues = errorsOf(validateLayer(broken as Resource, 'medplum'));
    expect(issues).toContainEqual(expect.objectContaining({ layer: 'medplum', path: 'Observation.code' }));
  });

  test('the R4 JSON schema catches a wrong primitive format that has the right JSON type', () => {
    const broken = { ...tumorSize(), effectiveDateTime: '05/01/2026' };
    const issues = errorsOf(validateLayer(broken, 'schema'));
    expect(issues).toContainEqual(expect.objectContaining({ layer: 'schema', path: 'Observation.effectiveDateTime' }));
  });

  test('the R4 JSON schema catches an element the resource does not have', () => {
    const broken = { ...tumorSize(), tumourColour: 'grey' } as unknown as Resource;
    expect(errorsOf(validateLayer(broken, 'schema'))).toContainEqual(expect.objectContaining({ path: 'Observation.tumourColour' }));
  });

  test('the mCODE rules catch a TumorSize without its longest dimension, which base R4 allows', () => {
    const broken = { ...tumorSize(), component: undefined };
    expect(errorsOf(validateLayer(broken, 'medplum'))).toEqual([]);
    expect(errorsOf(validateLayer(broken, 'schema'))).toEqual([]);
    expect(errorsOf(validateLayer(broken, 'mcode'))).toEqual([
      expect.objectContaining({ layer: 'mcode', path: 'Observation (longest-dimension)' }),
    ]);
  });

  test('the mCODE rules catch a computed stage that does not name its rule IDs', () => {
    const stage: Observation = {
      resourceType: 'Observation', id: 'obs-2', meta: { profile: [PROFILES.cancerStage] }, status: 'final',
      code: { coding: [{ ...OBSERVATION_CODES.cancerStage }] }, subject: { reference: 'Patient/pt-1' }, focus: [{ reference: 'Condition/pcc-1' }],
      effectiveDateTime: '2026-01-05', method: { coding: [{ system: SYSTEMS.tbStagingSystem, code: 'enneking' }] },
      valueCodeableConcept: { coding: [{ system: SYSTEMS.tbStaging, code: 'enneking:IIB' }] },
    };
    expect(errorsOf(validateLayer(stage, 'mcode')).map((i) => i.path)).toEqual(['Observation (rule-ids)']);
    const named = { ...stage, extension: [{ url: EXTENSIONS.ruleId, valueString: 'R-ENN' }] };
    expect(errorsOf(validateLayer(named, 'mcode'))).toEqual([]);
  });

  test('a resource without meta.profile is refused by the mCODE layer', () => {
    const { meta: _meta, ...bare } = tumorSize();
    expect(errorsOf(validateLayer(bare as Resource, 'mcode'))).toContainEqual(expect.objectContaining({ path: 'Observation.meta.profile' }));
  });

  test('a bundle reference that does not resolve inside the bundle is reported', () => {
    const bundle: Bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'http://x/fhir/R4/Observation/obs-1', resource: tumorSize() }] };
    const paths = errorsOf(validateBundle(bundle)).filter((i) => i.layer === 'bundle').map((i) => i.path);
    expect(paths).toEqual(['Observation.subject', 'Observation.focus[0]']);
  });

  test('every mCODE rule expression parses and evaluates (no typo hides as a pass)', () => {
    for (const [profile, rules] of Object.entries(MCODE_RULES)) {
      for (const rule of rules) {
        expect(() => evalFhirPath(rule.expression, { resourceType: 'Observation' }), `${profile} ${rule.key}`).not.toThrow();
      }
    }
  });
});
