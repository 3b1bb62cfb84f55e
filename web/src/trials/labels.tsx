import { Badge, Text } from '@mantine/core';
import type { BadgeProps, MantineSize } from '@mantine/core';
import { humanize } from '../lib/format.js';
import type { CriterionVerdict, CurationStatus, ImportOutcome, ScreeningStatus, TrialSummary, TrialVerdict } from './api.js';

/** Words, icons and colours for the trial pages. Every state is said in words; colour and icon only repeat it. */

/** Badges in narrow table cells keep their whole word instead of an ellipsis. */
const NO_CLIP = { root: { overflow: 'visible', flexShrink: 0 }, label: { overflow: 'visible' } } as const;
/** Long labels may wrap (a badge grows in height instead of clipping its words). */
const WRAP = { root: { overflow: 'visible', flexShrink: 0, height: 'auto', minHeight: 20, paddingTop: 2, paddingBottom: 2 }, label: { overflow: 'visible', whiteSpace: 'normal', lineHeight: 1.3 } } as const;

export const NETWORK_LABELS: Record<string, string> = {
  COG: 'COG', SARC: 'SARC', POETIC: 'POETIC', industry: 'Industry', institutional: 'Institutional', other: 'Other',
};
export const networkLabel = (n: string | null | undefined) => (n ? NETWORK_LABELS[n] ?? humanize(n) : '—');

/** "PHASE2" → "Phase 2", "EARLY_PHASE1" → "Early phase 1", "NA" → "Not applicable". */
export function phaseLabel(p: string): string {
  if (p === 'NA') return 'Not applicable';
  const m = /^(EARLY_)?PHASE(\d)$/.exec(p);
  if (m) return `${m[1] ? 'Early phase' : 'Phase'} ${m[2]}`;
  return humanize(p);
}
/** Phases joined ("Phase 2/3"); an empty list is said as not stated, never guessed. */
export function phasesLabel(phases: readonly string[]): string {
  if (phases.length === 0) return 'Not stated';
  if (phases.every((p) => /^PHASE\d$/.test(p))) return `Phase ${phases.map((p) => p.slice(5)).join('/')}`;
  return phases.map(phaseLabel).join(', ');
}

/** "ACTIVE_NOT_RECRUITING" → "Active, not recruiting"; UNKNOWN says where it comes from. */
export function overallStatusLabel(s: string | null | undefined): string {
  if (!s) return 'Not stated';
  if (s === 'UNKNOWN') return 'Unknown';
  if (s === 'ACTIVE_NOT_RECRUITING') return 'Active, not recruiting';
  return humanize(s);
}

// ---- curation state of a trial -------------------------------------------------------------------------------------

const CURATION: Record<string, { icon: string; label: string; color: string; hint: string }> = {
  draft: { icon: '✎', label: 'Draft', color: 'gray', hint: 'Drafted criteria wait for a curator' },
  curated: { icon: '✓', label: 'Curated', color: 'teal', hint: 'Every criterion reviewed by a curator' },
  stale: { icon: '⚠', label: 'Criteria changed — review pending', color: 'orange', hint: 'The registry text changed after curation' },
};

export function CurationBadge({ curation, size = 'sm' }: { curation: TrialSummary['curation']; size?: BadgeProps['size'] }) {
  const c = CURATION[curation] ?? { icon: '', label: humanize(curation), color: 'gray', hint: '' };
  return (
    <Badge size={size} color={c.color} c={`${c.color}.9`} variant="light" radius="sm" styles={curation === 'stale' ? WRAP : NO_CLIP} title={c.hint}
      data-testid="curation-badge" data-curation={curation}>
      <span aria-hidden="true">{c.icon} </span>{c.label}
    </Badge>
  );
}

// ---- a criterion's curation status ---------------------------------------------------------------------------------

export const CRITERION_STATUS: Record<CurationStatus, { icon: string; label: string; color: string }> = {
  proposed: { icon: '○', label: 'Proposed — not reviewed', color: 'gray' },
  accepted: { icon: '✓', label: 'Accepted', color: 'teal' },
  edited: { icon: '✓', label: 'Accepted with edits', color: 'teal' },
  rejected: { icon: '✗', label: 'Rejected — not evaluated', color: 'red' },
  needs_review: { icon: '⚑', label: 'Needs clinician review', color: 'grape' },
};

export function CriterionStatusBadge({ status, size = 'sm' }: { status: CurationStatus; size?: BadgeProps['size'] }) {
  const s = CRITERION_STATUS[status];
  return (
    <Badge size={size} color={s.color} c={`${s.color}.9`} variant="light" radius="sm" styles={WRAP} data-testid="criterion-status" data-status={status}>
      <span aria-hidden="true">{s.icon} </span>{s.label}
    </Badge>
  );
}

// ---- verdicts ------------------------------------------------------------------------------------------------------

export const TRIAL_VERDICT: Record<TrialVerdict, { icon: string; label: string; plural: string; color: string }> = {
  eligible: { icon: '✓', label: 'Eligible', plural: 'Eligible', color: 'teal' },
  possible: { icon: '?', label: 'Possibly eligible', plural: 'Possible — needs data or review', color: 'orange' },
  not_eligible: { icon: '✗', label: 'Not eligible', plural: 'Not eligible', color: 'red' },
};

export function TrialVerdictBadge({ verdict, size = 'sm' }: { verdict: TrialVerdict; size?: BadgeProps['size'] }) {
  const v = TRIAL_VERDICT[verdict];
  return (
    <Badge size={size} color={v.color} c={`${v.color}.9`} variant="light" radius="sm" styles={NO_CLIP} data-testid="trial-verdict" data-verdict={verdict}>
      <span aria-hidden="true">{v.icon} </span>{v.label}
    </Badge>
  );
}

