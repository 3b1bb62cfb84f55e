import type { CaseFacts, RadiationCourse } from '../facts/case-facts.js';
import type { EchoFrequency } from '../facts/assessment.js';
import { derived, missing, notApplicable, type Derived, type Explanation } from '../rules/derive.js';
import { fmt, isGonadNearSite, round3 } from './context.js';
import type { Administration } from './concordance.js';
import { toMgM2, type BodySize } from './dose-limits.js';
import {
  LATE_EFFECT_AGENTS, echoFrequency, isAlkylator, isAnthracycline, normalizeAgent, plannedCedMgM2,
  plannedDoxorubicinEquivalentMgM2, type PlannedExposure,
} from './exposure.js';
import {
  FERTILITY_OPTIONS, fertilityIndication, fertilityOptionRules, fertilityOptions, pelvicRtOptions, type FertilityOption,
} from './fertility.js';
import { ABDOMEN_PELVIS_SPINE_FIELDS, HEAD_NECK_FIELDS, breastRtGy, chestHeartRtGy, isPelvicCourse } from './late-effects.js';
import type { PlanAgent, PlanContent, RadiationPlanCourse } from './plan.js';

/**
 * Cumulative exposure of a plan (planned) or of what was given (received), with the late-effect arithmetic of
 * rules.md §4: cumulative mg/m² per agent, CED (R-LE-CED), doxorubicin equivalent (R-LE-ANTHRA), echocardiogram
 * frequency (R-LE-ECHO), platinum and hearing (R-LE-OTO), fertility (R-FERT) and radiation totals (R-LE-RT,
 * R-LE-SMN). Every value is a Derived with its rule IDs. A dose that cannot be put in mg/m² (flat mg without BSA,
 * mg/kg without weight and BSA, a dose or cycle count not set) leaves that agent's total unknown, and every
 * output that needs it unknown too: nothing is assumed.
 */

/** Radiation totals (Gy); a course's total is its dose plus boost. */
export interface RadiationTotals {
  readonly courses: ReadonlyArray<{ readonly field: string; readonly side?: string; readonly totalGy: number; readonly startDate: string | null }>;
  readonly byFieldGy: Readonly<Record<string, number>>;
  /** Chest/heart dose for R-LE-ECHO (late-effects.ts `chestHeartRtGy`). */
  readonly chestHeartGy: number;
  /** Breast in field (R-LE-SMN). */
  readonly breastGy: number;
  /** Abdomen, pelvis or spine (R-LE-SMN colorectal). */
  readonly abdomenPelvisSpineGy: number;
  readonly headNeck: boolean;
  readonly pelvic: boolean;
  readonly gonadsInField: boolean;
}

/** Platinum exposure and the hearing monitoring it calls for (R-LE-OTO). */
export interface HearingRisk {
  readonly platinum: boolean;
  readonly cisplatinMgM2: number | null;
  readonly carboplatinMgM2: number | null;
  readonly monitoring: string;
  /** Factors present that rules.md §4.4 names as raising the risk (young age is in the explanation). */
  readonly higherRisk: readonly string[];
}

/** Gonadotoxic exposure and fertility preservation (R-FERT). */
export interface FertilityRisk {
  readonly indicated: boolean;
  /** Options for the child's sex and pubertal status; null when pubertal status is not recorded. */
  readonly options: FertilityOption[] | null;
  /** Male with CED ≥4,000 mg/m² (impaired spermatogenesis, Green 2014 [K]); null for females or unknown CED. */
  readonly impairedSpermatogenesisRisk: boolean | null;
}

