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
  referrals: ReferralTable;
  referral_events: ReferralEventTable;
  attachments: AttachmentTable;
  case_records: CaseRecordItemTable;
  travel_plans: TravelPlanTable;
  notifications: NotificationTable;
  conference_series: ConferenceSeriesTable;
  conferences: ConferenceTable;
  agenda_items: AgendaItemTable;
  discipline_inputs: DisciplineInputTable;
  attendance: AttendanceTable;
  plans: PlanTable;
  plan_versions: PlanVersionTable;
  plan_signatures: PlanSignatureTable;
  plan_administrations: PlanAdministrationTable;
  trials: TrialTable;
  trial_matches: TrialMatchTable;
  trial_screenings: TrialScreeningTable;
  trial_screening_events: TrialScreeningEventTable;
  calendar_feeds: CalendarFeedTable;
  user_mfa: UserMfaTable;
  oidc_logins: OidcLoginTable;
  mfa_recovery_codes: MfaRecoveryCodeTable;
  data_use_agreements: DataUseAgreementTable;
  research_exports: ResearchExportTable;
  research_released_sets: ResearchReleasedSetTable;
  case_shares: CaseShareTable;
  second_opinion_comments: SecondOpinionCommentTable;
  break_glass_grants: BreakGlassGrantTable;
  fhir_export_jobs: FhirExportJobTable;
  fhir_export_parts: FhirExportPartTable;
  rate_limits: RateLimitTable;
  idempotency_keys: IdempotencyKeyTable;
}

/** A per-address request counter (sign-in, public form), shared by every node. */
export interface RateLimitTable {
  bucket: string;
  /** SHA-256 of the client address. */
  key: string;
  /** Epoch milliseconds (bigint: PostgreSQL returns it as a string; the repository converts). */
  window_start: number | string;
  count: number;
}

/** A FHIR Bulk Data export job (`Patient/$export`); its output is in fhir_export_parts. */
export interface FhirExportJobTable {
  id: string;
  institution_id: string;
  user_id: string;
  status: 'running' | 'complete' | 'failed';
  request_url: string;
  types: string | null;
  created_at: string;
  completed_at: string | null;
  expires_at: string;
  patients: number | null;
  error: string | null;
}

/** One batch's resources of one type in a bulk export, one per line; a type's file is its parts in `seq` order. */
export interface FhirExportPartTable {
  job_id: string;
  resource_type: string;
  seq: number;
  count: number;
  /** UTF-8 NDJSON. */
  ndjson: Buffer;
}

/** A recorded data-use agreement (45 CFR 164.514(e)(4)): a Limited Data Set export must name an unexpired one. */
export interface DataUseAgreementTable {
  id: string;
  institution_id: string;
  reference: string;
  recipient: string;
  purpose: string;
  /** YYYY-MM-DD: the last day the agreement is in force. */
  expires_on: string;
  recorded_by: string;
  recorded_at: string;
}

/** The counts one cohort answer showed exactly, as member sets, for differencing control (020). */
export interface ResearchReleasedSetTable {
  id: string;
  institution_id: string;
  user_id: string;
  answered_at: string;
  /** JSON: { "<key>": [sorted patient ids] } (`total` or `<dimension>:<cellKey>`). */
  payload: string;
}

/** One research export: who, when, mode, filters, row count and SHA-256 of the file (never the data). */
export interface ResearchExportTable {
  id: string;
  institution_id: string;
  user_id: string;
  at: string;
  mode: string;
  format: string;
  filters: string;
  dua_id: string | null;
  row_count: number;
  sha256: string;
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
  email: string | null;
  active: number;
  version: number;
  created_at: string;
  updated_at: string;
  /** The linked single sign-on identity, `issuer|sub` (migration 013); null for local sign-in only. */
  oidc_subject: string | null;
}

