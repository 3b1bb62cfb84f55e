import type { Condition, Observation, Patient as FhirPatient, Procedure } from '@medplum/fhirtypes';
import { fieldPath } from '../errors.js';
import {
  patientInputSchema, tumorDetailsSchema, tumorInputSchema, type PatientInput, type TumorDetails, type TumorInput,
} from '../registry/types.js';
import { checkBundle, IssueList, refTail, type CheckedBundle, type IndexedEntry } from './import-check.js';
import {
  conceptText, conditionLaterality, conditionMorphology, conditionTopography, datePart, diseaseStatus, ext, gradeFacts,
  guardianFrom, hasCode, hasProfile, isPrimaryCondition, isSecondaryCondition, metastaticSite, molecularFacts, observationKind, patientMrn,
  performance, regionalNodes, relatedConditionRef, siteCategory, surgeryMargin, surgeryStatus, tumorSizeCm, type Mapped,
} from './import-map.js';
import { EXTENSIONS, OBSERVATION_CODES, PROFILES, SYSTEMS } from './profiles.js';

export { BundleImportError, IMPORT_LIMITS, type ImportIssue } from './import-check.js';

/**
 * FHIR R4 / mCODE import, the pure half (issue #8 item 3): a Bundle (transaction, batch, collection or a
 * `$everything` searchset) becomes a plan of TumorBoard writes — patients (matched later by MRN), tumours from
 * PrimaryCancerConditions and the case facts their observations and procedures carry — plus a report of every
 * element that could not be mapped, with its location and the reason. Nothing is dropped silently: an element is
 * either mapped, listed as unmapped, or is resource metadata (id, meta, text, and the record identifiers of
 * non-Patient resources, which TumorBoard replaces with its own ids).
 *
 * Bad bundles (wrong resourceType, broken references, unknown code systems on coded elements TumorBoard reads,
 * duplicate identifiers, too large, a patient without MRN/name/birth date/sex) throw a BundleImportError naming
 * every location: the service then writes nothing (all-or-nothing per bundle).
 */

export interface UnmappedItem {
  /** `Observation/abc` or `Bundle.entry[3]` when the resource has no id. */
  resource: string;
  /** FHIRPath-like location of the element. */
  path: string;
  reason: string;
}

/** Something import decided that a person should check (an inferred site category, a unit conversion). */
export interface ImportNote {
  resource: string;
  path: string;
  note: string;
}

export interface PlannedTumor {
  /** The Condition's entry index. */
  entryIndex: number;
  input: TumorInput;
}

export interface PlannedPatient {
  /** The Patient's entry index, or null for a reference to a patient TumorBoard already has (`Patient/<id>`). */
  entryIndex: number | null;
  /** The new/updated demographics (null for an existing patient referenced by id). */
  input: PatientInput | null;
  /** `Patient/<id>` of an existing patient referenced without a Patient resource in the bundle. */
  existingRef: string | null;
  /** Where the bundle refers to that existing patient (to name them if it does not exist). */
  refPaths: string[];
  tumors: PlannedTumor[];
}

export type EntryRole = 'patient' | 'tumor' | 'fact' | 'unmapped';

export interface EntryPlan {
  index: number;
  resourceType: string;
  role: EntryRole;
  /** Index into ImportPlan.patients for entries that belong to a patient. */
  patient: number | null;
  /** Index into that patient's tumours (tumour and fact entries). */
  tumor: number | null;
}

export interface ImportPlan {
  patients: PlannedPatient[];
  /** Every `Patient/<id>` reference not in the bundle, with where it occurs: each must be an existing patient. */
  externalPatients: Array<{ ref: string; paths: string[] }>;
  entries: EntryPlan[];
  unmapped: UnmappedItem[];
  notes: ImportNote[];
}

export interface ImportOptions {
  /** The importing institution's code: its MRN identifier system is preferred when matching. */
  institutionCode: string;
  /** The bundle's size in bytes when known (checked against IMPORT_LIMITS.maxBytes). */
  byteLength?: number;
}

/** Extensions of a primary cancer condition that import reads. */
const PRIMARY_EXTENSIONS: ReadonlySet<string> = new Set([
  EXTENSIONS.histologyMorphologyBehavior, EXTENSIONS.assertedDate, EXTENSIONS.siteCategory, EXTENSIONS.tumorDetails,
  EXTENSIONS.pathologySummary, EXTENSIONS.imagingSummary,
]);

