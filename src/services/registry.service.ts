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
import { plansRepo } from '../store/plans.repo.js';
import { audited } from './audit.js';
import { accessView, basisDetail, resolveCaseRead, resolvePatientRead } from './access.js';
import type { IdempotencyContext } from './idempotency.js';
import { isoNow, newId, type Actor, type Services } from './context.js';

export interface PatientDetail extends Patient {
  tumors: Tumor[];
  cases: CaseRecord[];
  /** Present when read through a second-opinion share or break-the-glass (src/services/access.ts). */
  access?: AccessView;
}

export interface CaseDetail extends CaseRecord {
  patient: Patient;
  tumor: Tumor | null;
  /** The case's treatment plan, if one was started (its version and status), so a page knows before asking for it. */
  plan: { version: number; status: string } | null;
  /** Present when read through a second-opinion share or break-the-glass (src/services/access.ts). */
  access?: AccessView;
}

type AccessView = NonNullable<ReturnType<typeof accessView>>;

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
  async createPatient(s: Services, actor: Actor, input: PatientInput, idem?: IdempotencyContext): Promise<Patient> {
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
    }, idem);
  },

  async getPatient(s: Services, actor: Actor, id: string): Promise<PatientDetail> {
    return audited(s, actor, { action: 'read', recordType: 'patient', recordId: id, patientId: id }, async (tx, note) => {
      // Own institution, or through a share (only the shared cases) or break-the-glass (issue #9 item 2).
      const access = await resolvePatientRead(s, tx, actor, id);
      const p = access ? await patientsRepo.get(tx, access.institutionId, id) : undefined;
      if (!access || !p) throw new AppError('not_found', 'patient not found', { field: 'id' });
      note.detail = basisDetail(access.basis);
      let cases = await casesRepo.listForPatient(tx, id);
      let tumors = await tumorsRepo.listForPatient(tx, id);
      if (access.grant?.kind === 'share') {
        const shared = new Set(access.grant.caseIds);
        cases = cases.filter((c) => shared.has(c.id));
        tumors = tumors.filter((t) => cases.some((c) => c.tumorId === t.id));
      }
      const view = accessView(access);
      return { ...p, tumors, cases, ...(view ? { access: view } : {}) };
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

  async addTumor(s: Services, actor: Actor, patientId: string, input: TumorInput, idem?: IdempotencyContext): Promise<Tumor> {
    return audited(s, actor, { action: 'create', recordType: 'tumor', patientId }, async (tx, note) => {
      await requirePatient(tx, actor, patientId);
      const id = newId();
      note.recordId = id;
      const t = await tumorsRepo.insert(tx, { id, patientId, institutionId: actor.institutionId, input, now: isoNow(s) });
      await refreshPatientSummary(tx, patientId);
      return t;
    }, idem);
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

  async createCase(s: Services, actor: Actor, patientId: string, input: CaseInput, idem?: IdempotencyContext): Promise<CaseRecord> {
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
    }, idem);
  },

  async getCase(s: Services, actor: Actor, id: string): Promise<CaseDetail> {
    return audited(s, actor, { action: 'read', recordType: 'case', recordId: id }, async (tx, note) => {
      // Own institution (the common read: one query), else through a second-opinion share or break-the-glass
      // (issue #9 item 2), read-only either way.
      const own = await casesRepo.get(tx, actor.institutionId, id);
      const access = own ? { institutionId: actor.institutionId, basis: 'own' as const } : await resolveCaseRead(s, tx, actor, id);
      const c = own ?? (access ? await casesRepo.get(tx, access.institutionId, id) : undefined);
      if (!access || !c) throw new AppError('not_found', 'case not found', { field: 'id' });
      note.patientId = c.patientId;
      note.detail = basisDetail(access.basis);
      const patient = await patientsRepo.get(tx, access.institutionId, c.patientId);
      if (!patient) throw new AppError('not_found', 'case not found', { field: 'id' });
      const tumor = c.tumorId ? (await tumorsRepo.get(tx, access.institutionId, c.tumorId)) ?? null : null;
      const p = await plansRepo.byCase(tx, access.institutionId, id);
      const view = accessView(access);
      return { ...c, patient, tumor, plan: p ? { version: p.version, status: p.status } : null, ...(view ? { access: view } : {}) };
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
