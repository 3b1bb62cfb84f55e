import type { CaseFacts } from '../facts/case-facts.js';
import type { EwingMetCategory, RmsResult } from '../facts/assessment.js';
import { lookupMorphology, type TumorFamily } from '../coding/morphology.js';
import { derived, notApplicable, type Derived, type Explanation, type TRule } from '../rules/derive.js';
import { blocked, isBonePrimary, type StagingContext } from './context.js';

/**
 * Treatment template library (rules.md §2): one typed entry per template ID. Doses are per m² unless a field says
 * otherwise; planned cumulative totals are exactly those rules.md states, and an agent whose total rules.md does
 * not give is left out of `plannedCumulativeMgM2` and named in `plannedTotalsNote`.
 */

/** Template IDs of rules.md §2, in the order they appear there. */
export const TEMPLATE_IDS = [
  'T-EWS-ICC', 'T-EWS-MET',
  'T-OS-MAP', 'T-OS-LOWGRADE',
  'T-RMS-VLR-VA24', 'T-RMS-LR-VAC4-VA', 'T-RMS-LR-SUBSET-B', 'T-RMS-IR-VACVI-MAINT', 'T-RMS-HR-INTENSIVE',
  'T-RMS-EPSSG-MAINT',
  'T-NRSTS-A', 'T-NRSTS-B', 'T-NRSTS-C', 'T-NRSTS-D', 'T-NRSTS-HR',
  'T-BN-OBSERVE', 'T-BN-CURETTAGE', 'T-BN-AGGRESSIVE',
] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

/** Version of the template library content; a plan records the version of the template it was built from. */
export const TEMPLATE_LIBRARY_VERSION = '2026.1';

/** One agent in a cycle. `doseMgM2` is per administration; `administrations` is how many per cycle (default 1). */
export interface AgentDose {
  /** Lowercase key, the same as in `exposures.agents` (e.g. `cyclophosphamide`). */
  readonly agent: string;
  readonly doseMgM2?: number;
  readonly doseMgKg?: number;
  readonly administrations?: number;
  /** Cap per administration in mg (vincristine 2 mg, dactinomycin 2.5 mg). */
  readonly maxMg?: number;
  readonly route?: 'iv' | 'oral';
  readonly note?: string;
  /** [K] in rules.md. */
  readonly unverified?: boolean;
}

/** Cycles of one regimen within a phase. */
export interface TemplateCycle {
  /** Regimen name, e.g. `VDC`. */
  readonly name: string;
  /** Cycles of this regimen in the phase; null when rules.md does not give the number. */
  readonly count: number | null;
  readonly agents: readonly AgentDose[];
  readonly note?: string;
  readonly unverified?: boolean;
}

/** A treatment phase: its protocol weeks and cycles. */
export interface TemplatePhase {
  readonly name: string;
  /** Protocol weeks (inclusive); null when rules.md gives none. */
  readonly weeks: { readonly from: number; readonly to: number } | null;
  readonly cycles: readonly TemplateCycle[];
  readonly note?: string;
  readonly unverified?: boolean;
}

/** One local-control option with its dose where rules.md gives one, and its [K]/[D] markers. */
export interface LocalControlOption {
  readonly kind: 'surgery' | 'radiation' | 'surgery_and_radiation' | 'curettage' | 'observation' | 'medical' | 'none';
  readonly description: string;
  readonly doseGy?: number;
  readonly rules: readonly string[];
  readonly unverified?: boolean;
  readonly disagreement?: string;
}

/** A treatment template (rules.md §2): versioned typed data, never a branch in code. */
export interface TreatmentTemplate {
  readonly id: TemplateId;
  readonly version: string;
  readonly title: string;
  readonly family: TumorFamily;
  /** Rule IDs of rules.md behind the template. */
  readonly rules: readonly string[];
  readonly sources: readonly string[];
  readonly phases: readonly TemplatePhase[];
  readonly localControl: readonly LocalControlOption[];
  /** Planned protocol totals (mg/m²) exactly as rules.md states them. */
  readonly plannedCumulativeMgM2: Readonly<Record<string, number>>;
  /** Which agents are missing from the totals and why, and where a total comes from. */
  readonly plannedTotalsNote?: string;
  /** Agents whose planned total is [K]. */
  readonly unverifiedTotals?: readonly string[];
  readonly note?: string;
  /** The whole template is [K] (not re-checked against a primary source). */
  readonly unverified?: boolean;
}

// ---- Agent doses (rules.md §2.1, §2.3, §2.4) ----

const VCR_EWS = { agent: 'vincristine', doseMgM2: 2, maxMg: 2 } as const satisfies AgentDose;
const DOX_EWS = { agent: 'doxorubicin', doseMgM2: 75, note: 'over 48 h' } as const satisfies AgentDose;
const CPM_1200 = { agent: 'cyclophosphamide', doseMgM2: 1200, note: 'with mesna' } as const satisfies AgentDose;
const IFO_EWS = { agent: 'ifosfamide', doseMgM2: 1800, administrations: 5 } as const satisfies AgentDose;
const ETO_EWS = { agent: 'etoposide', doseMgM2: 100, administrations: 5 } as const satisfies AgentDose;

const VCR_RMS = { agent: 'vincristine', doseMgM2: 1.5, maxMg: 2 } as const satisfies AgentDose;
const ACT_RMS = { agent: 'dactinomycin', doseMgKg: 0.045, maxMg: 2.5 } as const satisfies AgentDose;
const IRI_RMS = { agent: 'irinotecan', doseMgM2: 50, administrations: 5 } as const satisfies AgentDose;
/** EpSSG-type maintenance: vinorelbine days 1, 8, 15 and oral cyclophosphamide daily, 28-day cycles. */
const MAINTENANCE_CYCLE = (unverified: boolean) => ({
  name: 'Vinorelbine + oral cyclophosphamide (28-day cycle)',
  count: 6,
  agents: [
    { agent: 'vinorelbine', doseMgM2: 25, administrations: 3, note: 'days 1, 8, 15' },
    { agent: 'cyclophosphamide', doseMgM2: 25, administrations: 28, route: 'oral', note: 'daily' },
  ],
  unverified,
}) as const satisfies TemplateCycle;

