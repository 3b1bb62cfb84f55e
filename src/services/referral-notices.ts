import { initialsOf, type NotificationTemplate } from '../domain/notify/templates.js';
import type { ReferralStatus } from '../domain/referrals/types.js';
import type { Tx } from '../store/db.js';
import { isoNow, programConfig, type Services } from './context.js';
import { enqueueNotification } from './notifier.js';

export interface ReferralNotice {
  id: string;
  institutionId: string;
  reference: string;
  /** The referral's language: the referrer's messages are written in it. */
  language: string;
  referrerEmail: string | null;
  patient: { familyName: string; givenName: string };
  status?: ReferralStatus;
}

/**
 * Queues the emails a referral change sends, in the transaction of the change (outbox): the referrer in the
 * referral's language, and the assigned coordinator. Emails carry the reference and initials only.
 */
export async function notifyReferral(s: Services, tx: Tx, r: ReferralNotice, template: NotificationTemplate, coordinatorUserId: string | null, reason?: string): Promise<void> {
  const common = {
    reference: r.reference, patientInitials: initialsOf(r.patient.givenName, r.patient.familyName),
    contacts: programConfig(s).contacts.phones,
  };
  const base = { institutionId: r.institutionId, referralId: r.id, now: isoNow(s) };
  const coordinator = coordinatorUserId
    ? await tx.selectFrom('users').select(['email', 'display_name']).where('id', '=', coordinatorUserId).executeTakeFirst()
    : undefined;
  if (template === 'referral_received') {
    await enqueueNotification(tx, { ...base, template, language: r.language, recipient: r.referrerEmail, data: common });
  } else if (template === 'referral_status_changed' && r.status) {
    await enqueueNotification(tx, { ...base, template, language: r.language, recipient: r.referrerEmail, data: { ...common, status: r.status, reason: reason ?? null, audience: 'referrer' } });
    await enqueueNotification(tx, { ...base, template, language: 'en', recipient: coordinator?.email, data: { ...common, status: r.status, reason: reason ?? null, audience: 'coordinator', recipientName: coordinator?.display_name } });
  } else if (template === 'referral_assigned') {
    await enqueueNotification(tx, { ...base, template, language: 'en', recipient: coordinator?.email, data: { ...common, status: r.status, recipientName: coordinator?.display_name } });
  }
}
