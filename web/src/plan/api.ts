/**
 * Treatment plan API as the web UI uses it (issue 6). The shapes are the server's own, imported as types only
 * (erased at build time, no server code in the bundle): src/domain/plan/plan.ts (PlanContent), plan-exposure.ts
 * (ExposureSummary), versions.ts (diff), timeline.ts, concordance.ts, survivorship-schedule.ts and
 * src/domain/plan/plan-view.ts (what the plan routes return). The vocabularies below stay runtime copies of the domain
 * constants (their server modules pull zod into the bundle), but each is checked against the server's type at
 * compile time, so a value added or removed on one side fails the typecheck.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../api/client.js';
import { useMe } from '../api/hooks.js';
import type { TemplateId } from '../../../src/domain/plan/templates.js';
import type {
  ChecklistAnswer, PhaseKind, PlanContent, PlanIntent, SurgeryType,
  RADIATION_TIMINGS as SERVER_RADIATION_TIMINGS, RADIATION_TECHNIQUES as SERVER_RADIATION_TECHNIQUES, SIDES as SERVER_SIDES,
  SELECTED_LOCAL_CONTROL_KINDS as SERVER_SELECTED_LOCAL_CONTROL_KINDS,
} from '../../../src/domain/plan/plan.js';
import type { RadiationField } from '../../../src/domain/facts/case-facts.js';
import type { DeviationReason, NON_RESECTION_SURGERY as SERVER_NON_RESECTION_SURGERY, Administration } from '../../../src/domain/plan/concordance.js';
import type { DOSE_FIELDS as SERVER_DOSE_FIELDS } from '../../../src/domain/plan/dose-limits.js';
import type { DISCIPLINES } from '../../../src/domain/registry/types.js';
import type {
  PlanComparison, PlanProgress, PlanStatus, PlanVersionItem, PlanVersionList, PlanView,
} from '../../../src/domain/plan/plan-view.js';

// ---- vocabularies (runtime copies of the domain constants, checked against the server's types) ----------------

/** True when the copy lists exactly the server's values (no more: `satisfies`; no fewer: this check). */
type SameValues<Copy extends readonly unknown[], Server> = [Server] extends [Copy[number]] ? ([Copy[number]] extends [Server] ? true : false) : false;
type Check<T extends true> = T;

export type { TemplateId, ChecklistAnswer, PhaseKind, PlanIntent, SurgeryType, RadiationField, DeviationReason, PlanStatus };

/** src/domain/plan/templates.ts TEMPLATE_IDS (there is no template list endpoint). */
export const TEMPLATE_IDS = [
  'T-EWS-ICC', 'T-EWS-MET',
  'T-OS-MAP', 'T-OS-LOWGRADE',
  'T-RMS-VLR-VA24', 'T-RMS-LR-VAC4-VA', 'T-RMS-LR-SUBSET-B', 'T-RMS-IR-VACVI-MAINT', 'T-RMS-HR-INTENSIVE',
  'T-RMS-EPSSG-MAINT',
  'T-NRSTS-A', 'T-NRSTS-B', 'T-NRSTS-C', 'T-NRSTS-D', 'T-NRSTS-HR',
  'T-BN-OBSERVE', 'T-BN-CURETTAGE', 'T-BN-AGGRESSIVE',
] as const satisfies readonly TemplateId[];
export const PLAN_STATUSES = ['draft', 'agreed', 'active', 'completed', 'stopped'] as const satisfies readonly PlanStatus[];
export const PLAN_INTENTS = ['curative', 'palliative', 'observation'] as const satisfies readonly PlanIntent[];
export const PHASE_KINDS = [
  'induction', 'neoadjuvant', 'local_control', 'consolidation', 'adjuvant', 'maintenance', 'observation',
] as const satisfies readonly PhaseKind[];
export const SELECTED_LOCAL_CONTROL_KINDS = [
  'surgery', 'radiation', 'curettage', 'observation', 'medical', 'none',
] as const satisfies typeof SERVER_SELECTED_LOCAL_CONTROL_KINDS;
export type SelectedKind = (typeof SELECTED_LOCAL_CONTROL_KINDS)[number];
export const SURGERY_TYPES = [
  'biopsy', 'resection', 'wide_resection', 'limb_salvage', 'expandable_prosthesis', 'rotationplasty', 'amputation',
  'biological_reconstruction', 'curettage', 'hemipelvectomy', 'orchiectomy', 'rplnd', 'sentinel_node_biopsy',
  'metastasectomy', 'other',
] as const satisfies readonly SurgeryType[];
/** Surgery types that are diagnostic or staging procedures: no margin (concordance.ts NON_RESECTION_SURGERY). */
export const NON_RESECTION_SURGERY: readonly string[] = ['biopsy', 'sentinel_node_biopsy', 'rplnd'] as const satisfies typeof SERVER_NON_RESECTION_SURGERY;
/** src/domain/facts/case-facts.ts RADIATION_FIELDS. */
export const RADIATION_FIELDS = [
  'cranial', 'orbit', 'head_neck', 'spine', 'chest_wall', 'whole_lung', 'mediastinum', 'abdomen', 'whole_abdomen',
  'flank', 'pelvis', 'extremity', 'total_body',
] as const satisfies readonly RadiationField[];
export const RADIATION_TIMINGS = ['definitive', 'preoperative', 'postoperative'] as const satisfies typeof SERVER_RADIATION_TIMINGS;
export const RADIATION_TECHNIQUES = ['photon', 'proton', 'brachytherapy'] as const satisfies typeof SERVER_RADIATION_TECHNIQUES;
export const SIDES = ['left', 'right', 'bilateral', 'midline'] as const satisfies typeof SERVER_SIDES;
export type Side = (typeof SERVER_SIDES)[number];
export type RadiationTiming = (typeof SERVER_RADIATION_TIMINGS)[number];
export type RadiationTechnique = (typeof SERVER_RADIATION_TECHNIQUES)[number];
export const CHECKLIST_ANSWERS = ['yes', 'no', 'not_applicable'] as const satisfies readonly ChecklistAnswer[];
export const DEVIATION_REASONS = [
  'toxicity', 'delay', 'dose_reduction', 'patient_choice', 'progression', 'other',
] as const satisfies readonly DeviationReason[];
/** Dose units by the field that carries them (dose-limits.ts DOSE_FIELDS). */
export const DOSE_FIELDS = { doseMgM2: 'mg/m²', doseMgKg: 'mg/kg', doseMg: 'mg' } as const satisfies typeof SERVER_DOSE_FIELDS;
export type { DoseField } from '../../../src/domain/plan/dose-limits.js';
/** The nine conference groups (src/domain/registry/types.ts DISCIPLINES): the groups that can sign. */
export const SIGNING_DISCIPLINES: readonly string[] = [
  'pediatric_oncology', 'pediatric_surgery', 'orthopedic_oncology', 'radiation_oncology', 'medical_oncology',
  'pathology', 'radiology', 'otolaryngology', 'neurosurgery',
] as const satisfies typeof DISCIPLINES;

