import type { Bundle, Resource } from '@medplum/fhirtypes';
import { AppError } from '../domain/errors.js';
import { parseFhirId } from '../domain/fhir/export-common.js';
import { exportPatientBundle, organizationResource, patientResources, toBundle, type PatientRecord } from '../domain/fhir/export.js';
import { ID_PREFIX, type RestType } from '../domain/fhir/profiles.js';
import { matches, parseSearch } from '../domain/fhir/search.js';
import type { Tx } from '../store/db.js';
import { fhirRepo } from '../store/fhir.repo.js';
import { audited } from './audit.js';
import { auditRepo } from '../store/audit.repo.js';
import { isoNow, newId, type Actor, type Services } from './context.js';

/**
 * FHIR R4 export and the read-only REST API (issue #8 items 1 and 4): always within the actor's institution (another
 * institution's record answers 404, like a missing one), every read audited in its own transaction with the data.
 * The CLI export runs with no actor (the operator owns the database) and is audited as such.
 */

/** Which TumorBoard record a FHIR id prefix derives from. */
const OWNER_KIND = {
  [ID_PREFIX.patient]: 'patient',
  [ID_PREFIX.primaryCondition]: 'tumor',
  [ID_PREFIX.secondaryCondition]: 'tumor',
  [ID_PREFIX.observation]: 'tumor',
  [ID_PREFIX.carePlan]: 'plan',
  [ID_PREFIX.medicationRequest]: 'plan',
  [ID_PREFIX.medicationAdministration]: 'administration',
  [ID_PREFIX.procedure]: 'administration',
  [ID_PREFIX.recommendation]: 'agenda_item',
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function notFound(what: string): AppError {
  return new AppError('not_found', `${what}: not found`, { field: 'id' });
}

/** The patient (and institution) a CLI `--patient` names: `pt-<uuid>`, the TumorBoard id, or an MRN. */
async function resolveForCli(tx: Tx, ref: string, institutionCode: string | undefined): Promise<{ patientId: string; institutionId: string }> {
  const parsed = parseFhirId(ref);
  const id = parsed?.prefix === ID_PREFIX.patient ? parsed.recordId : UUID.test(ref) ? ref.toLowerCase() : undefined;
  let q = tx.selectFrom('patients').innerJoin('institutions', 'institutions.id', 'patients.institution_id')
    .select(['patients.id', 'patients.institution_id']);
  q = id ? q.where('patients.id', '=', id) : q.where('patients.mrn', '=', ref);
  if (institutionCode) q = q.where('institutions.code', '=', institutionCode);
  const rows = await q.limit(2).execute();
  if (rows.length > 1) throw new AppError('validation', '--patient: this MRN exists at several institutions: add --institution CODE', { field: '--institution' });
  if (!rows[0]) throw new AppError('not_found', '--patient: no such patient', { field: '--patient' });
  return { patientId: rows[0].id, institutionId: rows[0].institution_id };
}

async function recordOf(tx: Tx, institutionId: string, patientId: string): Promise<PatientRecord | undefined> {
  return (await fhirRepo.records(tx, institutionId, [patientId]))[0];
}

export interface ExportOptions {
  /** FHIR base for fullUrls, e.g. `http://127.0.0.1:3000/fhir/R4`. */
  baseUrl: string;
  type?: 'searchset' | 'collection';
}

/** The bundles of many patients (all of the institution when `patientIds` is omitted), one audit entry each, in `tx`. */
/** One audit entry per exported patient, in the export's transaction (the cohort reads are audited per patient). */
async function auditExported(tx: Tx, actor: Actor | null, institutionId: string, at: string, records: readonly PatientRecord[], detail: (i: number) => string): Promise<void> {
  for (const [i, rec] of records.entries()) {
    await auditRepo.append(tx, {
      id: newId(), at, userId: actor?.userId ?? null, username: actor?.username ?? null, role: actor?.role ?? null, institutionId,
      action: 'export', recordType: 'fhir_bundle', recordId: rec.patient.id, patientId: rec.patient.id, outcome: 'success',
      clientIp: actor?.clientIp ?? null, requestId: actor?.requestId ?? null, detail: detail(i),
    });
  }
}

async function cohortBundles(s: Services, tx: Tx, actor: Actor | null, institutionId: string, opts: ExportOptions & { patientIds?: readonly string[] }): Promise<Bundle[]> {
  const records = await fhirRepo.records(tx, institutionId, opts.patientIds);
  const at = isoNow(s);
  const bundles = records.map((rec) => exportPatientBundle(rec, { type: opts.type ?? 'collection', timestamp: at, baseUrl: opts.baseUrl }));
  await auditExported(tx, actor, institutionId, at, records, (i) => `format=fhir-r4 resources=${bundles[i]!.entry?.length ?? 0} cohort`);
  return bundles;
}

export const fhirService = {
  /**
   * `GET /fhir/R4/Patient/:id/$everything`: the patient's whole record as an mCODE Bundle (searchset), audited as
   * an export of that patient. `id` is the FHIR id (`pt-<uuid>`).
   */
  async exportPatient(s: Services, actor: Actor, fhirPatientId: string, opts: ExportOptions): Promise<Bundle> {
    const parsed = parseFhirId(fhirPatientId);
    const patientId = parsed?.prefix === ID_PREFIX.patient ? parsed.recordId : null;
    return audited(s, actor, { action: 'export', recordType: 'fhir_bundle', recordId: patientId, patientId }, async (tx, note) => {
      const rec = patientId ? await recordOf(tx, actor.institutionId, patientId) : undefined;
      if (!rec) throw notFound(`Patient/${fhirPatientId}`);
      const bundle = exportPatientBundle(rec, { type: opts.type ?? 'searchset', timestamp: isoNow(s), baseUrl: opts.baseUrl });
      note.detail = `format=fhir-r4 resources=${bundle.entry?.length ?? 0}`;
      return bundle;
    });
  },

  /**
   * The export of many patients at once (the whole cohort when `patientIds` is omitted): one transaction, the
   * records read in a fixed number of queries, and one audit entry per exported patient in that same transaction.
   * Returns one Bundle (type collection) per patient, in MRN order (or the order of `patientIds`).
   */
  async exportCohort(s: Services, actor: Actor, opts: ExportOptions & { patientIds?: readonly string[] }): Promise<Bundle[]> {
    return audited(s, actor, { action: 'export', recordType: 'fhir_cohort' }, async (tx, note) => {
      const bundles = await cohortBundles(s, tx, actor, actor.institutionId, opts);
      note.detail = `patients=${bundles.length}`;
      return bundles;
    });
  },

  /**
   * The records behind a bulk export (`Patient/$export` job `jobId`), read in one transaction with one audit entry per
   * patient, as `exportCohort`; the mapping to FHIR and the validation are the worker pool's (fhir-bulk.service.ts).
   */
  async cohortRecords(s: Services, actor: Actor, jobId: string): Promise<PatientRecord[]> {
    return audited(s, actor, { action: 'export', recordType: 'fhir_cohort' }, async (tx, note) => {
      const records = await fhirRepo.records(tx, actor.institutionId);
      await auditExported(tx, actor, actor.institutionId, isoNow(s), records, () => `format=fhir-r4 bulk job=${jobId}`);
      note.detail = `patients=${records.length} bulk job=${jobId}`;
      return records;
    });
  },

  /**
   * `tumorboard fhir export --all`: every patient of an institution (by code; the only one when there is one), audited
   * as the operator's command with one entry per exported patient, like `exportCohort`.
   */
  async exportInstitution(s: Services, institutionCode: string | undefined, opts: ExportOptions): Promise<Bundle[]> {
    return audited(s, null, { action: 'export', recordType: 'fhir_cohort', detail: 'cli' }, async (tx, note) => {
      let q = tx.selectFrom('institutions').select(['id', 'code']);
      if (institutionCode) q = q.where('code', '=', institutionCode);
      const insts = await q.limit(2).execute();
      if (insts.length === 0) throw new AppError('validation', `--institution: no institution ${institutionCode ?? ''}`.trim(), { field: '--institution' });
      if (insts.length > 1) throw new AppError('validation', '--institution: this database holds several institutions: give its code', { field: '--institution' });
      const bundles = await cohortBundles(s, tx, null, insts[0]!.id, opts);
      note.detail = `cli patients=${bundles.length}`;
      return bundles;
    });
  },

  /** `tumorboard fhir export --patient ID` (no session: the operator's command), audited with no user. */
  async exportForCli(s: Services, patientRef: string, opts: ExportOptions & { institutionCode?: string | undefined }): Promise<Bundle> {
    return audited(s, null, { action: 'export', recordType: 'fhir_bundle', detail: 'cli' }, async (tx, note) => {
      const { patientId, institutionId } = await resolveForCli(tx, patientRef, opts.institutionCode);
      note.recordId = patientId;
      note.patientId = patientId;
      const rec = (await recordOf(tx, institutionId, patientId))!;
      const bundle = exportPatientBundle(rec, { type: opts.type ?? 'collection', timestamp: isoNow(s), baseUrl: opts.baseUrl });
      note.detail = `cli format=fhir-r4 resources=${bundle.entry?.length ?? 0}`;
      return bundle;
    });
  },

  /** `GET /fhir/R4/:type/:id`: one resource of the actor's institution (404 OperationOutcome otherwise). */
  async read(s: Services, actor: Actor, type: string, id: string): Promise<Resource> {
    const parsed = parseFhirId(id);
    return audited(s, actor, { action: 'read', recordType: `fhir_${type}`, recordId: id }, async (tx, note) => {
      if (type === 'Organization' && parsed?.prefix === ID_PREFIX.organization && parsed.recordId === actor.institutionId) {
        const inst = await tx.selectFrom('institutions').select(['id', 'code', 'name']).where('id', '=', actor.institutionId).executeTakeFirst();
        if (inst) return organizationResource(inst);
      }
      const kind = parsed ? (OWNER_KIND as Record<string, (typeof OWNER_KIND)[keyof typeof OWNER_KIND] | undefined>)[parsed.prefix] : undefined;
      const owner = kind && parsed ? await fhirRepo.ownerOf(tx, actor.institutionId, kind, parsed.recordId) : undefined;
      if (!owner) throw notFound(`${type}/${id}`);
      note.patientId = owner;
      const rec = await recordOf(tx, actor.institutionId, owner);
      const found = rec && patientResources(rec).find((r) => r.resourceType === type && r.id === id);
      if (!found) throw notFound(`${type}/${id}`);
      return found;
    });
  },

  /**
   * `GET /fhir/R4/:type?…`: a searchset of the actor's institution. With `patient`/`subject` (or `_id` for Patient)
   * only those patients' records are read; otherwise the institution's records are mapped and filtered. The audit
   * entry names the parameters used and the result count, never their values (an identifier may be an MRN).
   */
  async search(s: Services, actor: Actor, type: RestType, query: Record<string, string | string[] | undefined>, opts: { baseUrl: string; selfUrl: string }): Promise<Bundle> {
    const q = parseSearch(type, query);
    return audited(s, actor, { action: 'search', recordType: `fhir_${type}` }, async (tx, note) => {
      let records: PatientRecord[];
      if (q.patients !== undefined) {
        const ids = q.patients.map((p) => parseFhirId(p)).filter((p) => p?.prefix === ID_PREFIX.patient).map((p) => p!.recordId);
        records = ids.length ? await fhirRepo.records(tx, actor.institutionId, ids) : [];
      } else {
        records = await fhirRepo.records(tx, actor.institutionId);
      }
      const matched = records.flatMap((rec) => patientResources(rec).filter((r) => matches(r, q)));
      const page = matched.slice(q.offset, q.offset + q.count);
      // A search scoped to one patient is recorded as a read of that patient's data.
      if (records.length === 1) note.patientId = records[0]!.patient.id;
      note.detail = `params=${Object.keys(query).sort().join(',') || '(none)'} results=${matched.length}`;
      const links = [{ relation: 'self', url: opts.selfUrl }];
      if (q.offset + q.count < matched.length) {
        const next = new URL(opts.selfUrl);
        next.searchParams.set('_offset', String(q.offset + q.count));
        next.searchParams.set('_count', String(q.count));
        links.push({ relation: 'next', url: next.toString() });
      }
      return toBundle(page, { type: 'searchset', timestamp: isoNow(s), baseUrl: opts.baseUrl, total: matched.length, links });
    });
  },
};
