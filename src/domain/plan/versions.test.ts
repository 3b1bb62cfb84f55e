import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Assessment } from '../facts/assessment.js';
import type { CaseFacts } from '../facts/case-facts.js';
import { NO_STAGING } from './context.js';
import { buildPlanFromTemplate } from './builder.js';
import type { PlanContent } from './plan.js';
import { canonicalJson, contentHash, diffPlans, signoffState, type PlanSignature } from './versions.js';

const f: CaseFacts = { ageMonths: 150, sex: 'female', pubertalStatus: 'pubertal', morphology: '9260/3', topography: 'C41.4', siteCategory: 'bone_pelvis' };
const base = (): PlanContent => buildPlanFromTemplate('T-EWS-ICC', { facts: f, assessment: { ...NO_STAGING, radiation: null } as unknown as Assessment });

/** The same value with every object's keys in reverse order. */
function reversed(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversed);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)]));
  return v;
}

describe('canonicalJson and contentHash', () => {
  test('keys are sorted at every level; arrays keep their order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
  });

  test('undefined properties are left out, as JSON.stringify does', () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
    expect(canonicalJson([undefined])).toBe('[null]');
  });

  test('the hash of a plan does not depend on key order', () => {
    const p = base();
    expect(contentHash(reversed(p))).toBe(contentHash(p));
    expect(contentHash(p)).toMatch(/^[0-9a-f]{64}$/);
  });

  test('for any JSON value, key order never changes the canonical form, and it parses back to the same value', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      expect(canonicalJson(reversed(v))).toBe(canonicalJson(v));
      expect(JSON.parse(canonicalJson(v))).toEqual(JSON.parse(JSON.stringify(v)));
    }));
  });

  test('any change of content changes the hash', () => {
    const p = base();
    const q = structuredClone(p);
    q.phases[0]!.cycles[0]!.agents[1]!.doseMgM2 = 60;
    expect(contentHash(q)).not.toBe(contentHash(p));
  });

  test('a known document has a known hash (the form is stable across releases)', () => {
    // sha256 of the UTF-8 text {"a":true,"b":[1,"x"]} (computed with sha256sum).
    expect(canonicalJson({ b: [1, 'x'], a: true })).toBe('{"a":true,"b":[1,"x"]}');
    expect(contentHash({ b: [1, 'x'], a: true })).toBe('654427f8ddece654ee0bf1dba626b0dfc326497be50eaef4e31006bdc495703e');
  });

  test('values JSON cannot carry are refused rather than hashed lossily', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/\(root\)\.a is NaN/);
    expect(() => canonicalJson({ a: () => 1 })).toThrow(/function/);
  });
});

describe('diffPlans', () => {
  test('identical plans have no differences', () => {
    expect(diffPlans(base(), base())).toEqual([]);
  });

  test('a nested dose change reads as phase › regimen › agent dose, with its field path', () => {
    const a = base();
    const b = structuredClone(a);
    b.phases[0]!.cycles[0]!.agents[1]!.doseMgM2 = 60;
    expect(diffPlans(a, b)).toEqual([{
      path: 'Induction: VDC alternating with IE every 14 days (cycles 1–6) › VDC › doxorubicin dose',
      field: 'phases[0].cycles[0].agents[1].dose', kind: 'changed', before: '75 mg/m²', after: '60 mg/m²',
    }]);
  });

  test('a change of unit is one change of the dose, not a removal and an addition', () => {
    const a = base();
    const b = structuredClone(a);
    const agent = b.phases[0]!.cycles[0]!.agents[1]!;
    delete agent.doseMgM2;
    agent.doseMg = 110;
    expect(diffPlans(a, b)).toMatchObject([{ kind: 'changed', before: '75 mg/m²', after: '110 mg' }]);
  });

  test('cycles are matched by ID, agents by name: inserting a phase shows one addition', () => {
    const a = base();
    const b = structuredClone(a);
    b.phases.splice(1, 0, { id: 'phase-x', name: 'Window therapy', kind: 'induction', cycles: [] });
    expect(diffPlans(a, b)).toEqual([
      { path: 'Window therapy', field: 'phases[1]', kind: 'added', before: undefined, after: b.phases[1] },
    ]);
  });

  test('reordering phases is reported once as the phase order', () => {
    const a = base();
    const b = structuredClone(a);
    b.phases.reverse();
    expect(diffPlans(a, b)).toEqual([{ path: 'Phase order', field: 'phases', kind: 'changed', before: a.phases.map((p) => p.name), after: b.phases.map((p) => p.name) }]);
  });

  test('added and removed agents, cycle counts and checklist answers are each one entry', () => {
    const a = base();
    const b = structuredClone(a);
    b.phases[2]!.cycles[1]!.count = 3;
    b.phases[0]!.cycles[1]!.agents.push({ agent: 'mesna', doseMgM2: 1800, administrations: 5, note: 'uroprotection' });
    b.phases[0]!.cycles[0]!.agents.splice(0, 1);
    b.checklist[0]!.answer = 'yes';
    b.trialNctId = 'NCT01234567';
    const d = diffPlans(a, b).map((x) => [x.kind, x.path]);
    expect(d).toEqual([
      ['changed', 'Trial'],
      ['removed', 'Induction: VDC alternating with IE every 14 days (cycles 1–6) › VDC › vincristine'],
      ['added', 'Induction: VDC alternating with IE every 14 days (cycles 1–6) › IE › mesna'],
      ['changed', 'Consolidation: VDC/VC alternating with IE (cycles 7–14) › VC › number of cycles'],
      ['changed', `Checklist › ${a.checklist[0]!.flag} › answer`],
    ]);
  });

  test('selecting local control shows what was selected; editing it shows the changed leaf', () => {
    const a = base();
    const b = structuredClone(a);
    b.localControl.selected.push({ kind: 'radiation', radiation: { field: 'pelvis', doseGy: 45, boostGy: 10.8 } });
    expect(diffPlans(a, b)).toMatchObject([{ path: 'Local control › selected 1 (radiation)', kind: 'added' }]);
    const c = structuredClone(b);
    (c.localControl.selected[0] as { radiation: { boostGy?: number } }).radiation.boostGy = 5.4;
    expect(diffPlans(b, c)).toEqual([{
      path: 'Local control › selected 1 (radiation) › radiation › boostGy', field: 'localControl.selected[0].radiation.boostGy',
      kind: 'changed', before: 10.8, after: 5.4,
    }]);
  });
});

