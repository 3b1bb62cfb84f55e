/**
 * FHIR R4 / mCODE STU4 constants shared by export and import (issue #8). Everything here is data: profile
 * canonicals, code systems, the codes TumorBoard uses per observation kind, identifier systems and extension URLs.
 * Both directions import from this file so that what export writes, import recognises.
 *
 * Canonical base: http://hl7.org/fhir/us/mcode/StructureDefinition/ (mCODE 4.0.0, STU4).
 * Where mCODE has no profile (CarePlan, the conference recommendation) the base R4 resource canonical is used.
 */

export const MCODE_BASE = 'http://hl7.org/fhir/us/mcode/StructureDefinition/' as const;
export const FHIR_BASE = 'http://hl7.org/fhir/StructureDefinition/' as const;

/** mCODE STU4 profile canonicals, one per resource kind TumorBoard exports. */
export const PROFILES = {
  cancerPatient: `${MCODE_BASE}mcode-cancer-patient`,
  primaryCancerCondition: `${MCODE_BASE}mcode-primary-cancer-condition`,
  secondaryCancerCondition: `${MCODE_BASE}mcode-secondary-cancer-condition`,
  tumorSize: `${MCODE_BASE}mcode-tumor-size`,
  tnmStageGroup: `${MCODE_BASE}mcode-tnm-stage-group`,
  tnmPrimaryTumorCategory: `${MCODE_BASE}mcode-tnm-primary-tumor-category`,
  tnmRegionalNodesCategory: `${MCODE_BASE}mcode-tnm-regional-nodes-category`,
  tnmDistantMetastasesCategory: `${MCODE_BASE}mcode-tnm-distant-metastases-category`,
  cancerStage: `${MCODE_BASE}mcode-cancer-stage`,
  rhabdomyosarcomaClinicalGroupStage: `${MCODE_BASE}mcode-rhabdomyosarcoma-clinical-group-stage`,
  rhabdomyosarcomaRiskAssessment: `${MCODE_BASE}mcode-rhabdomyosarcoma-risk-assessment`,
  histologicGrade: `${MCODE_BASE}mcode-histologic-grade`,
  lanskyPlayPerformanceStatus: `${MCODE_BASE}mcode-lansky-play-performance-status`,
  karnofskyPerformanceStatus: `${MCODE_BASE}mcode-karnofsky-performance-status`,
  ecogPerformanceStatus: `${MCODE_BASE}mcode-ecog-performance-status`,
  genomicVariant: `${MCODE_BASE}mcode-genomic-variant`,
  cancerDiseaseStatus: `${MCODE_BASE}mcode-cancer-disease-status`,
  cancerRelatedMedicationRequest: `${MCODE_BASE}mcode-cancer-related-medication-request`,
  cancerRelatedMedicationAdministration: `${MCODE_BASE}mcode-cancer-related-medication-administration`,
  cancerRelatedSurgicalProcedure: `${MCODE_BASE}mcode-cancer-related-surgical-procedure`,
  radiotherapyCourseSummary: `${MCODE_BASE}mcode-radiotherapy-course-summary`,
  /** No mCODE profile: base R4 canonicals. */
  carePlan: `${FHIR_BASE}CarePlan`,
  clinicalImpression: `${FHIR_BASE}ClinicalImpression`,
  organization: `${FHIR_BASE}Organization`,
  /** A benign tumour (ICD-O-3 behaviour /0) is not a cancer: base Condition, same elements as a primary cancer. */
  condition: `${FHIR_BASE}Condition`,
} as const;
export type ProfileKey = keyof typeof PROFILES;
export type ProfileUrl = (typeof PROFILES)[ProfileKey];

/** Every resource type a patient's export holds (`$everything`, bulk export files in this order, read by id). */
export const EXPORTED_TYPES = [
  'Patient', 'Organization', 'Condition', 'Observation', 'CarePlan', 'MedicationRequest', 'MedicationAdministration',
  'Procedure', 'ClinicalImpression',
] as const;

