import type { CaseFacts, SiteCategory } from '../facts/case-facts.js';
import type { RmsResult } from '../facts/assessment.js';
import { notApplicable, type Derived } from '../rules/derive.js';
import { isMetastatic } from './disease-extent.js';
import { decide, markUnverified, matchRow, missingFields, unknownBecause, type RuleRow } from './rule-table.js';
import { classicHistology, rmsHistology, type RmsGroup, type RmsHistology, type RmsRisk, type RmsStage } from './rms-site.js';

/**
 * COG risk groups for rhabdomyosarcoma (rules.md §1.4.3): classic histology-based (R-RMS-RISK-HIST),
 * fusion-based with the low-risk subsets (R-RMS-RISK-FUSION) and the ARST2032 categories (R-RMS-ARST2032).
 * All ages follow R-GEN-AGE: "<10 years" is `ageMonths < 120`.
 */

/** R-RMS-ARST2032 category. */
export type Arst2032Category = NonNullable<RmsResult['arst2032Category']>;
/** R-RMS-RISK-FUSION low-risk subset. */
export type LowRiskSubset = NonNullable<RmsResult['lowRiskSubset']>;
type Mutation = 'wild_type' | 'mutated' | 'unknown';

/** What the risk rules read: the case plus its derived stage and group (and the facts those still need). */
export interface RmsRiskFacts {
  ageMonths: number;
  siteCategory: SiteCategory;
  histology: RmsHistology | undefined;
  metastatic: boolean | undefined;
  stage: RmsStage | null;
  group: RmsGroup | null;
  /** PAX3/PAX7–FOXO1 fusion; `undefined` when absent or recorded as unknown. */
  fusion: 'positive' | 'negative' | undefined;
  myod1?: Mutation | undefined;
  tp53?: Mutation | undefined;
  /** Missing-fact paths behind a null stage / group, restated for the risk outputs. */
  stageNeeds: readonly string[];
  groupNeeds: readonly string[];
  /** The morphology code's RMS mapping is [K]. */
  morphologyUnverified?: boolean;
}

/** Builds the risk facts from a case and its stage and group derivations. */
export function rmsRiskFacts(f: CaseFacts, stage: Derived<RmsStage>, group: Derived<RmsGroup>, morphologyUnverified = false): RmsRiskFacts {
  const fusion = f.molecular?.foxo1Fusion;
  return {
    ageMonths: f.ageMonths,
    siteCategory: f.siteCategory,
    histology: rmsHistology(f),
    metastatic: isMetastatic(f),
    stage: stage.value,
    group: group.value,
    fusion: fusion === 'positive' || fusion === 'negative' ? fusion : undefined,
    myod1: f.molecular?.myod1,
    tp53: f.molecular?.tp53,
    stageNeeds: missingFields(stage),
    groupNeeds: missingFields(group),
    morphologyUnverified,
  };
}

const GROUP_I_II: readonly RmsGroup[] = ['I', 'IIA', 'IIB', 'IIC'];
const groupIorII = (v: RmsRiskFacts): boolean => v.group !== null && GROUP_I_II.includes(v.group);
const stage2or3 = (v: RmsRiskFacts): boolean => v.stage === 2 || v.stage === 3;
const m0 = (v: RmsRiskFacts): boolean => v.metastatic === false;
const under10 = (v: RmsRiskFacts): boolean => v.ageMonths < 120;
const orbit = (v: RmsRiskFacts): boolean => v.siteCategory === 'hn_orbit';
const sg = (v: RmsRiskFacts): string => `stage ${v.stage ?? '?'}, group ${v.group ?? '?'}`;

/** Facts that could still decide a stage/group-based risk row. */
function riskNeeds(v: RmsRiskFacts): string[] {
  return [
    ...(v.metastatic === undefined ? ['metastases'] : []),
    ...(v.stage === null ? v.stageNeeds : []),
    ...(v.group === null ? v.groupNeeds : []),
  ];
}

/** [D] Classic vs fusion-based risk (rules.md §1.4.3, §6 item 9). */
export const CLASSIC_VS_FUSION_DISAGREEMENT =
  'Classic (histology-based) and fusion-based COG risk disagree for fusion-negative alveolar RMS (classic: '
  + 'intermediate; fusion-based: may be low) and for fusion-positive embryonal RMS. Both are reported.';

const classicFusionDisagree = (v: RmsRiskFacts): string | undefined => {
  const h = classicHistology(v.histology);
  return (h === 'alveolar' && v.fusion === 'negative') || (h === 'embryonal' && v.fusion === 'positive')
    ? CLASSIC_VS_FUSION_DISAGREEMENT : undefined;
};