const IFO_NRSTS = { agent: 'ifosfamide', doseMgM2: 3000, administrations: 3, note: 'days 1–3' } as const satisfies AgentDose;
const DOX_NRSTS = {
  agent: 'doxorubicin', doseMgM2: 37.5, administrations: 2, note: 'days 1–2 (75 mg/m² per cycle)', unverified: true,
} as const satisfies AgentDose;

// ---- Shared phases ----

const EWS_PHASES = [
  {
    name: 'Induction: VDC alternating with IE every 14 days (cycles 1–6)',
    weeks: { from: 1, to: 12 },
    cycles: [
      { name: 'VDC', count: 3, agents: [VCR_EWS, DOX_EWS, CPM_1200] },
      { name: 'IE', count: 3, agents: [IFO_EWS, ETO_EWS] },
    ],
    note: 'Each cycle starts when ANC >750/µL and platelets >75,000/µL.',
  },
  { name: 'Local control after cycle 6', weeks: { from: 12, to: 13 }, cycles: [], note: 'About week 12–13.' },
  {
    name: 'Consolidation: VDC/VC alternating with IE (cycles 7–14)',
    weeks: null,
    cycles: [
      { name: 'VDC', count: 2, agents: [VCR_EWS, DOX_EWS, CPM_1200], unverified: true },
      { name: 'VC', count: 2, agents: [VCR_EWS, CPM_1200], unverified: true, note: 'doxorubicin stopped at 375 mg/m²' },
      { name: 'IE', count: 4, agents: [IFO_EWS, ETO_EWS] },
    ],
    note: 'Which consolidation cycles are VDC and which VC is not verified (rules.md §7).',
  },
] as const satisfies readonly TemplatePhase[];

const EWS_LOCAL_CONTROL = [
  { kind: 'surgery', description: 'Wide resection', rules: ['R-EWS-LC'] },
  { kind: 'radiation', description: 'Definitive RT 55.8 Gy (45 Gy + 10.8 Gy boost)', doseGy: 55.8, rules: ['R-EWS-LC'], unverified: true },
  { kind: 'surgery_and_radiation', description: 'Resection, then post-operative RT 50.4 Gy for microscopic residual', doseGy: 50.4, rules: ['R-EWS-LC'], unverified: true },
  { kind: 'surgery_and_radiation', description: 'Resection with gross residual, then RT 55.8 Gy', doseGy: 55.8, rules: ['R-EWS-LC'], unverified: true },
] as const satisfies readonly LocalControlOption[];

const EWS_TOTALS = { doxorubicin: 375, cyclophosphamide: 8400, ifosfamide: 63000, etoposide: 3500 } as const;

const RMS_LOCAL_CONTROL = [
  { kind: 'radiation', description: 'RT by clinical group and fusion status (R-RMS-RT): group I FN none, group I FP 36 Gy, group II N0 36 Gy, group II N1 41.4 Gy, group III 50.4 Gy (orbit 45 Gy)', rules: ['R-RMS-RT'] },
  { kind: 'surgery', description: 'Resection where it is possible without mutilation; delayed resection after induction', rules: ['R-RMS-RT'], unverified: true },
] as const satisfies readonly LocalControlOption[];

const NRSTS_CHEMO_CYCLES = [
  { name: 'Ifosfamide', count: 6, agents: [IFO_NRSTS] },
  { name: 'Doxorubicin (with 5 of the ifosfamide cycles)', count: 5, agents: [DOX_NRSTS], unverified: true },
] as const satisfies readonly TemplateCycle[];

const NRSTS_TOTALS_NOTE = 'Ifosfamide 54 g/m² (6 × 3 × 3 g/m²); doxorubicin 375 mg/m² assumes 37.5 mg/m²/day × 2 × 5 cycles [K] (rules.md §1.7, §2.4).';

