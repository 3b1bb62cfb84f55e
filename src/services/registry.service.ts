import { lookupMorphology } from '../domain/coding/morphology.js';
import { AppError } from '../domain/errors.js';
import {
  CASE_TRANSITIONS, type CaseInput, type CaseRecord, type CaseStatus, type Patient, type PatientInput, type Tumor,
  type TumorInput,
} from '../domain/registry/types.js';
import { isUniqueViolation, type Tx } from '../store/db.js';
import { casesRepo } from '../store/cases.repo.js';
import { patientsRepo, type PatientQuery } from '../store/patients.repo.js';
import { tumorsRepo } from '../store/tumors.repo.js';
import { audited } from './audit.js';
import { isoNow, newId, type Actor, type Services } from './context.js';

export interface PatientDetail extends Patient {
  tumors: Tumor[];
  cases: CaseRecord[];
}

export interface CaseDetail extends CaseRecord {
  patient: Patient;
  tumor: Tumor | null;
}

export function diagnosisTerm(morphology: string): string {
  return lookupMorphology(morphology)?.term ?? morphology;
}

async function requirePatient(tx: Tx, actor: Actor, id: string): Promise<Patient> {
  const p = await patientsRepo.get(tx, actor.institutionId, id);
  if (!p) throw new AppError('not_found', 'patient not found', { field: 'id' });
  return p;
}

/** Keeps the patient list's diagnosis, status and search text in step with tumours and cases (same transaction). */
async function refreshPatientSummary(tx: Tx, patientId: string): Promise<void> {
  const tumors = await tumorsRepo.listForPatient(tx, patientId);
  const cases = await casesRepo.listForPatient(tx, patientId);
  const latestTumor = tumors[tumors.length - 1];
  const latestCase = cases[cases.length - 1];
  await patientsRepo.refreshSummary(tx, patientId, {
    diagnosis: latestTumor ? diagnosisTerm(latestTumor.morphology) : null,
    caseStatus: latestCase?.status ?? null,
    diagnoses: tumors.map((t) => `${diagnosisTerm(t.morphology)} ${t.morphology} ${t.primarySite}`),
  });
}

