/**
 * Tumor Conference API as the web UI uses it (shapes mirror src/domain/conference/types.ts and the conference routes;
 * `Discipline` and `Recommendation` are the server's own and the vocabularies are checked against the server's, as
 * type-only imports). Kept apart from api/types.ts and api/hooks.ts so the conference module can change without touching shared files.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { API_BASE, api, request } from '../api/client.js';
import type { CaseSummary, Page } from '../api/types.js';
import type { DISCIPLINES as SERVER_DISCIPLINES, Discipline } from '../../../src/domain/registry/types.js';
import type {
  WEEKDAYS as SERVER_WEEKDAYS, OCCURRENCE_STATUSES as SERVER_OCCURRENCE_STATUSES, AGENDA_KINDS as SERVER_AGENDA_KINDS,
  INPUT_STANCES as SERVER_INPUT_STANCES, Recommendation,
} from '../../../src/domain/conference/types.js';

// ---- vocabularies (runtime copies of the domain constants, whose modules pull zod; each is checked against them) --

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const satisfies typeof SERVER_WEEKDAYS;
export type Weekday = (typeof WEEKDAYS)[number];
export const OCCURRENCE_STATUSES = ['scheduled', 'cancelled', 'live', 'finished'] as const satisfies typeof SERVER_OCCURRENCE_STATUSES;
export type OccurrenceStatus = (typeof OCCURRENCE_STATUSES)[number];
export const AGENDA_KINDS = ['new_diagnosis', 'urgent', 'post_treatment', 'relapse', 'follow_up'] as const satisfies typeof SERVER_AGENDA_KINDS;
export type AgendaKind = (typeof AGENDA_KINDS)[number];
export const INPUT_STANCES = ['recommendation', 'no_direct_role_comment', 'needs_more_information'] as const satisfies typeof SERVER_INPUT_STANCES;
export type InputStance = (typeof INPUT_STANCES)[number];
export const DISCIPLINES = [
  'pediatric_oncology', 'pediatric_surgery', 'orthopedic_oncology', 'radiation_oncology', 'medical_oncology',
  'pathology', 'radiology', 'otolaryngology', 'neurosurgery',
] as const satisfies typeof SERVER_DISCIPLINES;
/** src/domain/registry/types.ts Discipline. */
export type { Discipline };
export type AttendanceMode = 'in_person' | 'remote';

// ---- shapes --------------------------------------------------------------------------------------------

export interface SeriesInput {
  name: string;
  weekday: Weekday;
  startTime: string;
  durationMinutes: number;
  timeZone: string;
  room?: string;
  videoLink?: string;
  capacity: number;
  cutoffHours: number;
  startsOn: string;
}

export type Series = Omit<SeriesInput, 'room' | 'videoLink'> & { id: string; room: string | null; videoLink: string | null; version: number };

export interface ConferenceSummary {
  id: string;
  seriesId: string;
  seriesName: string;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  room: string | null;
  videoLink: string | null;
  status: OccurrenceStatus;
  note: string | null;
  caseCount: number;
  readyCount: number;
  version: number;
}

export interface ReadinessItem {
  key: string;
  label: string;
  /** null: cannot be checked yet (e.g. trials). */
  ok: boolean | null;
  detail: string | null;
  rules: string[];
}

export interface DisciplineInputView {
  discipline: Discipline;
  stance: InputStance;
  findings: string | null;
  recommendation: string | null;
  authorName: string;
  updatedAt: string;
}

/** The conference recommendation (src/domain/conference/types.ts). */
export type { Recommendation };
export type Dissent = Recommendation['dissent'][number];

export interface AgendaItem {
  id: string;
  caseId: string;
  patientId: string;
  patientName: string;
  mrn: string;
  diagnosis: string | null;
  question: string | null;
  kind: AgendaKind;
  urgent: boolean;
  position: number;
  estimatedMinutes: number;
  plannedStart: string | null;
  presenterId: string | null;
  presenterName: string | null;
  proposed: boolean;
  status: 'pending' | 'discussed' | 'rolled_over';
  startedAt: string | null;
  endedAt: string | null;
  recommendation: Recommendation | null;
  version: number;
  readiness: { ready: boolean; items: ReadinessItem[] };
  inputs: DisciplineInputView[];
}