// ---------------------------------------------------------------------------------------------------------------
// (a) Classic, histology-based (R-RMS-RISK-HIST)

type HistFacts = RmsRiskFacts & { hist: 'embryonal' | 'alveolar' };

/** R-RMS-RISK-HIST (D9602/D9803/ARST0331/ARST0531). */
export const riskHistTable = [
  {
    value: 'high', when: (v) => v.metastatic === true && (v.hist === 'alveolar' || !under10(v)), rules: ['R-GEN-AGE'],
    why: (v) => `stage 4 / group IV, ${v.hist === 'alveolar' ? 'alveolar (any age)' : `embryonal, age ${v.ageMonths} mo ≥ 120 (≥10 y)`}`,
  },
  {
    value: 'intermediate', when: (v) => v.metastatic === true && v.hist === 'embryonal' && under10(v), rules: ['R-GEN-AGE'],
    why: (v) => `stage 4 / group IV, embryonal, age ${v.ageMonths} mo < 120 (<10 y)`,
  },
  { value: 'intermediate', when: (v) => m0(v) && v.hist === 'alveolar', why: 'alveolar, non-metastatic (stage 1–3, group I–III)', disagreement: classicFusionDisagree },
  { value: 'intermediate', when: (v) => m0(v) && v.hist === 'embryonal' && stage2or3(v) && v.group === 'III', why: (v) => `embryonal, ${sg(v)}` },
  { value: 'low', when: (v) => m0(v) && v.hist === 'embryonal' && v.stage === 1, why: 'embryonal, stage 1, group I–III', disagreement: classicFusionDisagree },
  { value: 'low', when: (v) => m0(v) && v.hist === 'embryonal' && groupIorII(v), why: (v) => `embryonal, group ${v.group} (stage 1–3)`, disagreement: classicFusionDisagree },
] as const satisfies readonly RuleRow<HistFacts, RmsRisk>[];

/**
 * Classic COG risk (R-RMS-RISK-HIST). Needs embryonal vs alveolar: RMS NOS and mixed type stay null (a specific
 * histology is asked for); pleomorphic RMS is not covered by the paediatric tables.
 */
export function cogRiskHistologyBased(v: RmsRiskFacts): Derived<RmsRisk> {
  const out = 'rms.cogRiskHistologyBased';
  const rules = ['R-RMS-RISK-HIST'];
  if (v.histology === 'pleomorphic') return notApplicable(out, rules, 'pleomorphic RMS (adult type) is not covered by the COG histology-based risk table');
  const hist = classicHistology(v.histology);
  if (hist === undefined) {
    return unknownBecause(out, rules, `RMS ${v.histology ?? 'of unknown type'}: embryonal vs alveolar histology is needed`, ['morphology']);
  }
  return markUnverified(decide(riskHistTable, { ...v, hist }, rules, out, riskNeeds), v.morphologyUnverified === true);
}

// ---------------------------------------------------------------------------------------------------------------
// (b) Fusion-based (R-RMS-RISK-FUSION)

type FusionFacts = RmsRiskFacts & { fusion: 'positive' | 'negative' };

/** R-RMS-RISK-FUSION (Hibbitts 2019; UpToDate table): FOXO1 fusion status replaces histology. */
export const riskFusionTable = [
  {
    value: 'high', when: (v) => v.metastatic === true && (v.fusion === 'positive' || !under10(v)), rules: ['R-GEN-AGE'],
    why: (v) => `metastatic, ${v.fusion === 'positive' ? 'fusion-positive (any age)' : `fusion-negative, age ${v.ageMonths} mo ≥ 120 (≥10 y)`}`,
  },
  {
    value: 'intermediate', when: (v) => v.metastatic === true && v.fusion === 'negative' && under10(v), rules: ['R-GEN-AGE'],
    why: (v) => `metastatic, fusion-negative, age ${v.ageMonths} mo < 120 (<10 y)`,
  },
  { value: 'intermediate', when: (v) => m0(v) && v.fusion === 'positive', why: 'fusion-positive, non-metastatic (stage 1–3, group I–III)', disagreement: classicFusionDisagree },
  { value: 'intermediate', when: (v) => m0(v) && v.fusion === 'negative' && stage2or3(v) && v.group === 'III', why: (v) => `fusion-negative, ${sg(v)}` },
  { value: 'low', when: (v) => m0(v) && v.fusion === 'negative' && v.stage === 1, why: 'fusion-negative, stage 1, group I–III', disagreement: classicFusionDisagree },
  { value: 'low', when: (v) => m0(v) && v.fusion === 'negative' && groupIorII(v), why: (v) => `fusion-negative, group ${v.group} (stage 1–3)`, disagreement: classicFusionDisagree },
] as const satisfies readonly RuleRow<FusionFacts, RmsRisk>[];