export interface ExposureSummary {
  readonly source: 'planned' | 'received';
  /** Cumulative mg/m² per agent (normalized key); value null when unknown, with the reason. */
  readonly agents: Readonly<Record<string, Derived<number>>>;
  /** The known totals only (mg/m²). */
  readonly cumulativeMgM2: Readonly<Record<string, number>>;
  /** Agents whose total is unknown, and why. */
  readonly unknown: ReadonlyArray<{ readonly agent: string; readonly reason: string }>;
  readonly cedMgM2: Derived<number>;
  readonly doxorubicinEquivalentMgM2: Derived<number>;
  readonly echoFrequency: Derived<EchoFrequency>;
  readonly hearing: Derived<HearingRisk>;
  readonly fertility: Derived<FertilityRisk>;
  readonly radiation: Derived<RadiationTotals>;
  /** Radiation as exposure records (case-facts `exposures.radiation`, dose = total), with the start date when given. */
  readonly courses: ReadonlyArray<{ readonly course: RadiationCourse; readonly startDate: string | null }>;
  /** First and last date of therapy (received only). */
  readonly period: { readonly first: string | null; readonly last: string | null };
}

/** Rule IDs behind an agent's cumulative dose: the late-effect rules that read it. */
function agentRules(agent: string): string[] {
  const r: string[] = [];
  if (isAnthracycline(agent)) r.push('R-LE-ANTHRA');
  if (isAlkylator(agent)) r.push('R-LE-CED');
  if (agent === 'ifosfamide') r.push('R-LE-IFO');
  if (agent === 'cisplatin' || agent === 'carboplatin') r.push('R-LE-OTO');
  if (agent === 'etoposide') r.push('R-LE-SMN');
  return r;
}

/** Running total of one agent. */
interface Acc { total: number; terms: string[]; unknown: string[]; upperBound: boolean; rules: Set<string> }

function accumulate(accs: Map<string, Acc>, agent: string, rules: readonly string[]): Acc {
  let a = accs.get(agent);
  if (a === undefined) {
    a = { total: 0, terms: [], unknown: [], upperBound: false, rules: new Set([...agentRules(agent), ...rules]) };
    accs.set(agent, a);
  }
  return a;
}

function addDose(acc: Acc, times: number | null, dose: Pick<PlanAgent, 'doseMgM2' | 'doseMgKg' | 'doseMg' | 'maxMg'>, body: BodySize, where: string): void {
  if (times === null) { acc.unknown.push(`${where}: number of cycles not set`); return; }
  const m = toMgM2(dose, body);
  if (m.mgM2 === null) { acc.unknown.push(`${where}: ${m.unknown}`); return; }
  if (m.upperBound) acc.upperBound = true;
  acc.total += times * m.mgM2;
  acc.terms.push(`${fmt(times)} × ${fmt(round3(m.mgM2))}${m.capped ? ' (capped)' : ''} (${where})`);
}

function agentDerived(agent: string, acc: Acc, source: string): Derived<number> {
  const out = `exposure.agents.${agent}`;
  const rules = [...acc.rules];
  if (acc.unknown.length > 0) {
    return notApplicable(out, rules, `${agent}: cumulative dose unknown (${acc.unknown.join('; ')})`);
  }
  const value = round3(acc.total);
  const bound = acc.upperBound ? '; an upper bound: the mg cap could not be applied without the BSA' : '';
  return derived(value, out, rules, `${agent} ${source}: ${acc.terms.join(' + ') || 'none'} = ${fmt(value)} mg/m²${bound}`);
}

interface Course { readonly course: RadiationCourse; readonly startDate: string | null }

function toCourse(r: RadiationPlanCourse | Extract<Administration, { kind: 'radiation' }>): RadiationCourse {
  const c: RadiationCourse = { field: r.field, doseGy: round3(r.doseGy + (r.boostGy ?? 0)) };
  if (r.side !== undefined) c.side = r.side;
  for (const k of ['heartInField', 'heartDoseGy', 'breastInField', 'gonadsInField', 'bladderInField', 'kidneyInField'] as const) {
    if (r[k] !== undefined) (c as Record<string, unknown>)[k] = r[k];
  }
  return c;
}

const has = (list: readonly string[], x: string) => list.includes(x);

