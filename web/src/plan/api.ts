/**
 * Treatment plan API as the web UI uses it (issue 6). Shapes mirror src/domain/plan/plan.ts (PlanContent),
 * plan-exposure.ts (ExposureSummary), versions.ts (diff), timeline.ts, concordance.ts, survivorship-schedule.ts and
 * src/services/plans.service.ts (PlanView). The web bundle does not import server code: the vocabularies below are
 * copies of the domain constants, kept in one place.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../api/client.js';
import { useMe } from '../api/hooks.js';

// ---- vocabularies (copies of the domain constants) -----------------------------------------------------------

/** src/domain/plan/templates.ts TEMPLATE_IDS (there is no template list endpoint). */
export const TEMPLATE_IDS = [
  'T-EWS-ICC', 'T-EWS-MET',
  'T-OS-MAP', 'T-OS-LOWGRADE',
  'T-RMS-VLR-VA24', 'T-RMS-LR-VAC4-VA', 'T-RMS-LR-SUBSET-B', 'T-RMS-IR-VACVI-MAINT', 'T-RMS-HR-INTENSIVE',
  'T-RMS-EPSSG-MAINT',
  'T-NRSTS-A', 'T-NRSTS-B', 'T-NRSTS-C', 'T-NRSTS-D', 'T-NRSTS-HR',
  'T-BN-OBSERVE', 'T-BN-CURETTAGE', 'T-BN-AGGRESSIVE',
] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