/** Fusion-based COG risk (R-RMS-RISK-FUSION). Unknown fusion status → null, asking for `molecular.foxo1Fusion`. */
export function cogRiskFusionBased(v: RmsRiskFacts): Derived<RmsRisk> {
  const out = 'rms.cogRiskFusionBased';
  const rules = ['R-RMS-RISK-FUSION'];
  if (v.histology === 'pleomorphic') return notApplicable(out, rules, 'pleomorphic RMS (adult type) is not covered by the COG fusion-based risk table');
  if (v.fusion === undefined) {
    return unknownBecause(out, rules, 'PAX3/PAX7–FOXO1 fusion status is unknown; the fusion-based risk needs it', ['molecular.foxo1Fusion']);
  }
  return decide(riskFusionTable, { ...v, fusion: v.fusion }, rules, out, riskNeeds);
}

// ---------------------------------------------------------------------------------------------------------------
// Low-risk subsets (R-RMS-RISK-FUSION, [D] rules.md §1.4.3)

/** [D] Node-positive group II subset (rules.md §1.4.3, §6 item 8). */
export const SUBSET_NODE_POSITIVE_DISAGREEMENT =
  'D9602 puts node-positive group II (stage 1–2) in subset B; ARST0331/UpToDate put stage 1–2 group I/II in '
  + 'subset A/1. Platform rule: lowRiskSubset is left unset for node-positive group II.';

const nodePositiveII = (v: RmsRiskFacts): boolean => v.group === 'IIB' || v.group === 'IIC';

/** Subsets of fusion-based low risk; rows apply only when `cogRiskFusionBased` is low. */
export const lowRiskSubsetTable = [
  {
    value: null, when: (v) => (v.stage === 1 || v.stage === 2) && nodePositiveII(v),
    why: (v) => `${sg(v)} (node-positive group II): sources disagree`, disagreement: SUBSET_NODE_POSITIVE_DISAGREEMENT,
  },
  { value: 'A', when: (v) => v.stage === 1 && groupIorII(v), why: (v) => `fusion-negative, ${sg(v)}` },
  { value: 'A', when: (v) => v.stage === 1 && v.group === 'III' && orbit(v), why: 'fusion-negative, stage 1, group III, orbit' },
  { value: 'A', when: (v) => v.stage === 2 && groupIorII(v), why: (v) => `fusion-negative, ${sg(v)}` },
  { value: 'B', when: (v) => v.stage === 1 && v.group === 'III' && !orbit(v), why: 'fusion-negative, stage 1, group III, not orbit' },
  { value: 'B', when: (v) => v.stage === 3 && groupIorII(v), why: (v) => `fusion-negative, ${sg(v)}` },
] as const satisfies readonly RuleRow<RmsRiskFacts, LowRiskSubset | null>[];

/** Low-risk subset A/B (R-RMS-RISK-FUSION); null unless the fusion-based risk is low. */
export function lowRiskSubset(v: RmsRiskFacts, fusionRisk: RmsRisk | null): Derived<LowRiskSubset> {
  const out = 'rms.lowRiskSubset';
  const rules = ['R-RMS-RISK-FUSION'];
  if (fusionRisk === null) return { value: null, explanations: [], missing: [] };
  if (fusionRisk !== 'low') return notApplicable(out, rules, `fusion-based risk is ${fusionRisk}, not low: no subset`);
  const d = decide(lowRiskSubsetTable, v, rules, out, riskNeeds);
  return { ...d, value: d.value };
}

// ---------------------------------------------------------------------------------------------------------------
// ARST2032 (R-RMS-ARST2032)

/** Eligibility gates, checked before the VLR/LR table. ≤21 y means `ageMonths <= 252` (R-GEN-AGE convention). */
export const arst2032EligibilityTable = [
  { value: 'NOT_ELIGIBLE', when: (v) => v.ageMonths > 252, rules: ['R-GEN-AGE'], why: (v) => `age ${v.ageMonths} mo > 21 y (252 mo)` },
  { value: 'NOT_ELIGIBLE', when: (v) => v.histology === 'pleomorphic', why: 'pleomorphic RMS is not an eligible histology' },
  { value: 'NOT_ELIGIBLE_FUSION_POSITIVE', when: (v) => v.fusion === 'positive', why: 'FOXO1 fusion-positive' },
] as const satisfies readonly RuleRow<RmsRiskFacts, Arst2032Category>[];

