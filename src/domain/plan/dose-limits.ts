import { RADIATION_FIELDS, type RadiationField } from '../facts/case-facts.js';
import { fmt } from './context.js';
import { normalizeAgent } from './exposure.js';

/**
 * Allowed dose per administration, per agent and unit, for checking a plan or a recorded administration. This is a
 * guard against unit confusion and typing errors (doxorubicin 5,000 mg/m² instead of 50), not a clinical dosing rule:
 * each upper bound is the highest per-administration dose any template in rules.md §2 gives for the agent, widened
 * where stated, and its row says where it comes from. Doses outside it are rejected, naming the range.
 *
 * Units: a dose states its unit by the field that is set (exactly one of `doseMgM2`, `doseMgKg`, `doseMg`).
 * - mg/m² is the default unit of every agent here.
 * - mg/kg is accepted for agents whose protocols dose per kg in every child (dactinomycin 0.045 mg/kg, rules.md §2.3),
 *   and for any agent in a small child (R-AGE-INFANT: age <12 months, weight <10 kg or BSA <0.6 m²), where
 *   the range is the mg/m² range ÷ 30 (rules.md §3.1: mg/kg ≈ mg/m² ÷ 30).
 * - A flat dose in mg is converted with the BSA and checked in mg/m² (and against the cap of capped agents: vincristine
 *   2 mg, dactinomycin 2.5 mg). Without a BSA it cannot be checked or converted and is flagged (a warning), unless it
 *   is above the cap or more than the mg/m² range allows at any body size (BSA 3 m²), which is an error.
 * - An agent missing from the table (supportive drugs, agents of regimens outside rules.md) is accepted only with a
 *   note saying where its dose comes from, and is then reported as not range-checked (a warning); without a note it
 *   is an error. That keeps a typo ("doxorubicine") from silently escaping every check.
 */

/** Dose units, by the field that carries them. */
export const DOSE_FIELDS = { doseMgM2: 'mg/m²', doseMgKg: 'mg/kg', doseMg: 'mg' } as const;
export type DoseField = keyof typeof DOSE_FIELDS;
export type DoseUnit = (typeof DOSE_FIELDS)[DoseField];
const DOSE_FIELD_NAMES = Object.keys(DOSE_FIELDS) as DoseField[];

/** An allowed range: above 0 (or 0 where a withheld dose is recorded) up to `max`, per administration. */
export interface DoseRange {
  readonly max: number;
}

/** One row of the dose-limit table. */
export interface DoseLimit {
  /** Per administration, mg/m². */
  readonly mgM2: DoseRange;
  /** Per administration, mg/kg, for agents dosed per kg in every child. */
  readonly mgKg?: DoseRange;
  /** The largest cap per administration (`maxMg`) a plan may give; also an absolute limit on a flat dose. */
  readonly capMg?: number;
  /** Where the bound comes from (shown in the error). */
  readonly source: string;
  /** The bound rests on [K] knowledge, not a rules.md template dose. */
  readonly unverified?: boolean;
}

/** Per-administration dose limits by agent (lowercase key, as in `exposures.agents`). */
export const DOSE_LIMITS = {
  doxorubicin: { mgM2: { max: 90 }, source: 'highest template dose 75 mg/m² (AEWS0031, MAP); 90 allows rounding' },
  vincristine: {
    mgM2: { max: 2 }, capMg: 2,
    source: '2 mg/m² (AEWS0031) or 1.5 mg/m² (RMS), max 2 mg per dose',
  },
  dactinomycin: {
    mgM2: { max: 2 }, mgKg: { max: 0.06 }, capMg: 2.5,
    source: '0.045 mg/kg, max 2.5 mg (RMS, rules.md §2.3); 1.5 mg/m² (EpSSG IVADo)',
  },
  cyclophosphamide: { mgM2: { max: 2200 }, source: '1.2 g/m² (VDC/VAC), 2.2 g/m² per cycle (D9602 subset B), oral 25 mg/m²/day' },
  ifosfamide: { mgM2: { max: 3000 }, source: '1.8 g/m²/day (AEWS0031), 3 g/m²/day (EpSSG, ARST0332)' },
  etoposide: { mgM2: { max: 200 }, source: '100 mg/m²/day (AEWS0031); bound is twice that', unverified: true },
  cisplatin: { mgM2: { max: 120 }, source: '120 mg/m² per MAP cycle (EURAMOS-1)' },
  carboplatin: { mgM2: { max: 800 }, source: 'no template in rules.md; platform bound [K]', unverified: true },
  methotrexate: { mgM2: { max: 12000 }, source: 'high-dose methotrexate 12 g/m² with leucovorin rescue (MAP)' },
  irinotecan: { mgM2: { max: 125 }, source: '50 mg/m²/day × 5 (RMS VI); bound allows weekly schedules [K]', unverified: true },
  temozolomide: { mgM2: { max: 200 }, source: 'no template in rules.md; 200 mg/m²/day monotherapy [K]', unverified: true },
  vinorelbine: { mgM2: { max: 30 }, source: '25 mg/m² days 1, 8, 15 (EpSSG maintenance); bound 30 [K]', unverified: true },
  topotecan: { mgM2: { max: 2 }, source: 'no template in rules.md; 0.75–1.5 mg/m²/day [K]', unverified: true },
} as const satisfies Record<string, DoseLimit>;

