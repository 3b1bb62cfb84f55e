import type { CaseFacts } from '../facts/case-facts.js';
import type { Assessment, EchoFrequency } from '../facts/assessment.js';
import { derived, missing, notApplicable, provenance, type Derived, type Explanation, type TRule } from '../rules/derive.js';
import { lookupMorphology } from '../coding/morphology.js';
import { blocked, undecided, familyOf, fmt, hasLungMetastases, round3, type StagingContext } from './context.js';
import { TEMPLATES, templateAgents, type TemplateId, type TreatmentTemplate } from './templates.js';

/**
 * Exposure arithmetic (rules.md §4): cyclophosphamide equivalent dose (R-LE-CED), doxorubicin-equivalent
 * anthracycline dose (R-LE-ANTHRA), echocardiogram frequency (R-LE-ECHO), planned totals from a template and the
 * planned radiation dose (R-RMS-RT, R-EWS-LC, R-NRSTS-ARM, R-OS). All doses are cumulative mg/m².
 */

// ---- Agent names ----

/** Other spellings of agent keys, mapped to the lowercase key the tables use. */
export const AGENT_ALIASES = {
  bcnu: 'carmustine', ccnu: 'lomustine', 'nitrogen mustard': 'mechlorethamine', nitrogen_mustard: 'mechlorethamine',
  mustine: 'mechlorethamine', 'actinomycin d': 'dactinomycin', actinomycin_d: 'dactinomycin', adriamycin: 'doxorubicin',
  vp16: 'etoposide', 'vp-16': 'etoposide', mtx: 'methotrexate',
} as const satisfies Record<string, string>;

/** Agent keys already normalized (a few dozen names recur across cases; bounded so odd input cannot grow it). */
const NORMALIZED_AGENTS = new Map<string, string>();

/** Lowercase, trimmed, alias-resolved agent key. */
export function normalizeAgent(name: string): string {
  const known = NORMALIZED_AGENTS.get(name);
  if (known !== undefined) return known;
  const k = name.trim().toLowerCase();
  const key = Object.hasOwn(AGENT_ALIASES, k) ? (AGENT_ALIASES as Record<string, string>)[k]! : k;
  if (NORMALIZED_AGENTS.size < 1024) NORMALIZED_AGENTS.set(name, key);
  return key;
}

/** Agent doses with normalized keys (doses of two spellings of one agent are added). */
export function normalizeAgents(agents: Readonly<Record<string, number>>): Record<string, number> {
  // A Map, not `out[k] ??`: an agent called "constructor" or "__proto__" must not meet Object.prototype.
  const sums = new Map<string, number>();
  for (const [name, dose] of Object.entries(agents)) {
    const k = normalizeAgent(name);
    sums.set(k, (sums.get(k) ?? 0) + dose);
  }
  return Object.fromEntries(sums);
}

// ---- R-LE-CED ----

/** CED coefficients (Green et al., Pediatr Blood Cancer 2014; R-LE-CED). The coefficients are [K]. */
export const CED_COEFFICIENTS = {
  cyclophosphamide: 1.0, ifosfamide: 0.244, procarbazine: 0.857, chlorambucil: 14.286, carmustine: 15.0,
  lomustine: 16.0, melphalan: 40, thiotepa: 50, mechlorethamine: 100, busulfan: 8.823,
} as const satisfies Record<string, number>;
export type AlkylatingAgent = keyof typeof CED_COEFFICIENTS;

/** An alkylator counted in the CED (R-LE-CED). */
export function isAlkylator(agent: string): agent is AlkylatingAgent {
  return Object.hasOwn(CED_COEFFICIENTS, normalizeAgent(agent));
}

/**
 * Cyclophosphamide equivalent dose in mg/m² (R-LE-CED): Σ coefficient × cumulative dose over the ten alkylators of
 * Green 2014. Other agents do not count. Keys are matched case-insensitively (aliases: BCNU, CCNU, nitrogen mustard).
 */
