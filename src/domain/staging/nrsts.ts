import type { CaseFacts } from '../facts/case-facts.js';
import type { Assessment } from '../facts/assessment.js';
import { lookupMorphology } from '../coding/morphology.js';
import { provenance, type Derived } from '../rules/derive.js';
import { describeResection, isMetastatic, resection, resectionNeeds, type Resection } from './disease-extent.js';
import { decide, matchRow, type RuleRow } from './rule-table.js';

/**
 * Non-rhabdomyosarcoma soft tissue sarcoma, COG ARST0332 (rules.md §1.7): risk group (R-NRSTS-RISK), treatment
 * arm (R-NRSTS-ARM) and the grade they use (R-NRSTS-GRADE). Sizes are inclusive at 5 cm (R-GEN-SIZE).
 */

export type NrstsResult = NonNullable<Assessment['nrsts']>;
type Risk = NonNullable<NrstsResult['arst0332RiskGroup']>;
type Arm = NonNullable<NrstsResult['arst0332Arm']>;
type Grade = 'high' | 'low';

/** [D] ARST0332 ≤5 cm high-grade R0 (rules.md §1.7, §6 item 19). */
export const ARST0332_R0_DISAGREEMENT =
  'The ARST0332 abstract reads "≤5 cm R1 high-grade" for low risk, but ≤5 cm high-grade R0 tumours were also '
  + 'treated on the surgery-only arm A. Platform rule: ≤5 cm high-grade R0 or R1 = low risk.';

// ---------------------------------------------------------------------------------------------------------------
// Grade (R-NRSTS-GRADE)

/** What R-NRSTS-GRADE reads. */
export interface NrstsGradeFacts {
  pog?: 1 | 2 | 3 | undefined;
  /** POG grade fixed by histology (morphology table), where it applies to this patient. */
  histologyPog?: 1 | 3 | undefined;
  histologyTerm?: string | undefined;
  histologyUnverified?: boolean;
  fnclcc?: 1 | 2 | 3 | undefined;
  twoTier?: Grade | undefined;
}

/**
 * ARST0332 "high grade": the POG grade (fixed by histology where the POG system fixes it, else as given), else
 * FNCLCC 3, else the two-tier grade. A histology-fixed POG grade comes first: for those tumours the histology
 * is the POG grade, so a conflicting recorded grade does not override it (the reason line shows both).
 */
export const nrstsGradeTable = [
  {
    value: 'high', when: (g) => g.histologyPog === 3, unverified: (g) => g.histologyUnverified === true,
    why: (g) => `POG grade 3 by histology (${g.histologyTerm})${conflict(g, 3)}`,
  },
  {
    value: 'low', when: (g) => g.histologyPog === 1, unverified: (g) => g.histologyUnverified === true,
    why: (g) => `POG grade 1 by histology (${g.histologyTerm})${conflict(g, 1)}`,
  },
  { value: 'high', when: (g) => g.pog === 3, why: 'POG grade 3' },
  { value: 'low', when: (g) => g.pog === 1 || g.pog === 2, why: (g) => `POG grade ${g.pog}` },
  { value: 'high', when: (g) => g.fnclcc === 3, why: 'FNCLCC grade 3 (no POG grade)' },
  { value: 'low', when: (g) => g.fnclcc === 1 || g.fnclcc === 2, why: (g) => `FNCLCC grade ${g.fnclcc} (no POG grade)` },
  { value: 'high', when: (g) => g.twoTier === 'high', why: 'high grade (two-tier)' },
  { value: 'low', when: (g) => g.twoTier === 'low', why: 'low grade (two-tier)' },
] as const satisfies readonly RuleRow<NrstsGradeFacts, Grade>[];

function conflict(g: NrstsGradeFacts, byHistology: 1 | 3): string {
  return g.pog !== undefined && g.pog !== byHistology ? ` (recorded POG grade ${g.pog} not used)` : '';
}

