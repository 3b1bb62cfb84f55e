import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { AppError } from '../errors.js';
import { SYSTEMS } from './profiles.js';

/**
 * Structural checks of an incoming Bundle before anything is mapped (issue #8, "Bad input"): resource types,
 * bundle type and size, duplicate fullUrls / ids / identifiers, and references that resolve to nothing. Every
 * problem is collected with a FHIRPath-like location (`Bundle.entry[3].resource.subject.reference`) so the caller
 * gets one OperationOutcome naming all of them; nothing is written when any is found (all-or-nothing).
 */

/** The FHIR R4 resource types (from the R4 JSON schema's discriminator, Medplum's own types left out). */
export const R4_RESOURCE_TYPES: ReadonlySet<string> = new Set((
  'Account ActivityDefinition AdverseEvent AllergyIntolerance Appointment AppointmentResponse AuditEvent Basic Binary ' +
  'BiologicallyDerivedProduct BodyStructure Bundle CapabilityStatement CarePlan CareTeam CatalogEntry ChargeItem ' +
  'ChargeItemDefinition Claim ClaimResponse ClinicalImpression CodeSystem Communication CommunicationRequest ' +
  'CompartmentDefinition Composition ConceptMap Condition Consent Contract Coverage CoverageEligibilityRequest ' +
  'CoverageEligibilityResponse DetectedIssue Device DeviceDefinition DeviceMetric DeviceRequest DeviceUseStatement ' +
  'DiagnosticReport DocumentManifest DocumentReference EffectEvidenceSynthesis Encounter Endpoint EnrollmentRequest ' +
  'EnrollmentResponse EpisodeOfCare EventDefinition Evidence EvidenceVariable ExampleScenario ExplanationOfBenefit ' +
  'FamilyMemberHistory Flag Goal GraphDefinition Group GuidanceResponse HealthcareService ImagingStudy Immunization ' +
  'ImmunizationEvaluation ImmunizationRecommendation ImplementationGuide InsurancePlan Invoice Library Linkage List ' +
  'Location Measure MeasureReport Media Medication MedicationAdministration MedicationDispense MedicationKnowledge ' +
  'MedicationRequest MedicationStatement MedicinalProduct MedicinalProductAuthorization MedicinalProductContraindication ' +
  'MedicinalProductIndication MedicinalProductIngredient MedicinalProductInteraction MedicinalProductManufactured ' +
  'MedicinalProductPackaged MedicinalProductPharmaceutical MedicinalProductUndesirableEffect MessageDefinition ' +
  'MessageHeader MolecularSequence NamingSystem NutritionOrder Observation ObservationDefinition OperationDefinition ' +
  'OperationOutcome Organization OrganizationAffiliation Parameters Patient PaymentNotice PaymentReconciliation Person ' +
  'PlanDefinition Practitioner PractitionerRole Procedure Provenance Questionnaire QuestionnaireResponse RelatedPerson ' +
  'RequestGroup ResearchDefinition ResearchElementDefinition ResearchStudy ResearchSubject RiskAssessment ' +
  'RiskEvidenceSynthesis Schedule SearchParameter ServiceRequest Slot Specimen SpecimenDefinition StructureDefinition ' +
  'StructureMap Subscription Substance SubstanceNucleicAcid SubstancePolymer SubstanceProtein ' +
  'SubstanceReferenceInformation SubstanceSourceMaterial SubstanceSpecification SupplyDelivery SupplyRequest Task ' +
  'TerminologyCapabilities TestReport TestScript ValueSet VerificationResult VisionPrescription'
).split(' '));

/** Bundle types TumorBoard imports: a transaction (POST /fhir/R4), a batch, a collection, or a `$everything` page. */
export const IMPORTABLE_BUNDLE_TYPES = ['transaction', 'batch', 'collection', 'searchset'] as const;

/** Limits of one import (the HTTP body limit is MAX_BUNDLE_BYTES; a 1,000-patient bundle stays well inside). */
export const IMPORT_LIMITS = {
  /** Largest bundle accepted, in bytes (HTTP body limit and CLI file size). */
  maxBytes: 32 * 1024 * 1024,
  /** Most entries in one bundle. */
  maxEntries: 60_000,
  /** Most issues listed in one OperationOutcome (the rest are counted). */
  maxIssues: 50,
} as const;

