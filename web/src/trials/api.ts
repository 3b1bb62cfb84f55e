/**
 * Clinical trials API as the web UI uses it (issue 7). The shapes are the server's own, imported as types only
 * (erased at build time, no server code in the bundle): the domain types of src/domain/trials/{criteria,ctgov,
 * evaluate,requests,local}.ts, and what src/services/trials.service.ts returns (its declared TrialSummary and
 * ImportReport, and the inferred results of `trials.list/get/metrics/forCase/screen`, which the routes send as is).
 * The vocabularies below stay runtime copies (the server modules pull zod and node:crypto); each is checked against
 * the server's tuple with `satisfies`, so a difference is a type error.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import type { CURATION_STATUSES as SERVER_CURATION_STATUSES, CurationStatus, TrialDefinition } from '../../../src/domain/trials/criteria.js';
import type { NETWORKS as SERVER_NETWORKS } from '../../../src/domain/trials/ctgov.js';
import type { LOCAL_TRIAL_PHASES as SERVER_LOCAL_TRIAL_PHASES, LOCAL_TRIAL_STATUSES as SERVER_LOCAL_TRIAL_STATUSES, LocalTrialInput } from '../../../src/domain/trials/local.js';
import type { SCREENING_STATUSES as SERVER_SCREENING_STATUSES, ImportReport, ScreeningStatus, trials } from '../../../src/services/trials.service.js';
import { api, request } from '../api/client.js';
import { useMe } from '../api/hooks.js';

// ---- vocabularies (runtime copies, each checked against the server's) -------------------------------------------

/** src/domain/trials/ctgov.ts NETWORKS. */
export const NETWORKS = ['COG', 'SARC', 'POETIC', 'industry', 'institutional', 'other'] as const satisfies typeof SERVER_NETWORKS;
export type { Network } from '../../../src/domain/trials/ctgov.js';
/** The list filter (the `curation` column: the GET /trials querystring enum; the server has no named tuple for it). */
export const CURATION_FILTERS = ['draft', 'curated', 'stale'] as const;
export type CurationFilter = (typeof CURATION_FILTERS)[number];
/** ClinicalTrials.gov `overallStatus` values (trial-eligibility.md B, Status enum); the server keeps the registry's string as is. */
export const OVERALL_STATUSES = [
  'RECRUITING', 'NOT_YET_RECRUITING', 'ENROLLING_BY_INVITATION', 'ACTIVE_NOT_RECRUITING', 'SUSPENDED', 'TEMPORARILY_NOT_AVAILABLE',
  'COMPLETED', 'TERMINATED', 'WITHDRAWN', 'AVAILABLE', 'NO_LONGER_AVAILABLE', 'APPROVED_FOR_MARKETING', 'WITHHELD', 'UNKNOWN',
] as const;
/** src/domain/trials/criteria.ts CURATION_STATUSES. */
export const CURATION_STATUSES = ['proposed', 'accepted', 'edited', 'rejected', 'needs_review'] as const satisfies typeof SERVER_CURATION_STATUSES;
export type { CurationStatus };
/** Only these count as curated (criteria.ts CURATED_STATUSES). */
export const CURATED_STATUSES: ReadonlySet<CurationStatus> = new Set(['accepted', 'edited', 'rejected']);
/** src/services/trials.service.ts SCREENING_STATUSES. */
export const SCREENING_STATUSES = ['screened', 'discussed', 'offered', 'enrolled', 'declined', 'not_eligible'] as const satisfies typeof SERVER_SCREENING_STATUSES;
export type { ScreeningStatus };
/** Statuses the server refuses without a reason. */
export const NEEDS_REASON: ReadonlySet<ScreeningStatus> = new Set(['declined', 'not_eligible']);
/** src/domain/trials/local.ts LOCAL_TRIAL_STATUSES and LOCAL_TRIAL_PHASES. */
export const LOCAL_TRIAL_STATUSES = ['NOT_YET_RECRUITING', 'RECRUITING', 'ACTIVE_NOT_RECRUITING', 'ENROLLING_BY_INVITATION', 'SUSPENDED', 'CLOSED', 'COMPLETED', 'WITHDRAWN'] as const satisfies typeof SERVER_LOCAL_TRIAL_STATUSES;
export const LOCAL_TRIAL_PHASES = ['EARLY_PHASE1', 'PHASE1', 'PHASE2', 'PHASE3', 'PHASE4', 'NA'] as const satisfies typeof SERVER_LOCAL_TRIAL_PHASES;

