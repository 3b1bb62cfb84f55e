import { assess } from '../domain/assess.js';
import type { Assessment, FactError } from '../domain/facts/assessment.js';
import { caseFactsFromRegistry } from '../domain/facts/from-registry.js';
import { AppError } from '../domain/errors.js';
import type { CaseFacts } from '../domain/facts/case-facts.js';
import type { CaseRecord, Patient, Tumor } from '../domain/registry/types.js';
import type { Executor } from '../store/db.js';
import { casesRepo } from '../store/cases.repo.js';
import { patientsRepo } from '../store/patients.repo.js';
import { tumorsRepo } from '../store/tumors.repo.js';
import { audited } from './audit.js';
import { basisDetail, resolveCaseRead } from './access.js';
import type { Actor, Services } from './context.js';

export interface CaseAssessment {
  caseId: string;
  facts: unknown;
  assessment: Assessment | null;
  /** Facts the registry holds that the rules engine cannot accept (shown to the clinician to correct). */
  errors: FactError[];
}

/** Assesses facts sent by the caller (no patient data is read: not audited as a patient access). */
export function assessFacts(input: unknown): Assessment {
  const res = assess(input);
  if (!res.ok) {
    const first = res.errors[0]!;
    throw new AppError('validation', `${first.field}: ${first.message}`, { issues: res.errors });
  }
  return res.assessment;
}

/** A case with its patient, tumour, facts and assessment, read inside the caller's (audited) transaction. */
export interface CaseContext {
  case: CaseRecord;
  patient: Patient;
  tumor: Tumor | null;
  facts: CaseFacts | null;
  assessment: Assessment | null;
  errors: FactError[];
}

/**
 * Reads a case of the actor's institution and assesses it (404 for another institution's case). A read use case that
 * resolved access through a grant (src/services/access.ts) passes the owner institution; writes never do.
 */
export async function readCaseContext(tx: Executor, actor: Actor, caseId: string, institutionId = actor.institutionId): Promise<CaseContext> {
  const c = await casesRepo.get(tx, institutionId, caseId);
  if (!c) throw new AppError('not_found', 'case not found', { field: 'id' });
  const patient = await patientsRepo.get(tx, institutionId, c.patientId);
  if (!patient) throw new AppError('not_found', 'case not found', { field: 'id' });
  const tumor = c.tumorId ? await tumorsRepo.get(tx, institutionId, c.tumorId) : undefined;
  if (!tumor) {
    return { case: c, patient, tumor: null, facts: null, assessment: null, errors: [{ field: 'tumor', message: 'no tumour is recorded for this case yet: add it on the patient page' }] };
  }
  const facts = caseFactsFromRegistry(patient, tumor);
  const res = assess(facts);
  return res.ok
    ? { case: c, patient, tumor, facts: facts as CaseFacts, assessment: res.assessment, errors: [] }
    : { case: c, patient, tumor, facts: null, assessment: null, errors: res.errors };
}

/** The assessment of a registry case: its facts from the patient and tumour records, then the rules engine. */
export async function caseAssessment(s: Services, actor: Actor, caseId: string): Promise<CaseAssessment> {
  return audited(s, actor, { action: 'read', recordType: 'case_assessment', recordId: caseId }, async (tx, note) => {
    const access = await resolveCaseRead(s, tx, actor, caseId);
    if (!access) throw new AppError('not_found', 'case not found', { field: 'id' });
    note.detail = basisDetail(access.basis);
    const ctx = await readCaseContext(tx, actor, caseId, access.institutionId);
    note.patientId = ctx.patient.id;
    const facts = ctx.tumor ? caseFactsFromRegistry(ctx.patient, ctx.tumor) : null;
    return { caseId, facts, assessment: ctx.assessment, errors: ctx.errors };
  });
}