/** E.3/E.4: met / not met / unknown (needs data) / needs clinician review. */
export const CRITERION_VERDICT: Record<CriterionVerdict, { icon: string; label: string; color: string }> = {
  met: { icon: '✓', label: 'Met', color: 'teal.9' },
  not_met: { icon: '✗', label: 'Not met', color: 'red.9' },
  unknown: { icon: '?', label: 'Unknown — needs data', color: 'orange.9' },
  needs_review: { icon: '⚑', label: 'Needs clinician review', color: 'grape.9' },
};

export function CriterionVerdictMark({ verdict, size = 'sm' }: { verdict: CriterionVerdict; size?: MantineSize }) {
  const v = CRITERION_VERDICT[verdict];
  return (
    <Text span size={size} fw={700} c={v.color} style={{ whiteSpace: 'nowrap' }} data-testid="criterion-verdict" data-verdict={verdict}>
      <span aria-hidden="true" className="tb-trial-icon">{v.icon}</span> {v.label}
    </Text>
  );
}

// ---- screening log -------------------------------------------------------------------------------------------------

export const SCREENING_LABELS: Record<ScreeningStatus, string> = {
  screened: 'Screened', discussed: 'Discussed', offered: 'Offered', enrolled: 'Enrolled', declined: 'Declined', not_eligible: 'Not eligible',
};
const SCREENING_COLORS: Record<ScreeningStatus, string> = {
  screened: 'gray', discussed: 'blue', offered: 'indigo', enrolled: 'teal', declined: 'orange', not_eligible: 'red',
};
export const screeningLabel = (s: string) => SCREENING_LABELS[s as ScreeningStatus] ?? humanize(s);

export function ScreeningBadge({ status, size = 'sm' }: { status: ScreeningStatus; size?: BadgeProps['size'] }) {
  const color = SCREENING_COLORS[status] ?? 'gray';
  return (
    <Badge size={size} color={color} c={`${color}.9`} variant="light" radius="sm" styles={NO_CLIP} data-testid="screening-status" data-status={status}>
      {screeningLabel(status)}
    </Badge>
  );
}

// ---- import --------------------------------------------------------------------------------------------------------

export const IMPORT_OUTCOMES: Record<ImportOutcome, { icon: string; label: string; detail: string; color: string }> = {
  new: { icon: '＋', label: 'New', detail: 'Criteria drafted; waiting for curation.', color: 'indigo.9' },
  unchanged: { icon: '＝', label: 'Unchanged', detail: 'Same criteria text and update date; status and sites refreshed.', color: 'gray.8' },
  updated: { icon: '↻', label: 'Updated', detail: 'Criteria changed; it was not curated yet, so the draft was redone from the new text.', color: 'blue.9' },
  curation_stale: { icon: '⚠', label: 'Curation stale', detail: 'Criteria changed after curation: the curation is kept but marked "criteria changed — review pending".', color: 'orange.9' },
};

/** Registry fields named in `missing` and import errors, in words. */
const FIELD_LABELS: Record<string, string> = {
  eligibilityCriteria: 'eligibility criteria text', minimumAge: 'minimum age', maximumAge: 'maximum age', overallStatus: 'overall status',
  lastUpdatePostDate: 'last update date', conditions: 'conditions', sex: 'sex', locations: 'sites (locations)', phases: 'phases',
  briefTitle: 'title', title: 'title', leadSponsor: 'lead sponsor', studyType: 'study type', centralContacts: 'contacts', interventions: 'interventions',
};
export const fieldLabel = (f: string) => FIELD_LABELS[f] ?? humanize(f);

// ---- facts the matcher asks for (requests.ts FACT_LABELS, for facts not in a data request) -----------------------

const FACT_LABELS: Record<string, string> = {
  ageDays: 'exact age in days (date of birth)',
  diseaseStatus: 'disease status',
  metastases: 'metastatic work-up',
  morphology: 'specific histology (subtype, not NOS)',
  performance: 'performance score (Lansky/Karnofsky/ECOG)',
  priorTherapy: 'prior therapy',
  enrolledStudies: 'enrollment on the companion/biology study',
  pregnancyStatus: 'pregnancy test and nursing status',
  pubertalStatus: 'pubertal status',
  'labs.drawnDaysAgo': 'date of the lab draw',
  'labs.creatinineMgDl': 'serum creatinine',
  'labs.gfrMlMin173': 'creatinine clearance or radioisotope GFR',
  'labs.bilirubinTotalMgDl': 'total bilirubin',
  'labs.bilirubinUln': 'bilirubin upper limit of normal for age',
  'labs.altUL': 'ALT',
  'labs.altUln': 'ALT upper limit of normal for age',
  'labs.creatinineUln': 'creatinine upper limit of normal for age',
  'labs.anc': 'absolute neutrophil count',
  'labs.platelets': 'platelet count',
  'labs.hemoglobinGDl': 'hemoglobin',
  'labs.shorteningFractionPct': 'echocardiogram (shortening fraction)',
  'labs.ejectionFractionPct': 'echocardiogram or MUGA (ejection fraction)',
  'molecular.foxo1Fusion': 'FOXO1 fusion status',
  'molecular.ewsr1Fusion': 'EWSR1 fusion partner',
  'molecular.myod1': 'MYOD1 mutation status',
  'molecular.tp53': 'TP53 status',
};
/** A fact path in words: the server's own label when a data request carries one, else ours, else the path. */
export const factLabel = (fact: string, known?: ReadonlyMap<string, string>) => known?.get(fact) ?? FACT_LABELS[fact] ?? fact;

/** "1 trial", "3 trials". */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
