import { MORPHOLOGY } from '../coding/morphology.js';
import { METASTATIC_SITES, type CaseFacts, type SiteCategory } from '../facts/case-facts.js';
import {
  ageBound, type AgeBound, type Criterion, type CurationStatus, type Expr, type Leaf, type Scope, type TrialDefinition,
} from './criteria.js';
import { sha256Hex } from './ctgov.js';

/**
 * Synthetic but realistic trial catalogs for the property tests and bench/trials.ts (never real patients or real
 * protocols): a mix of tumour families and age ranges, 15–40 criteria per trial with the COG macros, labs with
 * windows, performance rules with per-trial age boundaries, conditional and at-least rules, exclusions, arms, and
 * manual items; plus ClinicalTrials.gov study variants of real fixture records (new NCT ids, varied criteria text)
 * for the import benchmark. Deterministic for a seed.
 */

/** mulberry32: a small seeded PRNG (same seed, same catalog). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const chance = (r: R, p: number) => r() < p;
const int = (r: R, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

const FAMILY_PLANS: ReadonlyArray<{ label: string; leaf: Leaf; weight: number }> = [
  { label: 'Ewing sarcoma', leaf: { op: 'diagnosis', label: 'Ewing sarcoma', anyOf: { families: ['ewing'] } }, weight: 3 },
  { label: 'osteosarcoma', leaf: { op: 'diagnosis', label: 'osteosarcoma', anyOf: { families: ['osteosarcoma'] } }, weight: 3 },
  { label: 'high-grade osteosarcoma', leaf: { op: 'diagnosis', label: 'high-grade osteosarcoma', anyOf: { codes: codesWhere((e) => e.family === 'osteosarcoma' && 'osSubtype' in e && (e.osSubtype === 'conventional' || e.osSubtype === 'high_grade_surface')) } }, weight: 2 },
  { label: 'rhabdomyosarcoma', leaf: { op: 'diagnosis', label: 'rhabdomyosarcoma (except pleomorphic)', anyOf: { families: ['rhabdomyosarcoma'] }, noneOf: { codes: ['8901/3'] } }, weight: 3 },
  { label: 'alveolar rhabdomyosarcoma', leaf: { op: 'diagnosis', label: 'alveolar RMS', anyOf: { codes: ['8920/3'] } }, weight: 1 },
  { label: 'NRSTS', leaf: { op: 'diagnosis', label: 'NRSTS', anyOf: { families: ['nrsts'] } }, weight: 2 },
  { label: 'synovial sarcoma', leaf: { op: 'diagnosis', label: 'synovial sarcoma', anyOf: { codes: ['9040/3', '9041/3', '9042/3', '9043/3'] } }, weight: 1 },
  { label: 'desmoplastic small round cell tumour', leaf: { op: 'diagnosis', label: 'DSRCT', anyOf: { codes: ['8806/3'] } }, weight: 1 },
  { label: 'bone sarcoma', leaf: { op: 'diagnosis', label: 'bone sarcoma', anyOf: { families: ['osteosarcoma', 'ewing', 'other_bone_malignant'] } }, weight: 1 },
  { label: 'any malignant solid tumour', leaf: { op: 'diagnosis', label: 'malignant sarcoma', anyOf: { families: ['osteosarcoma', 'ewing', 'rhabdomyosarcoma', 'nrsts', 'other_bone_malignant'] } }, weight: 2 },
  { label: 'desmoid tumour', leaf: { op: 'diagnosis', label: 'desmoid-type fibromatosis', anyOf: { codes: ['8821/1'] } }, weight: 1 },
];

function codesWhere(f: (e: (typeof MORPHOLOGY)[keyof typeof MORPHOLOGY]) => boolean): string[] {
  return Object.entries(MORPHOLOGY).filter(([, e]) => f(e)).map(([c]) => c);
}

function weighted<T extends { weight: number }>(r: R, xs: readonly T[]): T {
  const total = xs.reduce((s, x) => s + x.weight, 0);
  let u = r() * total;
  for (const x of xs) { u -= x.weight; if (u < 0) return x; }
  return xs[xs.length - 1]!;
}

const MIN_AGES: ReadonlyArray<[AgeBound | undefined, string]> = [
  [undefined, ''], [ageBound.atLeast(6, 'months'), '≥ 6 months'], [ageBound.atLeast(1), '≥ 1 year'], [ageBound.atLeast(2), '≥ 2 years'],
  [ageBound.over(2), '> 2 years'], [ageBound.atLeast(10), '≥ 10 years'], [ageBound.atLeast(12), '≥ 12 years'], [ageBound.atLeast(18), '≥ 18 years'],
];
const MAX_AGES: ReadonlyArray<[AgeBound | undefined, string]> = [
  [undefined, ''], [ageBound.atMost(18), '≤ 18 years'], [ageBound.atMost(21), '=< 21 years'], [ageBound.atMost(25), '≤ 25 years'],
  [ageBound.atMost(30), '≤ 30 years'], [ageBound.under(40), '< 40 years'], [ageBound.atMost(50), '≤ 50 years'],
];

const MANUAL_TEXTS = [
  'Patients must have a life expectancy of at least 8 weeks',
  'No uncontrolled infection',
  'Patients with known CNS metastases are excluded unless treated and stable',
  'At least one measurable lesion by RECIST 1.1',
  'Adequate venous access for protocol therapy',
  'No concurrent investigational agents',
  'Patients with a history of allogeneic stem cell transplant are not eligible',
  'Able to swallow tablets (for the oral agent)',
  'Tumour tissue available for central review',
  'No known hypersensitivity to study drugs',
  'All institutional, FDA, and NCI requirements for human studies must be met',
  'Patients must be able to comply with the safety monitoring requirements of the study',
];

interface Draft { text: string; kind: 'inclusion' | 'exclusion'; expr: Expr; policy?: 'assume_met' }

/** One synthetic trial (see the module comment). */
export function syntheticTrial(r: R, index: number): TrialDefinition {
  const family = weighted(r, FAMILY_PLANS);
  const relapsed = chance(r, 0.4);
  const out: Draft[] = [];
  const [min, minText] = pick(r, MIN_AGES);
  const [max, maxText] = pick(r, MAX_AGES.slice(relapsed ? 0 : 1));
  if (min || max) {
    out.push({ text: `Age ${[minText, maxText].filter(Boolean).join(' and ')} at the time of enrollment`, kind: 'inclusion', expr: { op: 'age', ...(min ? { min } : {}), ...(max ? { max } : {}) } });
  }
  if (chance(r, 0.15)) {
    out.push({
      text: 'Age ≥ 18 years (Age ≥ 12 years for patients with bone sarcomas)', kind: 'inclusion',
      expr: { op: 'or', args: [{ op: 'age', min: ageBound.atLeast(18) }, { op: 'and', args: [{ op: 'diagnosis', label: 'bone sarcoma', anyOf: { families: ['osteosarcoma', 'ewing', 'other_bone_malignant'] } }, { op: 'age', min: ageBound.atLeast(12) }] }] },
    });
  }
  out.push({ text: `Histologically confirmed ${family.label}`, kind: 'inclusion', expr: family.leaf });
  out.push(relapsed
    ? { text: 'Relapsed or refractory disease', kind: 'inclusion', expr: { op: 'diseaseStatus', anyOf: ['relapsed', 'refractory', 'progressive'] } }
    : { text: 'Newly diagnosed disease', kind: 'inclusion', expr: { op: 'diseaseStatus', anyOf: ['newly_diagnosed'] } });
  const extent = r();
  if (extent < 0.25) out.push({ text: 'Non-metastatic (localized) disease', kind: 'inclusion', expr: { op: 'metastatic', present: false } });
  else if (extent < 0.45) out.push({ text: 'Metastatic disease', kind: 'inclusion', expr: { op: 'metastatic', present: true } });
  else if (extent < 0.55) {
    out.push({
      text: 'At least 1 of the following: bone metastases; bone marrow metastases; lung metastases', kind: 'inclusion',
      expr: { op: 'atLeast', n: 1, args: [{ op: 'metastatic', present: true, sites: ['bone'] }, { op: 'metastatic', present: true, sites: ['bone_marrow'] }, { op: 'metastatic', present: true, sites: ['lung'] }] },
    });
  }
  if (family.label.includes('rhabdo') && chance(r, 0.6)) {
    out.push({ text: 'Intermediate- or high-risk RMS (FOXO1-based risk)', kind: 'inclusion', expr: { op: 'stageRisk', measure: 'rms.cogRiskFusionBased', anyOf: pick(r, [['intermediate'], ['intermediate', 'high'], ['low']]) } });
    if (chance(r, 0.3)) out.push({ text: 'FOXO1 fusion positive', kind: 'inclusion', expr: { op: 'molecular', marker: 'foxo1Fusion', anyOf: ['positive'] } });
  }
  // Performance: the COG macro, or the trial's own boundary and threshold (D.3).
  const perf = r();
  if (perf < 0.45) out.push({ text: 'Karnofsky >= 50% for patients > 16 years of age and Lansky >= 50 for patients =< 16 years of age', kind: 'inclusion', expr: { op: 'ref', macro: 'COG_PERF_50_V1' } });
  else if (perf < 0.8) {
    const b = pick(r, [10, 16]);
    const thr = pick(r, [50, 60, 70]);
    out.push({
      text: `Karnofsky >= ${thr}% for patients > ${b} years and Lansky >= ${thr} for patients <= ${b} years`, kind: 'inclusion',
      expr: { op: 'performance', rules: [{ scale: 'lansky', appliesIf: { max: ageBound.atMost(b) }, min: thr }, { scale: 'karnofsky', appliesIf: { min: ageBound.over(b) }, min: thr }] },
    });
  } else out.push({ text: `ECOG performance status 0-${pick(r, [1, 2])}`, kind: 'inclusion', expr: { op: 'performance', rules: [{ scale: 'ecog', max: pick(r, [1, 2]) }] } });
  const window = pick(r, [undefined, 7, 14, 14]);
  const w = window !== undefined ? { withinDays: window } : {};
  const within = window !== undefined ? ` (within ${window} days prior to enrollment)` : '';
  out.push({ text: `Creatinine clearance or radioisotope GFR >= 70 mL/min/1.73 m^2 or a serum creatinine based on age/gender${within}`, kind: 'inclusion', expr: { op: 'ref', macro: 'COG_RENAL_V1', ...w } });
  const anc = pick(r, [750, 1000, 1500]);
  out.push({ text: `Peripheral absolute neutrophil count (ANC) >= ${anc}/uL${within}`, kind: 'inclusion', expr: { op: 'lab', fact: 'anc', cmp: '>=', absolute: anc, ...w } });
  const plt = pick(r, [75000, 100000]);
  out.push({ text: `Platelet count >= ${plt}/uL (transfusion independent)${within}`, kind: 'inclusion', expr: { op: 'lab', fact: 'platelets', cmp: '>=', absolute: plt, ...w } });
  if (chance(r, 0.5)) out.push({ text: 'Hemoglobin >= 8.0 g/dL (may receive transfusions)', kind: 'inclusion', expr: { op: 'lab', fact: 'hemoglobinGDl', cmp: '>=', absolute: 8, ...w } });
  const bili = pick(r, [1.5, 1.5, 2, 3]);
  out.push({ text: `Total bilirubin =< ${bili} x upper limit of normal (ULN) for age`, kind: 'inclusion', expr: { op: 'lab', fact: 'bilirubinTotalMgDl', cmp: '<=', xUln: bili, ...w } });
  out.push(chance(r, 0.5)
    ? { text: 'SGPT (ALT) =< 135 U/L', kind: 'inclusion', expr: { op: 'lab', fact: 'altUL', cmp: '<=', absolute: 135, ...w } }
    : { text: `SGPT (ALT) < ${pick(r, [2.5, 3, 5])} x ULN`, kind: 'inclusion', expr: { op: 'lab', fact: 'altUL', cmp: '<', xUln: pick(r, [2.5, 3, 5]), ...w } });
  out.push({
    text: 'Shortening fraction >= 27% by echocardiogram, or ejection fraction >= 50% by radionuclide angiogram', kind: 'inclusion',
    expr: { op: 'or', args: [{ op: 'lab', fact: 'shorteningFractionPct', cmp: '>=', absolute: pick(r, [27, 28]) }, { op: 'lab', fact: 'ejectionFractionPct', cmp: '>=', absolute: 50 }] },
  });
  if (window !== undefined && chance(r, 0.5)) out.push({ text: `Laboratory values must be obtained within ${window} days prior to enrollment`, kind: 'inclusion', expr: { op: 'labsRecent', withinDays: window } });
  if (relapsed) {
    out.push({ text: `At least ${pick(r, [1, 1, 2])} prior line(s) of chemotherapy`, kind: 'inclusion', expr: { op: 'priorTherapy', kinds: ['chemotherapy'], minCount: pick(r, [1, 1, 2]) } });
    if (chance(r, 0.5)) out.push({ text: 'Prior treatment with an IGF-1R inhibitor', kind: 'exclusion', expr: { op: 'priorTherapy', agents: ['ganitumab', 'cixutumumab'] } });
  } else {
    out.push({ text: 'No prior chemotherapy (excluding steroids) or radiation therapy for this cancer', kind: 'inclusion', expr: { op: 'not', arg: { op: 'priorTherapy', kinds: ['chemotherapy', 'radiation'], excludingAgents: ['dexamethasone', 'prednisone', 'steroids'] } } });
  }
  if (chance(r, 0.35)) out.push({ text: 'Patients must be enrolled on APEC14B1 (Project:EveryChild) prior to enrollment', kind: 'inclusion', expr: { op: 'enrolledOnStudy', studies: ['APEC14B1'], allowConcurrent: true } });
  out.push({ text: 'Female patients who are pregnant or breast-feeding', kind: 'exclusion', expr: { op: 'reproductive', condition: 'pregnant_or_nursing' } });
  if (chance(r, 0.6)) out.push({ text: 'Sexually active patients of reproductive potential must agree to use an effective contraceptive method', kind: 'inclusion', expr: { op: 'reproductive', condition: 'contraception_if_fertile' } });
  if (chance(r, 0.2)) out.push({ text: 'Patients with metastases to the brain', kind: 'exclusion', expr: { op: 'metastatic', present: true, sites: ['brain'] } });
  if (chance(r, 0.2)) out.push({ text: 'Female patients only (gynecologic primary)', kind: 'inclusion', expr: { op: 'when', if: { op: 'sex', anyOf: ['male'] }, then: { op: 'manual', note: 'male patients need sponsor approval' } } });
  out.push({ text: 'All patients and/or their parents or legal guardians must sign a written informed consent', kind: 'inclusion', expr: { op: 'manual', note: 'consent' }, policy: 'assume_met' });
  // Manual items: most trials have a few that need a clinician; about a quarter have none left after curation.
  const manual = chance(r, 0.25) ? 0 : int(r, 1, 5);
  for (let i = 0; i < manual; i++) out.push({ text: pick(r, MANUAL_TEXTS), kind: chance(r, 0.5) ? 'inclusion' : 'exclusion', expr: { op: 'manual' } });
  // Fill to 15–40 criteria with further labs and assumed-met administrative items.
  const target = int(r, 15, 40);
  let k = 0;
  while (out.length < target) {
    k++;
    const v = r();
    if (v < 0.3) out.push({ text: `Administrative requirement ${k}: institutional approvals in place`, kind: 'inclusion', expr: { op: 'manual', note: 'administrative' }, policy: 'assume_met' });
    else if (v < 0.55) out.push({ text: `Serum creatinine within the COG age/sex table (repeat ${k})`, kind: 'inclusion', expr: { op: 'creatinineTable', table: 'COG_CREATININE_AGE_SEX_V1', ...w } });
    else if (v < 0.75) out.push({ text: `No metastases at ${METASTATIC_SITES[k % METASTATIC_SITES.length]!.replace('_', ' ')}`, kind: 'exclusion', expr: { op: 'metastatic', present: true, sites: [METASTATIC_SITES[k % METASTATIC_SITES.length]!] } });
    else out.push({ text: `Prior ${pick(r, ['radiation therapy to the primary site', 'immunotherapy', 'surgery other than biopsy'])}`, kind: 'exclusion', expr: { op: 'priorTherapy', kinds: [pick(r, ['radiation', 'immunotherapy'] as const)] } });
  }

  const nctId = `NCT${String(90000000 + index).padStart(8, '0')}`;
  const sha = sha256Hex(`${nctId}:${out.map((d) => d.text).join('\n')}`);
  const status = (): CurationStatus => (chance(r, 0.02) ? 'proposed' : chance(r, 0.1) ? 'edited' : 'accepted');
  let offset = 0;
  const criteria: Criterion[] = out.map((d, i) => {
    const start = offset;
    offset += d.text.length + 3;
    return {
      id: `${d.kind === 'inclusion' ? 'in' : 'ex'}${i + 1}`, kind: d.kind,
      source: { itemId: `${d.kind === 'inclusion' ? 'in' : 'ex'}${i + 1}`, childItemIds: [], field: null, text: d.text, start, end: start + d.text.length },
      expr: d.expr, status: status(), ...(d.policy ? { policy: d.policy } : {}),
    };
  });
  const scopes: Scope[] = [{ id: 'trial', kind: 'trial', label: 'Whole trial', parent: null, open: true, criteria }];
  if (chance(r, 0.1)) {
    scopes.push({ id: 'arm-a', kind: 'arm', label: 'Arm A (younger)', parent: 'trial', open: true, criteria: [{ id: 'arm-a-age', kind: 'inclusion', source: { itemId: null, childItemIds: [], field: null, text: 'Arm A: patients under 12 years', start: null, end: null }, expr: { op: 'age', max: ageBound.under(12) }, status: 'accepted' }] });
    scopes.push({ id: 'arm-b', kind: 'arm', label: 'Arm B (older)', parent: 'trial', open: chance(r, 0.7), criteria: [{ id: 'arm-b-age', kind: 'inclusion', source: { itemId: null, childItemIds: [], field: null, text: 'Arm B: patients 12 years and older', start: null, end: null }, expr: { op: 'age', min: ageBound.atLeast(12) }, status: 'accepted' }] });
  }
  const lastUpdate = `20${int(r, 18, 25)}-${String(int(r, 1, 12)).padStart(2, '0')}-${String(int(r, 1, 28)).padStart(2, '0')}`;
  const stale = chance(r, 0.05);
  return {
    schemaVersion: 1, nctId, title: `Synthetic ${relapsed ? 'relapsed' : 'frontline'} ${family.label} trial ${index + 1}`, version: int(r, 1, 9),
    registry: { lastUpdatePostDate: lastUpdate, criteriaSha256: sha, overallStatus: pick(r, ['RECRUITING', 'RECRUITING', 'ACTIVE_NOT_RECRUITING', 'NOT_YET_RECRUITING']) },
    curation: { state: 'curated', basedOn: { lastUpdatePostDate: stale ? '2017-01-01' : lastUpdate, criteriaSha256: sha }, stale: false },
    scopes,
  };
}