export interface Attendee {
  userId: string;
  displayName: string;
  discipline: Discipline;
  mode: AttendanceMode;
  checkedInAt: string;
}

export interface Conference extends ConferenceSummary {
  capacity: number;
  cutoffHours: number;
  cutoffAt: string;
  currentItemId: string | null;
  minutesLockedAt: string | null;
  items: AgendaItem[];
  attendance: Attendee[];
  canAddCases: boolean;
  addCasesReason: string | null;
}

export interface AgendaItemInput {
  caseId: string;
  kind: AgendaKind;
  estimatedMinutes: number;
  presenterId?: string;
  proposed: boolean;
}

export interface DisciplineInput {
  discipline: Discipline;
  stance: InputStance;
  findings?: string;
  recommendation?: string;
}

// ---- series ------------------------------------------------------------------------------------------

export function useSeries() {
  return useQuery({
    queryKey: ['conference-series'],
    queryFn: ({ signal }) => api.get<{ items: Series[] }>('/conference-series', undefined, signal),
  });
}

export function useCreateSeries() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: SeriesInput) => api.post<Series>('/conference-series', input),
    onSuccess: () => Promise.all([
      qc.invalidateQueries({ queryKey: ['conference-series'] }),
      qc.invalidateQueries({ queryKey: ['conferences'] }),
    ]),
  });
}

export const calendarUrl = (seriesId: string) => `${API_BASE}/conference-series/${encodeURIComponent(seriesId)}/calendar.ics`;

/** The agenda or minutes as a PDF download (the server names the file and audits the export). */
export const conferencePdfUrl = (id: string, kind: 'agenda' | 'minutes') => `${API_BASE}/conferences/${encodeURIComponent(id)}/${kind}.pdf`;

// ---- occurrences ---------------------------------------------------------------------------------------

export type When = 'upcoming' | 'past';

export function useConferences(when: When, limit: number, offset: number) {
  return useQuery({
    queryKey: ['conferences', when, limit, offset],
    queryFn: ({ signal }) => api.get<Page<ConferenceSummary>>('/conferences', { when, limit, offset }, signal),
    placeholderData: keepPreviousData,
  });
}

export const conferenceKey = (id: string | undefined) => ['conference', id] as const;
const path = (id: string) => `/conferences/${encodeURIComponent(id)}`;

export function useConference(id: string | undefined) {
  return useQuery({
    queryKey: conferenceKey(id),
    queryFn: ({ signal }) => api.get<Conference>(path(id ?? ''), undefined, signal),
    enabled: !!id,
    staleTime: 5_000,
  });
}

/** Every write answers with the whole conference: put it in place, and let the lists recount. */
function afterChange(qc: QueryClient, saved: Conference) {
  qc.setQueryData(conferenceKey(saved.id), saved);
  return qc.invalidateQueries({ queryKey: ['conferences'] });
}

function useConferenceChange<TVars>(fn: (vars: TVars) => Promise<Conference>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: (saved) => afterChange(qc, saved) });
}

type Versioned = Pick<ConferenceSummary, 'id' | 'version'>;

export function useMoveConference() {
  return useConferenceChange(({ c, date, time }: { c: Versioned; date: string; time: string }) =>
    api.postVersioned<Conference>(`${path(c.id)}/move`, c.version, { date, time }));
}

export function useCancelConference() {
  return useConferenceChange(({ c, note }: { c: Versioned; note: string }) =>
    api.postVersioned<Conference>(`${path(c.id)}/cancel`, c.version, { note }));
}

// ---- agenda -------------------------------------------------------------------------------------------

export function useAddAgendaItem(conferenceId: string) {
  return useConferenceChange((input: AgendaItemInput) => api.post<Conference>(`${path(conferenceId)}/agenda`, input));
}

