import { codeLabel } from '../facts/labels.js';
import type { MissingFact } from '../rules/derive.js';
import { CONFERENCE_RULES } from '../team/disciplines.js';

/**
 * Is a case ready to be discussed at the conference (issue 5)? A checklist the coordinator and presenter see on the
 * agenda: the required groups, the records, the staging, the question, and (later) trial screening.
 */

export type ReadinessKey = 'groups' | 'records' | 'staging' | 'question' | 'trials';

/** One line of the readiness checklist. `ok: null` = not checked yet (does not count towards `ready`). */
export interface ReadinessItem {
  key: ReadinessKey;
  label: string;
  ok: boolean | null;
  detail: string;
  rules: string[];
}

export interface CaseReadinessInput {
  /** Groups required for this case: `assessment.conferenceDisciplines` (R-CONF). */
  requiredGroups: string[];
  /** Pre-conference input posted by each group (any stance counts as reviewed). */
  inputs: Array<{ discipline: string; stance: string }>;
  /** Groups checked in at the meeting. */
  attendance: Array<{ discipline: string }>;
  /** `recordsReadiness` of the referral's records checklist; null when the case has none. */
  records: { complete: boolean; outstanding: Array<{ label: string }> } | null;
  assessment: { missing: MissingFact[] } | null;
  /** Fact errors that kept `assess` from running. */
  assessmentErrors?: string[];
  /** The question put to the conference. */
  question: string | null;
  trialScreening?: 'done' | 'pending' | 'not_available';
}

/** Checklist labels, in display order. */
export const READINESS_LABELS = {
  groups: 'Required groups have reviewed or are present',
  records: 'Pathology and imaging reviewed',
  staging: 'Staging complete',
  question: 'Question for the conference stated',
  trials: 'Trial screening',
} as const satisfies Record<ReadinessKey, string>;

/**
 * Missing facts that hold a case back: those needed for a staging or risk output, or for the treatment template.
 * A missing fact needed only for, say, late-effects screening does not stop the discussion.
 */
export const BLOCKING_NEEDED_FOR = [
  'ajcc.', 'enneking.', 'rms.stage', 'rms.clinicalGroup', 'ewing.', 'osteosarcoma.metastaticCategory',
  'nrsts.arst0332RiskGroup', 'treatmentTemplate',
] as const satisfies readonly string[];

/** Is this missing fact one that blocks discussion (`BLOCKING_NEEDED_FOR`)? */
export function isBlockingMissing(m: MissingFact): boolean {
  return BLOCKING_NEEDED_FOR.some((prefix) => m.needed_for.startsWith(prefix));
}

/** The groups every case needs (the first R-CONF row), used when no assessment has named the case's groups. */
const EVERY_CASE_GROUPS: readonly string[] = CONFERENCE_RULES[0].add;

const human = (id: string) => id.replaceAll('_', ' ');

function groupsItem(input: CaseReadinessInput): ReadinessItem {
  const fallback = input.requiredGroups.length === 0;
  const required = fallback ? EVERY_CASE_GROUPS : [...new Set(input.requiredGroups)];
  const covered = new Set([...input.inputs.map((i) => i.discipline), ...input.attendance.map((a) => a.discipline)]);
  const missing = required.filter((g) => !covered.has(g));
  const note = fallback ? ' (groups every case needs; the assessment has not named this case\'s groups)' : '';
  return {
    key: 'groups', label: READINESS_LABELS.groups, ok: missing.length === 0, rules: ['R-CONF'],
    detail: missing.length === 0
      ? `all ${required.length} required groups have reviewed or are present${note}`
      : `no input or attendance yet from ${missing.map(human).join(', ')}${note}`,
  };
}

function recordsItem(records: CaseReadinessInput['records']): ReadinessItem {
  const base = { key: 'records' as const, label: READINESS_LABELS.records, rules: [] };
  if (records === null) return { ...base, ok: false, detail: 'no records checklist' };
  if (records.complete) return { ...base, ok: true, detail: 'all required records are in and reviewed' };
  return {
    ...base, ok: false,
    detail: records.outstanding.length > 0
      ? `outstanding: ${records.outstanding.map((o) => o.label).join(', ')}`
      : 'records are not complete',
  };
}

function stagingItem(input: CaseReadinessInput): ReadinessItem {
  const base = { key: 'staging' as const, label: READINESS_LABELS.staging, rules: [] };
  const errors = input.assessmentErrors ?? [];
  if (errors.length > 0) return { ...base, ok: false, detail: `the case facts have errors: ${errors.join('; ')}` };
  if (input.assessment === null) return { ...base, ok: false, detail: 'no assessment yet' };
  const blocking = new Map<string, string[]>();
  for (const m of input.assessment.missing.filter(isBlockingMissing)) {
    const outputs = blocking.get(m.field) ?? [];
    if (!outputs.includes(m.needed_for)) outputs.push(m.needed_for);
    blocking.set(m.field, outputs);
  }
  if (blocking.size === 0) return { ...base, ok: true, detail: 'no fact needed for staging or the treatment template is missing' };
  return {
    ...base, ok: false,
    // In words (src/domain/facts/labels.ts): the case page shows the same facts with their codes.
    detail: `missing: ${[...blocking].map(([field, outputs]) => `${codeLabel(field)}, for ${outputs.map(codeLabel).join(' and ')}`).join('; ')}`,
  };
}

function questionItem(question: string | null): ReadinessItem {
  const q = question?.trim() ?? '';
  return {
    key: 'question', label: READINESS_LABELS.question, ok: q.length > 0, rules: [],
    detail: q.length > 0 ? q : 'no question for the conference stated',
  };
}

function trialsItem(status: CaseReadinessInput['trialScreening']): ReadinessItem {
  const base = { key: 'trials' as const, label: READINESS_LABELS.trials, rules: [] };
  if (status === 'done') return { ...base, ok: true, detail: 'screened for open trials (logged, or no open trial could apply)' };
  if (status === 'pending') return { ...base, ok: false, detail: 'a trial may apply: the research coordinator has not logged the screening yet' };
  return { ...base, ok: null, detail: 'no trials in the registry yet' };
}

/**
 * The readiness checklist of a case on the agenda. Groups (R-CONF, rules.md §3.9b): each required group has posted
 * input or checked in. Records: the records checklist is complete (pathology and imaging reviewed here). Staging:
 * an assessment exists, without fact errors and without missing facts in `BLOCKING_NEEDED_FOR`. Question: stated.
 * Trials: `ok: null` until the trials module exists. `ready` = every item that is checked (ok ≠ null) is ok.
 * With no required groups given, the groups every case needs are required: an empty list must not mean "ready".
 */
export function caseReadiness(input: CaseReadinessInput): { ready: boolean; items: ReadinessItem[] } {
  const items = [
    groupsItem(input), recordsItem(input.records), stagingItem(input), questionItem(input.question),
    trialsItem(input.trialScreening),
  ];
  return { ready: items.every((i) => i.ok === null || i.ok), items };
}
