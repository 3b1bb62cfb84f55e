import { MORPHOLOGY, type TumorFamily } from '../coding/morphology.js';
import {
  ageBound, type AgeBound, type AgeUnit, type CodeSet, type Comparator, type Criterion, type DiseaseStatus, type Expr,
  type LabFact, type Leaf, type PerformanceRule, type Scope, type TherapyKind, type TrialDefinition,
} from './criteria.js';
import type { ImportedTrial } from './ctgov.js';
import { segmentCriteria, type CriteriaItem } from './segment.js';

/**
 * Automatic draft of a trial's structured criteria (trial-eligibility.md E.7 step 3). Typed rules propose leaves
 * for the common patterns (ages, disease status, extent, named histologies, Lansky/Karnofsky/ECOG with their age
 * boundary, the COG renal wording, labs as absolutes or × ULN, echo fractions, pregnancy, prior therapy, companion
 * studies); whatever no rule reads becomes a `manual` leaf that needs a clinician, so nothing is ever dropped.
 * Every criterion starts `proposed`: a trial is never "eligible" on a draft, only "possible" or "not eligible".
 *
 * The rules are deliberately conservative: a leaf is proposed only where the wording is a plain requirement (not
 * negated, not one option of an "and/or" list, not a condition "for patients …"), because an uncurated leaf that
 * fails still makes the trial "not eligible".
 */

interface Hit {
  readonly rule: string;
  readonly expr: Expr;
  /** Character ranges of the normalized item text the rule read (to find what is left unread). */
  readonly spans: ReadonlyArray<readonly [number, number]>;
}

interface ItemCtx {
  /** Normalized text: comparators as ASCII (>=, <=), dashes and µ folded; the legacy label prefixed. */
  readonly t: string;
  readonly item: CriteriaItem;
  readonly parentText: string;
  readonly trial: ImportedTrial;
}

/** Normalizes comparator and unit spellings so the rules can use one regex per pattern. */
export function normalizeCriterionText(s: string): string {
  return s
    .replace(/=>/g, '>=').replace(/=</g, '<=').replace(/≥/g, '>=').replace(/≤/g, '<=')
    .replace(/[–—−]/g, '-').replace(/×/g, 'x').replace(/[µμ]/g, 'u').replace(/\s+/g, ' ').trim();
}

// ---- Shared parsing ----

const UNIT_WORD = '(years?|yrs?|months?|mos?|weeks?|wks?|days?)';
function unitOf(word: string | undefined, fallback: AgeUnit = 'years'): AgeUnit {
  if (!word) return fallback;
  const w = word.toLowerCase();
  if (w.startsWith('y')) return 'years';
  if (w.startsWith('mo')) return 'months';
  if (w.startsWith('w')) return 'weeks';
  if (w.startsWith('d')) return 'days';
  return fallback;
}

type Side = 'min' | 'max';
/** Comparator words → which limit they set, on the completed-units convention (E.3 "Age"). */
const AGE_COMPARATORS: ReadonlyArray<{ re: RegExp; side: Side; bound: (n: number, u: AgeUnit) => AgeBound }> = [
  { re: /^(?:>=|at least|greater than or equal to|no younger than)$/i, side: 'min', bound: ageBound.atLeast },
  { re: /^(?:>|over|older than|greater than|above|more than)$/i, side: 'min', bound: ageBound.over },
  { re: /^(?:<=|up to|no more than|not more than|less than or equal to|no older than|maximum(?: of)?)$/i, side: 'max', bound: ageBound.atMost },
  { re: /^(?:<|under|younger than|less than|below)$/i, side: 'max', bound: ageBound.under },
];
const AGE_CMP = '(>=|<=|>|<|at least|greater than or equal to|less than or equal to|no younger than|no older than|greater than|less than|no more than|not more than|more than|older than|younger than|up to|under|over|above|below)';

interface AgeParse { min?: AgeBound; max?: AgeBound; spans: Array<[number, number]>; phrases: string[] }

/** Reads the age limits in a phrase ("Age >= 12 years and <= 50 years", "21 and under", "between 1 and 21 years"). */
function parseAges(t: string, defaultUnit: AgeUnit = 'years'): AgeParse {
  const out: AgeParse = { spans: [], phrases: [] };
  const set = (side: Side, b: AgeBound, span: [number, number], phrase: string) => {
    const prev = out[side];
    // Two limits on one side: keep the looser one only if they agree, else the parse is not trusted.
    if (prev && (prev.days !== b.days || prev.inclusive !== b.inclusive)) { out.phrases.push('\u0000conflict'); return; }
    out[side] = b;
    out.spans.push(span);
    out.phrases.push(phrase);
  };
  let m: RegExpExecArray | null;
  const range = new RegExp(`(?:between\\s+)?(\\d+(?:\\.\\d+)?)\\s*${UNIT_WORD}?\\s*(?:-|to|and)\\s*(\\d+(?:\\.\\d+)?)\\s*${UNIT_WORD}`, 'gi');
  while ((m = range.exec(t))) {
    const u1 = unitOf(m[2] ?? m[4], defaultUnit);
    const u2 = unitOf(m[4], defaultUnit);
    set('min', ageBound.atLeast(Number(m[1]), u1), [m.index, m.index + m[0].length], m[0]);
    set('max', ageBound.atMost(Number(m[3]), u2), [m.index, m.index + m[0].length], m[0]);
  }
  const post = new RegExp(`(\\d+(?:\\.\\d+)?)\\s*${UNIT_WORD}?\\s*(?:of age\\s*)?(?:and|or)\\s*(under|younger|less|below|over|older|above|greater)\\b`, 'gi');
  while ((m = post.exec(t))) {
    if (covered(out.spans, m.index)) continue;
    const u = unitOf(m[2], defaultUnit);
    const up = /under|younger|less|below/i.test(m[3]!);
    set(up ? 'max' : 'min', up ? ageBound.atMost(Number(m[1]), u) : ageBound.atLeast(Number(m[1]), u), [m.index, m.index + m[0].length], m[0]);
  }
  const pre = new RegExp(`${AGE_CMP}\\s*(\\d+(?:\\.\\d+)?)\\s*${UNIT_WORD}?`, 'gi');
  while ((m = pre.exec(t))) {
    if (covered(out.spans, m.index)) continue;
    const c = AGE_COMPARATORS.find((x) => x.re.test(m![1]!.trim()));
    if (!c) continue;
    set(c.side, c.bound(Number(m[2]), unitOf(m[3], defaultUnit)), [m.index, m.index + m[0].length], m[0]);
  }
  return out;
}

