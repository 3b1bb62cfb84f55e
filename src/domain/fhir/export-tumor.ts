import type { CodeableConcept, Condition, Extension, Observation, Patient, Reference, Resource } from '@medplum/fhirtypes';
import { lookupMorphology } from '../coding/morphology.js';
import type { Assessment } from '../facts/assessment.js';
import type { CaseFacts } from '../facts/case-facts.js';
import type { Tumor } from '../registry/types.js';
import { coding, compact, concept, ids, ref, ruleExtensions } from './export-common.js';
import {
  CATEGORIES, CONDITION_STATUS, DISEASE_STATUS, EXTENSIONS, LANSKY_VALUES, LATERALITY, LOINC_ANSWERS, METASTATIC_SITES,
  OBSERVATION_CODES, PROFILES, RMS_RISK_VALUES, SECONDARY_NEOPLASM, STAGING_METHODS, SYSTEMS, UNITS, VARIANT_COMPONENTS,
  type CodeDef,
} from './profiles.js';

/** What one tumour maps from: the row, the case facts built from it and their assessment (null when invalid). */
export interface TumorContext {
  tumor: Tumor;
  facts: CaseFacts | null;
  assessment: Assessment | null;
  patientRef: Reference<Patient>;
}

/** Stable key order, so the details extension is the same text for the same facts. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** ICD-O-3 topography and laterality of the primary, as Condition/Procedure bodySite. */
export function primaryBodySite(t: Tumor): CodeableConcept {
  const lat = t.laterality && t.laterality !== 'not_applicable' ? LATERALITY[t.laterality] : undefined;
  return compact({
    coding: [{ system: SYSTEMS.icdO3, code: t.topography }],
    text: t.primarySite,
    extension: lat ? [{ url: EXTENSIONS.lateralityQualifier, valueCodeableConcept: concept(lat) }] : undefined,
  });
}

/**
 * PrimaryCancerCondition (mCODE): ICD-10-CM code from the rules engine (R-CODE-TOPO/R-CODE-MORPH) when it gives
 * one, otherwise the diagnosis term as text; ICD-O-3 morphology in the histology-morphology-behavior extension;
 * ICD-O-3 topography with laterality as body site; diagnosis date as assertedDate and recordedDate. A benign tumour
 * (behaviour /0) is not a cancer and gets the base Condition profile with the same elements.
 */
export function primaryCondition(c: TumorContext, stage: Array<Reference<Observation>>): Condition {
  const t = c.tumor;
  const term = lookupMorphology(t.morphology)?.term ?? t.morphology;
  const benign = t.morphology.endsWith('/0');
  const relapsed = t.details.diseaseStatus === 'relapsed' || t.details.diseaseStatus === 'progressive';
  const extension: Extension[] = [
    { url: EXTENSIONS.histologyMorphologyBehavior, valueCodeableConcept: { coding: [{ system: SYSTEMS.icdO3, code: t.morphology, display: term }] } },
    { url: EXTENSIONS.assertedDate, valueDateTime: t.diagnosisDate },
    { url: EXTENSIONS.siteCategory, valueCode: t.siteCategory },
    { url: EXTENSIONS.tumorDetails, valueString: canonicalJson(t.details) },
  ];
  if (t.pathologySummary) extension.push({ url: EXTENSIONS.pathologySummary, valueString: t.pathologySummary });
  if (t.imagingSummary) extension.push({ url: EXTENSIONS.imagingSummary, valueString: t.imagingSummary });
  const icd10 = c.assessment?.icd10cm;
  return compact({
    resourceType: 'Condition',
    id: ids.primaryCondition(t.id),
    meta: { profile: [benign ? PROFILES.condition : PROFILES.primaryCancerCondition], lastUpdated: t.updatedAt },
    extension,
    identifier: [{ system: 'urn:tumorboard:id', value: t.id }],
    clinicalStatus: concept(relapsed ? CONDITION_STATUS.relapse : CONDITION_STATUS.active),
    verificationStatus: concept(CONDITION_STATUS.confirmed),
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item', display: 'Problem List Item' }] }],
    code: icd10 ? { coding: [{ system: SYSTEMS.icd10cm, code: icd10 }], text: term } : { text: term },
    bodySite: [primaryBodySite(t)],
    subject: c.patientRef,
    recordedDate: t.diagnosisDate,
    stage: stage.length ? [{ assessment: stage }] : undefined,
  } satisfies Condition);
}