export function cedMgM2(agents: Readonly<Record<string, number>>, output = 'cedMgM2'): Derived<number> {
  const terms: string[] = [];
  let total = 0;
  for (const [agent, dose] of Object.entries(normalizeAgents(agents))) {
    if (!isAlkylator(agent) || dose <= 0) continue;
    const c = CED_COEFFICIENTS[agent];
    total += c * dose;
    terms.push(`${agent} ${fmt(dose)} × ${c}`);
  }
  const value = round3(total);
  const text = terms.length === 0
    ? 'no alkylating agent → CED 0 mg/m²'
    : `CED = ${terms.join(' + ')} = ${fmt(value)} mg/m²`;
  return derived(value, output, ['R-LE-CED'], text, { unverified: true });
}

// ---- R-LE-ANTHRA ----

/** One doxorubicin-equivalence factor, with its [K] marker (R-LE-ANTHRA). */
export interface AnthracyclineFactor {
  readonly factor: number;
  readonly unverified?: boolean;
  readonly note?: string;
}

/** A versioned doxorubicin-equivalence table (R-LE-ANTHRA); swap it when COG LTFU v6 values are confirmed. */
export interface AnthracyclineFactorTable {
  readonly id: string;
  readonly version: string;
  readonly title: string;
  readonly sources: readonly string[];
  readonly factors: Readonly<Record<string, AnthracyclineFactor>>;
  readonly unverified?: boolean;
}

/** Platform default: IGHG 2024/25 and Feijen 2019 cardiomyopathy-based factors (R-LE-ANTHRA). */
export const ANTHRACYCLINE_FACTORS_IGHG_2024 = {
  id: 'ighg-2024-feijen-2019', version: '2026.1',
  title: 'IGHG 2024/25 recommendation with Feijen 2019 cardiomyopathy-based factors',
  sources: ['Feijen et al., JAMA Oncol 2019 (PMC6490232)', 'IGHG equivalence-ratio panel, JACC CardioOncology'],
  factors: {
    doxorubicin: { factor: 1 },
    daunorubicin: { factor: 0.6 },
    epirubicin: { factor: 0.8, note: 'Feijen 2019; IGHG makes no recommendation' },
    idarubicin: { factor: 5, unverified: true, note: 'Feijen: not estimable; IGHG: no recommendation; older COG value kept [K]' },
    mitoxantrone: { factor: 10.5 },
  },
} as const satisfies AnthracyclineFactorTable;

/** Older COG LTFU (v4–v5, hematologic isotoxic) factors [K]; kept for comparison and for re-computing old plans. */
export const ANTHRACYCLINE_FACTORS_COG_LTFU_V5 = {
  id: 'cog-ltfu-v5', version: '2026.1',
  title: 'Older COG LTFU (v4–v5) hematologic isotoxic factors',
  sources: ['COG LTFU Guidelines v4–v5 [K]'],
  factors: {
    doxorubicin: { factor: 1 },
    daunorubicin: { factor: 0.5, unverified: true, note: 'substitution rules use 1' },
    epirubicin: { factor: 0.67, unverified: true },
    idarubicin: { factor: 5, unverified: true },
    mitoxantrone: { factor: 4, unverified: true },
  },
  unverified: true,
} as const satisfies AnthracyclineFactorTable;

/** The table used when none is given (R-LE-ANTHRA platform rule: IGHG/Feijen until COG v6 is confirmed). */
export const ANTHRACYCLINE_FACTORS_DEFAULT: AnthracyclineFactorTable = ANTHRACYCLINE_FACTORS_IGHG_2024;

/** Anthracyclines and anthraquinones any table knows; an agent here without a factor in the chosen table blocks. */
export const ANTHRACYCLINE_AGENTS = ['doxorubicin', 'daunorubicin', 'epirubicin', 'idarubicin', 'mitoxantrone'] as const;

/** An anthracycline or anthraquinone (R-LE-ANTHRA, R-FLAGS ANTHRACYCLINE_CARDIAC_MONITORING). */
export function isAnthracycline(agent: string): boolean {
  return (ANTHRACYCLINE_AGENTS as readonly string[]).includes(normalizeAgent(agent));
}

const ANTHRA_DISAGREEMENT = 'Equivalence factors differ: older COG (daunorubicin 0.5, epirubicin 0.67, mitoxantrone 4), Feijen 2019 and IGHG (daunorubicin 0.6, mitoxantrone 10.5); COG LTFU v6 not verified. Platform: versioned table, IGHG/Feijen by default.';