/** Code system URIs. `TB_*` systems are TumorBoard's own vocabularies (staging values with no standard code). */
export const SYSTEMS = {
  icdO3: 'http://terminology.hl7.org/CodeSystem/icd-o-3',
  snomed: 'http://snomed.info/sct',
  loinc: 'http://loinc.org',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  ucum: 'http://unitsofmeasure.org',
  ajcc: 'http://cancerstaging.org',
  ncit: 'http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl',
  hgnc: 'http://www.genenames.org/geneId',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  administrativeGender: 'http://hl7.org/fhir/administrative-gender',
  identifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  dataAbsentReason: 'http://terminology.hl7.org/CodeSystem/data-absent-reason',
  /**
   * TumorBoard's staging/risk values: code = `<system>:<value>` as the app shows it, e.g. `enneking:IIB`,
   * `rms-stage:2`, `rms-group:IIA`, `rms-risk:intermediate`, `ajcc:IIA`, `ajcc-T:T1`.
   */
  tbStaging: 'urn:tumorboard:codesystem:staging',
  /** TumorBoard's staging system names (method of a stage observation): code = assessment key, e.g. `enneking`. */
  tbStagingSystem: 'urn:tumorboard:codesystem:staging-system',
  /** TumorBoard rule IDs (clinical/rules.md), e.g. R-AJCC-BONE-STAGE. */
  tbRule: 'urn:tumorboard:codesystem:rule',
  /** Case-facts disease status (newly_diagnosed, relapsed, refractory, progressive), written beside the SNOMED code. */
  tbDiseaseStatus: 'urn:tumorboard:codesystem:disease-status',
  /** Treatment template IDs, e.g. T-OS-MAP. */
  tbTemplate: 'urn:tumorboard:codesystem:template',
  /** Case-facts field paths (component codes carrying a raw fact, e.g. `molecular.fusionPartner`). */
  tbCaseFact: 'urn:tumorboard:codesystem:case-fact',
  /** Histologic grade values: `fnclcc-1..3`, `pog-1..3`, `two-tier-low|high`. */
  tbGrade: 'urn:tumorboard:codesystem:grade',
  /** Resection margin (Procedure.outcome): R0, R1, R2. */
  tbMargin: 'urn:tumorboard:codesystem:margin',
  /** Surgery types of the plan vocabulary (resection, limb_salvage, …). */
  tbSurgeryType: 'urn:tumorboard:codesystem:surgery-type',
  /** Radiation fields of the case facts (chest_wall, extremity, …). */
  tbRadiationField: 'urn:tumorboard:codesystem:radiation-field',
  /** Metastatic site names of the case facts (lung, bone, bone_marrow, …). */
  tbMetastaticSite: 'urn:tumorboard:codesystem:metastatic-site',
  /** Chemotherapy agent names as written in plans (doxorubicin, …) when no RxNorm code is known. */
  tbAgent: 'urn:tumorboard:codesystem:agent',
} as const;

/** Identifier systems. The MRN system is per institution: `urn:tumorboard:<institution code>:mrn`. */
export const IDENTIFIER_SYSTEMS = {
  mrn: (institutionCode: string): string => `urn:tumorboard:${institutionCode.toLowerCase()}:mrn`,
  /** Matches any institution's MRN system; capture group 1 is the institution code. */
  mrnPattern: /^urn:tumorboard:([a-z0-9_-]+):mrn$/,
  /** TumorBoard's own record ids (patient, tumour, case, plan): value = the UUID. */
  tumorboardId: 'urn:tumorboard:id',
} as const;

/** Extension URLs. mCODE extensions live under the mCODE base. */
export const EXTENSIONS = {
  histologyMorphologyBehavior: `${MCODE_BASE}mcode-histology-morphology-behavior`,
  bodyLocationQualifier: `${MCODE_BASE}mcode-body-location-qualifier`,
  lateralityQualifier: `${MCODE_BASE}mcode-laterality-qualifier`,
  relatedCondition: `${MCODE_BASE}mcode-related-condition`,
  procedureIntent: `${MCODE_BASE}mcode-procedure-intent`,
  /** Diagnosis date on a cancer condition (core R4 extension, valueDateTime). */
  assertedDate: 'http://hl7.org/fhir/StructureDefinition/condition-assertedDate',
  /** Patient needs an interpreter (core R4 extension, valueBoolean). */
  interpreterRequired: 'http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired',
  /** mCODE radiotherapy dose delivered (complex: totalDoseDelivered Quantity, fractionsDelivered unsignedInt). */
  radiotherapyDoseDeliveredToVolume: `${MCODE_BASE}mcode-radiotherapy-dose-delivered-to-volume`,
  /** Rule IDs that produced a computed value (TumorBoard extension; valueString per rule, repeated). */
  ruleId: 'urn:tumorboard:extension:rule-id',
  /**
   * TumorBoard-to-TumorBoard round trip, on PrimaryCancerCondition: the site category (valueCode, rules.md §3.9) and
   * the tumour's case-facts details (valueString: canonical JSON of `Tumor.details`), which staging is computed
   * from. Outside EHRs will not send them; an importer uses them when present and the standard elements otherwise.
   */
  siteCategory: 'urn:tumorboard:extension:site-category',
  tumorDetails: 'urn:tumorboard:extension:tumor-details',
  /** Free-text summaries on PrimaryCancerCondition (valueString). */
  pathologySummary: 'urn:tumorboard:extension:pathology-summary',
  imagingSummary: 'urn:tumorboard:extension:imaging-summary',
  /** The case-facts path a component or observation carries verbatim (valueString), e.g. `molecular.foxo1Fusion`. */
  caseFactPath: 'urn:tumorboard:extension:case-fact-path',
} as const;