/** Top-level elements that are resource metadata, not clinical content (TumorBoard assigns its own ids). */
const METADATA = new Set(['resourceType', 'id', 'meta', 'text', 'implicitRules', 'language']);

/** Elements each mapped resource kind reads; anything else present is reported as unmapped. */
const READ: Record<string, ReadonlySet<string>> = {
  Patient: new Set(['identifier', 'name', 'birthDate', 'gender', 'communication', 'address', 'contact', 'extension', 'active']),
  PrimaryCondition: new Set(['identifier', 'extension', 'code', 'bodySite', 'subject', 'onsetDateTime', 'onsetPeriod', 'recordedDate', 'clinicalStatus', 'verificationStatus', 'category']),
  SecondaryCondition: new Set(['identifier', 'extension', 'code', 'bodySite', 'subject', 'onsetDateTime', 'recordedDate', 'clinicalStatus', 'verificationStatus', 'category']),
  Observation: new Set(['identifier', 'status', 'category', 'code', 'subject', 'focus', 'effectiveDateTime', 'effectivePeriod', 'issued', 'valueQuantity', 'valueCodeableConcept', 'valueInteger', 'valueString', 'component', 'method', 'interpretation']),
  Procedure: new Set(['identifier', 'status', 'category', 'code', 'subject', 'performedDateTime', 'performedPeriod', 'reasonReference', 'outcome', 'extension', 'bodySite']),
};

const UNMAPPED_TYPE_REASON: Readonly<Record<string, string>> = {
  CarePlan: 'treatment plans are written in TumorBoard (versioned and signed); an outside plan is not imported',
  MedicationRequest: 'medication orders belong to a TumorBoard plan; they are not imported',
  MedicationAdministration: 'administered treatment is recorded against a TumorBoard plan; it is not imported',
  MedicationStatement: 'medication history is not imported',
  ClinicalImpression: 'conference recommendations are made in TumorBoard; an outside one is not imported',
  Practitioner: 'TumorBoard keeps no practitioner records',
  PractitionerRole: 'TumorBoard keeps no practitioner records',
  Organization: 'TumorBoard keeps no organization records',
  Encounter: 'encounters are not imported',
  DiagnosticReport: 'reports are attached as documents, not imported as data',
  DocumentReference: 'documents are attached through a referral, not imported as data',
};

function resourceLabel(e: IndexedEntry): string {
  return e.localRef ?? `Bundle.entry[${e.index}]`;
}

/**
 * Maps a FHIR Bundle to an import plan. Throws a BundleImportError (400/413, all locations named) for a bundle that
 * cannot be imported; returns the plan and the unmapped report otherwise. Matching by MRN happens in the service.
 */
export function planImport(input: unknown, opts: ImportOptions): ImportPlan {
  const checked = checkBundle(input, opts.byteLength === undefined ? {} : { byteLength: opts.byteLength });
  return new Planner(checked, opts).run();
}

class Planner {
  private readonly issues = new IssueList();
  private readonly patients: PlannedPatient[] = [];
  private readonly entries: EntryPlan[] = [];
  private readonly unmapped: UnmappedItem[] = [];
  private readonly notes: ImportNote[] = [];
  /** Entry index → patient index (Patient entries). */
  private readonly patientOfEntry = new Map<number, number>();
  private readonly externalPatient = new Map<string, number>();
  /** Condition entry index → [patient, tumour] indexes. */
  private readonly tumorOfEntry = new Map<number, [number, number]>();
  /** Which entry set each fact first (later duplicates are reported). */
  private readonly factSource = new Map<string, number>();
  /**
   * Tumours that came with TumorBoard's own case-facts details (the tumor-details extension of a TumorBoard export):
   * those details are authoritative; observations only confirm them and treatment procedures do not change them.
   */
  private readonly authoritative = new Set<string>();

  constructor(private readonly b: CheckedBundle, private readonly opts: ImportOptions) {}