// ---- registry record (src/domain/trials/ctgov.ts) ---------------------------------------------------------------

export type { AgeLimit, Sponsor, Arm, Intervention, Site, Contact, ImportedTrial, ImportError } from '../../../src/domain/trials/ctgov.js';

// ---- curated definition (src/domain/trials/criteria.ts) ---------------------------------------------------------

export type {
  AgeBound, AgeRange, CodeSet, PerformanceRule, Comparator, Leaf, Expr, CriterionSource, Criterion, Scope, RegistrySnapshot,
} from '../../../src/domain/trials/criteria.js';
export type { TrialDefinition };

// ---- list, detail, import, metrics (src/services/trials.service.ts) ---------------------------------------------

export type { TrialSummary, ImportReport } from '../../../src/services/trials.service.js';
/** A local trial's registry entry as the form sends it (src/domain/trials/local.ts localTrialInput, its zod input). */
export type { LocalTrialInput };

/** GET /trials/:id (and what create, registry and definition edits return): the summary, registry record and definition. */
export type TrialDetail = Awaited<ReturnType<typeof trials.get>>;
/** GET /trials. */
export type TrialPage = Awaited<ReturnType<typeof trials.list>>;

/** The GET /trials querystring as the list page builds it (the route's zod schema; limit and offset always sent). */
export interface TrialListParams {
  q?: string | undefined;
  network?: string | undefined;
  status?: string | undefined;
  curation?: string | undefined;
  limit: number;
  offset: number;
}

export type ImportOutcome = ImportReport['imported'][number]['outcome'];

/** GET /trials/metrics. */
export type TrialMetrics = Awaited<ReturnType<typeof trials.metrics>>;
export type MetricsRow = TrialMetrics['total'];

// ---- matches (src/domain/trials/evaluate.ts, requests.ts; trials.service.ts forCase and screen) ----------------

export type { CriterionVerdict, TrialVerdict, CriterionMatch, ReviewItem, ScopeVerdict } from '../../../src/domain/trials/evaluate.js';
export type { DataRequest } from '../../../src/domain/trials/requests.js';

/**
 * GET /cases/:id/trial-matches. `readOnly`: read through a grant (second opinion, emergency access), nothing stored,
 * no screening log. Without facts enough to match (`available: false`) it has no computedAt or ageNote.
 */
export type CaseTrialMatches = Awaited<ReturnType<typeof trials.forCase>>;
/** One trial's outcome for the case (evaluate.ts TrialMatch) with its row id, network, phases and screening-log entry. */
export type TrialMatch = CaseTrialMatches['matches'][number];
/** A case's screening-log entry for one trial, with its history (who logged which step when). `trialId` is the row id. */
export type Screening = CaseTrialMatches['screening'][number];
/** PUT /cases/:id/trial-screenings/:trialId: the saved entry with its history. */
export type ScreeningResult = Awaited<ReturnType<typeof trials.screen>>;
export type ScreeningEvent = ScreeningResult['history'][number];

// ---- access -----------------------------------------------------------------------------------------------------

/** What the user may do with trials (a hint for the UI; the server checks every request). */
export function useTrialAccess(): { read: boolean; curate: boolean; screen: boolean } {
  const p = useMe().data?.permissions ?? [];
  return { read: p.includes('trial.read'), curate: p.includes('trial.curate'), screen: p.includes('trial.screen') };
}

// ---- hooks ------------------------------------------------------------------------------------------------------

const trialPath = (id: string) => `/trials/${encodeURIComponent(id)}`;

