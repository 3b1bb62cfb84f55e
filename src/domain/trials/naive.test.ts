import { describe, expect, test } from 'vitest';
import { caseFactsSchema } from '../facts/case-facts.js';
import { MACROS, type Expr } from './criteria.js';
import { caseContext } from './evaluate.js';
import { evaluateExpr, naiveMatch } from './naive.js';
import { syntheticTrials } from './synthetic.js';

const f = caseFactsSchema.parse({ ageMonths: 130, sex: 'female', morphology: '9260/3', topography: 'C40.2', siteCategory: 'bone_extremity', labs: { creatinineMgDl: 0.9, drawnDaysAgo: 20 } });

describe('the plain recursive evaluator', () => {
  test('a macro reference evaluates as its body', () => {
    const ctx = caseContext(f);
    expect(evaluateExpr({ op: 'ref', macro: 'COG_RENAL_V1' }, ctx)).toEqual(evaluateExpr(MACROS.COG_RENAL_V1.expr as Expr, ctx));
  });

  test('a window on the reference reaches the labs inside: 20-day-old labs are unknown under a 14-day window', () => {
    const ctx = caseContext(f);
    expect(evaluateExpr({ op: 'ref', macro: 'COG_RENAL_V1' }, ctx).tri).toBe(2);
    expect(evaluateExpr({ op: 'ref', macro: 'COG_RENAL_V1', withinDays: 14 }, ctx)).toMatchObject({ tri: 1, missing: ['labs.gfrMlMin173', 'labs.creatinineMgDl'] });
  });

  test('it answers one entry per trial in the order given', () => {
    const defs = syntheticTrials(25, 5);
    expect(naiveMatch(f, defs).map((m) => m.trialId)).toEqual(defs.map((d) => d.nctId));
  });
});
