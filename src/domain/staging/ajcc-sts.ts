import type { CaseFacts } from '../facts/case-facts.js';
import type { AjccResult } from '../facts/assessment.js';
import { derived, firstMatch, missingAll, notApplicable, provenance, type Derived, type TRule } from '../rules/derive.js';
import { isBoneTopography, lookupMorphology, type TumorFamily } from '../coding/morphology.js';

/**
 * AJCC 8th edition, soft tissue sarcoma of the trunk and extremities (R-AJCC-STS, rules.md §1.3). Head and neck,
 * retroperitoneum and visceral sites have separate AJCC systems [K] that the platform does not implement.
 */

type Grade = 'low' | 'high';
const SCHEME = 'AJCC8-sts-trunk-extremity' as const;

/** [D] 7th vs 8th edition (rules.md §6 item 6), shown where the choice changes the output. */
export const STS_T_DISAGREEMENT =
  'The 7th edition used T1 ≤5 cm / T2 >5 cm with superficial (a) / deep (b) sub-categories; the 8th uses 5/10/15 cm. Platform rule: 8th edition.';
export const STS_N1_DISAGREEMENT =
  'The 7th edition put N1 M0 in stage III; the 8th edition trunk/extremity system puts N1 in stage IV. Platform rule: 8th edition.';

const STS_FAMILIES: readonly TumorFamily[] = ['nrsts', 'osteosarcoma', 'ewing', 'other_bone_malignant'];
const STS_SITE_CATEGORIES: readonly CaseFacts['siteCategory'][] = ['soft_tissue_extremity', 'soft_tissue_trunk'];
/** Soft tissue (C49) and peripheral nerve (C47) of the trunk and limbs; `.0` is head and neck (its own system). */
const TRUNK_EXTREMITY_TOPOGRAPHY = /^C4[79](\.[1-689])?$/;

/** T by greatest dimension, boundaries inclusive (R-AJCC-STS, R-GEN-SIZE). */
export const stsT = [
  { value: 'T1', when: (cm) => cm <= 5, why: (cm) => `${cm} cm ≤ 5 cm` },
  { value: 'T2', when: (cm) => cm > 5 && cm <= 10, why: (cm) => `5 cm < ${cm} cm ≤ 10 cm` },
  { value: 'T3', when: (cm) => cm > 10 && cm <= 15, why: (cm) => `10 cm < ${cm} cm ≤ 15 cm` },
  { value: 'T4', when: (cm) => cm > 15, why: (cm) => `${cm} cm > 15 cm` },
] as const satisfies readonly TRule<number, string>[];

/** STS T (R-AJCC-STS): 5/10/15 cm, inclusive. */
export function stageStsT(sizeCm: number | undefined): Derived<'T1' | 'T2' | 'T3' | 'T4'> {
  if (sizeCm === undefined) return missingAll(['sizeCm'], 'ajcc.T');
  return firstMatch(stsT, sizeCm, 'R-AJCC-STS', 'ajcc.T', { disagreement: STS_T_DISAGREEMENT });
}

/** STS N (R-AJCC-STS): N0 also covers unknown node status, so NX → N0; an absent fact is still missing. */
export function stageStsN(nodes: CaseFacts['regionalNodes']): Derived<'N0' | 'N1'> {
  if (nodes === undefined) return missingAll(['regionalNodes'], 'ajcc.N');
  if (nodes === 'N1') return derived('N1', 'ajcc.N', ['R-AJCC-STS'], 'regional node metastasis → N1');
  if (nodes === 'NX') return derived('N0', 'ajcc.N', ['R-AJCC-STS'], 'NX: N0 also covers unknown node status → N0');
  return derived('N0', 'ajcc.N', ['R-AJCC-STS'], 'no regional node metastasis → N0');
}

/**
 * STS M (R-AJCC-STS): any distant metastasis → M1. The site list decides; without it a site count of 0 means M0 and
 * a positive count alone leaves `metastases` missing (the same reading as the bone chapter and Enneking).
 */
export function stageStsM(f: Pick<CaseFacts, 'metastases' | 'metastaticSiteCount'>): Derived<'M0' | 'M1'> {
  const sites = f.metastases ?? (f.metastaticSiteCount === 0 ? [] : undefined);
  if (sites === undefined) return missingAll(['metastases'], 'ajcc.M');
  if (sites.length > 0) return derived('M1', 'ajcc.M', ['R-AJCC-STS'], `distant metastasis (${sites.join(', ')}) → M1`);
  return derived('M0', 'ajcc.M', ['R-AJCC-STS'], 'no distant metastasis → M0');
}

/**
 * STS grade (R-AJCC-STS): FNCLCC G1 → low group, G2–G3 → high group. Without FNCLCC, a recorded two-tier grade is
 * used. Ewing sarcoma is always high grade [K]. An absent grade is unknown, not GX: it is reported missing.
 */