/**
 * Doxorubicin-equivalent cumulative dose in mg/m² (R-LE-ANTHRA): Σ factor × dose over the anthracyclines in
 * `agents`, with factors from a versioned table (default IGHG 2024/Feijen 2019). Null when an anthracycline has no
 * factor in the table.
 */
export function doxorubicinEquivalentMgM2(
  agents: Readonly<Record<string, number>>, table: AnthracyclineFactorTable = ANTHRACYCLINE_FACTORS_DEFAULT,
  output = 'doxorubicinEquivalentMgM2',
): Derived<number> {
  const terms: string[] = [];
  let total = 0;
  let unverified = table.unverified === true;
  let otherThanDoxorubicin = false;
  for (const [agent, dose] of Object.entries(normalizeAgents(agents))) {
    if (!isAnthracycline(agent) || dose <= 0) continue;
    const f = table.factors[agent];
    if (f === undefined) {
      return notApplicable(output, ['R-LE-ANTHRA'], `table ${table.id} has no factor for ${agent} → doxorubicin equivalent unknown`);
    }
    total += f.factor * dose;
    terms.push(`${agent} ${fmt(dose)} × ${f.factor}`);
    if (f.unverified) unverified = true;
    if (agent !== 'doxorubicin') otherThanDoxorubicin = true;
  }
  const value = round3(total);
  const text = terms.length === 0
    ? 'no anthracycline → 0 mg/m²'
    : `doxorubicin equivalent = ${terms.join(' + ')} = ${fmt(value)} mg/m² (table ${table.id})`;
  const extra: Partial<Explanation> = {
    ...(unverified ? { unverified: true } : {}), ...(otherThanDoxorubicin ? { disagreement: ANTHRA_DISAGREEMENT } : {}),
  };
  return derived(value, output, ['R-LE-ANTHRA'], text, extra);
}

// ---- R-LE-ECHO ----

interface EchoInput { dox: number; rt: number }

/** R-LE-ECHO: COG v5/v6-style dose/RT table (recalled [K]; matches IGHG strata). First matching row wins. */
export const echoRules = [
  { value: 'every_2_years', when: (x: EchoInput) => x.dox >= 250, why: (x: EchoInput) => `doxorubicin equivalent ${fmt(x.dox)} ≥250 mg/m² (any chest RT)` },
  { value: 'every_2_years', when: (x: EchoInput) => x.dox > 0 && x.rt >= 15, why: (x: EchoInput) => `doxorubicin equivalent ${fmt(x.dox)} <250 mg/m² with chest/heart RT ${fmt(x.rt)} ≥15 Gy` },
  { value: 'every_5_years', when: (x: EchoInput) => x.dox > 0, why: (x: EchoInput) => `doxorubicin equivalent ${fmt(x.dox)} <250 mg/m², chest/heart RT ${fmt(x.rt)} <15 Gy` },
  { value: 'every_2_years', when: (x: EchoInput) => x.rt >= 35, why: (x: EchoInput) => `no anthracycline, chest/heart RT ${fmt(x.rt)} ≥35 Gy` },
  { value: 'every_5_years', when: (x: EchoInput) => x.rt >= 15, why: (x: EchoInput) => `no anthracycline, chest/heart RT ${fmt(x.rt)} 15–<35 Gy` },
  { value: 'none', when: () => true, why: (x: EchoInput) => `no anthracycline, chest/heart RT ${fmt(x.rt)} <15 Gy` },
] as const satisfies readonly TRule<EchoInput, EchoFrequency>[];

const ECHO_DISAGREEMENT = 'Older COG table is age-based (yearly for some ages), IGHG 2015 uses risk strata; platform uses the dose-based R-LE-ECHO table.';

/**
 * Echocardiogram frequency (R-LE-ECHO) from the doxorubicin-equivalent dose and the chest/heart RT dose (0 when
 * none). A null RT dose is unknown: the answer then needs it unless the anthracycline dose alone decides (≥250).
 */
