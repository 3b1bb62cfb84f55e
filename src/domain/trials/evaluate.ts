import { isBoneTopography, lookupMorphology, type MorphologyEntry } from '../coding/morphology.js';
import type { Assessment } from '../facts/assessment.js';
import type { CaseFacts } from '../facts/case-facts.js';
import {
  COG_CREATININE_AGE_SEX_V1, CURATED_STATUSES, LAB_FACTS, STAGE_RISK_MEASURES, cmpText, describeAgeRange, describeExpr,
  isCurationStale, type AgeBound, type AgeRange, type Comparator, type Criterion, type CurationStatus, type Leaf,
  type Scope, type TrialDefinition,
} from './criteria.js';

/**
 * Kleene three-valued evaluation with explanations (trial-eligibility.md E.3, E.4). Leaves read case facts and
 * return MET / NOT_MET / UNKNOWN with the evidence (fact and value) and the fact paths that are missing; the
 * connectives are strong Kleene (and = min, or = max, not swaps, atLeast counts, when = "if NOT_MET then MET").
 * Trial assembly turns per-criterion results into the public verdict. The compiled matcher (index.ts) and the
 * plain recursive one (naive.ts) share these leaf semantics and the assembly, and differ only in how they walk.
 */

/** Kleene truth values, ordered NOT_MET < UNKNOWN < MET so that and = min and or = max. */
export const NOT_MET = 0;
export const UNKNOWN = 1;
export const MET = 2;
export type Tri = typeof NOT_MET | typeof UNKNOWN | typeof MET;
export const TRI_NAMES = ['NOT_MET', 'UNKNOWN', 'MET'] as const;

export interface NodeResult {
  readonly tri: Tri;
  /** Which fact and value decided it, in words ("creatinine 0.6 mg/dL ≤ 1.2 mg/dL (COG table, female 10 to < 13 y)"). */
  readonly evidence: string;
  /** Fact paths whose absence makes it UNKNOWN (empty unless UNKNOWN). */
  readonly missing: readonly string[];
  /** UNKNOWN because a person must decide (manual leaf), not because data is missing. */
  readonly review: boolean;
}

export interface MatchOptions {
  /** The assessment of the same facts (DESIGN.md §4); `stageRisk` leaves read it. Without it they are UNKNOWN. */
  readonly assessment?: Assessment | null;
  /**
   * Days from the facts' date to the projected enrollment: added to the age and to the age of labs. Default 0,
   * i.e. the age given (case-facts `ageMonths`) is the age at match time.
   */
  readonly enrollmentInDays?: number;
  /** index.ts: use the prefilter (default true). */
  readonly prefilter?: boolean;
  /** Work out which unknown facts block each "possible" trial (E.4; default true). */
  readonly blocking?: boolean;
}

/** Per-case values every leaf reads, computed once. */
export interface CaseContext {
  readonly facts: CaseFacts;
  readonly assessment: Assessment | null;
  /** The age as an interval of days [lo, hi): whole months cover a month of possible ages. */
  readonly ageLo: number;
  readonly ageHi: number;
  readonly ageText: string;
  readonly morph: MorphologyEntry | undefined;
  readonly enrollmentInDays: number;
}

const MONTH_DAYS = 30.4375;
const EMPTY: readonly string[] = Object.freeze([]);

/**
 * The per-case context. Ages: case facts give whole months (completed months, at match time), so the exact age is
 * somewhere in [m, m+1) months; on the 30.4375-day month this is exact for limits in months or years and honest
 * (UNKNOWN near the limit) for limits in weeks or days.
 */
export function caseContext(facts: CaseFacts, opts: MatchOptions = {}): CaseContext {
  const m = facts.ageMonths;
  const plus = Math.max(0, opts.enrollmentInDays ?? 0);
  const lo = m * MONTH_DAYS + plus;
  const hi = (Math.floor(m) + 1) * MONTH_DAYS + plus;
  const whole = Math.floor(m);
  const ageText = `age ${m} months (${Math.floor(whole / 12)} y ${whole % 12} m; whole months${plus > 0 ? `, +${plus} days to projected enrollment` : ', at match time'})`;
  return { facts, assessment: opts.assessment ?? null, ageLo: lo, ageHi: hi, ageText, morph: lookupMorphology(facts.morphology), enrollmentInDays: plus };
}

// ---- Result helpers ----

const met = (evidence: string): NodeResult => ({ tri: MET, evidence, missing: EMPTY, review: false });
const notMet = (evidence: string): NodeResult => ({ tri: NOT_MET, evidence, missing: EMPTY, review: false });
const unknown = (evidence: string, missing: readonly string[]): NodeResult => ({ tri: UNKNOWN, evidence, missing, review: false });
const review = (evidence: string): NodeResult => ({ tri: UNKNOWN, evidence, missing: EMPTY, review: true });
const tri = (ok: boolean): Tri => (ok ? MET : NOT_MET);
const minTri = (a: Tri, b: Tri): Tri => (a < b ? a : b);
const maxTri = (a: Tri, b: Tri): Tri => (a > b ? a : b);
const notTri = (a: Tri): Tri => (2 - a) as Tri;

