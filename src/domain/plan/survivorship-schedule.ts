import type { CaseFacts, RadiationCourse } from '../facts/case-facts.js';
import type { EchoFrequency, ScreeningItem } from '../facts/assessment.js';
import { provenance, type Derived, type Explanation, type MissingFact } from '../rules/derive.js';
import { fmt, uniqueMissing } from './context.js';
import { isAlkylator, isAnthracycline, normalizeAgents } from './exposure.js';
import { ABDOMEN_PELVIS_SPINE_FIELDS, survivorshipScreening } from './late-effects.js';
import { addMonths, monthsBetween } from './plan.js';
import type { ExposureSummary } from './plan-exposure.js';

/**
 * The survivorship care plan (DESIGN.md §2.7, rules.md §4): late-effect screening from RECEIVED exposures, as
 * late-effects.ts derives it (`survivorshipScreening`), put on a calendar. Each item has its first due date (from the
 * end of therapy, or an age rule for breast and colorectal screening), its interval where rules.md gives one, its
 * next due date and whether it is overdue. Exposures whose dose is unknown stay unknown: the items they trigger are
 * kept (any dose triggers them) with a caveat, and an interval that depends on the dose is left unset.
 */

/** Organ systems the items are grouped by. */
export const SURVIVORSHIP_SYSTEMS = [
  'cardiac', 'hearing', 'renal', 'reproductive', 'second_cancer', 'musculoskeletal', 'head_neck',
] as const;
export type SurvivorshipSystem = (typeof SURVIVORSHIP_SYSTEMS)[number];

/**
 * Entry into long-term follow-up: COG LTFU guidelines apply from 2 years after the end of therapy [K]; "at entry
 * into long-term follow-up" items (rules.md §4.4, §4.5) fall due then.
 */
export const LTFU_ENTRY_MONTHS_AFTER_THERAPY = 24;

type Start = 'ltfu_entry' | 'breast' | 'colorectal';

/** How a screening item of late-effects.ts is scheduled. `interval` in months; 'echo' = by R-LE-ECHO frequency; null = as indicated. */
export interface ScheduleRule {
  readonly id: string;
  /** The start of late-effects.ts's `test` text. */
  readonly match: string;
  readonly test: string;
  readonly system: SurvivorshipSystem;
  readonly start: Start;
  readonly interval: number | 'echo' | null;
  readonly rules: readonly string[];
}

/** Scheduling of every screening item late-effects.ts produces (survivorship-schedule.test.ts checks none is left out). */
export const SCHEDULE_RULES = [
  { id: 'echocardiogram', match: 'Echocardiogram', test: 'Echocardiogram', system: 'cardiac', start: 'ltfu_entry', interval: 'echo', rules: ['R-LE-ECHO', 'R-LE-ANTHRA'] },
  { id: 'audiology', match: 'Audiological evaluation', test: 'Audiological evaluation', system: 'hearing', start: 'ltfu_entry', interval: null, rules: ['R-LE-OTO'] },
  { id: 'blood_pressure', match: 'Blood pressure', test: 'Blood pressure', system: 'renal', start: 'ltfu_entry', interval: 12, rules: ['R-LE-IFO'] },
  { id: 'renal_labs', match: 'Electrolytes (incl. Mg, PO₄', test: 'Electrolytes (incl. Mg, PO₄, bicarbonate), creatinine/eGFR and urinalysis', system: 'renal', start: 'ltfu_entry', interval: null, rules: ['R-LE-IFO'] },
  { id: 'breast', match: 'Breast MRI', test: 'Breast MRI and mammogram', system: 'second_cancer', start: 'breast', interval: 12, rules: ['R-LE-SMN'] },
  { id: 'colonoscopy', match: 'Colonoscopy', test: 'Colonoscopy', system: 'second_cancer', start: 'colorectal', interval: 60, rules: ['R-LE-SMN'] },
  { id: 'cbc', match: 'Complete blood count', test: 'Complete blood count (therapy-related MDS/AML)', system: 'second_cancer', start: 'ltfu_entry', interval: null, rules: ['R-LE-SMN', 'R-LE-CED'] },
  { id: 'gonadal', match: 'Gonadal function', test: 'Gonadal function, pubertal development and fertility counselling', system: 'reproductive', start: 'ltfu_entry', interval: null, rules: ['R-FERT', 'R-LE-CED'] },
  { id: 'pelvic_rt', match: 'Pelvic RT late effects', test: 'Pelvic RT late effects', system: 'reproductive', start: 'ltfu_entry', interval: null, rules: ['R-LE-RT', 'R-FLAGS'] },
  { id: 'irradiated_tissue', match: 'Examination of irradiated', test: 'Examination of irradiated skin, soft tissue and bone', system: 'musculoskeletal', start: 'ltfu_entry', interval: 12, rules: ['R-LE-RT', 'R-LE-SMN'] },
  { id: 'head_neck_rt', match: 'Head and neck RT late effects', test: 'Head and neck RT late effects', system: 'head_neck', start: 'ltfu_entry', interval: null, rules: ['R-LE-RT'] },
  // Not in late-effects.ts: cisplatin without ifosfamide. rules.md §4.5 names cisplatin as a renal risk; the R-LE-IFO
  // renal surveillance is applied [K] (rules.md has no rule of its own for cisplatin nephrotoxicity).
  { id: 'renal_labs_cisplatin', match: '(cisplatin renal)', test: 'Electrolytes (incl. Mg), creatinine/eGFR after cisplatin', system: 'renal', start: 'ltfu_entry', interval: null, rules: ['R-LE-IFO'] },
] as const satisfies readonly ScheduleRule[];

