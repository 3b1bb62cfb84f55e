import type { BoneFacts, CaseFacts, MetastaticSite } from '../facts/case-facts.js';
import type { AjccResult } from '../facts/assessment.js';
import {
  derived, firstMatch, missingAll, notApplicable, provenance, type Derived, type Explanation, type TRule,
} from '../rules/derive.js';
import { isBoneTopography, lookupMorphology, type MorphologyEntry, type TumorFamily } from '../coding/morphology.js';

/**
 * AJCC 8th edition, bone (R-AJCC-BONE, rules.md §1.2): three anatomic T schemes, N, M, the 8th-edition grade and
 * stage groups for the appendicular skeleton, trunk, skull and face only.
 */

type SkipLesion = NonNullable<BoneFacts['skipLesion']>;
type BoneScheme = 'AJCC8-bone-appendicular' | 'AJCC8-bone-spine' | 'AJCC8-bone-pelvis';
type Grade = 'low' | 'high';

const BONE_FAMILIES: readonly TumorFamily[] = ['osteosarcoma', 'ewing', 'other_bone_malignant'];

/** [D] AJCC bone T1 boundary (rules.md §6 item 3). */
export const BONE_T1_8CM_DISAGREEMENT =
  'One review table (BioMed Eng OnLine s12938-021-00860-0, Table 3) writes T1 "<8 cm"; AJCC/UICC wording is '
  + '"8 cm or less". Platform rule: exactly 8.0 cm → T1.';

/** [D] AJCC spine T3 wording (rules.md §6 item 5). */
export const SPINE_T3_DISAGREEMENT =
  'UICC/TNM 9 words T3 as "four adjacent vertebral segments"; AJCC 8 adds "or any nonadjacent segments". '
  + 'Platform rule: AJCC wording.';

/** [D] AJCC bone grade tiers (rules.md §6 item 4). */
export const BONE_GRADE_DISAGREEMENT =
  'The 7th edition used four tiers (G1–G2 low, G3–G4 high); the 8th uses three (G1 low, G2–G3 high). Platform rule: 8th edition.';

// ---------------------------------------------------------------------------------------------------------------
// T: appendicular skeleton, trunk, skull and facial bones

export interface AppendicularTFacts {
  sizeCm?: number;
  skipLesion?: SkipLesion;
}

/** AJCC 8 bone, appendicular skeleton/trunk/skull/face: primary tumor (R-AJCC-BONE-T-APP). */
export const appendicularT = [
  { value: 'T3', when: (f) => f.skipLesion === 'same_bone', why: 'discontinuous tumour in the primary bone (skip lesion, same bone)' },
  { value: 'T2', when: (f) => f.sizeCm !== undefined && f.sizeCm > 8, why: (f) => `${f.sizeCm} cm > 8 cm` },
  { value: 'T1', when: (f) => f.sizeCm !== undefined && f.sizeCm <= 8, why: (f) => `${f.sizeCm} cm ≤ 8 cm` },
] as const satisfies readonly TRule<AppendicularTFacts, string>[];

/** Appendicular/trunk/skull/face T (R-AJCC-BONE-T-APP); exactly 8 cm is T1 and carries the [D] note. */
export function stageAppendicularT(f: AppendicularTFacts): Derived<'T1' | 'T2' | 'T3'> {
  if (f.skipLesion !== 'same_bone') {
    const absent = [...(f.sizeCm === undefined ? ['sizeCm'] : []), ...(f.skipLesion === undefined ? ['bone.skipLesion'] : [])];
    if (absent.length > 0) return missingAll(absent, 'ajcc.T');
  }
  const extra = f.skipLesion !== 'same_bone' && f.sizeCm === 8 ? { disagreement: BONE_T1_8CM_DISAGREEMENT } : {};
  return firstMatch(appendicularT, f, 'R-AJCC-BONE-T-APP', 'ajcc.T', extra);
}

// ---------------------------------------------------------------------------------------------------------------
// T: spine

