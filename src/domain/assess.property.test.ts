import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { assess, assessFacts } from './assess.js';
import { lookupMorphology } from './coding/morphology.js';
import type { Assessment } from './facts/assessment.js';
import { arbCaseFacts } from './facts/arbitrary.js';
import { METASTATIC_SITES, type CaseFacts, type MetastaticSite } from './facts/case-facts.js';
import { PENDING_RULE_IDS, isRuleId } from './rules/rule-ids.js';

/**
 * Properties of the whole engine (DESIGN.md §4, rules.md §0): it never throws, it is deterministic, it cites only
 * rules.md IDs, a missing fact never produces a value, and a metastasis never lowers a stage or risk group.
 * Run sizes keep this file to a few seconds on a 2-core machine.
 */

const REQUIRED = new Set(['ageMonths', 'sex', 'morphology', 'topography', 'siteCategory']);
const NESTED = new Set(['bone', 'grade', 'surgery', 'molecular', 'headNeck', 'histologicResponse', 'labs', 'exposures', 'performance']);

/** Each fact that can be removed: an optional top-level key, or one key inside a nested object. */
function removals(f: CaseFacts): Array<{ path: string; facts: CaseFacts }> {
  const out: Array<{ path: string; facts: CaseFacts }> = [];
  for (const key of Object.keys(f) as Array<keyof CaseFacts>) {
    if (REQUIRED.has(key)) continue;
    const { [key]: _removed, ...rest } = f;
    out.push({ path: key, facts: rest as CaseFacts });
    const inner = f[key];
    if (NESTED.has(key) && inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
      for (const k of Object.keys(inner)) {
        const { [k]: _gone, ...innerRest } = inner as Record<string, unknown>;
        out.push({ path: `${key}.${k}`, facts: { ...f, [key]: innerRest } as CaseFacts });
      }
    }
  }
  return out;
}

/** Every single-valued output, flattened to its dotted path (the arrays are never null). */
function outputs(a: Assessment): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const system of ['enneking', 'ajcc', 'rms', 'ewing', 'osteosarcoma', 'nrsts'] as const) {
    const value = a[system];
    if (value !== null) for (const [k, v] of Object.entries(value)) out[`${system}.${k}`] = v;
  }
  out.treatmentTemplate = a.treatmentTemplate;
  out.plannedCumulativeMgM2 = a.plannedCumulativeMgM2;
  out.cedMgM2 = a.cedMgM2;
  out.doxorubicinEquivalentMgM2 = a.doxorubicinEquivalentMgM2;
  out.echoFrequency = a.echoFrequency;
  out['radiation.primaryGy'] = a.radiation?.primaryGy ?? null;
  out['radiation.wholeLungGy'] = a.radiation?.wholeLungGy ?? null;
  out.icd10cm = a.icd10cm;
  out['survivorship.cedMgM2'] = a.survivorship?.cedMgM2 ?? null;
  out['survivorship.doxorubicinEquivalentMgM2'] = a.survivorship?.doxorubicinEquivalentMgM2 ?? null;
  out['survivorship.echoFrequency'] = a.survivorship?.echoFrequency ?? null;
  return out;
}

/**
 * Where a rule ranks sources, removing the higher-ranked fact falls back to the next one, which can decide an output
 * the higher-ranked fact left open. The same list as PRECEDENCE_EXCEPTIONS in
 * staging/sarcoma-staging.property.test.ts (the RMS author's), for the same reasons:
 * - rms: sampled-node pathology (`surgery.nodesPositive`) outranks the clinical N category for the clinical group
 *   (R-RMS-GROUP); node-positive after R0 then needs `surgery.mostDistalNodePositive` (IIB vs IIC), and
 *   node-positive group II leaves lowRiskSubset unset ([D] rules.md §1.4.3), while clinical N0 alone gives group I.
 * - nrsts: R-NRSTS-GRADE ranks POG over FNCLCC over two-tier; a high POG grade may need the size while a low
 *   FNCLCC or two-tier grade does not.
 * Here the plan is downstream of staging, so an exception of the tumour's own system also covers the outputs that
 * read it: the template and everything planned from it.
 */