  run(): ImportPlan {
    const plans = new Map<number, EntryPlan>();
    const set = (e: IndexedEntry, role: EntryRole, patient: number | null = null, tumor: number | null = null) =>
      plans.set(e.index, { index: e.index, resourceType: e.resource.resourceType, role, patient, tumor });

    for (const e of this.b.entries) if (e.resource.resourceType === 'Patient') { this.mapPatient(e); set(e, 'patient', this.patientOfEntry.get(e.index) ?? null); }
    this.issues.throwIfAny();
    const conditions = this.b.entries.filter((e) => e.resource.resourceType === 'Condition');
    for (const e of conditions) {
      const c = e.resource as Condition;
      if (!isPrimaryCondition(c)) continue;
      const where = this.mapPrimary(e);
      if (where) set(e, 'tumor', where[0], where[1]); else set(e, 'unmapped');
    }
    for (const e of conditions) {
      if (plans.has(e.index)) continue;
      const c = e.resource as Condition;
      if (isSecondaryCondition(c)) {
        const where = this.mapSecondary(e);
        if (where) set(e, 'fact', where[0], where[1]); else set(e, 'unmapped');
      } else {
        this.unmappedResource(e, 'not a cancer condition (no ICD-O-3 histology, no cancer ICD-10-CM code, no mCODE cancer profile)');
        set(e, 'unmapped');
      }
    }
    for (const e of this.b.entries) {
      if (plans.has(e.index)) continue;
      const type = e.resource.resourceType;
      let where: [number, number] | undefined;
      if (type === 'Observation') where = this.mapObservation(e);
      else if (type === 'Procedure') where = this.mapProcedure(e);
      else this.unmappedResource(e, UNMAPPED_TYPE_REASON[type] ?? `TumorBoard imports patients, cancer conditions, observations and procedures; ${type} is not imported`);
      if (where) set(e, 'fact', where[0], where[1]); else set(e, 'unmapped');
    }
    this.validateTumors();
    this.issues.throwIfAny();
    return {
      patients: this.patients,
      externalPatients: [...this.b.externalPatients].map(([ref, paths]) => ({ ref, paths })),
      entries: this.b.entries.map((e) => plans.get(e.index)!),
      unmapped: byEntry(this.unmapped),
      notes: byEntry(this.notes),
    };
  }

  // ---- reporting ----

  private unmappedResource(e: IndexedEntry, reason: string): void {
    this.unmapped.push({ resource: resourceLabel(e), path: e.path, reason });
  }

  private unmappedAt(e: IndexedEntry, path: string, reason: string): void {
    this.unmapped.push({ resource: resourceLabel(e), path, reason });
  }

  private note(e: IndexedEntry, path: string, note: string): void {
    this.notes.push({ resource: resourceLabel(e), path, note });
  }

  /** Reports every element present that this mapping does not read. */
  private reportUnread(e: IndexedEntry, kind: keyof typeof READ, reasons: Readonly<Record<string, string>> = {}): void {
    for (const key of Object.keys(e.resource)) {
      if (METADATA.has(key) || reasons[key] === '' || (READ[kind]!.has(key) && !(key in reasons))) continue;
      this.unmappedAt(e, `${e.path}.${key}`, reasons[key] ?? `TumorBoard has no field for ${e.resource.resourceType}.${key}`);
    }
  }

  private take<T>(e: IndexedEntry, m: Mapped<T>, required: boolean): T | undefined {
    if (m.ok) {
      if (m.note) this.note(e, e.path, m.note);
      return m.value;
    }
    if (required) this.issues.add('required', m.path, m.reason);
    else this.unmappedAt(e, m.path, m.reason);
    return undefined;
  }

  // ---- patients ----

