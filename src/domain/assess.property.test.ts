import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { assess, assessFacts } from './assess.js';
import { FAIL, parseFast } from './assess-validate.js';
import { fmt } from './plan/context.js';
import { lookupMorphology } from './coding/morphology.js';
import type { Assessment } from './facts/assessment.js';
import { arbCaseFacts } from './facts/arbitrary.js';
import { METASTATIC_SITES, caseFactsSchema, type CaseFacts, type MetastaticSite } from './facts/case-facts.js';
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
    }), { numRuns: 500 });
  });

  test('cites in every explanation at least one rule, each a rules.md rule or template ID', () => {
    fc.assert(fc.property(arbCaseFacts, (f) => {
      for (const e of valid(f).explanations) {
        if (e.rules.length === 0) throw new Error(`${e.output} has no rule: ${e.text}`);
        for (const id of e.rules) {
          if (!isRuleId(id) && !(id in PENDING_RULE_IDS)) throw new Error(`${e.output} cites ${id}, which rules.md does not define`);
        }
      }
    }), { numRuns: 1500 });
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
    }), { numRuns: 1000 });
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
    }), { numRuns: 1500 });
  });
});

/** Every object and array reachable from a value. */
function objectsIn(value: unknown, into = new Set<object>()): Set<object> {
  if (value !== null && typeof value === 'object' && !into.has(value)) {
    into.add(value);
    for (const v of Object.values(value)) objectsIn(v, into);
  }
  return into;
}

function deepFreeze<T>(value: T): T {
  for (const o of objectsIn(value)) Object.freeze(o);
  return value;
}

/** Values around the schema's bounds and types, for probing the validators. */
const probe = fc.oneof(
  fc.anything(), fc.double(), fc.integer({ min: -2, max: 8 }), fc.string({ maxLength: 3 }), fc.constant(undefined), fc.constant(null),
  fc.constantFrom(-0.5, -1e-9, 0, 0.5, 1.5, 4.5, 99.99, 100, 100.000001, 101, 1439.5, 1440, 1440.000001, 1441, 2 ** 53, Infinity, NaN),
  fc.constantFrom('', 'x'.repeat(41), 'x'.repeat(61), 'x'.repeat(201), '9180/3', '9180/33', 'C40.2', 'C40.22', 'lung', 'R1', 'high'),
);

const TOP_KEYS = [
  'ageMonths', 'sex', 'pubertalStatus', 'morphology', 'topography', 'siteCategory', 'primarySite', 'laterality', 'sizeCm',
  'depth', 'bone', 'invasiveness', 'regionalNodes', 'metastases', 'metastaticSiteCount', 'grade', 'surgery', 'molecular',
  'headNeck', 'histologicResponse', 'diseaseStatus', 'performance', 'labs', 'priorTherapy', 'enrolledStudies', 'exposures',
  'unknownKey', '__proto__',
] as const;
const NESTED_KEYS: ReadonlyArray<readonly [string, string]> = [
  ['bone', 'pelvicSegments'], ['bone', 'vertebralSegments'], ['bone', 'skipLesion'], ['bone', 'extra'], ['grade', 'fnclcc'],
  ['grade', 'pog'], ['surgery', 'margin'], ['molecular', 'fusionPartner'], ['histologicResponse', 'necrosisPercent'],
  ['performance', 'value'], ['performance', 'scale'], ['labs', 'anc'], ['labs', 'ejectionFractionPct'],
  ['exposures', 'ageAtTreatmentMonths'], ['exposures', 'agents'], ['exposures', 'radiation'], ['headNeck', 'boneErosion'],
];

/** A value shaped like case facts with a top-level field and a nested field replaced by probes (most are invalid). */
const nearlyFacts = fc.tuple(arbCaseFacts, fc.constantFrom(...TOP_KEYS), probe, fc.constantFrom(...NESTED_KEYS), probe, fc.boolean())
  .map(([f, key, value, [outer, inner], nestedValue, both]) => {
    const x: Record<string, unknown> = { ...f };
    if (both) Object.defineProperty(x, key, { value, enumerable: true, writable: true, configurable: true });
    const o = x[outer];
    x[outer] = { ...(o !== null && typeof o === 'object' ? o : {}), [inner]: nestedValue };
    return x as unknown;
  });

