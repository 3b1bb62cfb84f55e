import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';
import { PROFILES, REST_TYPES } from './profiles.js';
import { SEARCH_PARAMS } from './search.js';

/** FHIR search parameter types by TumorBoard's parameter kinds. */
const PARAM_TYPE = { token: 'token', date: 'date', reference: 'reference' } as const;

/** Profiles each REST type may carry (CapabilityStatement.rest.resource.supportedProfile). */
const SUPPORTED_PROFILES: Record<(typeof REST_TYPES)[number], string[]> = {
  Patient: [PROFILES.cancerPatient],
  Condition: [PROFILES.primaryCancerCondition, PROFILES.secondaryCancerCondition, PROFILES.condition],
  Observation: [
    PROFILES.tumorSize, PROFILES.tnmStageGroup, PROFILES.tnmPrimaryTumorCategory, PROFILES.tnmRegionalNodesCategory,
    PROFILES.tnmDistantMetastasesCategory, PROFILES.cancerStage, PROFILES.rhabdomyosarcomaClinicalGroupStage,
    PROFILES.rhabdomyosarcomaRiskAssessment, PROFILES.histologicGrade, PROFILES.lanskyPlayPerformanceStatus,
    PROFILES.karnofskyPerformanceStatus, PROFILES.ecogPerformanceStatus, PROFILES.genomicVariant, PROFILES.cancerDiseaseStatus,
  ],
  CarePlan: [PROFILES.carePlan],
  Procedure: [PROFILES.cancerRelatedSurgicalProcedure, PROFILES.radiotherapyCourseSummary],
};

/** Types that can be read by id (they appear in `$everything`) but not searched. */
const READ_ONLY_TYPES = ['Organization', 'MedicationRequest', 'MedicationAdministration', 'ClinicalImpression'] as const;

/**
 * `GET /fhir/R4/metadata`: what the read-only API serves (issue #8 item 4). `date` is a parameter (the domain has
 * no clock); `transaction` is the import (POST /fhir/R4).
 */
export function capabilityStatement(opts: { baseUrl: string; date: string; version: string }): CapabilityStatement {
  const searchable: CapabilityStatementRestResource[] = REST_TYPES.map((type) => ({
    type,
    supportedProfile: SUPPORTED_PROFILES[type],
    interaction: [{ code: 'read' }, { code: 'search-type' }],
    searchParam: [
      { name: '_id', type: 'token' },
      { name: '_count', type: 'number', documentation: 'page size, 0–1000 (default 50)' },
      { name: '_offset', type: 'number', documentation: 'index of the first match of the page' },
      ...Object.entries(SEARCH_PARAMS[type]).map(([name, kind]) => ({
        name, type: PARAM_TYPE[kind],
        ...(kind === 'date' ? { documentation: 'day precision; prefixes eq, ge, le, gt, lt' } : {}),
      })),
    ],
    ...(type === 'Patient' ? { operation: [
      { name: 'everything', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything' },
      { name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export' },
    ] } : {}),
  }));
  const readable: CapabilityStatementRestResource[] = READ_ONLY_TYPES.map((type) => ({ type, interaction: [{ code: 'read' }] }));
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: opts.date,
    publisher: 'TumorBoard',
    kind: 'instance',
    software: { name: 'TumorBoard', version: opts.version },
    implementation: { description: 'TumorBoard FHIR R4 API (mCODE STU4 profiles)', url: opts.baseUrl },
    fhirVersion: '4.0.1',
    format: ['json', 'application/fhir+json'],
    rest: [{
      mode: 'server',
      documentation: 'Read-only access to the records of the signed-in user\'s institution (session cookie or Authorization: Bearer <session token>); every access is audited. POST of a transaction Bundle imports records.',
      security: { cors: false, description: 'TumorBoard session required (except this statement); role needs patient.read.' },
      resource: [...searchable, ...readable],
      interaction: [{ code: 'transaction' }],
    }],
  };
}