export const PLAN_STATUSES = ['draft', 'agreed', 'active', 'completed', 'stopped'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export const PLAN_INTENTS = ['curative', 'palliative', 'observation'] as const;
export type PlanIntent = (typeof PLAN_INTENTS)[number];
export const PHASE_KINDS = ['induction', 'neoadjuvant', 'local_control', 'consolidation', 'adjuvant', 'maintenance', 'observation'] as const;
export type PhaseKind = (typeof PHASE_KINDS)[number];
export const SELECTED_LOCAL_CONTROL_KINDS = ['surgery', 'radiation', 'curettage', 'observation', 'medical', 'none'] as const;
export type SelectedKind = (typeof SELECTED_LOCAL_CONTROL_KINDS)[number];
export const SURGERY_TYPES = [
  'biopsy', 'resection', 'wide_resection', 'limb_salvage', 'expandable_prosthesis', 'rotationplasty', 'amputation',
  'biological_reconstruction', 'curettage', 'hemipelvectomy', 'orchiectomy', 'rplnd', 'sentinel_node_biopsy',
  'metastasectomy', 'other',
] as const;
export type SurgeryType = (typeof SURGERY_TYPES)[number];
/** Surgery types that are diagnostic or staging procedures: no margin (concordance.ts NON_RESECTION_SURGERY). */
export const NON_RESECTION_SURGERY: readonly string[] = ['biopsy', 'sentinel_node_biopsy', 'rplnd'];
/** src/domain/facts/case-facts.ts RADIATION_FIELDS. */
export const RADIATION_FIELDS = [
  'cranial', 'orbit', 'head_neck', 'spine', 'chest_wall', 'whole_lung', 'mediastinum', 'abdomen', 'whole_abdomen',
  'flank', 'pelvis', 'extremity', 'total_body',
] as const;
export type RadiationField = (typeof RADIATION_FIELDS)[number];
export const RADIATION_TIMINGS = ['definitive', 'preoperative', 'postoperative'] as const;
export const RADIATION_TECHNIQUES = ['photon', 'proton', 'brachytherapy'] as const;
export const SIDES = ['left', 'right', 'bilateral', 'midline'] as const;
export const CHECKLIST_ANSWERS = ['yes', 'no', 'not_applicable'] as const;
export type ChecklistAnswer = (typeof CHECKLIST_ANSWERS)[number];
export const DEVIATION_REASONS = ['toxicity', 'delay', 'dose_reduction', 'patient_choice', 'progression', 'other'] as const;
export type DeviationReason = (typeof DEVIATION_REASONS)[number];
/** Dose units by the field that carries them (dose-limits.ts DOSE_FIELDS). */
export const DOSE_FIELDS = { doseMgM2: 'mg/m²', doseMgKg: 'mg/kg', doseMg: 'mg' } as const;
export type DoseField = keyof typeof DOSE_FIELDS;
/** The nine conference groups (src/domain/registry/types.ts DISCIPLINES): the groups that can sign. */
export const SIGNING_DISCIPLINES: readonly string[] = [
  'pediatric_oncology', 'pediatric_surgery', 'orthopedic_oncology', 'radiation_oncology', 'medical_oncology',
  'pathology', 'radiology', 'otolaryngology', 'neurosurgery',
];

// ---- rule provenance (src/domain/rules/derive.ts) -----------------------------------------------------------

export interface Explanation {
  output: string;
  rules: string[];
  text: string;
  disagreement?: string;
  unverified?: boolean;
}
export interface MissingFact { field: string; needed_for: string }
/** A value with its rule IDs and reasons; `value === null` is unknown (or not applicable). */
export interface Derived<T> { value: T | null; explanations: Explanation[]; missing: MissingFact[] }

// ---- the plan document (src/domain/plan/plan.ts) -------------------------------------------------------------

export interface PlanAgent {
  agent: string;
  doseMgM2?: number;
  doseMgKg?: number;
  doseMg?: number;
  administrations: number;
  maxMg?: number;
  route?: string;
  note?: string;
  doseModification?: { percent: number; fullDose: number; rules: string[]; reason: string };
  unverified?: boolean;
}
export interface PlanCycle {
  id: string;
  regimen: string;
  count: number | null;
  agents: PlanAgent[];
  note?: string;
  unverified?: boolean;
}
export interface PlanPhase {
  id: string;
  name: string;
  kind: PhaseKind;
  startWeek?: number | null;
  cycleIntervalDays?: number | null;
  order?: 'sequential' | 'alternating';
  cycles: PlanCycle[];
  note?: string;
  unverified?: boolean;
}
export interface RadiationPlanCourse {
  field: RadiationField;
  side?: string;
  target?: string;
  timing?: string;
  technique?: string;
  doseGy: number;
  boostGy?: number;
  fractions?: number;
  heartInField?: boolean;
  heartDoseGy?: number;
  breastInField?: boolean;
  gonadsInField?: boolean;
  bladderInField?: boolean;
  kidneyInField?: boolean;
}
interface SelectedCommon { description?: string; plannedWeek?: number; rules?: string[]; note?: string }
export type SelectedLocalControl =
  | (SelectedCommon & { kind: 'surgery'; surgeryType: SurgeryType })
  | (SelectedCommon & { kind: 'curettage'; surgeryType?: SurgeryType })
  | (SelectedCommon & { kind: 'radiation'; radiation: RadiationPlanCourse })
  | (SelectedCommon & { kind: 'observation' | 'medical' | 'none' });
export interface ConsideredOption {
  kind: 'surgery' | 'radiation' | 'surgery_and_radiation' | 'curettage' | 'observation' | 'medical' | 'none';
  description: string;
  doseGy?: number;
  rules: string[];
  unverified?: boolean;
  disagreement?: string;
}
export interface ChecklistItem {
  flag: string;
  question: string;
  rules: string[];
  answer: ChecklistAnswer | null;
  note?: string;
}
export interface PlanContent {
  templateId: TemplateId | null;
  templateVersion: string | null;
  title: string;
  intent: PlanIntent;
  bsaM2?: number;
  weightKg?: number;
  phases: PlanPhase[];
  localControl: { selected: SelectedLocalControl[]; considered: ConsideredOption[] };
  checklist: ChecklistItem[];
  trialNctId?: string | null;
  notes?: string;
}

// ---- exposure (src/domain/plan/plan-exposure.ts) -------------------------------------------------------------

export interface RadiationTotals {
  courses: Array<{ field: string; side?: string; totalGy: number; startDate: string | null }>;
  byFieldGy: Record<string, number>;
  chestHeartGy: number;
  breastGy: number;
  abdomenPelvisSpineGy: number;
  headNeck: boolean;
  pelvic: boolean;
  gonadsInField: boolean;
}
export interface HearingRisk {
  platinum: boolean;
  cisplatinMgM2: number | null;
  carboplatinMgM2: number | null;
  monitoring: string;
  higherRisk: string[];
}
export interface FertilityRisk {
  indicated: boolean;
  options: string[] | null;
  impairedSpermatogenesisRisk: boolean | null;
}
export type EchoFrequency = 'none' | 'every_5_years' | 'every_2_years' | 'yearly';
export interface ExposureSummary {
  source: 'planned' | 'received';
  agents: Record<string, Derived<number>>;
  cumulativeMgM2: Record<string, number>;
  unknown: Array<{ agent: string; reason: string }>;
  cedMgM2: Derived<number>;
  doxorubicinEquivalentMgM2: Derived<number>;
  echoFrequency: Derived<EchoFrequency>;
  hearing: Derived<HearingRisk>;
  fertility: Derived<FertilityRisk>;
  radiation: Derived<RadiationTotals>;
  period: { first: string | null; last: string | null };
}

// ---- the plan as the server shows it (plans.service.ts PlanView) ---------------------------------------------

export interface FieldMessage { field: string; message: string }
export interface Signature { discipline: string; version: number; userName: string | null; signedAt: string; current: boolean }
export interface Recommendation {
  diagnosisConfirmed?: string;
  stageConfirmed?: string;
  planOfCare?: string;
  trialToOffer?: string;
  furtherWorkup?: string;
  dissent: Array<{ discipline: string; note: string }>;
}
export interface PlanView {
  id: string;
  caseId: string;
  status: PlanStatus;
  version: number;
  contentHash: string;
  content: PlanContent;
  templateTitle: string | null;
  startedOn: string | null;
  endedOn: string | null;
  updatedAt: string;
  author: string | null;
  openItems: FieldMessage[];
  checklistComplete: boolean;
  warnings: FieldMessage[];
  exposure: ExposureSummary | null;
  signoff: {
    required: string[] | null;
    requiredRules: string[];
    agreed: boolean;
    missing: string[];
    signatures: Signature[];
  };
  recommendation: Recommendation | null;
}

export interface VersionItem {
  version: number;
  contentHash: string;
  author: string | null;
  note: string | null;
  createdAt: string;
  signedBy: string[];
}
export interface VersionList { current: number; items: VersionItem[] }

/** versions.ts PlanDiffEntry: `path` for people, `field` for code (the path in b, or in a for a removal). */
export interface DiffEntry { path: string; field: string; kind: 'added' | 'removed' | 'changed'; before?: unknown; after?: unknown }
export interface Comparison {
  a: { version: number; content: PlanContent; createdAt: string };
  b: { version: number; content: PlanContent; createdAt: string };
  changes: DiffEntry[];
}

// ---- treatment given (concordance.ts, timeline.ts, survivorship-schedule.ts) --------------------------------

export interface Deviation { reason: DeviationReason; note: string }
export interface AdministeredAgent { agent: string; doseMgM2?: number; doseMg?: number; administrations?: number; note?: string }
export interface ChemoAdministration {
  kind: 'chemo'; date: string; phaseId?: string; cycleId?: string; agents: AdministeredAgent[]; bsaM2?: number;
  deviation?: Deviation; note?: string;
}
export interface SurgeryAdministration {
  kind: 'surgery'; date: string; surgeryType: SurgeryType; procedure?: string; margin?: 'R0' | 'R1' | 'R2';
  deviation?: Deviation; note?: string;
}
export interface RadiationAdministration {
  kind: 'radiation'; startDate: string; endDate?: string; field: RadiationField; side?: string; target?: string;
  technique?: string; doseGy: number; boostGy?: number; fractions?: number; deviation?: Deviation; note?: string;
}
export type Administration = ChemoAdministration | SurgeryAdministration | RadiationAdministration;

export interface AgentComparison { agent: string; planned: string; given: string | null; percent: number | null; why?: string }
export interface TimelineEntry {
  kind: 'chemo' | 'surgery' | 'radiation';
  status: 'given' | 'planned' | 'off_plan';
  label: string;
  phaseId: string | null;
  phaseName: string | null;
  cycleId: string | null;
  cycleNumber: number | null;
  plannedWeek: number | null;
  plannedDate: string | null;
  givenDate: string | null;
  daysFromPlan: number | null;
  dosePercent: number | null;
  agents: AgentComparison[];
  administration: number | null;
  deviation: Deviation | null;
}
export type ConcordanceStatus = 'concordant' | 'deviation' | 'not_followed' | 'too_early';
export interface ConcordanceReason {
  kind: 'deviation' | 'not_followed' | 'info';
  code: string;
  text: string;
  administration?: number;
  reason?: DeviationReason;
}
export interface ConcordanceResult {
  status: ConcordanceStatus;
  reasons: ConcordanceReason[];
  deviationsByReason: Record<string, number>;
  progress: { plannedCycles: number | null; matchedCycles: number; chemoGiven: number };
}
export interface SurvivorshipItem {
  id: string;
  test: string;
  system: string;
  frequency: string;
  intervalMonths: number | null;
  firstDue: string | null;
  nextDue: string | null;
  overdue: boolean;
  rules: string[];
  reason: string;
  caveats: string[];
}
export interface SurvivorshipPlan {
  endOfTherapyDate: string;
  ltfuEntryDate: string;
  ageAtTreatmentMonths: number | null;
  cedMgM2: number | null;
  doxorubicinEquivalentMgM2: number | null;
  echoFrequency: EchoFrequency | null;
  items: SurvivorshipItem[];
  unknown: Array<{ agent: string; reason: string }>;
}
export interface Progress {
  status: PlanStatus;
  version: number;
  startedOn: string | null;
  endedOn: string | null;
  administrations: Array<Administration & { id: string; recordedAt: string }>;
  timeline: TimelineEntry[];
  concordance: ConcordanceResult;
  received: ExposureSummary | null;
  survivorship: Derived<SurvivorshipPlan> | null;
}

// ---- permissions ------------------------------------------------------------------------------------------

export interface PlanAccess { read: boolean; write: boolean; sign: boolean; record: boolean; discipline: string | null }

/** From /auth/me: only a hint to hide controls; the server enforces every permission. */
export function usePlanAccess(): PlanAccess {
  const me = useMe().data;
  const has = (p: string) => !!me?.permissions.includes(p);
  return { read: has('plan.read'), write: has('plan.write'), sign: has('plan.sign'), record: has('treatment.record'), discipline: me?.discipline ?? null };
}

// ---- hooks --------------------------------------------------------------------------------------------------

const base = (caseId: string) => `/cases/${encodeURIComponent(caseId)}/plan`;
export const planKey = (caseId: string | undefined) => ['plan', caseId] as const;

/** The case has no plan yet (404 naming the field `plan`). */
export const isNoPlan = (err: unknown) => err instanceof ApiError && err.status === 404 && (err.field === 'plan' || err.field === undefined);

export function usePlan(caseId: string | undefined) {
  return useQuery({
    queryKey: planKey(caseId),
    queryFn: ({ signal }) => api.get<PlanView>(base(caseId ?? ''), undefined, signal),
    enabled: !!caseId,
  });
}

export const fetchPlan = (caseId: string) => api.get<PlanView>(base(caseId));

/** A write answered with the plan: put it in place, and let versions and progress reload. */
function afterChange(qc: QueryClient, caseId: string, saved: PlanView) {
  qc.setQueryData(planKey(caseId), saved);
  return qc.invalidateQueries({ queryKey: planKey(caseId), predicate: (q) => q.queryKey.length > 2 });
}

export function useCreatePlan(caseId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { templateId?: TemplateId; bsaM2?: number; weightKg?: number }) => api.post<PlanView>(base(caseId), input),
    onSuccess: (saved) => afterChange(qc, caseId, saved),
  });
}