  private mapPatient(e: IndexedEntry): void {
    const p = e.resource as FhirPatient;
    const mrn = this.take(e, patientMrn(p, e.path, this.opts.institutionCode), true);
    const name = p.name?.find((n) => n.use === 'official') ?? p.name?.[0];
    const familyName = name?.family?.trim() || undefined;
    const givenName = name?.given?.join(' ').trim() || undefined;
    if (!familyName) this.issues.add('required', `${e.path}.name.family`, 'a patient needs a family name');
    if (!givenName) this.issues.add('required', `${e.path}.name.given`, 'a patient needs a given name');
    if (!p.birthDate || !/^\d{4}-\d{2}-\d{2}$/.test(p.birthDate)) this.issues.add('required', `${e.path}.birthDate`, 'a patient needs a full birth date (YYYY-MM-DD)');
    if (p.gender !== 'male' && p.gender !== 'female') {
      this.issues.add('value', `${e.path}.gender`, `TumorBoard records sex as male or female (used by the staging and late-effect rules); got ${JSON.stringify(p.gender ?? null)}`);
    }
    const language = conceptText(p.communication?.find((c) => c.preferred)?.language ?? p.communication?.[0]?.language);
    const interpreter = ext(p.extension, EXTENSIONS.interpreterRequired)?.valueBoolean;
    const country = p.address?.find((a) => a.country)?.country;
    const guardians = (p.contact ?? []).map((c) => guardianFrom(c));
    guardians.forEach((g, i) => { if (!g) this.unmappedAt(e, `${e.path}.contact[${i}]`, 'a contact without a name cannot be recorded as a guardian'); });
    const kept = guardians.filter((g): g is NonNullable<typeof g> => g !== undefined);
    if (kept.length > 6) this.unmappedAt(e, `${e.path}.contact[6]`, 'TumorBoard keeps at most 6 guardians per patient');
    (p.extension ?? []).forEach((x, i) => {
      if (x.url !== EXTENSIONS.interpreterRequired) this.unmappedAt(e, `${e.path}.extension[${i}]`, `extension ${x.url} has no TumorBoard field`);
    });
    (p.address ?? []).forEach((a, i) => {
      const extra = Object.keys(a).filter((k) => k !== 'country' && k !== 'use' && k !== 'type');
      if (extra.length) this.unmappedAt(e, `${e.path}.address[${i}]`, `only the home country is kept (not ${extra.join(', ')})`);
    });
    if ((p.name?.length ?? 0) > 1) this.unmappedAt(e, `${e.path}.name[1]`, 'TumorBoard keeps one name per patient (the official one)');
    this.reportUnread(e, 'Patient', { extension: '' });
    if (!this.issues.empty || mrn === undefined) return;
    const parsed = patientInputSchema.safeParse({
      mrn: mrn.mrn, familyName, givenName, birthDate: p.birthDate, sex: p.gender,
      ...(language ? { preferredLanguage: language } : {}),
      ...(interpreter !== undefined ? { interpreterNeeded: interpreter } : {}),
      ...(country ? { homeCountry: country } : {}),
      guardians: kept.slice(0, 6),
    });
    if (!parsed.success) {
      for (const i of parsed.error.issues) this.issues.add('value', `${e.path} (${fieldPath(i.path)})`, i.message);
      return;
    }
    this.patients.push({ entryIndex: e.index, input: parsed.data, existingRef: null, refPaths: [], tumors: [] });
    this.patientOfEntry.set(e.index, this.patients.length - 1);
  }

  /** The planned patient a subject reference names (a Patient in the bundle, or an existing patient by id). */
  private subjectOf(e: IndexedEntry, ref: string | undefined): number | undefined {
    if (!ref) { this.unmappedResource(e, 'no subject: the resource names no patient'); return undefined; }
    const target = this.b.byRef.get(ref) ?? (ref.startsWith('urn:') ? undefined : this.b.byRef.get(refTail(ref) ?? ''));
    if (target) {
      if (target.resource.resourceType !== 'Patient') { this.unmappedResource(e, `the subject ${ref} is a ${target.resource.resourceType}, not a Patient`); return undefined; }
      return this.patientOfEntry.get(target.index);
    }
    const tail = refTail(ref)!;
    let i = this.externalPatient.get(tail);
    if (i === undefined) {
      this.patients.push({ entryIndex: null, input: null, existingRef: tail, refPaths: this.b.externalPatients.get(tail) ?? [], tumors: [] });
      i = this.patients.length - 1;
      this.externalPatient.set(tail, i);
    }
    return i;
  }

  // ---- tumours ----