/** A coding as plain data (assignable to @medplum/fhirtypes Coding). */
export interface CodeDef {
  readonly system: string;
  readonly code: string;
  readonly display: string;
}

/** Observation codes, one per observation kind TumorBoard writes (and import recognises). */
export const OBSERVATION_CODES = {
  tumorSize: { system: SYSTEMS.loinc, code: '21889-1', display: 'Size Tumor' },
  tumorLongestDimension: { system: SYSTEMS.loinc, code: '33728-7', display: 'Size.maximum dimension in Tumor' },
  /** AJCC stage group (combined, clinical when pre-treatment). */
  tnmStageGroup: { system: SYSTEMS.loinc, code: '21908-9', display: 'Stage group.clinical Cancer' },
  tnmPrimaryTumor: { system: SYSTEMS.loinc, code: '21905-5', display: 'Primary tumor.clinical [Class] Cancer' },
  tnmRegionalNodes: { system: SYSTEMS.loinc, code: '21906-3', display: 'Regional lymph nodes.clinical [Class] Cancer' },
  tnmDistantMetastases: { system: SYSTEMS.loinc, code: '21907-1', display: 'Distant metastases.clinical [Class] Cancer' },
  /** Generic cancer stage (Enneking/MSTS, IRS/COG pretreatment stage). */
  cancerStage: { system: SYSTEMS.loinc, code: '21908-9', display: 'Stage group.clinical Cancer' },
  rmsClinicalGroup: { system: SYSTEMS.snomed, code: '405916000', display: 'Intergroup rhabdomyosarcoma study post-surgical clinical group (observable entity)' },
  rmsRiskAssessment: { system: SYSTEMS.ncit, code: 'C148010', display: 'Intergroup Rhabdomyosarcoma Study Group Clinical Staging and Grouping System' },
  histologicGrade: { system: SYSTEMS.loinc, code: '33732-9', display: 'Histology grade [Identifier] in Cancer specimen' },
  lansky: { system: SYSTEMS.ncit, code: 'C38144', display: 'Lansky Play-Performance Status' },
  karnofsky: { system: SYSTEMS.loinc, code: '89243-0', display: 'Karnofsky Performance Status score' },
  ecog: { system: SYSTEMS.loinc, code: '89247-1', display: 'ECOG Performance Status score' },
  genomicVariant: { system: SYSTEMS.loinc, code: '69548-6', display: 'Genetic variant assessment' },
  cancerDiseaseStatus: { system: SYSTEMS.loinc, code: '97509-4', display: 'Cancer disease status' },
  radiotherapyCourseSummary: { system: SYSTEMS.snomed, code: '1217123003', display: 'Radiotherapy course of treatment (regime/therapy)' },
} as const satisfies Record<string, CodeDef>;

/** Genomic variant components (mCODE GenomicVariant / genomics-reporting). */
export const VARIANT_COMPONENTS = {
  geneStudied: { system: SYSTEMS.loinc, code: '48018-6', display: 'Gene studied [ID]' },
  /** Structural variant (fusion) name as text. */
  variationCode: { system: SYSTEMS.loinc, code: '81252-9', display: 'Discrete genetic variant' },
  genomicDnaChangeType: { system: SYSTEMS.loinc, code: '48019-4', display: 'DNA change [Type]' },
} as const satisfies Record<string, CodeDef>;

export const LOINC_ANSWERS = {
  present: { system: SYSTEMS.loinc, code: 'LA9633-4', display: 'Present' },
  absent: { system: SYSTEMS.loinc, code: 'LA9634-2', display: 'Absent' },
} as const satisfies Record<string, CodeDef>;