/** SecondaryCancerCondition (mCODE), one per metastatic site recorded at diagnosis; related to the primary. */
export function secondaryConditions(c: TumorContext): Condition[] {
  const t = c.tumor;
  const sites = t.details.metastases ?? [];
  return sites.map((site) => ({
    resourceType: 'Condition',
    id: ids.secondaryCondition(t.id, site),
    meta: { profile: [PROFILES.secondaryCancerCondition], lastUpdated: t.updatedAt },
    extension: [
      { url: EXTENSIONS.relatedCondition, valueReference: { reference: `Condition/${ids.primaryCondition(t.id)}` } },
      { url: EXTENSIONS.assertedDate, valueDateTime: t.diagnosisDate },
    ],
    clinicalStatus: concept(CONDITION_STATUS.active),
    verificationStatus: concept(CONDITION_STATUS.confirmed),
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item', display: 'Problem List Item' }] }],
    code: concept(SECONDARY_NEOPLASM),
    bodySite: [{ ...concept(METASTATIC_SITES[site]), text: site.replace(/_/g, ' ') }],
    subject: c.patientRef,
    recordedDate: t.diagnosisDate,
  } satisfies Condition));
}

interface ObsSpec {
  kind: string;
  profile: string;
  code: CodeDef;
  category?: CodeDef;
  rest: Partial<Observation>;
  /** Rule IDs that computed the value (a computed stage names them). */
  rules?: readonly string[];
  notes?: readonly string[];
}

function observation(c: TumorContext, s: ObsSpec): Observation {
  const t = c.tumor;
  return compact({
    resourceType: 'Observation',
    id: ids.observation(t.id, s.kind),
    meta: { profile: [s.profile], lastUpdated: t.updatedAt },
    extension: s.rules?.length ? ruleExtensions(s.rules) : undefined,
    status: 'final',
    category: [concept(s.category ?? CATEGORIES.laboratory)],
    code: concept(s.code),
    subject: c.patientRef,
    focus: [{ reference: `Condition/${ids.primaryCondition(t.id)}` }],
    effectiveDateTime: t.diagnosisDate,
    ...s.rest,
    note: s.notes?.length ? s.notes.map((text) => ({ text })) : undefined,
  } satisfies Observation);
}

/** Rule IDs and reasons of the assessment outputs named (e.g. `ajcc.stageGroup`). */
function why(a: Assessment, outputs: readonly string[]): { rules: string[]; notes: string[] } {
  const ex = a.explanations.filter((e) => outputs.includes(e.output));
  return { rules: ex.flatMap((e) => e.rules), notes: ex.map((e) => `${e.output}: ${e.text}`) };
}

function tbValue(system: string, value: string | number, display: string, standard?: CodeDef): CodeableConcept {
  const codings = [{ system: SYSTEMS.tbStaging, code: `${system}:${value}`, display }];
  return { coding: standard ? [coding(standard), ...codings] : codings, text: display };
}

/** TumorSize (LOINC 21889-1) with the longest dimension component (33728-7) in cm, when the size is recorded. */
function tumorSize(c: TumorContext): Observation[] {
  if (c.tumor.sizeCm === undefined) return [];
  return [observation(c, {
    kind: 'size', profile: PROFILES.tumorSize, code: OBSERVATION_CODES.tumorSize, category: CATEGORIES.imaging,
    rest: { component: [{ code: concept(OBSERVATION_CODES.tumorLongestDimension), valueQuantity: { value: c.tumor.sizeCm, ...UNITS.cm } }] },
  })];
}

