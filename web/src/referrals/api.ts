/**
 * Referrals API as the web UI uses it (shapes mirror src/domain/referrals/types.ts and the referral routes; `Clock`
 * is the server's own TurnaroundClock and the vocabularies are checked against the server's, as type-only imports).
 * Kept apart from api/types.ts and api/hooks.ts so the referrals module can change without touching shared files.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { API_BASE, ApiError, api, request } from '../api/client.js';
import type { Page } from '../api/types.js';
import type {
  REFERRAL_STATUSES as SERVER_REFERRAL_STATUSES, URGENCIES as SERVER_URGENCIES, REFERRAL_ORIGINS as SERVER_REFERRAL_ORIGINS,
  RECORD_STATUSES as SERVER_RECORD_STATUSES, LETTER_STATUSES as SERVER_LETTER_STATUSES,
} from '../../../src/domain/referrals/types.js';
import type { TurnaroundClock as Clock } from '../../../src/domain/referrals/turnaround.js';

// ---- vocabularies (runtime copies of src/domain/referrals/types.ts, which pulls zod; each is checked against it) --

export const REFERRAL_STATUSES = [
  'received', 'triaged', 'records_requested', 'records_complete', 'scheduled', 'presented', 'declined', 'redirected',
] as const satisfies typeof SERVER_REFERRAL_STATUSES;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
export const CLOSING_STATUSES: readonly string[] = ['declined', 'redirected'];
export const OPEN_STATUSES: readonly ReferralStatus[] = ['received', 'triaged', 'records_requested', 'records_complete', 'scheduled'];

export const URGENCIES = ['routine', 'urgent'] as const satisfies typeof SERVER_URGENCIES;
export type Urgency = (typeof URGENCIES)[number];
export const REFERRAL_ORIGINS = ['internal', 'domestic', 'international'] as const satisfies typeof SERVER_REFERRAL_ORIGINS;
export type ReferralOrigin = (typeof REFERRAL_ORIGINS)[number];
export const REFERRER_ROLES = ['physician', 'nurse', 'parent', 'guardian', 'other'] as const;
export type ReferrerRole = (typeof REFERRER_ROLES)[number];
export const TUMOR_FAMILIES = [
  'osteosarcoma', 'ewing', 'rhabdomyosarcoma', 'nrsts', 'other_bone_malignant', 'benign_bone', 'intermediate_soft_tissue',
] as const;
export type TumorFamily = (typeof TUMOR_FAMILIES)[number];
export const RECORD_STATUSES = ['needed', 'requested', 'received', 'reviewed', 'not_applicable'] as const satisfies typeof SERVER_RECORD_STATUSES;
export type RecordStatus = (typeof RECORD_STATUSES)[number];
export const LETTER_STATUSES = ['not_needed', 'needed', 'sent'] as const satisfies typeof SERVER_LETTER_STATUSES;
export type LetterStatus = (typeof LETTER_STATUSES)[number];

// ---- shapes --------------------------------------------------------------------------------------------

export interface ReferralPatient {
  familyName: string;
  givenName: string;
  birthDate: string;
  sex?: 'male' | 'female';
  mrn?: string;
  homeCountry: string;
  homeState?: string;
}

export interface Referrer {
  name: string;
  role: ReferrerRole;
  organization?: string;
  email?: string;
  phone?: string;
}

export interface PublicReferralInput {
  patient: ReferralPatient;
  referrer: Referrer;
  diagnosisText?: string;
  urgency: Urgency;
  question?: string;
  consentToShare: boolean;
  preferredLanguage: string;
  interpreterNeeded: boolean;
  travelNeeded: boolean;
  website?: string;
}

export type StaffReferralInput = Omit<PublicReferralInput, 'website'> & { origin: ReferralOrigin };

/** One turnaround clock (src/domain/referrals/turnaround.ts). */
export type { Clock };

export interface ReferralSummary {
  id: string;
  reference: string;
  status: ReferralStatus;
  urgency: Urgency;
  channel: string;
  origin: string;
  patientName: string;
  birthDate: string;
  diagnosisText: string | null;
  referrerName: string;
  assignedTo: string | null;
  assignedToName: string | null;
  createdAt: string;
  updatedAt: string;
  overdue: boolean;
  clocks: Clock[];
}

export interface Attachment {
  id: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
}

export interface DuplicateCandidate {
  patientId: string;
  mrn: string;
  familyName: string;
  givenName: string;
  birthDate: string;
  score: number;
  reasons: string[];
}

export interface RecordItem {
  item: string;
  label: string;
  category: string;
  reviewedBy: 'pathology' | 'radiology' | null;
  required: boolean;
  status: RecordStatus;
  note: string | null;
  updatedAt: string;
  version: number;
}

export interface Records {
  items: RecordItem[];
  complete: boolean;
  outstanding: { item: string; label: string; status: RecordStatus; needs: string }[];
}