/** Infantile fibrosarcoma is POG grade 1 only at ≤4 years (`ageMonths < 60`). */
const INFANTILE_FIBROSARCOMA = '8814/3';

/** The grading facts of a case (R-NRSTS-GRADE); infantile fibrosarcoma is POG 1 only under 60 months. */
export function nrstsGradeFacts(f: CaseFacts): NrstsGradeFacts {
  const m = lookupMorphology(f.morphology);
  const byHistology = f.morphology === INFANTILE_FIBROSARCOMA && f.ageMonths >= 60 ? undefined : m?.pogGradeByHistology;
  return {
    pog: f.grade?.pog, histologyPog: byHistology, histologyTerm: m?.term, histologyUnverified: m?.unverified === true,
    fnclcc: f.grade?.fnclcc, twoTier: f.grade?.twoTier,
  };
}

/** High or low grade for ARST0332 (R-NRSTS-GRADE), with its reason; undefined when no grade is known. */
export function nrstsGrade(f: CaseFacts): { value: Grade | undefined; why: string; unverified: boolean } {
  const g = nrstsGradeFacts(f);
  const hit = matchRow(nrstsGradeTable, g);
  return { value: hit?.value, why: hit?.why ?? 'grade unknown', unverified: hit?.unverified === true };
}

// ---------------------------------------------------------------------------------------------------------------
// Risk group and arm (R-NRSTS-RISK, R-NRSTS-ARM)

/** What R-NRSTS-RISK and R-NRSTS-ARM read. */
export interface NrstsFacts {
  metastatic: boolean | undefined;
  resection: Resection | undefined;
  grade: Grade | undefined;
  gradeWhy: string;
  gradeUnverified: boolean;
  sizeCm?: number | undefined;
  resectionNeeds: readonly string[];
}

const m0 = (v: NrstsFacts): boolean => v.metastatic === false;
const unresected = (v: NrstsFacts): boolean => v.resection === 'unresected' || v.resection === 'R2';
const r01 = (v: NrstsFacts): boolean => v.resection === 'R0' || v.resection === 'R1';
const small = (v: NrstsFacts): boolean => v.sizeCm !== undefined && v.sizeCm <= 5;
const large = (v: NrstsFacts): boolean => v.sizeCm !== undefined && v.sizeCm > 5;
const res = (v: NrstsFacts): string => describeResection(v.resection ?? 'unresected');
const gradeUsed = (v: NrstsFacts): boolean => v.grade !== undefined && v.gradeUnverified;
const r0Note = (v: NrstsFacts): string | undefined => (v.resection === 'R0' && v.grade !== 'low' ? ARST0332_R0_DISAGREEMENT : undefined);
const smallWhy = (v: NrstsFacts): string =>
  `M0, ${res(v)}, ${v.sizeCm} cm ≤ 5 cm, ${v.grade === undefined ? 'grade unknown (low either way)' : v.gradeWhy}`;

/** R-NRSTS-RISK. */
export const nrstsRiskTable = [
  { value: 'high', when: (v) => v.metastatic === true, why: 'metastatic at diagnosis' },
  { value: 'intermediate', when: (v) => m0(v) && unresected(v), why: (v) => `M0, ${res(v)}: unresected (R2), any size or grade` },
  { value: 'low', when: (v) => m0(v) && r01(v) && v.grade === 'low', why: (v) => `M0, ${res(v)}, ${v.gradeWhy} (low grade, any size)`, unverified: gradeUsed },
  { value: 'low', when: (v) => m0(v) && r01(v) && small(v), why: smallWhy, rules: ['R-GEN-SIZE'], disagreement: r0Note, unverified: gradeUsed },
  {
    value: 'intermediate', when: (v) => m0(v) && r01(v) && v.grade === 'high' && large(v), rules: ['R-GEN-SIZE'], unverified: gradeUsed,
    why: (v) => `M0, ${res(v)}, ${v.gradeWhy} (high grade), ${v.sizeCm} cm > 5 cm`,
  },
] as const satisfies readonly RuleRow<NrstsFacts, Risk>[];