  private mapPrimary(e: IndexedEntry): [number, number] | undefined {
    const c = e.resource as Condition;
    const pi = this.subjectOf(e, c.subject?.reference);
    if (pi === undefined) return undefined;
    const morphology = this.take(e, conditionMorphology(c, e.path), false);
    const topography = this.take(e, conditionTopography(c, e.path), false);
    const diagnosisDate = datePart(c.onsetDateTime) ?? datePart(c.onsetPeriod?.start)
      ?? datePart(ext(c.extension, EXTENSIONS.assertedDate)?.valueDateTime) ?? datePart(c.recordedDate);
    if (!diagnosisDate) this.unmappedAt(e, `${e.path}.onset[x]`, 'no onset or recorded date: a tumour needs its diagnosis date');
    if (!morphology || !topography || !diagnosisDate) {
      this.unmappedResource(e, 'this condition cannot become a tumour (see the items above); its observations are reported too');
      return undefined;
    }
    const site = c.bodySite?.[0];
    const primarySite = site?.text?.trim() || site?.coding?.find((x) => x.system !== SYSTEMS.icdO3 && x.display)?.display?.trim()
      || site?.coding?.find((x) => x.display)?.display?.trim() || topography;
    const category = this.take(e, siteCategory(c, topography, primarySite), false)!;
    const laterality = conditionLaterality(c);
    const own = this.ownDetails(e, c);
    const details: TumorDetails = own ?? {};
    const pathologySummary = ext(c.extension, EXTENSIONS.pathologySummary)?.valueString;
    const imagingSummary = ext(c.extension, EXTENSIONS.imagingSummary)?.valueString;
    if (!own && c.clinicalStatus && hasCode(c.clinicalStatus, { system: SYSTEMS.conditionClinical, code: 'relapse' })) details.diseaseStatus = 'relapsed';
    (c.extension ?? []).forEach((x, i) => {
      if (!PRIMARY_EXTENSIONS.has(x.url)) this.unmappedAt(e, `${e.path}.extension[${i}]`, `extension ${x.url} has no TumorBoard field`);
    });
    if ((c.bodySite?.length ?? 0) > 1) this.unmappedAt(e, `${e.path}.bodySite[1]`, 'a tumour has one primary site');
    this.reportUnread(e, 'PrimaryCondition', {
      extension: '',
      stage: 'stage and risk are computed by TumorBoard\'s rules engine from the facts; the outside value is not imported',
      evidence: 'evidence is not imported', note: 'notes are not imported (add them to the pathology or imaging summary)',
    });
    const input = { diagnosisDate, morphology, topography, siteCategory: category, primarySite: primarySite.slice(0, 200),
      ...(laterality ? { laterality } : {}), details,
      ...(pathologySummary ? { pathologySummary } : {}), ...(imagingSummary ? { imagingSummary } : {}) } as TumorInput;
    const patient = this.patients[pi]!;
    patient.tumors.push({ entryIndex: e.index, input });
    const where: [number, number] = [pi, patient.tumors.length - 1];
    if (own) this.authoritative.add(`${pi}:${where[1]}`);
    this.tumorOfEntry.set(e.index, where);
    return where;
  }

  /** TumorBoard's own case-facts details (tumor-details extension), validated; undefined when absent or invalid. */
  private ownDetails(e: IndexedEntry, c: Condition): TumorDetails | undefined {
    const i = (c.extension ?? []).findIndex((x) => x.url === EXTENSIONS.tumorDetails);
    if (i < 0) return undefined;
    const at = `${e.path}.extension[${i}].valueString`;
    let raw: unknown;
    try {
      raw = JSON.parse(c.extension![i]!.valueString ?? '');
    } catch {
      this.unmappedAt(e, at, 'the TumorBoard tumour details are not valid JSON; the standard elements are used instead');
      return undefined;
    }
    const r = tumorDetailsSchema.safeParse(raw);
    if (!r.success) {
      this.unmappedAt(e, at, `the TumorBoard tumour details do not fit the case facts (${fieldPath(r.error.issues[0]!.path)}: ${r.error.issues[0]!.message}); the standard elements are used instead`);
      return undefined;
    }
    return r.data;
  }

  /** The tumour a fact belongs to: the referenced condition, else the patient's only tumour in the bundle. */
  private tumorFor(e: IndexedEntry, pi: number, conditionRefs: Array<string | undefined>): [number, number] | undefined {
    for (const ref of conditionRefs) {
      if (!ref) continue;
      const target = this.b.byRef.get(ref) ?? this.b.byRef.get(refTail(ref) ?? '');
      const where = target ? this.tumorOfEntry.get(target.index) : undefined;
      if (where) return where;
      if (target?.resource.resourceType === 'Condition') {
        this.unmappedResource(e, `it belongs to ${ref}, which could not be imported as a tumour`);
        return undefined;
      }
    }
    const tumors = this.patients[pi]!.tumors;
    if (tumors.length === 1) return [pi, 0];
    this.unmappedResource(e, tumors.length === 0
      ? 'the patient has no primary cancer condition in this bundle to attach it to'
      : 'the patient has several tumours and the resource does not say which (focus / reasonReference)');
    return undefined;
  }