/** Observation categories. */
export const CATEGORIES = {
  laboratory: { system: SYSTEMS.observationCategory, code: 'laboratory', display: 'Laboratory' },
  survey: { system: SYSTEMS.observationCategory, code: 'survey', display: 'Survey' },
  imaging: { system: SYSTEMS.observationCategory, code: 'imaging', display: 'Imaging' },
  examination: { system: SYSTEMS.observationCategory, code: 'exam', display: 'Exam' },
} as const satisfies Record<string, CodeDef>;

/** Staging method codes (Observation.method). AJCC 8th edition uses the AJCC system. */
export const STAGING_METHODS = {
  ajcc8: { system: SYSTEMS.snomed, code: '897275008', display: 'American Joint Commission on Cancer, Cancer Staging Manual, 8th edition neoplasm staging system (tumor staging)' },
  enneking: { system: SYSTEMS.tbStagingSystem, code: 'enneking', display: 'Enneking/MSTS surgical staging system' },
  irsCogStage: { system: SYSTEMS.tbStagingSystem, code: 'rms-stage', display: 'IRS/COG rhabdomyosarcoma pretreatment (TNM-based) stage' },
  irsClinicalGroup: { system: SYSTEMS.tbStagingSystem, code: 'rms-clinical-group', display: 'IRS rhabdomyosarcoma clinical group' },
  cogRisk: { system: SYSTEMS.tbStagingSystem, code: 'rms-cog-risk', display: 'COG rhabdomyosarcoma risk group' },
} as const satisfies Record<string, CodeDef>;

/** Condition clinical status and verification codes used on cancer conditions. */
export const CONDITION_STATUS = {
  active: { system: SYSTEMS.conditionClinical, code: 'active', display: 'Active' },
  relapse: { system: SYSTEMS.conditionClinical, code: 'relapse', display: 'Relapse' },
  confirmed: { system: SYSTEMS.conditionVerification, code: 'confirmed', display: 'Confirmed' },
} as const satisfies Record<string, CodeDef>;

/** Laterality qualifiers (SNOMED CT) by TumorBoard laterality. `not_applicable` has no code. */
export const LATERALITY = {
  left: { system: SYSTEMS.snomed, code: '7771000', display: 'Left (qualifier value)' },
  right: { system: SYSTEMS.snomed, code: '24028007', display: 'Right (qualifier value)' },
  bilateral: { system: SYSTEMS.snomed, code: '51440002', display: 'Right and left (qualifier value)' },
  midline: { system: SYSTEMS.snomed, code: '260528009', display: 'Median (qualifier value)' },
} as const satisfies Record<string, CodeDef>;

/** Metastatic sites of the case facts → SNOMED CT body structure (SecondaryCancerCondition.bodySite). */
export const METASTATIC_SITES = {
  lung: { system: SYSTEMS.snomed, code: '39607008', display: 'Lung structure (body structure)' },
  pleura: { system: SYSTEMS.snomed, code: '3120008', display: 'Pleural membrane structure (body structure)' },
  bone: { system: SYSTEMS.snomed, code: '272673000', display: 'Bone structure (body structure)' },
  bone_marrow: { system: SYSTEMS.snomed, code: '14016003', display: 'Bone marrow structure (body structure)' },
  distant_lymph_nodes: { system: SYSTEMS.snomed, code: '59441001', display: 'Structure of lymph node (body structure)' },
  liver: { system: SYSTEMS.snomed, code: '10200004', display: 'Liver structure (body structure)' },
  brain: { system: SYSTEMS.snomed, code: '12738006', display: 'Brain structure (body structure)' },
  other: { system: SYSTEMS.tbMetastaticSite, code: 'other', display: 'Other site' },
} as const satisfies Record<string, CodeDef>;

/** Metastatic neoplasm (SecondaryCancerCondition.code when no ICD-O-3 code fits). */
export const SECONDARY_NEOPLASM = { system: SYSTEMS.snomed, code: '128462008', display: 'Metastatic malignant neoplasm (disorder)' } as const satisfies CodeDef;