const PRECEDENCE_EXCEPTIONS: Record<string, readonly string[]> = {
  rms: ['surgery.nodesPositive'],
  nrsts: ['grade.pog', 'grade.fnclcc'],
};

/**
 * Facts whose presence rules a system out rather than feeding it, so that removing them can only open it up: a
 * recorded relapse, refractory or progressive disease takes the case out of the front-line templates of rules.md §2
 * (selectTemplate), and without `diseaseStatus` the case facts describe the tumour at diagnosis. Not a guess from
 * absence: the facts are read as a newly diagnosed case, as DESIGN.md §4 describes them.
 */
const SCOPE_FACTS: Record<string, readonly string[]> = {
  plan: ['diseaseStatus'],
};

const PLAN_OUTPUTS = new Set([
  'treatmentTemplate', 'plannedCumulativeMgM2', 'cedMgM2', 'doxorubicinEquivalentMgM2', 'echoFrequency',
  'radiation.primaryGy', 'radiation.wholeLungGy',
]);

const FAMILY_SYSTEM: Record<string, string> = { rhabdomyosarcoma: 'rms', nrsts: 'nrsts' };

function excepted(output: string, removedPath: string, f: CaseFacts): boolean {
  const system = output.split('.')[0]!;
  if (PRECEDENCE_EXCEPTIONS[system]?.includes(removedPath)) return true;
  if (!PLAN_OUTPUTS.has(output)) return false;
  if (SCOPE_FACTS.plan!.includes(removedPath)) return true;
  const own = FAMILY_SYSTEM[lookupMorphology(f.morphology)?.family ?? ''];
  return own !== undefined && (PRECEDENCE_EXCEPTIONS[own]?.includes(removedPath) ?? false);
}

/** Stage and risk orders, lowest first (a metastasis may only move right). */
const ORDER: Record<string, readonly unknown[]> = {
  // AJCC bone (IA IB IIA IIB III IVA IVB) and soft tissue (IA IB II IIIA IIIB IV) merged: each is in order within it.
  'ajcc.stageGroup': ['IA', 'IB', 'II', 'IIA', 'IIB', 'III', 'IIIA', 'IIIB', 'IV', 'IVA', 'IVB'],
  'ajcc.M': ['M0', 'M1a', 'M1', 'M1b'],
  'enneking.stage': ['IA', 'IB', 'IIA', 'IIB', 'III'],
  'rms.stage': [1, 2, 3, 4],
  'rms.clinicalGroup': ['I', 'IIA', 'IIB', 'IIC', 'III', 'IV'],
  'rms.cogRiskHistologyBased': ['low', 'intermediate', 'high'],
  'rms.cogRiskFusionBased': ['low', 'intermediate', 'high'],
  'rms.oberlinCategory': ['0-1', '>=2'],
  'ewing.metastaticCategory': ['localized', 'metastatic_lung_pleura_only', 'metastatic_other', 'metastatic_bone_or_marrow'],
  'osteosarcoma.metastaticCategory': ['localized', 'metastatic_lung_only', 'metastatic_extrapulmonary'],
  'nrsts.arst0332RiskGroup': ['low', 'intermediate', 'high'],
};

function withMetastasis(f: CaseFacts, site: MetastaticSite): CaseFacts {
  const metastases = [...new Set([...(f.metastases ?? []), site])];
  const g: CaseFacts = { ...f, metastases };
  if (f.metastaticSiteCount !== undefined) g.metastaticSiteCount = Math.max(f.metastaticSiteCount, metastases.length);
  return g;
}

function valid(f: CaseFacts): Assessment {
  const r = assess(f);
  if (!r.ok) throw new Error(`generated facts rejected: ${JSON.stringify(r.errors)} for ${JSON.stringify(f)}`);
  return r.assessment;
}