/** The template library (rules.md §2). Keys are template IDs. */
export const TEMPLATES = {
  'T-EWS-ICC': {
    id: 'T-EWS-ICC', version: TEMPLATE_LIBRARY_VERSION,
    title: 'Ewing sarcoma, localized: interval-compressed VDC/IE (AEWS0031)',
    family: 'ewing', rules: ['R-EWS', 'R-EWS-CAT', 'R-EWS-LC'],
    sources: ['Womer et al., JCO 2012 (AEWS0031)', 'hemonc.org AEWS0031 page', 'ASCO Post 2023 (Cash et al., 10-year follow-up)'],
    phases: EWS_PHASES, localControl: EWS_LOCAL_CONTROL,
    plannedCumulativeMgM2: EWS_TOTALS,
    plannedTotalsNote: 'Cyclophosphamide 8.4 g/m² (7 × 1.2), ifosfamide 63 g/m² (7 × 9), etoposide 3.5 g/m² (7 × 0.5); doxorubicin stops at 375 mg/m² (5 doses) [K]. Vincristine has no per-m² total (capped at 2 mg per dose).',
    unverifiedTotals: ['doxorubicin'],
    note: 'Infants <12 months: AEWS0031 gave 50% of the m²-calculated dose, then 75% and 100% if tolerated (R-AGE-INFANT).',
  },
  'T-EWS-MET': {
    id: 'T-EWS-MET', version: TEMPLATE_LIBRARY_VERSION,
    title: 'Ewing sarcoma, metastatic: 5-drug VDC/IE backbone, local control of the primary, RT to metastatic sites',
    family: 'ewing', rules: ['R-EWS', 'R-EWS-CAT', 'R-EWS-LC'],
    sources: ['rules.md §2.1 (T-EWS-MET) [K]'],
    phases: EWS_PHASES,
    localControl: [
      ...EWS_LOCAL_CONTROL,
      { kind: 'radiation', description: 'RT to all metastatic sites where feasible', rules: ['R-EWS-LC'], unverified: true },
      {
        kind: 'radiation', description: 'Whole-lung RT for lung metastases: 15 Gy in 1.5 Gy fractions if ≥14 y, 12 Gy if <6 y, protocol-dependent in between',
        rules: ['R-EWS-LC'], unverified: true,
        disagreement: 'WLI 12 Gy age threshold: <6 y (COG RMS, PDQ Table 5) vs <14 y (some Ewing protocols); platform: protocol-dependent between 6 and 14 y.',
      },
    ],
    plannedCumulativeMgM2: EWS_TOTALS,
    plannedTotalsNote: 'rules.md says "the same 5-drug backbone" and states no totals; these assume the 14-cycle T-EWS-ICC schedule [K].',
    unverifiedTotals: ['doxorubicin', 'cyclophosphamide', 'ifosfamide', 'etoposide'],
    unverified: true,
  },
  'T-OS-MAP': {
    id: 'T-OS-MAP', version: TEMPLATE_LIBRARY_VERSION,
    title: 'Osteosarcoma: MAP (EURAMOS-1)',
    family: 'osteosarcoma', rules: ['R-OS', 'R-OS-RESP'],
    sources: ['Whelan et al., Ann Oncol 2015 (EURAMOS-1)', 'Marina et al., Lancet Oncol 2016 (MAPIE vs MAP)'],
    phases: [
      {
        name: 'Pre-operative MAP (two 5-week cycles)', weeks: { from: 1, to: 10 },
        cycles: [{
          name: 'MAP', count: 2,
          agents: [
            { agent: 'cisplatin', doseMgM2: 120, note: 'week 1' },
            { agent: 'doxorubicin', doseMgM2: 75, note: 'week 1' },
            { agent: 'methotrexate', doseMgM2: 12000, administrations: 2, note: 'weeks 4 and 5, with leucovorin rescue' },
          ],
        }],
      },
      { name: 'Surgery', weeks: { from: 10, to: 10 }, cycles: [], note: 'Histologic response is graded on the resection specimen (R-OS-RESP).' },
      {
        name: 'Post-operative MAP ×2 and MA ×2', weeks: null,
        cycles: [
          {
            name: 'MAP', count: 2,
            agents: [
              { agent: 'cisplatin', doseMgM2: 120 },
              { agent: 'doxorubicin', doseMgM2: 75 },
              { agent: 'methotrexate', doseMgM2: 12000, administrations: 2, note: 'with leucovorin rescue' },
            ],
          },
          {
            name: 'MA', count: 2,
            agents: [
              { agent: 'doxorubicin', doseMgM2: 75 },
              { agent: 'methotrexate', doseMgM2: 12000, administrations: 2, note: 'with leucovorin rescue' },
            ],
            note: 'Doses per MA cycle follow from the stated totals (doxorubicin 6 × 75, methotrexate 12 × 12 g/m²).',
          },
        ],
        note: 'Total about 29 weeks. Post-operative MAP continues whatever the histologic response (MAPIE gave no benefit).',
      },
    ],
    localControl: [
      { kind: 'surgery', description: 'Wide resection at about week 10; resection of all metastases (e.g. thoracotomy for lung) when feasible', rules: ['R-OS'] },
      { kind: 'radiation', description: 'RT ≥60 Gy only for unresectable sites or positive margins', doseGy: 60, rules: ['R-OS'], unverified: true },
    ],
    plannedCumulativeMgM2: { doxorubicin: 450, cisplatin: 480, methotrexate: 144000 },
    plannedTotalsNote: 'Methotrexate 144 g/m² = 12 × 12 g/m².',
  },
  'T-OS-LOWGRADE': {
    id: 'T-OS-LOWGRADE', version: TEMPLATE_LIBRARY_VERSION,
    title: 'Low-grade osteosarcoma (parosteal, low-grade central): wide resection alone',
    family: 'osteosarcoma', rules: ['R-OS'], sources: ['rules.md §1.6, §2.2 [K]'],
    phases: [{ name: 'Wide resection', weeks: null, cycles: [] }],
    localControl: [{ kind: 'surgery', description: 'Wide resection alone, no chemotherapy', rules: ['R-OS'], unverified: true }],
    plannedCumulativeMgM2: {},
    unverified: true,
  },
  'T-RMS-VLR-VA24': {
    id: 'T-RMS-VLR-VA24', version: TEMPLATE_LIBRARY_VERSION,
    title: 'RMS very low risk (ARST2032): vincristine + dactinomycin for 24 weeks',
    family: 'rhabdomyosarcoma', rules: ['R-RMS-ARST2032', 'R-RMS-RT'],
    sources: ['ARST2032 listings (NCT05304585)'],
    phases: [{ name: 'VA', weeks: { from: 1, to: 24 }, cycles: [{ name: 'VA', count: null, agents: [VCR_RMS, ACT_RMS] }] }],
    localControl: [{ kind: 'none', description: 'Group I: no RT', rules: ['R-RMS-RT'] }],
    plannedCumulativeMgM2: {},
    plannedTotalsNote: 'No alkylator or anthracycline. Vincristine and dactinomycin totals are not given: the schedule within the 24 weeks is not stated and dactinomycin is dosed per kg.',
  },
  'T-RMS-LR-VAC4-VA': {
    id: 'T-RMS-LR-VAC4-VA', version: TEMPLATE_LIBRARY_VERSION,
    title: 'RMS low risk (ARST2032 LR / ARST0331 subset 1): VAC ×4 then VA, 22–24 weeks',
    family: 'rhabdomyosarcoma', rules: ['R-RMS-ARST2032', 'R-RMS-RISK-FUSION', 'R-RMS-RT'],
    sources: ['Walterhouse et al., JCO 2014 (ARST0331)', 'ARST2032 listings (NCT05304585)'],
    phases: [
      { name: 'VAC', weeks: { from: 1, to: 10 }, cycles: [{ name: 'VAC', count: 4, agents: [VCR_RMS, ACT_RMS, CPM_1200] }] },
      { name: 'VA', weeks: null, cycles: [{ name: 'VA', count: null, agents: [VCR_RMS, ACT_RMS] }], note: 'To a total of 22–24 weeks.' },
    ],
    localControl: RMS_LOCAL_CONTROL,
    plannedCumulativeMgM2: { cyclophosphamide: 4800 },
    plannedTotalsNote: 'Cyclophosphamide 4.8 g/m² (4 × 1.2). Vincristine and dactinomycin totals are not given (weekly schedule not stated; dactinomycin is dosed per kg).',
  },
  'T-RMS-LR-SUBSET-B': {
    id: 'T-RMS-LR-SUBSET-B', version: TEMPLATE_LIBRARY_VERSION,
    title: 'RMS low risk subset B: D9602-style VAC for about 40 weeks',
    family: 'rhabdomyosarcoma', rules: ['R-RMS-RISK-FUSION', 'R-RMS-RT'],
    sources: ['UpToDate regimen table (mirror)'],
    phases: [{
      name: 'VAC', weeks: { from: 1, to: 40 },
      cycles: [{ name: 'VAC', count: null, agents: [VCR_RMS, ACT_RMS, { agent: 'cyclophosphamide', doseMgM2: 2200, note: 'per cycle, with mesna' }] }],
      note: 'About 40 weeks.',
    }],
    localControl: RMS_LOCAL_CONTROL,
    plannedCumulativeMgM2: {},
    plannedTotalsNote: 'Not given: rules.md states cyclophosphamide 2.2 g/m² per cycle but not the number of cycles. ARST0331 subset 2 (4 VAC + VA, cyclophosphamide 4.8 g/m²) reportedly had inferior FFS [K].',
    note: 'Current COG practice for these patients is not verified.',
    unverified: true,
  },
  'T-RMS-IR-VACVI-MAINT': {
    id: 'T-RMS-IR-VACVI-MAINT', version: TEMPLATE_LIBRARY_VERSION,
    title: 'RMS intermediate risk: VAC alternating with VI over 42 weeks (ARST0531), then maintenance (ARST1431)',
    family: 'rhabdomyosarcoma', rules: ['R-RMS-RISK-FUSION', 'R-RMS-RT', 'R-AGE-RT24'],
    sources: ['Hawkins et al., JCO 2018 (ARST0531)', 'ARST1431 listing (UChicago)', 'Bisogno et al., Lancet Oncol 2019 (RMS 2005)'],
    phases: [
      {
        name: 'VAC alternating with VI', weeks: { from: 1, to: 42 },
        cycles: [
          { name: 'VAC', count: 7, agents: [VCR_RMS, ACT_RMS, CPM_1200], note: 'cyclophosphamide 8.4 g/m² in total' },
          { name: 'VI', count: null, agents: [VCR_RMS, IRI_RMS] },
        ],
        note: 'RT from week 4; individualized local control allowed for children <24 months (R-AGE-RT24).',
      },
      { name: 'Maintenance', weeks: { from: 43, to: 66 }, cycles: [MAINTENANCE_CYCLE(true)], note: 'Schedule assumed to mirror EpSSG [K].', unverified: true },
    ],
    localControl: RMS_LOCAL_CONTROL,
    plannedCumulativeMgM2: { cyclophosphamide: 12600 },
    plannedTotalsNote: 'Cyclophosphamide 12.6 g/m² = 8.4 g/m² IV (VAC/VI arm) + 4.2 g/m² oral maintenance (25 × 28 × 6) [K]. Vincristine, dactinomycin, irinotecan and vinorelbine totals are not given.',
    unverifiedTotals: ['cyclophosphamide'],
  },
  'T-RMS-HR-INTENSIVE': {
    id: 'T-RMS-HR-INTENSIVE', version: TEMPLATE_LIBRARY_VERSION,
    title: 'RMS high risk: ARST0431-like intensive multi-agent therapy over 54 weeks',
    family: 'rhabdomyosarcoma', rules: ['R-RMS-RISK-FUSION', 'R-RMS-OBERLIN', 'R-RMS-RT'],
    sources: ['Weigel et al., JCO 2016 (ARST0431)'],
    phases: [
      { name: 'VI', weeks: { from: 1, to: 6 }, cycles: [{ name: 'VI', count: null, agents: [VCR_RMS, IRI_RMS] }], note: 'Early RT allowed for intracranial or paraspinal extension.' },
      {
        name: 'Interval-compressed VDC/IE', weeks: { from: 7, to: 19 },
        cycles: [
          { name: 'VDC', count: null, agents: [VCR_RMS, { agent: 'doxorubicin' }, CPM_1200] },
          { name: 'IE', count: null, agents: [{ agent: 'ifosfamide' }, { agent: 'etoposide' }] },
        ],
      },
      { name: 'VI with RT to the primary', weeks: { from: 20, to: 25 }, cycles: [{ name: 'VI', count: null, agents: [VCR_RMS, IRI_RMS] }] },
      {
        name: 'Interval-compressed VDC/IE', weeks: { from: 26, to: 34 },
        cycles: [
          { name: 'VDC', count: null, agents: [VCR_RMS, { agent: 'doxorubicin' }, CPM_1200] },
          { name: 'IE', count: null, agents: [{ agent: 'ifosfamide' }, { agent: 'etoposide' }] },
        ],
      },
      { name: 'VAC', weeks: { from: 38, to: 46 }, cycles: [{ name: 'VAC', count: null, agents: [VCR_RMS, ACT_RMS, CPM_1200] }] },
      { name: 'VI with RT to extensive metastatic sites', weeks: { from: 47, to: 52 }, cycles: [{ name: 'VI', count: null, agents: [VCR_RMS, IRI_RMS] }] },
    ],
    localControl: [
      { kind: 'radiation', description: 'RT to the primary at weeks 20–25 (weeks 1–6 for intracranial or paraspinal extension); RT to extensive metastatic sites at weeks 47–52', rules: ['R-RMS-RT'] },
      { kind: 'radiation', description: 'Whole-lung RT for lung metastases: 15 Gy if ≥6 y, 12 Gy if <6 y', rules: ['R-RMS-RT'] },
    ],
    plannedCumulativeMgM2: {},
    plannedTotalsNote: 'Not given: rules.md states neither the cycle counts nor the VDC/IE doses for ARST0431, so no cumulative total is known for any agent.',
    note: 'Maintenance is commonly added in current practice [K].',
  },
  'T-RMS-EPSSG-MAINT': {
    id: 'T-RMS-EPSSG-MAINT', version: TEMPLATE_LIBRARY_VERSION,
    title: 'RMS EpSSG RMS 2005 high risk: IVADo ×4, IVA ×5, then vinorelbine + oral cyclophosphamide maintenance',
    family: 'rhabdomyosarcoma', rules: ['R-RMS-EPSSG-HR', 'R-RMS-RT'],
    sources: ['Bisogno et al., Lancet Oncol 2019 (RMS 2005)', 'RMS2005/ARST0531 comparison methods (authorea)'],
    phases: [
      {
        name: 'Induction: IVADo ×4', weeks: null,
        cycles: [{
          name: 'IVADo', count: 4,
          agents: [
            { agent: 'ifosfamide', doseMgM2: 3000, administrations: 2, note: 'days 1–2' },
            { agent: 'vincristine' },
            { agent: 'dactinomycin', doseMgM2: 1.5 },
            { agent: 'doxorubicin', doseMgM2: 30, administrations: 2, note: 'days 1–2' },
          ],
        }],
      },
      {
        name: 'IVA ×5', weeks: null,
        cycles: [{
          name: 'IVA', count: 5,
          agents: [{ agent: 'ifosfamide', doseMgM2: 3000, administrations: 2, note: 'days 1–2' }, { agent: 'vincristine' }, { agent: 'dactinomycin' }],
        }],
      },
      { name: 'Maintenance', weeks: null, cycles: [MAINTENANCE_CYCLE(false)] },
    ],
    localControl: [
      { kind: 'radiation', description: 'EpSSG (1.8 Gy/fraction): 41.4 Gy after complete delayed resection; 50.4 Gy for group III without resection (+5.4 Gy boost optional); nodes 41.4 Gy', rules: ['R-RMS-RT'] },
    ],
    plannedCumulativeMgM2: { doxorubicin: 240, ifosfamide: 54000, cyclophosphamide: 4200 },
    plannedTotalsNote: 'Doxorubicin 240 mg/m² (4 × 2 × 30), ifosfamide 54 g/m² (9 × 2 × 3 g/m²), oral cyclophosphamide 4.2 g/m² (25 × 28 × 6). Vincristine, dactinomycin and vinorelbine totals are not stated.',
  },
  'T-NRSTS-A': {
    id: 'T-NRSTS-A', version: TEMPLATE_LIBRARY_VERSION,
    title: 'NRSTS ARST0332 arm A: surgery alone',
    family: 'nrsts', rules: ['R-NRSTS-ARM', 'R-NRSTS-RISK'], sources: ['Spunt et al., Lancet Oncol 2020 (ARST0332)'],
    phases: [{ name: 'Observation after resection', weeks: null, cycles: [] }],
    localControl: [{ kind: 'surgery', description: 'Resection alone (low grade R0/R1 any size; high grade ≤5 cm R0)', rules: ['R-NRSTS-ARM'] }],
    plannedCumulativeMgM2: {},
  },
  'T-NRSTS-B': {
    id: 'T-NRSTS-B', version: TEMPLATE_LIBRARY_VERSION,
    title: 'NRSTS ARST0332 arm B: post-operative RT 55.8 Gy',
    family: 'nrsts', rules: ['R-NRSTS-ARM', 'R-NRSTS-RISK'], sources: ['Spunt et al., Lancet Oncol 2020 (ARST0332)'],
    phases: [{ name: 'Post-operative RT', weeks: null, cycles: [] }],
    localControl: [{ kind: 'surgery_and_radiation', description: 'Resection (high grade ≤5 cm R1), then RT 55.8 Gy', doseGy: 55.8, rules: ['R-NRSTS-ARM'] }],
    plannedCumulativeMgM2: {},
  },
  'T-NRSTS-C': {
    id: 'T-NRSTS-C', version: TEMPLATE_LIBRARY_VERSION,
    title: 'NRSTS ARST0332 arm C: chemoradiotherapy (ifosfamide/doxorubicin + RT 55.8 Gy)',
    family: 'nrsts', rules: ['R-NRSTS-ARM', 'R-NRSTS-RISK'],
    sources: ['Spunt et al., Lancet Oncol 2020 (ARST0332)', 'IJROBP 2021 (PubMed 33548339)'],
    phases: [{ name: 'Chemotherapy with RT', weeks: null, cycles: NRSTS_CHEMO_CYCLES }],
    localControl: [{ kind: 'surgery_and_radiation', description: 'Resection (high grade >5 cm R0/R1), then RT 55.8 Gy with chemotherapy', doseGy: 55.8, rules: ['R-NRSTS-ARM'] }],
    plannedCumulativeMgM2: { ifosfamide: 54000, doxorubicin: 375 },
    plannedTotalsNote: NRSTS_TOTALS_NOTE,
    unverifiedTotals: ['doxorubicin'],
  },
  'T-NRSTS-D': {
    id: 'T-NRSTS-D', version: TEMPLATE_LIBRARY_VERSION,
    title: 'NRSTS ARST0332 arm D: neoadjuvant chemoradiotherapy (45 Gy), delayed surgery, post-operative boost',
    family: 'nrsts', rules: ['R-NRSTS-ARM', 'R-NRSTS-RISK'],
    sources: ['Spunt et al., Lancet Oncol 2020 (ARST0332)', 'IJROBP 2021 (PubMed 33548339)'],
    phases: [
      { name: 'Chemotherapy throughout (before and after delayed surgery)', weeks: null, cycles: NRSTS_CHEMO_CYCLES, note: 'The split of cycles around surgery is not given.' },
      { name: 'Pre-operative RT 45 Gy', weeks: null, cycles: [] },
      { name: 'Delayed surgery', weeks: null, cycles: [] },
      { name: 'Post-operative boost', weeks: null, cycles: [], note: '10.8 Gy after R0 with margin <5 mm or R1; 19.8 Gy after R2 or if unresected.' },
    ],
    localControl: [
      { kind: 'surgery_and_radiation', description: 'Pre-operative RT 45 Gy, delayed surgery, boost 10.8 Gy (R0 <5 mm or R1)', doseGy: 55.8, rules: ['R-NRSTS-ARM'] },
      { kind: 'surgery_and_radiation', description: 'Pre-operative RT 45 Gy, boost 19.8 Gy (R2 or unresected)', doseGy: 64.8, rules: ['R-NRSTS-ARM'] },
    ],
    plannedCumulativeMgM2: { ifosfamide: 54000, doxorubicin: 375 },
    plannedTotalsNote: NRSTS_TOTALS_NOTE,
    unverifiedTotals: ['doxorubicin'],
  },
  'T-NRSTS-HR': {
    id: 'T-NRSTS-HR', version: TEMPLATE_LIBRARY_VERSION,
    title: 'NRSTS metastatic (high risk): ARST0332 chemotherapy plus local therapy to primary and metastases',
    family: 'nrsts', rules: ['R-NRSTS-ARM', 'R-NRSTS-RISK'], sources: ['Spunt et al., Lancet Oncol 2020 (ARST0332) [K]'],
    phases: [{ name: 'Chemotherapy', weeks: null, cycles: NRSTS_CHEMO_CYCLES }],
    localControl: [{ kind: 'surgery_and_radiation', description: 'Local therapy (surgery and/or RT) to the primary and metastases where feasible', rules: ['R-NRSTS-ARM'], unverified: true }],
    plannedCumulativeMgM2: { ifosfamide: 54000, doxorubicin: 375 },
    plannedTotalsNote: `${NRSTS_TOTALS_NOTE} Metastatic patients received the same chemotherapy [K].`,
    unverifiedTotals: ['doxorubicin'],
    unverified: true,
  },
  'T-BN-OBSERVE': {
    id: 'T-BN-OBSERVE', version: TEMPLATE_LIBRARY_VERSION,
    title: 'Benign bone tumour, Enneking stage 1 (latent): observation',
    family: 'benign_bone', rules: ['R-ENN'], sources: ["Wheeless' Textbook (Enneking/MSTS)", 'Bone and Spine'],
    phases: [{ name: 'Observation', weeks: null, cycles: [] }],
    localControl: [
      { kind: 'observation', description: 'Observation', rules: ['R-ENN'] },
      { kind: 'curettage', description: 'Intracapsular curettage if needed', rules: ['R-ENN'] },
    ],
    plannedCumulativeMgM2: {},
  },
  'T-BN-CURETTAGE': {
    id: 'T-BN-CURETTAGE', version: TEMPLATE_LIBRARY_VERSION,
    title: 'Benign bone tumour, Enneking stage 2 (active): curettage',
    family: 'benign_bone', rules: ['R-ENN'], sources: ["Wheeless' Textbook (Enneking/MSTS)", 'Bone and Spine'],
    phases: [{ name: 'Curettage', weeks: null, cycles: [] }],
    localControl: [
      { kind: 'curettage', description: 'Intralesional or extended curettage ± adjuvant', rules: ['R-ENN'] },
      { kind: 'surgery', description: 'Marginal excision', rules: ['R-ENN'] },
    ],
    plannedCumulativeMgM2: {},
  },
  'T-BN-AGGRESSIVE': {
    id: 'T-BN-AGGRESSIVE', version: TEMPLATE_LIBRARY_VERSION,
    title: 'Benign bone tumour, Enneking stage 3 (aggressive): extended curettage with adjuvants or en bloc resection',
    family: 'benign_bone', rules: ['R-ENN'], sources: ["Wheeless' Textbook (Enneking/MSTS)", 'Bone and Spine'],
    phases: [{ name: 'Surgery', weeks: null, cycles: [] }],
    localControl: [
      { kind: 'curettage', description: 'Extended curettage with adjuvants (burr, phenol/cryotherapy, PMMA)', rules: ['R-ENN'] },
      { kind: 'surgery', description: 'En bloc (wide) resection', rules: ['R-ENN'] },
      { kind: 'medical', description: 'Denosumab for unresectable giant cell tumour of bone', rules: ['R-ENN'], unverified: true },
    ],
    plannedCumulativeMgM2: {},
  },
} as const satisfies Record<TemplateId, TreatmentTemplate>;

