/**
 * The eighteen HIPAA Safe Harbor identifiers (45 CFR 164.514(b)(2)(i)(A)–(R)) as data: for each, where TumorBoard's
 * records carry it and what each research export mode does with it. The row builders (rows.ts) are an allow-list,
 * so this table documents the decision; the re-identification tests check that the output obeys it.
 *
 * Limited Data Set (45 CFR 164.514(e)(2)) removes the same direct identifiers except dates, city, state and ZIP
 * code; the date-shifted mode keeps Safe Harbor's treatment of everything but dates (shifted) and the subject code
 * (a keyed pseudonym), which is why it is labelled NOT Safe Harbor.
 */

export const EXPORT_MODES = ['safe_harbor', 'limited', 'date_shifted'] as const;
export type ExportMode = (typeof EXPORT_MODES)[number];

/** What an export does with one identifier. */
export type Treatment =
  | 'not_held'       // TumorBoard has no such field: nothing to remove (listed so the table stays complete)
  | 'removed'        // never written to the output
  | 'year_only'      // dates: only the year is written
  | 'kept'           // written as recorded (Limited Data Set dates and geography)
  | 'shifted'        // dates moved by the patient's consistent random offset
  | 'zip3_or_000'    // first three ZIP digits where that area holds > 20,000 people, otherwise 000
  | 'grouped_90'     // ages over 89 written as "90+" (and the birth year dropped)
  | 'random_code'    // replaced by a per-export random study code not derived from the identifier (164.514(c))
  | 'keyed_pseudonym'; // replaced by HMAC-SHA-256(per-export key, id), truncated

export interface SafeHarborIdentifier {
  /** (A)…(R) of 45 CFR 164.514(b)(2)(i). */
  readonly clause: string;
  readonly identifier: string;
  /** Where TumorBoard holds it, or why it does not. */
  readonly carriedBy: string;
  readonly treatment: Readonly<Record<ExportMode, Treatment>>;
}

const REMOVED = { safe_harbor: 'removed', limited: 'removed', date_shifted: 'removed' } as const;
const NOT_HELD = { safe_harbor: 'not_held', limited: 'not_held', date_shifted: 'not_held' } as const;

export const SAFE_HARBOR_IDENTIFIERS = [
  { clause: 'A', identifier: 'Names', carriedBy: 'patients.family_name / given_name; guardians[].name; referrals.referrer name; free-text summaries, questions and notes', treatment: REMOVED },
  {
    clause: 'B', identifier: 'Geographic subdivisions smaller than a state (street, city, county, precinct, ZIP code)',
    carriedBy: 'no street, city or ZIP is held today (patients.home_country and referral homeState are country/state level, which Safe Harbor allows); travel lodging is free text and is dropped; a postal code, when a source supplies one, follows the ZIP3 rule',
    treatment: { safe_harbor: 'zip3_or_000', limited: 'kept', date_shifted: 'zip3_or_000' },
  },
  {
    clause: 'C', identifier: 'All elements of dates (except year) related to the individual; ages over 89',
    carriedBy: 'patients.birth_date, tumors.diagnosis_date, case event times (referral), plans.started_on, relapse diagnosis date',
    treatment: { safe_harbor: 'year_only', limited: 'kept', date_shifted: 'shifted' },
  },
  { clause: 'C (ages)', identifier: 'Ages over 89 and dates (including year) indicative of such age', carriedBy: 'derived from birth date', treatment: { safe_harbor: 'grouped_90', limited: 'kept', date_shifted: 'grouped_90' } },
  { clause: 'D', identifier: 'Telephone numbers', carriedBy: 'guardians[].phone; referrer phone', treatment: REMOVED },
  { clause: 'E', identifier: 'Fax numbers', carriedBy: 'not held', treatment: NOT_HELD },
  { clause: 'F', identifier: 'Email addresses', carriedBy: 'guardians[].email; referrer email; users.email (staff)', treatment: REMOVED },
  { clause: 'G', identifier: 'Social Security numbers', carriedBy: 'not held', treatment: NOT_HELD },
  {
    clause: 'H', identifier: 'Medical record numbers', carriedBy: 'patients.mrn; internal record ids (patients.id, tumors.id, cases.id)',
    treatment: { safe_harbor: 'random_code', limited: 'random_code', date_shifted: 'keyed_pseudonym' },
  },
  { clause: 'I', identifier: 'Health plan beneficiary numbers', carriedBy: 'not held', treatment: NOT_HELD },
  { clause: 'J', identifier: 'Account numbers', carriedBy: 'referral references (REF-…) and attachment names', treatment: REMOVED },
  { clause: 'K', identifier: 'Certificate/license numbers', carriedBy: 'not held', treatment: NOT_HELD },
  { clause: 'L', identifier: 'Vehicle identifiers and serial numbers', carriedBy: 'not held', treatment: NOT_HELD },
  { clause: 'M', identifier: 'Device identifiers and serial numbers', carriedBy: 'not held', treatment: NOT_HELD },
  { clause: 'N', identifier: 'Web URLs', carriedBy: 'viewer links in free-text summaries (dropped)', treatment: REMOVED },
  { clause: 'O', identifier: 'IP addresses', carriedBy: 'audit_log.client_ip, sessions.client_ip (never exported)', treatment: REMOVED },
  { clause: 'P', identifier: 'Biometric identifiers', carriedBy: 'not held', treatment: NOT_HELD },
  { clause: 'Q', identifier: 'Full-face photographs and comparable images', carriedBy: 'referral attachments (never exported)', treatment: REMOVED },
  {
    clause: 'R', identifier: 'Any other unique identifying number, characteristic or code',
    carriedBy: 'free text (pathology and imaging summaries, primary site as typed, case questions) may hold any of the above',
    treatment: REMOVED,
  },
] as const satisfies readonly SafeHarborIdentifier[];

/** Plain-words description of each mode, shown in the export form and written in the output's metadata line. */
export const MODE_LABELS = {
  safe_harbor: {
    title: 'HIPAA Safe Harbor (de-identified)',
    safeHarbor: true,
    words: 'All 18 identifiers removed: no names, record numbers, contacts or free text; dates reduced to the year; ages over 89 shown as 90+; ZIP codes cut to 3 digits (000 for small areas). Subjects get a random code for this file only.',
  },
  limited: {
    title: 'Limited Data Set (needs a data-use agreement)',
    safeHarbor: false,
    words: 'Direct identifiers removed (names, record numbers, contacts, free text), but full dates and city/state/ZIP kept. Allowed only under a recorded, unexpired data-use agreement. NOT Safe Harbor.',
  },
  date_shifted: {
    title: 'Date-shifted, pseudonymized',
    safeHarbor: false,
    words: "Every date of a patient moved by the same random number of days (up to ±182); subjects carry a keyed pseudonym that is stable within this file. Intervals between a patient's dates are exact. NOT Safe Harbor.",
  },
} as const satisfies Record<ExportMode, { title: string; safeHarbor: boolean; words: string }>;