describe('assess on any input', () => {
  test('never throws on arbitrary values, and rejects every non-object with an error on (facts)', () => {
    fc.assert(fc.property(fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true }), (x) => {
      const r = assess(x);
      if (x === null || typeof x !== 'object' || Array.isArray(x)) expect(r).toMatchObject({ ok: false, errors: [{ field: '(facts)' }] });
      if (!r.ok) for (const e of r.errors) expect(typeof e.field).toBe('string');
    }), { numRuns: 1500 });
  });

  test('never throws on objects shaped like case facts with wrong values in them', () => {
    const wrong = fc.oneof(fc.anything(), fc.double(), fc.string(), fc.constant(undefined));
    fc.assert(fc.property(arbCaseFacts, fc.dictionary(fc.constantFrom(
      'ageMonths', 'sex', 'morphology', 'topography', 'siteCategory', 'sizeCm', 'bone', 'metastases', 'metastaticSiteCount',
      'grade', 'surgery', 'molecular', 'exposures', 'labs', 'headNeck', 'priorTherapy', 'performance', 'unknownKey',
    ), wrong, { maxKeys: 3 }), (f, patch) => {
      const r = assess({ ...f, ...patch });
      if (!r.ok) expect(r.errors.length).toBeGreaterThan(0);
    }), { numRuns: 400 });
  });

  test('accepts every generated case, with the arrays always present', () => {
    fc.assert(fc.property(arbCaseFacts, (f) => {
      const a = valid(f);
      for (const k of ['flags', 'siteSpecificDisciplines', 'conferenceDisciplines', 'fertilityOptions', 'missing', 'explanations'] as const) {
        expect(Array.isArray(a[k])).toBe(true);
      }
    }), { numRuns: 400 });
  });
});

describe('the assessment of valid facts', () => {
  test('is deterministic and survives a JSON round trip', () => {
    fc.assert(fc.property(arbCaseFacts, (f) => {
      const a = valid(f);
      expect(assess(structuredClone(f))).toEqual({ ok: true, assessment: a });
      expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    }), { numRuns: 300 });
  });

  test('cites in every explanation at least one rule, each a rules.md rule or template ID', () => {
    fc.assert(fc.property(arbCaseFacts, (f) => {
      for (const e of valid(f).explanations) {
        if (e.rules.length === 0) throw new Error(`${e.output} has no rule: ${e.text}`);
        for (const id of e.rules) {
          if (!isRuleId(id) && !(id in PENDING_RULE_IDS)) throw new Error(`${e.output} cites ${id}, which rules.md does not define`);
        }
      }
    }), { numRuns: 600 });
  });

  test('lists each missing fact once', () => {
    fc.assert(fc.property(arbCaseFacts, (f) => {
      const keys = valid(f).missing.map((m) => `${m.field}\u0000${m.needed_for}`);
      expect(new Set(keys).size).toBe(keys.length);
    }), { numRuns: 300 });
  });

  test('removing an optional fact never turns an output from null into a value (rule-ranked fallbacks aside)', () => {
    fc.assert(fc.property(arbCaseFacts, (f) => {
      const before = outputs(assessFacts(f));
      for (const { path, facts } of removals(f)) {
        const after = outputs(assessFacts(facts));
        for (const [k, v] of Object.entries(before)) {
          if (v !== null || after[k] === null || after[k] === undefined) continue;
          if (excepted(k, path, f)) continue;
          throw new Error(`removing ${path} turned ${k} from null into ${JSON.stringify(after[k])}`);
        }
      }
    }), { numRuns: 250 });
  });

  test('adding a metastasis never lowers a stage, group, risk or metastatic category', () => {
    fc.assert(fc.property(arbCaseFacts, fc.constantFrom(...METASTATIC_SITES), (f, site) => {
      const before = outputs(valid(f));
      const after = outputs(valid(withMetastasis(f, site)));
      for (const [k, order] of Object.entries(ORDER)) {
        const a = before[k];
        const b = after[k];
        if (a === null || a === undefined || b === null || b === undefined) continue;
        if (order.indexOf(b) < order.indexOf(a)) throw new Error(`adding ${site} lowered ${k} from ${String(a)} to ${String(b)}`);
      }
    }), { numRuns: 600 });
  });
});