export function echoFrequency(doxEqMgM2: number, chestRtGy: number | null, output = 'echoFrequency'): Derived<EchoFrequency> {
  if (!Number.isFinite(doxEqMgM2) || doxEqMgM2 < 0) throw new RangeError(`doxEqMgM2 must be ≥ 0, got ${doxEqMgM2}`);
  if (chestRtGy !== null && (!Number.isFinite(chestRtGy) || chestRtGy < 0)) throw new RangeError(`chestRtGy must be ≥ 0, got ${chestRtGy}`);
  if (chestRtGy === null && doxEqMgM2 < 250) return missing('exposures.radiation', output);
  const x = { dox: doxEqMgM2, rt: chestRtGy ?? 0 };
  for (const row of echoRules) {
    if (row.when(x)) {
      return derived(row.value, output, ['R-LE-ECHO'], `${row.why(x)} → ${row.value}`, { unverified: true, disagreement: ECHO_DISAGREEMENT });
    }
  }
  /* c8 ignore next */
  return notApplicable(output, ['R-LE-ECHO'], 'no rule row applies');
}

// ---- Planned exposure from a template ----

/** Agents whose totals feed late-effect arithmetic (CED, doxorubicin equivalent, ototoxicity, t-MN). */
export const LATE_EFFECT_AGENTS: readonly string[] = [
  ...Object.keys(CED_COEFFICIENTS), ...ANTHRACYCLINE_AGENTS, 'cisplatin', 'carboplatin', 'etoposide',
];

/** What a plan gives: the known totals, every agent it uses, and late-effect agents whose total is not known. */
export interface PlannedExposure {
  readonly templateId: TemplateId | null;
  readonly totalsMgM2: Readonly<Record<string, number>>;
  readonly agents: readonly string[];
  /** Late-effect agents in the plan without a known total: CED or doxorubicin equivalent cannot be summed. */
  readonly incomplete: readonly string[];
}

/** Planned exposure of a template (rules.md §2): its stated totals, its agents, and which totals are unknown. */
export function plannedExposure(id: TemplateId): PlannedExposure {
  const t: TreatmentTemplate = TEMPLATES[id];
  const agents = templateAgents(t);
  const incomplete = agents.filter((a) => LATE_EFFECT_AGENTS.includes(a) && t.plannedCumulativeMgM2[a] === undefined);
  return { templateId: id, totalsMgM2: t.plannedCumulativeMgM2, agents, incomplete };
}

/** A bare totals record (e.g. a tailored plan) as a planned exposure: its agents are its keys with a dose > 0. */
export function asPlannedExposure(p: Readonly<Record<string, number>> | PlannedExposure): PlannedExposure {
  if (isPlannedExposure(p)) return p;
  const totals = normalizeAgents(p);
  return { templateId: null, totalsMgM2: totals, agents: Object.keys(totals).filter((a) => (totals[a] ?? 0) > 0), incomplete: [] };
}

function isPlannedExposure(p: Readonly<Record<string, number>> | PlannedExposure): p is PlannedExposure {
  return typeof (p as PlannedExposure).totalsMgM2 === 'object' && Array.isArray((p as PlannedExposure).agents);
}

/**
 * Planned cumulative doses (mg/m²) of the selected template, exactly as rules.md §2 states them. Null when the
 * template is unknown, or when a late-effect agent in it has no stated total (a partial record would understate CED
 * or the anthracycline dose). Output path `plannedCumulativeMgM2`.
 */
export function plannedCumulativeMgM2(templateId: TemplateId | null, f?: Pick<CaseFacts, 'ageMonths'>): Derived<Record<string, number>> {
  const OUT = 'plannedCumulativeMgM2';
  if (templateId === null) return missing('treatmentTemplate', OUT);
  const t: TreatmentTemplate = TEMPLATES[templateId];
  const p = plannedExposure(templateId);
  if (p.incomplete.length > 0) {
    return notApplicable(OUT, [templateId], `${templateId}: rules.md gives no planned total for ${p.incomplete.join(', ')} → totals unknown${t.plannedTotalsNote ? ` (${t.plannedTotalsNote})` : ''}`);
  }
  const totals = { ...t.plannedCumulativeMgM2 };
  const listed = Object.entries(totals).map(([a, d]) => `${a} ${fmt(d)}`).join(', ');
  const unverified = t.unverified === true || (t.unverifiedTotals?.length ?? 0) > 0;
  const infant = f !== undefined && f.ageMonths < 12
    ? ' Infant <12 months: doses are modified per the protocol document (R-AGE-INFANT); these are full protocol totals.'
    : '';
  const text = `${templateId} planned totals: ${listed || 'no chemotherapy'} mg/m²${t.unverifiedTotals?.length ? ` ([K]: ${t.unverifiedTotals.join(', ')})` : ''}.${infant}`;
  return derived(totals, OUT, infant ? [templateId, 'R-AGE-INFANT'] : [templateId], text, unverified ? { unverified: true } : undefined);
}

