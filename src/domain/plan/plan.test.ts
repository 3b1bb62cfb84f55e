import { describe, expect, test } from 'vitest';
import { AppError } from '../errors.js';
import {
  addDays, addMonths, checklistComplete, daysBetween, monthsBetween, parsePlanContent, planOpenItems, validatePlanContent,
  type PlanContent,
} from './plan.js';

/** A small valid plan: one induction phase with a VDC cycle group and an IE group. */
const plan = (o: Partial<PlanContent> = {}): PlanContent => ({
  templateId: 'T-EWS-ICC',
  templateVersion: '2026.1',
  title: 'Ewing sarcoma, localized',
  intent: 'curative',
  phases: [{
    id: 'phase-1', name: 'Induction', kind: 'induction', startWeek: 1, cycleIntervalDays: 14, order: 'alternating',
    cycles: [
      { id: 'phase-1-cycle-1', regimen: 'VDC', count: 3, agents: [
        { agent: 'vincristine', doseMgM2: 2, maxMg: 2, administrations: 1 },
        { agent: 'doxorubicin', doseMgM2: 75, administrations: 1 },
        { agent: 'cyclophosphamide', doseMgM2: 1200, administrations: 1 },
      ] },
      { id: 'phase-1-cycle-2', regimen: 'IE', count: 3, agents: [
        { agent: 'ifosfamide', doseMgM2: 1800, administrations: 5 },
        { agent: 'etoposide', doseMgM2: 100, administrations: 5 },
      ] },
    ],
  }],
  localControl: { selected: [], considered: [{ kind: 'surgery', description: 'Wide resection', rules: ['R-EWS-LC'] }] },
  checklist: [{ flag: 'FERTILITY_PRESERVATION_INDICATED', question: 'Fertility preservation offered?', rules: ['R-FERT'], answer: null }],
  trialNctId: null,
  ...o,
});

/** The plan with one agent changed. */
const withAgent = (cycle: number, agent: number, change: Record<string, unknown>): unknown => {
  const p = structuredClone(plan()) as unknown as { phases: Array<{ cycles: Array<{ agents: Array<Record<string, unknown>> }> }> };
  Object.assign(p.phases[0]!.cycles[cycle]!.agents[agent]!, change);
  return p;
};

const errorsOf = (input: unknown, opts?: Parameters<typeof validatePlanContent>[1]) => {
  const v = validatePlanContent(input, opts);
  return v.ok ? [] : v.errors;
};