export function stageStsGrade(f: CaseFacts): Derived<Grade> {
  if (lookupMorphology(f.morphology)?.family === 'ewing') {
    return derived('high', 'ajcc.grade', ['R-AJCC-STS'], 'Ewing sarcoma is always high grade → high', { unverified: true });
  }
  const g = f.grade;
  if (g?.fnclcc !== undefined) {
    const value = g.fnclcc === 1 ? 'low' : 'high';
    return derived(value, 'ajcc.grade', ['R-AJCC-STS'], `FNCLCC G${g.fnclcc} (G1/GX low, G2–G3 high) → ${value}`);
  }
  if (g?.twoTier !== undefined) {
    return derived(g.twoTier, 'ajcc.grade', ['R-AJCC-STS'], `FNCLCC not recorded; recorded ${g.twoTier} grade → ${g.twoTier}`);
  }
  return missingAll(['grade'], 'ajcc.grade');
}

export interface StsTnmg {
  T: string | null;
  N: 'N0' | 'N1' | null;
  M: 'M0' | 'M1' | null;
  grade: Grade | null;
}

const n0m0 = (c: StsTnmg): boolean => c.N === 'N0' && c.M === 'M0';
const tnm = (c: StsTnmg): string => `${c.T} ${c.N} ${c.M}, ${c.grade} grade`;
const t2to4 = (c: StsTnmg): boolean => c.T === 'T2' || c.T === 'T3' || c.T === 'T4';

/** AJCC 8 trunk/extremity STS stage groups (R-AJCC-STS). Rows need only what they test. */
export const stsStageGroups = [
  { value: 'IV', when: (c) => c.M === 'M1', why: 'M1, any T, any N, any grade' },
  { value: 'IV', when: (c) => c.N === 'N1' && c.M === 'M0', why: 'N1 M0, any T, any grade' },
  { value: 'IA', when: (c) => n0m0(c) && c.T === 'T1' && c.grade === 'low', why: tnm },
  { value: 'IB', when: (c) => n0m0(c) && t2to4(c) && c.grade === 'low', why: tnm },
  { value: 'II', when: (c) => n0m0(c) && c.T === 'T1' && c.grade === 'high', why: tnm },
  { value: 'IIIA', when: (c) => n0m0(c) && c.T === 'T2' && c.grade === 'high', why: tnm },
  { value: 'IIIB', when: (c) => n0m0(c) && (c.T === 'T3' || c.T === 'T4') && c.grade === 'high', why: tnm },
] as const satisfies readonly TRule<StsTnmg, string>[];

/** Stage group (R-AJCC-STS); null when a component it needs is unknown. N1 M0 carries the 7th/8th [D] note. */
export function stageStsGroup(c: StsTnmg): Derived<string> {
  if (!stsStageGroups.some((r) => r.when(c))) return { value: null, explanations: [], missing: [] };
  const extra = c.N === 'N1' && c.M === 'M0' ? { disagreement: STS_N1_DISAGREEMENT } : {};
  return firstMatch(stsStageGroups, c, 'R-AJCC-STS', 'ajcc.stageGroup', extra);
}

/**
 * Does AJCC trunk/extremity STS apply (R-AJCC-STS)? A malignant soft-tissue tumour (not rhabdomyosarcoma, which is
 * staged by IRS/COG) of the trunk or extremity soft tissue: site category soft_tissue_extremity/soft_tissue_trunk
 * and topography C47/C49 other than head and neck (.0).
 */
export function ajccStsScope(f: CaseFacts): { applies: true } | { applies: false; why: string } {
  const family = lookupMorphology(f.morphology)?.family;
  if (family === 'rhabdomyosarcoma') return { applies: false, why: 'rhabdomyosarcoma is staged with the IRS/COG system, not AJCC' };
  if (family === undefined || !STS_FAMILIES.includes(family)) {
    return { applies: false, why: `morphology ${f.morphology} is not a malignant soft-tissue sarcoma the platform stages` };
  }
  if (isBoneTopography(f.topography)) return { applies: false, why: `topography ${f.topography} is bone (AJCC bone chapter)` };
  if (!STS_SITE_CATEGORIES.includes(f.siteCategory) || !TRUNK_EXTREMITY_TOPOGRAPHY.test(f.topography)) {
    return {
      applies: false,
      why: `site ${f.siteCategory} / ${f.topography} is not trunk or extremity soft tissue; AJCC 8 head and neck, retroperitoneum and visceral systems are not implemented`,
    };
  }
  return { applies: true };
}

/**
 * AJCC 8th edition soft tissue sarcoma of the trunk and extremities (R-AJCC-STS): T by 5/10/15 cm, N (NX → N0),
 * M, FNCLCC grade and stage groups IA–IV. The value is null, with the reason, outside that scope.
 */
export function assessAjccSts(f: CaseFacts): Derived<AjccResult> {
  const scope = ajccStsScope(f);
  if (!scope.applies) return notApplicable('ajcc', ['R-AJCC-STS'], `AJCC soft tissue (trunk/extremity) does not apply: ${scope.why}`);
  const T = stageStsT(f.sizeCm);
  const N = stageStsN(f.regionalNodes);
  const M = stageStsM(f);
  const grade = stageStsGrade(f);
  const group = stageStsGroup({ T: T.value, N: N.value, M: M.value, grade: grade.value });
  const groupMissing = group.value === null
    ? [T, N, M, grade].flatMap((p) => p.missing).map((m) => ({ field: m.field, needed_for: 'ajcc.stageGroup' }))
    : [];
  return {
    value: { scheme: SCHEME, T: T.value, N: N.value, M: M.value, grade: grade.value, stageGroup: group.value },
    ...provenance(T, N, M, grade, group, { explanations: [], missing: groupMissing }),
  };
}
