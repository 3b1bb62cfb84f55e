import type { Role } from '../registry/types.js';

/**
 * The permission model, first cut: role × action. Every route names one permission; institution scoping is
 * applied by the services (another institution's record answers 404). Referrers and researchers get no direct
 * patient access: referrers see their own referrals (referrals module) and researchers de-identified data only.
 */
export const PERMISSIONS = {
  'patient.read': ['coordinator', 'clinician', 'trials', 'travel', 'admin'],
  'patient.write': ['coordinator', 'clinician', 'admin'],
  'case.read': ['coordinator', 'clinician', 'trials', 'travel', 'admin'],
  'case.write': ['coordinator', 'clinician', 'admin'],
  'assess.run': ['coordinator', 'clinician', 'trials', 'researcher', 'admin'],
  'vocabulary.read': ['coordinator', 'clinician', 'trials', 'travel', 'referrer', 'researcher', 'admin'],
  'referral.read': ['coordinator', 'clinician', 'travel', 'admin'],
  'referral.write': ['coordinator', 'admin'],
  'referral.own': ['referrer'],
  'records.write': ['coordinator', 'clinician', 'admin'],
  'travel.read': ['coordinator', 'travel', 'admin'],
  'travel.write': ['coordinator', 'travel', 'admin'],
  'conference.read': ['coordinator', 'clinician', 'trials', 'admin'],
  'conference.write': ['coordinator', 'admin'],
  'conference.input': ['coordinator', 'clinician', 'admin'],
  'plan.read': ['coordinator', 'clinician', 'trials', 'admin'],
  'plan.write': ['coordinator', 'clinician', 'admin'],
  'plan.sign': ['clinician'],
  'treatment.record': ['coordinator', 'clinician', 'admin'],
  'trial.read': ['coordinator', 'clinician', 'trials', 'admin'],
  'trial.curate': ['trials', 'admin'],
  'trial.screen': ['coordinator', 'clinician', 'trials', 'admin'],
  'user.admin': ['admin'],
  'audit.read': ['admin'],
  // Research (issue 8 item 5): de-identified cohort counts and exports for researchers only. Admins record the
  // data-use agreements but do not export: whoever records a DUA should not also be the one exporting under it.
  'research.cohort': ['researcher'],
  'research.export': ['researcher'],
  'research.dua.read': ['researcher', 'admin'],
  'research.dua': ['admin'],
  // FHIR Bulk Data export of the institution's whole cohort (identified data, for consortia and partner EHRs).
  'fhir.bulk': ['coordinator', 'admin'],
  'analytics.read': ['coordinator', 'clinician', 'trials', 'admin', 'researcher'],
  // Access beyond one's institution (issue #9 item 2): share a case for a second opinion and comment on one shared
  // with you; break-the-glass emergency access (clinicians only: a person at the bedside); its review (admins).
  'case.share': ['coordinator', 'clinician', 'admin'],
  'case.opinion': ['clinician'],
  'access.breakglass': ['clinician'],
  'access.review': ['admin'],
  // One's own account: two-step sign-in set-up (every role).
  'account.self': ['coordinator', 'clinician', 'trials', 'travel', 'referrer', 'researcher', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: string, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly string[]).includes(role);
}

/** Every permission a role holds (sent to the web app so it hides what the server would refuse). */
export function permissionsOf(role: string): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(role, p));
}
