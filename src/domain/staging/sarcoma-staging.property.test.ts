import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { METASTATIC_SITES, SITE_CATEGORIES, caseFactsSchema, type CaseFacts, type MetastaticSite } from '../facts/case-facts.js';
import { assessEwing } from './ewing.js';
import { assessNrsts } from './nrsts.js';
import { assessOsteosarcoma } from './osteosarcoma.js';
import { assessRms } from './rms.js';

/**
 * Properties every staging output keeps (rules.md §0, DESIGN §4): never throws on schema-valid facts; removing an
 * optional fact never turns a null output into a value (except where a rule ranks sources, listed in
 * PRECEDENCE_EXCEPTIONS); adding a metastasis never lowers a stage or risk group.
 */

const MORPHOLOGIES = [
  '8900/3', '8901/3', '8902/3', '8910/3', '8912/3', '8920/3', '8921/3', '9260/3', '9364/3', '9180/3', '9187/3', '9192/3',
  '9193/3', '9040/3', '8810/3', '8814/3', '8852/3', '9581/3', '8830/3', '9999/3',
];
const opt = <T>(a: fc.Arbitrary<T>) => a;
const bool = fc.boolean();
const mutation = fc.constantFrom('wild_type', 'mutated', 'unknown');

const arbFacts: fc.Arbitrary<CaseFacts> = fc.record({
  ageMonths: fc.oneof(fc.constantFrom(0, 11, 12, 23, 24, 59, 60, 119, 120, 121, 179, 180, 252, 253), fc.integer({ min: 0, max: 400 })),
  sex: fc.constantFrom('male', 'female'),
  morphology: fc.constantFrom(...MORPHOLOGIES),
  topography: fc.constant('C49.2'),
  siteCategory: fc.constantFrom(...SITE_CATEGORIES),
  sizeCm: opt(fc.oneof(fc.constantFrom(0.5, 4.9, 5, 5.1, 8, 10, 15.1), fc.double({ min: 0.1, max: 40, noNaN: true }))),
  invasiveness: fc.constantFrom('T1', 'T2'),
  regionalNodes: fc.constantFrom('N0', 'N1', 'NX'),
  metastases: fc.uniqueArray(fc.constantFrom(...METASTATIC_SITES), { maxLength: 4 }),
  metastaticSiteCount: fc.integer({ min: 0, max: 6 }),
  grade: fc.record({ fnclcc: fc.constantFrom(1, 2, 3), pog: fc.constantFrom(1, 2, 3), twoTier: fc.constantFrom('low', 'high') }, { requiredKeys: [] }),
  surgery: fc.record({
    status: fc.constantFrom('none', 'biopsy', 'resected'), margin: fc.constantFrom('R0', 'R1', 'R2'), nodesSampled: bool,
    nodesPositive: bool, mostDistalNodePositive: bool, closeMarginLt5mm: bool,
  }, { requiredKeys: [] }),
  molecular: fc.record({ foxo1Fusion: fc.constantFrom('positive', 'negative', 'unknown'), myod1: mutation, tp53: mutation }, { requiredKeys: [] }),
  headNeck: fc.record({ intracranialExtension: bool, skullBaseErosion: bool, cranialNervePalsy: bool, boneErosion: bool }, { requiredKeys: [] }),
  histologicResponse: fc.record({ necrosisPercent: fc.oneof(fc.constantFrom(0, 49, 50, 89, 90, 99, 100), fc.double({ min: 0, max: 100, noNaN: true })) }, { requiredKeys: [] }),
}, { requiredKeys: ['ageMonths', 'sex', 'morphology', 'topography', 'siteCategory'] })
  .map((raw) => caseFactsSchema.parse(raw));

/** Every staging output of the four systems, flattened to `system.field`. */
function outputs(f: CaseFacts): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const systems = { rms: assessRms(f).value, ewing: assessEwing(f).value, osteosarcoma: assessOsteosarcoma(f).value, nrsts: assessNrsts(f).value };
  for (const [system, value] of Object.entries(systems)) {
    if (value === null) continue;
    for (const [k, v] of Object.entries(value)) out[`${system}.${k}`] = v;
  }
  return out;
}

const NESTED = ['surgery', 'molecular', 'grade', 'headNeck', 'histologicResponse'] as const;

