import type { BoneFacts, CaseFacts } from '../facts/case-facts.js';
import type { Assessment, EnnekingStage } from '../facts/assessment.js';
import { derived, firstMatch, notApplicable, type Derived, type Explanation, type TRule } from '../rules/derive.js';
import { isBoneTopography, lookupMorphology, type MorphologyEntry, type TumorFamily } from '../coding/morphology.js';

/**
 * Enneking / MSTS surgical staging (R-ENN, rules.md §1.1). Size is not used; grade, compartment and
 * metastasis (including regional nodes and skip lesions) are.
 */

type EnnekingValue = NonNullable<Assessment['enneking']>;
type Grade = 'low' | 'high';
type Site = 'T1' | 'T2';
type Meta = 'M0' | 'M1';
type RadiographicBehavior = NonNullable<BoneFacts['radiographicBehavior']>;

const STAGE = 'enneking.stage';
const SUBSTAGE = 'enneking.substage';

/** R-ENN-III [D]: sources split on a single stage III vs IIIA/IIIB; the platform reports both. */
export const ENNEKING_III_DISAGREEMENT =
  'Wheeless and Pulse of Medico divide stage III into IIIA (T1) and IIIB (T2); other summaries use a single III. '
  + 'Platform rule R-ENN-III: stage III with IIIA/IIIB as an optional sub-stage (rules.md §6 item 1).';

/** R-ENN-EWS [D]: Enneking is meant for mesenchymal sarcomas; the platform computes it for Ewing as G2. */
export const ENNEKING_EWING_DISAGREEMENT =
  'Medeponyms: Enneking is for mesenchymal sarcomas and should not be used for Ewing sarcoma; many series use it anyway. '
  + 'Platform rule R-ENN-EWS: computed with Ewing as high grade (G2); interpret with caution (rules.md §6 item 2).';

/** Benign bone stages from radiographic behaviour (R-ENN, benign table). */
export const ennekingBenign = [
  { value: '1', when: (b) => b === 'latent', why: 'latent (G0 T0 M0): sharp border, often incidental' },
  { value: '2', when: (b) => b === 'active', why: 'active (G0 T0 M0): steady growth, distinct but thinner border' },
  { value: '3', when: (b) => b === 'aggressive', why: 'aggressive (G0 T1–T2): indistinct border, cortical breach or soft-tissue extension' },
] as const satisfies readonly TRule<RadiographicBehavior, EnnekingStage>[];

/** Grade, site and metastasis as resolved for the malignant table, each with the reason shown to the clinician. */
export interface EnnekingFactors {
  G: Grade | null;
  T: Site | null;
  M: Meta;
  gWhy: string;
  tWhy: string;
  mWhy: string;
}

/** Malignant stages (R-ENN, malignant table; R-ENN-III). Stage III needs only M1: any grade, any site. */
export const ennekingMalignant = [
  { value: 'III', when: (c) => c.M === 'M1', why: (c) => `${c.mWhy} (M1), any grade and site` },
  { value: 'IA', when: (c) => c.G === 'low' && c.T === 'T1' && c.M === 'M0', why: (c) => `${c.gWhy} (G1), ${c.tWhy} (T1), ${c.mWhy} (M0)` },
  { value: 'IB', when: (c) => c.G === 'low' && c.T === 'T2' && c.M === 'M0', why: (c) => `${c.gWhy} (G1), ${c.tWhy} (T2), ${c.mWhy} (M0)` },
  { value: 'IIA', when: (c) => c.G === 'high' && c.T === 'T1' && c.M === 'M0', why: (c) => `${c.gWhy} (G2), ${c.tWhy} (T1), ${c.mWhy} (M0)` },
  { value: 'IIB', when: (c) => c.G === 'high' && c.T === 'T2' && c.M === 'M0', why: (c) => `${c.gWhy} (G2), ${c.tWhy} (T2), ${c.mWhy} (M0)` },
] as const satisfies readonly TRule<EnnekingFactors, EnnekingStage>[];

/** Stage III sub-stage by site (R-ENN-III). */
export const ennekingSubstage = [
  { value: 'IIIA', when: (t) => t === 'T1', why: 'intracompartmental (T1) with M1' },
  { value: 'IIIB', when: (t) => t === 'T2', why: 'extracompartmental (T2) with M1' },
] as const satisfies readonly TRule<Site, 'IIIA' | 'IIIB'>[];

/** A resolved factor with its reason, or the case-facts fields that are missing. */
type Factor<V> = { value: V; why: string; rules?: string[] } | { value: null; missing: string[] };

const MALIGNANT_FAMILIES: readonly TumorFamily[] = ['osteosarcoma', 'ewing', 'other_bone_malignant', 'nrsts'];