/**
 * Stage observations computed by the rules engine: AJCC 8 (TNMStageGroup with T/N/M categories as members),
 * Enneking/MSTS and IRS/COG RMS stage (CancerStage), RMS clinical group and COG risk. A value the engine left null
 * is not exported: unknown stays unknown. Each names the rule IDs that produced it (extension + note).
 */
function stageObservations(c: TumorContext): Observation[] {
  const a = c.assessment;
  if (!a) return [];
  const out: Observation[] = [];
  if (a.ajcc) {
    const members: Observation[] = [];
    const cat = [
      ['T', a.ajcc.T, PROFILES.tnmPrimaryTumorCategory, OBSERVATION_CODES.tnmPrimaryTumor],
      ['N', a.ajcc.N, PROFILES.tnmRegionalNodesCategory, OBSERVATION_CODES.tnmRegionalNodes],
      ['M', a.ajcc.M, PROFILES.tnmDistantMetastasesCategory, OBSERVATION_CODES.tnmDistantMetastases],
    ] as const;
    for (const [k, v, profile, code] of cat) {
      if (v === null) continue;
      const w = why(a, [`ajcc.${k}`]);
      members.push(observation(c, {
        kind: `ajcc-${k}`, profile, code, rules: w.rules, notes: w.notes,
        rest: { method: { ...concept(STAGING_METHODS.ajcc8), text: a.ajcc.scheme }, valueCodeableConcept: { coding: [{ system: SYSTEMS.ajcc, code: v, display: v }], text: v } },
      }));
    }
    if (a.ajcc.stageGroup !== null) {
      const w = why(a, ['ajcc.scheme', 'ajcc.T', 'ajcc.N', 'ajcc.M', 'ajcc.grade', 'ajcc.stageGroup']);
      out.push(observation(c, {
        kind: 'ajcc', profile: PROFILES.tnmStageGroup, code: OBSERVATION_CODES.tnmStageGroup, rules: w.rules, notes: w.notes,
        rest: {
          method: { ...concept(STAGING_METHODS.ajcc8), text: a.ajcc.scheme },
          valueCodeableConcept: { coding: [{ system: SYSTEMS.ajcc, code: a.ajcc.stageGroup, display: `Stage ${a.ajcc.stageGroup}` }], text: `Stage ${a.ajcc.stageGroup}` },
          hasMember: members.map((m) => ref(m)),
        },
      }));
    }
    out.push(...members);
  }
  if (a.enneking?.stage) {
    const stage = a.enneking.substage ?? a.enneking.stage;
    const w = why(a, ['enneking.stage', 'enneking.substage']);
    out.push(observation(c, {
      kind: 'enneking', profile: PROFILES.cancerStage, code: OBSERVATION_CODES.cancerStage, rules: w.rules, notes: w.notes,
      rest: { method: concept(STAGING_METHODS.enneking), valueCodeableConcept: tbValue('enneking', stage, `Enneking ${stage}`) },
    }));
  }
  if (a.rms) {
    const r = a.rms;
    if (r.stage !== null) {
      const w = why(a, ['rms.siteCategory', 'rms.stage']);
      out.push(observation(c, {
        kind: 'rms-stage', profile: PROFILES.cancerStage, code: OBSERVATION_CODES.cancerStage, rules: w.rules, notes: w.notes,
        rest: { method: concept(STAGING_METHODS.irsCogStage), valueCodeableConcept: tbValue('rms-stage', r.stage, `IRS/COG stage ${r.stage}`) },
      }));
    }
    if (r.clinicalGroup !== null) {
      const w = why(a, ['rms.clinicalGroup']);
      out.push(observation(c, {
        kind: 'rms-clinical-group', profile: PROFILES.rhabdomyosarcomaClinicalGroupStage, code: OBSERVATION_CODES.rmsClinicalGroup,
        rules: w.rules, notes: w.notes,
        rest: { method: concept(STAGING_METHODS.irsClinicalGroup), valueCodeableConcept: tbValue('rms-group', r.clinicalGroup, `IRS clinical group ${r.clinicalGroup}`, RMS_GROUP_NCIT[r.clinicalGroup]) },
      }));
    }
    const fusion = r.cogRiskFusionBased !== null;
    const risk = r.cogRiskFusionBased ?? r.cogRiskHistologyBased;
    if (risk !== null) {
      const w = why(a, [fusion ? 'rms.cogRiskFusionBased' : 'rms.cogRiskHistologyBased']);
      out.push(observation(c, {
        kind: 'rms-risk', profile: PROFILES.rhabdomyosarcomaRiskAssessment, code: OBSERVATION_CODES.rmsRiskAssessment,
        rules: w.rules, notes: w.notes,
        rest: {
          method: { ...concept(STAGING_METHODS.cogRisk), text: fusion ? 'FOXO1 fusion-based COG risk' : 'histology-based COG risk' },
          valueCodeableConcept: tbValue('rms-risk', risk, `COG ${risk} risk`, RMS_RISK_VALUES[risk]),
        },
      }));
    }
  }
  return out;
}