function covered(spans: ReadonlyArray<readonly [number, number]>, at: number): boolean {
  return spans.some(([a, b]) => at >= a && at < b);
}

// ---- Histologies ----

const OS_HIGH_GRADE = Object.entries(MORPHOLOGY)
  .filter(([, e]) => e.family === 'osteosarcoma' && 'osSubtype' in e && (e.osSubtype === 'conventional' || e.osSubtype === 'high_grade_surface'))
  .map(([c]) => c);

interface Histology { readonly id: string; readonly re: RegExp; readonly label: string; readonly set: CodeSet; readonly generic?: boolean }

/** Named histologies → ICD-O-3 code sets or families (morphology.ts). `generic` ones yield to any specific mention. */
export const HISTOLOGIES: readonly Histology[] = [
  { id: 'ewing', re: /\bewing'?s?(?:\s+(?:sarcoma|family))?\b/gi, label: 'Ewing sarcoma', set: { families: ['ewing'] } },
  { id: 'pnet', re: /\b(?:PNET|(?:peripheral )?primitive neuroectodermal tumou?r)\b/g, label: 'PNET', set: { codes: ['9364/3', '9365/3'] } },
  { id: 'os-high', re: /\bhigh[- ]grade osteosarcoma\b/gi, label: 'high-grade osteosarcoma', set: { codes: OS_HIGH_GRADE } },
  { id: 'os', re: /\bosteosarcoma\b/gi, label: 'osteosarcoma', set: { families: ['osteosarcoma'] } },
  { id: 'erms', re: /\bembryonal(?: (?:rms|rhabdomyosarcoma))?\b/gi, label: 'embryonal RMS', set: { codes: ['8910/3', '8912/3'] } },
  { id: 'botryoid', re: /\bbotryoid\b/gi, label: 'botryoid RMS', set: { codes: ['8910/3'] } },
  { id: 'spindle', re: /\bspindle cell(?:\/sclerosing)?(?: (?:rms|rhabdomyosarcoma|variants?))?\b/gi, label: 'spindle cell RMS', set: { codes: ['8912/3'] } },
  { id: 'arms', re: /\balveolar (?:rms|rhabdomyosarcoma)\b/gi, label: 'alveolar RMS', set: { codes: ['8920/3'] } },
  { id: 'ectomesenchymoma', re: /\bectomesenchymoma\b/gi, label: 'ectomesenchymoma', set: { codes: ['8921/3'] } },
  { id: 'rms', re: /\b(?:rms|rhabdomyosarcoma)\b/gi, label: 'rhabdomyosarcoma', set: { families: ['rhabdomyosarcoma'] }, generic: true },
  { id: 'nrsts', re: /\b(?:NRSTS|non-?rhabdomyosarcoma(?:tous)? soft[- ]tissue sarcomas?)\b/gi, label: 'NRSTS', set: { families: ['nrsts'] } },
  { id: 'dsrct', re: /\bdesmoplastic small round cell tumou?r\b/gi, label: 'desmoplastic small round cell tumour', set: { codes: ['8806/3'] } },
  { id: 'synovial', re: /\bsynovial sarcoma\b/gi, label: 'synovial sarcoma', set: { codes: ['9040/3', '9041/3', '9042/3', '9043/3'] } },
  { id: 'leiomyosarcoma', re: /\bleiomyosarcoma\b/gi, label: 'leiomyosarcoma', set: { codes: ['8890/3'] } },
  { id: 'liposarcoma', re: /\b(?:(?:poorly differentiated\/)?de-?differentiated |other high grade )?liposarcoma\b/gi, label: 'liposarcoma', set: { codes: ['8850/3', '8852/3', '8858/3'] } },
  { id: 'ups', re: /\b(?:high grade )?(?:undifferentiated pleomorphic sarcoma|pleomorphic undifferentiated sarcoma|malignant fibrous histiocytoma|MFH|UPS)\b/g, label: 'undifferentiated pleomorphic sarcoma', set: { codes: ['8830/3', '8802/3'] } },
  { id: 'mpnst', re: /\b(?:MPNST|malignant peripheral nerve sheath tumou?r)\b/gi, label: 'MPNST', set: { codes: ['9540/3'] } },
  { id: 'chondrosarcoma-dd', re: /\bchondrosarcoma \[?de-?differentiated or mesenchymal\]?/gi, label: 'dedifferentiated or mesenchymal chondrosarcoma', set: { codes: ['9243/3', '9240/3'] } },
  { id: 'chondrosarcoma', re: /\bchondrosarcoma\b/gi, label: 'chondrosarcoma', set: { codes: ['9220/3', '9240/3', '9242/3', '9243/3'] } },
  { id: 'epithelioid', re: /\bepithelioid sarcoma\b/gi, label: 'epithelioid sarcoma', set: { codes: ['8804/3'] } },
  { id: 'asps', re: /\balveolar soft part sarcoma\b/gi, label: 'alveolar soft part sarcoma', set: { codes: ['9581/3'] } },
  { id: 'ccs', re: /\bclear cell sarcoma\b/gi, label: 'clear cell sarcoma', set: { codes: ['9044/3'] } },
  { id: 'infantile-fibrosarcoma', re: /\binfantile fibrosarcoma\b/gi, label: 'infantile fibrosarcoma', set: { codes: ['8814/3'] } },
  { id: 'desmoid', re: /\bdesmoid(?:-type fibromatosis| tumou?r)?\b/gi, label: 'desmoid-type fibromatosis', set: { codes: ['8821/1'] } },
  { id: 'sts', re: /\bsoft[- ]tissue sarcomas?\b/gi, label: 'soft tissue sarcoma', set: { families: ['rhabdomyosarcoma', 'nrsts'] }, generic: true },
  { id: 'bone-sarcoma', re: /\bbone sarcomas?\b/gi, label: 'bone sarcoma', set: { families: ['osteosarcoma', 'ewing', 'other_bone_malignant'] }, generic: true },
];

const NEGATING_BEFORE = /\b(?:no|not|except|excluding|other than|without|history of|prior|previous|second|secondary|treated for)\b[^.;]{0,30}$/i;

/** Histologies named as a requirement in a phrase, merged into one code set. */
function findHistologies(t: string): { label: string; set: CodeSet; spans: Array<[number, number]> } | null {
  const found: Array<{ h: Histology; span: [number, number] }> = [];
  for (const h of HISTOLOGIES) {
    h.re.lastIndex = 0;
    for (let m = h.re.exec(t); m; m = h.re.exec(t)) {
      const span: [number, number] = [m.index, m.index + m[0].length];
      if (found.some((f) => span[0] < f.span[1] && span[1] > f.span[0])) continue; // a longer pattern already read it
      if (NEGATING_BEFORE.test(t.slice(Math.max(0, m.index - 40), m.index))) continue;
      found.push({ h, span });
    }
  }
  if (found.length === 0) return null;
  const specific = found.filter((f) => !f.h.generic);
  const use = specific.length > 0 ? specific : found;
  const codes = new Set<string>();
  const families = new Set<TumorFamily>();
  const labels: string[] = [];
  for (const { h } of use) {
    h.set.codes?.forEach((c) => codes.add(c));
    h.set.families?.forEach((f) => families.add(f));
    if (!labels.includes(h.label)) labels.push(h.label);
  }
  const set: CodeSet = { ...(codes.size ? { codes: [...codes] } : {}), ...(families.size ? { families: [...families] } : {}) };
  return { label: labels.join(', '), set, spans: found.map((f) => f.span) };
}

// ---- Rules ----

type Rule = (c: ItemCtx) => Hit[];

const perfScale = (w: string): PerformanceRule['scale'] => (/lansky/i.test(w) ? 'lansky' : /karnofsky/i.test(w) ? 'karnofsky' : 'ecog');

/** The age range a performance scale is used for ("for patients > 16 years of age", "(age 10 and under)"). */
function perfAgeCondition(s: string): { range: { min?: AgeBound; max?: AgeBound }; span: [number, number] } | null {
  const m = /(?:for (?:patients|participants|those|children)\s*|\(\s*|patients\s+)((?:age[ds]?\s*)?(?:>=|<=|>|<|over|under|older than|younger than)?\s*(?:age\s*)?\d+\s*(?:years?)?(?:\s*(?:of age|old))?(?:\s*(?:and|or)\s*(?:under|older|younger|less|over|above))?)/i.exec(s);
  if (!m) return null;
  const p = parseAges(m[1]!.replace(/\bage[ds]?\b/gi, ' '));
  if (!p.min && !p.max) return null;
  if (p.phrases.includes('\u0000conflict')) return null;
  return { range: { ...(p.min ? { min: p.min } : {}), ...(p.max ? { max: p.max } : {}) }, span: [m.index, m.index + m[0].length] };
}

const rulePerformance: Rule = ({ t }) => {
  const mentions = [...t.matchAll(/\b(lansky|karnofsky|ecog|zubrod)\b/gi)];
  if (mentions.length === 0) return [];
  const spans: Array<[number, number]> = [];
  const found = new Map<PerformanceRule['scale'], { min?: number; max?: number; cond?: { min?: AgeBound; max?: AgeBound } }>();
  let shared: number | undefined;
  mentions.forEach((m, i) => {
    const scale = perfScale(m[1]!);
    const from = m.index!;
    const to = mentions[i + 1]?.index ?? t.length;
    const clause = t.slice(from, to);
    const entry = found.get(scale) ?? {};
    spans.push([from, to]);
    if (scale === 'ecog') {
      const r = /(?:of\s*)?([0-4])\s*(?:-|to|or|,)\s*(?:[0-4]\s*(?:,|or)\s*)?([0-4])\b/.exec(clause) ?? /<=\s*([0-4])\b/.exec(clause);
      if (r) entry.max = Number(r[2] ?? r[1]);
    } else {
      const cond = perfAgeCondition(clause);
      if (cond) entry.cond = cond.range;
      // The threshold, not the age condition's number ("for patients > 16 years").
      const rest = cond ? clause.slice(0, cond.span[0]) + ' '.repeat(cond.span[1] - cond.span[0]) + clause.slice(cond.span[1]) : clause;
      const thr = /(?:>=|>|at least|of)\s*(\d{2,3})(?!\s*(?:years?|yrs?|months?))\s*%?|\b(\d{2,3})\s*%?\s*(?:-|to)\s*100\b/.exec(rest);
      if (thr) {
        const v = Number(thr[1] ?? thr[2]);
        // Lansky and Karnofsky move in steps of 10, so "> 50" is "≥ 60".
        entry.min = /(^|[^>])>\s*\d/.test(thr[0]) && !thr[0].includes('>=') ? v + 10 : v;
        shared ??= entry.min;
      }
    }
    found.set(scale, entry);
  });
  // "Use Karnofsky for patients > 16 years of age and Lansky for patients <= 16 years of age" after a shared threshold.
  const rules: PerformanceRule[] = [];
  for (const [scale, e] of found) {
    const min = scale === 'ecog' ? undefined : e.min ?? shared;
    if (scale === 'ecog' ? e.max === undefined : min === undefined) return [];
    rules.push({ scale, ...(e.cond ? { appliesIf: e.cond } : {}), ...(min !== undefined ? { min } : {}), ...(e.max !== undefined ? { max: e.max } : {}) });
  }
  return [{ rule: 'D-PERF', expr: { op: 'performance', rules }, spans }];
};

const ruleCogRenal: Rule = ({ t }) => {
  const m = /creatinine clearance or radioisotope (?:glomerular filtration rate|gfr)[^]*?70[^]*?\bor\b[^]*?serum creatinine based on age\s*\/?\s*(?:gender|sex)/i.exec(t);
  if (!m) return [];
  const w = /within (\d+) days/i.exec(t);
  return [{ rule: 'D-COG-RENAL', expr: { op: 'ref', macro: 'COG_RENAL_V1', ...(w ? { withinDays: Number(w[1]) } : {}) }, spans: [[m.index, m.index + m[0].length], ...(w ? [[w.index, w.index + w[0].length] as [number, number]] : [])] }];
};

interface LabPattern { fact: LabFact | 'ast'; re: RegExp }
const LAB_PATTERNS: readonly LabPattern[] = [
  { fact: 'gfrMlMin173', re: /\b(?:creatinine clearance|(?:radioisotope )?glomerular filtration rate|GFR)\b(?: or (?:radioisotope )?(?:glomerular filtration rate|GFR))?(?: \(GFR\))?/gi },
  { fact: 'creatinineMgDl', re: /\b(?:serum )?creatinine\b(?! clearance)/gi },
  { fact: 'anc', re: /\b(?:absolute neutrophil count|ANC)\b(?: \(ANC\))?/gi },
  { fact: 'platelets', re: /\bplatelets?(?: count)?\b/gi },
  { fact: 'hemoglobinGDl', re: /\b(?:hemoglobin|haemoglobin|hgb)\b/gi },
  { fact: 'bilirubinTotalMgDl', re: /\b(?:total )?bilirubin\b/gi },
  { fact: 'altUL', re: /\b(?:SGPT|ALT)\b(?: \((?:ALT|SGPT)\))?/g },
  { fact: 'ast', re: /\b(?:SGOT|AST)\b(?: \((?:AST|SGOT)\))?/g },
  { fact: 'shorteningFractionPct', re: /\bshortening fraction\b/gi },
  { fact: 'ejectionFractionPct', re: /\bejection fraction\b/gi },
];
const LAB_CMP: Record<string, Comparator> = {
  '>=': '>=', '>': '>', '<=': '<=', '<': '<', 'at least': '>=', 'of at least': '>=', 'greater than or equal to': '>=',
  'less than or equal to': '<=', 'greater than': '>', 'less than': '<', 'no more than': '<=', 'not exceeding': '<=', above: '>', below: '<',
};
const LAB_THRESHOLD = /^[^.;]{0,40}?(>=|<=|>|<|of at least|at least|greater than or equal to|less than or equal to|greater than|less than|no more than|not exceeding|above|below)\s*(\d[\d,]*(?:\.\d+)?)\s*(?:(x|times)\s*(?:the\s*)?(?:institutional\s*)?(uln|upper limit of normal|normal)|(x\s*10\^?9\s*\/\s*l|\/\s*(?:mm\^?3|ul|mcl)|g\/dl|g\/l|mg\/dl|umol\/l|ml\/min(?:\/1\.73\s*m\^?2)?|%|u\/l))?/i;

const ruleLabs: Rule = ({ t }) => {
  type L = { fact: LabFact | 'ast'; at: number; end: number; leaf?: Leaf };
  const found: L[] = [];
  for (const p of LAB_PATTERNS) {
    p.re.lastIndex = 0;
    for (let m = p.re.exec(t); m; m = p.re.exec(t)) {
      if (found.some((f) => m!.index >= f.at && m!.index < f.end)) continue;
      found.push({ fact: p.fact, at: m.index, end: m.index + m[0].length });
    }
  }
  if (found.length === 0) return [];
  found.sort((a, b) => a.at - b.at);
  const window = /within (\d+) days/i.exec(t);
  const hits: L[] = [];
  for (const [i, f] of found.entries()) {
    const next = found[i + 1]?.at ?? t.length;
    const th = LAB_THRESHOLD.exec(t.slice(f.end, next));
    if (f.fact === 'ast') { hits.push({ ...f, leaf: { op: 'manual', note: 'AST/SGOT is not in the case facts' } }); continue; }
    if (!th) continue;
    const cmp = LAB_CMP[th[1]!.toLowerCase()];
    if (!cmp) continue;
    let value = Number(th[2]!.replace(/,/g, ''));
    const unit = (th[5] ?? '').toLowerCase().replace(/\s/g, '');
    if (/10\^?9\/l/.test(unit) && (f.fact === 'anc' || f.fact === 'platelets')) value *= 1000;
    if (unit === 'g/l' && f.fact === 'hemoglobinGDl') value /= 10;
    if (unit === 'umol/l' && f.fact === 'creatinineMgDl') value = +(value / 88.42).toFixed(3);
    const drawnWindow = window && f.fact !== 'shorteningFractionPct' && f.fact !== 'ejectionFractionPct' ? { withinDays: Number(window[1]) } : {};
    const leaf: Leaf = th[3]
      ? { op: 'lab', fact: f.fact, cmp, xUln: value, ...drawnWindow }
      : { op: 'lab', fact: f.fact, cmp, absolute: value, ...drawnWindow };
    hits.push({ ...f, end: f.end + th.index + th[0].length, leaf });
  }
  const leaves = hits.filter((h) => h.leaf !== undefined);
  if (leaves.every((h) => h.leaf!.op === 'manual')) return [];
  // "A or B" between consecutive labs (shortening fraction >= 27% or ejection fraction >= 50%) is an alternative.
  const joinedByOr = leaves.length > 1 && leaves.slice(1).every((h, i) => /\bor\b/i.test(t.slice(leaves[i]!.end, h.at)) && !/\band\b/i.test(t.slice(leaves[i]!.end, h.at)));
  const exprs = leaves.map((h) => h.leaf!);
  const spans = leaves.map((h) => [h.at, h.end] as [number, number]);
  if (window) spans.push([window.index, window.index + window[0].length]);
  return [{ rule: 'D-LAB', expr: exprs.length === 1 ? exprs[0]! : { op: joinedByOr ? 'or' : 'and', args: exprs }, spans }];
};

const ruleLabsRecent: Rule = ({ t }) => {
  const m = /\b(?:labs?|laboratory (?:tests?|values|studies)|blood (?:tests?|counts?)|organ function tests?)\b[^.;]{0,80}?within (\d+) days/i.exec(t);
  if (!m) return [];
  return [{ rule: 'D-LAB-WINDOW', expr: { op: 'labsRecent', withinDays: Number(m[1]) }, spans: [[m.index, m.index + m[0].length]] }];
};

const STATUS_WORDS: ReadonlyArray<{ re: RegExp; statuses: readonly DiseaseStatus[] }> = [
  { re: /\b(?:relapsed|recurrent|recurred)\b/i, statuses: ['relapsed'] },
  { re: /\brefractory\b/i, statuses: ['refractory', 'progressive'] },
  { re: /\bprogressive\b|\bprogressed\b/i, statuses: ['progressive'] },
];

/** Disease status and extent: "newly diagnosed", "relapsed or refractory", "non-metastatic", and "unresectable, recurrent and/or metastatic" lists. */
const ruleStatusExtent: Rule = ({ t }) => {
  const hits: Hit[] = [];
  // An "and/or" list of extent and status words is one alternative, not several requirements.
  const list = /\b((?:unresectable|advanced|recurrent|relapsed|refractory|progressive|metastatic|locally advanced)(?:\s*,\s*(?:and\/or\s+|or\s+)?|\s+(?:and\/or|or)\s+)){1,4}(?:unresectable|advanced|recurrent|relapsed|refractory|progressive|metastatic)\b/i.exec(t);
  if (list && /\b(?:unresectable|advanced|metastatic)\b/i.test(list[0]) && /\b(?:recurrent|relapsed|refractory|progressive|unresectable|advanced)\b/i.test(list[0])) {
    const words = list[0].toLowerCase();
    const alts: Expr[] = [];
    const statuses = new Set<DiseaseStatus>();
    for (const w of STATUS_WORDS) if (w.re.test(words)) w.statuses.forEach((s) => statuses.add(s));
    if (statuses.size) alts.push({ op: 'diseaseStatus', anyOf: [...statuses] });
    if (/metastatic/.test(words)) alts.push({ op: 'metastatic', present: true });
    const other = ['unresectable', 'locally advanced', 'advanced'].find((w) => words.includes(w));
    if (other) alts.push({ op: 'manual', note: `${other} disease` });
    return [{ rule: 'D-EXTENT-LIST', expr: { op: 'or', args: alts }, spans: [[list.index, list.index + list[0].length]] }];
  }
  const nd = /\b(?<!not )newly[- ]diagnosed\b/i.exec(t);
  if (nd) hits.push({ rule: 'D-STATUS', expr: { op: 'diseaseStatus', anyOf: ['newly_diagnosed'] }, spans: [[nd.index, nd.index + nd[0].length]] });
  else {
    const statuses = new Set<DiseaseStatus>();
    const spans: Array<[number, number]> = [];
    for (const w of STATUS_WORDS) {
      const m = w.re.exec(t);
      if (m && !/\b(?:no|not|without|never)\s+$/i.test(t.slice(Math.max(0, m.index - 12), m.index))) {
        w.statuses.forEach((s) => statuses.add(s));
        spans.push([m.index, m.index + m[0].length]);
      }
    }
    if (statuses.size) hits.push({ rule: 'D-STATUS', expr: { op: 'diseaseStatus', anyOf: [...statuses].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b)) }, spans });
  }
  // Extent: an adjective on the disease ("non-metastatic Ewing sarcoma", "localized disease", "Metastatic").
  const DISEASE = '(?:disease|sarcoma|osteosarcoma|rms|rhabdomyosarcoma|ewing|tumou?rs?|cancer|pnet|nrsts|solid)';
  const local = new RegExp(`\\b(?:non-?metastatic|locali[sz]ed)\\b(?=[^.;]{0,40}\\b${DISEASE}\\b)|\\bwithout (?:evidence of )?metasta(?:sis|ses|tic disease)\\b`, 'i').exec(t);
  const meta = new RegExp(`(?<!non-?)\\bmetastatic\\b(?=\\s+(?:(?!sites?\\b)[a-z-]+\\s+){0,2}${DISEASE}\\b)|^metastatic\\b`, 'i').exec(t);
  if (local && !meta) hits.push({ rule: 'D-EXTENT', expr: { op: 'metastatic', present: false }, spans: [[local.index, local.index + local[0].length]] });
  if (meta && !local && !/\bor (?:locali[sz]ed|non-?metastatic)|(?:locali[sz]ed|non-?metastatic) or\b/i.test(t)) {
    hits.push({ rule: 'D-EXTENT', expr: { op: 'metastatic', present: true }, spans: [[meta.index, meta.index + meta[0].length]] });
  }
  return hits;
};
const ORDER: readonly DiseaseStatus[] = ['newly_diagnosed', 'relapsed', 'refractory', 'progressive'];