/** The template for an ID. */
export function getTemplate(id: TemplateId): TreatmentTemplate {
  return TEMPLATES[id];
}

/** Every agent the template gives (lowercase keys, first appearance order), whether or not its total is known. */
export function templateAgents(t: TreatmentTemplate): string[] {
  const seen = new Set<string>();
  for (const phase of t.phases) for (const cycle of phase.cycles) for (const a of cycle.agents) seen.add(a.agent);
  return [...seen];
}

// ---- Template selection (rules.md §2) ----

/** A template-selection row: the template, when it applies, why, and the rule IDs that decide it. */
export interface TemplateRule<F> extends TRule<F, TemplateId> {
  readonly rules: readonly string[];
}

/** R-EWS-CAT → T-EWS-*: localized gets interval-compressed VDC/IE, any metastatic category the metastatic template. */
export const ewingTemplateRules = [
  { value: 'T-EWS-ICC', when: (c: EwingMetCategory) => c === 'localized', why: 'localized Ewing sarcoma', rules: ['R-EWS-CAT'] },
  { value: 'T-EWS-MET', when: (c: EwingMetCategory) => c !== 'localized', why: (c: EwingMetCategory) => `metastatic Ewing sarcoma (${c})`, rules: ['R-EWS-CAT'] },
] as const satisfies readonly TemplateRule<EwingMetCategory>[];