/** IRS clinical group → NCIt code, where the value set has one (groups I–III; subgroups map to their group). */
const RMS_GROUP_NCIT: Readonly<Record<string, CodeDef | undefined>> = {
  I: { system: SYSTEMS.ncit, code: 'C148012', display: 'Intergroup Rhabdomyosarcoma Group I' },
  IIA: { system: SYSTEMS.ncit, code: 'C148015', display: 'Intergroup Rhabdomyosarcoma Group II' },
  IIB: { system: SYSTEMS.ncit, code: 'C148015', display: 'Intergroup Rhabdomyosarcoma Group II' },
  IIC: { system: SYSTEMS.ncit, code: 'C148015', display: 'Intergroup Rhabdomyosarcoma Group II' },
  III: { system: SYSTEMS.ncit, code: 'C148019', display: 'Intergroup Rhabdomyosarcoma Group III' },
};

/** HistologicGrade, one per grading scale recorded (FNCLCC, POG, two-tier). */
function histologicGrade(c: TumorContext): Observation[] {
  const g = c.tumor.details.grade;
  if (!g) return [];
  const rows = [
    ['fnclcc', g.fnclcc, 'FNCLCC grade'], ['pog', g.pog, 'POG grade'], ['two-tier', g.twoTier, 'Two-tier grade'],
  ] as const;
  return rows.filter(([, v]) => v !== undefined).map(([scale, v, label]) => observation(c, {
    kind: `grade-${scale}`, profile: PROFILES.histologicGrade, code: OBSERVATION_CODES.histologicGrade,
    rest: { valueCodeableConcept: { coding: [{ system: SYSTEMS.tbGrade, code: `${scale}-${String(v)}`, display: `${label} ${String(v)}` }], text: `${label} ${String(v)}` } },
  }));
}

/** Lansky Play-Performance, Karnofsky or ECOG, where recorded. */
function performance(c: TumorContext): Observation[] {
  const p = c.tumor.details.performance;
  if (!p) return [];
  const spec = {
    lansky: [PROFILES.lanskyPlayPerformanceStatus, OBSERVATION_CODES.lansky],
    karnofsky: [PROFILES.karnofskyPerformanceStatus, OBSERVATION_CODES.karnofsky],
    ecog: [PROFILES.ecogPerformanceStatus, OBSERVATION_CODES.ecog],
  } as const;
  const [profile, code] = spec[p.scale];
  const interp = p.scale === 'lansky' ? LANSKY_VALUES[p.value] : undefined;
  return [observation(c, {
    kind: `performance-${p.scale}`, profile, code, category: CATEGORIES.survey,
    rest: compact({ valueInteger: p.value, interpretation: interp ? [concept(interp)] : undefined }),
  })];
}