const ruleDiagnosis: Rule = ({ t, item }) => {
  if (item.kind === 'inclusion' && /^(?:no|not|without)\b/i.test(t)) return [];
  const h = findHistologies(t);
  if (!h) return [];
  const except = /\bexcept (?:for )?(?:adult[- ]type )?pleomorphic\b/i.exec(t);
  const leaf: Leaf = {
    op: 'diagnosis', label: `${h.label}${except ? ' (except pleomorphic RMS)' : ''}`, anyOf: h.set,
    ...(except ? { noneOf: { codes: ['8901/3'] } } : {}),
  };
  return [{ rule: 'D-DX', expr: leaf, spans: [...h.spans, ...(except ? [[except.index, except.index + except[0].length] as [number, number]] : [])] }];
};

const ROMAN: Record<string, number> = { I: 1, II: 2, III: 3, IV: 4 };
const GROUPS = ['I', 'IIA', 'IIB', 'IIC', 'III', 'IV'] as const;
const ruleRmsStageGroup: Rule = ({ t, parentText }) => {
  if (!/\b(?:rms|rhabdomyosarcoma|embryonal|alveolar)\b/i.test(`${parentText} ${t}`)) return [];
  const out: Hit[] = [];
  const st = /\bstage\s+([1-4])(?:\s*(?:-|to|or|,)\s*([1-4]))?/i.exec(t);
  if (st) {
    const a = Number(st[1]);
    const b = Number(st[2] ?? st[1]);
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    const values = /\bor\b|,/.test(st[0]) ? [a, b] : Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
    out.push({ rule: 'D-RMS-STAGE', expr: { op: 'stageRisk', measure: 'rms.stage', anyOf: [...new Set(values)] }, spans: [[st.index, st.index + st[0].length]] });
  }
  const gr = /\bgroup\s+(IV|I{1,3})(?:\s*(?:-|to|or)\s*(IV|I{1,3}))?\b/.exec(t);
  if (gr) {
    const a = ROMAN[gr[1]!]!;
    const b = ROMAN[gr[2] ?? gr[1]!]!;
    const values = GROUPS.filter((g) => { const n = ROMAN[g.replace(/[ABC]$/, '')]!; return /\bor\b/.test(gr[0]) ? n === a || n === b : n >= Math.min(a, b) && n <= Math.max(a, b); });
    out.push({ rule: 'D-RMS-GROUP', expr: { op: 'stageRisk', measure: 'rms.clinicalGroup', anyOf: [...values] }, spans: [[gr.index, gr.index + gr[0].length]] });
  }
  return out;
};