export type LimitedAgent = keyof typeof DOSE_LIMITS;

/** The limit row of an agent (aliases resolved), or undefined when the table does not know it. */
export function doseLimit(agent: string): DoseLimit | undefined {
  const k = normalizeAgent(agent);
  return Object.hasOwn(DOSE_LIMITS, k) ? (DOSE_LIMITS as Record<string, DoseLimit>)[k] : undefined;
}

/** mg/kg ≈ mg/m² ÷ 30 (rules.md §3.1, R-AGE-INFANT). */
export const MG_KG_PER_MG_M2 = 1 / 30;
/** Largest body surface area the checks assume (m²): a flat dose above max mg/m² × this is wrong at any size. */
export const MAX_BSA_M2 = 3;

/**
 * Small child for per-kg dosing (R-AGE-INFANT [D]): protocols use thresholds such as <12 months, <10–12 kg or BSA
 * <0.6 m²; the platform accepts per-kg dosing when any one holds and leaves the choice to the protocol document.
 */
export const SMALL_CHILD = { ageMonthsBelow: 12, weightKgBelow: 10, bsaM2Below: 0.6 } as const;

/** What the dose checks know about the child and the context. */
export interface DoseContext {
  readonly bsaM2?: number | undefined;
  readonly weightKg?: number | undefined;
  readonly ageMonths?: number | undefined;
  /** A recorded administration may record 0 (withheld) when a deviation says why; a plan may not. */
  readonly zeroAllowed?: boolean;
  /** 'plan' or 'administration', for the wording of the zero-dose message. */
  readonly context?: 'plan' | 'administration';
}

/** An agent dose as plans and administrations carry it. */
export interface AgentDoseInput {
  readonly agent: string;
  readonly doseMgM2?: number | undefined;
  readonly doseMgKg?: number | undefined;
  readonly doseMg?: number | undefined;
  readonly maxMg?: number | undefined;
  readonly note?: string | undefined;
}

/** One finding: an error rejects the document; a warning is shown but accepted. `field` is relative to the agent. */
export interface DoseFinding {
  readonly level: 'error' | 'warning';
  readonly field: DoseField | 'agent' | 'maxMg' | 'doseGy' | 'boostGy' | 'fractions' | 'heartDoseGy';
  readonly message: string;
}

/** The dose fields that are set. */
export function doseFieldsSet(a: Pick<AgentDoseInput, DoseField>): DoseField[] {
  return DOSE_FIELD_NAMES.filter((k) => a[k] !== undefined);
}

/** The agent's dose and unit when exactly one unit is set; null otherwise. */
export function agentDose(a: Pick<AgentDoseInput, DoseField>): { field: DoseField; value: number; unit: DoseUnit } | null {
  const set = doseFieldsSet(a);
  if (set.length !== 1) return null;
  const field = set[0]!;
  return { field, value: a[field]!, unit: DOSE_FIELDS[field] };
}

/** "75 mg/m²" style text of an agent's dose, or "dose not set". */
export function formatDose(a: Pick<AgentDoseInput, DoseField>): string {
  const d = agentDose(a);
  if (d === null) return doseFieldsSet(a).length > 1 ? 'dose in more than one unit' : 'dose not set';
  return `${fmt(d.value)} ${d.unit}`;
}

function isSmallChild(ctx: DoseContext): boolean {
  return (ctx.ageMonths !== undefined && ctx.ageMonths < SMALL_CHILD.ageMonthsBelow)
    || (ctx.weightKg !== undefined && ctx.weightKg < SMALL_CHILD.weightKgBelow)
    || (ctx.bsaM2 !== undefined && ctx.bsaM2 < SMALL_CHILD.bsaM2Below);
}