export interface SpineTFacts {
  vertebralSegments?: number;
  nonadjacentSegments?: boolean;
  spinalCanalInvasion?: boolean;
  greatVesselInvolvement?: boolean;
}

/**
 * AJCC 8 bone, spine: primary tumor (R-AJCC-BONE-T-SPINE). Five segments: right pedicle, right body, left body,
 * left pedicle, posterior element. Canal or vessel invasion overrides the segment count. When both are present
 * the platform reports T4b (the higher sub-category).
 */
export const spineT = [
  { value: 'T4b', when: (f) => f.greatVesselInvolvement === true, why: 'extension into great vessels or vessel tumour thrombosis' },
  { value: 'T4a', when: (f) => f.spinalCanalInvasion === true, why: 'extension into the spinal canal' },
  { value: 'T3', when: (f) => f.nonadjacentSegments === true, why: 'nonadjacent vertebral segments involved' },
  { value: 'T3', when: (f) => (f.vertebralSegments ?? 0) >= 4, why: (f) => `${f.vertebralSegments} adjacent vertebral segments (≥4)` },
  { value: 'T2', when: (f) => f.vertebralSegments === 3, why: '3 adjacent vertebral segments' },
  { value: 'T1', when: (f) => f.vertebralSegments === 1, why: 'one vertebral segment' },
  { value: 'T1', when: (f) => f.vertebralSegments === 2, why: '2 adjacent vertebral segments' },
] as const satisfies readonly TRule<SpineTFacts, string>[];

/** Spine T (R-AJCC-BONE-T-SPINE). Every fact that could raise T must be known before a lower T is given. */
export function stageSpineT(f: SpineTFacts): Derived<string> {
  const vessels = f.greatVesselInvolvement;
  if (vessels !== true) {
    const decidedByCount = (f.vertebralSegments ?? 0) >= 4 || f.nonadjacentSegments === true;
    const absent = [
      ...(vessels === undefined ? ['bone.greatVesselInvolvement'] : []),
      ...(f.spinalCanalInvasion === undefined ? ['bone.spinalCanalInvasion'] : []),
      ...(f.spinalCanalInvasion !== true && f.vertebralSegments === undefined && !decidedByCount ? ['bone.vertebralSegments'] : []),
      ...(f.spinalCanalInvasion !== true && !decidedByCount && f.nonadjacentSegments === undefined
        && (f.vertebralSegments === 2 || f.vertebralSegments === 3) ? ['bone.nonadjacentSegments'] : []),
    ];
    if (absent.length > 0) return missingAll(absent, 'ajcc.T');
  }
  const t = firstMatch(spineT, f, 'R-AJCC-BONE-T-SPINE', 'ajcc.T');
  const viaNonadjacent = t.value === 'T3' && f.nonadjacentSegments === true && (f.vertebralSegments ?? 0) < 4;
  return viaNonadjacent ? withExtra(t, { disagreement: SPINE_T3_DISAGREEMENT }) : t;
}

// ---------------------------------------------------------------------------------------------------------------
// T: pelvis

export interface PelvisTFacts {
  sizeCm?: number;
  pelvicSegments?: number;
  extraosseousExtension?: boolean;
  sacroiliacCrossing?: boolean;
  greatVesselInvolvement?: boolean;
}

const big = (f: PelvisTFacts): boolean => f.sizeCm !== undefined && f.sizeCm > 8;
const small = (f: PelvisTFacts): boolean => f.sizeCm !== undefined && f.sizeCm <= 8;
const oneNoExt = (f: PelvisTFacts): boolean => f.pelvicSegments === 1 && f.extraosseousExtension === false;
const t2Extent = (f: PelvisTFacts): boolean =>
  (f.pelvicSegments === 1 && f.extraosseousExtension === true) || (f.pelvicSegments === 2 && f.extraosseousExtension === false);
const twoWithExt = (f: PelvisTFacts): boolean => f.pelvicSegments === 2 && f.extraosseousExtension === true;
const ext = (f: PelvisTFacts): string => (f.extraosseousExtension ? 'with' : 'without');
const segs = (f: PelvisTFacts): string => `${f.pelvicSegments} segment${f.pelvicSegments === 1 ? '' : 's'}`;

