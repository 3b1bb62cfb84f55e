import type { Bundle, BundleEntry, Organization, Patient as FhirPatient, PatientContact, Resource } from '@medplum/fhirtypes';
import { assess } from '../assess.js';
import { caseFactsFromRegistry } from '../facts/from-registry.js';
import type { CaseFacts } from '../facts/case-facts.js';
import type { Guardian, Tumor } from '../registry/types.js';
import { compact, ids, ref, type ExportInstitution, type PatientRecord } from './export-common.js';
import { planResources, recommendationResource, type PlanRefs } from './export-plan.js';
import { tumorResources, type TumorContext } from './export-tumor.js';
import { EXTENSIONS, IDENTIFIER_SYSTEMS, PROFILES, SYSTEMS } from './profiles.js';

export type { PatientRecord, ExportPlan, ExportRecommendation, ExportAdministration, ExportInstitution } from './export-common.js';

/** Guardian relationship → HL7 v3 RoleCode. */
const RELATIONSHIP = {
  mother: { code: 'MTH', display: 'mother' },
  father: { code: 'FTH', display: 'father' },
  guardian: { code: 'GUARD', display: 'guardian' },
  grandparent: { code: 'GRPRN', display: 'grandparent' },
} as const;

function contact(g: Guardian): PatientContact {
  const rel = g.relationship === 'other' ? undefined : RELATIONSHIP[g.relationship];
  const telecom = [
    ...(g.phone ? [{ system: 'phone' as const, value: g.phone }] : []),
    ...(g.email ? [{ system: 'email' as const, value: g.email }] : []),
  ];
  return compact({
    relationship: [rel ? { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', ...rel }], text: g.relationship } : { text: g.relationship }],
    name: { text: g.name },
    telecom: telecom.length ? telecom : undefined,
  });
}

/** The managing organisation (the institution): requester and author of plans, and owner of the MRN. */
export function organizationResource(institution: ExportInstitution): Organization {
  return {
    resourceType: 'Organization',
    id: ids.organization(institution.id),
    meta: { profile: [PROFILES.organization] },
    identifier: [{ system: 'urn:tumorboard:institution', value: institution.code }],
    active: true,
    name: institution.name,
  };
}

/**
 * CancerPatient (mCODE, on US Core Patient): MRN under the institution's identifier system and TumorBoard's id,
 * name, administrative gender, birth date, preferred language, interpreter need, home country and guardians.
 */
export function patientResource(rec: PatientRecord): FhirPatient {
  const p = rec.patient;
  return compact<FhirPatient>({
    resourceType: 'Patient',
    id: ids.patient(p.id),
    meta: { profile: [PROFILES.cancerPatient], lastUpdated: p.updatedAt },
    extension: [{ url: EXTENSIONS.interpreterRequired, valueBoolean: p.interpreterNeeded }],
    identifier: [
      {
        use: 'usual',
        type: { coding: [{ system: SYSTEMS.identifierType, code: 'MR', display: 'Medical record number' }] },
        system: IDENTIFIER_SYSTEMS.mrn(rec.institution.code),
        value: p.mrn,
      },
      { system: IDENTIFIER_SYSTEMS.tumorboardId, value: p.id },
    ],
    active: true,
    name: [{ use: 'official', family: p.familyName, given: [p.givenName] }],
    gender: p.sex,
    birthDate: p.birthDate,
    address: [{ country: p.homeCountry }],
    contact: p.guardians.length ? p.guardians.map(contact) : undefined,
    communication: [{ language: { text: p.preferredLanguage }, preferred: true }],
    managingOrganization: { reference: `Organization/${ids.organization(rec.institution.id)}` },
  });
}

/** Case facts and assessment of a registry tumour (both null when the facts do not pass the rules engine). */
export function assessTumor(rec: PatientRecord, tumor: Tumor): { facts: CaseFacts | null; assessment: TumorContext['assessment'] } {
  let facts: unknown;
  try {
    facts = caseFactsFromRegistry(rec.patient, tumor);
  } catch {
    return { facts: null, assessment: null };
  }
  const res = assess(facts);
  return res.ok ? { facts: facts as CaseFacts, assessment: res.assessment } : { facts: null, assessment: null };
}

/**
 * Every FHIR resource of one patient (issue #8 item 1), in a stable order: Organization, Patient, per tumour its
 * conditions and observations, per case its conference recommendation, plan, medication requests and what was given.
 * Ids derive from TumorBoard ids, so two exports of the same records are identical and references resolve inside.
 */
export function patientResources(rec: PatientRecord): Resource[] {
  const org = organizationResource(rec.institution);
  const patient = patientResource(rec);
  const patientRef = ref(patient);
  const out: Resource[] = [org, patient];
  const tumorById = new Map(rec.tumors.map((t) => [t.id, t]));
  for (const tumor of rec.tumors) {
    out.push(...tumorResources({ tumor, patientRef, ...assessTumor(rec, tumor) }));
  }
  const planByCase = new Map(rec.plans.map((p) => [p.caseId, p]));
  const recByCase = new Map(rec.recommendations.map((r) => [r.caseId, r]));
  for (const c of rec.cases) {
    const refs: PlanRefs = { patient: patientRef, organization: ref(org), tumor: c.tumorId ? tumorById.get(c.tumorId) ?? null : null };
    const r = recByCase.get(c.id);
    const impression = r ? recommendationResource(r, refs) : undefined;
    if (impression) out.push(impression);
    const plan = planByCase.get(c.id);
    if (plan) out.push(...planResources(plan, refs, impression));
  }
  return out;
}

export interface BundleOptions {
  /** `searchset` for $everything and searches, `collection` for a file export. */
  type: 'searchset' | 'collection';
  /** When the bundle was assembled (ISO-8601): time is a parameter, the domain has no clock. */
  timestamp: string;
  /** The FHIR base the fullUrls are built on, e.g. `http://127.0.0.1:3000/fhir/R4`. */
  baseUrl: string;
  /** For a searchset: the total number of matches (defaults to the number of resources). */
  total?: number;
  /** Bundle links (self, next) for a searchset. */
  links?: Array<{ relation: string; url: string }>;
}

/** A Bundle of resources with fullUrls on the FHIR base (so relative references resolve inside the bundle). */
export function toBundle(resources: readonly Resource[], opts: BundleOptions): Bundle {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const entry: BundleEntry[] = resources.map((resource) => compact({
    fullUrl: `${base}/${resource.resourceType}/${resource.id!}`,
    resource,
    search: opts.type === 'searchset' ? { mode: 'match' as const } : undefined,
  }));
  return compact({
    resourceType: 'Bundle',
    type: opts.type,
    timestamp: opts.timestamp,
    total: opts.type === 'searchset' ? opts.total ?? resources.length : undefined,
    link: opts.links?.length ? opts.links : undefined,
    entry,
  } satisfies Bundle);
}

/** `tumorboard fhir export` / `$everything`: the patient's whole record as one Bundle. */
export function exportPatientBundle(rec: PatientRecord, opts: Omit<BundleOptions, 'total' | 'links'>): Bundle {
  return toBundle(patientResources(rec), opts);
}