/** OperationOutcome issue types TumorBoard uses for import problems (R4 issue-type value set). */
export type ImportIssueCode = 'invalid' | 'structure' | 'required' | 'value' | 'not-found' | 'duplicate' | 'conflict' | 'too-costly' | 'code-invalid' | 'not-supported';

export interface ImportIssue {
  code: ImportIssueCode;
  /** FHIRPath-like location, e.g. `Bundle.entry[2].resource.subject.reference`. */
  expression: string;
  message: string;
}

/**
 * A bundle that cannot be imported: an AppError (400, or 413 for size) whose issues name each location, and the
 * FHIR issue type per issue for the OperationOutcome.
 */
export class BundleImportError extends AppError {
  readonly fhirIssues: ImportIssue[];

  constructor(issues: ImportIssue[], total = issues.length) {
    const first = issues[0]!;
    const more = total > 1 ? ` (and ${total - 1} more problem${total > 2 ? 's' : ''})` : '';
    super(first.code === 'too-costly' ? 'payload_too_large' : first.code === 'conflict' ? 'conflict' : 'validation', `${first.expression}: ${first.message}${more}`, {
      issues: issues.map((i) => ({ field: i.expression, message: i.message })),
    });
    this.fhirIssues = issues;
  }
}

/** Collects issues and throws them together. */
export class IssueList {
  readonly items: ImportIssue[] = [];
  private total = 0;

  add(code: ImportIssueCode, expression: string, message: string): void {
    this.total++;
    if (this.items.length < IMPORT_LIMITS.maxIssues) this.items.push({ code, expression, message });
  }

  get empty(): boolean { return this.total === 0; }

  throwIfAny(): void {
    if (this.total > 0) throw new BundleImportError(this.items, this.total);
  }
}

/** Code systems import recognises. A coding with another system on an element that needs a code is an error. */
export const KNOWN_SYSTEMS: ReadonlySet<string> = new Set<string>([
  ...Object.values(SYSTEMS),
  'http://terminology.hl7.org/CodeSystem/v3-RoleCode',
  'http://terminology.hl7.org/CodeSystem/v2-0131',
  'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus',
  'urn:ietf:bcp:47',
  'http://hl7.org/fhir/ValueSet/languages',
  'http://hl7.org/fhir/sid/icd-10',
  'http://hl7.org/fhir/sid/icd-o-3',
  'http://hl7.org/fhir/us/mcode/CodeSystem/mcode-resource-identifier-cs',
  'http://terminology.hl7.org/CodeSystem/umls',
  'http://www.ama-assn.org/go/cpt',
]);

/** Resource types whose identifiers must be unique within one bundle. */
const IDENTIFIED_TYPES: ReadonlySet<string> = new Set(['Patient', 'Condition', 'Observation', 'Procedure']);

export interface IndexedEntry {
  index: number;
  /** `Bundle.entry[i].resource` */
  path: string;
  resource: Resource;
  fullUrl: string | undefined;
  /** `Type/id` when the resource has an id. */
  localRef: string | undefined;
}

export interface CheckedBundle {
  entries: IndexedEntry[];
  /** Reference string → the entry it names. */
  byRef: Map<string, IndexedEntry>;
  /** References to `Patient/<id>` that are not in the bundle: the service must find them among existing patients. */
  externalPatients: Map<string, string[]>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every `reference` string inside a resource, with its FHIRPath-like location (contained resources included). */
export function collectReferences(value: unknown, path: string, out: Array<{ path: string; reference: string }> = []): Array<{ path: string; reference: string }> {
  if (Array.isArray(value)) {
    value.forEach((v, i) => collectReferences(v, `${path}[${i}]`, out));
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push({ path: `${path}.reference`, reference: v });
      else if (typeof v === 'object' && v !== null) collectReferences(v, `${path}.${k}`, out);
    }
  }
  return out;
}