const THERAPY_WORDS: ReadonlyArray<{ re: RegExp; kinds: readonly TherapyKind[] }> = [
  { re: /\bchemotherapy\b/i, kinds: ['chemotherapy'] },
  { re: /\b(?:radiotherapy|radiation(?: therapy)?|RT)\b/, kinds: ['radiation'] },
  { re: /\bimmunotherapy\b/i, kinds: ['immunotherapy'] },
  { re: /\bsystemic (?:therapy|treatment|anti-?cancer therapy)\b/i, kinds: ['chemotherapy', 'immunotherapy'] },
];
const STEROIDS = ['dexamethasone', 'prednisone', 'prednisolone', 'methylprednisolone', 'hydrocortisone', 'steroids', 'corticosteroids'];
const KNOWN_AGENTS = ['pembrolizumab', 'nivolumab', 'ipilimumab', 'palbociclib', 'ganitumab', 'temsirolimus', 'trastuzumab', 'mifamurtide', 'irinotecan', 'temozolomide', 'topotecan', 'doxorubicin', 'ifosfamide'];

const rulePriorTherapy: Rule = ({ t, item }) => {
  const negated = /^(?:no|not|without)\s+(?:prior|previous)\b|^(?:must not have|has not) (?:had|received)|^previously untreated\b/i.exec(t);
  const mentionsPrior = /\b(?:prior|previous|previously|any)\b/i.test(t);
  if (!negated && !(item.kind === 'exclusion' && mentionsPrior)) return [];
  const kinds = new Set<TherapyKind>();
  const spans: Array<[number, number]> = [];
  for (const w of THERAPY_WORDS) {
    const m = w.re.exec(t);
    if (m) { w.kinds.forEach((k) => kinds.add(k)); spans.push([m.index, m.index + m[0].length]); }
  }
  if (negated && /untreated/i.test(negated[0]) && kinds.size === 0) { kinds.add('chemotherapy'); kinds.add('radiation'); }
  const agents = KNOWN_AGENTS.filter((a) => new RegExp(`\\b${a}\\b`, 'i').test(t));
  if (kinds.size === 0 && agents.length === 0) return [];
  if (negated) spans.push([negated.index, negated.index + negated[0].length]);
  const ex = /\(?excluding (?:cortico)?steroids\)?/i.exec(t);
  if (ex) spans.push([ex.index, ex.index + ex[0].length]);
  const leaf: Leaf = {
    op: 'priorTherapy', ...(kinds.size ? { kinds: [...kinds] } : {}), ...(agents.length && !kinds.size ? { agents } : {}),
    ...(ex ? { excludingAgents: STEROIDS } : {}),
  };
  return [{ rule: 'D-PRIOR', expr: negated && item.kind === 'inclusion' ? { op: 'not', arg: leaf } : leaf, spans }];
};