/** `n` synthetic trials (see the module comment), the same for the same seed. */
export function syntheticTrials(n: number, seed = 20260101): TrialDefinition[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => syntheticTrial(r, i));
}

const EXTRA_BULLETS = [
  'Creatinine clearance or radioisotope glomerular filtration rate (GFR) \\>= 70 mL/min/1.73 m\\^2 or a serum creatinine based on age/gender as follows:',
  'Peripheral absolute neutrophil count (ANC) \\>= 1000/uL',
  'Platelet count \\>= 100,000/uL (transfusion independent)',
  'Total bilirubin =\\< 1.5 x upper limit of normal (ULN) for age',
  'Shortening fraction of \\>= 27% by echocardiogram, or ejection fraction of \\>= 50% by radionuclide angiogram',
  'Karnofsky \\>= 50% for patients \\> 16 years of age and Lansky \\>= 50 for patients =\\< 16 years of age',
  'Female patients who are pregnant or breast-feeding are not eligible',
  'All patients and/or their parents or legal guardians must sign a written informed consent',
  'Patients must have a life expectancy of at least 8 weeks',
  'No prior chemotherapy or radiation therapy',
];

/**
 * `n` ClinicalTrials.gov v2 study records made from real fixture records (E.8 "evaluation set" stand-ins for the
 * import bench): new NCT ids, age numbers shifted, extra bullets from COG boilerplate, as one `{studies:[…]}` page.
 */
