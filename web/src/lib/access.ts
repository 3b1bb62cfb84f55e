import { useMe } from '../api/hooks.js';

/**
 * What the signed-in user may do, from the permissions the server sends with the user (no copy of the table here).
 * Only a hint to hide controls that would be refused: the server enforces every permission.
 */
export interface Access {
  registry: boolean; write: boolean; assess: boolean; admin: boolean;
  /** Referrals inbox (coordinators), staff entry and triage, travel worklist, a referrer's own referrals. */
  referrals: boolean; referralWrite: boolean; recordsWrite: boolean; travel: boolean; travelWrite: boolean; ownReferrals: boolean;
  /** Tumor Conference: see it; run it (series, agenda, live mode, finish: coordinators); take part (input, check-in, propose: clinicians). */
  conference: boolean; conferenceWrite: boolean; conferenceInput: boolean;
  /** Trials registry and matches; treatment plans. */
  trials: boolean; plans: boolean;
  /** Program analytics dashboard and annual report (researchers see small counts suppressed). */
  analytics: boolean;
  /** Research cohort and de-identified export (researchers); data-use agreements (admins). */
  research: boolean;
  /** FHIR Bulk Data export of the whole cohort (coordinators, admins). */
  fhirBulk: boolean;
  /** Second opinion: share a case; comment on one shared with us; break-the-glass (clinicians); its review (admins). */
  share: boolean; opinion: boolean; breakGlass: boolean; breakGlassReview: boolean;
}

export function accessFor(permissions: readonly string[] | undefined): Access {
  const has = (p: string) => !!permissions?.includes(p);
  return {
    registry: has('patient.read'), write: has('patient.write'), assess: has('assess.run'), admin: has('user.admin') || has('audit.read'),
    referrals: has('referral.read'), referralWrite: has('referral.write'), recordsWrite: has('records.write'), travel: has('travel.read'), travelWrite: has('travel.write'),
    ownReferrals: has('referral.own'),
    conference: has('conference.read'), conferenceWrite: has('conference.write'), conferenceInput: has('conference.input'),
    trials: has('trial.read'), plans: has('plan.read'),
    analytics: has('analytics.read'),
    research: has('research.cohort') || has('research.dua'),
    fhirBulk: has('fhir.bulk'),
    share: has('case.share'), opinion: has('case.opinion'), breakGlass: has('access.breakglass'), breakGlassReview: has('access.review'),
  };
}

export function useAccess(): Access {
  return accessFor(useMe().data?.permissions);
}

/** The first page a role lands on. */
export function homePath(a: Access): string {
  return a.registry ? '/patients' : a.ownReferrals ? '/my-referrals' : a.research ? '/research' : a.assess ? '/assessment' : '/welcome';
}