const range = (max: number, unit: string) => `0–${fmt(max)} ${unit}`;
const shown = (v: number) => (Number.isFinite(v) ? fmt(v) : String(v));

/**
 * Checks one agent's dose per administration against DOSE_LIMITS (see the module comment for the unit rules):
 * two units at once, a unit the agent does not allow, NaN/infinite, negative, zero where not allowed, and doses
 * above the range are errors naming the range; a flat dose that cannot be checked without a BSA and an agent
 * outside the table (with a note) are warnings. An agent with no dose set gives no finding (an open item).
 */
export function checkAgentDose(a: AgentDoseInput, ctx: DoseContext = {}): DoseFinding[] {
  const out: DoseFinding[] = [];
  const set = doseFieldsSet(a);
  if (set.length > 1) {
    out.push({
      level: 'error', field: set[0]!,
      message: `${a.agent}: the dose is given in ${set.map((k) => `${k} (${DOSE_FIELDS[k]})`).join(' and ')}; give exactly one unit`,
    });
    return out;
  }
  const limit = doseLimit(a.agent);
  const hasNote = (a.note ?? '').trim().length > 0;
  if (limit === undefined) {
    out.push(hasNote
      ? { level: 'warning', field: 'agent', message: `${a.agent} is not in the dose-limit table: its dose is not range-checked (accepted on the strength of its note)` }
      : { level: 'error', field: 'agent', message: `${a.agent} is not in the dose-limit table: check the spelling, or add a note saying where its dose comes from to accept it unchecked` });
  }
  const d = agentDose(a);
  if (d === null) return out;
  const { field, value: v, unit } = d;
  const what = `${a.agent} ${shown(v)} ${unit} per administration`;
  const rangeFor = (max: number, u: string) => `${range(max, u)}${limit ? ` (${limit.source})` : ''}`;

  // The range this agent allows in this unit, when there is one.
  let max: number | undefined;
  let note = '';
  if (limit !== undefined) {
    if (field === 'doseMgM2') max = limit.mgM2.max;
    else if (field === 'doseMgKg') {
      if (limit.mgKg !== undefined) max = limit.mgKg.max;
      else if (isSmallChild(ctx)) {
        max = limit.mgM2.max * MG_KG_PER_MG_M2;
        note = ', small-child per-kg dosing: mg/m² range ÷ 30 (R-AGE-INFANT)';
      } else {
        const known = ctx.ageMonths !== undefined || ctx.weightKg !== undefined || ctx.bsaM2 !== undefined;
        out.push({
          level: 'error', field,
          message: `${a.agent} is dosed per m²: mg/kg is accepted only for a small child (age <12 months, weight <10 kg or BSA <0.6 m²; R-AGE-INFANT)${known ? '' : ', and neither age, weight nor BSA is given'}; use doseMgM2`,
        });
        return out;
      }
    }
  }

  if (!Number.isFinite(v)) {
    out.push({ level: 'error', field, message: `${what} is not a number${limit ? `; allowed range ${rangeFor(max ?? limit.mgM2.max, max === undefined ? 'mg/m²' : unit)}` : ''}` });
    return out;
  }
  if (v < 0) {
    out.push({ level: 'error', field, message: `${what} is negative${limit ? `; allowed range ${rangeFor(max ?? limit.mgM2.max, max === undefined ? 'mg/m²' : unit)}` : ''}` });
    return out;
  }
  if (v === 0) {
    if (!ctx.zeroAllowed) {
      out.push({
        level: 'error', field,
        message: ctx.context === 'administration'
          ? `${what}: a withheld (zero) dose needs a deviation saying why`
          : `${what}: a zero dose is not allowed in a plan (remove the agent from the cycle instead)`,
      });
    }
    return out;
  }
  if (limit === undefined) return out;

  if (field === 'doseMg') {
    if (limit.capMg !== undefined && v > limit.capMg) {
      out.push({ level: 'error', field, message: `${a.agent} ${fmt(v)} mg per administration exceeds the cap of ${fmt(limit.capMg)} mg (${limit.source})` });
      return out;
    }
    if (ctx.bsaM2 !== undefined && ctx.bsaM2 > 0) {
      const perM2 = v / ctx.bsaM2;
      if (perM2 > limit.mgM2.max) {
        out.push({ level: 'error', field, message: `${a.agent} ${fmt(v)} mg per administration (${fmt(Math.round(perM2 * 100) / 100)} mg/m² at BSA ${fmt(ctx.bsaM2)} m²) is outside the allowed range ${rangeFor(limit.mgM2.max, 'mg/m²')}` });
      }
      return out;
    }
    if (v > limit.mgM2.max * MAX_BSA_M2) {
      out.push({ level: 'error', field, message: `${a.agent} ${fmt(v)} mg per administration is more than the allowed ${rangeFor(limit.mgM2.max, 'mg/m²')} at any body size (BSA ≤${MAX_BSA_M2} m²)` });
      return out;
    }
    out.push({ level: 'warning', field, message: `${a.agent} is dosed per m²: a flat dose of ${fmt(v)} mg cannot be checked or converted to mg/m² without the BSA (bsaM2)` });
    return out;
  }
  if (max !== undefined && v > max) {
    out.push({ level: 'error', field, message: `${what} is outside the allowed range ${rangeFor(max, unit)}${note}` });
  }
  return out;
}