type OsSubtype = 'conventional' | 'low_grade' | 'high_grade_surface';

/** R-OS → T-OS-*: conventional and high-grade surface get MAP; parosteal and low-grade central wide resection alone. */
export const osteosarcomaTemplateRules = [
  { value: 'T-OS-LOWGRADE', when: (s: OsSubtype) => s === 'low_grade', why: 'low-grade osteosarcoma (parosteal or low-grade central)', rules: ['R-OS'] },
  { value: 'T-OS-MAP', when: (s: OsSubtype) => s === 'conventional', why: 'conventional (high-grade) osteosarcoma', rules: ['R-OS'] },
  { value: 'T-OS-MAP', when: (s: OsSubtype) => s === 'high_grade_surface', why: 'high-grade surface osteosarcoma', rules: ['R-OS'] },
] as const satisfies readonly TemplateRule<OsSubtype>[];

/**
 * RMS → T-RMS-*: the ARST2032 category decides very low and low risk (R-RMS-ARST2032); otherwise the fusion-based
 * COG risk (R-RMS-RISK-FUSION). Rows are ordered most specific first; the caller handles the DNA-mutation arm and
 * unknown risk before walking them.
 */
export const rmsTemplateRules = [
  { value: 'T-RMS-VLR-VA24', when: (r: RmsResult) => r.arst2032Category === 'VLR', why: 'ARST2032 very low risk (FN, stage 1, group I, MYOD1/TP53 wild-type)', rules: ['R-RMS-ARST2032'] },
  { value: 'T-RMS-LR-VAC4-VA', when: (r: RmsResult) => r.arst2032Category === 'LR', why: 'ARST2032 low risk (FN stage 1 group II, stage 2 group I/II, or group III orbit; MYOD1/TP53 wild-type)', rules: ['R-RMS-ARST2032'] },
  { value: 'T-RMS-IR-VACVI-MAINT', when: (r: RmsResult) => r.cogRiskFusionBased === 'intermediate', why: 'fusion-based COG intermediate risk', rules: ['R-RMS-RISK-FUSION'] },
  { value: 'T-RMS-HR-INTENSIVE', when: (r: RmsResult) => r.cogRiskFusionBased === 'high', why: 'fusion-based COG high risk (metastatic FP, or metastatic FN ≥10 y)', rules: ['R-RMS-RISK-FUSION'] },
  {
    value: 'T-RMS-LR-SUBSET-B',
    when: (r: RmsResult) => r.cogRiskFusionBased === 'low' && (r.lowRiskSubset === 'B' || r.arst2032Category === 'NOT_VLR_OR_LR'),
    why: (r: RmsResult) => `fusion-based low risk outside ARST2032 VLR/LR (${r.lowRiskSubset === 'B' ? 'subset B' : 'NOT_VLR_OR_LR'})`,
    rules: ['R-RMS-RISK-FUSION', 'R-RMS-ARST2032'],
  },
  {
    value: 'T-RMS-LR-VAC4-VA',
    when: (r: RmsResult) => r.cogRiskFusionBased === 'low' && r.lowRiskSubset === 'A' && r.arst2032Category === 'NOT_ELIGIBLE',
    why: 'fusion-based low risk subset A, not ARST2032-eligible: ARST0331 subset 1 (4 VAC + VA)',
    rules: ['R-RMS-RISK-FUSION'],
  },
] as const satisfies readonly TemplateRule<RmsResult>[];

