import type { Explanation, MissingFact } from '../rules/derive.js';

/**
 * Assessment: the output of `assess` (DESIGN.md §4). A key is null where the system does not apply; inside an
 * applicable system, a field is null where a needed fact is missing (and `missing` says which).
 */
export interface Assessment {
  enneking: { stage: EnnekingStage | null; substage: 'IIIA' | 'IIIB' | null } | null;
  ajcc: AjccResult | null;
  rms: RmsResult | null;
  ewing: { metastaticCategory: EwingMetCategory | null } | null;
  osteosarcoma: OsteosarcomaResult | null;
  nrsts: { arst0332RiskGroup: 'low' | 'intermediate' | 'high' | null; arst0332Arm: 'A' | 'B' | 'C' | 'D' | 'HR' | null } | null;
  treatmentTemplate: string | null;
  plannedCumulativeMgM2: Record<string, number> | null;
  cedMgM2: number | null;
  doxorubicinEquivalentMgM2: number | null;
  echoFrequency: EchoFrequency | null;
  radiation: { primaryGy: number | null; situation?: string; wholeLungGy?: number | null } | null;
  icd10cm: string | null;
  flags: string[];
  siteSpecificDisciplines: string[];
  conferenceDisciplines: string[];
  fertilityOptions: string[];
  /** Survivorship screening from received exposures (present when `exposures` is given). */
  survivorship: SurvivorshipScreening | null;
  missing: MissingFact[];
  explanations: Explanation[];
}

export type EnnekingStage = '1' | '2' | '3' | 'IA' | 'IB' | 'IIA' | 'IIB' | 'III';

export interface AjccResult {
  scheme: 'AJCC8-bone-appendicular' | 'AJCC8-bone-spine' | 'AJCC8-bone-pelvis' | 'AJCC8-sts-trunk-extremity';
  T: string | null;
  N: 'N0' | 'N1' | null;
  M: 'M0' | 'M1' | 'M1a' | 'M1b' | null;
  grade: 'low' | 'high' | null;
  stageGroup: string | null;
}

export interface RmsResult {
  stage: 1 | 2 | 3 | 4 | null;
  clinicalGroup: 'I' | 'IIA' | 'IIB' | 'IIC' | 'III' | 'IV' | null;
  siteCategory: 'favorable' | 'unfavorable' | null;
  cogRiskHistologyBased: 'low' | 'intermediate' | 'high' | null;
  cogRiskFusionBased: 'low' | 'intermediate' | 'high' | null;
  arst2032Category: 'VLR' | 'LR' | 'DNA_MUTATION' | 'NOT_VLR_OR_LR' | 'NOT_ELIGIBLE_FUSION_POSITIVE' | 'NOT_ELIGIBLE' | null;
  lowRiskSubset: 'A' | 'B' | null;
  oberlinFactorCount: number | null;
  oberlinCategory: '0-1' | '>=2' | null;
  epssgHighRisk: boolean | null;
}

export type EwingMetCategory = 'localized' | 'metastatic_lung_pleura_only' | 'metastatic_bone_or_marrow' | 'metastatic_other';

export interface OsteosarcomaResult {
  metastaticCategory: 'localized' | 'metastatic_lung_only' | 'metastatic_extrapulmonary' | null;
  huvosGrade: 'I' | 'II' | 'III' | 'IV' | null;
  responseByNecrosis90: 'good' | 'poor' | null;
  euramosResponse: 'good' | 'poor' | null;
}

export type EchoFrequency = 'none' | 'every_5_years' | 'every_2_years' | 'yearly';

export interface ScreeningItem {
  /** What to do, e.g. "Echocardiogram". */
  test: string;
  /** How often, e.g. "every 2 years", or a start rule. */
  frequency: string;
  /** Exposure that triggers it, e.g. "doxorubicin-equivalent 375 mg/m²". */
  because: string;
  rules: string[];
}

export interface SurvivorshipScreening {
  cedMgM2: number | null;
  doxorubicinEquivalentMgM2: number | null;
  echoFrequency: EchoFrequency | null;
  items: ScreeningItem[];
}

/** An invalid fact: the field path and what is wrong. */
export interface FactError {
  field: string;
  message: string;
}