/** R-NRSTS-ARM: A surgery alone, B RT, C chemoradiotherapy, D neoadjuvant chemoradiotherapy; HR metastatic. */
export const nrstsArmTable = [
  { value: 'HR', when: (v) => v.metastatic === true, why: 'metastatic (high risk)' },
  { value: 'D', when: (v) => m0(v) && unresected(v), why: (v) => `M0, ${res(v)}: unresected` },
  { value: 'A', when: (v) => m0(v) && r01(v) && v.grade === 'low', why: (v) => `M0, ${res(v)}, ${v.gradeWhy} (low grade, any size)`, unverified: gradeUsed },
  { value: 'A', when: (v) => m0(v) && v.resection === 'R0' && small(v), why: smallWhy, rules: ['R-GEN-SIZE'], disagreement: r0Note, unverified: gradeUsed },
  {
    value: 'B', when: (v) => m0(v) && v.resection === 'R1' && v.grade === 'high' && small(v), rules: ['R-GEN-SIZE'], unverified: gradeUsed,
    why: (v) => `M0, resected R1, ${v.gradeWhy} (high grade), ${v.sizeCm} cm ≤ 5 cm`,
  },
  {
    value: 'C', when: (v) => m0(v) && r01(v) && v.grade === 'high' && large(v), rules: ['R-GEN-SIZE'], unverified: gradeUsed,
    why: (v) => `M0, ${res(v)}, ${v.gradeWhy} (high grade), ${v.sizeCm} cm > 5 cm`,
  },
] as const satisfies readonly RuleRow<NrstsFacts, Arm>[];

/** Facts that could still decide the risk group (or, with `forArm`, the arm). */
export function nrstsNeeds(v: NrstsFacts, forArm = false): string[] {
  const needs: string[] = [];
  if (v.metastatic === undefined) needs.push('metastases');
  if (v.resection === undefined) needs.push(...v.resectionNeeds);
  if (v.resection === undefined || r01(v)) {
    const gradeSettled = forArm ? v.resection === 'R0' && small(v) : small(v);
    if (v.grade === undefined && !gradeSettled) needs.push('grade');
    if (v.sizeCm === undefined && v.grade !== 'low') needs.push('sizeCm');
  }
  return needs;
}

/** The ARST0332 facts of a case (R-NRSTS-RISK, R-NRSTS-ARM, R-NRSTS-GRADE). */
export function nrstsFacts(f: CaseFacts): NrstsFacts {
  const g = nrstsGrade(f);
  return {
    metastatic: isMetastatic(f), resection: resection(f), grade: g.value, gradeWhy: g.why, gradeUnverified: g.unverified,
    sizeCm: f.sizeCm, resectionNeeds: resectionNeeds(f),
  };
}

/**
 * ARST0332 risk group and arm (R-NRSTS-RISK, R-NRSTS-ARM, R-NRSTS-GRADE). `value` is null when the morphology is
 * not an NRSTS; a field is null where a needed fact is missing.
 */
export function assessNrsts(f: CaseFacts): Derived<NrstsResult> {
  if (lookupMorphology(f.morphology)?.family !== 'nrsts') return { value: null, explanations: [], missing: [] };
  const v = nrstsFacts(f);
  const risk = decide(nrstsRiskTable, v, ['R-NRSTS-RISK', 'R-NRSTS-GRADE'], 'nrsts.arst0332RiskGroup', (x) => nrstsNeeds(x));
  const arm = decide(nrstsArmTable, v, ['R-NRSTS-ARM', 'R-NRSTS-GRADE'], 'nrsts.arst0332Arm', (x) => nrstsNeeds(x, true));
  return { value: { arst0332RiskGroup: risk.value, arst0332Arm: arm.value }, ...provenance(risk, arm) };
}