/** Planned CED (R-LE-CED); null when an alkylator in the plan has no known total. */
export function plannedCedMgM2(p: PlannedExposure, output = 'cedMgM2'): Derived<number> {
  const unknown = p.incomplete.filter((a) => isAlkylator(a));
  if (unknown.length > 0) {
    return notApplicable(output, ['R-LE-CED'], `planned total of ${unknown.join(', ')} not given → CED unknown (but > 0)`);
  }
  return cedMgM2(p.totalsMgM2, output);
}

/** Planned doxorubicin equivalent (R-LE-ANTHRA); null when an anthracycline in the plan has no known total. */
export function plannedDoxorubicinEquivalentMgM2(
  p: PlannedExposure, table: AnthracyclineFactorTable = ANTHRACYCLINE_FACTORS_DEFAULT, output = 'doxorubicinEquivalentMgM2',
): Derived<number> {
  const unknown = p.incomplete.filter((a) => isAnthracycline(a));
  if (unknown.length > 0) {
    return notApplicable(output, ['R-LE-ANTHRA'], `planned total of ${unknown.join(', ')} not given → doxorubicin equivalent unknown (but > 0)`);
  }
  return doxorubicinEquivalentMgM2(p.totalsMgM2, table, output);
}

// ---- Planned radiation ----

/** Planned radiation: the Assessment `radiation` value plus the NRSTS arm D boost. */
export type RadiationPlan = NonNullable<Assessment['radiation']> & { boostGy?: number | null };

interface PrimaryRt { gy: number | null; situation: string; boostGy?: number | null }

const PRIMARY = 'radiation.primaryGy';
const WLI = 'radiation.wholeLungGy';

interface RmsRtInput {
  group: 'I' | 'IIA' | 'IIB' | 'IIC' | 'III' | 'IV';
  fusion: 'positive' | 'negative' | undefined;
  histology: string | undefined;
  orbit: boolean;
}

/** R-RMS-RT (PDQ RMS Table 5, COG): primary-site dose by clinical group, fusion status/histology and orbit. */
export const rmsRtRules = [
  { value: { gy: null, situation: 'rms_group_IV' }, when: (x: RmsRtInput) => x.group === 'IV', why: 'group IV: primary RT per the high-risk template (weeks 20–25) by residual extent; R-RMS-RT gives no single dose' },
  { value: { gy: 0, situation: 'rms_group_I_fusion_negative' }, when: (x: RmsRtInput) => x.group === 'I' && x.fusion === 'negative', why: 'group I, FOXO1 fusion-negative: no RT' },
  { value: { gy: 36, situation: 'rms_group_I_fusion_positive' }, when: (x: RmsRtInput) => x.group === 'I' && x.fusion === 'positive', why: 'group I, FOXO1 fusion-positive: 36 Gy (Aye 2020)' },
  { value: { gy: 0, situation: 'rms_group_I_embryonal' }, when: (x: RmsRtInput) => x.group === 'I' && (x.histology === 'embryonal' || x.histology === 'spindle'), why: 'group I, embryonal histology (fusion status not recorded): no RT' },
  { value: { gy: 36, situation: 'rms_group_I_alveolar' }, when: (x: RmsRtInput) => x.group === 'I' && x.histology === 'alveolar', why: 'group I, alveolar histology (fusion status not recorded): 36 Gy' },
  { value: { gy: 36, situation: 'rms_group_II_n0' }, when: (x: RmsRtInput) => x.group === 'IIA', why: 'group IIA (microscopic residual, N0): 36 Gy' },
  { value: { gy: 41.4, situation: 'rms_group_II_n1' }, when: (x: RmsRtInput) => x.group === 'IIB' || x.group === 'IIC', why: (x: RmsRtInput) => `group ${x.group} (resected involved nodes): 41.4 Gy to site and nodes` },
  { value: { gy: 45, situation: 'rms_group_III_orbit' }, when: (x: RmsRtInput) => x.group === 'III' && x.orbit, why: 'group III orbit: 45 Gy (D9602/ARST0331)' },
  { value: { gy: 50.4, situation: 'rms_group_III' }, when: (x: RmsRtInput) => x.group === 'III', why: 'group III (gross residual): 50.4 Gy' },
] as const satisfies readonly TRule<RmsRtInput, PrimaryRt>[];

