import type { CodeableConcept, Coding, Extension, Reference, Resource } from '@medplum/fhirtypes';
import type { Recommendation } from '../conference/types.js';
import type { Administration } from '../plan/concordance.js';
import type { PlanContent } from '../plan/plan.js';
import type { CaseRecord, Patient, Tumor } from '../registry/types.js';
import { EXTENSIONS, ID_PREFIX, type CodeDef } from './profiles.js';

/**
 * What the FHIR export maps (issue #8): registry rows of one patient as the store returns them. The mapping is pure:
 * no clock, no I/O; the assessment is recomputed from the case facts by the rules engine (itself pure).
 */
export interface ExportInstitution {
  id: string;
  code: string;
  name: string;
}

export interface ExportAdministration {
  id: string;
  data: Administration;
  createdAt: string;
}

export interface ExportPlan {
  id: string;
  caseId: string;
  /** draft | agreed | active | completed | stopped */
  status: string;
  version: number;
  startedOn: string | null;
  endedOn: string | null;
  createdAt: string;
  updatedAt: string;
  content: PlanContent;
  administrations: ExportAdministration[];
}

export interface ExportRecommendation {
  /** The agenda item that holds it. */
  itemId: string;
  caseId: string;
  /** Date of the conference (YYYY-MM-DD) when known. */
  conferenceDate: string | null;
  updatedAt: string;
  recommendation: Recommendation;
}

export interface PatientRecord {
  institution: ExportInstitution;
  patient: Patient;
  tumors: Tumor[];
  /** The patient's cases (only the link to the tumour is mapped; plans and recommendations hang off cases). */
  cases: Array<Pick<CaseRecord, 'id' | 'tumorId'>>;
  plans: ExportPlan[];
  recommendations: ExportRecommendation[];
}

/** A FHIR id from parts: only [A-Za-z0-9-.], at most 64 characters (R4 id rule). */
export function fhirId(prefix: string, ...parts: Array<string | number>): string {
  const id = [prefix, ...parts].join('-').replace(/[^A-Za-z0-9.-]/g, '-');
  if (id.length > 64) throw new Error(`FHIR id too long: ${id.length} characters`);
  return id;
}

export const ids = {
  patient: (patientId: string) => fhirId(ID_PREFIX.patient, patientId),
  organization: (institutionId: string) => fhirId(ID_PREFIX.organization, institutionId),
  primaryCondition: (tumorId: string) => fhirId(ID_PREFIX.primaryCondition, tumorId),
  secondaryCondition: (tumorId: string, site: string) => fhirId(ID_PREFIX.secondaryCondition, tumorId, site),
  observation: (tumorId: string, kind: string) => fhirId(ID_PREFIX.observation, tumorId, kind),
  carePlan: (planId: string) => fhirId(ID_PREFIX.carePlan, planId),
  recommendation: (itemId: string) => fhirId(ID_PREFIX.recommendation, itemId),
  medicationRequest: (planId: string, p: number, c: number, a: number) => fhirId(ID_PREFIX.medicationRequest, planId, `p${p}c${c}a${a}`),
  medicationAdministration: (administrationId: string, a: number) => fhirId(ID_PREFIX.medicationAdministration, administrationId, a),
  procedure: (administrationId: string) => fhirId(ID_PREFIX.procedure, administrationId),
};

/** The TumorBoard record id (a UUID) a FHIR id was derived from, and its prefix; undefined when not one of ours. */
export function parseFhirId(id: string): { prefix: string; recordId: string } | undefined {
  const m = /^([a-z]+)-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:-.*)?$/i.exec(id);
  return m ? { prefix: m[1]!, recordId: m[2]!.toLowerCase() } : undefined;
}

export function coding(c: CodeDef): Coding {
  return { system: c.system, code: c.code, display: c.display };
}

export function concept(c: CodeDef, text?: string): CodeableConcept {
  return text === undefined ? { coding: [coding(c)] } : { coding: [coding(c)], text };
}

export function ref<T extends Resource>(r: T, display?: string): Reference<T> {
  return display === undefined ? { reference: `${r.resourceType}/${r.id!}` } : { reference: `${r.resourceType}/${r.id!}`, display };
}

/** One extension per rule ID that produced a computed value (the rules.md IDs, in order, without repeats). */
export function ruleExtensions(rules: readonly string[]): Extension[] {
  return [...new Set(rules)].map((r) => ({ url: EXTENSIONS.ruleId, valueString: r }));
}

/** Drops keys whose value is undefined (FHIR JSON has no nulls and the schema rejects them). */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k];
  return o;
}
