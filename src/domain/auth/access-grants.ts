import type { FieldIssue } from '../errors.js';

/**
 * Access beyond one's own institution (issue #9 item 2), as pure rules: time is always a parameter.
 *
 * - A second-opinion share: the owner institution shares ONE case with another institution, for a stated purpose,
 *   until an end date (14 days by default, at most 30, always in the future); it may be revoked early.
 * - Break-the-glass: one user reads one patient of another institution in an emergency, with a reason category and a
 *   written justification; read-only, for 4 hours, and reviewed afterwards by the owner institution's administrator.
 */

export const SHARE_DEFAULT_DAYS = 14;
export const SHARE_MAX_DAYS = 30;
export const SHARE_PURPOSE_MAX = 500;
export const BREAK_GLASS_HOURS = 4;
export const JUSTIFICATION_MIN = 20;
export const JUSTIFICATION_MAX = 2000;
export const REVIEW_NOTE_MAX = 2000;
export const COMMENT_MAX = 5000;

export const BREAK_GLASS_REASONS = ['emergency-care', 'urgent-consult', 'continuity-of-care'] as const;
export type BreakGlassReason = (typeof BREAK_GLASS_REASONS)[number];

export const BREAK_GLASS_REASON_LABELS = {
  'emergency-care': 'Emergency care of the patient',
  'urgent-consult': 'Urgent consultation requested by the treating team',
  'continuity-of-care': 'Continuity of care (patient transferred or presenting here)',
} as const satisfies Record<BreakGlassReason, string>;

/** A grant's state at one moment. */
export type GrantStatus = 'active' | 'expired' | 'revoked';

/** The time fields every grant (share or break-the-glass) has, as ISO-8601 UTC text. */
export interface GrantTimes {
  createdAt: string;
  until: string;
  revokedAt?: string | null;
}

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A grant's status at time `t`: revoked once `revokedAt` is at or before `t`; expired from `until` on; active from
 * its creation until then. A grant is never active before it was created (a clock set back does not open it early).
 */
export function grantStatus(g: GrantTimes, t: Date): GrantStatus {
  const at = t.getTime();
  if (g.revokedAt && Date.parse(g.revokedAt) <= at) return 'revoked';
  if (at >= Date.parse(g.until) || at < Date.parse(g.createdAt)) return 'expired';
  return 'active';
}

/** Whether the grant lets its holder read at time `t`. */
export function isGrantActive(g: GrantTimes, t: Date): boolean {
  return grantStatus(g, t) === 'active';
}

/**
 * The end of a second-opinion share from what the owner typed: nothing means 14 days from now; a date means the end of
 * that day (UTC); an instant is taken as is. It must lie in the future and at most 30 days ahead (a date: on or before
 * the day 30 days from now). Problems name the field `until`.
 */
export function shareEnd(until: string | undefined, now: Date): { until: string } | { problem: FieldIssue } {
  const max = new Date(now.getTime() + SHARE_MAX_DAYS * DAY_MS);
  if (until === undefined || until === '') return { until: new Date(now.getTime() + SHARE_DEFAULT_DAYS * DAY_MS).toISOString() };
  let end: Date;
  if (DATE_ONLY.test(until)) {
    end = new Date(`${until}T23:59:59.999Z`);
    if (Number.isNaN(end.getTime()) || end.toISOString().slice(0, 10) !== until) return { problem: { field: 'until', message: 'is not a calendar date' } };
    if (until > max.toISOString().slice(0, 10)) return { problem: { field: 'until', message: `a share lasts at most ${SHARE_MAX_DAYS} days` } };
  } else if (INSTANT.test(until)) {
    end = new Date(until);
    if (Number.isNaN(end.getTime())) return { problem: { field: 'until', message: 'is not a valid time' } };
    if (end.getTime() > max.getTime()) return { problem: { field: 'until', message: `a share lasts at most ${SHARE_MAX_DAYS} days` } };
  } else {
    return { problem: { field: 'until', message: 'must be a date (YYYY-MM-DD) or an ISO-8601 time' } };
  }
  if (end.getTime() <= now.getTime()) return { problem: { field: 'until', message: 'must be in the future' } };
  return { until: end.toISOString() };
}

/** Problems with a share's purpose: required (not blank), at most 500 characters. */
export function purposeProblems(purpose: string): FieldIssue[] {
  const p = purpose.trim();
  if (p.length === 0) return [{ field: 'purpose', message: 'is required: say what the second opinion is for' }];
  if (p.length > SHARE_PURPOSE_MAX) return [{ field: 'purpose', message: `must be at most ${SHARE_PURPOSE_MAX} characters` }];
  return [];
}

/** Whether an institution may be the recipient of a share of its own case (never: it already has the case). */
export function shareTargetProblems(ownerInstitutionId: string, targetInstitutionId: string): FieldIssue[] {
  return ownerInstitutionId === targetInstitutionId
    ? [{ field: 'institution', message: 'the case already belongs to this institution: share it with another one' }]
    : [];
}

/** Problems with a break-the-glass declaration: a known reason category and a justification of at least 20 characters. */
export function breakGlassProblems(input: { reasonCategory: string; justification: string }): FieldIssue[] {
  const out: FieldIssue[] = [];
  if (!(BREAK_GLASS_REASONS as readonly string[]).includes(input.reasonCategory)) {
    out.push({ field: 'reasonCategory', message: `must be one of ${BREAK_GLASS_REASONS.join(', ')}` });
  }
  const j = input.justification.trim();
  if (j.length < JUSTIFICATION_MIN) out.push({ field: 'justification', message: `must explain the emergency in at least ${JUSTIFICATION_MIN} characters` });
  else if (j.length > JUSTIFICATION_MAX) out.push({ field: 'justification', message: `must be at most ${JUSTIFICATION_MAX} characters` });
  return out;
}

/** When a break-the-glass grant declared at `now` ends: 4 hours later. */
export function breakGlassUntil(now: Date): string {
  return new Date(now.getTime() + BREAK_GLASS_HOURS * 3_600_000).toISOString();
}

/** How a reader reached a record: their own institution's, through a share, or through break-the-glass. */
export type AccessBasis = 'own' | `share:${string}` | `btg:${string}`;

/** The audit entry's detail for a read through a grant (`null` for one's own records). */
export function basisDetail(basis: AccessBasis): string | null {
  if (basis.startsWith('share:')) return `via share ${basis.slice('share:'.length)}`;
  if (basis.startsWith('btg:')) return `break-glass ${basis.slice('btg:'.length)}`;
  return null;
}
