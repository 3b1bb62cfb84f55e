import { z } from 'zod';
import { TUMOR_FAMILIES } from '../coding/morphology.js';

/**
 * Referrals (issue 4): from first contact to a case ready for conference. The zod schemas are the public contract
 * of the referral form and the staff API; every text field is plain text (never rendered as HTML).
 */

export const REFERRAL_STATUSES = [
  'received', 'triaged', 'records_requested', 'records_complete', 'scheduled', 'presented', 'declined', 'redirected',
] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** The pipeline: forward one step, or close (declined/redirected, with a reason) from any open status. */
export const REFERRAL_TRANSITIONS: Record<ReferralStatus, readonly ReferralStatus[]> = {
  received: ['triaged', 'declined', 'redirected'],
  triaged: ['records_requested', 'records_complete', 'declined', 'redirected'],
  records_requested: ['records_complete', 'declined', 'redirected'],
  records_complete: ['scheduled', 'records_requested', 'declined', 'redirected'],
  scheduled: ['presented', 'records_complete', 'declined', 'redirected'],
  presented: [],
  declined: [],
  redirected: [],
};
export const CLOSING_STATUSES: readonly ReferralStatus[] = ['declined', 'redirected'];

export const REFERRAL_CHANNELS = ['staff', 'physician', 'family'] as const;
export type ReferralChannel = (typeof REFERRAL_CHANNELS)[number];
export const REFERRAL_ORIGINS = ['internal', 'domestic', 'international'] as const;
export type ReferralOrigin = (typeof REFERRAL_ORIGINS)[number];
export const URGENCIES = ['routine', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** Languages with notification and public-page templates; others fall back to English with an interpreter flag. */
export const TEMPLATE_LANGUAGES = ['en', 'es'] as const;
export type TemplateLanguage = (typeof TEMPLATE_LANGUAGES)[number];

const plain = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const optionalPlain = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).optional();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2014-03-09')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'is not a real date');

export const referralPatientSchema = z.strictObject({
  familyName: plain(200),
  givenName: plain(200),
  birthDate: isoDate,
  sex: z.enum(['male', 'female']).optional(),
  mrn: z.string().trim().regex(/^[A-Za-z0-9-]{3,32}$/, 'must be 3-32 letters, digits or dashes').optional(),
  homeCountry: plain(80),
  homeState: optionalPlain(80),
});
export type ReferralPatient = z.infer<typeof referralPatientSchema>;

export const referrerSchema = z.strictObject({
  name: plain(200),
  role: z.enum(['physician', 'nurse', 'parent', 'guardian', 'other']),
  organization: optionalPlain(200),
  email: z.email('must be an email address').max(200).optional(),
  phone: z.string().trim().regex(/^\+?[0-9 ()\-.]{5,30}$/, 'must be a phone number').optional(),
});
export type Referrer = z.infer<typeof referrerSchema>;

/** The public referral form (outside physicians and families, no login). */
export const publicReferralSchema = z.strictObject({
  patient: referralPatientSchema,
  referrer: referrerSchema,
  diagnosisText: optionalPlain(2000),
  urgency: z.enum(URGENCIES).default('routine'),
  question: optionalPlain(2000),
  consentToShare: z.literal(true, { error: 'must be given to send a referral' }),
  preferredLanguage: plain(40),
  interpreterNeeded: z.boolean().default(false),
  travelNeeded: z.boolean().default(false),
  /** Honeypot: a field people never see. Anything in it marks the submission as spam. */
  website: z.string().max(200).optional(),
});
export type PublicReferralInput = z.infer<typeof publicReferralSchema>;

/** Staff entry adds where the referral came from. */
export const staffReferralSchema = publicReferralSchema.omit({ website: true }).extend({
  origin: z.enum(REFERRAL_ORIGINS),
  consentToShare: z.boolean(),
});
export type StaffReferralInput = z.infer<typeof staffReferralSchema>;

export const triageSchema = z.strictObject({
  urgency: z.enum(URGENCIES),
  assignedTo: z.string().min(1).max(64).optional(),
  suspectedFamily: z.enum(TUMOR_FAMILIES).optional(),
  /** Link to an existing patient (chosen from the duplicate candidates), or create one from the referral. */
  patient: z.discriminatedUnion('action', [
    z.strictObject({ action: z.literal('link'), patientId: z.string().min(1).max(64) }),
    z.strictObject({
      action: z.literal('create'),
      mrn: z.string().trim().regex(/^[A-Za-z0-9-]{3,32}$/, 'must be 3-32 letters, digits or dashes'),
      /** Needed when the referral did not give it. */
      sex: z.enum(['male', 'female']).optional(),
    }),
  ]),
  note: optionalPlain(2000),
});
export type TriageInput = z.infer<typeof triageSchema>;

export const RECORD_STATUSES = ['needed', 'requested', 'received', 'reviewed', 'not_applicable'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

export const LETTER_STATUSES = ['not_needed', 'needed', 'sent'] as const;

export const travelPlanSchema = z.strictObject({
  homeCountry: optionalPlain(80),
  homeState: optionalPlain(80),
  timeZone: z.string().trim().regex(/^[A-Za-z_]+(\/[A-Za-z0-9_+\-]+){0,2}$/, 'must be an IANA time zone like America/New_York').optional(),
  interpreterNeeded: z.boolean().default(false),
  interpreterLanguage: optionalPlain(40),
  interpreterArranged: z.boolean().default(false),
  arrivalDate: isoDate.optional(),
  departureDate: isoDate.optional(),
  lodging: optionalPlain(500),
  lodgingConfirmed: z.boolean().default(false),
  visaLetter: z.enum(LETTER_STATUSES).default('not_needed'),
  insuranceLetter: z.enum(LETTER_STATUSES).default('not_needed'),
  escortName: optionalPlain(200),
  escortPhone: z.string().trim().regex(/^\+?[0-9 ()\-.]{5,30}$/, 'must be a phone number').optional(),
  notes: optionalPlain(2000),
}).refine((p) => !p.arrivalDate || !p.departureDate || p.departureDate >= p.arrivalDate, {
  message: 'must be on or after the arrival date', path: ['departureDate'],
});
export type TravelPlan = z.infer<typeof travelPlanSchema>;
