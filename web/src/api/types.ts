/**
 * Shapes of the TumorBoard HTTP API (/api/v1) as the web UI uses them. Where the server defines the shape, it is
 * imported as a type only (erased at build time, no server code in the bundle): src/domain/registry/types.ts,
 * src/domain/facts/assessment.ts, src/domain/rules/derive.ts, the signed-in user of src/http/routes/auth.ts
 * (publicUser), the user accounts of src/store/users.repo.ts and src/services/auth.service.ts, and the audit log of
 * src/store/audit.repo.ts. Runtime vocabularies stay copies (the server modules pull zod or the database driver),
 * each checked against the server's tuple with `satisfies`. The rest (Page, Vocabularies, CaseFacts) are the web's
 * own: the server has no exported type for them to import.
 */
import type { ROLES as SERVER_ROLES, CASE_STATUSES as SERVER_CASE_STATUSES } from '../../../src/domain/registry/types.js';
import type { Guardian, Role } from '../../../src/domain/registry/types.js';
import type { CaseDetail } from '../../../src/services/registry.service.js';
import type { publicUser } from '../../../src/http/routes/auth.js';
import type { AUDIT_ACTIONS as SERVER_AUDIT_ACTIONS, AUDIT_OUTCOMES as SERVER_AUDIT_OUTCOMES, AuditEntry as ServerAuditEntry, AuditFilter as ServerAuditFilter } from '../../../src/store/audit.repo.js';

/** A runtime copy of src/domain/registry/types.ts ROLES (that module pulls zod into the bundle), checked against it. */
export const ROLES = ['coordinator', 'clinician', 'trials', 'travel', 'referrer', 'researcher', 'admin'] as const satisfies typeof SERVER_ROLES;
export type { Role };

/**
 * The signed-in user (GET /auth/me, POST /auth/login: src/http/routes/auth.ts publicUser): `permissions` are what the
 * server lets this user do (src/domain/auth/permissions.ts); `mfaPending`: signed in with the password only while the
 * role requires two-step sign-in, so only its set-up is open.
 */
export type User = ReturnType<typeof publicUser>;

export const RELATIONSHIPS = ['mother', 'father', 'guardian', 'grandparent', 'other'] as const satisfies readonly Relationship[];
export type Relationship = Guardian['relationship'];

export type { Guardian, PatientInput, Patient } from '../../../src/domain/registry/types.js';

/**
 * A patient or case with what the page shows beside it (src/services/registry.service.ts): `access` when reached
 * through a second-opinion share or break-the-glass (src/services/access.ts), and for a case its plan, if any.
 */
export type { CaseDetail };
export type { PatientDetail } from '../../../src/services/registry.service.js';
/** How a record of another institution was reached: a second-opinion share or break-the-glass. */
export type GrantAccess = NonNullable<CaseDetail['access']>;

export type { PatientSummary, TumorInput, Tumor } from '../../../src/domain/registry/types.js';

/** A runtime copy of src/domain/registry/types.ts CASE_STATUSES, checked against it. */
export const CASE_STATUSES = ['referred', 'under_review', 'presented', 'plan_agreed', 'in_treatment', 'follow_up'] as const satisfies typeof SERVER_CASE_STATUSES;
export type { CaseStatus, CaseRecord, CaseStatusEvent as TimelineEntry } from '../../../src/domain/registry/types.js';

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

/** A user account (GET /admin/users items, POST /admin/users): src/store/users.repo.ts UserRecord. */
export type { UserRecord as AdminUser } from '../../../src/store/users.repo.js';
/** POST /admin/users (src/services/auth.service.ts newUserSchema). */
export type { NewUser as NewUserInput } from '../../../src/services/auth.service.js';

/** src/store/audit.repo.ts AUDIT_ACTIONS and AUDIT_OUTCOMES. */
export const AUDIT_ACTIONS = ['read', 'search', 'create', 'update', 'export', 'login', 'logout', 'login_failed'] as const satisfies typeof SERVER_AUDIT_ACTIONS;
export const AUDIT_OUTCOMES = ['success', 'denied', 'error'] as const satisfies typeof SERVER_AUDIT_OUTCOMES;

/** One audit entry as GET /admin/audit (and the patient access report) list it, with its position `seq`. */
export type AuditEntry = ServerAuditEntry & { seq: number };

/** The GET /admin/audit filters (src/store/audit.repo.ts AuditFilter; the institution is the caller's, paging is apart). */
export type AuditFilter = Omit<ServerAuditFilter, 'institutionId' | 'limit' | 'offset'>;