function radiationTotals(courses: readonly Course[], decided: boolean, output: string, missingField: string): Derived<RadiationTotals> {
  if (!decided) return missing(missingField, output);
  const list = courses.map((c) => c.course);
  const byField: Record<string, number> = {};
  for (const c of list) byField[c.field] = round3((byField[c.field] ?? 0) + c.doseGy);
  const chest = chestHeartRtGy(list);
  const breast = breastRtGy(list);
  const aps = round3(list.filter((c) => has(ABDOMEN_PELVIS_SPINE_FIELDS, c.field)).reduce((s, c) => s + c.doseGy, 0));
  const value: RadiationTotals = {
    courses: courses.map((c) => ({ field: c.course.field, ...(c.course.side ? { side: c.course.side } : {}), totalGy: c.course.doseGy, startDate: c.startDate })),
    byFieldGy: byField,
    chestHeartGy: chest.gy,
    breastGy: breast.gy,
    abdomenPelvisSpineGy: aps,
    headNeck: list.some((c) => has(HEAD_NECK_FIELDS, c.field)),
    pelvic: list.some(isPelvicCourse),
    gonadsInField: list.some((c) => c.gonadsInField === true),
  };
  const text = list.length === 0
    ? 'no radiation'
    : `${list.map((c) => `${c.field}${c.side ? ` (${c.side})` : ''} ${fmt(c.doseGy)} Gy`).join(', ')}; chest/heart ${fmt(chest.gy)} Gy, breast ${fmt(breast.gy)} Gy, abdomen/pelvis/spine ${fmt(aps)} Gy`;
  return derived(value, output, ['R-LE-RT', 'R-LE-ECHO', 'R-LE-SMN'], text);
}

function hearing(f: CaseFacts, agents: Map<string, Acc>, values: Record<string, Derived<number>>, rt: RadiationTotals | null, source: 'planned' | 'received'): Derived<HearingRisk> {
  const OUT = 'exposure.hearing';
  const cis = agents.has('cisplatin') ? values.cisplatin?.value ?? null : 0;
  const carbo = agents.has('carboplatin') ? values.carboplatin?.value ?? null : 0;
  const platinum = agents.has('cisplatin') || agents.has('carboplatin');
  if (!platinum) {
    return derived({ platinum: false, cisplatinMgM2: 0, carboplatinMgM2: 0, monitoring: 'none for platinum', higherRisk: [] }, OUT, ['R-LE-OTO'], 'no cisplatin or carboplatin → no platinum hearing monitoring');
  }
  const risk: string[] = [];
  if (rt?.headNeck) risk.push('cranial/head and neck RT');
  const context = `; hearing loss is worse in young children (age ${fmt(f.ageMonths)} months at diagnosis)${rt === null ? '; cranial/head and neck RT not decided yet' : ''}`;
  const onlyCarbo = !agents.has('cisplatin');
  const monitoring = source === 'planned'
    ? onlyCarbo
      ? 'carboplatin: audiology at entry into long-term follow-up if myeloablative (R-LE-OTO)'
      : 'audiology at baseline and before each cisplatin cycle; then at entry into long-term follow-up'
    : onlyCarbo
      ? 'audiological evaluation at entry into long-term follow-up if the carboplatin was myeloablative'
      : 'audiological evaluation at entry into long-term follow-up, then as audiology recommends';
  const doses = [agents.has('cisplatin') ? `cisplatin ${cis === null ? 'dose unknown' : `${fmt(cis)} mg/m²`}` : '', agents.has('carboplatin') ? `carboplatin ${carbo === null ? 'dose unknown' : `${fmt(carbo)} mg/m²`}` : ''].filter(Boolean).join(', ');
  return derived({ platinum, cisplatinMgM2: cis, carboplatinMgM2: carbo, monitoring, higherRisk: risk }, OUT, ['R-LE-OTO'],
    `${doses}${risk.length ? ` with ${risk.join(', ')}` : ''} → ${monitoring}${context}`, { unverified: true });
}