const ruleCompanionStudy: Rule = ({ t, trial }) => {
  // "enrolled on the tumor biology study COG-P9851", "Enrollment on COG-D9902 …": a protocol number after the verb.
  const m = /\b(?:enrol(?:l)?ed|enrol(?:l)?ment|registered|registration)\s+(?:on|in|into|onto)\s+(?:the\s+)?(?:[a-z][a-z\s-]{0,40}?\s)?((?:COG-)?[A-Z]{1,5}\d{2,4}[A-Z0-9]{0,3})\b/i.exec(t);
  if (!m) return [];
  const study = m[1]!.toUpperCase();
  const own = [trial.orgStudyId, ...trial.secondaryIds, trial.nctId].filter((s): s is string => s !== null).map((s) => s.toUpperCase().replace(/^COG-/, ''));
  if (own.includes(study.replace(/^COG-/, ''))) return [];
  return [{ rule: 'D-STUDY', expr: { op: 'enrolledOnStudy', studies: [study], allowConcurrent: true }, spans: [[m.index, m.index + m[0].length]] }];
};

const ruleReproductive: Rule = ({ t, item }) => {
  const out: Hit[] = [];
  const preg = /\b(?:pregnan(?:t|cy)|nursing|breast-?feeding|lactating)\b(?:\s+or\s+(?:nursing|breast-?feeding|lactating))?/i.exec(t);
  if (preg) {
    const neg = /\b(?:not|no|non-?)\s*-?\s*(?:be\s+)?$/i.test(t.slice(Math.max(0, preg.index - 12), preg.index)) || /\bnegative pregnancy test\b/i.test(t);
    const leaf: Leaf = { op: 'reproductive', condition: 'pregnant_or_nursing' };
    const spans: Array<[number, number]> = [[Math.max(0, preg.index - 12), preg.index + preg[0].length]];
    if (item.kind === 'exclusion') { if (!neg) out.push({ rule: 'D-REPRO', expr: leaf, spans }); }
    else if (neg) out.push({ rule: 'D-REPRO', expr: { op: 'not', arg: leaf }, spans });
  }
  const contra = /\b(?:contraception|contraceptive|birth control)\b/i.exec(t);
  if (contra && item.kind === 'inclusion') out.push({ rule: 'D-REPRO', expr: { op: 'reproductive', condition: 'contraception_if_fertile' }, spans: [[contra.index, contra.index + contra[0].length]] });
  return out;
};

