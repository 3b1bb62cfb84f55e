import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { AppError } from '../errors.js';
import {
  COG_CREATININE_AGE_SEX_V1, MACROS, ageBound, describeAgeBound, describeExpr, expandRef, isCurationStale,
  parseTrialDefinition, refreshRegistry, validateTrialDefinition, type Criterion, type Expr, type TrialDefinition,
} from './criteria.js';
import { parseStudies } from './ctgov.js';
import { draftCriteria } from './draft.js';

const DIR = path.resolve(import.meta.dirname, '../../../fixtures/ctgov');
const drafts = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort()
  .map((f) => draftCriteria(parseStudies(JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')), f).trials[0]!));

const criterion = (expr: Expr, o: Partial<Criterion> = {}): Criterion => ({
  id: 'in1', kind: 'inclusion', source: { itemId: 'in1', childItemIds: [], field: null, text: 'x', start: 0, end: 1 }, expr, status: 'accepted', ...o,
});
const definition = (criteria: Criterion[], o: Partial<TrialDefinition> = {}): TrialDefinition => ({
  schemaVersion: 1, nctId: 'NCT00000001', title: 'T', version: 1,
  registry: { lastUpdatePostDate: '2024-01-01', criteriaSha256: null, overallStatus: 'RECRUITING' },
  curation: { state: 'curated', basedOn: { lastUpdatePostDate: '2024-01-01', criteriaSha256: null }, stale: false },
  scopes: [{ id: 'trial', kind: 'trial', label: 'Whole trial', parent: null, open: true, criteria }],
  ...o,
});
const errorsOf = (input: unknown) => {
  const r = validateTrialDefinition(input);
  return r.ok ? [] : r.errors;
};

describe('the stored definition schema', () => {
  test.each(drafts.map((d) => [d.nctId, d] as const))('the draft of %s survives a JSON round trip and validates', (_id, d) => {
    const r = validateTrialDefinition(JSON.parse(JSON.stringify(d)));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.definition).toEqual(JSON.parse(JSON.stringify(d)));
  });

  test.each([
    ['a negative age limit', { op: 'age', min: { days: -1, inclusive: true } }, 'scopes[0].criteria[0].expr.min.days'],
    ['an unknown key in a leaf', { op: 'age', min: { days: 10, inclusive: true }, mni: 1 }, 'scopes[0].criteria[0].expr.mni'],
    ['an unknown macro', { op: 'ref', macro: 'COG_RENAL_V9' }, 'scopes[0].criteria[0].expr.macro'],
    ['a nested bad lab fact', { op: 'and', args: [{ op: 'manual' }, { op: 'lab', fact: 'sodium', cmp: '>=', absolute: 1 }] }, 'scopes[0].criteria[0].expr.args[1].fact'],
    ['a bad performance scale', { op: 'performance', rules: [{ scale: 'who', min: 50 }] }, 'scopes[0].criteria[0].expr.rules[0].scale'],
    ['a bad morphology code', { op: 'diagnosis', label: 'x', anyOf: { codes: ['9260-3'] } }, 'scopes[0].criteria[0].expr.anyOf.codes[0]'],
  ])('%s is refused naming its path', (_what, expr, field) => {
    const bad = JSON.parse(JSON.stringify(definition([criterion({ op: 'manual' })]))) as { scopes: Array<{ criteria: Array<{ expr: unknown }> }> };
    bad.scopes[0]!.criteria[0]!.expr = expr;
    expect(errorsOf(bad).map((e) => e.field)).toContain(field);
  });

  test.each([
    ['at least 3 of 2', criterion({ op: 'atLeast', n: 3, args: [{ op: 'manual' }, { op: 'manual' }] }), 'scopes[0].criteria[0].expr.n'],
    ['an upper age limit below the lower', criterion({ op: 'age', min: ageBound.atLeast(12), max: ageBound.atMost(10) }), 'scopes[0].criteria[0].expr.max'],
    ['a lab with both absolute and × ULN', criterion({ op: 'lab', fact: 'altUL', cmp: '<=', absolute: 135, xUln: 3 }), 'scopes[0].criteria[0].expr'],
    ['a performance rule without a threshold', criterion({ op: 'performance', rules: [{ scale: 'lansky' }] }), 'scopes[0].criteria[0].expr.rules[0]'],
  ])('%s is refused by the semantic checks', (_what, c, field) => {
    expect(errorsOf(JSON.parse(JSON.stringify(definition([c])))).map((e) => e.field)).toContain(field);
  });

  test('duplicate criterion ids, a missing trial scope and an unknown parent are refused', () => {
    const d = definition([criterion({ op: 'manual' }), criterion({ op: 'manual' })]);
    expect(errorsOf(d)).toContainEqual({ field: 'scopes[0].criteria[1].id', message: 'duplicate criterion id in1' });
    const noTrial = { ...d, scopes: [{ ...d.scopes[0]!, kind: 'arm', parent: 'nowhere' }] };
    expect(errorsOf(noTrial).map((e) => e.field)).toEqual(expect.arrayContaining(['scopes', 'scopes[0].parent']));
  });

  test('parseTrialDefinition throws a validation error naming the first field', () => {
    const bad = { ...definition([]), nctId: 'NCT1' };
    expect(() => parseTrialDefinition(bad)).toThrow(AppError);
    try { parseTrialDefinition(bad); } catch (e) {
      expect((e as AppError).field).toBe('nctId');
      expect((e as AppError).status).toBe(400);
    }
  });
});

describe('age bounds read "≤ N years" as before the (N+1)th birthday', () => {
  test.each([
    [ageBound.atMost(21), 'max', '≤ 21 y (before the 22nd birthday)'],
    [ageBound.under(16), 'max', '≤ 15 y (before the 16th birthday)'],
    [ageBound.atLeast(12), 'min', '≥ 12 y'],
    [ageBound.over(16), 'min', '≥ 17 y'],
    [ageBound.atMost(6, 'months'), 'max', '≤ 6 months (before 7 months)'],
    [ageBound.atLeast(14, 'days'), 'min', '≥ 2 weeks'],
  ] as const)('%o as %s reads "%s"', (b, side, text) => {
    expect(describeAgeBound(b, side)).toBe(text);
  });
});

describe('macros and tables', () => {
  test('the COG creatinine table rows are contiguous from 1 month and have the D.1 values', () => {
    for (let i = 1; i < COG_CREATININE_AGE_SEX_V1.length; i++) expect(COG_CREATININE_AGE_SEX_V1[i]!.fromMonths).toBe(COG_CREATININE_AGE_SEX_V1[i - 1]!.toMonths);
    expect(COG_CREATININE_AGE_SEX_V1[0]!.fromMonths).toBe(1);
    expect(COG_CREATININE_AGE_SEX_V1.map((r) => [r.male, r.female])).toEqual([[0.4, 0.4], [0.5, 0.5], [0.6, 0.6], [0.8, 0.8], [1, 1], [1.2, 1.2], [1.5, 1.4], [1.7, 1.4]]);
  });

  test('COG_RENAL_V1 is GFR ≥ 70 or creatinine within the table', () => {
    expect(describeExpr(MACROS.COG_RENAL_V1.expr as Expr)).toBe('GFR/creatinine clearance ≥ 70 mL/min/1.73 m² OR creatinine ≤ COG age/sex table');
  });

  test('a window on a macro reference applies to the dated labs inside it', () => {
    expect(describeExpr(expandRef({ macro: 'COG_RENAL_V1', withinDays: 14 }))).toBe('GFR/creatinine clearance ≥ 70 mL/min/1.73 m² (within 14 days) OR creatinine ≤ COG age/sex table (within 14 days)');
  });
});

describe('curation drift (E.7 step 5)', () => {
  test('a changed criteria hash or update date makes the curation stale', () => {
    const d = definition([]);
    expect(isCurationStale(d)).toBe(false);
    const changed = refreshRegistry(d, { lastUpdatePostDate: '2025-02-01', criteriaSha256: null, overallStatus: 'RECRUITING' });
    expect(changed.curation.stale).toBe(true);
    expect(isCurationStale(changed)).toBe(true);
    expect(refreshRegistry(d, { lastUpdatePostDate: '2024-01-01', criteriaSha256: null, overallStatus: 'CLOSED' }).curation.stale).toBe(false);
  });
});