export function syntheticStudies(n: number, fixtures: readonly unknown[], seed = 20260101): { studies: unknown[] } {
  const r = rng(seed);
  const studies = Array.from({ length: n }, (_, i) => {
    const base = JSON.parse(JSON.stringify(pick(r, fixtures))) as { protocolSection: Record<string, Record<string, unknown>> };
    const ps = base.protocolSection;
    ps.identificationModule = { ...ps.identificationModule, nctId: `NCT${String(80000000 + i).padStart(8, '0')}` };
    const elig = (ps.eligibilityModule ??= {});
    const text = typeof elig.eligibilityCriteria === 'string' ? elig.eligibilityCriteria : '';
    const shifted = text.replace(/(\d+) years/g, (_m, y: string) => `${Math.max(1, Number(y) + int(r, -2, 2))} years`);
    const extra = Array.from({ length: int(r, 0, 8) }, () => `* ${pick(r, EXTRA_BULLETS)}`).join('\n');
    elig.eligibilityCriteria = `${shifted}${extra ? `\n\nExclusion Criteria:\n\n${extra}` : ''}`;
    if (chance(r, 0.5)) elig.maximumAge = `${int(r, 18, 50)} Years`;
    ps.statusModule = { ...(ps.statusModule ?? {}), lastUpdatePostDateStruct: { date: `2024-${String(int(r, 1, 12)).padStart(2, '0')}` } };
    return base;
  });
  return { studies };
}


