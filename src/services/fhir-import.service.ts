import { AppError } from '../domain/errors.js';
import { BundleImportError, planImport, type ImportNote, type ImportPlan, type UnmappedItem } from '../domain/fhir/import.js';
import { ID_PREFIX } from '../domain/fhir/profiles.js';
import type { Patient, Tumor, TumorInput } from '../domain/registry/types.js';
import { isUniqueViolation, type Tx } from '../store/db.js';
import { auditRepo } from '../store/audit.repo.js';
import { casesRepo } from '../store/cases.repo.js';
import { patientsRepo } from '../store/patients.repo.js';
import { tumorsRepo } from '../store/tumors.repo.js';
import { institutionsRepo } from '../store/users.repo.js';
import { audited, auditOnly } from './audit.js';
import { isoNow, newId, type Actor, type Services } from './context.js';
import { diagnosisTerm } from './registry.service.js';

/**
 * FHIR import use case (issue #8 item 3): maps a Bundle (src/domain/fhir/import.ts), then writes every patient,
 * tumour and case of it in ONE transaction within the importing institution, with an audit entry per patient
 * touched and one for the import: all-or-nothing per bundle. Patients are matched by MRN (an existing patient with
 * that MRN in the institution is reused, not duplicated); a tumour already recorded for a matched patient (same
 * diagnosis date, morphology and topography) is matched too, so re-importing a bundle changes nothing.
 */

export interface ImportedTumor {
  id: string;
  outcome: 'created' | 'matched';
  /** The Condition entry it came from. */
  entryIndex: number;
  caseId: string | null;
}

export interface ImportedPatient {
  id: string;
  outcome: 'created' | 'matched';
  /** The Patient entry it came from (null for a reference to an existing patient by id). */
  entryIndex: number | null;
  mrn: string;
  tumors: ImportedTumor[];
}

export interface EntryResult {
  index: number;
  resourceType: string;
  /** HTTP-style status of the entry in a transaction-response: 201 Created, 200 OK. */
  status: '201 Created' | '200 OK';
  /** `Patient/pt-<id>` or `Condition/pcc-<id>`: the TumorBoard record the entry was written to. */
  location: string | null;
  role: ImportPlan['entries'][number]['role'];
}

export interface ImportReport {
  created: ImportedPatient[];
  matched: ImportedPatient[];
  counts: { patientsCreated: number; patientsMatched: number; tumorsCreated: number; tumorsMatched: number; casesCreated: number; unmapped: number };
  unmapped: UnmappedItem[];
  notes: ImportNote[];
  entries: EntryResult[];
}

export interface ImportOptions {
  /** Importing without a signed-in user (the CLI): the institution to import into. */
  institutionId?: string;
  /** Size of the bundle in bytes, when known (checked against the limit). */
  byteLength?: number;
}

const sameTumor = (a: Pick<Tumor, 'diagnosisDate' | 'morphology' | 'topography'>, b: Pick<Tumor, 'diagnosisDate' | 'morphology' | 'topography'>) =>
  a.diagnosisDate === b.diagnosisDate && a.morphology === b.morphology && a.topography === b.topography;

/** Existing patient ids are written `Patient/pt-<uuid>` by export; a bare UUID is accepted too. */
function existingPatientId(ref: string): string {
  const id = ref.slice('Patient/'.length);
  return id.startsWith(`${ID_PREFIX.patient}-`) ? id.slice(ID_PREFIX.patient.length + 1) : id;
}

export const fhirImport = {
  /**
   * Imports one Bundle into the actor's institution (or `opts.institutionId` for the CLI, actor null). Throws a
   * BundleImportError (400/413 with every location) for a bad bundle, and writes nothing then.
   */
  async importBundle(s: Services, actor: Actor | null, bundle: unknown, opts: ImportOptions = {}): Promise<ImportReport> {
    const institutionId = actor?.institutionId ?? opts.institutionId;
    if (!institutionId) throw new AppError('validation', 'institution: import needs an institution to import into', { field: 'institution' });
    const institution = await institutionsRepo.get(s.store.db, institutionId);
    if (!institution) throw new AppError('validation', 'institution: no such institution', { field: 'institution' });
    let plan: ImportPlan;
    try {
      plan = planImport(bundle, { institutionCode: institution.code, ...(opts.byteLength !== undefined ? { byteLength: opts.byteLength } : {}) });
    } catch (err) {
      if (err instanceof AppError) {
        // The refused attempt is audited (no patient data: only the kind of problem).
        await auditOnly(s, actor, { action: 'create', recordType: 'fhir_import', detail: `refused: ${err.code}` }, 'error');
      }
      throw err;
    }
    return audited(s, actor, { action: 'create', recordType: 'fhir_import' }, async (tx, note) => {
      const report = await writePlan(s, tx, actor, institutionId, plan);
      const c = report.counts;
      note.detail = `entries=${plan.entries.length} patients_created=${c.patientsCreated} patients_matched=${c.patientsMatched} tumors_created=${c.tumorsCreated} cases_created=${c.casesCreated} unmapped=${c.unmapped}`;
      return report;
    });
  },
};