/** Checks a per-administration cap in mg (`maxMg`): positive, finite, and not above the agent's cap. */
export function checkMaxMg(a: AgentDoseInput): DoseFinding[] {
  if (a.maxMg === undefined) return [];
  const limit = doseLimit(a.agent);
  if (!Number.isFinite(a.maxMg) || a.maxMg <= 0) return [{ level: 'error', field: 'maxMg', message: `${a.agent}: the cap per administration must be a positive number of mg, got ${shown(a.maxMg)}` }];
  const ceiling = limit?.capMg ?? (limit ? limit.mgM2.max * MAX_BSA_M2 : undefined);
  if (ceiling !== undefined && a.maxMg > ceiling) {
    return [{ level: 'error', field: 'maxMg', message: `${a.agent}: a cap of ${fmt(a.maxMg)} mg per administration is above the allowed ${fmt(ceiling)} mg (${limit!.source})` }];
  }
  return [];
}

// ---- Radiation ----

/** A radiation dose limit: the largest total (dose + boost) for the field, and where it comes from. */
export interface RadiationLimit {
  readonly maxGy: number;
  readonly source: string;
}

/** Default limit for a field not listed in RADIATION_FIELD_LIMITS. */
export const RADIATION_DEFAULT_LIMIT = {
  maxGy: 80, source: 'highest dose in rules.md is ≥60 Gy for osteosarcoma (R-OS); 80 Gy is a platform bound',
} as const satisfies RadiationLimit;

/** Field-specific limits (R-RMS-RT, R-EWS-LC): whole-lung RT is 12–15 Gy; total-body RT is given only at low dose. */
export const RADIATION_FIELD_LIMITS = {
  whole_lung: { maxGy: 20, source: 'whole-lung RT 12–15 Gy (R-RMS-RT, R-EWS-LC); bound 20 Gy' },
  total_body: { maxGy: 15, source: 'total-body RT is a low-dose conditioning field; bound 15 Gy [K]' },
} as const satisfies Partial<Record<RadiationField, RadiationLimit>>;

/** Largest dose per fraction accepted (Gy); above it a fraction count is surely a typing error. */
export const MAX_GY_PER_FRACTION = 20;

export function radiationLimit(field: RadiationField): RadiationLimit {
  return (RADIATION_FIELD_LIMITS as Partial<Record<RadiationField, RadiationLimit>>)[field] ?? RADIATION_DEFAULT_LIMIT;
}

/** A radiation prescription as plans and administrations carry it. `doseGy` excludes the boost. */
export interface RadiationDoseInput {
  readonly field: RadiationField;
  readonly doseGy: number;
  readonly boostGy?: number | undefined;
  readonly fractions?: number | undefined;
  readonly heartDoseGy?: number | undefined;
}