export function useSavePlan(caseId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ version, content, note }: { version: number; content: PlanContent; note?: string }) =>
      api.put<PlanView>(base(caseId), version, note ? { content, note } : { content }),
    onSuccess: (saved) => afterChange(qc, caseId, saved),
  });
}

export function useSignPlan(caseId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { version: number; password: string }) => api.post<PlanView>(`${base(caseId)}/signatures`, input),
    onSuccess: (saved) => afterChange(qc, caseId, saved),
  });
}

export function usePlanVersions(caseId: string | undefined) {
  return useQuery({
    queryKey: [...planKey(caseId), 'versions'],
    queryFn: ({ signal }) => api.get<VersionList>(`${base(caseId ?? '')}/versions`, undefined, signal),
    enabled: !!caseId,
  });
}

export function useComparison(caseId: string | undefined, a: number | null, b: number | null) {
  return useQuery({
    queryKey: [...planKey(caseId), 'compare', a, b],
    queryFn: ({ signal }) => api.get<Comparison>(`${base(caseId ?? '')}/compare`, { a, b }, signal),
    enabled: !!caseId && a !== null && b !== null,
    staleTime: Infinity,
  });
}

export function useProgress(caseId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: [...planKey(caseId), 'progress'],
    queryFn: ({ signal }) => api.get<Progress>(`${base(caseId ?? '')}/progress`, undefined, signal),
    enabled: !!caseId && enabled,
  });
}

export function useRecordAdministration(caseId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: Administration) => api.post<{ id: string; administration: Administration }>(`${base(caseId)}/administrations`, input),
    // The first record starts the plan (agreed → active): reload the plan as well as its progress.
    onSuccess: () => qc.invalidateQueries({ queryKey: planKey(caseId) }),
  });
}

export function useEndTherapy(caseId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { endedOn: string; outcome: 'completed' | 'stopped' }) => api.post<PlanView>(`${base(caseId)}/end`, input),
    onSuccess: (saved) => afterChange(qc, caseId, saved),
  });
}
