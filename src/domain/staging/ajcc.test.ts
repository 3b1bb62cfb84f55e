import { describe, test, expect } from 'vitest';
import fc from 'fast-check';
import { METASTATIC_SITES, type CaseFacts, type MetastaticSite, type SiteCategory } from '../facts/case-facts.js';
import { icd10cm } from '../coding/icd10.js';
import { assessAjcc } from './ajcc.js';
import { assessEnneking } from './enneking.js';

function facts(morphology: string, topography: string, siteCategory: SiteCategory, over: Partial<CaseFacts> = {}): CaseFacts {
  return {
    ageMonths: 150, sex: 'female', morphology, topography, siteCategory, laterality: 'left', sizeCm: 6,
    regionalNodes: 'N0', metastases: [], grade: { fnclcc: 3 }, bone: { skipLesion: 'none' }, ...over,
  };
}

describe('AJCC system choice (assessAjcc)', () => {
  test.each([
    ['an osteosarcoma of the femur', '9180/3', 'C40.2', 'bone_extremity', 'AJCC8-bone-appendicular'],
    ['a chordoma of the sacrum', '9370/3', 'C41.4', 'bone_pelvis', 'AJCC8-bone-pelvis'],
    ['a Ewing sarcoma of a vertebra', '9260/3', 'C41.2', 'bone_spine', 'AJCC8-bone-spine'],
    ['a synovial sarcoma of the thigh', '9040/3', 'C49.2', 'soft_tissue_extremity', 'AJCC8-sts-trunk-extremity'],
    ['an extraosseous Ewing sarcoma of the chest wall soft tissue', '9260/3', 'C49.3', 'soft_tissue_trunk', 'AJCC8-sts-trunk-extremity'],
  ] as const)('%s is staged with %s', (_name, morphology, topography, siteCategory, scheme) => {
    expect(assessAjcc(facts(morphology, topography, siteCategory)).value?.scheme).toBe(scheme);
  });

  test.each([
    ['an embryonal RMS of the thigh', '8910/3', 'C49.2', 'soft_tissue_extremity', /IRS\/COG/],
    ['an alveolar RMS of bone', '8920/3', 'C40.2', 'bone_extremity', /IRS\/COG/],
    ['a benign osteochondroma', '9210/0', 'C40.2', 'bone_extremity', /not a primary malignant bone tumour/],
    ['a desmoid of the trunk', '8821/1', 'C49.6', 'soft_tissue_trunk', /not a malignant soft-tissue sarcoma/],
    ['a retroperitoneal DSRCT', '8806/3', 'C48.0', 'retroperitoneum_abdomen', /not trunk or extremity/],
    ['a bladder RMS', '8910/3', 'C67.9', 'gu_bladder_prostate', /IRS\/COG/],
  ] as const)('%s has no AJCC stage, with the reason', (_name, morphology, topography, siteCategory, why) => {
    const r = assessAjcc(facts(morphology, topography, siteCategory));
    expect(r.value).toBeNull();
    expect(r.missing).toEqual([]);
    expect(r.explanations[0]).toMatchObject({ output: 'ajcc', rules: ['R-AJCC-BONE', 'R-AJCC-STS'] });
    expect(r.explanations[0]?.text).toMatch(why);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Properties over generated cases: the rules never guess, and metastasis never lowers a stage.

const SITES: ReadonlyArray<readonly [string, SiteCategory]> = [
  ['C40.2', 'bone_extremity'], ['C40.0', 'bone_extremity'], ['C41.2', 'bone_spine'], ['C41.4', 'bone_pelvis'],
  ['C41.3', 'bone_chest_wall'], ['C41.9', 'bone_spine'], ['C49.2', 'soft_tissue_extremity'], ['C49.3', 'soft_tissue_trunk'],
  ['C49.0', 'hn_nonparameningeal'], ['C48.0', 'retroperitoneum_abdomen'], ['C69.6', 'hn_orbit'], ['C63.1', 'gu_paratesticular'],
];
const MORPHOLOGIES = [
  '9180/3', '9187/3', '9192/3', '9193/3', '9260/3', '9220/3', '9370/3', '9210/0', '9250/1', '9260/0', '8910/3',
  '8920/3', '9040/3', '8810/3', '8852/3', '8821/1', '9999/3',
];
const opt = { requiredKeys: [] as [] };

const caseArb: fc.Arbitrary<CaseFacts> = fc.record({
  morphology: fc.constantFrom(...MORPHOLOGIES),
  site: fc.constantFrom(...SITES),
  rest: fc.record({
    laterality: fc.constantFrom('left', 'right', 'bilateral', 'midline'),
    sizeCm: fc.constantFrom(2, 5, 5.1, 7.9, 8, 8.1, 10, 10.1, 15, 16),
    regionalNodes: fc.constantFrom('N0', 'N0', 'N0', 'N1', 'NX'),
    // Mostly localized, so the M0 stages (and what a metastasis does to them) are walked often.
    metastases: fc.oneof({ arbitrary: fc.constant([]), weight: 3 }, { arbitrary: fc.subarray([...METASTATIC_SITES]), weight: 1 }),
    metastaticSiteCount: fc.integer({ min: 0, max: 3 }),
    grade: fc.record({
      fnclcc: fc.constantFrom(1, 2, 3), pog: fc.constantFrom(1, 2, 3), twoTier: fc.constantFrom('low', 'high'),
    }, opt),
    bone: fc.record({
      extraosseousExtension: fc.boolean(),
      compartment: fc.constantFrom('intracompartmental', 'extracompartmental'),
      skipLesion: fc.constantFrom('none', 'none', 'none', 'same_bone', 'other_bone'),
      pelvicSegments: fc.integer({ min: 1, max: 4 }),
      vertebralSegments: fc.integer({ min: 1, max: 5 }),
      nonadjacentSegments: fc.boolean(),
      spinalCanalInvasion: fc.boolean(),
      greatVesselInvolvement: fc.boolean(),
      sacroiliacCrossing: fc.boolean(),
      radiographicBehavior: fc.constantFrom('latent', 'active', 'aggressive'),
    }, opt),
  }, opt),
}).map(({ morphology, site, rest }) => ({
  ageMonths: 150, sex: 'male', morphology, topography: site[0], siteCategory: site[1], ...rest,
}) as CaseFacts);

type Outputs = Record<string, string | null>;

function outputs(f: CaseFacts): Outputs {
  const e = assessEnneking(f).value;
  const a = assessAjcc(f).value;
  return {
    'enneking.stage': e?.stage ?? null, 'enneking.substage': e?.substage ?? null,
    'ajcc.T': a?.T ?? null, 'ajcc.N': a?.N ?? null, 'ajcc.M': a?.M ?? null, 'ajcc.grade': a?.grade ?? null,
    'ajcc.stageGroup': a?.stageGroup ?? null, icd10cm: icd10cm(f).value,
  };
}

/** Every optional fact present in `f`, as a function that returns a copy without it. */
function removals(f: CaseFacts): Array<[string, CaseFacts]> {
  const out: Array<[string, CaseFacts]> = [];
  for (const key of ['laterality', 'sizeCm', 'regionalNodes', 'metastases', 'metastaticSiteCount', 'grade', 'bone'] as const) {
    if (f[key] === undefined) continue;
    const { [key]: _gone, ...rest } = f;
    out.push([key, rest as CaseFacts]);
  }
  for (const key of Object.keys(f.grade ?? {})) {
    const { [key]: _gone, ...grade } = f.grade as Record<string, unknown>;
    out.push([`grade.${key}`, { ...f, grade } as CaseFacts]);
  }
  for (const key of Object.keys(f.bone ?? {})) {
    const { [key]: _gone, ...bone } = f.bone as Record<string, unknown>;
    out.push([`bone.${key}`, { ...f, bone } as CaseFacts]);
  }
  return out;
}

const ORDER: Record<string, readonly string[]> = {
  enneking: ['1', '2', '3', 'IA', 'IB', 'IIA', 'IIB', 'III'],
  bone: ['IA', 'IB', 'IIA', 'IIB', 'III', 'IVA', 'IVB'],
  sts: ['IA', 'IB', 'II', 'IIIA', 'IIIB', 'IV'],
};
const rank = (order: readonly string[], stage: string | null | undefined): number => (stage == null ? -1 : order.indexOf(stage));

describe('staging properties', () => {
  test('removing an optional fact never turns an output from null into a value', () => {
    fc.assert(fc.property(caseArb, (f) => {
      const before = outputs(f);
      for (const [removed, g] of removals(f)) {
        const after = outputs(g);
        for (const [key, value] of Object.entries(before)) {
          if (value === null && after[key] !== null) {
            throw new Error(`removing ${removed} turned ${key} from null into ${after[key]}`);
          }
        }
      }
    }), { numRuns: 3000 });
  });

  test('adding a metastasis never lowers a stage and never makes a known stage unknown', () => {
    fc.assert(fc.property(caseArb, fc.constantFrom<MetastaticSite>(...METASTATIC_SITES), (f, site) => {
      const g: CaseFacts = { ...f, metastases: [...new Set([...(f.metastases ?? []), site])] };
      const e0 = assessEnneking(f).value?.stage;
      const e1 = assessEnneking(g).value?.stage;
      if (e0 != null) expect(rank(ORDER.enneking!, e1)).toBeGreaterThanOrEqual(rank(ORDER.enneking!, e0));
      const a0 = assessAjcc(f).value;
      const a1 = assessAjcc(g).value;
      if (a0?.stageGroup != null) {
        const order = a0.scheme === 'AJCC8-sts-trunk-extremity' ? ORDER.sts! : ORDER.bone!;
        expect(rank(order, a1?.stageGroup)).toBeGreaterThanOrEqual(rank(order, a0.stageGroup));
      }
    }), { numRuns: 3000 });
  });

  test('every known output has an explanation for that output path, with a rule ID', () => {
    fc.assert(fc.property(caseArb, (f) => {
      const explained = [assessEnneking(f), assessAjcc(f), icd10cm(f)].flatMap((d) => d.explanations);
      for (const e of explained) expect(e.rules.length).toBeGreaterThan(0);
      for (const [key, value] of Object.entries(outputs(f))) {
        if (value !== null) expect(explained.some((e) => e.output === key), key).toBe(true);
      }
    }), { numRuns: 1000 });
  });
});