export function useRemoveAgendaItem(c: Versioned) {
  return useConferenceChange((itemId: string) =>
    request<Conference>('DELETE', `${path(c.id)}/agenda/${encodeURIComponent(itemId)}`, { version: c.version }));
}

/** Reorders at once on screen; the server's answer replaces the guess, an error puts the old order back. */
export function useReorderAgenda(conferenceId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ version, itemIds }: { version: number; itemIds: string[] }) =>
      api.put<Conference>(`${path(conferenceId)}/agenda/order`, version, { itemIds }),
    onMutate: ({ itemIds }) => {
      const before = qc.getQueryData<Conference>(conferenceKey(conferenceId));
      if (before) {
        const byId = new Map(before.items.map((i) => [i.id, i]));
        const items = itemIds.map((id, n) => ({ ...byId.get(id)!, position: n + 1 })).filter((i) => i.id);
        qc.setQueryData<Conference>(conferenceKey(conferenceId), { ...before, items });
      }
      return { before };
    },
    onError: (_err, _vars, ctx) => {
      if (ctx?.before) qc.setQueryData(conferenceKey(conferenceId), ctx.before);
      void qc.invalidateQueries({ queryKey: conferenceKey(conferenceId) });
    },
    onSuccess: (saved) => afterChange(qc, saved),
  });
}

export function useSaveInput(conferenceId: string) {
  return useConferenceChange(({ caseId, input }: { caseId: string; input: DisciplineInput }) =>
    request<Conference>('PUT', `${path(conferenceId)}/cases/${encodeURIComponent(caseId)}/input`, { body: input }));
}

/** Cases that can go on an agenda (the coordinator picks one). */
export function useOpenCases(enabled: boolean) {
  return useQuery({
    queryKey: ['cases', 'for-agenda'],
    queryFn: ({ signal }) => api.get<Page<CaseSummary>>('/cases', { limit: 200 }, signal),
    enabled,
    staleTime: 60_000,
  });
}

// ---- live meeting -------------------------------------------------------------------------------------

export function useCheckIn(conferenceId: string) {
  return useConferenceChange((input: { discipline: Discipline; mode: AttendanceMode }) =>
    api.post<Conference>(`${path(conferenceId)}/check-in`, input));
}

export function useStartMeeting() {
  return useConferenceChange((c: Versioned) => api.postVersioned<Conference>(`${path(c.id)}/start`, c.version));
}

export function useSetCurrent() {
  return useConferenceChange(({ c, itemId }: { c: Versioned; itemId: string }) =>
    api.postVersioned<Conference>(`${path(c.id)}/current`, c.version, { itemId }));
}

export function useFinishMeeting() {
  return useConferenceChange((c: Versioned) => api.postVersioned<Conference>(`${path(c.id)}/finish`, c.version));
}

/** If-Match carries the agenda item's version (not the conference's). */
export function useSaveRecommendation(conferenceId: string) {
  return useConferenceChange(({ itemId, version, recommendation }: { itemId: string; version: number; recommendation: Recommendation }) =>
    api.put<Conference>(`${path(conferenceId)}/agenda/${encodeURIComponent(itemId)}/recommendation`, version, recommendation));
}

/** The conference as the server has it now (after a 412, to show the other person's version). */
export const fetchConference = (id: string): Promise<Conference> => api.get<Conference>(path(id));

export const eventsUrl = (id: string) => `${API_BASE}/conferences/${encodeURIComponent(id)}/events`;

// ---- staff (presenters) ----------------------------------------------------------------------------------

export interface StaffMember { id: string; displayName: string; role: string; discipline: Discipline | null }

/** Clinicians and coordinators of the user's institution, for choosing a presenter. */
export function useStaff() {
  return useQuery({ queryKey: ['staff'], queryFn: ({ signal }) => api.get<{ items: StaffMember[] }>('/staff', undefined, signal), staleTime: 5 * 60_000 });
}