const ORBIT_DISAGREEMENT = 'PDQ 2014 lists 50.4 Gy for all group III; 45 Gy appears insufficient after less than CR at week 12. Platform: 45 Gy, escalate if less than CR.';

function rtFromTable<F>(table: readonly TRule<F, PrimaryRt>[], x: F, rules: string[], extra?: (v: PrimaryRt) => Partial<Explanation>): Derived<PrimaryRt> {
  for (const row of table) {
    if (row.when(x)) {
      const why = typeof row.why === 'function' ? row.why(x) : row.why;
      const shown = row.value.gy === null ? 'dose not set' : `${fmt(row.value.gy)} Gy`;
      return derived(row.value, PRIMARY, rules, `${why} → ${shown}`, extra?.(row.value));
    }
  }
  return notApplicable(PRIMARY, rules, 'no rule row applies to these facts');
}

function rmsPrimaryRt(f: CaseFacts, ctx: StagingContext, histology: string | undefined): Derived<PrimaryRt> {
  const group = ctx.rms?.clinicalGroup ?? null;
  if (group === null) return blocked('rms.clinicalGroup', PRIMARY, ['R-RMS-RT'], 'RMS clinical group unknown → RT dose unknown');
  const fusion = f.molecular?.foxo1Fusion;
  const x: RmsRtInput = {
    group, fusion: fusion === 'positive' || fusion === 'negative' ? fusion : undefined, histology, orbit: f.siteCategory === 'hn_orbit',
  };
  if (group === 'I' && x.fusion === undefined && histology !== 'embryonal' && histology !== 'spindle' && histology !== 'alveolar') {
    return missing('molecular.foxo1Fusion', PRIMARY);
  }
  const d = rtFromTable(rmsRtRules, x, ['R-RMS-RT'], (v) => (v.situation === 'rms_group_III_orbit' ? { disagreement: ORBIT_DISAGREEMENT } : {}));
  const notes: string[] = [];
  if (f.ageMonths < 24) notes.push('age <24 months: individualized local control allowed (R-AGE-RT24)');
  if (group === 'I' && x.fusion !== undefined && (histology === 'alveolar' || histology === 'embryonal') && (x.fusion === 'negative') === (histology === 'alveolar')) {
    notes.push(`histology (${histology}) and fusion status (${x.fusion}) disagree: fusion status decides`);
  }
  const first = d.explanations[0];
  if (first && notes.length > 0) {
    first.text += `; ${notes.join('; ')}`;
    if (f.ageMonths < 24) first.rules.push('R-AGE-RT24');
  }
  return d;
}

interface ResectionInput { status: 'none' | 'biopsy' | 'resected'; margin: 'R0' | 'R1' | 'R2' | undefined; spine: boolean }

/** R-EWS-LC [K]: COG Ewing doses by the local-control situation. */
export const ewingRtRules = [
  { value: { gy: null, situation: 'ewing_local_control_pending' }, when: (x: ResectionInput) => x.status !== 'resected', why: 'local control not yet done: definitive RT 55.8 Gy (45 + 10.8 Gy boost) if RT is chosen; after resection 50.4 Gy for microscopic and 55.8 Gy for gross residual' },
  { value: { gy: 0, situation: 'ewing_resected_r0' }, when: (x: ResectionInput) => x.margin === 'R0', why: 'resected with negative margins (R0): no post-operative RT in R-EWS-LC' },
  { value: { gy: 50.4, situation: 'ewing_postop_microscopic_residual' }, when: (x: ResectionInput) => x.margin === 'R1', why: 'post-operative RT for microscopic residual (R1): 50.4 Gy' },
  { value: { gy: 55.8, situation: 'ewing_gross_residual' }, when: (x: ResectionInput) => x.margin === 'R2', why: 'gross residual (R2): 55.8 Gy' },
] as const satisfies readonly TRule<ResectionInput, PrimaryRt>[];