/**
 * AJCC 8 bone, pelvis: primary tumor (R-AJCC-BONE-T-PELVIS). Segments: sacrum lateral to the foramina, iliac wing,
 * acetabulum/periacetabulum, pubic rami/symphysis/ischium. Rows marked `unverified` are [K] (T2b–T4b wording).
 */
export const pelvisT = [
  { value: 'T4b', when: (f) => f.greatVesselInvolvement === true, why: 'encasement of external iliac vessels or gross tumour thrombus in major pelvic vessels', unverified: true },
  { value: 'T4a', when: (f) => f.sacroiliacCrossing === true, why: 'crosses the sacroiliac joint into the sacral neuroforamen', unverified: true },
  { value: 'T4a', when: (f) => (f.pelvicSegments ?? 0) >= 3, why: (f) => `spans ${f.pelvicSegments} pelvic segments (≥3)`, unverified: true },
  { value: 'T3b', when: (f) => twoWithExt(f) && big(f), why: (f) => `2 segments with extraosseous extension, ${f.sizeCm} cm > 8 cm`, unverified: true },
  { value: 'T3a', when: (f) => twoWithExt(f) && small(f), why: (f) => `2 segments with extraosseous extension, ${f.sizeCm} cm ≤ 8 cm`, unverified: true },
  { value: 'T2b', when: (f) => t2Extent(f) && big(f), why: (f) => `${segs(f)} ${ext(f)} extraosseous extension, ${f.sizeCm} cm > 8 cm`, unverified: true },
  { value: 'T2a', when: (f) => t2Extent(f) && small(f), why: (f) => `${segs(f)} ${ext(f)} extraosseous extension, ${f.sizeCm} cm ≤ 8 cm`, unverified: false },
  { value: 'T1b', when: (f) => oneNoExt(f) && big(f), why: (f) => `1 segment without extraosseous extension, ${f.sizeCm} cm > 8 cm`, unverified: false },
  { value: 'T1a', when: (f) => oneNoExt(f) && small(f), why: (f) => `1 segment without extraosseous extension, ${f.sizeCm} cm ≤ 8 cm`, unverified: false },
] as const satisfies readonly (TRule<PelvisTFacts, string> & { unverified: boolean })[];

/** Pelvis T (R-AJCC-BONE-T-PELVIS). Every fact that could raise T must be known before a lower T is given. */
export function stagePelvisT(f: PelvisTFacts): Derived<string> {
  if (f.greatVesselInvolvement !== true) {
    const t4a = f.sacroiliacCrossing === true || (f.pelvicSegments ?? 0) >= 3;
    const absent = [
      ...(f.greatVesselInvolvement === undefined ? ['bone.greatVesselInvolvement'] : []),
      ...(t4a ? [] : [
        ...(f.sacroiliacCrossing === undefined ? ['bone.sacroiliacCrossing'] : []),
        ...(f.pelvicSegments === undefined ? ['bone.pelvicSegments'] : []),
        ...(f.extraosseousExtension === undefined ? ['bone.extraosseousExtension'] : []),
        ...(f.sizeCm === undefined ? ['sizeCm'] : []),
      ]),
    ];
    if (absent.length > 0) return missingAll(absent, 'ajcc.T');
  }
  const row = pelvisT.find((r) => r.when(f));
  const t = firstMatch(pelvisT, f, 'R-AJCC-BONE-T-PELVIS', 'ajcc.T');
  return row?.unverified ? withExtra(t, { unverified: true }) : t;
}

// ---------------------------------------------------------------------------------------------------------------
// N, M, grade