export interface TravelPlan {
  homeCountry?: string;
  homeState?: string;
  timeZone?: string;
  interpreterNeeded: boolean;
  interpreterLanguage?: string;
  interpreterArranged: boolean;
  arrivalDate?: string;
  departureDate?: string;
  lodging?: string;
  lodgingConfirmed: boolean;
  visaLetter: LetterStatus;
  insuranceLetter: LetterStatus;
  escortName?: string;
  escortPhone?: string;
  notes?: string;
}

export interface NextDue {
  /** YYYY-MM-DD; null when it cannot be dated yet (no arrival date). */
  due: string | null;
  what: string | null;
}

export type Travel = TravelPlan & { version: number; nextDue: NextDue | null };

export interface ReferralTimelineEntry {
  status: ReferralStatus;
  at: string;
  byDisplayName: string | null;
  note: string | null;
}

export interface Referral {
  id: string;
  reference: string;
  status: ReferralStatus;
  urgency: Urgency;
  channel: string;
  origin: string;
  patient: ReferralPatient;
  referrer: Referrer;
  diagnosisText: string | null;
  question: string | null;
  consentToShare: boolean;
  preferredLanguage: string;
  interpreterNeeded: boolean;
  travelNeeded: boolean;
  assignedTo: string | null;
  assignedToName: string | null;
  patientId: string | null;
  caseId: string | null;
  suspectedFamily: TumorFamily | null;
  outcomeReason: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  timeline: ReferralTimelineEntry[];
  attachments: Attachment[];
  duplicates: DuplicateCandidate[];
  allowedTransitions: ReferralStatus[];
  clocks: Clock[];
  overdue: boolean;
  records: Records | null;
  travel: Travel | null;
}

export interface TriageInput {
  urgency: Urgency;
  assignedTo?: string;
  suspectedFamily?: TumorFamily;
  patient: { action: 'link'; patientId: string } | { action: 'create'; mrn: string; sex?: 'male' | 'female' };
  note?: string;
}

export interface Assignee {
  id: string;
  displayName: string;
}

export interface ProgramContacts {
  phones: { label: string; number: string }[];
  email: string;
}

export interface SubmittedReferral {
  id: string;
  reference: string;
  status: ReferralStatus;
}

export interface TravelWorkItem {
  referralId: string;
  reference: string;
  patientName: string;
  homeCountry: string | null;
  arrivalDate: string | null;
  interpreterLanguage: string | null;
  nextDue: string | null;
  nextDueWhat: string | null;
  overdue: boolean;
}

export interface MyReferral {
  id: string;
  reference: string;
  patientInitials: string;
  status: ReferralStatus;
  createdAt: string;
  updatedAt: string;
}

// ---- public submission -----------------------------------------------------------------------------------

/** A UUID for the Idempotency-Key header; crypto.randomUUID exists only in secure contexts, so fall back. */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  c.getRandomValues(b);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

async function errorFrom(res: Response): Promise<ApiError> {
  let payload: unknown = null;
  try {
    payload = await res.json();
  } catch {
    // not JSON: generic message below
  }
  const err = (payload as { error?: Record<string, unknown> } | null)?.error;
  if (err && typeof err === 'object') {
    const issues = Array.isArray(err.issues)
      ? (err.issues as { field?: unknown; message?: unknown }[]).map((i) => ({ field: String(i.field ?? ''), message: String(i.message ?? 'Invalid value') }))
      : [];
    return new ApiError(res.status, String(err.code ?? 'error'), String(err.message ?? res.statusText),
      typeof err.field === 'string' ? err.field : undefined, issues);
  }
  return new ApiError(res.status, 'http_error', `The server answered ${res.status} ${res.statusText}`.trim());
}

