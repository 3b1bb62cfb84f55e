import { verifyChain, type ChainRow, type ChainVerdict } from '../domain/audit/chain.js';
import { AppError } from '../domain/errors.js';
import type { Executor } from '../store/db.js';
import { auditRepo } from '../store/audit.repo.js';
import { patientsRepo } from '../store/patients.repo.js';
import { audited } from './audit.js';
import type { Actor, Services } from './context.js';

/**
 * Verifies the audit log's hash chains (issue #9 item 3) as they stood when it starts: each chain up to its head at
 * that moment (every position up to it is committed and can no longer change: appends to one chain are serialized),
 * so entries appended by a running server meanwhile are left for the next run, and the check needs no long
 * transaction. Entries without a chain position (written outside the app) present at the start are checked too and
 * fail. Reads the log a page at a time in seq order.
 */
export async function verifyAuditChain(db: Executor, pageSize = 5000): Promise<ChainVerdict> {
  const heads = await auditRepo.chainHeads(db);
  const upTo = await auditRepo.lastSeq(db);
  const rows: ChainRow[] = [];
  let after = 0;
  for (;;) {
    const page = await auditRepo.chainPage(db, after, pageSize, upTo);
    if (page.length === 0) break;
    for (const r of page) {
      const head = r.chain === null ? undefined : heads.get(r.chain);
      if (r.chainSeq === null || (head !== undefined && r.chainSeq <= head)) rows.push(r);
    }
    after = page[page.length - 1]!.seq;
  }
  return verifyChain(rows);
}

/**
 * "Who accessed this patient's record" (issue #9 item 3): every audit entry naming the patient, newest first, with
 * who (user, role, institution), when, what they did, the outcome and from where, and a per-user summary. Only for
 * a patient of the admin's own institution (another institution's patient is 404, like everywhere); the report is
 * itself an audited read of that patient.
 */
export async function patientAccessReport(s: Services, actor: Actor, patientId: string, page: { limit: number; offset: number }) {
  return audited(s, actor, { action: 'read', recordType: 'patient_access_report', recordId: patientId, patientId }, async (tx, note) => {
    const patient = await patientsRepo.get(tx, actor.institutionId, patientId);
    if (!patient) throw new AppError('not_found', 'patient not found');
    const report = await auditRepo.patientAccess(tx, patientId, page.limit, page.offset);
    note.detail = `entries=${report.total}`;
    return { patientId, ...report };
  });
}