/** R-OS: osteosarcoma is radioresistant; RT (≥60 Gy [K]) only for unresectable sites or positive margins. */
export const osteosarcomaRtRules = [
  { value: { gy: 0, situation: 'os_surgery_planned' }, when: (x: ResectionInput) => x.status !== 'resected', why: 'surgery is the local control (about week 10): no RT planned; ≥60 Gy only if judged unresectable' },
  { value: { gy: 0, situation: 'os_resected_r0' }, when: (x: ResectionInput) => x.margin === 'R0', why: 'resected with negative margins: no RT' },
  { value: { gy: 60, situation: 'os_positive_margin' }, when: (x: ResectionInput) => x.margin === 'R1' || x.margin === 'R2', why: (x: ResectionInput) => `positive margin (${x.margin}): RT ≥60 Gy` },
] as const satisfies readonly TRule<ResectionInput, PrimaryRt>[];

type NrstsArm = 'A' | 'B' | 'C' | 'D' | 'HR';
/** R-NRSTS-ARM: ARST0332 RT by arm. */
export const nrstsRtRules = [
  { value: { gy: 0, situation: 'nrsts_arm_A_surgery_alone' }, when: (a: NrstsArm) => a === 'A', why: 'ARST0332 arm A: surgery alone, no RT' },
  { value: { gy: 55.8, situation: 'nrsts_arm_B_postop_rt' }, when: (a: NrstsArm) => a === 'B', why: 'ARST0332 arm B: RT 55.8 Gy' },
  { value: { gy: 55.8, situation: 'nrsts_arm_C_chemoradiotherapy' }, when: (a: NrstsArm) => a === 'C', why: 'ARST0332 arm C: chemotherapy plus RT 55.8 Gy' },
  { value: { gy: 45, situation: 'nrsts_arm_D_preop_rt_boost_after_surgery', boostGy: null }, when: (a: NrstsArm) => a === 'D', why: 'ARST0332 arm D: pre-operative 45 Gy; boost after delayed surgery 10.8 Gy (R0 <5 mm or R1) or 19.8 Gy (R2/unresected)' },
  { value: { gy: null, situation: 'nrsts_metastatic' }, when: (a: NrstsArm) => a === 'HR', why: 'metastatic: local therapy to primary and metastases where feasible; dose not given' },
] as const satisfies readonly TRule<NrstsArm, PrimaryRt>[];

function resectionInput(f: CaseFacts): ResectionInput | Derived<PrimaryRt> {
  const status = f.surgery?.status;
  if (status === undefined) return missing('surgery.status', PRIMARY);
  if (status === 'resected' && f.surgery?.margin === undefined) return missing('surgery.margin', PRIMARY);
  return { status, margin: f.surgery?.margin, spine: f.siteCategory === 'bone_spine' };
}

function ewingPrimaryRt(f: CaseFacts): Derived<PrimaryRt> {
  const x = resectionInput(f);
  if ('explanations' in x) return x;
  const d = rtFromTable(ewingRtRules, x, ['R-EWS-LC'], () => ({ unverified: true }));
  const first = d.explanations[0];
  if (first && x.spine) first.text += '; vertebral primary: dose limited by spinal cord tolerance (about 45–50.4 Gy)';
  return d;
}

function osteosarcomaPrimaryRt(f: CaseFacts): Derived<PrimaryRt> {
  const x = resectionInput(f);
  if ('explanations' in x) return x;
  return rtFromTable(osteosarcomaRtRules, x, ['R-OS'], (v) => (v.gy !== null && v.gy > 0 ? { unverified: true } : {}));
}

function nrstsPrimaryRt(ctx: StagingContext): Derived<PrimaryRt> {
  const arm = ctx.nrsts?.arst0332Arm ?? null;
  if (arm === null) return blocked('nrsts.arst0332Arm', PRIMARY, ['R-NRSTS-ARM'], 'ARST0332 arm unknown → RT dose unknown');
  return rtFromTable(nrstsRtRules, arm, ['R-NRSTS-ARM'], (v) => (v.situation === 'nrsts_metastatic' ? { unverified: true } : {}));
}