function unionMissing(parts: readonly (readonly string[])[]): readonly string[] {
  let only: readonly string[] | null = null;
  let many: string[] | null = null;
  for (const p of parts) {
    if (p.length === 0) continue;
    if (only === null) { only = p; continue; }
    if (many === null) many = [...only];
    for (const f of p) if (!many.includes(f)) many.push(f);
  }
  return many ?? only ?? EMPTY;
}

// ---- Connectives (E.3) ----

/** and = min; the evidence names the failing children when it fails. */
export function kleeneAnd(children: readonly NodeResult[]): NodeResult {
  let t: Tri = MET;
  for (const c of children) t = minTri(t, c.tri);
  return compose(t, children, t === NOT_MET ? NOT_MET : -1, '; ');
}

/** or = max; the evidence names the satisfied alternatives when it holds. */
export function kleeneOr(children: readonly NodeResult[]): NodeResult {
  let t: Tri = NOT_MET;
  for (const c of children) t = maxTri(t, c.tri);
  return compose(t, children, t === MET ? MET : -1, ' | ');
}

/** not swaps MET and NOT_MET and leaves UNKNOWN. */
export function kleeneNot(child: NodeResult): NodeResult {
  return child.tri === UNKNOWN ? child : { tri: notTri(child.tri), evidence: child.evidence, missing: EMPTY, review: false };
}

/** atLeast(n): MET with n MET, NOT_MET when fewer than n could still be MET, else UNKNOWN. */
export function kleeneAtLeast(n: number, children: readonly NodeResult[]): NodeResult {
  let m = 0;
  let u = 0;
  for (const c of children) { if (c.tri === MET) m++; else if (c.tri === UNKNOWN) u++; }
  const t: Tri = m >= n ? MET : m + u < n ? NOT_MET : UNKNOWN;
  const inner = compose(t, children, -1, ' | ');
  return { ...inner, evidence: `${m} of ${children.length} met, ${n} needed: ${inner.evidence}` };
}

/** when(if, then): NOT_MET condition → the rule does not apply (MET); UNKNOWN condition → or(UNKNOWN, then). */
export function kleeneWhen(cond: NodeResult, then: NodeResult): NodeResult {
  if (cond.tri === NOT_MET) return met(`does not apply (${cond.evidence})`);
  if (cond.tri === MET) return { ...then, evidence: `${cond.evidence} → ${then.evidence}` };
  if (then.tri === MET) return met(`${then.evidence} (whether it applies is unknown: ${cond.evidence})`);
  return {
    tri: UNKNOWN, evidence: `${cond.evidence} → ${then.evidence}`,
    missing: unionMissing([cond.missing, then.tri === UNKNOWN ? then.missing : EMPTY]),
    review: cond.review || (then.tri === UNKNOWN && then.review),
  };
}

/** Evidence of the children with tri `pick` (or all), and the missing facts of the UNKNOWN children when UNKNOWN. */
function compose(t: Tri, children: readonly NodeResult[], pick: number, sep: string): NodeResult {
  if (children.length === 1) {
    const c = children[0]!;
    return c.tri === t ? c : { tri: t, evidence: c.evidence, missing: t === UNKNOWN ? c.missing : EMPTY, review: t === UNKNOWN && c.review };
  }
  let evidence = '';
  const missing: (readonly string[])[] = [];
  let rev = false;
  for (const c of children) {
    if (pick === -1 || c.tri === pick) evidence = evidence === '' ? c.evidence : `${evidence}${sep}${c.evidence}`;
    if (t === UNKNOWN && c.tri === UNKNOWN) { missing.push(c.missing); rev ||= c.review; }
  }
  return { tri: t, evidence, missing: t === UNKNOWN ? unionMissing(missing) : EMPTY, review: rev };
}

// ---- Leaves ----