export function useTrials(params: TrialListParams, enabled = true) {
  return useQuery({
    queryKey: ['trials', 'list', params],
    queryFn: ({ signal }) => api.get<TrialPage>('/trials', { ...params }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export const trialKey = (id: string | undefined) => ['trials', 'detail', id] as const;

export function useTrial(id: string | undefined) {
  return useQuery({
    queryKey: trialKey(id),
    queryFn: ({ signal }) => api.get<TrialDetail>(trialPath(id ?? ''), undefined, signal),
    enabled: !!id,
  });
}

export function useTrialMetrics(enabled = true) {
  return useQuery({
    queryKey: ['trials', 'metrics'],
    queryFn: ({ signal }) => api.get<TrialMetrics>('/trials/metrics', undefined, signal),
    staleTime: 60_000,
    enabled,
  });
}

/** Trials and every case's matches change together (an import or a saved curation re-matches open cases). */
function afterCatalogChange(qc: QueryClient) {
  return Promise.all([
    qc.invalidateQueries({ queryKey: ['trials'] }),
    qc.invalidateQueries({ queryKey: ['trial-matches'] }),
  ]);
}

/** Imports one parsed JSON document (a study, `{studies:[…]}` or an array of studies). */
export function useImportTrials() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (json: unknown) => api.post<ImportReport>('/trials/import', json),
    onSuccess: () => afterCatalogChange(qc),
  });
}

/** Enters a local institutional trial by hand (201 with the new trial). */
export function useCreateLocalTrial() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: LocalTrialInput) => api.post<TrialDetail>('/trials', input),
    onSuccess: () => afterCatalogChange(qc),
  });
}

/** Edits a local trial's registry entry; If-Match carries the version the form was opened at. */
export function useUpdateLocalTrial(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ version, input }: { version: number; input: LocalTrialInput }) => api.put<TrialDetail>(`${trialPath(id)}/registry`, version, input),
    onSuccess: async (saved) => {
      qc.setQueryData(trialKey(id), saved);
      await afterCatalogChange(qc);
    },
  });
}

/** Saves the whole curated definition; If-Match carries the row version the curator started from. */
export function useSaveDefinition(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ version, definition }: { version: number; definition: TrialDefinition }) =>
      api.put<TrialDetail>(`${trialPath(id)}/definition`, version, definition),
    onSuccess: async (saved) => {
      qc.setQueryData(trialKey(id), saved);
      await afterCatalogChange(qc);
    },
  });
}

export const matchesKey = (caseId: string | undefined) => ['trial-matches', caseId] as const;

export function useCaseTrialMatches(caseId: string | undefined) {
  return useQuery({
    queryKey: matchesKey(caseId),
    queryFn: ({ signal }) => api.get<CaseTrialMatches>(`/cases/${encodeURIComponent(caseId ?? '')}/trial-matches`, undefined, signal),
    enabled: !!caseId,
  });
}

/** Logs a step of the screening log for one case and trial (no If-Match: the server keeps the order of events). */
export function useLogScreening(caseId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ trialId, status, reason }: { trialId: string; status: ScreeningStatus; reason?: string | undefined }) =>
      request<ScreeningResult>('PUT', `/cases/${encodeURIComponent(caseId)}/trial-screenings/${encodeURIComponent(trialId)}`, {
        body: reason ? { status, reason } : { status },
      }),
    onSuccess: (saved) => {
      // Put the new state in place at once, then let the matches and the program figures refresh.
      // The saved entry comes with its history, as the case's matches carry each entry.
      qc.setQueryData<CaseTrialMatches>(matchesKey(caseId), (old) => {
        if (!old) return old;
        // Cast: the server's type is a union (without facts, `matches` is an empty array); mapping keeps each branch.
        return {
          ...old,
          matches: old.matches.map((m) => (m.id === saved.trialId ? { ...m, screening: saved } : m)),
          screening: [saved, ...old.screening.filter((s) => s.trialId !== saved.trialId)],
        } as CaseTrialMatches;
      });
      return Promise.all([
        qc.invalidateQueries({ queryKey: matchesKey(caseId) }),
        qc.invalidateQueries({ queryKey: ['trials', 'metrics'] }),
      ]);
    },
  });
}