/** A referral as JSON, or as multipart/form-data (`referral` = the JSON, files in `attachments`) when files come with it. */
async function postReferral<T>(path: string, input: unknown, files: readonly File[], extraHeaders: Record<string, string> = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...extraHeaders };
  let body: BodyInit;
  if (files.length > 0) {
    const form = new FormData();
    form.append('referral', JSON.stringify(input));
    for (const f of files) form.append('attachments', f, f.name);
    body = form; // the browser sets Content-Type with the boundary
  } else {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(input);
  }
  let res: Response;
  try {
    res = await fetch(`${API_BASE}${path}`, { method: 'POST', headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', 'The server could not be reached. Check your connection and try again.');
  }
  if (!res.ok) throw await errorFrom(res);
  return (await res.json()) as T;
}

/**
 * POST /referrals/public. The same idempotency key is sent on every try, so a double click or a retry after a
 * dropped connection makes one referral (a replay answers with the same reference).
 */
export function submitPublicReferral(input: PublicReferralInput, files: readonly File[], idempotencyKey: string): Promise<SubmittedReferral> {
  return postReferral<SubmittedReferral>('/referrals/public', input, files, { 'Idempotency-Key': idempotencyKey });
}

export function useProgramContacts() {
  return useQuery({
    queryKey: ['program', 'contacts'],
    queryFn: ({ signal }) => api.get<ProgramContacts>('/program/contacts', undefined, signal),
    staleTime: 10 * 60_000,
    retry: 1,
  });
}

// ---- staff: inbox and referral -------------------------------------------------------------------------

export interface ReferralListParams {
  status?: string;
  open?: boolean;
  urgency?: string;
  assignedTo?: string;
  overdue?: boolean;
  q?: string;
  limit: number;
  offset: number;
}

export function useReferrals(params: ReferralListParams) {
  return useQuery({
    queryKey: ['referrals', params],
    queryFn: ({ signal }) => api.get<Page<ReferralSummary>>('/referrals', { ...params }, signal),
    placeholderData: keepPreviousData,
  });
}

const referralPath = (id: string) => `/referrals/${encodeURIComponent(id)}`;

export function useReferral(id: string | undefined) {
  return useQuery({
    queryKey: ['referral', id],
    queryFn: ({ signal }) => api.get<Referral>(referralPath(id ?? ''), undefined, signal),
    enabled: !!id,
  });
}

export function useAssignees(enabled = true) {
  return useQuery({
    queryKey: ['referrals', 'assignees'],
    queryFn: ({ signal }) => api.get<{ items: Assignee[] }>('/referrals/assignees', undefined, signal),
    staleTime: 5 * 60_000,
    enabled,
  });
}

async function afterReferralChange(qc: QueryClient, saved: Referral) {
  qc.setQueryData(['referral', saved.id], saved);
  await Promise.all([
    qc.invalidateQueries({ queryKey: ['referrals'], refetchType: 'active' }),
    qc.invalidateQueries({ queryKey: ['travel'] }),
    qc.invalidateQueries({ queryKey: ['patients'] }),
    qc.invalidateQueries({ queryKey: ['cases'] }),
  ]);
}

export function useCreateReferral() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ input, files }: { input: StaffReferralInput; files: readonly File[] }) => postReferral<Referral>('/referrals', input, files),
    onSuccess: (saved) => afterReferralChange(qc, saved),
  });
}

function useReferralChange<TVars>(fn: (vars: TVars) => Promise<Referral>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: (saved) => afterReferralChange(qc, saved) });
}

export function useTriage(r: Pick<Referral, 'id' | 'version'>) {
  return useReferralChange((input: TriageInput) => api.postVersioned<Referral>(`${referralPath(r.id)}/triage`, r.version, input));
}

export function useChangeReferralStatus(r: Pick<Referral, 'id' | 'version'>) {
  return useReferralChange((input: { status: ReferralStatus; reason?: string; note?: string }) =>
    api.postVersioned<Referral>(`${referralPath(r.id)}/status`, r.version, input));
}

export function useAssign(r: Pick<Referral, 'id' | 'version'>) {
  return useReferralChange((assignedTo: string) => api.postVersioned<Referral>(`${referralPath(r.id)}/assign`, r.version, { assignedTo }));
}

export function useSaveTravel(r: Pick<Referral, 'id' | 'travel'>) {
  // No If-Match for the first plan: there is no version yet.
  return useReferralChange((plan: TravelPlan) =>
    request<Referral>('PUT', `${referralPath(r.id)}/travel`, { body: plan, version: r.travel?.version }));
}

export function useUpdateRecord(referralId: string, caseId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ item, version, status, note }: { item: string; version: number; status: RecordStatus; note?: string }) =>
      api.put<RecordItem | Records>(`/cases/${encodeURIComponent(caseId)}/records/${encodeURIComponent(item)}`, version, note ? { status, note } : { status }),
    onSuccess: async (saved) => {
      // Put the new version in place at once (a quick second change must not send the old one), then reload the
      // referral for the recomputed readiness, clocks and allowed transitions.
      // The server answers with the item (or the whole checklist): either way the new versions go in the cache.
      qc.setQueryData<Referral>(['referral', referralId], (old) => {
        if (!old?.records) return old;
        if ('items' in saved) return { ...old, records: saved };
        return { ...old, records: { ...old.records, items: old.records.items.map((i) => (i.item === saved.item ? { ...i, ...saved } : i)) } };
      });
      await Promise.all([
        qc.invalidateQueries({ queryKey: ['referral', referralId] }),
        qc.invalidateQueries({ queryKey: ['referrals'], refetchType: 'active' }),
      ]);
    },
  });
}

export function useTravelWorklist() {
  return useQuery({
    queryKey: ['travel', 'worklist'],
    queryFn: ({ signal }) => api.get<{ items: TravelWorkItem[] }>('/travel/worklist', undefined, signal),
  });
}

export function useMyReferrals() {
  return useQuery({
    queryKey: ['referrals', 'mine'],
    queryFn: ({ signal }) => api.get<{ items: MyReferral[] }>('/referrals/mine', undefined, signal),
    staleTime: 0,
  });
}

export const attachmentUrl = (id: string) => `${API_BASE}/attachments/${encodeURIComponent(id)}`;