/** Evaluates one leaf (trial-eligibility.md E.2 leaf catalogue; D.1–D.4 for the pediatric ones). */
export function evaluateLeaf(leaf: Leaf, ctx: CaseContext): NodeResult {
  switch (leaf.op) {
    case 'age': return evalAge(leaf, ctx);
    case 'sex': {
      const ok = leaf.anyOf.includes(ctx.facts.sex);
      return ok ? met(`sex ${ctx.facts.sex}`) : notMet(`sex ${ctx.facts.sex}, trial is for ${leaf.anyOf.join(' or ')}`);
    }
    case 'diagnosis': return evalDiagnosis(leaf, ctx);
    case 'diseaseStatus': {
      const s = ctx.facts.diseaseStatus;
      const want = leaf.anyOf.map(human).join(' or ');
      if (s === undefined) return unknown(`disease status not recorded (needs ${want})`, ['diseaseStatus']);
      return leaf.anyOf.includes(s) ? met(`disease status ${human(s)}`) : notMet(`disease status ${human(s)}, not ${want}`);
    }
    case 'metastatic': return evalMetastatic(leaf, ctx);
    case 'stageRisk': return evalStageRisk(leaf, ctx);
    case 'priorTherapy': return evalPriorTherapy(leaf, ctx);
    case 'molecular': {
      const v = ctx.facts.molecular?.[leaf.marker];
      const want = leaf.anyOf.join(' or ');
      if (v === undefined || v === 'unknown') return unknown(`${leaf.marker} not known (needs ${want})`, [`molecular.${leaf.marker}`]);
      const ok = leaf.anyOf.some((a) => a.toLowerCase() === v.toLowerCase());
      return ok ? met(`${leaf.marker} ${v}`) : notMet(`${leaf.marker} ${v}, not ${want}`);
    }
    case 'performance': return evalPerformance(leaf, ctx);
    case 'lab': return evalLab(leaf, ctx);
    case 'creatinineTable': return evalCreatinineTable(leaf, ctx);
    case 'labsRecent': {
      const d = ctx.facts.labs?.drawnDaysAgo;
      if (d === undefined || d === null) return unknown(`lab draw date not recorded (must be within ${leaf.withinDays} days)`, ['labs.drawnDaysAgo']);
      const age = d + ctx.enrollmentInDays;
      return age <= leaf.withinDays ? met(`labs drawn ${age} days before enrollment (≤ ${leaf.withinDays})`)
        : unknown(`labs drawn ${age} days before enrollment, older than ${leaf.withinDays} days: repeat them`, ['labs.drawnDaysAgo']);
    }
    case 'enrolledOnStudy': {
      const list = ctx.facts.enrolledStudies;
      const want = leaf.studies.join(' or ');
      if (list === undefined) return unknown(`enrollment on ${want} not recorded`, ['enrolledStudies']);
      const norm = new Set(list.map(studyKey));
      const hit = leaf.studies.find((s) => norm.has(studyKey(s)));
      if (hit !== undefined) return met(`enrolled on ${hit}`);
      return leaf.allowConcurrent
        ? unknown(`not yet enrolled on ${want} (it can be done alongside this enrollment)`, ['enrolledStudies'])
        : notMet(`not enrolled on ${want} (enrolled: ${list.join(', ') || 'none'})`);
    }
    case 'reproductive': return evalReproductive(leaf, ctx);
    case 'manual': return review(`needs clinician review${leaf.note ? `: ${leaf.note}` : ''}`);
  }
}

function human(s: string): string {
  return s.replace(/_/g, ' ');
}

function studyKey(s: string): string {
  return s.toUpperCase().replace(/^COG[-\s]?/, '').replace(/[^A-Z0-9]/g, '');
}

/** Is every age in [lo, hi) within the bound? MET / NOT_MET / UNKNOWN (straddles it). */
function boundTri(b: AgeBound, side: 'min' | 'max', lo: number, hi: number): Tri {
  if (side === 'min') {
    if (b.inclusive ? lo >= b.days : lo > b.days) return MET;
    return hi <= b.days ? NOT_MET : UNKNOWN;
  }
  if (hi <= b.days) return MET; // every age < hi ≤ limit (also for an exclusive limit)
  return (b.inclusive ? lo > b.days : lo >= b.days) ? NOT_MET : UNKNOWN;
}

/** Is the patient's age in the range? Kleene, on the whole-month interval. */
export function ageInRange(r: AgeRange, ctx: CaseContext): Tri {
  let t: Tri = MET;
  if (r.min) t = minTri(t, boundTri(r.min, 'min', ctx.ageLo, ctx.ageHi));
  if (r.max) t = minTri(t, boundTri(r.max, 'max', ctx.ageLo, ctx.ageHi));
  return t;
}

const rangeText = new WeakMap<object, string>();
function rangeDesc(r: AgeRange): string {
  let s = rangeText.get(r);
  if (s === undefined) { s = describeAgeRange(r); rangeText.set(r, s); }
  return s;
}

function evalAge(leaf: Extract<Leaf, { op: 'age' }>, ctx: CaseContext): NodeResult {
  const t = ageInRange(leaf, ctx);
  const want = `${rangeDesc(leaf)}${leaf.note ? ` ${leaf.note}` : ''}`;
  if (t === MET) return met(`${ctx.ageText} meets ${want}`);
  if (t === NOT_MET) return notMet(`${ctx.ageText} outside ${want}`);
  return unknown(`${ctx.ageText} is within a month of the limit ${want}: whole months cannot decide`, ['ageDays']);
}

/** NOS codes whose subtypes trials name separately: the NOS code alone cannot tell (E.3 "ambiguous"). */
const NOS_SUBTYPES: Readonly<Record<string, readonly string[]>> = {
  '8900/3': ['8901/3', '8902/3', '8910/3', '8912/3', '8920/3', '8921/3'],
  '9040/3': ['9041/3', '9042/3', '9043/3'],
  '8850/3': ['8852/3'],
};

