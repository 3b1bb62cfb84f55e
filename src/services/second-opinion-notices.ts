import { caseReference, initialsOf } from '../domain/notify/templates.js';
import type { CommentRow, ShareRow } from '../store/access-grants.repo.js';
import type { Tx } from '../store/db.js';
import { patientsRepo } from '../store/patients.repo.js';
import { isoNow, type Services } from './context.js';
import { enqueueNotification } from './notifier.js';

/** The roles told that a case was shared with their institution: the people who read and answer second opinions. */
const REVIEWER_ROLES = ['coordinator', 'clinician'] as const;

/** A recipient's address and greeting name (no users repository method returns the email, hence the direct reads). */
interface Recipient {
  id: string;
  email: string | null;
  display_name: string;
}

/** What both second-opinion emails say about the case: its short reference and the patient's initials, nothing else. */
async function caseData(tx: Tx, share: ShareRow) {
  const p = await patientsRepo.get(tx, share.owner_institution_id, share.patient_id);
  return {
    reference: caseReference(share.case_id),
    patientInitials: p ? initialsOf(p.givenName, p.familyName) : '?',
    // Staff of consortium institutions, not families or referrers: the program's public phone lines are not for them.
    contacts: [],
  };
}

/**
 * Queues `second_opinion_requested` (R-NOTIFY-PRIVACY) in the share's transaction: one email to each active
 * coordinator and clinician of the receiving institution, never to the author. The share's purpose is left out
 * (free text that may carry clinical detail); staff have no preferred language on record, so emails are in English.
 */
export async function notifyShareCreated(s: Services, tx: Tx, share: ShareRow, authorId: string): Promise<void> {
  const recipients: Recipient[] = await tx.selectFrom('users').select(['id', 'email', 'display_name'])
    .where('institution_id', '=', share.institution_id).where('role', 'in', REVIEWER_ROLES).where('active', '=', 1)
    .where('id', '!=', authorId).orderBy('id').execute();
  const common = await caseData(tx, share);
  const now = isoNow(s);
  for (const r of recipients) {
    await enqueueNotification(tx, {
      template: 'second_opinion_requested', language: 'en', recipient: r.email, institutionId: share.institution_id, referralId: null, now,
      data: {
        ...common, recipientName: r.display_name, ownerInstitution: share.owner_institution_name,
        recipientInstitution: share.institution_name, until: share.until.slice(0, 10),
      },
    });
  }
}

/**
 * Queues `second_opinion_commented` (R-NOTIFY-PRIVACY) in the comment's transaction, never with the message's text.
 * A reviewer's message goes to the person who shared the case; the owner institution's reply goes to every reviewer who
 * wrote on the same thread (`thread`, the share's comments as they now stand). The author is never emailed, nor an
 * account that is no longer active.
 */
export async function notifyComment(s: Services, tx: Tx, share: ShareRow, comment: CommentRow, thread: readonly CommentRow[]): Promise<void> {
  const fromReviewer = comment.institution_id === share.institution_id;
  const ids = fromReviewer
    ? [share.created_by]
    : [...new Set(thread.filter((c) => c.institution_id === share.institution_id).map((c) => c.author_id))];
  const to = ids.filter((id) => id !== comment.author_id);
  if (to.length === 0) return;
  const recipients = await tx.selectFrom('users').select(['id', 'email', 'display_name', 'institution_id'])
    .where('id', 'in', to).where('active', '=', 1).orderBy('id').execute();
  const common = await caseData(tx, share);
  const now = isoNow(s);
  for (const r of recipients) {
    await enqueueNotification(tx, {
      template: 'second_opinion_commented', language: 'en', recipient: r.email, institutionId: r.institution_id, referralId: null, now,
      data: { ...common, recipientName: r.display_name, fromInstitution: comment.institution_name },
    });
  }
}