/** Compile-time only: each copy above holds every server value (erased from the bundle). */
export type VocabulariesMatchServer = [
  Check<SameValues<typeof TEMPLATE_IDS, TemplateId>>,
  Check<SameValues<typeof PLAN_STATUSES, PlanStatus>>,
  Check<SameValues<typeof PLAN_INTENTS, PlanIntent>>,
  Check<SameValues<typeof PHASE_KINDS, PhaseKind>>,
  Check<SameValues<typeof SURGERY_TYPES, SurgeryType>>,
  Check<SameValues<typeof RADIATION_FIELDS, RadiationField>>,
  Check<SameValues<typeof CHECKLIST_ANSWERS, ChecklistAnswer>>,
  Check<SameValues<typeof DEVIATION_REASONS, DeviationReason>>,
];

// ---- rule provenance (src/domain/rules/derive.ts) -----------------------------------------------------------

export type { Explanation, MissingFact, Derived } from '../../../src/domain/rules/derive.js';

// ---- the plan document (src/domain/plan/plan.ts) -------------------------------------------------------------

export type {
  PlanAgent, PlanCycle, PlanPhase, RadiationPlanCourse, SelectedLocalControl, ConsideredOption, ChecklistItem, PlanContent,
} from '../../../src/domain/plan/plan.js';

// ---- exposure (src/domain/plan/plan-exposure.ts) -------------------------------------------------------------

export type { RadiationTotals, HearingRisk, FertilityRisk, ExposureSummary } from '../../../src/domain/plan/plan-exposure.js';
export type { EchoFrequency } from '../../../src/domain/facts/assessment.js';

// ---- the plan as the server shows it (src/domain/plan/plan-view.ts) ------------------------------------------

export type { FieldMessage, PlanSignatureView as Signature, PlanView } from '../../../src/domain/plan/plan-view.js';
export type { Recommendation } from '../../../src/domain/conference/types.js';
export type VersionItem = PlanVersionItem;
export type VersionList = PlanVersionList;
export type Comparison = PlanComparison;
export type Progress = PlanProgress;

/** versions.ts PlanDiffEntry: `path` for people, `field` for code (the path in b, or in a for a removal). */
export type { PlanDiffEntry as DiffEntry } from '../../../src/domain/plan/versions.js';

// ---- treatment given (concordance.ts, timeline.ts, survivorship-schedule.ts) --------------------------------

export type {
  Deviation, AdministeredAgent, ChemoAdministration, SurgeryAdministration, RadiationAdministration, Administration,
  AgentComparison, ConcordanceStatus, ConcordanceReason, ConcordanceResult,
} from '../../../src/domain/plan/concordance.js';
export type { TimelineEntry } from '../../../src/domain/plan/timeline.js';
export type { SurvivorshipItem, SurvivorshipPlan } from '../../../src/domain/plan/survivorship-schedule.js';

// ---- permissions ------------------------------------------------------------------------------------------

export interface PlanAccess { read: boolean; write: boolean; sign: boolean; record: boolean; discipline: string | null }

/** From /auth/me: only a hint to hide controls; the server enforces every permission. */
export function usePlanAccess(): PlanAccess {
  const me = useMe().data;
  const has = (p: NonNullable<typeof me>['permissions'][number]) => !!me?.permissions.includes(p);
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
    // The case now has a plan (its detail says so): reload it too.
    onSuccess: (saved) => Promise.all([afterChange(qc, caseId, saved), qc.invalidateQueries({ queryKey: ['case', caseId], exact: true })]),
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