const ruleAge: Rule = ({ t, item }) => {
  const aboutAge = /^(?:(?:patients?|participants?|subjects?)\s+(?:must\s+be\s+)?(?:aged?\s+)?)?(?:age[ds]?\b|up to \d|under \d|younger than|older than|between \d|\d+\s*(?:years?|months?)?\s*(?:to|-|and)\s*\d+\s*(?:years?|months?))/i.test(t)
    || /^age$/i.test(item.label ?? '') || /\byears? old\b|\byears of age at (?:the time of )?(?:enrol|registr|diagnos|study entry)/i.test(t);
  if (!aboutAge || /\b(?:lansky|karnofsky|ecog)\b/i.test(t)) return [];
  // SARC028: "Age >= 18 years (Age >= 12 years for patients with bone sarcomas)": an age that depends on histology.
  const alt = /\(\s*age\s*([^)]*?)\s*for (?:patients|participants) with ([^)]+)\)/i.exec(t);
  const main = alt ? t.slice(0, alt.index) + ' '.repeat(alt[0].length) + t.slice(alt.index + alt[0].length) : t;
  if (/\bfor (?:patients|participants)\b/i.test(main)) return [];
  const p = parseAges(main);
  if ((!p.min && !p.max) || p.phrases.includes('\u0000conflict')) return [];
  const atDx = /\bat (?:the time of )?diagnosis\b/i.test(t);
  const note = `(as written: "${p.phrases.join('", "')}"${atDx ? '; the text says at diagnosis' : ''})`;
  const leaf: Leaf = { op: 'age', ...(p.min ? { min: p.min } : {}), ...(p.max ? { max: p.max } : {}), note };
  if (alt) {
    const a = parseAges(alt[1]!);
    const h = findHistologies(alt[2]!);
    if ((a.min || a.max) && h) {
      const altLeaf: Leaf = { op: 'age', ...(a.min ? { min: a.min } : {}), ...(a.max ? { max: a.max } : {}), note: `(as written: "${a.phrases.join('", "')}" for ${h.label})` };
      return [{
        rule: 'D-AGE-BY-HISTOLOGY',
        expr: { op: 'or', args: [leaf, { op: 'and', args: [{ op: 'diagnosis', label: h.label, anyOf: h.set }, altLeaf] }] },
        spans: [...p.spans, [alt.index, alt.index + alt[0].length]],
      }];
    }
    return [];
  }
  return [{ rule: 'D-AGE', expr: leaf, spans: p.spans }];
};