type Base = 'VLR' | 'LR' | 'NOT_VLR_OR_LR';

/** VLR/LR by stage and group for eligible fusion-negative tumours (before MYOD1/TP53). */
export const arst2032BaseTable = [
  { value: 'NOT_VLR_OR_LR', when: (v) => v.metastatic === true, why: 'fusion-negative, metastatic' },
  { value: 'VLR', when: (v) => v.stage === 1 && v.group === 'I', why: 'fusion-negative, stage 1, group I' },
  { value: 'LR', when: (v) => v.stage === 1 && groupIorII(v), why: (v) => `fusion-negative, ${sg(v)}` },
  { value: 'LR', when: (v) => v.stage === 2 && groupIorII(v), why: (v) => `fusion-negative, ${sg(v)}` },
  { value: 'LR', when: (v) => v.stage === 1 && v.group === 'III' && orbit(v), why: 'fusion-negative, stage 1, group III, orbit' },
  { value: 'NOT_VLR_OR_LR', when: (v) => v.stage === 3, why: 'fusion-negative, stage 3 (ARST2031 eligibility not verified)' },
  { value: 'NOT_VLR_OR_LR', when: (v) => v.stage === 2 && v.group === 'III', why: 'fusion-negative, stage 2, group III' },
  { value: 'NOT_VLR_OR_LR', when: (v) => v.stage === 1 && v.group === 'III' && !orbit(v), why: 'fusion-negative, stage 1, group III, not orbit' },
] as const satisfies readonly RuleRow<RmsRiskFacts, Base>[];

/**
 * ARST2032 category (R-RMS-ARST2032). Eligible: embryonal, spindle cell/sclerosing or fusion-negative alveolar
 * RMS, age ≤21 y. A VLR/LR tumour with MYOD1 or TP53 mutated is `DNA_MUTATION` ([K] regimen); both must be
 * wild-type for VLR/LR.
 */
export function arst2032Category(v: RmsRiskFacts): Derived<Arst2032Category> {
  const out = 'rms.arst2032Category';
  const rules = ['R-RMS-ARST2032'];
  const gate = decide(arst2032EligibilityTable, v, rules, out, () => []);
  if (gate.value !== null) return gate;
  if (v.fusion === undefined) {
    return unknownBecause(out, rules, 'PAX3/PAX7–FOXO1 fusion status is unknown; ARST2032 takes fusion-negative tumours only', ['molecular.foxo1Fusion']);
  }
  if (classicHistology(v.histology) === undefined) {
    return unknownBecause(out, rules, `RMS ${v.histology ?? 'of unknown type'}: eligible histologies are embryonal, spindle cell/sclerosing or alveolar`, ['morphology']);
  }
  const base = matchRow(arst2032BaseTable, v);
  const result = base === undefined || base.value === 'NOT_VLR_OR_LR'
    ? decide(arst2032BaseTable, v, rules, out, riskNeeds)
    : withMutations(v, base.value, base.why);
  return markUnverified(result, v.morphologyUnverified === true);
}

const mutationText = (v: RmsRiskFacts): string => `MYOD1 ${v.myod1 ?? 'not tested'}, TP53 ${v.tp53 ?? 'not tested'}`;

/** MYOD1/TP53 step of R-RMS-ARST2032: either mutated → DNA_MUTATION; both wild-type → VLR/LR; otherwise unknown. */
function withMutations(v: RmsRiskFacts, base: 'VLR' | 'LR', baseWhy: string): Derived<Arst2032Category> {
  const out = 'rms.arst2032Category';
  const rules = ['R-RMS-ARST2032'];
  if (v.myod1 === 'mutated' || v.tp53 === 'mutated') {
    return {
      value: 'DNA_MUTATION', missing: [],
      explanations: [{ output: out, rules, text: `${baseWhy}, but ${mutationText(v)} → DNA_MUTATION (intensified arm)`, unverified: true }],
    };
  }
  if (v.myod1 === 'wild_type' && v.tp53 === 'wild_type') {
    return { value: base, missing: [], explanations: [{ output: out, rules, text: `${baseWhy}; ${mutationText(v)} → ${base}` }] };
  }
  const fields = [...(v.myod1 !== 'wild_type' ? ['molecular.myod1'] : []), ...(v.tp53 !== 'wild_type' ? ['molecular.tp53'] : [])];
  return unknownBecause(out, rules, `${baseWhy}; ${mutationText(v)}: VLR/LR needs both wild-type`, fields);
}
