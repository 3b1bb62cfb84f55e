import { assess } from '../domain/assess.js';
import type { Assessment, FactError } from '../domain/facts/assessment.js';
import { caseFactsFromRegistry } from '../domain/facts/from-registry.js';
import { AppError } from '../domain/errors.js';
import { casesRepo } from '../store/cases.repo.js';
import { patientsRepo } from '../store/patients.repo.js';
import { tumorsRepo } from '../store/tumors.repo.js';
import { audited } from './audit.js';
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

/** The assessment of a registry case: its facts from the patient and tumour records, then the rules engine. */
export async function caseAssessment(s: Services, actor: Actor, caseId: string): Promise<CaseAssessment> {
  return audited(s, actor, { action: 'read', recordType: 'case_assessment', recordId: caseId }, async (tx, note) => {
    const c = await casesRepo.get(tx, actor.institutionId, caseId);
    if (!c) throw new AppError('not_found', 'case not found', { field: 'id' });
    note.patientId = c.patientId;
    const patient = await patientsRepo.get(tx, actor.institutionId, c.patientId);
    if (!patient) throw new AppError('not_found', 'case not found', { field: 'id' });
    const tumor = c.tumorId ? await tumorsRepo.get(tx, actor.institutionId, c.tumorId) : undefined;
    if (!tumor) {
      return { caseId, facts: null, assessment: null, errors: [{ field: 'tumor', message: 'no tumour is recorded for this case yet: add it on the patient page' }] };
    }
    const facts = caseFactsFromRegistry(patient, tumor);
    const res = assess(facts);
    return res.ok
      ? { caseId, facts, assessment: res.assessment, errors: [] }
      : { caseId, facts, assessment: null, errors: res.errors };
  });
}