type NrstsArm = 'A' | 'B' | 'C' | 'D' | 'HR';
/** R-NRSTS-ARM → T-NRSTS-*: one template per ARST0332 arm. */
export const nrstsTemplateByArm = {
  A: 'T-NRSTS-A', B: 'T-NRSTS-B', C: 'T-NRSTS-C', D: 'T-NRSTS-D', HR: 'T-NRSTS-HR',
} as const satisfies Record<NrstsArm, TemplateId>;

/** R-ENN benign stage → T-BN-*. */
export const benignTemplateByStage = {
  '1': 'T-BN-OBSERVE', '2': 'T-BN-CURETTAGE', '3': 'T-BN-AGGRESSIVE',
} as const satisfies Record<'1' | '2' | '3', TemplateId>;

const OUT = 'treatmentTemplate';

/** Families with templates in rules.md §2, and the rule that routes each. */
const FAMILY_RULE: Partial<Record<TumorFamily, string>> = {
  ewing: 'R-EWS-CAT', osteosarcoma: 'R-OS', rhabdomyosarcoma: 'R-RMS-RISK-FUSION', nrsts: 'R-NRSTS-ARM', benign_bone: 'R-ENN',
};

/** Walks a template table; the explanation names the deciding rule IDs and the template ID. */
function matchTemplate<F>(table: readonly TemplateRule<F>[], input: F): Derived<TemplateId> {
  for (const row of table) {
    if (row.when(input)) {
      const why = typeof row.why === 'function' ? row.why(input) : row.why;
      return chosen(row.value, [...row.rules], why);
    }
  }
  return notApplicable(OUT, table[0] ? [...table[0].rules] : [], 'no template row applies to these staging results');
}