function fertility(f: CaseFacts, planned: PlannedExposure, rt: RadiationTotals | null, ced: number | null): Derived<FertilityRisk> {
  const OUT = 'exposure.fertility';
  // The RT trigger of R-FERT: RT to a primary near the gonads, or any course with the gonads in the field / pelvic.
  const rtGy = rt === null ? null : rt.courses.reduce((m, c) => Math.max(m, c.totalGy), 0);
  const ind = fertilityIndication(f, planned, rtGy, OUT);
  const gonadal = rt !== null && (rt.gonadsInField || rt.pelvic);
  const explanations: Explanation[] = [...ind.explanations];
  let indicated = ind.value;
  if (gonadal && indicated !== true) {
    indicated = true;
    explanations.push({ output: OUT, rules: ['R-FERT'], text: 'radiation with the gonads in the field or a pelvic field' });
  }
  if (indicated === false && rt === null && isGonadNearSite(f)) {
    // RT near the gonads is one of the triggers, and the plan has not decided on RT yet.
    return { value: null, explanations, missing: [{ field: 'localControl.selected', needed_for: OUT }] };
  }
  if (indicated === null) return { value: null, explanations, missing: ind.missing };
  const male = f.sex === 'male';
  const impaired = male && ced !== null ? ced >= 4000 : null;
  if (impaired) explanations.push({ output: OUT, rules: ['R-FERT', 'R-LE-CED'], text: `male, CED ${fmt(ced!)} mg/m² ≥4,000: associated with impaired spermatogenesis (Green 2014)`, unverified: true });
  if (!indicated) return { value: { indicated: false, options: [], impairedSpermatogenesisRisk: impaired }, explanations, missing: [] };
  let options: FertilityOption[] | null;
  const opts = fertilityOptions(f, planned, rtGy);
  const miss = [...opts.missing];
  if (f.pubertalStatus === undefined) options = null;
  else {
    const chosen = new Set<FertilityOption>(opts.value ?? []);
    if (chosen.size === 0) for (const o of fertilityOptionRules.find((r) => r.when({ sex: f.sex, puberty: f.pubertalStatus! }))?.value ?? []) chosen.add(o);
    if (gonadal && !isGonadNearSite(f)) for (const o of pelvicRtOptions[f.sex]) chosen.add(o);
    options = FERTILITY_OPTIONS.filter((o) => chosen.has(o));
  }
  explanations.push(...opts.explanations.map((e) => ({ ...e, output: OUT })));
  return { value: { indicated: true, options, impairedSpermatogenesisRisk: impaired }, explanations, missing: miss.map((m) => ({ ...m, needed_for: OUT })) };
}

function summarize(
  source: 'planned' | 'received', f: CaseFacts, accs: Map<string, Acc>, courses: readonly Course[], rtDecided: boolean,
  templateId: PlannedExposure['templateId'], period: ExposureSummary['period'],
): ExposureSummary {
  const agents: Record<string, Derived<number>> = {};
  const known: Record<string, number> = {};
  const unknown: Array<{ agent: string; reason: string }> = [];
  for (const [agent, acc] of accs) {
    const d = agentDerived(agent, acc, source);
    agents[agent] = d;
    if (d.value !== null) known[agent] = d.value;
    else unknown.push({ agent, reason: acc.unknown.join('; ') });
  }
  const incomplete = unknown.map((u) => u.agent).filter((a) => LATE_EFFECT_AGENTS.includes(a));
  const planned: PlannedExposure = { templateId, totalsMgM2: known, agents: [...accs.keys()], incomplete };
  const ced = plannedCedMgM2(planned, 'exposure.cedMgM2');
  const dox = plannedDoxorubicinEquivalentMgM2(planned, undefined, 'exposure.doxorubicinEquivalentMgM2');
  const missingRt = source === 'planned' ? 'localControl.selected' : 'administrations';
  const rt = radiationTotals(courses, rtDecided, 'exposure.radiation', missingRt);
  let echo: Derived<EchoFrequency>;
  if (dox.value === null) {
    echo = notApplicable('exposure.echoFrequency', ['R-LE-ECHO'], 'doxorubicin equivalent unknown → echocardiogram frequency unknown');
  } else {
    echo = echoFrequency(dox.value, rt.value?.chestHeartGy ?? null, 'exposure.echoFrequency');
    if (echo.value === null) echo = { ...echo, missing: echo.missing.map((m) => ({ ...m, field: missingRt })) };
  }
  const fert = fertility(f, planned, rt.value, ced.value);
  return {
    source, agents, cumulativeMgM2: known, unknown,
    cedMgM2: ced, doxorubicinEquivalentMgM2: dox, echoFrequency: echo,
    hearing: hearing(f, accs, agents, rt.value, source),
    fertility: source === 'planned' ? fert : { ...fert, explanations: fert.explanations.map((e) => ({ ...e, text: e.text.replaceAll('planned', 'received') })) },
    radiation: rt,
    courses,
    period,
  };
}