const CASE_HISTOLOGIES: ReadonlyArray<{ codes: readonly string[]; bone: boolean; weight: number }> = [
  { codes: ['9260/3'], bone: true, weight: 25 },
  { codes: ['9180/3', '9180/3', '9181/3', '9183/3', '9192/3', '9193/3'], bone: true, weight: 25 },
  { codes: ['8910/3', '8910/3', '8920/3', '8920/3', '8912/3', '8900/3', '8901/3'], bone: false, weight: 25 },
  { codes: ['9040/3', '8806/3', '9540/3', '8805/3', '8804/3', '8810/3', '8814/3'], bone: false, weight: 15 },
  { codes: ['9220/3', '9240/3', '8821/1', '9250/1', '9370/3'], bone: true, weight: 10 },
];
const BONE_SITES = [['C40.2', 'bone_extremity'], ['C41.4', 'bone_pelvis'], ['C40.0', 'bone_extremity'], ['C41.3', 'bone_chest_wall']] as const;
const SOFT_SITES = [['C49.2', 'soft_tissue_extremity'], ['C69.6', 'hn_orbit'], ['C63.1', 'gu_paratesticular'], ['C49.4', 'retroperitoneum_abdomen'], ['C11.9', 'hn_parameningeal']] as const;

/**
 * `n` synthetic but clinically plausible case facts (sarcoma families in program proportions, ages mostly 2–21 y,
 * mostly newly diagnosed, labs mostly normal with some missing, old or abnormal values, performance mostly on the
 * age-appropriate scale), for the bench; the same for the same seed. Always valid case facts.
 */