/** Lansky Play-Performance values (NCIt, mCODE LanskyPlayPerformanceStatusVS), used as Observation.interpretation. */
export const LANSKY_VALUES: Readonly<Record<number, CodeDef>> = {
  0: { system: SYSTEMS.ncit, code: 'C70538', display: 'Lansky Performance Status 0' },
  10: { system: SYSTEMS.ncit, code: 'C70539', display: 'Lansky Performance Status 10' },
  20: { system: SYSTEMS.ncit, code: 'C70540', display: 'Lansky Performance Status 20' },
  30: { system: SYSTEMS.ncit, code: 'C70541', display: 'Lansky Performance Status 30' },
  40: { system: SYSTEMS.ncit, code: 'C70542', display: 'Lansky Performance Status 40' },
  50: { system: SYSTEMS.ncit, code: 'C69421', display: 'Lansky Performance Status 50' },
  60: { system: SYSTEMS.ncit, code: 'C69422', display: 'Lansky Performance Status 60' },
  70: { system: SYSTEMS.ncit, code: 'C69423', display: 'Lansky Performance Status 70' },
  80: { system: SYSTEMS.ncit, code: 'C69424', display: 'Lansky Performance Status 80' },
  90: { system: SYSTEMS.ncit, code: 'C69425', display: 'Lansky Performance Status 90' },
  100: { system: SYSTEMS.ncit, code: 'C69426', display: 'Lansky Performance Status 100' },
};

/** Cancer disease status values (mCODE ConditionStatusTrendVS, SNOMED CT) by TumorBoard disease status. */
export const DISEASE_STATUS = {
  newly_diagnosed: { system: SYSTEMS.snomed, code: '709137006', display: 'Patient condition undetermined (situation)' },
  relapsed: { system: SYSTEMS.snomed, code: '271299001', display: "Patient's condition worsened (finding)" },
  /** Refractory disease has no trend of its own in the value set: undetermined, with TumorBoard's code beside it. */
  refractory: { system: SYSTEMS.snomed, code: '709137006', display: 'Patient condition undetermined (situation)' },
  progressive: { system: SYSTEMS.snomed, code: '271299001', display: "Patient's condition worsened (finding)" },
} as const satisfies Record<string, CodeDef>;

/** RMS risk values (mCODE RhabdomyosarcomaAssessmentValueVS). */
export const RMS_RISK_VALUES = {
  low: { system: SYSTEMS.snomed, code: '723505004', display: 'Low risk (qualifier value)' },
  intermediate: { system: SYSTEMS.ncit, code: 'C102402', display: 'Intermediate Risk' },
  high: { system: SYSTEMS.snomed, code: '723509005', display: 'High risk (qualifier value)' },
} as const satisfies Record<string, CodeDef>;

/** Procedure codes. */
export const PROCEDURE_CODES = {
  resection: { system: SYSTEMS.snomed, code: '65801008', display: 'Excision (procedure)' },
  biopsy: { system: SYSTEMS.snomed, code: '86273004', display: 'Biopsy (procedure)' },
  chemotherapy: { system: SYSTEMS.snomed, code: '367336001', display: 'Chemotherapy (procedure)' },
  radiotherapy: { system: SYSTEMS.snomed, code: '108290001', display: 'Radiation oncology AND/OR radiotherapy (procedure)' },
} as const satisfies Record<string, CodeDef>;

/** UCUM units used. */
export const UNITS = {
  cm: { system: SYSTEMS.ucum, code: 'cm', unit: 'cm' },
  mgPerM2: { system: SYSTEMS.ucum, code: 'mg/m2', unit: 'mg/m2' },
  gy: { system: SYSTEMS.ucum, code: 'Gy', unit: 'Gy' },
  percent: { system: SYSTEMS.ucum, code: '%', unit: '%' },
} as const;

/** FHIR resource types the read API serves (read and search). */
export const REST_TYPES = ['Patient', 'Condition', 'Observation', 'CarePlan', 'Procedure'] as const;
export type RestType = (typeof REST_TYPES)[number];

/**
 * Stable FHIR ids derived from TumorBoard ids: `<kind>-<uuid>` (or `<kind>-<uuid>-<suffix>` for several resources
 * from one record). FHIR ids allow [A-Za-z0-9-.]{1,64}; a UUID is 36 characters, so kind + suffix stay ≤ 27.
 */
export const ID_PREFIX = {
  patient: 'pt',
  primaryCondition: 'pcc',
  secondaryCondition: 'scc',
  observation: 'obs',
  carePlan: 'cp',
  recommendation: 'rec',
  medicationRequest: 'mr',
  medicationAdministration: 'ma',
  procedure: 'proc',
  organization: 'org',
} as const;