/** Regional nodes (R-AJCC-BONE): NX is discouraged and treated as N0 unless nodes are clinically involved. */
export function stageBoneN(nodes: CaseFacts['regionalNodes']): Derived<'N0' | 'N1'> {
  if (nodes === undefined) return missingAll(['regionalNodes'], 'ajcc.N');
  if (nodes === 'N1') return derived('N1', 'ajcc.N', ['R-AJCC-BONE'], 'regional node metastasis → N1');
  if (nodes === 'NX') return derived('N0', 'ajcc.N', ['R-AJCC-BONE'], 'NX: node involvement is rare and NX is discouraged; treated as N0 unless nodes are clinically involved → N0');
  return derived('N0', 'ajcc.N', ['R-AJCC-BONE'], 'no regional node metastasis → N0');
}

export interface BoneMFacts {
  metastases?: readonly MetastaticSite[];
  metastaticSiteCount?: number;
  skipLesion?: SkipLesion;
}

/** Metastatic sites that are lung (M1a). Every other listed site, including pleura, is M1b. */
const isLung = (s: MetastaticSite): boolean => s === 'lung';

/**
 * Distant metastasis (R-AJCC-BONE): M1a lung only; M1b any other distant site, including distant nodes, bone and
 * marrow. Pleura is not lung, so pleural disease is M1b (AJCC groups lung only in M1a; Ewing's R-EWS-CAT groups lung
 * with pleura, AJCC does not). A skip lesion in another bone is M1b [K]; one in the same bone is T3, not M.
 */
export function stageBoneM(f: BoneMFacts): Derived<'M0' | 'M1a' | 'M1b'> {
  const listed = f.metastases ?? [];
  const other = listed.filter((s) => !isLung(s));
  if (other.length > 0) return derived('M1b', 'ajcc.M', ['R-AJCC-BONE'], `distant metastasis outside the lung (${other.join(', ')}) → M1b`);
  if (f.skipLesion === 'other_bone') {
    return derived('M1b', 'ajcc.M', ['R-AJCC-BONE'], 'skip lesion in a different bone counts as distant (bone) metastasis → M1b', { unverified: true });
  }
  const absent = [...(sitesUnknown(f) ? ['metastases'] : []), ...(f.skipLesion === undefined ? ['bone.skipLesion'] : [])];
  if (absent.length > 0) return missingAll(absent, 'ajcc.M');
  if (listed.some(isLung)) return derived('M1a', 'ajcc.M', ['R-AJCC-BONE'], 'lung metastasis only → M1a');
  return derived('M0', 'ajcc.M', ['R-AJCC-BONE'], 'no distant metastasis, no skip lesion in another bone → M0');
}

/** Sites unknown: no list, and no site count of 0 (a positive count alone does not say which sites). */
function sitesUnknown(f: Pick<BoneMFacts, 'metastases' | 'metastaticSiteCount'>): boolean {
  return f.metastases === undefined && f.metastaticSiteCount !== 0;
}

/**
 * Histologic grade, 8th edition (R-AJCC-BONE): G1 low; G2–G3 high. Ewing is always high grade [K]. A recorded
 * grade comes next (two-tier, then the three-tier grade in `grade.fnclcc`), then the grade fixed by osteosarcoma
 * subtype. GX would group with low grade, but an absent grade is unknown, not GX: it is reported missing.
 */
export function stageBoneGrade(f: CaseFacts, entry: MorphologyEntry | undefined): Derived<Grade> {
  if (entry?.family === 'ewing') {
    return derived('high', 'ajcc.grade', ['R-AJCC-BONE'], 'Ewing sarcoma is always high grade → high', { unverified: true });
  }
  const g = f.grade;
  if (g?.twoTier !== undefined) return derived(g.twoTier, 'ajcc.grade', ['R-AJCC-BONE'], `recorded ${g.twoTier} grade → ${g.twoTier}`);
  if (g?.fnclcc !== undefined) {
    const value = g.fnclcc === 1 ? 'low' : 'high';
    const extra = g.fnclcc === 2 ? { disagreement: BONE_GRADE_DISAGREEMENT } : {};
    return derived(value, 'ajcc.grade', ['R-AJCC-BONE'], `G${g.fnclcc} (8th edition: G1 low, G2–G3 high) → ${value}`, extra);
  }
  if (entry?.osSubtype === 'conventional' || entry?.osSubtype === 'high_grade_surface') {
    return derived('high', 'ajcc.grade', ['R-AJCC-BONE', 'R-CODE-MORPH'], `${entry.term} is high grade by histology → high`);
  }
  if (entry?.osSubtype === 'low_grade') {
    return derived('low', 'ajcc.grade', ['R-AJCC-BONE', 'R-CODE-MORPH'], `${entry.term} is low grade by histology → low`);
  }
  return missingAll(['grade'], 'ajcc.grade');
}

