/**
 * Clinical trials API as the web UI uses it (issue 7). Shapes mirror src/services/trials.service.ts and the domain
 * types in src/domain/trials/{criteria,ctgov,evaluate,requests}.ts; the web bundle does not import server code, so
 * these are copies: keep them in step with the server.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { api, request } from '../api/client.js';
import { useMe } from '../api/hooks.js';

// ---- vocabularies ---------------------------------------------------------------------------------------------

export const NETWORKS = ['COG', 'SARC', 'POETIC', 'industry', 'institutional', 'other'] as const;
export type Network = (typeof NETWORKS)[number];
export const CURATION_FILTERS = ['draft', 'curated', 'stale'] as const;
export type CurationFilter = (typeof CURATION_FILTERS)[number];
/** ClinicalTrials.gov `overallStatus` values (trial-eligibility.md B, Status enum). */
export const OVERALL_STATUSES = [
  'RECRUITING', 'NOT_YET_RECRUITING', 'ENROLLING_BY_INVITATION', 'ACTIVE_NOT_RECRUITING', 'SUSPENDED', 'TEMPORARILY_NOT_AVAILABLE',
  'COMPLETED', 'TERMINATED', 'WITHDRAWN', 'AVAILABLE', 'NO_LONGER_AVAILABLE', 'APPROVED_FOR_MARKETING', 'WITHHELD', 'UNKNOWN',
] as const;
export const CURATION_STATUSES = ['proposed', 'accepted', 'edited', 'rejected', 'needs_review'] as const;
export type CurationStatus = (typeof CURATION_STATUSES)[number];
/** Only these count as curated (criteria.ts CURATED_STATUSES). */
export const CURATED_STATUSES: ReadonlySet<CurationStatus> = new Set(['accepted', 'edited', 'rejected']);
export const SCREENING_STATUSES = ['screened', 'discussed', 'offered', 'enrolled', 'declined', 'not_eligible'] as const;
export type ScreeningStatus = (typeof SCREENING_STATUSES)[number];
/** Statuses the server refuses without a reason. */
export const NEEDS_REASON: ReadonlySet<ScreeningStatus> = new Set(['declined', 'not_eligible']);

// ---- registry record (ctgov.ts ImportedTrial) -------------------------------------------------------------------

export interface AgeLimit { text: string; value: number; unit: string; days: number }
export interface Sponsor { name: string; class: string | null }
export interface Arm { label: string; type: string | null; description: string | null; interventions: string[] }
export interface Intervention { type: string | null; name: string; description: string | null; armGroupLabels: string[]; otherNames: string[] }
export interface Site { facility: string | null; city: string | null; state: string | null; country: string | null; status: string | null }
export interface Contact { name: string | null; role: string | null; phone: string | null; email: string | null }

export interface ImportedTrial {
  nctId: string;
  source: string;
  origin: string[];
  briefTitle: string | null;
  officialTitle: string | null;
  acronym: string | null;
  orgStudyId: string | null;
  secondaryIds: string[];
  overallStatus: string | null;
  lastUpdatePostDate: string | null;
  studyType: string | null;
  phases: string[];
  conditions: string[];
  keywords: string[];
  leadSponsor: Sponsor | null;
  collaborators: Sponsor[];
  network: Network;
  networkReason: string;
  eligibility: {
    minimumAge: AgeLimit | null;
    maximumAge: AgeLimit | null;
    minimumAgeText: string | null;
    maximumAgeText: string | null;
    sex: 'ALL' | 'FEMALE' | 'MALE' | null;
    stdAges: string[];
    healthyVolunteers: boolean | null;
    criteriaText: string | null;
  };
  criteriaSha256: string | null;
  arms: Arm[];
  interventions: Intervention[];
  sites: Site[];
  centralContacts: Contact[];
  missing: string[];
}

// ---- curated definition (criteria.ts) ---------------------------------------------------------------------------

export interface AgeBound { days: number; inclusive: boolean }
export interface AgeRange { min?: AgeBound; max?: AgeBound }
export interface CodeSet { codes?: string[]; families?: string[] }
export interface PerformanceRule { scale: 'lansky' | 'karnofsky' | 'ecog'; appliesIf?: AgeRange; min?: number; max?: number }
export type Comparator = '>=' | '>' | '<=' | '<';