/** The `Type/id` tail of a reference or fullUrl (`http://x/fhir/Patient/1` → `Patient/1`), if it has one. */
export function refTail(ref: string): string | undefined {
  const m = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(ref);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/**
 * Checks the bundle's shape and integrity; throws a BundleImportError naming every problem found. `byteLength` (when
 * known) is checked against IMPORT_LIMITS.maxBytes.
 */
export function checkBundle(input: unknown, opts: { byteLength?: number } = {}): CheckedBundle {
  const issues = new IssueList();
  if (opts.byteLength !== undefined && opts.byteLength > IMPORT_LIMITS.maxBytes) {
    issues.add('too-costly', 'Bundle', `the bundle is ${(opts.byteLength / 1048576).toFixed(1)} MB; the limit is ${IMPORT_LIMITS.maxBytes / 1048576} MB (split it into smaller bundles)`);
    issues.throwIfAny();
  }
  if (!isObject(input)) {
    issues.add('structure', 'Bundle', 'expected a FHIR Bundle (a JSON object)');
    issues.throwIfAny();
  }
  const bundle = input as Bundle & Record<string, unknown>;
  if (bundle.resourceType !== 'Bundle') {
    issues.add('invalid', 'Bundle.resourceType', `expected "Bundle", got ${JSON.stringify(bundle.resourceType ?? null)}`);
    issues.throwIfAny();
  }
  if (!(IMPORTABLE_BUNDLE_TYPES as readonly string[]).includes(String(bundle.type))) {
    issues.add('value', 'Bundle.type', `expected one of ${IMPORTABLE_BUNDLE_TYPES.join(', ')}, got ${JSON.stringify(bundle.type ?? null)}`);
  }
  const rawEntries: unknown = bundle.entry ?? [];
  if (!Array.isArray(rawEntries)) {
    issues.add('structure', 'Bundle.entry', 'must be an array');
    issues.throwIfAny();
  }
  const list = rawEntries as unknown[];
  if (list.length > IMPORT_LIMITS.maxEntries) {
    issues.add('too-costly', 'Bundle.entry', `${list.length} entries; the limit is ${IMPORT_LIMITS.maxEntries} per bundle (split it into smaller bundles)`);
    issues.throwIfAny();
  }

  const entries: IndexedEntry[] = [];
  const byRef = new Map<string, IndexedEntry>();
  const identifiers = new Map<string, string>();
  list.forEach((raw, index) => {
    const at = `Bundle.entry[${index}]`;
    if (!isObject(raw)) { issues.add('structure', at, 'must be an object'); return; }
    const entry = raw as BundleEntry & Record<string, unknown>;
    if (bundle.type === 'searchset' && entry.search?.mode === 'outcome') return;
    const resource = entry.resource as (Resource & Record<string, unknown>) | undefined;
    if (!isObject(resource)) { issues.add('required', `${at}.resource`, 'every entry needs a resource'); return; }
    const type = resource.resourceType;
    if (typeof type !== 'string' || !R4_RESOURCE_TYPES.has(type)) {
      issues.add('invalid', `${at}.resource.resourceType`, `${JSON.stringify(type ?? null)} is not a FHIR R4 resource type`);
      return;
    }
    if (type === 'Bundle') { issues.add('not-supported', `${at}.resource`, 'nested bundles are not imported: send each bundle on its own'); return; }
    const method = entry.request?.method;
    if (bundle.type === 'transaction' || bundle.type === 'batch') {
      if (method !== 'POST' && method !== 'PUT') {
        issues.add('not-supported', `${at}.request.method`, `only POST and PUT entries are imported, got ${JSON.stringify(method ?? null)}`);
      }
    }
    const id = typeof resource.id === 'string' ? resource.id : undefined;
    if (id !== undefined && !/^[A-Za-z0-9\-.]{1,64}$/.test(id)) issues.add('value', `${at}.resource.id`, 'is not a valid FHIR id');
    const fullUrl = typeof entry.fullUrl === 'string' ? entry.fullUrl : undefined;
    const e: IndexedEntry = { index, path: `${at}.resource`, resource, fullUrl, localRef: id !== undefined ? `${type}/${id}` : undefined };
    for (const key of [fullUrl, e.localRef, fullUrl ? refTail(fullUrl) : undefined]) {
      if (key === undefined) continue;
      const seen = byRef.get(key);
      if (seen && seen !== e) {
        // The same key twice names two resources: references to it would be ambiguous.
        if (key === fullUrl || key === e.localRef) issues.add('duplicate', key === fullUrl ? `${at}.fullUrl` : `${at}.resource.id`, `${key} is already used by Bundle.entry[${seen.index}]`);
        continue;
      }
      byRef.set(key, e);
    }
    // Identifiers must be unique among the resources import writes from (patients are matched by them); other
    // resources may legitimately share a business identifier (e.g. several administrations of one recorded course).
    const ids = IDENTIFIED_TYPES.has(type) && Array.isArray(resource.identifier) ? resource.identifier : [];
    ids.forEach((ident: unknown, i: number) => {
      if (!isObject(ident) || typeof ident.value !== 'string') return;
      const key = `${type}|${String(ident.system ?? '')}|${ident.value}`;
      const prev = identifiers.get(key);
      if (prev !== undefined) {
        issues.add('duplicate', `${at}.resource.identifier[${i}]`, `two ${type} resources carry the same identifier (${String(ident.system ?? 'no system')}); the other is ${prev}`);
      } else {
        identifiers.set(key, `Bundle.entry[${index}]`);
      }
    });
    entries.push(e);
  });
  issues.throwIfAny();

  const externalPatients = new Map<string, string[]>();
  for (const e of entries) {
    const containedIds = new Set(Array.isArray((e.resource as { contained?: unknown }).contained)
      ? ((e.resource as { contained: Array<{ id?: string }> }).contained).map((c) => c.id).filter(Boolean) : []);
    for (const r of collectReferences(e.resource, e.path)) {
      if (r.reference.startsWith('#')) {
        if (!containedIds.has(r.reference.slice(1))) issues.add('not-found', r.path, `${r.reference}: no contained resource with that id`);
        continue;
      }
      if (byRef.has(r.reference)) continue;
      const tail = refTail(r.reference);
      if (tail !== undefined && byRef.has(tail) && !r.reference.startsWith('urn:')) continue;
      if (tail !== undefined && tail.startsWith('Patient/') && !r.reference.startsWith('urn:')) {
        // Maybe a patient TumorBoard already has: the service resolves it or reports it as broken.
        const paths = externalPatients.get(tail) ?? [];
        paths.push(r.path);
        externalPatients.set(tail, paths);
        continue;
      }
      issues.add('not-found', r.path, `${r.reference} is neither in the bundle nor an existing patient`);
    }
    checkCodingSystems(e.resource, e.path, issues);
  }
  issues.throwIfAny();
  return { entries, byRef, externalPatients };
}

/**
 * Codings TumorBoard reads to map a resource (Condition.code, Condition.bodySite, Observation.code,
 * Observation.value[x], Procedure.code) must use a known code system: an unknown system there means the code cannot
 * be interpreted, and guessing would put wrong facts into the registry.
 */
function checkCodingSystems(resource: Resource, path: string, issues: IssueList): void {
  const check = (cc: unknown, at: string) => {
    if (!isObject(cc) || !Array.isArray(cc.coding)) return;
    const codings = cc.coding as Array<{ system?: unknown; code?: unknown }>;
    if (codings.length === 0) return;
    if (codings.some((c) => typeof c.system === 'string' && KNOWN_SYSTEMS.has(c.system))) return;
    const i = codings.findIndex((c) => c.code !== undefined);
    const bad = codings[Math.max(0, i)]!;
    issues.add('code-invalid', `${at}.coding[${Math.max(0, i)}].system`, typeof bad.system === 'string'
      ? `unknown code system ${JSON.stringify(bad.system)}: TumorBoard cannot interpret this code`
      : 'a coding needs a system');
  };
  const r = resource as unknown as Record<string, unknown>;
  switch (resource.resourceType) {
    case 'Condition':
      check(r.code, `${path}.code`);
      if (Array.isArray(r.bodySite)) r.bodySite.forEach((b, i) => check(b, `${path}.bodySite[${i}]`));
      break;
    case 'Observation':
      check(r.code, `${path}.code`);
      check(r.valueCodeableConcept, `${path}.valueCodeableConcept`);
      break;
    case 'Procedure':
      check(r.code, `${path}.code`);
      break;
    default:
      break;
  }
}