  private details(where: [number, number]): TumorDetails {
    return this.patients[where[0]]!.tumors[where[1]]!.input.details as TumorDetails;
  }

  /**
   * Sets a fact once; a second value for the same fact is reported, not merged. On a tumour with TumorBoard's own
   * details a fact they already hold is kept (the observation was exported from it).
   */
  private setFact(e: IndexedEntry, where: [number, number], fact: string, apply: () => void, present = false): boolean {
    if (present && this.authoritative.has(`${where[0]}:${where[1]}`)) return true;
    const key = `${where[0]}:${where[1]}:${fact}`;
    const first = this.factSource.get(key);
    if (first !== undefined && first !== e.index) {
      this.unmappedResource(e, `${fact} was already set from Bundle.entry[${first}]; case facts hold one value (at diagnosis)`);
      return false;
    }
    this.factSource.set(key, e.index);
    apply();
    return true;
  }

  private mapSecondary(e: IndexedEntry): [number, number] | undefined {
    const c = e.resource as Condition;
    const pi = this.subjectOf(e, c.subject?.reference);
    if (pi === undefined) return undefined;
    const where = this.tumorFor(e, pi, [relatedConditionRef(c)]);
    if (!where) return undefined;
    const site = this.take(e, metastaticSite(c, e.path), false);
    if (!site) { this.unmappedResource(e, 'metastasis not recorded (see above)'); return undefined; }
    const d = this.details(where);
    const list = (d.metastases ?? []) as string[];
    if (!list.includes(site)) d.metastases = [...list, site] as TumorDetails['metastases'];
    (c.extension ?? []).forEach((x, i) => {
      if (x.url !== EXTENSIONS.relatedCondition) this.unmappedAt(e, `${e.path}.extension[${i}]`, `extension ${x.url} has no TumorBoard field`);
    });
    this.reportUnread(e, 'SecondaryCondition', { extension: '', stage: 'stage is computed by TumorBoard' });
    return where;
  }

  // ---- observations and procedures ----

  private mapObservation(e: IndexedEntry): [number, number] | undefined {
    const o = e.resource as Observation;
    const kind = observationKind(o);
    if (kind === undefined) {
      this.unmappedResource(e, `observation ${conceptText(o.code) ?? '(no code)'} has no case-facts field`);
      return undefined;
    }
    if (kind === 'derivedStage' && !isDistantMetastasesM0(o)) {
      this.unmappedResource(e, 'stage, group and risk are computed by TumorBoard\'s rules engine from the facts; the outside value is not imported');
      return undefined;
    }
    if (o.status === 'entered-in-error' || o.status === 'cancelled') {
      this.unmappedResource(e, `an observation with status ${o.status} is not a fact`);
      return undefined;
    }
    const pi = this.subjectOf(e, o.subject?.reference);
    if (pi === undefined) return undefined;
    const where = this.tumorFor(e, pi, (o.focus ?? []).map((f) => f.reference));
    if (!where) return undefined;
    if ((kind === 'regionalNodes' || kind === 'derivedStage') && this.authoritative.has(`${where[0]}:${where[1]}`)) {
      this.unmappedResource(e, 'stage categories are computed by TumorBoard\'s rules engine from the tumour details; not imported');
      return undefined;
    }
    const d = this.details(where);
    const tumor = this.patients[where[0]]!.tumors[where[1]]!;
    let mapped = false;
    switch (kind) {
      case 'tumorSize': {
        const cm = this.take(e, tumorSizeCm(o, e.path), false);
        if (cm !== undefined) mapped = this.setFact(e, where, 'sizeCm', () => { tumor.input = { ...tumor.input, sizeCm: cm }; });
        break;
      }
      case 'grade': {
        const g = this.take(e, gradeFacts(o, e.path), false);
        if (g) mapped = this.setFact(e, where, `grade.${Object.keys(g).sort().join('+')}`, () => { d.grade = { ...d.grade, ...g }; }, d.grade !== undefined);
        break;
      }
      case 'performance': {
        const p = this.take(e, performance(o, e.path), false);
        if (p) mapped = this.setFact(e, where, 'performance', () => { d.performance = p; }, d.performance !== undefined);
        break;
      }
      case 'variant': {
        const m = this.take(e, molecularFacts(o, e.path), false);
        if (m) mapped = this.setFact(e, where, `molecular.${Object.keys(m).sort().join('+')}`, () => { d.molecular = { ...d.molecular, ...m }; }, d.molecular !== undefined);
        break;
      }
      case 'diseaseStatus': {
        const s = this.take(e, diseaseStatus(o, e.path), false);
        if (s) mapped = this.setFact(e, where, 'diseaseStatus', () => { d.diseaseStatus = s; }, d.diseaseStatus !== undefined);
        break;
      }
      case 'regionalNodes': {
        const n = this.take(e, regionalNodes(o, e.path), false);
        if (n) mapped = this.setFact(e, where, 'regionalNodes', () => { d.regionalNodes = n; });
        break;
      }
      case 'derivedStage':
        // M0: no distant metastases, a fact (metastases: []) rather than a derived value.
        mapped = this.setFact(e, where, 'm0', () => { d.metastases ??= []; });
        break;
    }
    if (!mapped) {
      if (!this.unmapped.some((u) => u.path.startsWith(e.path))) this.unmappedResource(e, 'the observation could not be recorded');
      return undefined;
    }
    this.reportUnread(e, 'Observation', { note: 'notes are not imported' });
    return where;
  }

