/**
 * Shapes of the TumorBoard HTTP API (/api/v1) as the web UI uses them. Where the server defines the shape, it is
 * imported as a type only (erased at build time, no server code in the bundle): src/domain/registry/types.ts,
 * src/domain/facts/assessment.ts, src/domain/rules/derive.ts.
 */
import type { ROLES as SERVER_ROLES, CASE_STATUSES as SERVER_CASE_STATUSES } from '../../../src/domain/registry/types.js';
import type { CaseRecord, Guardian, Patient, Role, Tumor } from '../../../src/domain/registry/types.js';

/** A runtime copy of src/domain/registry/types.ts ROLES (that module pulls zod into the bundle), checked against it. */
export const ROLES = ['coordinator', 'clinician', 'trials', 'travel', 'referrer', 'researcher', 'admin'] as const satisfies typeof SERVER_ROLES;
export type { Role };

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

export const RELATIONSHIPS = ['mother', 'father', 'guardian', 'grandparent', 'other'] as const satisfies readonly Relationship[];
export type Relationship = Guardian['relationship'];

export type { Guardian, PatientInput, Patient } from '../../../src/domain/registry/types.js';

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

export type { PatientSummary, TumorInput, Tumor } from '../../../src/domain/registry/types.js';

/** A runtime copy of src/domain/registry/types.ts CASE_STATUSES, checked against it. */
export const CASE_STATUSES = ['referred', 'under_review', 'presented', 'plan_agreed', 'in_treatment', 'follow_up'] as const satisfies typeof SERVER_CASE_STATUSES;
export type { CaseStatus, CaseRecord, CaseStatusEvent as TimelineEntry } from '../../../src/domain/registry/types.js';

export interface CaseDetail extends CaseRecord {
  patient: Patient;
  tumor: Tumor | null;
  access?: GrantAccess;
}

export type { CaseSummary } from '../../../src/domain/registry/types.js';

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

export type { Explanation, MissingFact } from '../../../src/domain/rules/derive.js';
/** Assessment (DESIGN.md §4). A system is null where it does not apply; a value is null where facts are missing. */
export type { Assessment, ScreeningItem } from '../../../src/domain/facts/assessment.js';

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