export type SurvivorshipItemId = (typeof SCHEDULE_RULES)[number]['id'];

const ECHO_MONTHS = { none: null, every_5_years: 60, every_2_years: 24, yearly: 12 } as const satisfies Record<EchoFrequency, number | null>;

/** Items an agent of unknown dose still triggers (any dose does): kept or added, with a caveat. */
const UNKNOWN_DOSE_ITEMS: ReadonlyArray<{ readonly when: (agent: string) => boolean; readonly items: readonly SurvivorshipItemId[] }> = [
  { when: isAnthracycline, items: ['echocardiogram'] },
  { when: (a) => a === 'cisplatin', items: ['audiology'] },
  { when: (a) => a === 'ifosfamide', items: ['blood_pressure', 'renal_labs'] },
  { when: isAlkylator, items: ['cbc', 'gonadal'] },
  { when: (a) => a === 'etoposide' || a === 'teniposide', items: ['cbc'] },
];

export interface SurvivorshipItem {
  readonly id: SurvivorshipItemId;
  readonly test: string;
  readonly system: SurvivorshipSystem;
  /** How often, as text (late-effects.ts wording). */
  readonly frequency: string;
  /** Months between screenings; null when rules.md gives no interval ("as indicated") or the dose deciding it is unknown. */
  readonly intervalMonths: number | null;
  readonly firstDue: string | null;
  /** The next screening: first due, or last done + interval; null when it cannot be dated (and `caveats` say why). */
  readonly nextDue: string | null;
  readonly overdue: boolean;
  readonly rules: readonly string[];
  /** The exposure that triggers the item. */
  readonly reason: string;
  readonly caveats: readonly string[];
}

export interface SurvivorshipPlan {
  readonly endOfTherapyDate: string;
  readonly ltfuEntryDate: string;
  readonly ageAtTreatmentMonths: number | null;
  readonly cedMgM2: number | null;
  readonly doxorubicinEquivalentMgM2: number | null;
  readonly echoFrequency: EchoFrequency | null;
  readonly items: readonly SurvivorshipItem[];
  /** Exposures given whose dose is unknown, and why. */
  readonly unknown: ReadonlyArray<{ readonly agent: string; readonly reason: string }>;
}

export interface SurvivorshipOptions {
  readonly endOfTherapyDate: string;
  readonly birthDate?: string;
  /** Today (the domain has no clock). */
  readonly asOf: string;
  /** Date each item was last done, by item ID: the next due date follows from it. */
  readonly lastDone?: Readonly<Partial<Record<SurvivorshipItemId, string>>>;
}