const ruleConsent: Rule = ({ t }) => {
  const m = /\b(?:informed consent|assent|consent form)\b/i.exec(t);
  return m ? [{ rule: 'D-CONSENT', expr: { op: 'manual', note: 'consent/assent: obtained at enrollment (a curator may set policy assume_met)' }, spans: [[0, t.length]] }] : [];
};

const ruleMeasurable: Rule = ({ t }) => {
  const m = /\bmeasurable disease\b|\bRECIST\b/i.exec(t);
  return m ? [{ rule: 'D-MEASURABLE', expr: { op: 'manual', note: 'measurable disease (RECIST) is not in the case facts' }, spans: [[m.index, m.index + m[0].length]] }] : [];
};

/** Rule order matters: performance and renal first, so their age conditions and lab words are not read twice. */
export const DRAFT_RULES: ReadonlyArray<{ id: string; rule: Rule }> = [
  { id: 'D-PERF', rule: rulePerformance },
  { id: 'D-COG-RENAL', rule: ruleCogRenal },
  { id: 'D-AGE', rule: ruleAge },
  { id: 'D-STATUS', rule: ruleStatusExtent },
  { id: 'D-DX', rule: ruleDiagnosis },
  { id: 'D-RMS', rule: ruleRmsStageGroup },
  { id: 'D-LAB', rule: ruleLabs },
  { id: 'D-LAB-WINDOW', rule: ruleLabsRecent },
  { id: 'D-PRIOR', rule: rulePriorTherapy },
  { id: 'D-STUDY', rule: ruleCompanionStudy },
  { id: 'D-REPRO', rule: ruleReproductive },
  { id: 'D-CONSENT', rule: ruleConsent },
  { id: 'D-MEASURABLE', rule: ruleMeasurable },
];

/** Words that carry no requirement of their own; anything else left unread makes the draft partial. */
const FILLER = new Set(('a an the and or of with for to in on at by as be is are was were must have has had been being this that these those ' +
  'patient patients participant participants subject subjects eligible eligibility study trial enrollment enrolment entry time ' +
  'age aged years year old months month diagnosis diagnosed histologically histologic histological confirmed confirmation documented ' +
  'proven biopsy biopsy-proven pathologically disease including include includes required requirement criteria criterion following ' +
  'who which will may should can any all either both per than from into prior not no only also such defined its their his her ' +
  'performed status score level count value values function test tests laboratory labs normal institutional upper limit uln ' +
  'times x mg dl ul mm l ml min m2 g sarcoma sarcomas tumor tumour tumors tumours type types subtype subtypes variant variants ' +
  'consistent based upon cell cells grade high low de differentiated by echocardiogram echo radionuclide angiogram muga scan ' +
  'obtained measured').split(/\s+/));

function residual(t: string, spans: ReadonlyArray<readonly [number, number]>): string[] {
  const chars = t.split('');
  for (const [a, b] of spans) for (let i = a; i < b && i < chars.length; i++) chars[i] = ' ';
  return chars.join('').toLowerCase().split(/[^a-z0-9-]+/).filter((w) => w.length > 1 && !FILLER.has(w) && !/^\d/.test(w));
}

interface Drafted { expr: Expr; rules: string[]; note?: string }

/** Proposes the expression of one item (with its sub-items). Unread items become `manual`; partly read ones get a manual leaf for the rest. */
function draftItem(item: CriteriaItem, children: readonly CriteriaItem[], all: readonly CriteriaItem[], trial: ImportedTrial, parentText: string): Drafted {
  const label = item.label && !/characteristics|therapy|criteria/i.test(item.label) ? `${item.label}: ` : '';
  const t = normalizeCriterionText(`${label}${item.text}`);
  const ctx: ItemCtx = { t, item, parentText, trial };
  if (/\[TRUNCATED/i.test(t) && t.replace(/\[TRUNCATED[^\]]*\]/i, '').trim().length < 15) {
    return { expr: { op: 'manual', note: 'the source text is truncated here' }, rules: ['D-TRUNCATED'] };
  }
  const hits: Hit[] = [];
  const spans: Array<readonly [number, number]> = [];
  for (const { rule } of DRAFT_RULES) {
    const hs = rule(ctx).filter((h) => !h.spans.some(([a]) => covered(spans, a)));
    for (const h of hs) { hits.push(h); spans.push(...h.spans); }
  }
  const parts: Expr[] = hits.map((h) => h.expr);
  const rules = [...new Set(hits.map((h) => h.rule))];
  let note: string | undefined;
  const left = residual(t, spans);
  if (hits.length > 0 && left.length >= 3 && !hits.some((h) => h.expr.op === 'manual')) {
    note = `the draft reads part of the text; not computed: ${left.slice(0, 12).join(' ')}${left.length > 12 ? ' …' : ''}`;
    parts.push({ op: 'manual', note: `rest of the item: ${left.slice(0, 12).join(' ')}${left.length > 12 ? ' …' : ''}` });
  }
  if (children.length > 0) {
    const kids = children.map((c) => draftItem(c, all.filter((x) => x.parentId === c.id), all, trial, `${parentText} ${item.text}`));
    const group = combineChildren(item, children, kids);
    parts.push(group.expr);
    rules.push(...group.rules);
  }
  if (parts.length === 0) return { expr: { op: 'manual', note: 'no draft rule reads this item' }, rules: ['D-MANUAL'] };
  return { expr: parts.length === 1 ? parts[0]! : { op: 'and', args: parts }, rules: [...new Set(rules)], ...(note ? { note } : {}) };
}