export function syntheticCases(n: number, seed = 20260101): CaseFacts[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => {
    const h = weighted(r, CASE_HISTOLOGIES);
    const morphology = pick(r, h.codes);
    const sites: ReadonlyArray<readonly [string, SiteCategory]> = h.bone ? BONE_SITES : SOFT_SITES;
    const [topography, siteCategory] = pick(r, sites);
    const ageMonths = chance(r, 0.1) ? int(r, 0, 360) : int(r, 24, 252);
    const sex = chance(r, 0.5) ? 'male' as const : 'female' as const;
    const f: CaseFacts = { ageMonths, sex, morphology, topography, siteCategory, sizeCm: int(r, 2, 15), invasiveness: chance(r, 0.5) ? 'T1' : 'T2', regionalNodes: chance(r, 0.8) ? 'N0' : 'N1' };
    if (chance(r, 0.8)) f.pubertalStatus = ageMonths < 120 ? 'prepubertal' : ageMonths < 168 ? 'pubertal' : 'postpubertal';
    const status = r();
    if (status < 0.65) f.diseaseStatus = 'newly_diagnosed';
    else if (status < 0.8) f.diseaseStatus = 'relapsed';
    else if (status < 0.88) f.diseaseStatus = 'refractory';
    else if (status < 0.92) f.diseaseStatus = 'progressive';
    const met = r();
    if (met < 0.7) f.metastases = [];
    else if (met < 0.9) f.metastases = [...new Set([pick(r, ['lung', 'bone', 'bone_marrow', 'lung'] as const), ...(chance(r, 0.3) ? [pick(r, ['bone', 'liver', 'brain', 'distant_lymph_nodes'] as const)] : [])])];
    if (chance(r, 0.85)) {
      const right = ageMonths <= 203 ? 'lansky' as const : 'karnofsky' as const;
      const scale = chance(r, 0.85) ? right : pick(r, ['lansky', 'karnofsky', 'ecog'] as const);
      f.performance = scale === 'ecog' ? { scale, value: pick(r, [0, 1, 1, 2, 3]) } : { scale, value: pick(r, [40, 50, 60, 70, 80, 80, 90, 90, 100, 100]) };
    }
    if (chance(r, 0.85)) {
      const v = (normal: number, abnormal: number): number | null | undefined => { const u = r(); return u < 0.78 ? normal : u < 0.88 ? abnormal : u < 0.94 ? null : undefined; };
      const labs: NonNullable<CaseFacts['labs']> = {};
      const put = <K extends keyof typeof labs>(k: K, x: (typeof labs)[K] | undefined) => { if (x !== undefined) labs[k] = x; };
      put('creatinineMgDl', v(+(0.3 + r() * 0.6).toFixed(2), +(1.5 + r()).toFixed(2)));
      put('gfrMlMin173', chance(r, 0.3) ? v(int(r, 80, 140), int(r, 40, 69)) : undefined);
      put('bilirubinTotalMgDl', v(+(0.2 + r() * 0.8).toFixed(2), +(2 + r() * 3).toFixed(2)));
      put('bilirubinUln', chance(r, 0.85) ? 1.2 : undefined);
      put('altUL', v(int(r, 10, 60), int(r, 150, 400)));
      put('altUln', chance(r, 0.85) ? 45 : undefined);
      put('anc', v(int(r, 1500, 6000), int(r, 200, 700)));
      put('platelets', v(int(r, 150000, 400000), int(r, 20000, 70000)));
      put('hemoglobinGDl', v(+(9 + r() * 5).toFixed(1), +(6 + r()).toFixed(1)));
      put('shorteningFractionPct', v(int(r, 30, 42), int(r, 18, 26)));
      put('ejectionFractionPct', chance(r, 0.5) ? v(int(r, 55, 70), int(r, 35, 48)) : undefined);
      put('drawnDaysAgo', v(int(r, 0, 10), int(r, 15, 40)));
      f.labs = labs;
    }
    if (f.diseaseStatus === 'newly_diagnosed') { if (chance(r, 0.8)) f.priorTherapy = []; }
    else if (f.diseaseStatus !== undefined) f.priorTherapy = Array.from({ length: int(r, 1, 3) }, () => ({ kind: 'chemotherapy' as const, agents: [pick(r, ['vincristine', 'doxorubicin', 'ifosfamide', 'cyclophosphamide', 'irinotecan'])] }));
    const enr = r();
    if (enr < 0.5) f.enrolledStudies = ['APEC14B1'];
    else if (enr < 0.7) f.enrolledStudies = [];
    if (morphology.startsWith('89')) f.molecular = { foxo1Fusion: morphology === '8920/3' ? (chance(r, 0.8) ? 'positive' : 'negative') : chance(r, 0.7) ? 'negative' : 'unknown' };
    return f;
  });
}
