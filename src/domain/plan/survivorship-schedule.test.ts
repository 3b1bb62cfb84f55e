import { describe, expect, test } from 'vitest';
import type { CaseFacts } from '../facts/case-facts.js';
import { isRuleId } from '../rules/rule-ids.js';
import type { Administration } from './concordance.js';
import { survivorshipScreening } from './late-effects.js';
import { receivedExposure } from './plan-exposure.js';
import { SCHEDULE_RULES, survivorshipPlan, type SurvivorshipOptions } from './survivorship-schedule.js';

const girl: CaseFacts = { ageMonths: 144, sex: 'female', pubertalStatus: 'pubertal', morphology: '9260/3', topography: 'C41.3', siteCategory: 'bone_chest_wall' };

/** An AEWS0031-like course (doxorubicin 375, cyclophosphamide 8.4 g/m², ifosfamide 63 g/m²) with left chest-wall RT. */
const ewingCourse: Administration[] = [
  ...Array.from({ length: 5 }, (_, k): Administration => ({ kind: 'chemo', date: `2024-0${k + 3}-01`, agents: [{ agent: 'doxorubicin', doseMgM2: 75 }, { agent: 'cyclophosphamide', doseMgM2: 1200 }] })),
  { kind: 'chemo', date: '2024-08-15', agents: [{ agent: 'cyclophosphamide', doseMgM2: 1200 }] },
  { kind: 'chemo', date: '2024-09-01', agents: [{ agent: 'cyclophosphamide', doseMgM2: 1200 }] },
  ...Array.from({ length: 7 }, (_, k): Administration => ({ kind: 'chemo', date: `2024-${String(k + 3).padStart(2, '0')}-15`, agents: [{ agent: 'ifosfamide', doseMgM2: 1800, administrations: 5 }] })),
  { kind: 'radiation', startDate: '2024-06-03', endDate: '2024-07-12', field: 'chest_wall', side: 'left', doseGy: 45, boostGy: 5.4, heartInField: true, heartDoseGy: 15, breastInField: true },
];
const OPTS: SurvivorshipOptions = { endOfTherapyDate: '2025-01-15', birthDate: '2012-03-01', asOf: '2027-06-01' };
const plan = (given: Administration[], o: Partial<SurvivorshipOptions> = {}, f: CaseFacts = girl) => survivorshipPlan(f, receivedExposure(given, f), { ...OPTS, ...o });
const item = (d: ReturnType<typeof plan>, id: string) => d.value?.items.find((i) => i.id === id);