async function writePlan(s: Services, tx: Tx, actor: Actor | null, institutionId: string, plan: ImportPlan): Promise<ImportReport> {
  const now = isoNow(s);
  const created: ImportedPatient[] = [];
  const matched: ImportedPatient[] = [];
  const byPlanIndex: ImportedPatient[] = [];
  const counts = { patientsCreated: 0, patientsMatched: 0, tumorsCreated: 0, tumorsMatched: 0, casesCreated: 0, unmapped: plan.unmapped.length };
  const missing: Array<{ path: string; ref: string }> = [];
  // References to patients outside the bundle must name existing patients of this institution (even on resources
  // that are not imported): otherwise the bundle is broken.
  for (const x of plan.externalPatients) {
    if (!plan.patients.some((p) => p.existingRef === x.ref) && !await patientsRepo.get(tx, institutionId, existingPatientId(x.ref))) {
      for (const path of x.paths) missing.push({ path, ref: x.ref });
    }
  }
  const notes: ImportNote[] = [...plan.notes];

  for (const p of plan.patients) {
    let patient: Patient | undefined;
    let outcome: 'created' | 'matched' = 'matched';
    if (p.input === null) {
      patient = await patientsRepo.get(tx, institutionId, existingPatientId(p.existingRef!));
      if (!patient) { for (const path of p.refPaths) missing.push({ path, ref: p.existingRef! }); continue; }
    } else {
      patient = await patientsRepo.findByMrn(tx, institutionId, p.input.mrn);
      if (patient) {
        // The same MRN on a child with another birth date or sex is a wrong identifier, not the same child: refuse
        // rather than attach tumours to the wrong patient. Other differences are kept as TumorBoard has them.
        const at = `Bundle.entry[${p.entryIndex}].resource`;
        const clash = (['birthDate', 'sex'] as const).filter((k) => patient![k] !== p.input![k]);
        if (clash.length) {
          throw new BundleImportError([{ code: 'conflict', expression: `${at}.identifier`, message: `this MRN belongs to an existing patient with a different ${clash.join(' and ')}: check the identifier (nothing was imported)` }]);
        }
        const differs = (['familyName', 'givenName', 'preferredLanguage', 'interpreterNeeded', 'homeCountry', 'guardians'] as const)
          .filter((k) => JSON.stringify(patient![k]) !== JSON.stringify(p.input![k]));
        if (differs.length) notes.push({ resource: at.replace('.resource', ''), path: at, note: `matched by MRN: TumorBoard's record was kept; the bundle differs in ${differs.join(', ')} (edit the patient to change them)` });
      } else {
        outcome = 'created';
        try {
          patient = await patientsRepo.insert(tx, { id: newId(), institutionId, input: p.input, now, createdBy: actor?.userId ?? null });
        } catch (err) {
          if (isUniqueViolation(err)) throw new AppError('conflict', `Bundle.entry[${p.entryIndex}].resource.identifier: a patient with this MRN was created meanwhile; retry the import`, { field: `Bundle.entry[${p.entryIndex}].resource.identifier` });
          throw err;
        }
      }
    }
    const existingTumors = outcome === 'matched' ? await tumorsRepo.listForPatient(tx, patient.id) : [];
    const tumors: ImportedTumor[] = [];
    for (const t of p.tumors) {
      const same = existingTumors.find((x) => sameTumor(x, t.input));
      if (same) {
        tumors.push({ id: same.id, outcome: 'matched', entryIndex: t.entryIndex, caseId: null });
        counts.tumorsMatched++;
        const differs = tumorDifferences(same, t.input);
        if (differs.length) {
          const at = `Bundle.entry[${t.entryIndex}].resource`;
          notes.push({ resource: `Bundle.entry[${t.entryIndex}]`, path: at, note: `tumour already recorded (same diagnosis date, morphology and topography): TumorBoard's facts were kept; the bundle differs in ${differs.join(', ')} (edit the tumour to change them)` });
        }
        continue;
      }
      const tumorId = newId();
      await tumorsRepo.insert(tx, { id: tumorId, patientId: patient.id, institutionId, input: t.input, now });
      existingTumors.push({ ...t.input, id: tumorId, patientId: patient.id, institutionId, version: 1, createdAt: now, updatedAt: now });
      const caseId = newId();
      await casesRepo.insert(tx, {
        id: caseId, institution_id: institutionId, patient_id: patient.id, tumor_id: tumorId, status: 'referred',
        question: null, urgent: 0, created_at: now, eventId: newId(), byUserId: actor?.userId ?? null,
      });
      tumors.push({ id: tumorId, outcome: 'created', entryIndex: t.entryIndex, caseId });
      counts.tumorsCreated++;
      counts.casesCreated++;
    }
    if (tumors.some((t) => t.outcome === 'created')) await refreshSummary(tx, patient.id);
    const imported: ImportedPatient = { id: patient.id, outcome, entryIndex: p.entryIndex, mrn: patient.mrn, tumors };
    byPlanIndex[plan.patients.indexOf(p)] = imported;
    (outcome === 'created' ? created : matched).push(imported);
    if (outcome === 'created') counts.patientsCreated++; else counts.patientsMatched++;
    await auditRepo.append(tx, {
      id: newId(), at: now, userId: actor?.userId ?? null, username: actor?.username ?? null, role: actor?.role ?? null,
      institutionId, action: outcome === 'created' ? 'create' : 'update', recordType: 'patient', recordId: patient.id, patientId: patient.id,
      outcome: 'success', clientIp: actor?.clientIp ?? null, requestId: actor?.requestId ?? null,
      detail: `fhir import: tumors_created=${tumors.filter((t) => t.outcome === 'created').length} tumors_matched=${tumors.filter((t) => t.outcome === 'matched').length}`,
    });
  }
  if (missing.length > 0) {
    throw new BundleImportError(missing.map((m) => ({ code: 'not-found' as const, expression: m.path, message: `${m.ref} is neither in the bundle nor an existing patient of this institution` })));
  }

  const entries: EntryResult[] = plan.entries.map((e) => {
    const p = e.patient === null ? undefined : byPlanIndex[e.patient];
    const t = p && e.tumor !== null ? p.tumors[e.tumor] : undefined;
    const location = e.role === 'patient' && p ? `Patient/${ID_PREFIX.patient}-${p.id}`
      : (e.role === 'tumor' || e.role === 'fact') && t ? `Condition/${ID_PREFIX.primaryCondition}-${t.id}` : null;
    const status = (e.role === 'patient' && p?.outcome === 'created') || (e.role === 'tumor' && t?.outcome === 'created') ? '201 Created' : '200 OK';
    return { index: e.index, resourceType: e.resourceType, status, location, role: e.role };
  });
  return { created, matched, counts, unmapped: plan.unmapped, notes, entries };
}