/**
 * Enneking / MSTS stage (R-ENN; R-ENN-III sub-stage; R-ENN-EWS Ewing caveat; R-ENN-RMS not for RMS).
 * Benign bone tumours get 1/2/3 from `bone.radiographicBehavior`; malignant bone and soft-tissue sarcomas get
 * IA–III from grade, `bone.compartment` and M (regional nodes, metastases, skip lesions). The value is null where
 * the system does not apply (rhabdomyosarcoma, benign or intermediate soft-tissue tumours); inside the system a
 * missing fact leaves `stage` null and is listed in `missing`.
 */
export function assessEnneking(f: CaseFacts): Derived<Assessment['enneking']> {
  const entry = lookupMorphology(f.morphology);
  if (entry === undefined) {
    return unknown(`morphology ${f.morphology} is not in the platform ICD-O-3 table (R-CODE-MORPH): tumour family unknown, stage not derived`);
  }
  if (entry.family === 'rhabdomyosarcoma') {
    return notApplicable('enneking', ['R-ENN-RMS'], 'Enneking staging is not used for rhabdomyosarcoma (IRS/COG systems are used instead)');
  }
  if (entry.family === 'benign_bone') {
    return isBoneTopography(f.topography)
      ? stageBenign(f.bone?.radiographicBehavior)
      : notApplicable('enneking', ['R-ENN'], `benign tumour outside bone (${f.topography}): the platform gives Enneking benign stages 1–3 for bone tumours only`);
  }
  if (!MALIGNANT_FAMILIES.includes(entry.family)) {
    return notApplicable('enneking', ['R-ENN'], `${entry.term}: intermediate soft-tissue tumour; the platform gives Enneking stages for benign bone tumours and sarcomas only`);
  }
  return stageMalignant(f, entry);
}

/** Benign bone stage 1/2/3 from radiographic behaviour (R-ENN). */
export function stageBenign(behavior: RadiographicBehavior | undefined): Derived<EnnekingValue> {
  if (behavior === undefined) {
    return { value: { stage: null, substage: null }, explanations: [], missing: [{ field: 'bone.radiographicBehavior', needed_for: STAGE }] };
  }
  const stage = firstMatch(ennekingBenign, behavior, 'R-ENN', STAGE);
  return { ...stage, value: { stage: stage.value, substage: null } };
}

function stageMalignant(f: CaseFacts, entry: MorphologyEntry): Derived<EnnekingValue> {
  const isEwing = entry.family === 'ewing';
  const m = ennekingM(f);
  const t = ennekingT(f.bone);
  if (m.value === 'M1') {
    const c: EnnekingFactors = { G: null, T: t.value, M: 'M1', gWhy: '', tWhy: '', mWhy: m.why };
    const disagreement = [ENNEKING_III_DISAGREEMENT, ...(isEwing ? [ENNEKING_EWING_DISAGREEMENT] : [])].join(' ');
    const stage = withRules(firstMatch(ennekingMalignant, c, 'R-ENN', STAGE, { disagreement }), ['R-ENN-III', ...(isEwing ? ['R-ENN-EWS'] : [])]);
    const sub = stageSubstage(t);
    return { value: { stage: 'III', substage: sub.value }, explanations: [...stage.explanations, ...sub.explanations], missing: sub.missing };
  }
  const g = ennekingG(f, entry);
  if (g.value === null || t.value === null || m.value === null) {
    const absent = [g, t, m].flatMap((x) => (x.value === null ? x.missing : []));
    return { value: { stage: null, substage: null }, explanations: [], missing: absent.map((field) => ({ field, needed_for: STAGE })) };
  }
  const c: EnnekingFactors = { G: g.value, T: t.value, M: m.value, gWhy: g.why, tWhy: t.why, mWhy: m.why };
  const extra: Partial<Explanation> = isEwing ? { disagreement: ENNEKING_EWING_DISAGREEMENT } : {};
  const stage = withRules(firstMatch(ennekingMalignant, c, 'R-ENN', STAGE, extra), g.rules ?? []);
  return { value: { stage: stage.value, substage: null }, explanations: stage.explanations, missing: [] };
}

/** Adds rule IDs to every explanation of a derivation (e.g. the grade rule behind a stage). */
function withRules<T>(d: Derived<T>, rules: readonly string[]): Derived<T> {
  return { ...d, explanations: d.explanations.map((e) => ({ ...e, rules: [...e.rules, ...rules] })) };
}

function stageSubstage(t: Factor<Site>): Derived<'IIIA' | 'IIIB'> {
  if (t.value === null) return { value: null, explanations: [], missing: t.missing.map((field) => ({ field, needed_for: SUBSTAGE })) };
  return firstMatch(ennekingSubstage, t.value, 'R-ENN-III', SUBSTAGE);
}