export type Leaf =
  | { op: 'age'; min?: AgeBound; max?: AgeBound; note?: string }
  | { op: 'sex'; anyOf: ('male' | 'female')[] }
  | { op: 'diagnosis'; label: string; anyOf?: CodeSet; noneOf?: CodeSet; site?: 'bone' | 'soft_tissue' }
  | { op: 'diseaseStatus'; anyOf: string[] }
  | { op: 'metastatic'; present: boolean; sites?: string[] }
  | { op: 'stageRisk'; measure: string; anyOf: (string | number)[] }
  | { op: 'priorTherapy'; kinds?: string[]; agents?: string[]; excludingAgents?: string[]; minCount?: number }
  | { op: 'molecular'; marker: string; anyOf: string[] }
  | { op: 'performance'; rules: PerformanceRule[] }
  | { op: 'lab'; fact: string; cmp: Comparator; absolute?: number; xUln?: number; withinDays?: number }
  | { op: 'creatinineTable'; table: 'COG_CREATININE_AGE_SEX_V1'; withinDays?: number }
  | { op: 'labsRecent'; withinDays: number }
  | { op: 'enrolledOnStudy'; studies: string[]; allowConcurrent: boolean }
  | { op: 'reproductive'; condition: 'pregnant_or_nursing' | 'contraception_if_fertile' }
  | { op: 'manual'; note?: string };

export type Expr =
  | { op: 'and'; args: Expr[] }
  | { op: 'or'; args: Expr[] }
  | { op: 'not'; arg: Expr }
  | { op: 'atLeast'; n: number; args: Expr[] }
  | { op: 'when'; if: Expr; then: Expr }
  | { op: 'ref'; macro: string; withinDays?: number }
  | Leaf;

export interface CriterionSource {
  itemId: string | null;
  childItemIds: string[];
  field: string | null;
  text: string;
  start: number | null;
  end: number | null;
}

export interface Criterion {
  id: string;
  kind: 'inclusion' | 'exclusion';
  source: CriterionSource;
  expr: Expr;
  status: CurationStatus;
  policy?: 'assume_met';
  recoverable?: boolean;
  note?: string;
  draftRules?: string[];
}

export interface Scope {
  id: string;
  kind: 'trial' | 'step' | 'arm' | 'cohort';
  label: string;
  parent: string | null;
  open: boolean;
  criteria: Criterion[];
}

export interface RegistrySnapshot { lastUpdatePostDate: string | null; criteriaSha256: string | null }

export interface TrialDefinition {
  schemaVersion: 1;
  nctId: string;
  title: string | null;
  version: number;
  registry: RegistrySnapshot & { overallStatus: string | null };
  curation: { state: 'draft' | 'in_review' | 'curated'; basedOn: RegistrySnapshot; stale: boolean; note?: string };
  scopes: Scope[];
}

// ---- list, detail, import, metrics (trials.service.ts) ---------------------------------------------------------

export interface TrialSummary {
  id: string;
  nctId: string | null;
  /** A local trial's protocol number (entered by hand); null for imported trials. */
  localId: string | null;
  /** ctgov | local */
  source: string;
  title: string;
  network: Network | string;
  status: string;
  phases: string[];
  curation: CurationFilter | string;
  /** Row version: the ETag / If-Match value. */
  version: number;
  criteriaCount: number;
  pendingReview: number;
  updatedAt: string;
  matches: { eligible: number; possible: number };
}

/** A local trial's registry entry as the form sends it (src/domain/trials/local.ts localTrialInput). */
export interface LocalTrialInput {
  localId: string;
  title: string;
  network: Network;
  phases: string[];
  status: string;
  sponsor: string;
  minimumAge?: string | undefined;
  maximumAge?: string | undefined;
  sex: 'ALL' | 'FEMALE' | 'MALE';
  conditions: string[];
  inclusion: string[];
  exclusion: string[];
  arms: Array<{ label: string; description?: string | undefined }>;
  contact?: { name?: string | undefined; phone?: string | undefined; email?: string | undefined } | undefined;
}
export const LOCAL_TRIAL_STATUSES = ['NOT_YET_RECRUITING', 'RECRUITING', 'ACTIVE_NOT_RECRUITING', 'ENROLLING_BY_INVITATION', 'SUSPENDED', 'CLOSED', 'COMPLETED', 'WITHDRAWN'] as const;
export const LOCAL_TRIAL_PHASES = ['EARLY_PHASE1', 'PHASE1', 'PHASE2', 'PHASE3', 'PHASE4', 'NA'] as const;