describe('survivorshipPlan', () => {
  test('the Ewing survivor gets the late-effects screening of rules.md §4, dated from the end of therapy', () => {
    const d = plan(ewingCourse);
    expect(d.value).toMatchObject({
      ltfuEntryDate: '2027-01-15', ageAtTreatmentMonths: 144, cedMgM2: 23772, doxorubicinEquivalentMgM2: 375, echoFrequency: 'every_2_years', unknown: [],
    });
    expect(d.value?.items.map((i) => [i.id, i.system, i.intervalMonths, i.firstDue])).toEqual([
      ['echocardiogram', 'cardiac', 24, '2027-01-15'],
      ['blood_pressure', 'renal', 12, '2027-01-15'],
      ['renal_labs', 'renal', null, '2027-01-15'],
      ['breast', 'second_cancer', 12, '2037-03-01'],
      ['cbc', 'second_cancer', null, '2027-01-15'],
      ['gonadal', 'reproductive', null, '2027-01-15'],
      ['irradiated_tissue', 'musculoskeletal', 12, '2027-01-15'],
    ]);
  });

  test('an item whose first due date has passed is overdue; the breast screen at 25 is not yet', () => {
    const d = plan(ewingCourse);
    expect(item(d, 'echocardiogram')).toMatchObject({ nextDue: '2027-01-15', overdue: true });
    expect(item(d, 'breast')).toMatchObject({ nextDue: '2037-03-01', overdue: false });
    expect(item(plan(ewingCourse, { asOf: '2027-01-15' }), 'echocardiogram')?.overdue).toBe(false);
  });

  test('breast screening starts at the later of age 25 and 8 years after RT (R-LE-SMN)', () => {
    // Born 2000: age 25 in 2025, RT in 2024 + 8 = 2032.
    expect(item(plan(ewingCourse, { birthDate: '2000-01-10' }), 'breast')?.firstDue).toBe('2032-06-03');
  });

  test('the next due date follows the last screening and its interval', () => {
    const d = plan(ewingCourse, { lastDone: { echocardiogram: '2027-02-01', renal_labs: '2027-02-01' } });
    expect(item(d, 'echocardiogram')).toMatchObject({ nextDue: '2029-02-01', overdue: false, frequency: 'every 2 years' });
    expect(item(d, 'renal_labs')).toMatchObject({ nextDue: null, overdue: false, caveats: ['repeat as indicated: no interval is set'] });
  });

  test('without a birth date the age-based start cannot be dated, and says so', () => {
    const d = plan(ewingCourse, { birthDate: undefined });
    expect(item(d, 'breast')).toMatchObject({ firstDue: null, nextDue: null, overdue: false, caveats: [expect.stringMatching(/birth date is needed/)] });
    expect(d.value?.ageAtTreatmentMonths).toBeNull();
    expect(d.missing).toContainEqual({ field: 'birthDate', needed_for: 'survivorship.items.breast.nextDue' });
  });

  test('an anthracycline given at an unknown dose keeps the echo, without an interval, and the totals stay unknown', () => {
    const given: Administration[] = [
      { kind: 'chemo', date: '2024-03-01', agents: [{ agent: 'doxorubicin', doseMgM2: 75 }] },
      { kind: 'chemo', date: '2024-04-01', agents: [{ agent: 'doxorubicin', doseMg: 90 }] },
    ];
    const d = plan(given);
    expect(d.value).toMatchObject({ doxorubicinEquivalentMgM2: null, echoFrequency: null, unknown: [{ agent: 'doxorubicin' }] });
    expect(item(d, 'echocardiogram')).toMatchObject({
      intervalMonths: null, firstDue: '2027-01-15',
      caveats: [expect.stringMatching(/doxorubicin: cumulative dose unknown \(2024-04-01: flat dose 90 mg needs the BSA/), expect.stringMatching(/every 2 or 5 years/)],
    });
  });

  test('an alkylator given only at an unknown dose still triggers blood counts and gonadal follow-up, with CED unknown', () => {
    const d = plan([{ kind: 'chemo', date: '2024-03-01', agents: [{ agent: 'cyclophosphamide', doseMg: 1500 }] }]);
    expect(d.value?.cedMgM2).toBeNull();
    expect(d.value?.items.map((i) => i.id)).toEqual(['cbc', 'gonadal']);
    expect(item(d, 'gonadal')?.caveats[0]).toMatch(/cyclophosphamide: cumulative dose unknown/);
  });

  test('cisplatin without ifosfamide adds audiology and renal surveillance (the latter marked as applied from R-LE-IFO)', () => {
    const d = plan([{ kind: 'chemo', date: '2024-03-01', agents: [{ agent: 'cisplatin', doseMgM2: 120 }] }], {}, { ...girl, morphology: '9180/3', topography: 'C40.2', siteCategory: 'bone_extremity' });
    expect(d.value?.items.map((i) => i.id)).toEqual(['audiology', 'renal_labs_cisplatin']);
    expect(item(d, 'renal_labs_cisplatin')?.caveats[0]).toMatch(/no rule of its own/);
  });

  test('colonoscopy after ≥30 Gy to the pelvis starts at the later of age 35 and 10 years after RT', () => {
    const d = plan([{ kind: 'radiation', startDate: '2024-05-06', field: 'pelvis', doseGy: 45, boostGy: 5.4 }], {}, { ...girl, topography: 'C41.4', siteCategory: 'bone_pelvis' });
    expect(item(d, 'colonoscopy')).toMatchObject({ intervalMonths: 60, firstDue: '2047-03-01' });
    expect(item(d, 'pelvic_rt')?.system).toBe('reproductive');
  });

  test('nothing received gives no items', () => {
    expect(plan([]).value?.items).toEqual([]);
  });

  test('every item cites rule IDs that rules.md defines', () => {
    for (const i of plan(ewingCourse).value?.items ?? []) for (const r of i.rules) expect(isRuleId(r), r).toBe(true);
  });

  test('every screening item late-effects.ts can produce has a schedule rule', () => {
    const f: CaseFacts = {
      ...girl, exposures: {
        ageAtTreatmentMonths: 144,
        agents: { doxorubicin: 300, cisplatin: 480, ifosfamide: 60000, cyclophosphamide: 4000, etoposide: 500 },
        radiation: [
          { field: 'chest_wall', doseGy: 20, breastInField: true }, { field: 'pelvis', doseGy: 45, gonadsInField: true },
          { field: 'orbit', doseGy: 45 },
        ],
      },
    };
    const tests = survivorshipScreening(f).value?.items.map((i) => i.test) ?? [];
    expect(tests.length).toBeGreaterThanOrEqual(10);
    for (const t of tests) expect(SCHEDULE_RULES.some((r) => t.startsWith(r.match)), t).toBe(true);
  });
});