function chosen(id: TemplateId, rules: string[], why: string, extra?: Partial<Explanation>): Derived<TemplateId> {
  const t = TEMPLATES[id] as TreatmentTemplate;
  return derived(id, OUT, [...rules, id], `${why} → ${id} (${t.title})`, {
    ...(t.unverified ? { unverified: true } : {}), ...extra,
  });
}

function selectEwing(ctx: StagingContext): Derived<TemplateId> {
  const cat = ctx.ewing?.metastaticCategory ?? null;
  if (cat === null) return blocked('ewing.metastaticCategory', OUT, ['R-EWS-CAT'], 'Ewing metastatic category unknown → no template');
  return matchTemplate(ewingTemplateRules, cat);
}

function selectOsteosarcoma(f: CaseFacts, subtype: string | undefined): Derived<TemplateId> {
  if (!isBonePrimary(f)) {
    return notApplicable(OUT, ['R-OS', 'R-CODE-MORPH'], `extraskeletal osteosarcoma (${f.topography}): rules.md §2.2 names no template; decide at conference`);
  }
  if (subtype === 'periosteal') {
    return notApplicable(OUT, ['R-OS'], 'periosteal osteosarcoma is intermediate grade: rules.md §2.2 names no template; decide at conference');
  }
  if (subtype !== 'conventional' && subtype !== 'low_grade' && subtype !== 'high_grade_surface') {
    return notApplicable(OUT, ['R-OS'], `osteosarcoma subtype of ${f.morphology} unknown → no template`);
  }
  return matchTemplate(osteosarcomaTemplateRules, subtype);
}

