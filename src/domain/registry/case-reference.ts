/**
 * A case's short reference (R-NOTIFY-PRIVACY): the first 8 characters of its id, upper case, e.g. "CASE 3F9A12BC".
 * Emails name a case by it instead of the patient; the case page and the second-opinion lists show it, so a reader
 * can match an email to the case. Short enough to read out, enough to tell a day's cases apart. Import-free: the web
 * app uses it too.
 */
export function caseReference(caseId: string): string {
  return `CASE ${caseId.slice(0, 8).toUpperCase()}`;
}