/**
 * Whole-lung RT dose for lung metastases: RMS 15 Gy if ≥6 y, 12 Gy if <6 y (R-RMS-RT, PDQ Table 5); Ewing 15 Gy if
 * ≥14 y, 12 Gy if <6 y and protocol-dependent in between (R-EWS-LC [D]: null). 0 without lung metastases.
 */
export function wholeLungGy(f: CaseFacts, family: 'rhabdomyosarcoma' | 'ewing'): Derived<number> {
  const lung = hasLungMetastases(f);
  const rule = family === 'ewing' ? 'R-EWS-LC' : 'R-RMS-RT';
  if (lung === undefined) return missing('metastases', WLI);
  if (!lung) return derived(0, WLI, [rule], 'no lung metastases → no whole-lung RT');
  const age = f.ageMonths;
  if (family === 'rhabdomyosarcoma') {
    return age >= 72
      ? derived(15, WLI, [rule], `lung metastases, age ${fmt(age)} months ≥6 y → 15 Gy`)
      : derived(12, WLI, [rule], `lung metastases, age ${fmt(age)} months <6 y → 12 Gy`);
  }
  const disagreement = 'WLI 12 Gy age threshold: <6 y (COG RMS, PDQ Table 5) vs <14 y (some Ewing protocols [K]); platform: protocol-dependent between 6 and 14 y (flag WLI_DOSE_PROTOCOL_DEPENDENT).';
  if (age >= 168) return derived(15, WLI, [rule], `lung metastases, age ${fmt(age)} months ≥14 y → 15 Gy`, { disagreement });
  if (age < 72) return derived(12, WLI, [rule], `lung metastases, age ${fmt(age)} months <6 y → 12 Gy`, { disagreement });
  return undecided(WLI, [rule], `lung metastases, age ${fmt(age)} months between 6 and 14 y: 12 or 15 Gy depending on the protocol → not set`, { disagreement, unverified: true });
}

/**
 * Planned radiation for the primary (output `radiation.primaryGy`) and, for RMS and Ewing, whole-lung RT (output
 * `radiation.wholeLungGy`): RMS by R-RMS-RT, Ewing by R-EWS-LC [K], NRSTS by ARST0332 arm (R-NRSTS-ARM),
 * osteosarcoma none unless positive margins (R-OS, ≥60 Gy [K]). Null for tumour families without an RT rule.
 */
export function radiationPlan(f: CaseFacts, ctx: StagingContext): Derived<RadiationPlan> {
  const family = familyOf(f);
  let primary: Derived<PrimaryRt>;
  let wli: Derived<number> | undefined;
  switch (family) {
    case 'rhabdomyosarcoma':
      primary = rmsPrimaryRt(f, ctx, rmsHistology(f));
      wli = wholeLungGy(f, 'rhabdomyosarcoma');
      break;
    case 'ewing':
      primary = ewingPrimaryRt(f);
      wli = wholeLungGy(f, 'ewing');
      break;
    case 'osteosarcoma':
      primary = osteosarcomaPrimaryRt(f);
      break;
    case 'nrsts':
      primary = nrstsPrimaryRt(ctx);
      break;
    default:
      return notApplicable('radiation', ['R-RMS-RT', 'R-EWS-LC', 'R-NRSTS-ARM', 'R-OS'], `no radiation rule in rules.md for ${family ?? `morphology ${f.morphology}`}`);
  }
  const value: RadiationPlan = {
    primaryGy: primary.value?.gy ?? null,
    situation: primary.value?.situation ?? 'unknown',
    ...(wli !== undefined ? { wholeLungGy: wli.value } : {}),
    ...(primary.value && 'boostGy' in primary.value ? { boostGy: primary.value.boostGy ?? null } : {}),
  };
  const p = wli === undefined ? provenance(primary) : provenance(primary, wli);
  return { value, explanations: p.explanations, missing: p.missing };
}

function rmsHistology(f: CaseFacts): string | undefined {
  return lookupMorphology(f.morphology)?.rmsHistology;
}
