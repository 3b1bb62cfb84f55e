import { humanize } from '../lib/format.js';
import type { AgeBound, AgeRange, Comparator, Expr } from './api.js';

/**
 * A curated criterion's expression in words, as a small tree a curator can read: connectives become "All of",
 * "Any of", "At least n of", "If … then …"; leaves read like the protocol ("age ≥ 12 y and ≤ 50 y (before the
 * 51st birthday)"). Mirrors describeExpr in src/domain/trials/criteria.ts, which renders one line; this one keeps
 * the structure so nested rules stay legible. Nothing is inferred: a value that is absent is not shown.
 */
export interface RuleNode {
  text: string;
  children?: RuleNode[];
}

/** Shared, versioned blocks (criteria.ts MACROS): the title the server gives each. */
const MACRO_TITLES: Record<string, string> = {
  COG_RENAL_V1: 'COG renal function: CrCl or radioisotope GFR ≥ 70 mL/min/1.73 m², or serum creatinine ≤ the COG age/sex table',
  COG_PERF_50_V1: 'COG performance: Lansky ≥ 50 for ≤ 16 y, Karnofsky ≥ 50 for > 16 y',
};

/** Lab facts a leaf can test (criteria.ts LAB_FACTS): label and display unit. */
const LABS: Record<string, { label: string; unit: string }> = {
  anc: { label: 'ANC', unit: '/µL' },
  platelets: { label: 'platelets', unit: '/µL' },
  hemoglobinGDl: { label: 'hemoglobin', unit: 'g/dL' },
  creatinineMgDl: { label: 'creatinine', unit: 'mg/dL' },
  gfrMlMin173: { label: 'GFR/creatinine clearance', unit: 'mL/min/1.73 m²' },
  bilirubinTotalMgDl: { label: 'total bilirubin', unit: 'mg/dL' },
  altUL: { label: 'ALT', unit: 'U/L' },
  shorteningFractionPct: { label: 'shortening fraction', unit: '%' },
  ejectionFractionPct: { label: 'ejection fraction', unit: '%' },
};

const STAGE_RISK: Record<string, string> = {
  'rms.stage': 'RMS stage',
  'rms.clinicalGroup': 'RMS clinical group',
  'rms.cogRiskHistologyBased': 'COG RMS risk group (histology-based)',
  'rms.cogRiskFusionBased': 'COG RMS risk group (FOXO1-based)',
  'rms.arst2032Category': 'ARST2032 category',
  'ewing.metastaticCategory': 'Ewing metastatic category',
  'osteosarcoma.metastaticCategory': 'osteosarcoma metastatic category',
  'osteosarcoma.responseByNecrosis90': 'osteosarcoma histologic response (90% necrosis)',
  'nrsts.arst0332RiskGroup': 'NRSTS risk group (ARST0332)',
  'ajcc.stageGroup': 'AJCC stage group',
};

const MARKERS: Record<string, string> = {
  foxo1Fusion: 'FOXO1 fusion', fusionPartner: 'fusion partner', myod1: 'MYOD1 mutation', tp53: 'TP53', ewsr1Fusion: 'EWSR1 fusion',
};

const CMP: Record<Comparator, string> = { '>=': '≥', '>': '>', '<=': '≤', '<': '<' };

const YEAR = 365.25;
const MONTH = 30.4375;