// ---------------------------------------------------------------------------------------------------------------
// Stage groups

export interface BoneTnmg {
  T: string | null;
  N: 'N0' | 'N1' | null;
  M: 'M0' | 'M1a' | 'M1b' | null;
  grade: Grade | null;
}

const lowGrade = (c: BoneTnmg): boolean => c.grade === 'low';
const highGrade = (c: BoneTnmg): boolean => c.grade === 'high';
const n0m0 = (c: BoneTnmg): boolean => c.N === 'N0' && c.M === 'M0';
const tnm = (c: BoneTnmg): string => `${c.T} ${c.N} ${c.M}, ${c.grade} grade`;

/** AJCC 8 bone stage groups, appendicular/trunk/skull/face only (R-AJCC-BONE-STAGE). Rows need only what they test. */
export const boneStageGroups = [
  { value: 'IVB', when: (c) => c.N === 'N1', why: 'N1, any T, any M, any grade' },
  { value: 'IVB', when: (c) => c.M === 'M1b', why: (c) => `M1b with ${c.N ?? 'any N'}, any T, any grade` },
  { value: 'IVA', when: (c) => c.N === 'N0' && c.M === 'M1a', why: 'N0 M1a, any T, any grade' },
  { value: 'IA', when: (c) => n0m0(c) && c.T === 'T1' && lowGrade(c), why: tnm },
  { value: 'IB', when: (c) => n0m0(c) && (c.T === 'T2' || c.T === 'T3') && lowGrade(c), why: tnm },
  { value: 'IIA', when: (c) => n0m0(c) && c.T === 'T1' && highGrade(c), why: tnm },
  { value: 'IIB', when: (c) => n0m0(c) && c.T === 'T2' && highGrade(c), why: tnm },
  { value: 'III', when: (c) => n0m0(c) && c.T === 'T3' && highGrade(c), why: tnm },
] as const satisfies readonly TRule<BoneTnmg, string>[];

/** Stage group (R-AJCC-BONE-STAGE); null when a component it needs is unknown. */
export function stageBoneGroup(c: BoneTnmg): Derived<string> {
  if (!boneStageGroups.some((r) => r.when(c))) return { value: null, explanations: [], missing: [] };
  return firstMatch(boneStageGroups, c, 'R-AJCC-BONE-STAGE', 'ajcc.stageGroup');
}

// ---------------------------------------------------------------------------------------------------------------
// Scope, scheme and the whole result

/** Does the AJCC bone chapter apply: a primary malignant bone tumour (R-AJCC-BONE scope) with topography C40/C41? */
export function ajccBoneScope(f: CaseFacts): { applies: true } | { applies: false; why: string } {
  const family = lookupMorphology(f.morphology)?.family;
  if (!isBoneTopography(f.topography)) return { applies: false, why: `topography ${f.topography} is not bone (C40/C41)` };
  if (family === undefined || !BONE_FAMILIES.includes(family)) {
    return { applies: false, why: `morphology ${f.morphology} is not a primary malignant bone tumour the platform stages` };
  }
  return { applies: true };
}

/**
 * The T scheme (R-AJCC-BONE): the coded topography decides (C41.2 spine, C41.4 pelvis/sacrum/coccyx, other C40/C41
 * appendicular/trunk/skull/face); for bone NOS or overlapping codes (C41, C41.8, C41.9) the site category decides.
 */
