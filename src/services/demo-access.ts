import { breakGlassUntil, SHARE_DEFAULT_DAYS } from '../domain/auth/access-grants.js';
import { accessGrantsRepo } from '../store/access-grants.repo.js';
import { auditRepo } from '../store/audit.repo.js';
import type { Tx } from '../store/db.js';
import { newId, type Services } from './context.js';

/**
 * Demo of access beyond one's institution (issue #9 item 2): one case of the main institution shared with the partner
 * institution for a second opinion, with the partner clinician's comment and the owner's reply; and one past break-the-glass event by that
 * clinician on another patient of the main institution, with the reads it made, awaiting the administrator's review.
 */
export async function demoAccess(s: Services, tx: Tx, mainId: string, partnerId: string): Promise<void> {
  const now = s.now();
  const user = async (institutionId: string, username: string) =>
    tx.selectFrom('users').select(['id', 'username', 'role']).where('institution_id', '=', institutionId).where('username', '=', username).executeTakeFirst();
  const owner = await user(mainId, 'oncologist');
  const reviewer = await user(partnerId, 'riverside-onc');
  if (!owner || !reviewer) return;
  // A case under review with its tumour, not the one with a treatment plan (that one has its own demo story).
  const planned = (await tx.selectFrom('plans').select('case_id').where('institution_id', '=', mainId).execute()).map((p) => p.case_id);
  let q = tx.selectFrom('cases').select(['id', 'patient_id']).where('institution_id', '=', mainId).where('tumor_id', 'is not', null)
    .where('status', 'in', ['under_review', 'referred', 'presented']);
  if (planned.length) q = q.where('id', 'not in', planned);
  const candidates = await q.orderBy('id').limit(2).execute();
  const shared = candidates[0];
  if (!shared) return;
  const shareId = newId();
  const sharedAt = new Date(now.getTime() - 2 * 86_400_000).toISOString();
  await accessGrantsRepo.insertShare(tx, {
    id: shareId, case_id: shared.id, patient_id: shared.patient_id, owner_institution_id: mainId, institution_id: partnerId,
    purpose: 'Second opinion on local control: limb-salvage surgery versus definitive radiation after induction.',
    created_by: owner.id, created_at: sharedAt, until: new Date(Date.parse(sharedAt) + SHARE_DEFAULT_DAYS * 86_400_000).toISOString(),
    revoked_at: null, revoked_by: null,
  });
  await accessGrantsRepo.insertComment(tx, {
    id: newId(), share_id: shareId, case_id: shared.id, institution_id: partnerId, author_id: reviewer.id, created_at: new Date(now.getTime() - 86_400_000).toISOString(),
    body: 'Reviewed imaging and pathology. We agree with limb-salvage surgery after induction; margins look achievable. Happy to discuss at your conference.',
  });
  await accessGrantsRepo.insertComment(tx, {
    id: newId(), share_id: shareId, case_id: shared.id, institution_id: mainId, author_id: owner.id, created_at: new Date(now.getTime() - 20 * 3_600_000).toISOString(),
    body: 'Thank you. We will present it at Tuesday\'s conference; could one of your surgeons join by video for this case?',
  });

  // A break-the-glass event three days ago on another patient (not the shared one), still to be reviewed.
  const other = await tx.selectFrom('cases').select(['id', 'patient_id']).where('institution_id', '=', mainId)
    .where('patient_id', '!=', shared.patient_id).orderBy('id').executeTakeFirst();
  if (!other) return;
  const grantId = newId();
  const at = new Date(now.getTime() - 3 * 86_400_000);
  await accessGrantsRepo.insertGrant(tx, {
    id: grantId, user_id: reviewer.id, institution_id: partnerId, patient_id: other.patient_id, owner_institution_id: mainId,
    reason_category: 'emergency-care', justification: 'Patient presented to our emergency department with fever and neutropenia during chemotherapy.',
    created_at: at.toISOString(), until: breakGlassUntil(at), reviewed_at: null, reviewed_by: null, review_note: null,
  });
  const entry = (minutes: number, action: 'create' | 'read', recordType: string, recordId: string, detail: string) => auditRepo.append(tx, {
    id: newId(), at: new Date(at.getTime() + minutes * 60_000).toISOString(), userId: reviewer.id, username: reviewer.username, role: reviewer.role,
    institutionId: partnerId, action, recordType, recordId, patientId: other.patient_id, outcome: 'success', clientIp: null, requestId: null, detail,
  });
  await entry(0, 'create', 'break_glass', grantId, 'reason=emergency-care lookup institution=LCH');
  await entry(1, 'read', 'patient', other.patient_id, `break-glass ${grantId}`);
  await entry(3, 'read', 'case', other.id, `break-glass ${grantId}`);
  await entry(4, 'read', 'case_assessment', other.id, `break-glass ${grantId}`);
}