/** Checks a radiation prescription: dose and boost finite and ≥0, the total within the field's limit, and the dose per fraction. */
export function checkRadiationDose(r: RadiationDoseInput, ctx: Pick<DoseContext, 'zeroAllowed' | 'context'> = {}): DoseFinding[] {
  if (!(RADIATION_FIELDS as readonly string[]).includes(r.field)) return [];
  const limit = radiationLimit(r.field);
  const out: DoseFinding[] = [];
  const rangeText = `0–${fmt(limit.maxGy)} Gy (${limit.source})`;
  if (!Number.isFinite(r.doseGy) || r.doseGy < 0 || (r.doseGy === 0 && !ctx.zeroAllowed)) {
    const why = !Number.isFinite(r.doseGy) ? 'is not a number' : r.doseGy < 0 ? 'is negative' : 'is zero';
    out.push({ level: 'error', field: 'doseGy', message: `${r.field} RT dose ${shown(r.doseGy)} Gy ${why}; allowed range ${rangeText}` });
    return out;
  }
  const boost = r.boostGy ?? 0;
  if (!Number.isFinite(boost) || boost < 0) {
    out.push({ level: 'error', field: 'boostGy', message: `${r.field} RT boost ${shown(boost)} Gy must be a number ≥0` });
    return out;
  }
  const total = r.doseGy + boost;
  if (total > limit.maxGy) {
    out.push({
      level: 'error', field: r.boostGy !== undefined ? 'boostGy' : 'doseGy',
      message: `${r.field} RT ${fmt(total)} Gy${r.boostGy !== undefined ? ` (${fmt(r.doseGy)} + ${fmt(boost)} Gy boost)` : ''} is outside the allowed range ${rangeText}`,
    });
  }
  if (r.fractions !== undefined && r.fractions > 0 && total / r.fractions > MAX_GY_PER_FRACTION) {
    out.push({ level: 'error', field: 'fractions', message: `${r.field} RT ${fmt(total)} Gy in ${r.fractions} fractions is ${fmt(Math.round((total / r.fractions) * 100) / 100)} Gy per fraction, above ${MAX_GY_PER_FRACTION} Gy: check the dose or the fraction count` });
  }
  if (r.heartDoseGy !== undefined && (!Number.isFinite(r.heartDoseGy) || r.heartDoseGy < 0 || r.heartDoseGy > total)) {
    out.push({ level: 'error', field: 'heartDoseGy', message: `${r.field} RT heart dose ${shown(r.heartDoseGy)} Gy must be between 0 and the prescribed ${fmt(total)} Gy` });
  }
  return out;
}

// ---- Unit conversion ----

/** Body size known for a conversion. */
export interface BodySize {
  readonly bsaM2?: number | undefined;
  readonly weightKg?: number | undefined;
}

/** A dose per administration in mg/m², or why it is unknown. */
export interface MgM2 {
  readonly mgM2: number | null;
  /** The mg cap lowered the dose (vincristine 2 mg at BSA >1 m²). */
  readonly capped: boolean;
  /** A cap exists but the BSA is unknown, so the value is an upper bound. */
  readonly upperBound: boolean;
  readonly unknown?: string;
}

/**
 * A dose per administration in mg/m²: mg/m² as given (lowered by the mg cap when the BSA is known), mg/kg × weight ÷ BSA,
 * flat mg ÷ BSA. Unknown (null, with the reason) when the body size it needs is not given or no dose is set:
 * nothing is assumed.
 */
export function toMgM2(a: Pick<AgentDoseInput, DoseField | 'maxMg'>, body: BodySize): MgM2 {
  const bsa = body.bsaM2 !== undefined && body.bsaM2 > 0 ? body.bsaM2 : undefined;
  const d = agentDose(a);
  if (d === null) return { mgM2: null, capped: false, upperBound: false, unknown: doseFieldsSet(a).length > 1 ? 'dose given in more than one unit' : 'dose not set' };
  let mgM2: number;
  if (d.field === 'doseMgM2') mgM2 = d.value;
  else if (d.field === 'doseMgKg') {
    if (bsa === undefined || body.weightKg === undefined) return { mgM2: null, capped: false, upperBound: false, unknown: `${fmt(d.value)} mg/kg needs weight and BSA to convert to mg/m²` };
    mgM2 = (d.value * body.weightKg) / bsa;
  } else {
    if (bsa === undefined) return { mgM2: null, capped: false, upperBound: false, unknown: `flat dose ${fmt(d.value)} mg needs the BSA to convert to mg/m²` };
    mgM2 = d.value / bsa;
  }
  if (a.maxMg !== undefined && a.maxMg > 0) {
    if (bsa === undefined) return { mgM2, capped: false, upperBound: true };
    const capPerM2 = a.maxMg / bsa;
    if (mgM2 > capPerM2) return { mgM2: capPerM2, capped: true, upperBound: false };
  }
  return { mgM2, capped: false, upperBound: false };
}