/** How sub-items combine: explicit OR/AND at their ends, else the parent's wording; unclear → manual (never guessed). */
function combineChildren(parent: CriteriaItem, children: readonly CriteriaItem[], kids: readonly Drafted[]): Drafted {
  const p = normalizeCriterionText(parent.text);
  const endsOr = children.slice(0, -1).some((c) => /\bOR$/i.test(c.text.trim()));
  const endsAnd = children.slice(0, -1).some((c) => /\bAND$/.test(c.text.trim()));
  const least = /\bat least (one|two|three|1|2|3)\b/i.exec(p);
  const n = least ? ({ one: 1, two: 2, three: 3 } as Record<string, number>)[least[1]!.toLowerCase()] ?? Number(least[1]) : null;
  const rules = kids.flatMap((k) => k.rules);
  if (endsOr || (n === 1) || /\b(?:one of the following|any of the following|one or more of)\b/i.test(p)) {
    return { expr: { op: 'or', args: kids.map((k) => k.expr) }, rules: [...rules, 'D-SUB-OR'] };
  }
  if (n !== null && n > 1) return { expr: { op: 'atLeast', n: Math.min(n, kids.length), args: kids.map((k) => k.expr) }, rules: [...rules, 'D-SUB-ATLEAST'] };
  if (endsAnd || /\b(?:all of the following|both of the following|each of the following)\b|\bwith\s*:$/i.test(p)) {
    return { expr: { op: 'and', args: kids.map((k) => k.expr) }, rules: [...rules, 'D-SUB-AND'] };
  }
  return { expr: { op: 'manual', note: `sub-items ${children.map((c) => c.id).join(', ')}: whether all or any must hold needs review` }, rules: ['D-SUB-UNCLEAR'] };
}

const LAB_OPS = new Set(['lab', 'creatinineTable', 'labsRecent', 'performance', 'ref']);
function recoverable(e: Expr): boolean {
  switch (e.op) {
    case 'and': case 'or': case 'atLeast': return e.args.every(recoverable);
    case 'not': return recoverable(e.arg);
    case 'when': return recoverable(e.then);
    default: return LAB_OPS.has(e.op);
  }
}

/**
 * Drafts a trial definition from an imported record (E.7 step 3): one criterion per top-level item (sub-items
 * folded into their parent), plus structured criteria from the registry's age limits and sex. Staged texts
 * (NCT03643133) get one required `step` scope per stage. Every criterion is `proposed`.
 */
export function draftCriteria(trial: ImportedTrial): TrialDefinition {
  const text = trial.eligibility.criteriaText ?? '';
  const items = segmentCriteria(text);
  const registryCriteria: Criterion[] = [];
  const e = trial.eligibility;
  if (e.minimumAge || e.maximumAge) {
    const parts = [e.minimumAge ? `minimum ${e.minimumAge.text}` : null, e.maximumAge ? `maximum ${e.maximumAge.text}` : null].filter(Boolean);
    registryCriteria.push({
      id: 'reg-age', kind: 'inclusion',
      source: { itemId: null, childItemIds: [], field: 'eligibilityModule.minimumAge/maximumAge', text: `Registry age limits: ${parts.join(', ')}`, start: null, end: null },
      expr: {
        op: 'age',
        ...(e.minimumAge ? { min: ageBound.atLeast(e.minimumAge.value, e.minimumAge.unit) } : {}),
        ...(e.maximumAge ? { max: ageBound.atMost(e.maximumAge.value, e.maximumAge.unit) } : {}),
        note: '(registry limits)',
      },
      status: 'proposed', recoverable: false, draftRules: ['D-REGISTRY-AGE'],
    });
  }
  for (const key of ['minimumAge', 'maximumAge'] as const) {
    const raw = key === 'minimumAge' ? e.minimumAgeText : e.maximumAgeText;
    if (raw !== null && e[key] === null) {
      registryCriteria.push({
        id: `reg-${key}`, kind: 'inclusion',
        source: { itemId: null, childItemIds: [], field: `eligibilityModule.${key}`, text: `Registry ${key}: "${raw}" could not be read`, start: null, end: null },
        expr: { op: 'manual', note: `registry ${key} "${raw}" is unreadable` }, status: 'proposed', draftRules: ['D-REGISTRY-AGE'],
      });
    }
  }
  if (e.sex === 'FEMALE' || e.sex === 'MALE') {
    registryCriteria.push({
      id: 'reg-sex', kind: 'inclusion',
      source: { itemId: null, childItemIds: [], field: 'eligibilityModule.sex', text: `Registry sex: ${e.sex}`, start: null, end: null },
      expr: { op: 'sex', anyOf: [e.sex === 'FEMALE' ? 'female' : 'male'] }, status: 'proposed', recoverable: false, draftRules: ['D-REGISTRY-SEX'],
    });
  }
  if (items.length === 0) {
    registryCriteria.push({
      id: 'no-criteria', kind: 'inclusion',
      source: { itemId: null, childItemIds: [], field: 'eligibilityModule.eligibilityCriteria', text: 'The registry record has no eligibility criteria text that was imported', start: null, end: null },
      expr: { op: 'manual', note: 'review the protocol: no criteria text' }, status: 'proposed', draftRules: ['D-MANUAL'],
    });
  }

  const byStage = new Map<string | null, Criterion[]>();
  const descendants = (id: string): CriteriaItem[] => items.filter((i) => i.parentId === id).flatMap((c) => [c, ...descendants(c.id)]);
  for (const item of items) {
    if (item.parentId !== null) continue;
    const kids = items.filter((i) => i.parentId === item.id);
    const desc = descendants(item.id);
    const d = draftItem(item, kids, items, trial, '');
    const end = Math.max(item.end, ...desc.map((x) => x.end));
    const c: Criterion = {
      id: item.id, kind: item.kind,
      source: {
        itemId: item.id, childItemIds: desc.map((x) => x.id), field: null,
        text: desc.length ? `${item.text} ${desc.map((x) => `• ${x.text}`).join(' ')}` : item.text,
        start: item.start, end,
      },
      expr: d.expr, status: 'proposed', recoverable: recoverable(d.expr), draftRules: d.rules,
      ...(d.note ? { note: d.note } : {}),
    };
    const list = byStage.get(item.stage) ?? [];
    list.push(c);
    byStage.set(item.stage, list);
  }
  const scopes: Scope[] = [{ id: 'trial', kind: 'trial', label: 'Whole trial', parent: null, open: true, criteria: [...registryCriteria, ...(byStage.get(null) ?? [])] }];
  let k = 0;
  for (const [stage, criteria] of byStage) {
    if (stage === null) continue;
    k++;
    scopes.push({ id: `step-${k}`, kind: 'step', label: stage, parent: 'trial', open: true, criteria });
  }
  const snapshot = { lastUpdatePostDate: trial.lastUpdatePostDate, criteriaSha256: trial.criteriaSha256 };
  return {
    schemaVersion: 1, nctId: trial.nctId, title: trial.briefTitle ?? trial.officialTitle, version: 0,
    registry: { ...snapshot, overallStatus: trial.overallStatus },
    curation: { state: 'draft', basedOn: snapshot, stale: false },
    scopes,
  };
}