export interface TrialDetail extends TrialSummary {
  /** Local trials also carry the form's fields (`local`), to edit them. */
  registry: ImportedTrial & { local?: LocalTrialInput };
  definition: TrialDefinition;
  lastUpdatePostDate: string | null;
  criteriaSha256: string | null;
  importedAt: string;
}

export interface TrialPage { items: TrialSummary[]; total: number; limit: number; offset: number }

export interface TrialListParams {
  q?: string | undefined;
  network?: string | undefined;
  status?: string | undefined;
  curation?: string | undefined;
  limit: number;
  offset: number;
}

export type ImportOutcome = 'new' | 'unchanged' | 'updated' | 'curation_stale';
export interface ImportError { source: string; index: number | null; nctId: string | null; reason: string }
export interface ImportReport {
  imported: Array<{ nctId: string; outcome: ImportOutcome; missing: string[] }>;
  errors: ImportError[];
  rematchedCases: number;
}

export interface MetricsRow { presented: number; offered: number; enrolled: number; offeredPercent: number | null; enrolledPercent: number | null }
export interface TrialMetrics {
  definition: string;
  total: MetricsRow;
  byFamily: Array<MetricsRow & { family: string }>;
}

// ---- matches (evaluate.ts TrialMatch, requests.ts DataRequest) -------------------------------------------------

export type CriterionVerdict = 'met' | 'not_met' | 'unknown' | 'needs_review';
export type TrialVerdict = 'eligible' | 'possible' | 'not_eligible';

export interface CriterionMatch {
  id: string;
  itemId: string | null;
  scope: string;
  text: string;
  kind: 'inclusion' | 'exclusion';
  verdict: CriterionVerdict;
  evidence: string;
  condition?: 'present' | 'absent' | 'unknown';
  missing: string[];
  rule: string;
  status: CurationStatus;
  policy?: 'assume_met';
}

export interface ReviewItem { criterionId: string | null; itemId: string | null; text: string; reason: 'manual' | 'not_curated' | 'stale' }
export interface ScopeVerdict { id: string; kind: Scope['kind']; label: string; open: boolean; verdict: TrialVerdict }

export interface Screening {
  id: string;
  /** The trial's row id (TrialSummary.id), not its NCT number. */
  trialId: string;
  status: ScreeningStatus;
  reason: string | null;
  verdict: string | null;
  version: number;
  updatedAt: string;
  /** Who logged which step when (sent with the case's matches). */
  history?: ScreeningEvent[];
}

export interface ScreeningEvent { id: string; status: ScreeningStatus; reason: string | null; user_id: string; user_name: string | null; at: string }

export interface TrialMatch {
  /** The NCT number. */
  trialId: string;
  title: string | null;
  verdict: TrialVerdict;
  summary: string;
  criteria: CriterionMatch[];
  missing: string[];
  failed: string[];
  reviewItems: ReviewItem[];
  blocking: string[];
  overallStatus: string | null;
  curation: { state: TrialDefinition['curation']['state']; version: number; stale: boolean };
  scopes?: ScopeVerdict[];
  prefiltered?: boolean;
  /** The trial's row id (for links and the screening log); null if the catalogue changed meanwhile. */
  id: string | null;
  network: string | null;
  phases: string[];
  screening: Screening | null;
}

export interface DataRequest { fact: string; label: string; trials: string[]; unblocks: number; blocking: true }

export interface CaseTrialMatches {
  caseId: string;
  /** Read through a grant (second opinion, emergency access): nothing stored, no screening log. */
  readOnly: boolean;
  available: boolean;
  reason: string | null;
  computedAt?: string;
  ageNote?: string | null;
  matches: TrialMatch[];
  dataRequests: DataRequest[];
  screening: Screening[];
}

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

export type ScreeningResult = Screening & { history: ScreeningEvent[] };

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
      qc.setQueryData<CaseTrialMatches>(matchesKey(caseId), (old) => {
        if (!old) return old;
        const { history: _h, ...screening } = saved;
        return {
          ...old,
          matches: old.matches.map((m) => (m.id === saved.trialId ? { ...m, screening } : m)),
          screening: [screening, ...old.screening.filter((s) => s.trialId !== saved.trialId)],
        };
      });
      return Promise.all([
        qc.invalidateQueries({ queryKey: matchesKey(caseId) }),
        qc.invalidateQueries({ queryKey: ['trials', 'metrics'] }),
      ]);
    },
  });
}
