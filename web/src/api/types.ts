/** Shapes of the TumorBoard HTTP API (/api/v1) as the web UI uses them. */

export const ROLES = ['coordinator', 'clinician', 'trials', 'travel', 'referrer', 'researcher', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  discipline: string | null;
  institution: { id: string; name: string };
  /** What the server lets this user do (src/domain/auth/permissions.ts). */
  permissions: string[];
  /** Signed in with the password only while the role requires two-step sign-in: only its set-up is open. */
  mfaPending?: boolean;
}

export const RELATIONSHIPS = ['mother', 'father', 'guardian', 'grandparent', 'other'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

export interface Guardian {
  name: string;
  relationship: Relationship;
  phone?: string;
  email?: string;
  language?: string;
}

export interface PatientInput {
  mrn: string;
  familyName: string;
  givenName: string;
  birthDate: string;
  sex: 'male' | 'female';
  preferredLanguage: string;
  interpreterNeeded: boolean;
  homeCountry: string;
  guardians: Guardian[];
}

export interface Patient extends PatientInput {
  id: string;
  institutionId: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** How a record of another institution was reached (src/services/access.ts): a second-opinion share or break-the-glass. */
export interface GrantAccess {
  basis: 'share' | 'btg';
  grantId: string;
  until: string;
  /** The owner institution's name (shares). */
  sharedBy: string | null;
}

export interface PatientDetail extends Patient {
  tumors: Tumor[];
  cases: CaseRecord[];
  access?: GrantAccess;
}

export interface PatientSummary {
  id: string;
  mrn: string;
  familyName: string;
  givenName: string;
  birthDate: string;
  sex: 'male' | 'female';
  preferredLanguage: string;
  homeCountry: string;
  diagnosis: string | null;
  caseStatus: CaseStatus | null;
  updatedAt: string;
}

export interface TumorInput {
  diagnosisDate: string;
  morphology: string;
  topography: string;
  siteCategory: string;
  primarySite: string;
  laterality?: string;
  sizeCm?: number;
  details: Record<string, unknown>;
  pathologySummary?: string;
  imagingSummary?: string;
}

export interface Tumor extends TumorInput {
  id: string;
  patientId: string;
  version: number;
}

export const CASE_STATUSES = ['referred', 'under_review', 'presented', 'plan_agreed', 'in_treatment', 'follow_up'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export interface TimelineEntry {
  status: CaseStatus;
  at: string;
  byUserId: string | null;
  byDisplayName: string | null;
  note: string | null;
}

export interface CaseRecord {
  id: string;
  patientId: string;
  /** Null while the tumour is not characterised yet (a case opened at referral triage). */
  tumorId: string | null;
  status: CaseStatus;
  question: string | null;
  urgent: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  timeline: TimelineEntry[];
}

export interface CaseDetail extends CaseRecord {
  patient: Patient;
  tumor: Tumor | null;
  access?: GrantAccess;
}

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

export interface Page<T> {
  items: T[];
  total: number;
}

export interface Vocabularies {
  siteCategories: string[];
  morphologies: { code: string; term: string; family: string }[];
  caseStatuses: string[];
  disciplines: string[];
  roles: string[];
}

export interface Explanation {
  output: string;
  rules: string[];
  text: string;
  disagreement?: string;
  unverified?: boolean;
}

export interface MissingFact {
  field: string;
  needed_for: string;
}

export interface ScreeningItem {
  test: string;
  frequency: string;
  because: string;
  rules: string[];
}

type Nullable<T> = { [K in keyof T]: T[K] | null };

/** Assessment (DESIGN.md §4). A system is null where it does not apply; a value is null where facts are missing. */
export interface Assessment {
  enneking: Nullable<{ stage: string; substage: string }> | null;
  ajcc: Nullable<{ scheme: string; T: string; N: string; M: string; grade: string; stageGroup: string }> | null;
  rms: Nullable<{
    stage: number; clinicalGroup: string; siteCategory: string; cogRiskHistologyBased: string;
    cogRiskFusionBased: string; arst2032Category: string; lowRiskSubset: string; oberlinFactorCount: number;
    oberlinCategory: string; epssgHighRisk: boolean;
  }> | null;
  ewing: Nullable<{ metastaticCategory: string }> | null;
  osteosarcoma: Nullable<{
    metastaticCategory: string; huvosGrade: string; responseByNecrosis90: string; euramosResponse: string;
  }> | null;
  nrsts: Nullable<{ arst0332RiskGroup: string; arst0332Arm: string }> | null;
  treatmentTemplate: string | null;
  plannedCumulativeMgM2: Record<string, number> | null;
  cedMgM2: number | null;
  doxorubicinEquivalentMgM2: number | null;
  echoFrequency: string | null;
  radiation: { primaryGy: number | null; situation?: string; wholeLungGy?: number | null } | null;
  icd10cm: string | null;
  flags: string[];
  siteSpecificDisciplines: string[];
  conferenceDisciplines: string[];
  fertilityOptions: string[];
  survivorship?: { cedMgM2: number | null; doxorubicinEquivalentMgM2: number | null; echoFrequency: string | null; items: ScreeningItem[] } | null;
  missing: MissingFact[];
  explanations: Explanation[];
}

export type CaseFacts = Record<string, unknown>;

export interface AdminUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  discipline: string | null;
  active: boolean;
  createdAt: string;
}

export interface NewUserInput {
  username: string;
  displayName: string;
  role: Role;
  discipline?: string;
  password: string;
}

export const AUDIT_ACTIONS = ['read', 'search', 'create', 'update', 'export', 'login', 'logout', 'login_failed'] as const;
export const AUDIT_OUTCOMES = ['success', 'denied', 'error'] as const;

export interface AuditEntry {
  id: string;
  seq: number;
  at: string;
  userId: string | null;
  username: string | null;
  role: string | null;
  institutionId: string | null;
  action: (typeof AUDIT_ACTIONS)[number];
  recordType: string | null;
  recordId: string | null;
  patientId: string | null;
  outcome: (typeof AUDIT_OUTCOMES)[number];
  clientIp: string | null;
  requestId: string | null;
  detail: unknown;
}

export interface AuditFilter {
  userId?: string;
  action?: string;
  recordType?: string;
  patientId?: string;
  outcome?: string;
  from?: string;
  to?: string;
}