const OUT = 'survivorship';

function ruleFor(test: string): ScheduleRule | undefined {
  return (SCHEDULE_RULES as readonly ScheduleRule[]).find((r) => test.startsWith(r.match));
}

/**
 * The survivorship care plan from received exposures (rules.md §4): late-effects.ts `survivorshipScreening` on the
 * received totals and radiation courses, each item dated from the end of therapy (entry into long-term follow-up,
 * 2 years after [K]) or by its age rule (breast: later of age 25 and 8 years after the RT, colonoscopy: later of
 * age 35 and 10 years after; R-LE-SMN, needing the birth date), then repeated at its interval. Renal surveillance is
 * added after cisplatin without ifosfamide [K]. Age at treatment comes from the birth date and the first
 * administration; without a birth date it is unknown and the items that need it say so.
 */
export function survivorshipPlan(facts: CaseFacts, received: ExposureSummary, opts: SurvivorshipOptions): Derived<SurvivorshipPlan> {
  const miss: MissingFact[] = [];
  const explanations: Explanation[] = [];
  const ltfuEntry = addMonths(opts.endOfTherapyDate, LTFU_ENTRY_MONTHS_AFTER_THERAPY);
  const first = received.period.first;
  const ageAtTreatment = opts.birthDate !== undefined && first !== null ? monthsBetween(opts.birthDate, first) : null;

  const agents = normalizeAgents(received.cumulativeMgM2);
  const screenFacts: CaseFacts = {
    ...facts,
    exposures: { agents, radiation: received.courses.map((c) => c.course), ...(ageAtTreatment !== null ? { ageAtTreatmentMonths: ageAtTreatment } : {}) },
  };
  const screening = survivorshipScreening(screenFacts);
  const parts: Array<Pick<Derived<unknown>, 'explanations' | 'missing'>> = [screening];
  const value = screening.value;
  const cedUnknown = received.unknown.some((u) => isAlkylator(u.agent));
  const doxUnknown = received.unknown.some((u) => isAnthracycline(u.agent));

  // Items from late-effects.ts, keyed by schedule rule.
  const chosen = new Map<SurvivorshipItemId, { item: ScreeningItem; caveats: string[] }>();
  for (const item of value?.items ?? []) {
    const r = ruleFor(item.test);
    if (r === undefined) continue;
    chosen.set(r.id as SurvivorshipItemId, { item, caveats: [] });
  }
  // Cisplatin without ifosfamide: renal surveillance [K].
  const cis = (agents.cisplatin ?? 0) > 0 || received.unknown.some((u) => u.agent === 'cisplatin');
  if (cis && !chosen.has('renal_labs')) {
    chosen.set('renal_labs_cisplatin', {
      item: { test: 'Electrolytes (incl. Mg), creatinine/eGFR after cisplatin', frequency: 'at entry into long-term follow-up, then as indicated', because: `cisplatin ${agents.cisplatin !== undefined ? `${fmt(agents.cisplatin)} mg/m²` : '(dose unknown)'}: nephrotoxicity (hypomagnesemia, reduced GFR)`, rules: ['R-LE-IFO'] },
      caveats: ['rules.md has no rule of its own for cisplatin nephrotoxicity: the R-LE-IFO renal surveillance is applied [K]'],
    });
  }
  // Agents given at an unknown dose: keep (or add) what any dose triggers, and say the dose is unknown.
  for (const u of received.unknown) {
    for (const row of UNKNOWN_DOSE_ITEMS) {
      if (!row.when(u.agent)) continue;
      for (const id of row.items) {
        const rule = SCHEDULE_RULES.find((r) => r.id === id)!;
        const entry = chosen.get(id) ?? {
          item: { test: rule.test, frequency: 'per COG LTFU', because: `${u.agent} given`, rules: [...rule.rules] },
          caveats: [],
        };
        entry.caveats.push(`${u.agent}: cumulative dose unknown (${u.reason})`);
        chosen.set(id, entry);
      }
    }
  }

  const birth = opts.birthDate;
  /** The earliest start date of the courses that count for an age rule. */
  const rtStart = (counts: (c: RadiationCourse) => boolean): string | null => {
    const dates = received.courses.filter((x) => counts(x.course) && x.startDate !== null).map((x) => x.startDate!).sort();
    return dates[0] ?? null;
  };

  const items: SurvivorshipItem[] = [];
  for (const rule of SCHEDULE_RULES as readonly ScheduleRule[]) {
    const entry = chosen.get(rule.id as SurvivorshipItemId);
    if (entry === undefined) continue;
    const caveats = [...entry.caveats];
    let interval: number | null;
    if (rule.interval === 'echo') {
      const echo = value?.echoFrequency ?? null;
      interval = echo === null ? null : ECHO_MONTHS[echo];
      // The platform table never screens more often than every 2 years: an unknown extra dose cannot shorten that.
      if (doxUnknown && interval !== 24) {
        interval = null;
        caveats.push('the interval (every 2 or 5 years) depends on the unknown anthracycline dose');
      }
    } else {
      interval = rule.interval;
    }
    let firstDue: string | null = ltfuEntry;
    if (rule.start === 'breast' || rule.start === 'colorectal') {
      const [years, after] = rule.start === 'breast' ? [25, 8] : [35, 10];
      const rt = rule.start === 'breast'
        ? rtStart((c) => c.breastInField === true)
        : rtStart((c) => (ABDOMEN_PELVIS_SPINE_FIELDS as readonly string[]).includes(c.field));
      if (birth === undefined) {
        miss.push({ field: 'birthDate', needed_for: `${OUT}.items.${rule.id}.nextDue` });
        caveats.push(`starts at the later of age ${years} and ${after} years after RT: the birth date is needed to date it`);
        firstDue = null;
      } else if (rt === null) {
        caveats.push(`starts at the later of age ${years} and ${after} years after RT: the RT date is not recorded`);
        firstDue = null;
      } else {
        const a = addMonths(birth, years * 12);
        const b = addMonths(rt, after * 12);
        firstDue = a > b ? a : b;
      }
    }
    const last = opts.lastDone?.[rule.id as SurvivorshipItemId];
    const nextDue = last === undefined ? firstDue : interval === null ? null : addMonths(last, interval);
    if (last !== undefined && interval === null) caveats.push('repeat as indicated: no interval is set');
    const frequency = interval === null ? entry.item.frequency : rule.interval === 'echo' ? `every ${interval / 12} years` : entry.item.frequency;
    items.push({
      id: rule.id as SurvivorshipItemId, test: entry.item.test, system: rule.system, frequency, intervalMonths: interval,
      firstDue, nextDue, overdue: nextDue !== null && nextDue < opts.asOf, rules: entry.item.rules, reason: entry.item.because, caveats,
    });
    explanations.push({
      output: `${OUT}.items.${rule.id}`, rules: [...entry.item.rules],
      text: `${entry.item.test}: ${entry.item.because}; first due ${firstDue ?? 'not datable'}${interval !== null ? `, every ${interval} months` : ''}${caveats.length ? ` (${caveats.join('; ')})` : ''}`,
      unverified: true,
    });
  }
  if (birth === undefined && first !== null) miss.push({ field: 'birthDate', needed_for: `${OUT}.ageAtTreatmentMonths` });

  const p = provenance(...parts, { explanations, missing: miss });
  return {
    value: {
      endOfTherapyDate: opts.endOfTherapyDate,
      ltfuEntryDate: ltfuEntry,
      ageAtTreatmentMonths: ageAtTreatment,
      cedMgM2: cedUnknown ? null : value?.cedMgM2 ?? null,
      doxorubicinEquivalentMgM2: doxUnknown ? null : value?.doxorubicinEquivalentMgM2 ?? null,
      echoFrequency: doxUnknown && value?.echoFrequency !== 'every_2_years' ? null : value?.echoFrequency ?? null,
      items,
      unknown: received.unknown,
    },
    explanations: p.explanations,
    missing: uniqueMissing(p.missing),
  };
}