/**
 * Surgical grade G1 (low) / G2 (high) (R-ENN). Ewing is always G2 (R-ENN-EWS). A recorded grade comes next
 * (two-tier, then FNCLCC 1 → low, 2–3 → high, then POG 1 → low / 3 → high for soft-tissue sarcomas; POG 2 is not
 * used because pediatric systems disagree on it), then the grade fixed by histology (osteosarcoma subtype,
 * R-NRSTS-GRADE). Periosteal osteosarcoma is intermediate grade and needs a recorded grade.
 */
function ennekingG(f: CaseFacts, entry: MorphologyEntry): Factor<Grade> {
  if (entry.family === 'ewing') return { value: 'high', why: 'Ewing sarcoma treated as high grade', rules: ['R-ENN-EWS'] };
  const g = f.grade;
  if (g?.twoTier !== undefined) return { value: g.twoTier, why: `${g.twoTier} grade (recorded)` };
  if (g?.fnclcc !== undefined) return { value: g.fnclcc === 1 ? 'low' : 'high', why: `FNCLCC grade ${g.fnclcc}` };
  if (entry.family === 'nrsts' && (g?.pog === 1 || g?.pog === 3)) {
    return { value: g.pog === 1 ? 'low' : 'high', why: `POG grade ${g.pog}` };
  }
  if (entry.osSubtype === 'conventional' || entry.osSubtype === 'high_grade_surface') {
    return { value: 'high', why: `${entry.term}: high grade by histology` };
  }
  if (entry.osSubtype === 'low_grade') return { value: 'low', why: `${entry.term}: low grade by histology` };
  if (entry.family === 'nrsts' && entry.pogGradeByHistology !== undefined) {
    const value = entry.pogGradeByHistology === 1 ? 'low' : 'high';
    return { value, why: `${entry.term}: POG grade ${entry.pogGradeByHistology} by histology`, rules: ['R-NRSTS-GRADE'] };
  }
  return { value: null, missing: ['grade'] };
}

/** Site T1 intracompartmental / T2 extracompartmental from `bone.compartment` (R-ENN); never inferred from region. */
function ennekingT(bone: BoneFacts | undefined): Factor<Site> {
  if (bone?.compartment === undefined) return { value: null, missing: ['bone.compartment'] };
  return bone.compartment === 'intracompartmental'
    ? { value: 'T1', why: 'intracompartmental' }
    : { value: 'T2', why: 'extracompartmental' };
}

/**
 * M1 = any regional node, distant metastasis or skip lesion (R-ENN). Any positive finding decides M1; M0 needs
 * every source known negative. NX counts as no known nodal disease, as both AJCC chapters do (R-AJCC-BONE,
 * R-AJCC-STS). Skip lesions are asked for only when the primary is in bone.
 */
function ennekingM(f: CaseFacts): Factor<Meta> {
  const positive: string[] = [];
  const absent: string[] = [];
  if (f.regionalNodes === 'N1') positive.push('regional node metastasis (N1)');
  else if (f.regionalNodes === undefined) absent.push('regionalNodes');
  const sites = knownSites(f);
  if (sites === undefined) absent.push('metastases');
  else if (sites.length > 0) positive.push(`distant metastasis (${sites.join(', ')})`);
  const bone = isBoneTopography(f.topography);
  const skip = f.bone?.skipLesion;
  if (skip === 'same_bone' || skip === 'other_bone') positive.push(`skip lesion (${skip.replace('_', ' ')})`);
  else if (bone && skip === undefined) absent.push('bone.skipLesion');
  if (positive.length > 0) return { value: 'M1', why: positive.join(', ') };
  if (absent.length > 0) return { value: null, missing: absent };
  const nodes = f.regionalNodes === 'NX' ? 'NX counted as N0' : 'N0';
  return { value: 'M0', why: `${nodes}, no distant metastasis${bone ? ', no skip lesion' : ''}` };
}

/**
 * The metastatic sites, or undefined when unknown. The list is authoritative; without it a site count of 0 means
 * none, and a positive count alone (sites not listed) leaves the sites unknown. A positive count is not read as
 * M1 because, with a contradictory `[]` plus count, removing the list would then turn an unknown stage into III.
 */
export function knownSites(f: Pick<CaseFacts, 'metastases' | 'metastaticSiteCount'>): readonly string[] | undefined {
  if (f.metastases !== undefined) return f.metastases;
  return f.metastaticSiteCount === 0 ? [] : undefined;
}

function unknown(text: string): Derived<EnnekingValue> {
  return derived({ stage: null, substage: null }, STAGE, ['R-ENN', 'R-CODE-MORPH'], text);
}
