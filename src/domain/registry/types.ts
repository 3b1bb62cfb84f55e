import { z } from 'zod';
import { SITE_CATEGORIES, caseFactsSchema } from '../facts/case-facts.js';

/**
 * Registry records (DESIGN.md §2.1): patients, tumours and cases. The zod schemas are the write contract of the
 * API and the forms; the interfaces are what repositories return. Names are stored exactly as given (any script).
 */

export const ROLES = ['coordinator', 'clinician', 'trials', 'travel', 'referrer', 'researcher', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The nine standing conference groups (R-CONF) plus consultant disciplines a clinician may belong to. */
export const DISCIPLINES = [
  'pediatric_oncology', 'pediatric_surgery', 'orthopedic_oncology', 'radiation_oncology', 'medical_oncology',
  'pathology', 'radiology', 'otolaryngology', 'neurosurgery',
] as const;
export type Discipline = (typeof DISCIPLINES)[number];

export const CASE_STATUSES = ['referred', 'under_review', 'presented', 'plan_agreed', 'in_treatment', 'follow_up'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Allowed status moves: forward along the pathway, or one step back to correct a mistake. */
export const CASE_TRANSITIONS: Record<CaseStatus, readonly CaseStatus[]> = {
  referred: ['under_review'],
  under_review: ['referred', 'presented'],
  presented: ['under_review', 'plan_agreed'],
  plan_agreed: ['presented', 'in_treatment'],
  in_treatment: ['plan_agreed', 'follow_up'],
  follow_up: ['in_treatment'],
};

/** Text a person typed: trimmed, NFC-normalized so names in any script compare and round-trip consistently. */
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2014-03-09')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'is not a real date');

export const guardianSchema = z.strictObject({
  name: text(200),
  relationship: z.enum(['mother', 'father', 'guardian', 'grandparent', 'other']),
  phone: z.string().trim().regex(/^\+?[0-9 ()\-.]{5,30}$/, 'must be a phone number').optional(),
  email: z.email().max(200).optional(),
  language: z.string().trim().min(2).max(40).optional(),
});
export type Guardian = z.infer<typeof guardianSchema>;

export const patientInputSchema = z.strictObject({
  mrn: z.string().trim().regex(/^[A-Za-z0-9-]{3,32}$/, 'must be 3-32 letters, digits or dashes'),
  familyName: text(200),
  givenName: text(200),
  birthDate: isoDate,
  sex: z.enum(['male', 'female']),
  preferredLanguage: z.string().trim().min(2).max(40).default('English'),
  interpreterNeeded: z.boolean().default(false),
  homeCountry: z.string().trim().min(2).max(80).default('United States'),
  guardians: z.array(guardianSchema).max(6).default([]),
});
export type PatientInput = z.infer<typeof patientInputSchema>;

export interface Patient extends PatientInput {
  id: string;
  institutionId: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Tumour facts beyond the columns: the case-facts fields that describe the tumour (DESIGN.md §4). */
export const tumorDetailsSchema = caseFactsSchema.pick({
  depth: true, bone: true, invasiveness: true, regionalNodes: true, metastases: true, metastaticSiteCount: true,
  grade: true, surgery: true, molecular: true, headNeck: true, histologicResponse: true, diseaseStatus: true,
  pubertalStatus: true, performance: true,
}).partial();
export type TumorDetails = z.infer<typeof tumorDetailsSchema>;

export const tumorInputSchema = z.strictObject({
  diagnosisDate: isoDate,
  morphology: z.string().regex(/^\d{4}\/\d$/, 'must be an ICD-O-3 morphology code like 9180/3'),
  topography: z.string().regex(/^C\d{2}(\.\d)?$/, 'must be an ICD-O-3 topography code like C40.2'),
  siteCategory: z.enum(SITE_CATEGORIES),
  primarySite: text(200),
  laterality: z.enum(['left', 'right', 'bilateral', 'midline', 'not_applicable']).optional(),
  sizeCm: z.number().finite().positive().max(100).optional(),
  details: tumorDetailsSchema.default({}),
  pathologySummary: z.string().trim().max(5000).optional(),
  imagingSummary: z.string().trim().max(5000).optional(),
});
export type TumorInput = z.infer<typeof tumorInputSchema>;

export interface Tumor extends TumorInput {
  id: string;
  patientId: string;
  institutionId: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export const caseInputSchema = z.strictObject({
  /** Optional: a case can be opened before the tumour is characterised (e.g. at referral triage). */
  tumorId: z.string().min(1).optional(),
  question: z.string().trim().max(2000).optional(),
  urgent: z.boolean().default(false),
});
export type CaseInput = z.infer<typeof caseInputSchema>;

export interface CaseStatusEvent {
  status: CaseStatus;
  at: string;
  byUserId: string | null;
  /** Who made the change, as shown to people (null for imported or system events). */
  byDisplayName: string | null;
  note: string | null;
}

export interface CaseRecord {
  id: string;
  institutionId: string;
  patientId: string;
  tumorId: string | null;
  status: CaseStatus;
  question: string | null;
  urgent: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  timeline: CaseStatusEvent[];
}

/** A row of the patient list (`GET /patients`; store/patients.repo.ts search). */
export interface PatientSummary {
  id: string;
  mrn: string;
  familyName: string;
  givenName: string;
  birthDate: string;
  sex: Patient['sex'];
  preferredLanguage: string;
  homeCountry: string;
  diagnosis: string | null;
  /** The status of the patient's latest case; null when the patient has no case. */
  caseStatus: CaseStatus | null;
  updatedAt: string;
}

/** A row of the case list (`GET /cases`; store/cases.repo.ts list). */
export interface CaseSummary {
  id: string;
  patientId: string;
  patientName: string;
  mrn: string;
  diagnosis: string | null;
  status: CaseStatus;
  urgent: boolean;
  updatedAt: string;
}