function evalDiagnosis(leaf: Extract<Leaf, { op: 'diagnosis' }>, ctx: CaseContext): NodeResult {
  const code = ctx.facts.morphology;
  const e = ctx.morph;
  const what = `morphology ${code}${e ? ` (${e.term})` : ''}`;
  const inSet = (s: { codes?: readonly string[]; families?: readonly string[] }): Tri => {
    if (s.codes?.includes(code)) return MET;
    if (e && s.families?.includes(e.family)) return MET;
    const subs = NOS_SUBTYPES[code];
    if (subs && s.codes?.some((c) => subs.includes(c))) return UNKNOWN;
    if (!e && s.families && s.families.length > 0) return UNKNOWN;
    return NOT_MET;
  };
  let t: Tri = MET;
  if (leaf.anyOf) t = minTri(t, inSet(leaf.anyOf));
  if (leaf.noneOf) t = minTri(t, notTri(inSet(leaf.noneOf)));
  if (leaf.site) {
    const bone = isBoneTopography(ctx.facts.topography);
    t = minTri(t, tri(leaf.site === 'bone' ? bone : !bone));
  }
  if (t === MET) return met(`${what} is ${leaf.label}`);
  if (t === NOT_MET) return notMet(`${what}${leaf.site ? `, topography ${ctx.facts.topography}` : ''} is not ${leaf.label}`);
  return unknown(`${what} is not specific enough to tell whether it is ${leaf.label}`, ['morphology']);
}

function evalMetastatic(leaf: Extract<Leaf, { op: 'metastatic' }>, ctx: CaseContext): NodeResult {
  const sites = ctx.facts.metastases;
  const count = ctx.facts.metastaticSiteCount;
  if (sites === undefined && (leaf.sites !== undefined || count === undefined)) {
    return unknown(`metastatic status not recorded`, ['metastases']);
  }
  const list = sites ?? [];
  const any = sites !== undefined ? list.length > 0 || (count ?? 0) > 0 : (count ?? 0) > 0;
  const desc = any ? `metastatic${list.length ? ` (${list.join(', ')})` : ` (${count} sites)`}` : 'no metastases';
  if (leaf.sites === undefined) {
    return any === leaf.present ? met(desc) : notMet(desc);
  }
  const hit = leaf.sites.some((s) => list.includes(s));
  return hit === leaf.present ? met(`${desc}${leaf.present ? '' : `; none at ${leaf.sites.join(', ')}`}`)
    : notMet(`${desc}${leaf.present ? `; none at ${leaf.sites.join(', ')}` : ''}`);
}

function evalStageRisk(leaf: Extract<Leaf, { op: 'stageRisk' }>, ctx: CaseContext): NodeResult {
  const m = STAGE_RISK_MEASURES[leaf.measure];
  const want = leaf.anyOf.join(' or ');
  const a = ctx.assessment;
  if (a === null) return unknown(`${m.label} needs the assessment (needs ${want})`, [`assessment.${leaf.measure}`]);
  if (a[m.system] === null) return notMet(`${m.label}: not applicable to this tumour (no ${m.system} staging)`);
  const v = m.read(a);
  if (v === null || v === undefined) {
    const exact = a.missing.filter((x) => x.needed_for === leaf.measure).map((x) => x.field);
    const near = exact.length > 0 ? exact : a.missing.filter((x) => x.needed_for.startsWith(`${m.system}.`)).map((x) => x.field);
    return unknown(`${m.label} could not be derived (needs ${want})`, near.length > 0 ? [...new Set(near)] : [`assessment.${leaf.measure}`]);
  }
  return leaf.anyOf.some((x) => String(x) === String(v)) ? met(`${m.label} ${v}`) : notMet(`${m.label} ${v}, not ${want}`);
}

function evalPriorTherapy(leaf: Extract<Leaf, { op: 'priorTherapy' }>, ctx: CaseContext): NodeResult {
  const list = ctx.facts.priorTherapy;
  const what = [...(leaf.kinds ?? []), ...(leaf.agents ?? [])].join(' or ') || 'therapy';
  if (list === undefined) return unknown(`prior therapy not recorded (asks about ${what})`, ['priorTherapy']);
  const agents = leaf.agents?.map((a) => a.toLowerCase());
  const excluding = leaf.excludingAgents?.map((a) => a.toLowerCase());
  let sure = 0;
  let maybe = 0;
  const hits: string[] = [];
  for (const p of list) {
    if (leaf.kinds && !leaf.kinds.includes(p.kind)) continue;
    const given = p.agents?.map((a) => a.toLowerCase());
    if (given && excluding && given.length > 0 && given.every((g) => excluding.includes(g))) continue;
    if (agents) {
      if (given === undefined || given.length === 0) { maybe++; continue; }
      if (!given.some((g) => agents.includes(g))) continue;
    }
    sure++;
    hits.push(`${p.kind}${p.agents?.length ? ` (${p.agents.join(', ')})` : ''}`);
  }
  const need = leaf.minCount ?? 1;
  if (sure >= need) return met(`prior ${hits.join('; ')}`);
  if (sure + maybe < need) return notMet(list.length === 0 ? 'no prior therapy recorded' : `no prior ${what} recorded${leaf.excludingAgents?.length ? ` (excluding ${leaf.excludingAgents.join(', ')})` : ''}`);
  return unknown(`prior therapy agents not recorded (asks about ${what})`, ['priorTherapy']);
}