describe('the fast validation path (compiled from the zod schema)', () => {
  test('accepts nothing zod rejects, and gives the same assessment as the zod-parsed facts', () => {
    fc.assert(fc.property(fc.oneof({ arbitrary: nearlyFacts, weight: 4 }, { arbitrary: fc.anything(), weight: 1 }), (x) => {
      const fast = parseFast(x);
      if (fast === FAIL) return;
      const parsed = caseFactsSchema.safeParse(x);
      if (!parsed.success) throw new Error(`fast path accepted what zod rejects: ${JSON.stringify(parsed.error.issues[0])}`);
      expect(assessFacts(fast)).toEqual(assessFacts(parsed.data));
    }), { numRuns: 1000 });
  });

  const BASE = { ageMonths: 120, sex: 'male', morphology: '9180/3', topography: 'C40.2', siteCategory: 'bone_extremity' };
  const proto = JSON.parse('{"__proto__": 5}') as unknown;
  const sparse: unknown[] = ['lung'];
  sparse[2] = 'bone';
  test.each<[string, Record<string, unknown>]>([
    ['age below 0', { ageMonths: -0.5 }], ['age above 1440', { ageMonths: 1440.5 }], ['age NaN', { ageMonths: Number.NaN }],
    ['age infinite', { ageMonths: Infinity }], ['age as text', { ageMonths: '120' }], ['size 0', { sizeCm: 0 }],
    ['size above 100', { sizeCm: 100.5 }], ['fractional site count', { metastaticSiteCount: 1.5 }],
    ['site count above 100', { metastaticSiteCount: 101 }], ['0 pelvic segments', { bone: { pelvicSegments: 0 } }],
    ['5 pelvic segments', { bone: { pelvicSegments: 5 } }], ['fractional vertebral segments', { bone: { vertebralSegments: 2.5 } }],
    ['an unsafe integer site count', { metastaticSiteCount: 2 ** 53 }],
    ['a morphology with two behaviour digits', { morphology: '9180/33' }], ['a topography with two subsite digits', { topography: 'C40.22' }],
    ['a 201-character primary site', { primarySite: 'x'.repeat(201) }], ['a 41-character fusion partner', { molecular: { fusionPartner: 'x'.repeat(41) } }],
    ['nine metastases', { metastases: Array(9).fill('lung') }], ['an unknown metastatic site', { metastases: ['moon'] }],
    ['a sparse metastases list', { metastases: sparse }], ['a 41-character agent name', { exposures: { agents: { ['x'.repeat(41)]: 1 } } }],
    ['a negative agent dose', { exposures: { agents: { doxorubicin: -1 } } }],
    ['FNCLCC grade 4', { grade: { fnclcc: 4 } }], ['FNCLCC grade as text', { grade: { fnclcc: '3' } }],
    ['a performance score without value', { performance: { scale: 'lansky' } }], ['a negative ANC', { labs: { anc: -1 } }],
    ['51 prior therapies', { priorTherapy: Array(51).fill({ kind: 'surgery' }) }], ['an unknown key', { tumourVolumeMl: 200 }],
    ['an unknown key inside surgery', { surgery: { status: 'resected', approach: 'open' } }], ['a __proto__ key', proto as Record<string, unknown>],
  ])('rejects %s on both paths', (_name, patch) => {
    const x = { ...BASE, ...patch };
    expect(parseFast(x)).toBe(FAIL);
    expect(caseFactsSchema.safeParse(x).success).toBe(false);
  });

  test('leaves an agent named __proto__ to zod (which drops it), never copying it', () => {
    const x = { ...BASE, exposures: { agents: proto } };
    expect(parseFast(x)).toBe(FAIL);
    expect(assess(x).ok).toBe(true);
  });

  test.each<[string, unknown]>([
    ['a null lab value', { ...BASE, labs: { anc: null } }],
    ['boundary values', { ...BASE, ageMonths: 1440, sizeCm: 100, metastaticSiteCount: 100, bone: { pelvicSegments: 4 }, histologicResponse: { necrosisPercent: 100 } }],
    ['an object without a prototype', Object.assign(Object.create(null) as object, BASE)],
  ])('accepts %s on both paths', (_name, x) => {
    expect(parseFast(x)).toBe(x);
    expect(caseFactsSchema.safeParse(x).success).toBe(true);
  });

  test('takes every generated valid case (so it is the path real input takes)', () => {
    fc.assert(fc.property(arbCaseFacts, (f) => {
      expect(parseFast(f)).toBe(f);
      expect(parseFast(JSON.parse(JSON.stringify(f)))).not.toBe(FAIL);
    }), { numRuns: 300 });
  });

  test('leaves the facts unchanged and shares no object with them (they are used as given)', () => {
    fc.assert(fc.property(arbCaseFacts, (f) => {
      const before = JSON.stringify(f);
      const a = valid(deepFreeze(structuredClone(f)));
      expect(JSON.stringify(f)).toBe(before);
      expect(a).toEqual(valid(f));
      const inputs = objectsIn(f);
      for (const o of objectsIn(a)) if (inputs.has(o)) throw new Error(`output shares ${JSON.stringify(o)} with the input`);
    }), { numRuns: 200 });
  });

  test('gives each assessment objects of its own (changing one output cannot change another)', () => {
    fc.assert(fc.property(arbCaseFacts, (f) => {
      const first = objectsIn(valid(f));
      for (const o of objectsIn(valid(f))) if (first.has(o)) throw new Error(`two assessments share ${JSON.stringify(o)}`);
    }), { numRuns: 300 });
  });
});

describe('the number format of reason lines', () => {
  const intl = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
  test('prints exactly what Intl.NumberFormat prints (its fast path for short decimals included)', () => {
    fc.assert(fc.property(fc.oneof(
      fc.double(), fc.double({ min: -2e13, max: 2e13 }), fc.double({ min: -2000, max: 2000 }), fc.integer(), fc.maxSafeInteger(),
      fc.integer({ min: -5e9, max: 5e9 }).map((n) => n / 1000), fc.integer({ min: -5e6, max: 5e6 }).map((n) => n / 10000),
      fc.constantFrom(0, -0, 0.0005, 999.9995, 1e-7, 1e21, 1e12, 999999999999.999, 0.1 + 0.2, 15372.000000000002, 23772, 144000),
    ), (n) => {
      expect(fmt(n)).toBe(intl.format(n));
    }), { numRuns: 20_000 });
  });
});