/** An age in days as the largest whole unit that divides it (criteria.ts formatDays). */
function formatDays(days: number): { n: number; unit: 'y' | 'months' | 'weeks' | 'days'; text: string } {
  const pick = (n: number, unit: 'y' | 'months' | 'weeks' | 'days') => ({
    n, unit, text: `${n} ${unit === 'months' && n === 1 ? 'month' : unit === 'days' && n === 1 ? 'day' : unit}`,
  });
  if (days % YEAR === 0) return pick(days / YEAR, 'y');
  if (days % MONTH === 0) return pick(days / MONTH, 'months');
  if (days % 7 === 0) return pick(days / 7, 'weeks');
  return pick(+days.toFixed(2), 'days');
}

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${s}`;
}

/** "≥ 12 y", "≤ 21 y (before the 22nd birthday)": the convention is stated with the limit (E.3 "Age"). */
export function describeAgeBound(b: AgeBound, side: 'min' | 'max'): string {
  const f = formatDays(b.days);
  if (side === 'min') return `${b.inclusive ? '≥' : '>'} ${f.text}`;
  if (!b.inclusive && f.unit === 'y' && f.n >= 1) return `≤ ${formatDays(b.days - YEAR).text} (before the ${ordinal(f.n)} birthday)`;
  if (!b.inclusive && f.unit === 'months' && f.n >= 1) return `≤ ${formatDays(b.days - MONTH).text} (before ${f.text})`;
  return `${b.inclusive ? '≤' : '<'} ${f.text}`;
}

export function describeAgeRange(r: AgeRange): string {
  const parts: string[] = [];
  if (r.min) parts.push(describeAgeBound(r.min, 'min'));
  if (r.max) parts.push(describeAgeBound(r.max, 'max'));
  return parts.length === 0 ? 'any age' : parts.join(' and ');
}

const words = (xs: readonly (string | number)[], joiner = 'or') => xs.map((x) => (typeof x === 'string' ? humanize(x).toLowerCase() : String(x))).join(` ${joiner} `);
const within = (d: number | undefined) => (d !== undefined ? ` (within ${d} days)` : '');

function codeSet(c: { codes?: readonly string[]; families?: readonly string[] } | undefined): string {
  if (!c) return '';
  return [...(c.families ?? []).map((f) => humanize(f).toLowerCase()), ...(c.codes ?? [])].join(', ');
}

/** One leaf in words. */
function leafText(e: Expr): string {
  switch (e.op) {
    case 'age': return `Age ${describeAgeRange(e)}${e.note ? ` ${e.note}` : ''}`;
    case 'sex': return `Sex: ${e.anyOf.join(' or ')}`;
    case 'diagnosis': {
      const parts = [`Diagnosis: ${e.label}`];
      const any = codeSet(e.anyOf);
      const none = codeSet(e.noneOf);
      if (any) parts.push(`includes ${any}`);
      if (none) parts.push(`excludes ${none}`);
      if (e.site) parts.push(`${humanize(e.site).toLowerCase()} primary`);
      return parts.join('; ');
    }
    case 'diseaseStatus': return `Disease status: ${words(e.anyOf)}`;
    case 'metastatic':
      return e.present ? `Metastatic disease${e.sites ? ` (${words(e.sites)})` : ''}` : `No metastases${e.sites ? ` at ${words(e.sites)}` : ''}`;
    case 'stageRisk': return `${STAGE_RISK[e.measure] ?? e.measure}: ${e.anyOf.join(' or ')}`;
    case 'priorTherapy': {
      const what = [...(e.kinds ?? []).map((k) => humanize(k).toLowerCase()), ...(e.agents ?? [])].join(' or ') || 'therapy';
      return `Prior ${what}${e.excludingAgents?.length ? ` (excluding ${e.excludingAgents.join(', ')})` : ''}${(e.minCount ?? 1) > 1 ? `, at least ${e.minCount} times` : ''}`;
    }
    case 'molecular': return `${MARKERS[e.marker] ?? e.marker}: ${e.anyOf.join(' or ')}`;
    case 'performance':
      return `Performance: ${e.rules.map((r) => `${humanize(r.scale)}${r.min !== undefined ? ` ≥ ${r.min}` : ''}${r.max !== undefined ? ` ≤ ${r.max}` : ''}${r.appliesIf ? ` if age ${describeAgeRange(r.appliesIf)}` : ''}`).join('; ')}`;
    case 'lab': {
      const info = LABS[e.fact] ?? { label: e.fact, unit: '' };
      const thr = e.xUln !== undefined ? `${e.xUln} × upper limit of normal for age` : `${e.absolute ?? '?'} ${info.unit}`.trim();
      return `${info.label.charAt(0).toUpperCase()}${info.label.slice(1)} ${CMP[e.cmp]} ${thr}${within(e.withinDays)}`;
    }
    case 'creatinineTable': return `Serum creatinine ≤ the COG age/sex table value${within(e.withinDays)}`;
    case 'labsRecent': return `Labs drawn within ${e.withinDays} days`;
    case 'enrolledOnStudy': return `Enrolled on ${e.studies.join(' or ')}${e.allowConcurrent ? ' (concurrent enrollment allowed)' : ''}`;
    case 'reproductive': return e.condition === 'pregnant_or_nursing' ? 'Pregnant or nursing' : 'Uses effective contraception if of reproductive potential';
    case 'manual': return `Clinician review (not computed)${e.note ? `: ${e.note}` : ''}`;
    default: return '';
  }
}

/** The expression as a readable tree. */
export function ruleTree(e: Expr): RuleNode {
  switch (e.op) {
    case 'and': return { text: 'All of:', children: e.args.map(ruleTree) };
    case 'or': return { text: 'Any of:', children: e.args.map(ruleTree) };
    case 'not': return { text: 'Not:', children: [ruleTree(e.arg)] };
    case 'atLeast': return { text: `At least ${e.n} of:`, children: e.args.map(ruleTree) };
    case 'when': return { text: 'Conditional rule:', children: [{ text: 'If:', children: [ruleTree(e.if)] }, { text: 'then:', children: [ruleTree(e.then)] }] };
    case 'ref': return { text: `${MACRO_TITLES[e.macro] ?? e.macro} [${e.macro}]${within(e.withinDays)}` };
    default: return { text: leafText(e) };
  }
}

/** The expression on one line (for a compact view). */
export function ruleLine(e: Expr): string {
  const n = ruleTree(e);
  const flat = (x: RuleNode): string => (x.children ? `${x.text.replace(/:$/, '')} (${x.children.map(flat).join('; ')})` : x.text);
  return flat(n);
}