describe('validatePlanContent', () => {
  test('a well-formed plan is valid and comes back parsed, without warnings', () => {
    const v = validatePlanContent(plan());
    expect(v).toMatchObject({ ok: true, warnings: [] });
  });

  test('an absurd dose is rejected at its field path, naming the allowed range', () => {
    expect(errorsOf(withAgent(0, 1, { doseMgM2: 5000 }))).toEqual([{
      field: 'phases[0].cycles[0].agents[1].doseMgM2',
      message: expect.stringMatching(/^doxorubicin 5,000 mg\/m² per administration is outside the allowed range 0–90 mg\/m² \(/),
    }]);
  });

  test('a dose in two units is unit confusion, reported on the first unit field', () => {
    expect(errorsOf(withAgent(1, 0, { doseMg: 2700 }))).toEqual([{
      field: 'phases[0].cycles[1].agents[0].doseMgM2',
      message: expect.stringMatching(/ifosfamide: the dose is given in doseMgM2 \(mg\/m²\) and doseMg \(mg\); give exactly one unit/),
    }]);
  });

  test('a dose that is not a number gets the agent and its range, not a generic type error', () => {
    const [e] = errorsOf(withAgent(0, 1, { doseMgM2: '75' }));
    expect(e?.field).toBe('phases[0].cycles[0].agents[1].doseMgM2');
    expect(e?.message).toMatch(/doxorubicin NaN mg\/m² per administration is not a number; allowed range 0–90 mg\/m² .*\(got "75"\)/);
  });

  test('negative and zero doses are rejected', () => {
    expect(errorsOf(withAgent(0, 2, { doseMgM2: -1200 }))[0]?.message).toMatch(/cyclophosphamide -1,200 mg\/m² per administration is negative; allowed range 0–2,200 mg\/m²/);
    expect(errorsOf(withAgent(0, 2, { doseMgM2: 0 }))[0]?.message).toMatch(/remove the agent from the cycle instead/);
  });

  test('per-kg dosing of a per-m² agent is accepted for an infant and rejected for an older child', () => {
    const perKg = withAgent(0, 1, { doseMgM2: undefined, doseMgKg: 2.5 });
    expect(errorsOf(perKg, { ageMonths: 8 })).toEqual([]);
    expect(errorsOf(perKg, { ageMonths: 96 })[0]).toMatchObject({ field: 'phases[0].cycles[0].agents[1].doseMgKg', message: expect.stringMatching(/R-AGE-INFANT/) });
  });

  test('a flat mg dose without the plan\'s BSA is a warning, and with the BSA it is range-checked', () => {
    const flat = withAgent(0, 1, { doseMgM2: undefined, doseMg: 110 });
    const v = validatePlanContent(flat);
    expect(v.ok).toBe(true);
    expect(v.warnings).toEqual([{ field: 'phases[0].cycles[0].agents[1].doseMg', message: expect.stringMatching(/without the BSA/) }]);
    expect(errorsOf({ ...(flat as object), bsaM2: 1.1 })[0]?.message).toMatch(/100 mg\/m² at BSA 1.1 m²/);
  });

  test('unknown keys are errors naming the key', () => {
    expect(errorsOf({ ...plan(), dose: 1 })).toEqual([{ field: 'dose', message: 'unknown field' }]);
    expect(errorsOf(withAgent(0, 0, { unit: 'mg' }))[0]?.field).toBe('phases[0].cycles[0].agents[0].unit');
  });

  test('structural errors name their paths', () => {
    const fields = errorsOf({ ...plan(), intent: 'maybe', bsaM2: 9, trialNctId: 'NCT123' }).map((e) => e.field);
    expect(fields).toEqual(['intent', 'bsaM2', 'trialNctId']);
  });

  test('a duplicate cycle ID and an agent listed twice in a cycle are errors', () => {
    const p = plan();
    p.phases[0]!.cycles[1]!.id = 'phase-1-cycle-1';
    p.phases[0]!.cycles[1]!.agents.push({ agent: 'Ifosfamide', doseMgM2: 1800, administrations: 1 });
    expect(errorsOf(p).map((e) => e.field)).toEqual(['phases[0].cycles[1].id', 'phases[0].cycles[1].agents[2].agent']);
  });

  test('a selected radiation course outside its field\'s range is an error at its path', () => {
    const p = plan({ localControl: { selected: [{ kind: 'radiation', radiation: { field: 'whole_lung', doseGy: 150 } }], considered: [] } });
    expect(errorsOf(p)).toEqual([{ field: 'localControl.selected[0].radiation.doseGy', message: expect.stringMatching(/0–20 Gy/) }]);
  });

  test('a surgery selected without its type is a schema error at its path', () => {
    const p = { ...plan(), localControl: { selected: [{ kind: 'surgery' }], considered: [] } };
    expect(errorsOf(p)[0]?.field).toBe('localControl.selected[0].surgeryType');
  });

  test('an observation plan with chemotherapy is contradictory', () => {
    expect(errorsOf(plan({ intent: 'observation' }))[0]?.field).toBe('intent');
  });

  test('requireComplete reports open items as errors (for sign-off)', () => {
    expect(errorsOf(plan(), { requireComplete: true })).toEqual([{ field: 'checklist[0].answer', message: 'FERTILITY_PRESERVATION_INDICATED: not answered' }]);
  });
});

describe('parsePlanContent', () => {
  test('throws the validation AppError with every issue', () => {
    const err = (() => { try { parsePlanContent(withAgent(0, 1, { doseMgM2: 5000 })); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('validation');
    expect((err as AppError).field).toBe('phases[0].cycles[0].agents[1].doseMgM2');
  });
});

describe('open items', () => {
  test('an agent without a dose, a cycle without a count and an unanswered question are open', () => {
    const p = plan();
    delete p.phases[0]!.cycles[0]!.agents[1]!.doseMgM2;
    p.phases[0]!.cycles[1]!.count = null;
    expect(validatePlanContent(p).ok).toBe(true);
    expect(planOpenItems(p).map((i) => i.field)).toEqual([
      'phases[0].cycles[0].agents[1].doseMgM2', 'phases[0].cycles[1].count', 'checklist[0].answer',
    ]);
  });

  test('checklistComplete is true only when every question has an answer, "not applicable" included', () => {
    expect(checklistComplete(plan())).toBe(false);
    expect(checklistComplete({ checklist: [{ flag: 'X_Y', question: 'q', rules: [], answer: 'not_applicable' }] })).toBe(true);
    expect(checklistComplete({ checklist: [] })).toBe(true);
  });
});

describe('calendar arithmetic', () => {
  test.each([
    ['2026-01-31', 1, '2026-02-28'], ['2024-01-31', 1, '2024-02-29'], ['2026-03-15', 24, '2028-03-15'],
    ['2026-11-30', 3, '2027-02-28'], ['2026-05-10', -5, '2025-12-10'],
  ])('%s plus %d months is %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  test('days are whole UTC days across month and year ends', () => {
    expect(addDays('2026-12-25', 14)).toBe('2027-01-08');
    expect(daysBetween('2026-02-20', '2026-03-06')).toBe(14);
  });

  test.each([
    ['2012-05-10', '2026-05-09', 167], ['2012-05-10', '2026-05-10', 168], ['2012-01-31', '2012-02-29', 1],
  ])('from %s to %s is %d whole months', (a, b, n) => {
    expect(monthsBetween(a, b)).toBe(n);
  });
});