function evalPerformance(leaf: Extract<Leaf, { op: 'performance' }>, ctx: CaseContext): NodeResult {
  const p = ctx.facts.performance;
  let result: Tri = NOT_MET;
  let noneApply: Tri = MET;
  let decisive: string | null = null;
  let failing: string | null = null;
  const wanted: string[] = [];
  let ageUnsure = false;
  for (const r of leaf.rules) {
    const applies = r.appliesIf ? ageInRange(r.appliesIf, ctx) : MET;
    noneApply = minTri(noneApply, notTri(applies));
    if (applies === NOT_MET) continue;
    if (applies === UNKNOWN) ageUnsure = true;
    const thr = `${r.min !== undefined ? `≥ ${r.min}` : ''}${r.min !== undefined && r.max !== undefined ? ' and ' : ''}${r.max !== undefined ? `≤ ${r.max}` : ''}`;
    const when = r.appliesIf ? ` (${r.scale} used for ${rangeDesc(r.appliesIf)})` : '';
    wanted.push(`${r.scale} ${thr}${when}`);
    let ok: Tri = UNKNOWN;
    if (p !== undefined && p.scale === r.scale) {
      ok = tri((r.min === undefined || p.value >= r.min) && (r.max === undefined || p.value <= r.max));
      if (ok === MET && applies === MET) decisive ??= `${r.scale} ${p.value} ${thr}${when}`;
      if (ok === NOT_MET && applies === MET) failing ??= `${r.scale} ${p.value}, needs ${thr}${when}`;
    }
    result = maxTri(result, minTri(applies, ok));
  }
  result = maxTri(result, noneApply);
  if (result === MET) return met(decisive ?? (noneApply === MET ? `no performance rule applies at ${ctx.ageText}` : `${p?.scale} ${p?.value} meets ${wanted.join(' or ')}`));
  if (result === NOT_MET) return notMet(failing ?? `performance ${p?.scale} ${p?.value} does not meet ${wanted.join(' or ')}`);
  if (p === undefined) return unknown(`no performance score recorded (needs ${wanted.join(' or ')})`, ['performance']);
  const mismatch = leaf.rules.every((r) => r.scale !== p.scale || (r.appliesIf !== undefined && ageInRange(r.appliesIf, ctx) === NOT_MET));
  if (mismatch) return unknown(`patient has a ${p.scale} score (${p.value}) but this age needs ${wanted.join(' or ')}; scales are not converted`, ['performance']);
  return unknown(`${p.scale} ${p.value}: ${ageUnsure ? `${ctx.ageText} is at the scale's age boundary; ` : ''}needs ${wanted.join(' or ')}`, ageUnsure ? ['performance', 'ageDays'] : ['performance']);
}

const NEGATED: Record<Comparator, string> = { '>=': '<', '>': '≤', '<=': '>', '<': '≥' };

function compare(v: number, cmp: Comparator, thr: number): boolean {
  switch (cmp) {
    case '>=': return v >= thr;
    case '>': return v > thr;
    case '<=': return v <= thr;
    case '<': return v < thr;
  }
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(+n.toFixed(3));
}

/** A dated lab outside its window is UNKNOWN (repeat it), never NOT_MET (trial-eligibility.md D.4 time windows). */
function labTiming(ctx: CaseContext, windowDays: number | undefined, label: string, path: string): NodeResult | null {
  if (windowDays === undefined) return null;
  const d = ctx.facts.labs?.drawnDaysAgo;
  if (d === undefined || d === null) return unknown(`${label}: draw date not recorded (must be within ${windowDays} days)`, ['labs.drawnDaysAgo']);
  const age = d + ctx.enrollmentInDays;
  if (age > windowDays) return unknown(`${label} drawn ${age} days before enrollment, older than the ${windowDays}-day window: repeat it`, [path]);
  return null;
}

function evalLab(leaf: Extract<Leaf, { op: 'lab' }>, ctx: CaseContext): NodeResult {
  const info = LAB_FACTS[leaf.fact];
  const path = `labs.${leaf.fact}`;
  const v = ctx.facts.labs?.[leaf.fact];
  let thr: number;
  let thrText: string;
  if (leaf.xUln !== undefined) {
    if (info.uln === null) {
      // Not a case-facts field yet: asked for by name so a data request can say what is needed.
      return unknown(`${info.label} must be ${cmpText(leaf.cmp)} ${leaf.xUln} × ULN, and the case facts carry no ULN for it`, [`labs.${leaf.fact.replace(/(MgDl|UL|GDl|Pct|MlMin173)$/, '')}Uln`]);
    }
    const uln = ctx.facts.labs?.[info.uln];
    if (uln === undefined || uln === null) {
      return unknown(`${info.label} ${v ?? '(not recorded)'}: the upper limit of normal for age is not recorded (needs ${cmpText(leaf.cmp)} ${leaf.xUln} × ULN)`, v === undefined || v === null ? [path, `labs.${info.uln}`] : [`labs.${info.uln}`]);
    }
    // Rounded so that 1.5 × 1.2 is 1.8, not 1.7999999999999998: a value at the limit must meet it.
    thr = Number((leaf.xUln * uln).toPrecision(12));
    thrText = `${fmt(thr)} ${info.unit} (${leaf.xUln} × ULN ${fmt(uln)})`;
  } else {
    thr = leaf.absolute ?? 0;
    thrText = `${fmt(thr)} ${info.unit}`;
  }
  if (v === undefined || v === null) return unknown(`${info.label} not recorded (needs ${cmpText(leaf.cmp)} ${thrText})`, [path]);
  const late = info.drawn ? labTiming(ctx, leaf.withinDays, `${info.label} ${fmt(v)} ${info.unit}`, path) : null;
  if (late) return late;
  return compare(v, leaf.cmp, thr)
    ? met(`${info.label} ${fmt(v)} ${info.unit} ${cmpText(leaf.cmp)} ${thrText}`)
    : notMet(`${info.label} ${fmt(v)} ${info.unit} ${NEGATED[leaf.cmp]} ${thrText}`);
}

function evalCreatinineTable(leaf: Extract<Leaf, { op: 'creatinineTable' }>, ctx: CaseContext): NodeResult {
  const v = ctx.facts.labs?.creatinineMgDl;
  const sex = ctx.facts.sex;
  const lo = ctx.ageLo / MONTH_DAYS;
  const hi = ctx.ageHi / MONTH_DAYS;
  const rows = COG_CREATININE_AGE_SEX_V1.filter((r) => r.fromMonths < hi && (r.toMonths === null || r.toMonths > lo));
  const row = rows.length === 1 ? rows[0]! : null;
  const where = row ? `COG table, ${sex} ${row.label}` : 'COG table';
  if (lo < 1) return review(`the COG creatinine table has no row under 1 month of age (${ctx.ageText})`);
  if (v === undefined || v === null) {
    return unknown(`serum creatinine not recorded (needs ≤ ${row ? `${fmt(row[sex])} mg/dL, ${where}` : 'the COG age/sex table value'})`, ['labs.creatinineMgDl']);
  }
  const late = labTiming(ctx, leaf.withinDays, `creatinine ${fmt(v)} mg/dL`, 'labs.creatinineMgDl');
  if (late) return late;
  const limits = rows.map((r) => r[sex]);
  const low = Math.min(...limits);
  const high = Math.max(...limits);
  if (v <= low) return met(`creatinine ${fmt(v)} mg/dL ≤ ${fmt(low)} mg/dL (${where})`);
  if (v > high) return notMet(`creatinine ${fmt(v)} mg/dL > ${fmt(high)} mg/dL (${where})`);
  return unknown(`creatinine ${fmt(v)} mg/dL is between the limits of two age rows (${fmt(low)}–${fmt(high)} mg/dL); the exact age decides`, ['ageDays']);
}

function evalReproductive(leaf: Extract<Leaf, { op: 'reproductive' }>, ctx: CaseContext): NodeResult {
  const { sex, pubertalStatus } = ctx.facts;
  if (leaf.condition === 'pregnant_or_nursing') {
    if (sex === 'male') return notMet('male: pregnancy and nursing do not apply');
    if (pubertalStatus === 'prepubertal') return notMet('prepubertal female: pregnancy and nursing do not apply');
    return unknown(`${pubertalStatus ?? 'pubertal status unknown'} female: pregnancy test and nursing status needed`, pubertalStatus === undefined ? ['pubertalStatus', 'pregnancyStatus'] : ['pregnancyStatus']);
  }
  if (pubertalStatus === 'prepubertal') return met('prepubertal: not of reproductive potential');
  return review(`${pubertalStatus ?? 'pubertal status unknown'} ${sex}: agreement to use effective contraception to be confirmed`);
}

// ---- Criteria and trials ----

export type CriterionVerdict = 'met' | 'not_met' | 'unknown' | 'needs_review';
export type TrialVerdict = 'eligible' | 'not_eligible' | 'possible';

/** One criterion's outcome (output contract: text, kind, verdict, evidence; the rest are additions). */
export interface CriterionMatch {
  readonly id: string;
  readonly itemId: string | null;
  readonly scope: string;
  readonly text: string;
  readonly kind: 'inclusion' | 'exclusion';
  /** Of the eligibility requirement: for an exclusion "met" means the excluding condition is absent. */
  readonly verdict: CriterionVerdict;
  readonly evidence: string;
  /** Exclusions only: is the excluding condition present? */
  readonly condition?: 'present' | 'absent' | 'unknown';
  readonly missing: readonly string[];
  readonly rule: string;
  readonly status: CurationStatus;
  readonly policy?: 'assume_met';
}

export interface ReviewItem {
  readonly criterionId: string | null;
  readonly itemId: string | null;
  readonly text: string;
  readonly reason: 'manual' | 'not_curated' | 'stale';
}

export interface ScopeVerdict {
  readonly id: string;
  readonly kind: Scope['kind'];
  readonly label: string;
  readonly open: boolean;
  readonly verdict: TrialVerdict;
}

/** One trial's outcome (output contract: trialId, verdict, criteria, missing; the rest are additions). */
export interface TrialMatch {
  readonly trialId: string;
  readonly title: string | null;
  readonly verdict: TrialVerdict;
  readonly summary: string;
  readonly criteria: readonly CriterionMatch[];
  /** Fact paths whose absence leaves a criterion unknown ("labs.creatinineMgDl", "performance"). */
  readonly missing: readonly string[];
  /** Criteria that failed (ids). */
  readonly failed: readonly string[];
  readonly reviewItems: readonly ReviewItem[];
  /** Unknown facts that on their own could make the trial not eligible (E.4); see requests.ts. */
  readonly blocking: readonly string[];
  readonly overallStatus: string | null;
  readonly curation: { readonly state: TrialDefinition['curation']['state']; readonly version: number; readonly stale: boolean };
  /** Per-scope verdicts, when the trial has steps, arms or cohorts. */
  readonly scopes?: readonly ScopeVerdict[];
  /** Dropped by the index prefilter: `criteria` holds only the failing criterion (index.ts). */
  readonly prefiltered?: boolean;
}

const VERDICT_RANK: Record<TrialVerdict, number> = { not_eligible: 0, possible: 1, eligible: 2 };

/** What a criterion's outcome repeats from the criterion, in one fixed shape (the compiled matcher keeps one per criterion). */
export interface CriterionInfo {
  readonly id: string;
  readonly itemId: string | null;
  readonly scope: string;
  readonly text: string;
  readonly kind: 'inclusion' | 'exclusion';
  readonly status: CurationStatus;
  readonly assumeMet: boolean;
  readonly rule: string;
}

/** The fixed-shape view of a criterion that `criterionMatch` reads (built once per criterion by the compiled matcher). */
export function criterionInfo(c: Criterion, scopeId: string, rule: string): CriterionInfo {
  return { id: c.id, itemId: c.source.itemId, scope: scopeId, text: c.source.text, kind: c.kind, status: c.status, assumeMet: c.policy === 'assume_met', rule };
}

/** A criterion's outcome from its expression's result (E.3 scope outcome, per criterion); `r` is null for assume-met. */
export function criterionMatch(c: CriterionInfo, r: NodeResult | null): CriterionMatch {
  if (c.assumeMet || r === null) {
    return {
      id: c.id, itemId: c.itemId, scope: c.scope, text: c.text, kind: c.kind, verdict: 'met',
      evidence: 'assumed met by curator policy (explicit, see the criterion note)', missing: EMPTY, rule: c.rule, status: c.status, policy: 'assume_met',
    };
  }
  const t: Tri = c.kind === 'exclusion' ? notTri(r.tri) : r.tri;
  const verdict: CriterionVerdict = t === MET ? 'met' : t === NOT_MET ? 'not_met' : r.missing.length > 0 ? 'unknown' : 'needs_review';
  const missing = t === UNKNOWN ? r.missing : EMPTY;
  if (c.kind === 'exclusion') {
    return {
      id: c.id, itemId: c.itemId, scope: c.scope, text: c.text, kind: c.kind, verdict, evidence: r.evidence,
      condition: r.tri === MET ? 'present' : r.tri === NOT_MET ? 'absent' : 'unknown', missing, rule: c.rule, status: c.status,
    };
  }
  return { id: c.id, itemId: c.itemId, scope: c.scope, text: c.text, kind: c.kind, verdict, evidence: r.evidence, missing, rule: c.rule, status: c.status };
}

interface ScopeTally { notMet: boolean; open: boolean; uncertain: boolean }

function tally(criteria: readonly CriterionMatch[]): ScopeTally {
  let notMetAny = false;
  let uncertain = false;
  for (const c of criteria) {
    if (c.verdict === 'not_met') notMetAny = true;
    else if (c.verdict !== 'met' || !CURATED_STATUSES.has(c.status)) uncertain = true;
  }
  return { notMet: notMetAny, open: true, uncertain };
}

function verdictOf(t: ScopeTally, stale: boolean): TrialVerdict {
  if (t.notMet || !t.open) return 'not_eligible';
  return t.uncertain || stale ? 'possible' : 'eligible';
}

/**
 * The public trial verdict (E.3): any criterion not met → not_eligible; else anything unknown, needing review,
 * not yet accepted by a curator, or a stale curation → possible; else eligible. Trial and step scopes are all
 * required; arms and cohorts are alternatives (the best open one counts; a closed one never makes it eligible).
 * `perScope` lists the criteria outcomes of each evaluated scope, in definition order; rejected criteria are left out.
 */
export function assembleTrialMatch(
  def: TrialDefinition, perScope: ReadonlyArray<{ scope: Scope; criteria: readonly CriterionMatch[] }>, blocking: readonly string[] = EMPTY,
  pre?: { readonly stale: boolean; readonly curation: TrialMatch['curation'] },
): TrialMatch {
  const stale = pre ? pre.stale : isCurationStale(def);
  // Most trials have one scope: use its list as is (no copies on the hot path).
  const single = perScope.length === 1 && (perScope[0]!.scope.kind === 'trial' || perScope[0]!.scope.kind === 'step');
  const all: readonly CriterionMatch[] = single ? perScope[0]!.criteria : perScope.flatMap((p) => p.criteria);
  let verdict: TrialVerdict;
  let scopeVerdicts: ScopeVerdict[] | null = null;
  if (single) {
    verdict = verdictOf(tally(all), stale);
  } else {
    const base: CriterionMatch[] = [];
    let best: TrialVerdict | null = null;
    scopeVerdicts = [];
    for (const { scope, criteria } of perScope) {
      const t = tally(criteria);
      if (scope.kind === 'trial' || scope.kind === 'step') {
        for (const c of criteria) base.push(c);
        scopeVerdicts.push({ id: scope.id, kind: scope.kind, label: scope.label, open: scope.open, verdict: verdictOf(t, stale) });
      } else {
        t.open = scope.open;
        const v = verdictOf(t, stale);
        if (best === null || VERDICT_RANK[v] > VERDICT_RANK[best]) best = v;
        scopeVerdicts.push({ id: scope.id, kind: scope.kind, label: scope.label, open: scope.open, verdict: v });
      }
    }
    verdict = verdictOf(tally(base), stale);
    if (best !== null && VERDICT_RANK[best] < VERDICT_RANK[verdict]) verdict = best;
  }

  const missing: string[] = [];
  const failed: string[] = [];
  const reviewItems: ReviewItem[] = [];
  let metCount = 0;
  let unknownCount = 0;
  let reviewCount = 0;
  let uncurated = 0;
  let first: CriterionMatch | null = null;
  for (const c of all) {
    if (c.verdict === 'met') metCount++;
    else if (c.verdict === 'not_met') { failed.push(c.id); first ??= c; }
    else if (c.verdict === 'unknown') {
      unknownCount++;
      for (const f of c.missing) if (!missing.includes(f)) missing.push(f);
    } else reviewCount++;
    const curated = CURATED_STATUSES.has(c.status);
    if (!curated) uncurated++;
    if (c.verdict === 'needs_review') reviewItems.push({ criterionId: c.id, itemId: c.itemId, text: c.text, reason: 'manual' });
    else if (!curated) reviewItems.push({ criterionId: c.id, itemId: c.itemId, text: c.text, reason: 'not_curated' });
  }
  if (stale) reviewItems.push({ criterionId: null, itemId: null, text: 'criteria changed on the registry since curation: review pending', reason: 'stale' });

  let summary: string;
  if (verdict === 'not_eligible') {
    summary = first
      ? `Not eligible: ${failed.length} ${failed.length === 1 ? 'criterion' : 'criteria'} not met; ${first.id} "${clip(first.text)}": ${first.evidence}.`
      : 'Not eligible: no open arm or cohort.';
  } else if (verdict === 'possible') {
    summary = `Possibly eligible: ${metCount} of ${all.length} criteria met; ${unknownCount} need data; ${reviewCount} need review${uncurated ? `; ${uncurated} not yet curated` : ''}${stale ? '; curation stale' : ''}; none failed.`;
  } else {
    summary = `Eligible: all ${all.length} criteria met and curated.`;
  }

  const out: TrialMatch = {
    trialId: def.nctId, title: def.title, verdict, summary, criteria: all, missing, failed, reviewItems,
    blocking: verdict === 'possible' ? blocking : EMPTY,
    overallStatus: def.registry.overallStatus,
    curation: pre ? pre.curation : { state: def.curation.state, version: def.version, stale },
  };
  return scopeVerdicts ? { ...out, scopes: scopeVerdicts } : out;
}

/** The summary of a trial dropped by the prefilter, before the evidence (per criterion, computed once). */
export function droppedSummaryPrefix(c: Criterion): string {
  return `Not eligible: ${c.id} "${clip(c.source.text)}": `;
}

function clip(s: string): string {
  return s.length > 90 ? `${s.slice(0, 87)}…` : s;
}

/** The rendering of a criterion's rule (cached per expression). */
export function ruleText(c: Criterion): string {
  return describeExpr(c.expr);
}