export function boneScheme(f: Pick<CaseFacts, 'topography' | 'siteCategory'>): Derived<BoneScheme> {
  const rule = ['R-AJCC-BONE'];
  if (f.topography === 'C41.2') return derived('AJCC8-bone-spine', 'ajcc.scheme', rule, 'C41.2 vertebral column → spine scheme');
  if (f.topography === 'C41.4') return derived('AJCC8-bone-pelvis', 'ajcc.scheme', rule, 'C41.4 pelvis, sacrum, coccyx → pelvis scheme');
  const unspecific = ['C41', 'C41.8', 'C41.9'].includes(f.topography);
  if (unspecific && f.siteCategory === 'bone_spine') return derived('AJCC8-bone-spine', 'ajcc.scheme', rule, `${f.topography} with site category bone_spine → spine scheme`);
  if (unspecific && f.siteCategory === 'bone_pelvis') return derived('AJCC8-bone-pelvis', 'ajcc.scheme', rule, `${f.topography} with site category bone_pelvis → pelvis scheme`);
  return derived('AJCC8-bone-appendicular', 'ajcc.scheme', rule, `${f.topography} → appendicular skeleton, trunk, skull and facial bones scheme`);
}

function stageT(scheme: BoneScheme, f: CaseFacts): Derived<string> {
  const b = f.bone ?? {};
  if (scheme === 'AJCC8-bone-spine') return stageSpineT(b);
  if (scheme === 'AJCC8-bone-pelvis') return stagePelvisT({ ...b, sizeCm: f.sizeCm });
  return stageAppendicularT({ sizeCm: f.sizeCm, skipLesion: b.skipLesion });
}

/**
 * AJCC 8th edition bone stage (R-AJCC-BONE; T by R-AJCC-BONE-T-APP / -T-SPINE / -T-PELVIS; groups by
 * R-AJCC-BONE-STAGE, none for spine and pelvis by R-AJCC-BONE-NOGROUP). Applies to osteosarcoma, Ewing sarcoma and
 * other primary malignant bone tumours with topography C40/C41; otherwise the value is null with the reason.
 */
export function assessAjccBone(f: CaseFacts): Derived<AjccResult> {
  const scope = ajccBoneScope(f);
  if (!scope.applies) return notApplicable('ajcc', ['R-AJCC-BONE'], `AJCC bone does not apply: ${scope.why}`);
  const scheme = boneScheme(f);
  const schemeValue = scheme.value ?? 'AJCC8-bone-appendicular';
  const T = stageT(schemeValue, f);
  const N = stageBoneN(f.regionalNodes);
  const M = stageBoneM({ metastases: f.metastases, metastaticSiteCount: f.metastaticSiteCount, skipLesion: f.bone?.skipLesion });
  const grade = stageBoneGrade(f, lookupMorphology(f.morphology));
  const group = schemeValue === 'AJCC8-bone-appendicular'
    ? groupWithMissing({ T: T.value, N: N.value, M: M.value, grade: grade.value }, [T, N, M, grade])
    : notApplicable<string>('ajcc.stageGroup', ['R-AJCC-BONE-NOGROUP'], 'AJCC 8 defines no stage groups for bone sarcomas of the spine or pelvis; TNM only');
  return {
    value: { scheme: schemeValue, T: T.value, N: N.value, M: M.value, grade: grade.value, stageGroup: group.value },
    ...provenance(scheme, T, N, M, grade, group),
  };
}

/** The group, or null plus the facts its unknown components were missing (re-labelled for `ajcc.stageGroup`). */
function groupWithMissing(c: BoneTnmg, parts: Derived<unknown>[]): Derived<string> {
  const group = stageBoneGroup(c);
  if (group.value !== null) return group;
  return { value: null, explanations: [], missing: parts.flatMap((p) => p.missing).map((m) => ({ field: m.field, needed_for: 'ajcc.stageGroup' })) };
}

function withExtra<T>(d: Derived<T>, extra: Partial<Explanation>): Derived<T> {
  return { ...d, explanations: d.explanations.map((e) => ({ ...e, ...extra })) };
}