  private mapProcedure(e: IndexedEntry): [number, number] | undefined {
    const p = e.resource as Procedure;
    const status = surgeryStatus(p, e.path);
    if (!status.ok) { this.unmappedAt(e, status.path, status.reason); this.unmappedResource(e, 'procedure not recorded as a case fact'); return undefined; }
    const pi = this.subjectOf(e, p.subject?.reference);
    if (pi === undefined) return undefined;
    const where = this.tumorFor(e, pi, (p.reasonReference ?? []).map((r) => r.reference));
    if (!where) return undefined;
    if (this.authoritative.has(`${where[0]}:${where[1]}`)) {
      this.unmappedResource(e, 'treatment given is recorded against a TumorBoard plan, which is not imported; the tumour details already describe surgery at diagnosis');
      return undefined;
    }
    const d = this.details(where);
    const margin = surgeryMargin(p);
    // A resection outranks a biopsy of the same tumour (surgery.status describes the most definitive procedure).
    const prev = d.surgery?.status;
    if (status.value === 'resected' || prev === undefined || prev === 'none') {
      d.surgery = { ...d.surgery, status: status.value, ...(margin ? { margin } : {}) };
    } else {
      this.note(e, e.path, `a biopsy after a recorded ${prev}: surgery status stays ${prev}`);
    }
    (p.extension ?? []).forEach((x, i) => {
      if (x.url !== EXTENSIONS.procedureIntent) this.unmappedAt(e, `${e.path}.extension[${i}]`, `extension ${x.url} has no TumorBoard field`);
    });
    this.reportUnread(e, 'Procedure', { note: 'notes are not imported', extension: '' });
    return where;
  }

  /** Every planned tumour must satisfy the tumour write contract; problems are named at the condition. */
  private validateTumors(): void {
    for (const p of this.patients) {
      for (const t of p.tumors) {
        const r = tumorInputSchema.safeParse(t.input);
        if (r.success) { t.input = r.data; continue; }
        for (const i of r.error.issues) this.issues.add('value', `Bundle.entry[${t.entryIndex}].resource (${fieldPath(i.path)})`, i.message);
      }
    }
  }
}

/** Report items in bundle order (stable within one entry). */
function byEntry<T extends { path: string }>(items: T[]): T[] {
  const index = (p: string) => Number(/^Bundle\.entry\[(\d+)\]/.exec(p)?.[1] ?? -1);
  return items.map((item, i) => ({ item, i, at: index(item.path) })).sort((a, b) => a.at - b.at || a.i - b.i).map((x) => x.item);
}

/** A TNM distant-metastases category of M0 (the only staging value import reads: it says "no metastases"). */
function isDistantMetastasesM0(o: Observation): boolean {
  if (!(hasProfile(o, PROFILES.tnmDistantMetastasesCategory) || hasCode(o.code, OBSERVATION_CODES.tnmDistantMetastases))) return false;
  const words = [o.valueCodeableConcept?.text, ...(o.valueCodeableConcept?.coding ?? []).flatMap((c) => [c.code, c.display])].join(' ');
  return /\b[cpy]?M0\b/.test(words);
}