/**
 * Planned exposure of a plan document (rules.md §2, §4): per agent, Σ count × administrations × dose in mg/m² over
 * its cycles (the mg cap applied when the BSA is known; flat mg and mg/kg converted only with the BSA, and weight, the
 * plan gives), then CED, doxorubicin equivalent, echo frequency, hearing, fertility and radiation totals. Planned
 * radiation is the selected local control; while none is selected and RT is among the options, RT stays unknown.
 */
export function planExposure(content: PlanContent, facts: CaseFacts): ExposureSummary {
  const body = { bsaM2: content.bsaM2, weightKg: content.weightKg };
  const accs = new Map<string, Acc>();
  const extra = content.templateId !== null ? [content.templateId] : [];
  for (const phase of content.phases) {
    for (const cycle of phase.cycles) {
      for (const a of cycle.agents) {
        const acc = accumulate(accs, normalizeAgent(a.agent), extra);
        if (a.doseModification !== undefined) for (const r of a.doseModification.rules) acc.rules.add(r);
        addDose(acc, cycle.count === null ? null : cycle.count * a.administrations, a, body, `${phase.name} › ${cycle.regimen}`);
      }
    }
  }
  const courses: Course[] = [];
  for (const s of content.localControl.selected) if (s.kind === 'radiation') courses.push({ course: toCourse(s.radiation), startDate: null });
  const rtOption = content.localControl.considered.some((o) => o.kind === 'radiation' || o.kind === 'surgery_and_radiation');
  const decided = content.localControl.selected.length > 0 || !rtOption;
  return summarize('planned', facts, accs, courses, decided, content.templateId, { first: null, last: null });
}

/**
 * Received exposure from administrations (rules.md §4, COG LTFU by exposure): per agent, Σ dose × administrations
 * in mg/m² (a flat mg dose converted with the BSA recorded on that cycle; unknown without it), radiation courses
 * as given, and the same late-effect arithmetic as `planExposure`.
 */
export function receivedExposure(administrations: readonly Administration[], facts: CaseFacts): ExposureSummary {
  const accs = new Map<string, Acc>();
  const courses: Course[] = [];
  let first: string | null = null;
  let last: string | null = null;
  const seen = (d: string) => {
    if (first === null || d < first) first = d;
    if (last === null || d > last) last = d;
  };
  for (const a of administrations) {
    if (a.kind === 'chemo') {
      seen(a.date);
      for (const g of a.agents) addDose(accumulate(accs, normalizeAgent(g.agent), []), g.administrations ?? 1, g, { bsaM2: a.bsaM2 }, a.date);
    } else if (a.kind === 'radiation') {
      seen(a.startDate);
      seen(a.endDate ?? a.startDate);
      courses.push({ course: toCourse(a), startDate: a.startDate });
    } else {
      seen(a.date);
    }
  }
  return summarize('received', facts, accs, courses, true, null, { first, last });
}