export const registry = {
  async createPatient(s: Services, actor: Actor, input: PatientInput): Promise<Patient> {
    return audited(s, actor, { action: 'create', recordType: 'patient' }, async (tx, note) => {
      const id = newId();
      note.recordId = id;
      note.patientId = id;
      try {
        return await patientsRepo.insert(tx, { id, institutionId: actor.institutionId, input, now: isoNow(s), createdBy: actor.userId });
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('conflict', 'a patient with this MRN already exists', { field: 'mrn' });
        throw err;
      }
    });
  },

  async getPatient(s: Services, actor: Actor, id: string): Promise<PatientDetail> {
    return audited(s, actor, { action: 'read', recordType: 'patient', recordId: id, patientId: id }, async (tx) => {
      const p = await requirePatient(tx, actor, id);
      return { ...p, tumors: await tumorsRepo.listForPatient(tx, id), cases: await casesRepo.listForPatient(tx, id) };
    });
  },

  async updatePatient(s: Services, actor: Actor, id: string, version: number, input: PatientInput): Promise<Patient> {
    return audited(s, actor, { action: 'update', recordType: 'patient', recordId: id, patientId: id }, async (tx, note) => {
      const before = await requirePatient(tx, actor, id);
      const tumors = await tumorsRepo.listForPatient(tx, id);
      const diagnoses = tumors.map((t) => `${diagnosisTerm(t.morphology)} ${t.morphology} ${t.primarySite}`);
      let updated: Patient | undefined;
      try {
        updated = await patientsRepo.update(tx, actor.institutionId, id, version, input, isoNow(s), diagnoses);
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('conflict', 'a patient with this MRN already exists', { field: 'mrn' });
        throw err;
      }
      if (!updated) throw new AppError('stale', `patient was changed by someone else (now version ${before.version})`, { field: 'If-Match' });
      note.detail = `fields=${changedFields(before, input).join(',')}`;
      return updated;
    });
  },

  async searchPatients(s: Services, actor: Actor, query: PatientQuery) {
    return audited(s, actor, { action: 'search', recordType: 'patient' }, async (tx, note) => {
      const res = await patientsRepo.search(tx, actor.institutionId, query);
      // The query text may contain a name: record only its length and the result count.
      note.detail = `query_length=${(query.q ?? '').length} results=${res.total}`;
      return res;
    });
  },

  async addTumor(s: Services, actor: Actor, patientId: string, input: TumorInput): Promise<Tumor> {
    return audited(s, actor, { action: 'create', recordType: 'tumor', patientId }, async (tx, note) => {
      await requirePatient(tx, actor, patientId);
      const id = newId();
      note.recordId = id;
      const t = await tumorsRepo.insert(tx, { id, patientId, institutionId: actor.institutionId, input, now: isoNow(s) });
      await refreshPatientSummary(tx, patientId);
      return t;
    });
  },

  async updateTumor(s: Services, actor: Actor, id: string, version: number, input: TumorInput): Promise<Tumor> {
    return audited(s, actor, { action: 'update', recordType: 'tumor', recordId: id }, async (tx, note) => {
      const before = await tumorsRepo.get(tx, actor.institutionId, id);
      if (!before) throw new AppError('not_found', 'tumor not found', { field: 'id' });
      note.patientId = before.patientId;
      const t = await tumorsRepo.update(tx, actor.institutionId, id, version, input, isoNow(s));
      if (!t) throw new AppError('stale', `tumor was changed by someone else (now version ${before.version})`, { field: 'If-Match' });
      await refreshPatientSummary(tx, before.patientId);
      return t;
    });
  },

  async createCase(s: Services, actor: Actor, patientId: string, input: CaseInput): Promise<CaseRecord> {
    return audited(s, actor, { action: 'create', recordType: 'case', patientId }, async (tx, note) => {
      await requirePatient(tx, actor, patientId);
      const tumor = input.tumorId === undefined ? undefined : await tumorsRepo.get(tx, actor.institutionId, input.tumorId);
      if (input.tumorId !== undefined && (!tumor || tumor.patientId !== patientId)) {
        throw new AppError('validation', 'tumorId: no such tumor for this patient', { field: 'tumorId' });
      }
      const id = newId();
      note.recordId = id;
      const now = isoNow(s);
      await casesRepo.insert(tx, {
        id, institution_id: actor.institutionId, patient_id: patientId, tumor_id: tumor?.id ?? null, status: 'referred',
        question: input.question ?? null, urgent: input.urgent ? 1 : 0, created_at: now, eventId: newId(), byUserId: actor.userId,
      });
      await refreshPatientSummary(tx, patientId);
      return (await casesRepo.get(tx, actor.institutionId, id))!;
    });
  },

  async getCase(s: Services, actor: Actor, id: string): Promise<CaseDetail> {
    return audited(s, actor, { action: 'read', recordType: 'case', recordId: id }, async (tx, note) => {
      const c = await casesRepo.get(tx, actor.institutionId, id);
      if (!c) throw new AppError('not_found', 'case not found', { field: 'id' });
      note.patientId = c.patientId;
      const patient = await requirePatient(tx, actor, c.patientId);
      const tumor = c.tumorId ? (await tumorsRepo.get(tx, actor.institutionId, c.tumorId)) ?? null : null;
      return { ...c, patient, tumor };
    });
  },

  async changeCaseStatus(s: Services, actor: Actor, id: string, version: number, status: CaseStatus, note?: string): Promise<CaseRecord> {
    return audited(s, actor, { action: 'update', recordType: 'case', recordId: id }, async (tx, audit) => {
      const c = await casesRepo.get(tx, actor.institutionId, id);
      if (!c) throw new AppError('not_found', 'case not found', { field: 'id' });
      audit.patientId = c.patientId;
      if (!CASE_TRANSITIONS[c.status].includes(status)) {
        throw new AppError('conflict', `status: cannot move from ${c.status} to ${status} (allowed: ${CASE_TRANSITIONS[c.status].join(', ')})`, { field: 'status' });
      }
      const ok = await casesRepo.setStatus(tx, {
        id, institutionId: actor.institutionId, expectedVersion: version, status, now: isoNow(s), eventId: newId(),
        byUserId: actor.userId, note: note ?? null,
      });
      if (!ok) throw new AppError('stale', `case was changed by someone else (now version ${c.version})`, { field: 'If-Match' });
      audit.detail = `status=${c.status}->${status}`;
      await refreshPatientSummary(tx, c.patientId);
      return (await casesRepo.get(tx, actor.institutionId, id))!;
    });
  },

  /** Links the case to its tumour (a case opened at triage, before the tumour was recorded). */
  async setCaseTumor(s: Services, actor: Actor, id: string, version: number, tumorId: string): Promise<CaseRecord> {
    return audited(s, actor, { action: 'update', recordType: 'case', recordId: id }, async (tx, audit) => {
      const c = await casesRepo.get(tx, actor.institutionId, id);
      if (!c) throw new AppError('not_found', 'case not found', { field: 'id' });
      audit.patientId = c.patientId;
      const tumor = await tumorsRepo.get(tx, actor.institutionId, tumorId);
      if (!tumor || tumor.patientId !== c.patientId) throw new AppError('validation', 'tumorId: no such tumor for this patient', { field: 'tumorId' });
      if (!await casesRepo.setTumor(tx, { id, institutionId: actor.institutionId, expectedVersion: version, tumorId, now: isoNow(s) })) {
        throw new AppError('stale', `case was changed by someone else (now version ${c.version})`, { field: 'If-Match' });
      }
      audit.detail = 'tumor linked';
      return (await casesRepo.get(tx, actor.institutionId, id))!;
    });
  },

  async listCases(s: Services, actor: Actor, q: { status?: CaseStatus | undefined; q?: string | undefined; limit: number; offset: number }) {
    return audited(s, actor, { action: 'search', recordType: 'case' }, async (tx, note) => {
      const res = await casesRepo.list(tx, actor.institutionId, q);
      note.detail = `status=${q.status ?? 'any'} query_length=${(q.q ?? '').length} results=${res.total}`;
      return res;
    });
  },
};

function changedFields(before: Patient, after: PatientInput): string[] {
  return (Object.keys(after) as Array<keyof PatientInput>)
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}