/** Tumour fields (and case-facts keys) where an incoming tumour differs from the recorded one. */
function tumorDifferences(recorded: Tumor, incoming: Tumor | TumorInput): string[] {
  const out: string[] = (['siteCategory', 'primarySite', 'laterality', 'sizeCm', 'pathologySummary', 'imagingSummary'] as const)
    .filter((k) => incoming[k] !== undefined && JSON.stringify(recorded[k]) !== JSON.stringify(incoming[k]));
  const a = recorded.details as Record<string, unknown>;
  const b = (incoming.details ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(b).sort()) if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) out.push(`details.${k}`);
  return out;
}

/** The patient list's diagnosis, status and search text, kept in step with tumours and cases (same transaction). */
async function refreshSummary(tx: Tx, patientId: string): Promise<void> {
  const tumors = await tumorsRepo.listForPatient(tx, patientId);
  const cases = await casesRepo.listForPatient(tx, patientId);
  const latestTumor = tumors[tumors.length - 1];
  await patientsRepo.refreshSummary(tx, patientId, {
    diagnosis: latestTumor ? diagnosisTerm(latestTumor.morphology) : null,
    caseStatus: cases[cases.length - 1]?.status ?? null,
    diagnoses: tumors.map((t) => `${diagnosisTerm(t.morphology)} ${t.morphology} ${t.primarySite}`),
  });
}