describe('signoffState', () => {
  const REQUIRED = ['pediatric_oncology', 'radiation_oncology', 'pathology'];
  const sig = (discipline: string, version: number, hash: string): PlanSignature => ({ discipline, version, contentHash: hash });

  test('agreed when every required group signed the current version with its hash', () => {
    const s = signoffState(REQUIRED, REQUIRED.map((d) => sig(d, 3, 'h3')), 3, 'h3');
    expect(s).toMatchObject({ agreed: true, signedVersion: 3, missing: [], stale: [] });
    expect(s.valid).toHaveLength(3);
  });

  test('a missing group keeps the plan unagreed and is named', () => {
    const s = signoffState(REQUIRED, [sig('pediatric_oncology', 3, 'h3'), sig('pathology', 3, 'h3')], 3, 'h3');
    expect(s).toMatchObject({ agreed: false, missing: ['radiation_oncology'], signedVersion: null });
  });

  test('signatures on an older version are stale after an edit; the older agreed version is reported', () => {
    const s = signoffState(REQUIRED, [...REQUIRED.map((d) => sig(d, 2, 'h2')), sig('pathology', 3, 'h3')], 3, 'h3');
    expect(s.agreed).toBe(false);
    expect(s.signedVersion).toBe(2);
    expect(s.missing).toEqual(['pediatric_oncology', 'radiation_oncology']);
    expect(s.stale.map((x) => x.version)).toEqual([2, 2, 2]);
  });

  test('a signature on the current version number with another hash is stale (content changed under it)', () => {
    const s = signoffState(REQUIRED, [...REQUIRED.map((d) => sig(d, 3, 'h3')), sig('pathology', 3, 'tampered')], 3, 'h3');
    expect(s.agreed).toBe(true);
    expect(s.stale).toEqual([sig('pathology', 3, 'tampered')]);
    const t = signoffState(REQUIRED, REQUIRED.map((d) => sig(d, 3, d === 'pathology' ? 'other' : 'h3')), 3, 'h3');
    expect(t).toMatchObject({ agreed: false, missing: ['pathology'] });
  });

  test('an older version signed with two different hashes was never agreed', () => {
    const s = signoffState(REQUIRED, [sig('pediatric_oncology', 2, 'a'), sig('radiation_oncology', 2, 'a'), sig('pathology', 2, 'b')], 3, 'h3');
    expect(s.signedVersion).toBeNull();
  });

  test('extra signatures by groups that are not required do not matter', () => {
    expect(signoffState(['pathology'], [sig('pathology', 1, 'h'), sig('radiology', 1, 'h')], 1, 'h').agreed).toBe(true);
  });

  test('with no required group nothing can be agreed', () => {
    expect(signoffState([], [sig('pathology', 1, 'h')], 1, 'h').agreed).toBe(false);
  });
});