export interface SessionTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  client_ip: string | null;
  /** 1 while the user must still enrol a second factor (migration 012). */
  mfa_pending: number;
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
  /** Null while the tumour is not yet characterised (a case opened at referral triage). */
  tumor_id: string | null;
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
  /** Hash chains (migration 008, src/domain/audit/chain.ts): which parallel chain, the position in it, the previous entry's hash and this entry's. */
  chain: Generated<number>;
  chain_seq: number | null;
  prev_hash: string | null;
  hash: string | null;
}

export interface ReferralTable {
  id: string;
  institution_id: string;
  /** Human reference quoted on the phone and in letters, e.g. REF-2026-4F7K2Q. */
  reference: string;
  idempotency_key: string | null;
  status: string;
  /** Who submitted: staff, physician (outside), family. */
  channel: string;
  /** internal (own clinics), domestic, international: for caseload analytics. */
  origin: string;
  urgency: string;
  /** JSON: the patient as the referrer described them. */
  patient: string;
  /** JSON: the referrer's name, role, organisation and contacts. */
  referrer: string;
  referrer_user_id: string | null;
  diagnosis_text: string | null;
  question: string | null;
  consent_to_share: number;
  preferred_language: string;
  assigned_to: string | null;
  patient_id: string | null;
  case_id: string | null;
  suspected_family: string | null;
  /** Why a referral was declined or redirected. */
  outcome_reason: string | null;
  search_text: string;
  triaged_at: string | null;
  records_complete_at: string | null;
  scheduled_at: string | null;
  closed_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ReferralEventTable {
  id: string;
  referral_id: string;
  status: string;
  at: string;
  by_user_id: string | null;
  note: string | null;
}

export interface AttachmentTable {
  id: string;
  referral_id: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  kind: string;
  created_at: string;
}

export interface CaseRecordItemTable {
  id: string;
  case_id: string;
  item: string;
  required: number;
  status: string;
  note: string | null;
  updated_by: string | null;
  version: number;
  updated_at: string;
}

export interface TravelPlanTable {
  referral_id: string;
  plan: string;
  next_due: string | null;
  version: number;
  updated_at: string;
  updated_by: string | null;
}

export interface NotificationTable {
  id: string;
  institution_id: string | null;
  referral_id: string | null;
  recipient: string;
  language: string;
  template: string;
  subject: string;
  body: string;
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface ConferenceSeriesTable {
  id: string;
  institution_id: string;
  /** JSON: SeriesInput (weekday, time, time zone, room, link, capacity, cut-off). */
  settings: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ConferenceTable {
  id: string;
  series_id: string;
  institution_id: string;
  slot_date: string;
  starts_at: string;
  ends_at: string;
  status: string;
  note: string | null;
  current_item_id: string | null;
  minutes_locked_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AgendaItemTable {
  id: string;
  conference_id: string;
  case_id: string;
  kind: string;
  position: number;
  estimated_minutes: number;
  presenter_id: string | null;
  proposed: number;
  /** pending, discussed, rolled_over */
  status: string;
  started_at: string | null;
  ended_at: string | null;
  /** JSON: Recommendation. */
  recommendation: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface DisciplineInputTable {
  id: string;
  case_id: string;
  conference_id: string;
  discipline: string;
  author_id: string;
  stance: string;
  findings: string | null;
  recommendation: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AttendanceTable {
  id: string;
  conference_id: string;
  user_id: string;
  discipline: string;
  mode: string;
  checked_in_at: string;
}

export interface PlanTable {
  id: string;
  case_id: string;
  institution_id: string;
  /** draft | agreed | active | completed | stopped */
  status: string;
  source_item_id: string | null;
  started_on: string | null;
  ended_on: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface PlanVersionTable {
  id: string;
  plan_id: string;
  version: number;
  /** JSON: PlanContent (domain/plan/plan.ts). */
  content: string;
  content_hash: string;
  author_id: string;
  note: string | null;
  created_at: string;
}

export interface PlanSignatureTable {
  id: string;
  plan_id: string;
  version: number;
  content_hash: string;
  discipline: string;
  user_id: string;
  signed_at: string;
}

export interface PlanAdministrationTable {
  id: string;
  plan_id: string;
  /** chemo | surgery | radiation */
  kind: string;
  given_on: string;
  /** JSON: Administration (domain/plan/concordance.ts). */
  data: string;
  recorded_by: string;
  created_at: string;
}

export interface TrialTable {
  id: string;
  nct_id: string | null;
  /** The institution's protocol number of a local trial entered by hand (unique); null for imported trials. */
  local_id: string | null;
  /** ctgov | local */
  source: string;
  institution_id: string | null;
  title: string;
  network: string;
  status: string;
  /** JSON array of phases. */
  phases: string;
  /** JSON: the imported registry record. */
  registry: string;
  criteria_sha256: string | null;
  last_update_post_date: string | null;
  /** JSON: the curated trial definition. */
  definition: string;
  /** draft | curated | stale */
  curation: string;
  version: number;
  imported_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface TrialMatchTable {
  case_id: string;
  trial_id: string;
  verdict: string;
  trial_version: number;
  computed_at: string;
}

export interface TrialScreeningTable {
  id: string;
  case_id: string;
  trial_id: string;
  institution_id: string;
  status: string;
  reason: string | null;
  verdict: string | null;
  version: number;
  updated_by: string;
  created_at: string;
  updated_at: string;
}

export interface TrialScreeningEventTable {
  id: string;
  screening_id: string;
  status: string;
  reason: string | null;
  user_id: string;
  at: string;
}

export interface CalendarFeedTable {
  /** SHA-256 (hex) of the secret token in the feed URL. */
  token_hash: string;
  series_id: string;
  user_id: string;
  created_at: string;
  revoked_at: string | null;
}

/** A user's TOTP enrolment (migration 012): pending until `enabled_at`; `last_step` blocks a replayed code. */
export interface UserMfaTable {
  user_id: string;
  secret: string;
  enabled_at: string | null;
  last_step: number | null;
  version: number;
  created_at: string;
  updated_at: string;
}

/** One-time recovery codes, SHA-256 only. */
export interface MfaRecoveryCodeTable {
  user_id: string;
  code_hash: string;
  used_at: string | null;
}

/** A single sign-on in flight (migration 013): used once, within ten minutes. */
export interface OidcLoginTable {
  state: string;
  nonce: string;
  code_verifier: string;
  created_at: string;
}

/** A create's Idempotency-Key (migration 015): claimed and answered in the create's transaction; kept 24 hours. */
export interface IdempotencyKeyTable {
  user_id: string;
  key: string;
  /** Method and route pattern, e.g. `POST /api/v1/patients/:id/tumors`. */
  route: string;
  /** SHA-256 of the route, its parameters and body: the same key with another request is refused. */
  request_hash: string;
  status_code: number | null;
  response_json: string | null;
  created_at: string;
}

/** A second-opinion share: one case of the owner institution readable by another institution until `until`. */
export interface CaseShareTable {
  id: string;
  case_id: string;
  patient_id: string;
  owner_institution_id: string;
  /** The institution the case is shared with. */
  institution_id: string;
  purpose: string;
  created_by: string;
  created_at: string;
  until: string;
  revoked_at: string | null;
  revoked_by: string | null;
}

/** A reviewer's comment on a case shared with their institution (shown to the owner). */
export interface SecondOpinionCommentTable {
  id: string;
  share_id: string;
  case_id: string;
  /** The author's institution. */
  institution_id: string;
  author_id: string;
  body: string;
  created_at: string;
}

/** Break-the-glass: one user's read-only access to one patient for four hours, reviewed by the owner's admin. */
export interface BreakGlassGrantTable {
  id: string;
  user_id: string;
  /** The user's institution. */
  institution_id: string;
  patient_id: string;
  owner_institution_id: string;
  reason_category: string;
  justification: string;
  created_at: string;
  until: string;
  reviewed_at: string | null;
  reviewed_by: string | null;
  review_note: string | null;
}
