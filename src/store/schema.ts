import type { Generated } from 'kysely';

/**
 * Table types for Kysely. One schema for SQLite and PostgreSQL: text ids (UUIDs made in code), ISO-8601 UTC text
 * timestamps stamped in code (never DB defaults: they differ between dialects), booleans as 0/1 integers, JSON as
 * text. Repositories convert rows to domain types.
 */
export interface Database {
  institutions: InstitutionTable;
  users: UserTable;
  sessions: SessionTable;
  patients: PatientTable;
  tumors: TumorTable;
  cases: CaseTable;
  case_events: CaseEventTable;
  audit_log: AuditTable;
}

export interface InstitutionTable {
  id: string;
  code: string;
  name: string;
  created_at: string;
}

export interface UserTable {
  id: string;
  institution_id: string;
  username: string;
  display_name: string;
  role: string;
  discipline: string | null;
  password_hash: string;
  active: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface SessionTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  client_ip: string | null;
}

export interface PatientTable {
  id: string;
  institution_id: string;
  mrn: string;
  family_name: string;
  given_name: string;
  birth_date: string;
  sex: string;
  preferred_language: string;
  interpreter_needed: number;
  home_country: string;
  guardians: string;
  /** Lower-cased, accent-folded names, MRN and diagnoses: what the search box matches. */
  search_text: string;
  /** Denormalized for the list: the latest tumour's diagnosis term and the latest case's status. */
  diagnosis_summary: string | null;
  case_status: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  created_by: string | null;
}

export interface TumorTable {
  id: string;
  patient_id: string;
  institution_id: string;
  diagnosis_date: string;
  morphology: string;
  topography: string;
  site_category: string;
  primary_site: string;
  laterality: string | null;
  size_cm: number | null;
  details: string;
  pathology_summary: string | null;
  imaging_summary: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CaseTable {
  id: string;
  institution_id: string;
  patient_id: string;
  tumor_id: string;
  status: string;
  question: string | null;
  urgent: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CaseEventTable {
  id: string;
  case_id: string;
  status: string;
  at: string;
  by_user_id: string | null;
  note: string | null;
}

export interface AuditTable {
  seq: Generated<number>;
  id: string;
  at: string;
  user_id: string | null;
  username: string | null;
  role: string | null;
  institution_id: string | null;
  action: string;
  record_type: string;
  record_id: string | null;
  patient_id: string | null;
  outcome: string;
  client_ip: string | null;
  request_id: string | null;
  detail: string | null;
}