function selectRms(ctx: StagingContext): Derived<TemplateId> {
  const r = ctx.rms;
  if (r === null) return blocked('rms', OUT, ['R-RMS-RISK-FUSION'], 'RMS staging missing → no template');
  if (r.arst2032Category === 'DNA_MUTATION') {
    return notApplicable(OUT, ['R-RMS-ARST2032'], 'FN RMS with MYOD1 or TP53 mutation: ARST2032 "DNA mutation" arm gives intensified therapy whose regimen is not verified → no template');
  }
  const viaArst = r.arst2032Category === 'VLR' || r.arst2032Category === 'LR';
  if (!viaArst && r.cogRiskFusionBased === null) {
    return blocked('rms.cogRiskFusionBased', OUT, ['R-RMS-RISK-FUSION'], 'fusion-based COG risk unknown → no template');
  }
  if (r.cogRiskFusionBased === 'low' && r.arst2032Category === null) {
    return blocked('rms.arst2032Category', OUT, ['R-RMS-ARST2032'], 'low risk but ARST2032 category unknown (VLR, LR or outside) → no template');
  }
  const result = matchTemplate(rmsTemplateRules, r);
  if (r.epssgHighRisk === true && result.value === 'T-RMS-IR-VACVI-MAINT') {
    result.explanations.push({
      output: OUT, rules: ['R-RMS-EPSSG-HR', 'T-RMS-EPSSG-MAINT'],
      text: 'EpSSG high-risk population: T-RMS-EPSSG-MAINT (IVADo/IVA then maintenance) is the European alternative',
    });
  }
  return result;
}

function selectNrsts(ctx: StagingContext): Derived<TemplateId> {
  const arm = ctx.nrsts?.arst0332Arm ?? null;
  if (arm === null) return blocked('nrsts.arst0332Arm', OUT, ['R-NRSTS-ARM'], 'ARST0332 arm unknown → no template');
  return chosen(nrstsTemplateByArm[arm], ['R-NRSTS-ARM'], `ARST0332 arm ${arm}`);
}

function selectBenign(ctx: StagingContext): Derived<TemplateId> {
  const stage = ctx.enneking?.stage ?? null;
  if (stage === null) return blocked('enneking.stage', OUT, ['R-ENN'], 'Enneking benign stage unknown → no template');
  if (stage !== '1' && stage !== '2' && stage !== '3') {
    return notApplicable(OUT, ['R-ENN'], `Enneking stage ${stage} is a malignant stage; benign templates need stage 1, 2 or 3`);
  }
  const names = { '1': 'latent', '2': 'active', '3': 'aggressive' } as const;
  return chosen(benignTemplateByStage[stage], ['R-ENN'], `benign Enneking stage ${stage} (${names[stage]})`);
}

/**
 * The treatment template for a newly diagnosed case (rules.md §2): Ewing by R-EWS-CAT, osteosarcoma by subtype
 * (R-OS), RMS by ARST2032 category then fusion-based COG risk (R-RMS-ARST2032, R-RMS-RISK-FUSION), NRSTS by
 * ARST0332 arm (R-NRSTS-ARM), benign bone by Enneking stage (R-ENN). Output path `treatmentTemplate`.
 * An unknown staging result gives null with the blocking output named as missing.
 */
export function selectTemplate(f: CaseFacts, ctx: StagingContext): Derived<TemplateId> {
  const entry = lookupMorphology(f.morphology);
  if (entry === undefined) return notApplicable(OUT, ['R-CODE-MORPH'], `morphology ${f.morphology} is not in the table → no template`);
  const familyRule = FAMILY_RULE[entry.family];
  if (familyRule === undefined) {
    return notApplicable(OUT, ['R-CODE-MORPH'], `${entry.term}: rules.md §2 has no template for this tumour family`);
  }
  if (f.diseaseStatus !== undefined && f.diseaseStatus !== 'newly_diagnosed') {
    return notApplicable(OUT, [familyRule], `the rules.md §2 backbones are front-line therapy; this case is ${f.diseaseStatus} → no template`);
  }
  switch (entry.family) {
    case 'ewing': return selectEwing(ctx);
    case 'osteosarcoma': return selectOsteosarcoma(f, entry.osSubtype);
    case 'rhabdomyosarcoma': return selectRms(ctx);
    case 'nrsts': return selectNrsts(ctx);
    default: return selectBenign(ctx);
  }
}