/** Each fact that can be removed: a top-level optional key, or one key inside a nested object. */
function removals(f: CaseFacts): Array<{ path: string; facts: CaseFacts }> {
  const required = new Set(['ageMonths', 'sex', 'morphology', 'topography', 'siteCategory']);
  const result: Array<{ path: string; facts: CaseFacts }> = [];
  for (const key of Object.keys(f) as (keyof CaseFacts)[]) {
    if (required.has(key)) continue;
    const { [key]: _removed, ...rest } = f;
    result.push({ path: key, facts: rest as CaseFacts });
    if ((NESTED as readonly string[]).includes(key)) {
      const inner = f[key] as Record<string, unknown>;
      for (const k of Object.keys(inner)) {
        const { [k]: _gone, ...innerRest } = inner;
        result.push({ path: `${key}.${k}`, facts: { ...f, [key]: innerRest } as CaseFacts });
      }
    }
  }
  return result;
}

/**
 * Where a rule ranks sources, removing the higher-ranked fact falls back to the next one, which can decide an
 * output the higher-ranked fact left open. These are rule-mandated fallbacks, not guesses from absence:
 * - rms.*: sampled-node pathology (`surgery.nodesPositive`) outranks the clinical N category for the clinical
 *   group (R-RMS-GROUP); positive nodes after R0 then need `surgery.mostDistalNodePositive` (IIB vs IIC), and
 *   node-positive group II leaves lowRiskSubset unset ([D] rules.md §1.4.3), while clinical N0 alone gives group I.
 *   The group feeds the risk outputs.
 * - nrsts.*: R-NRSTS-GRADE ranks POG over FNCLCC over two-tier; a high POG grade may need the size while a low
 *   FNCLCC/two-tier grade does not.
 */
const PRECEDENCE_EXCEPTIONS: Record<string, readonly string[]> = {
  rms: ['surgery.nodesPositive'],
  nrsts: ['grade.pog', 'grade.fnclcc'],
};

const ORDER: Record<string, readonly unknown[]> = {
  'rms.stage': [1, 2, 3, 4],
  'rms.clinicalGroup': ['I', 'IIA', 'IIB', 'IIC', 'III', 'IV'],
  'rms.cogRiskHistologyBased': ['low', 'intermediate', 'high'],
  'rms.cogRiskFusionBased': ['low', 'intermediate', 'high'],
  'rms.arst2032Category': ['VLR', 'LR', 'DNA_MUTATION', 'NOT_VLR_OR_LR'],
  'rms.oberlinCategory': ['0-1', '>=2'],
  'ewing.metastaticCategory': ['localized', 'metastatic_lung_pleura_only', 'metastatic_other', 'metastatic_bone_or_marrow'],
  'osteosarcoma.metastaticCategory': ['localized', 'metastatic_lung_only', 'metastatic_extrapulmonary'],
  'nrsts.arst0332RiskGroup': ['low', 'intermediate', 'high'],
};

const RUNS = { numRuns: 3000 };

describe('staging properties (RMS, Ewing, osteosarcoma, NRSTS)', () => {
  test('no schema-valid facts make any assessor throw, and every output is JSON', () => {
    fc.assert(fc.property(arbFacts, (f) => {
      for (const d of [assessRms(f), assessEwing(f), assessOsteosarcoma(f), assessNrsts(f)]) {
        expect(JSON.parse(JSON.stringify(d))).toEqual(d);
        for (const e of d.explanations) expect(e.rules.length).toBeGreaterThan(0);
      }
    }), RUNS);
  });

  test('removing an optional fact never turns a null output into a value', () => {
    fc.assert(fc.property(arbFacts, (f) => {
      const before = outputs(f);
      for (const { path, facts } of removals(f)) {
        const after = outputs(facts);
        for (const [k, v] of Object.entries(before)) {
          if (v !== null || after[k] === null) continue;
          if (PRECEDENCE_EXCEPTIONS[k.split('.')[0] ?? '']?.includes(path)) continue;
          throw new Error(`removing ${path} turned ${k} from null into ${String(after[k])}`);
        }
      }
    }), RUNS);
  });

  test('adding a metastasis never lowers a stage, group or risk', () => {
    fc.assert(fc.property(arbFacts, fc.constantFrom(...METASTATIC_SITES), (f, site: MetastaticSite) => {
      const before = outputs(f);
      const after = outputs({ ...f, metastases: [...new Set([...(f.metastases ?? []), site])] });
      for (const [k, order] of Object.entries(ORDER)) {
        const a = before[k];
        const b = after[k];
        if (a === null || a === undefined || b === null || b === undefined) continue;
        if (order.indexOf(b) < order.indexOf(a)) throw new Error(`adding ${site} lowered ${k} from ${String(a)} to ${String(b)}`);
      }
    }), RUNS);
  });
});