/**
 * GenomicVariant for fusions: FOXO1 (RMS) positive/negative, EWSR1 rearrangement, other fusion partners. The raw
 * case-facts values travel in components coded with the TumorBoard case-fact system, so an import can restore them.
 */
function genomicVariants(c: TumorContext): Observation[] {
  const m = c.tumor.details.molecular;
  if (!m) return [];
  const out: Observation[] = [];
  const raw = (path: string, value: string) => ({ code: { coding: [{ system: SYSTEMS.tbCaseFact, code: path }] }, valueString: value });
  if (m.foxo1Fusion === 'positive' || m.foxo1Fusion === 'negative') {
    const name = m.foxo1Fusion === 'positive' && m.fusionPartner ? `${m.fusionPartner}::FOXO1` : 'FOXO1 fusion';
    out.push(observation(c, {
      kind: 'fusion-foxo1', profile: PROFILES.genomicVariant, code: OBSERVATION_CODES.genomicVariant,
      rest: {
        valueCodeableConcept: concept(m.foxo1Fusion === 'positive' ? LOINC_ANSWERS.present : LOINC_ANSWERS.absent),
        component: [
          { code: concept(VARIANT_COMPONENTS.geneStudied), valueCodeableConcept: { text: 'FOXO1' } },
          { code: concept(VARIANT_COMPONENTS.variationCode), valueCodeableConcept: { text: name } },
          raw('molecular.foxo1Fusion', m.foxo1Fusion),
          ...(m.fusionPartner ? [raw('molecular.fusionPartner', m.fusionPartner)] : []),
        ],
      },
    }));
  }
  const other = m.ewsr1Fusion ?? (m.foxo1Fusion === undefined ? m.fusionPartner : undefined);
  if (other) {
    const gene = m.ewsr1Fusion ? 'EWSR1' : other.split('::')[0]!;
    out.push(observation(c, {
      kind: 'fusion', profile: PROFILES.genomicVariant, code: OBSERVATION_CODES.genomicVariant,
      rest: {
        valueCodeableConcept: concept(LOINC_ANSWERS.present),
        component: [
          { code: concept(VARIANT_COMPONENTS.geneStudied), valueCodeableConcept: { text: gene } },
          { code: concept(VARIANT_COMPONENTS.variationCode), valueCodeableConcept: { text: other } },
          ...(m.ewsr1Fusion ? [raw('molecular.ewsr1Fusion', m.ewsr1Fusion)] : []),
          ...(m.fusionPartner && m.foxo1Fusion === undefined ? [raw('molecular.fusionPartner', m.fusionPartner)] : []),
        ],
      },
    }));
  }
  return out;
}

/** CancerDiseaseStatus from the recorded disease status (SNOMED trend value with TumorBoard's value beside it). */
function diseaseStatus(c: TumorContext): Observation[] {
  const s = c.tumor.details.diseaseStatus;
  if (!s) return [];
  const display = s.replace(/_/g, ' ');
  return [observation(c, {
    kind: 'disease-status', profile: PROFILES.cancerDiseaseStatus, code: OBSERVATION_CODES.cancerDiseaseStatus, category: CATEGORIES.examination,
    rest: {
      effectiveDateTime: c.tumor.updatedAt,
      valueCodeableConcept: { coding: [coding(DISEASE_STATUS[s]), { system: SYSTEMS.tbDiseaseStatus, code: s, display }], text: display },
    },
  })];
}

/** Every resource one tumour maps to: primary (and secondary) conditions and its observations. */
export function tumorResources(c: TumorContext): Resource[] {
  const stages = stageObservations(c);
  const groups = stages.filter((o) => !o.id!.includes('-ajcc-') && !o.id!.endsWith('-rms-risk'));
  const primary = primaryCondition(c, groups.map((o) => ref(o)));
  return [
    primary, ...secondaryConditions(c), ...tumorSize(c), ...stages, ...histologicGrade(c), ...performance(c),
    ...genomicVariants(c), ...diseaseStatus(c),
  ];
}
