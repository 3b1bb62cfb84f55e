import type { Recommendation } from '../conference/types.js';
import type { Derived } from '../rules/derive.js';
import type { Administration, ConcordanceResult } from './concordance.js';
import type { PlanContent } from './plan.js';
import type { ExposureSummary } from './plan-exposure.js';
import type { SurvivorshipPlan } from './survivorship-schedule.js';
import type { TimelineEntry } from './timeline.js';
import type { PlanDiffEntry } from './versions.js';

/**
 * What the plan routes return (services/plans.service.ts), as types only: the web app imports these (`import type`)
 * so the server's shapes are the one definition. Keep this module free of logic and of server-only imports.
 */

export const PLAN_STATUSES = ['draft', 'agreed', 'active', 'completed', 'stopped'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** A field and what is wrong or open there. */
export interface FieldMessage { field: string; message: string }

/** One group's signature on one version. */
export interface PlanSignatureView { discipline: string; version: number; userName: string | null; signedAt: string; current: boolean }

/** `GET /cases/:id/plan` (and create, update, sign). */
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
  /** Edits that remain open before sign-off (doses, counts, checklist answers), each naming its field. */
  openItems: FieldMessage[];
  checklistComplete: boolean;
  warnings: FieldMessage[];
  exposure: ExposureSummary | null;
  signoff: {
    /** Groups whose signatures make the plan agreed (the case's conference groups, R-CONF); null when unknown. */
    required: string[] | null;
    requiredRules: string[];
    agreed: boolean;
    missing: string[];
    signatures: PlanSignatureView[];
  };
  /** The conference recommendation the plan came from, when it came from one. */
  recommendation: Recommendation | null;
}

/** One stored version of the plan. */
export interface PlanVersionItem {
  version: number;
  contentHash: string;
  author: string | null;
  note: string | null;
  createdAt: string;
  signedBy: string[];
}

/** `GET /cases/:id/plan/versions`. */
export interface PlanVersionList { current: number; items: PlanVersionItem[] }

/** `GET /cases/:id/plan/compare?a&b`: both documents and the differences. */
export interface PlanComparison {
  a: { version: number; content: PlanContent; createdAt: string };
  b: { version: number; content: PlanContent; createdAt: string };
  changes: PlanDiffEntry[];
}

/** `GET /cases/:id/plan/progress`: what was given against the plan. */
export interface PlanProgress {
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
