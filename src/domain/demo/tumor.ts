import type { MetastaticSite } from '../facts/case-facts.js';
import { MORPHOLOGY, type MorphologyCode } from '../coding/morphology.js';
import type { CaseStatus, TumorDetails, TumorInput } from '../registry/types.js';
import { DAYS_PER_YEAR, isoDateFromDay } from './dates.js';
import { type Rng, type Weighted, weighted } from './prng.js';
import {
  type AgeProfile, BENIGN_SUBTYPES, type BenignSubtype, type DemoFamily, EWING_AGE, EWING_FUSIONS, EWING_MALE_SHARE,
  EWING_METS, EWING_MET_RATE, EWING_PELVIS_SIZE, EWING_SITES, EWING_SIZE, type MetPattern, NRSTS_SUBTYPES,
  type NrstsSubtype, OS_AGE, OS_MALE_SHARE, OS_METS, OS_MET_RATE, OS_MORPHOLOGY, OS_SITES, OS_SIZE, RMS_MALE_SHARE,
  RMS_METS, RMS_SITES, type RmsSite, type SizeProfile,
} from './profiles.js';
import { S, type SiteDef } from './sites.js';
import { imagingSummary, pathologySummary } from './summaries.js';

/**
 * One synthetic tumour: the draft (family, site, morphology, age) is drawn first, then the details that depend on
 * where the case is on the pathway (a resection and its necrosis exist only after local control).
 */

export type Sex = 'male' | 'female';

/** Oldest age at diagnosis the demo uses: 25 years, in days. */
export const MAX_AGE_DAYS = Math.floor(25 * DAYS_PER_YEAR);

export interface TumorDraft {
  readonly family: DemoFamily;
  readonly sex: Sex;
  readonly morphology: MorphologyCode;
  readonly site: SiteDef;
  ageDays: number;
  readonly size: SizeProfile;
  readonly rms?: RmsSite;
  readonly nrsts?: NrstsSubtype;
  readonly benign?: BenignSubtype;
}

// ---------------------------------------------------------------- samplers built once

function ageSampler(profile: AgeProfile): (rng: Rng) => number {
  const band = weighted(profile.map(([from, to, w]) => [[from, to] as const, w] as const));
  return (rng) => {
    const [from, to] = band(rng);
    return Math.min(MAX_AGE_DAYS, Math.floor((from + rng.next() * (to - from)) * DAYS_PER_YEAR));
  };
}

const bySex = (sites: Weighted<SiteDef>) => ({
  male: weighted(sites.filter(([s]) => s.sex !== 'female')),
  female: weighted(sites.filter(([s]) => s.sex !== 'male')),
});

const pickOsSite = weighted(OS_SITES);
const pickOsMorph = weighted(OS_MORPHOLOGY);
const osAge = ageSampler(OS_AGE);
const pickOsMets = weighted(OS_METS);
const pickEwingSite = weighted(EWING_SITES);
const ewingAge = ageSampler(EWING_AGE);
const pickEwingMets = weighted(EWING_METS);
const pickEwingFusion = weighted(EWING_FUSIONS);
const pickRmsSite = {
  male: weighted(RMS_SITES.filter(([s]) => s.site.sex !== 'female')),
  female: weighted(RMS_SITES.filter(([s]) => s.site.sex !== 'male')),
};
const rmsAge = new Map(RMS_SITES.map(([s]) => [s, ageSampler(s.age)] as const));
const pickRmsMet = weighted(RMS_METS);

interface NrstsSamplers { def: NrstsSubtype; site: ReturnType<typeof bySex>; morph: (r: Rng) => MorphologyCode; age: (r: Rng) => number; mets: (r: Rng) => MetPattern; pog?: (r: Rng) => 1 | 2 | 3 }
const NRSTS_SAMPLERS = new Map<NrstsSubtype, NrstsSamplers>(NRSTS_SUBTYPES.map(([def]) => [def, {
  def, site: bySex(def.sites), morph: weighted(def.morphology), age: ageSampler(def.age), mets: weighted(def.mets),
  ...(def.pog === undefined ? {} : { pog: weighted(def.pog) }),
}]));
const pickNrsts = weighted(NRSTS_SUBTYPES.map(([def, w]) => [NRSTS_SAMPLERS.get(def) as NrstsSamplers, w] as const));

interface BenignSamplers { def: BenignSubtype; site: ReturnType<typeof bySex>; morph: (r: Rng) => MorphologyCode; age: (r: Rng) => number; behavior: (r: Rng) => 'latent' | 'active' | 'aggressive' }
const BENIGN_SAMPLERS = new Map<BenignSubtype, BenignSamplers>(BENIGN_SUBTYPES.map(([def]) => [def, {
  def, site: bySex(def.sites), morph: weighted(def.morphology), age: ageSampler(def.age), behavior: weighted(def.behavior),
}]));
const pickBenign = weighted(BENIGN_SUBTYPES.map(([def, w]) => [BENIGN_SAMPLERS.get(def) as BenignSamplers, w] as const));

// ---------------------------------------------------------------- draft

const isChestWall = (s: SiteDef) => s === S.rib || s === S.chestWallSoft;
const SURFACE_OS = new Set<MorphologyCode>(['9192/3', '9193/3', '9194/3', '9195/3']);

/** RMS histology follows age and site: alveolar in adolescents and extremities, botryoid/embryonal in infants. */
function rmsMorphology(rng: Rng, ageYears: number, s: RmsSite): MorphologyCode {
  const r = s.site.region;
  let alveolar = ageYears < 10 ? 0.08 : 0.3;
  if (r === 'soft_extremity') alveolar += 0.35;
  else if (r === 'soft_trunk' || r === 'perineum' || r === 'parameningeal') alveolar += 0.12;
  else if (r === 'gynecologic' || r === 'biliary' || r === 'paratesticular' || r === 'bladder_prostate') alveolar = 0.02;
  else if (r === 'orbit') alveolar = 0.05;
  const spindle = r === 'paratesticular' ? 0.15 : r === 'parameningeal' || r === 'hn_other' ? 0.06 : 0.02;
  const u = rng.next();
  if (u < alveolar) return '8920/3';
  if (u < alveolar + spindle) return '8912/3';
  if (ageYears >= 18 && u < alveolar + spindle + 0.05) return '8901/3';
  if (u > 0.985) return '8900/3';
  if (u > 0.98) return '8902/3';
  return '8910/3';
}

export function drawDraft(rng: Rng, family: DemoFamily): TumorDraft {
  switch (family) {
    case 'osteosarcoma': {
      const sex: Sex = rng.chance(OS_MALE_SHARE) ? 'male' : 'female';
      const site = pickOsSite(rng);
      const size: SizeProfile = site.region === 'pelvis' ? [6, 10, 20] : site.region === 'skull_face' || site.region === 'spine' ? [2.5, 5, 9] : OS_SIZE;
      let morphology = pickOsMorph(rng);
      // Surface and intracortical variants arise on long bones only.
      if (site.region !== 'long_bone' && SURFACE_OS.has(morphology)) morphology = '9180/3';
      return { family, sex, site, morphology, ageDays: osAge(rng), size };
    }
    case 'ewing': {
      const sex: Sex = rng.chance(EWING_MALE_SHARE) ? 'male' : 'female';
      const site = pickEwingSite(rng);
      const morphology: MorphologyCode = isChestWall(site) && rng.chance(0.25) ? '9365/3' : rng.chance(0.05) ? '9364/3' : '9260/3';
      const size: SizeProfile = site.region === 'pelvis' ? EWING_PELVIS_SIZE
        : site.region === 'spine' || site.region === 'skull_face' ? [3, 6, 10] : EWING_SIZE;
      return { family, sex, site, morphology, ageDays: ewingAge(rng), size };
    }
    case 'rhabdomyosarcoma': {
      const sex: Sex = rng.chance(RMS_MALE_SHARE) ? 'male' : 'female';
      const rms = pickRmsSite[sex](rng);
      const ageDays = (rmsAge.get(rms) as (r: Rng) => number)(rng);
      return { family, sex, site: rms.site, morphology: rmsMorphology(rng, ageDays / DAYS_PER_YEAR, rms), ageDays, size: rms.size, rms };
    }
    case 'nrsts': {
      const n = pickNrsts(rng);
      const sex: Sex = rng.chance(n.def.maleShare) ? 'male' : 'female';
      return { family, sex, site: n.site[sex](rng), morphology: n.morph(rng), ageDays: n.age(rng), size: n.def.size, nrsts: n.def };
    }
    case 'benign_bone': {
      const b = pickBenign(rng);
      const sex: Sex = rng.chance(b.def.maleShare) ? 'male' : 'female';
      return { family, sex, site: b.site[sex](rng), morphology: b.morph(rng), ageDays: b.age(rng), size: b.def.size, benign: b.def };
    }
  }
}

// ---------------------------------------------------------------- details

/** Per-patient puberty timing, drawn once so a relapse years later stays consistent. */
export interface Puberty { onsetYears: number; completeYears: number }

export function drawPuberty(rng: Rng, sex: Sex): Puberty {
  const onsetYears = sex === 'female' ? rng.triangular(8, 10, 12.5) : rng.triangular(9.5, 11.5, 14);
  return { onsetYears, completeYears: onsetYears + (sex === 'female' ? rng.triangular(3, 4, 5.5) : rng.triangular(3.5, 4.5, 6)) };
}

function pubertalStatus(p: Puberty, ageYears: number): NonNullable<TumorDetails['pubertalStatus']> {
  return ageYears < p.onsetYears ? 'prepubertal' : ageYears < p.completeYears ? 'pubertal' : 'postpubertal';
}

const PERF_WELL: Weighted<number> = [[100, 60], [90, 35], [80, 5]];
const PERF_ILL: Weighted<number> = [[100, 30], [90, 30], [80, 20], [70, 10], [60, 6], [50, 4]];
const pickPerfWell = weighted(PERF_WELL);
const pickPerfIll = weighted(PERF_ILL);

/** Lansky below 16 years, Karnofsky from 16 (the usual COG convention). */
function performance(rng: Rng, ageYears: number, benign: boolean, metastatic: boolean): NonNullable<TumorDetails['performance']> {
  let value = benign ? pickPerfWell(rng) : pickPerfIll(rng);
  if (metastatic && value > 40 && rng.chance(0.5)) value -= 10;
  return { scale: ageYears < 16 ? 'lansky' : 'karnofsky', value };
}

/** Distinct metastatic sites for RMS: 1 (60%), 2 (25%) or 3 (15%) organs. */
function rmsMetSites(rng: Rng): MetastaticSite[] {
  const n = rng.chance(0.6) ? 1 : rng.chance(0.625) ? 2 : 3;
  const out: MetastaticSite[] = [];
  for (let guard = 0; out.length < n && guard < 20; guard++) {
    const s = pickRmsMet(rng);
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

function withMets(details: TumorDetails, rng: Rng, mets: readonly MetastaticSite[]): void {
  details.metastases = [...mets];
  if (mets.length > 0 && rng.chance(0.8)) details.metastaticSiteCount = mets.length;
}

const pickMargin = weighted<'R0' | 'R1' | 'R2'>([['R0', 85], ['R1', 12], ['R2', 3]]);
const pickSoftMargin = weighted<'R0' | 'R1' | 'R2'>([['R0', 50], ['R1', 35], ['R2', 15]]);
const pickRmsMargin = weighted<'R0' | 'R1' | 'R2'>([['R0', 45], ['R1', 40], ['R2', 15]]);
const pickBoneNodes = weighted<'N0' | 'N1' | 'NX'>([['N0', 85], ['NX', 13], ['N1', 2]]);
const pickPelvicSegments = weighted<number>([[1, 40], [2, 40], [3, 15], [4, 5]]);
const pickVertebralSegments = weighted<number>([[1, 15], [2, 35], [3, 25], [4, 15], [5, 10]]);

/** Bone extent facts for a malignant bone primary (R-AJCC-BONE T schemes, R-ENN compartment). */
function malignantBoneFacts(rng: Rng, site: SiteDef, extraosseousRate: number): NonNullable<TumorDetails['bone']> {
  const extra = rng.chance(extraosseousRate);
  const b: NonNullable<TumorDetails['bone']> = {
    compartment: extra || rng.chance(0.2) ? 'extracompartmental' : 'intracompartmental',
    extraosseousExtension: extra,
    skipLesion: rng.chance(0.94) ? 'none' : rng.chance(0.65) ? 'same_bone' : 'other_bone',
  };
  if (site.region === 'pelvis') {
    b.pelvicSegments = pickPelvicSegments(rng);
    if (site === S.sacrum || site === S.ilium) b.sacroiliacCrossing = (b.pelvicSegments ?? 1) >= 2 && rng.chance(0.25);
    b.greatVesselInvolvement = rng.chance(0.05);
  } else if (site.region === 'spine') {
    b.vertebralSegments = pickVertebralSegments(rng);
    b.nonadjacentSegments = rng.chance(0.05);
    b.spinalCanalInvasion = rng.chance(0.35);
    b.greatVesselInvolvement = rng.chance(0.03);
  }
  return b;
}

/** Necrosis after neoadjuvant chemotherapy (R-OS-RESP): about half good responders, some exactly 90 % (R-OS-RESP-90). */
function necrosisPercent(rng: Rng): number {
  const u = rng.next();
  if (u < 0.1) return 90;
  if (u < 0.18) return 100;
  if (u < 0.48) return rng.int(91, 99);
  const n = rng.int(10, 89);
  return rng.chance(0.4) ? Math.round(n / 5) * 5 : n;
}

export interface TumorContext {
  readonly diagnosisDay: number;
  readonly ageDays: number;
  readonly status: CaseStatus;
  /** Days from diagnosis to today. */
  readonly daysSinceDx: number;
  readonly puberty: Puberty;
  /** The patient relapses later (a separate record), so this tumour was newly diagnosed. */
  readonly relapsesLater?: boolean;
}

const isSoftTissueCategory = (s: SiteDef) =>
  s.category === 'soft_tissue_extremity' || s.category === 'soft_tissue_trunk' || s.category === 'retroperitoneum_abdomen';

function laterality(rng: Rng, site: SiteDef): TumorInput['laterality'] | undefined {
  if (rng.chance(0.03)) return undefined; // not stated in the referral
  return site.side === 'paired' ? (rng.chance(0.5) ? 'left' : 'right') : site.side === 'midline' ? 'midline' : 'not_applicable';
}

const round1 = (x: number) => Math.round(x * 10) / 10;

function osDetails(rng: Rng, d: TumorDraft, ctx: TumorContext, det: TumorDetails): void {
  const entry = MORPHOLOGY[d.morphology as keyof typeof MORPHOLOGY] as { osSubtype?: string };
  const lowGrade = entry.osSubtype === 'low_grade';
  const isBone = d.site.kind === 'bone';
  if (isBone) det.bone = malignantBoneFacts(rng, d.site, lowGrade ? 0.35 : 0.8);
  else det.depth = 'deep';
  det.grade = { twoTier: lowGrade ? 'low' : 'high' };
  det.regionalNodes = pickBoneNodes(rng);
  const metRate = lowGrade ? 0.02 : d.site.region === 'pelvis' ? 0.3 : OS_MET_RATE;
  withMets(det, rng, rng.chance(metRate) ? pickOsMets(rng) : []);
  // Low-grade tumours go straight to wide resection (T-OS-LOWGRADE); the rest after ~10 weeks of MAP (T-OS-MAP).
  const treated = ctx.status === 'in_treatment' || ctx.status === 'follow_up';
  const resected = lowGrade
    ? treated && rng.chance(0.9)
    : ctx.status === 'follow_up' ? rng.chance(0.95) : ctx.status === 'in_treatment' && ctx.daysSinceDx > 80 && rng.chance(0.75);
  det.surgery = resected ? { status: 'resected', margin: pickMargin(rng) } : { status: 'biopsy' };
  if (resected && det.surgery.margin === 'R0' && rng.chance(0.15)) det.surgery.closeMarginLt5mm = true;
  if (resected && !lowGrade) det.histologicResponse = { necrosisPercent: necrosisPercent(rng) };
  if (rng.chance(0.1)) det.molecular = { tp53: rng.chance(0.25) ? 'mutated' : 'wild_type' };
}

function ewingDetails(rng: Rng, d: TumorDraft, ctx: TumorContext, det: TumorDetails): void {
  if (d.site.kind === 'bone') det.bone = malignantBoneFacts(rng, d.site, 0.78);
  else det.depth = rng.chance(0.9) ? 'deep' : 'superficial';
  det.grade = { twoTier: 'high' };
  det.regionalNodes = d.site.kind === 'bone' ? pickBoneNodes(rng) : rng.chance(0.9) ? 'N0' : 'N1';
  const metRate = d.site.region === 'pelvis' ? 0.35 : EWING_MET_RATE;
  withMets(det, rng, rng.chance(metRate) ? pickEwingMets(rng) : []);
  // Spine and sacrum usually get definitive RT; the rest are resected after ~12 weeks when feasible (R-EWS-LC).
  const rtOnly = d.site.region === 'spine' || d.site === S.sacrum;
  const resected = !rtOnly && (ctx.status === 'follow_up' ? rng.chance(0.7) : ctx.status === 'in_treatment' && ctx.daysSinceDx > 90 && rng.chance(0.55));
  det.surgery = resected ? { status: 'resected', margin: pickMargin(rng) } : { status: 'biopsy' };
  if (resected && rng.chance(0.7)) {
    const u = rng.next();
    det.histologicResponse = { necrosisPercent: u < 0.4 ? 100 : u < 0.75 ? rng.int(90, 99) : rng.int(30, 89) };
  }
  if (rng.chance(0.9)) {
    const [fusion, partner] = pickEwingFusion(rng);
    det.molecular = { ewsr1Fusion: fusion, fusionPartner: partner };
  } else {
    det.molecular = { ewsr1Fusion: 'EWSR1 rearranged (partner pending)' };
  }
}

function rmsDetails(rng: Rng, d: TumorDraft, ctx: TumorContext, det: TumorDetails, sizeCm: number): void {
  const s = d.rms as RmsSite;
  const ageYears = ctx.ageDays / DAYS_PER_YEAR;
  const histology = (MORPHOLOGY[d.morphology as keyof typeof MORPHOLOGY] as { rmsHistology?: string }).rmsHistology;
  const alveolar = histology === 'alveolar';
  if (isSoftTissueCategory(d.site)) det.depth = d.site.category === 'retroperitoneum_abdomen' || rng.chance(0.85) ? 'deep' : 'superficial';
  det.invasiveness = rng.chance(Math.min(0.85, 0.2 + 0.05 * sizeCm)) ? 'T2' : 'T1';
  const nodeRate = Math.min(0.6, s.nodeRate + (alveolar ? 0.15 : 0));
  det.regionalNodes = rng.chance(0.08) ? 'NX' : rng.chance(nodeRate) ? 'N1' : 'N0';
  const metRate = alveolar ? 0.3 : d.site.region === 'parameningeal' ? 0.15 : 0.08;
  withMets(det, rng, rng.chance(metRate) ? rmsMetSites(rng) : []);

  // The initial procedure defines the IRS group; radical inguinal orchiectomy for paratesticular primaries.
  const paratesticular = d.site.region === 'paratesticular';
  const resected = rng.chance(s.resectRate);
  const surgery: NonNullable<TumorDetails['surgery']> = resected
    ? { status: 'resected', margin: paratesticular ? (rng.chance(0.85) ? 'R0' : 'R1') : pickRmsMargin(rng) }
    : { status: 'biopsy' };
  const sampleNodes = paratesticular ? ageYears >= 10 && rng.chance(0.75) : d.site.region === 'soft_extremity' ? rng.chance(0.65) : rng.chance(0.1);
  if (sampleNodes) {
    surgery.nodesSampled = true;
    surgery.nodesPositive = det.regionalNodes === 'N1' ? rng.chance(0.85) : rng.chance(0.05);
    if (surgery.nodesPositive && resected) surgery.mostDistalNodePositive = rng.chance(0.3);
  }
  det.surgery = surgery;

  const molecular: NonNullable<TumorDetails['molecular']> = {};
  if (alveolar) {
    const u = rng.next();
    molecular.foxo1Fusion = u < 0.82 ? 'positive' : u < 0.94 ? 'negative' : 'unknown';
    if (molecular.foxo1Fusion === 'positive' && rng.chance(0.85)) molecular.fusionPartner = rng.chance(0.7) ? 'PAX3' : 'PAX7';
  } else {
    molecular.foxo1Fusion = rng.chance(0.72) ? 'negative' : 'unknown';
  }
  if (histology === 'spindle') {
    if (rng.chance(0.85)) molecular.myod1 = ageYears >= 10 && rng.chance(0.5) ? 'mutated' : 'wild_type';
  } else if (molecular.foxo1Fusion === 'negative' && rng.chance(0.3)) {
    molecular.myod1 = 'wild_type';
  }
  if (rng.chance(0.25)) molecular.tp53 = rng.chance(0.9) ? 'wild_type' : 'mutated';
  det.molecular = molecular;

  if (d.site.category.startsWith('hn_')) {
    const pm = d.site.category === 'hn_parameningeal';
    const orbit = d.site.category === 'hn_orbit';
    const skullBaseErosion = rng.chance(pm ? 0.35 : orbit ? 0.03 : 0.02);
    const hn: NonNullable<TumorDetails['headNeck']> = {
      intracranialExtension: rng.chance(pm ? 0.25 : orbit ? 0.03 : 0.01),
      skullBaseErosion,
      cranialNervePalsy: rng.chance(pm ? 0.2 : orbit ? 0.03 : 0.02),
      boneErosion: skullBaseErosion || rng.chance(pm ? 0.2 : orbit ? 0.15 : 0.05),
    };
    if (rng.chance(0.15)) { delete hn.cranialNervePalsy; delete hn.boneErosion; } // partial H&N exam in the referral
    det.headNeck = hn;
  }
}

function nrstsDetails(rng: Rng, d: TumorDraft, det: TumorDetails): void {
  const n = NRSTS_SAMPLERS.get(d.nrsts as NrstsSubtype) as NrstsSamplers;
  const def = n.def;
  if (isSoftTissueCategory(d.site)) det.depth = d.site.category === 'retroperitoneum_abdomen' ? 'deep' : rng.chance(def.superficialShare) ? 'superficial' : 'deep';
  // POG grade: fixed by histology where rules.md says so, otherwise by necrosis/mitoses (R-NRSTS-GRADE).
  const fixed = (MORPHOLOGY[d.morphology as keyof typeof MORPHOLOGY] as { pogGradeByHistology?: 1 | 3 }).pogGradeByHistology;
  const pog: 1 | 2 | 3 = fixed ?? (n.pog ? n.pog(rng) : 3);
  const u = rng.next();
  const fnclcc: 1 | 2 | 3 = pog === 3 ? (u < 0.7 ? 3 : 2) : pog === 2 ? (u < 0.6 ? 2 : u < 0.8 ? 1 : 3) : (u < 0.8 ? 1 : 2);
  const grade: NonNullable<TumorDetails['grade']> = { twoTier: pog === 3 ? 'high' : 'low' };
  if (rng.chance(0.85)) grade.pog = pog;
  if (rng.chance(0.55)) grade.fnclcc = fnclcc;
  det.grade = grade;
  det.regionalNodes = rng.chance(0.1) ? 'NX' : rng.chance(def.nodeRate) ? 'N1' : 'N0';
  withMets(det, rng, rng.chance(def.metRate) ? n.mets(rng) : []);
  // Many NRSTS arrive after an unplanned excision elsewhere, so the margin is often already known.
  if (rng.chance(def.resectRate)) {
    det.surgery = { status: 'resected', margin: pickSoftMargin(rng) };
    if (det.surgery.margin === 'R0' && rng.chance(0.3)) det.surgery.closeMarginLt5mm = true;
  } else {
    det.surgery = { status: 'biopsy' };
  }
  if (def.fusion !== undefined && rng.chance(def.fusion[1])) {
    const fusion = def.fusion[0] === 'SS18::SSX' ? (rng.chance(0.6) ? 'SS18::SSX1' : 'SS18::SSX2') : def.fusion[0];
    det.molecular = fusion.startsWith('EWSR1') ? { ewsr1Fusion: fusion, fusionPartner: fusion } : { fusionPartner: fusion };
  }
}

function benignDetails(rng: Rng, d: TumorDraft, ctx: TumorContext, det: TumorDetails): void {
  const b = BENIGN_SAMPLERS.get(d.benign as BenignSubtype) as BenignSamplers;
  const behavior = b.behavior(rng);
  const aggressiveOut = behavior === 'aggressive' && rng.chance(0.5);
  const bone: NonNullable<TumorDetails['bone']> = {
    radiographicBehavior: behavior,
    compartment: aggressiveOut ? 'extracompartmental' : 'intracompartmental',
    extraosseousExtension: aggressiveOut,
  };
  if (d.site.region === 'pelvis') bone.pelvicSegments = 1;
  if (d.site.region === 'spine') bone.vertebralSegments = rng.chance(0.7) ? 1 : 2;
  det.bone = bone;
  det.regionalNodes = 'N0';
  // Giant cell tumour of bone rarely sends benign pulmonary implants.
  withMets(det, rng, b.def.key === 'gct' && rng.chance(0.03) ? ['lung'] : []);
  const treated = ctx.status === 'in_treatment' || ctx.status === 'follow_up';
  if (rng.chance(b.def.observeShare)) det.surgery = { status: 'none' };
  else if (treated && rng.chance(0.8)) det.surgery = { status: 'resected' };
  else det.surgery = { status: 'biopsy' };
  if (det.surgery.status === 'resected' && (b.def.key === 'osteochondroma' || b.def.key === 'osteoid_osteoma')) det.surgery.margin = 'R0';
}

// ---------------------------------------------------------------- key facts and incompleteness

/**
 * Facts a referral is expected to carry for this tumour; about 15 % of demo tumours lack one or two of them, as
 * real referrals do. Applicability depends only on codes and site, so it can be checked after the fact.
 */
export function keyFactPaths(t: Pick<TumorInput, 'morphology' | 'topography' | 'siteCategory'>): string[] {
  const family = (MORPHOLOGY as Record<string, { family: string }>)[t.morphology]?.family;
  const bone = /^C4[01]/.test(t.topography);
  const paths = ['sizeCm', 'regionalNodes', 'metastases', 'surgery'];
  if (family === 'osteosarcoma') paths.push('grade');
  if ((family === 'osteosarcoma' || family === 'ewing') && bone) paths.push('bone.skipLesion');
  if (family === 'ewing') paths.push('molecular');
  if (family === 'rhabdomyosarcoma') {
    paths.push('invasiveness', 'molecular.foxo1Fusion');
    if (t.siteCategory.startsWith('hn_')) paths.push('headNeck');
  }
  if (family === 'nrsts') paths.push('grade');
  if (family === 'benign_bone') paths.push('bone.radiographicBehavior');
  return paths;
}

export function hasFact(t: TumorInput, path: string): boolean {
  if (path === 'sizeCm') return t.sizeCm !== undefined;
  const [head, tail] = path.split('.') as [keyof TumorDetails, string | undefined];
  const v = t.details[head];
  if (tail === undefined) return v !== undefined;
  return v !== undefined && (v as Record<string, unknown>)[tail] !== undefined;
}

/** Probability that a referral lacks at least one key fact. */
export const INCOMPLETE_SHARE = 0.15;

function dropFact(t: TumorInput, path: string): void {
  if (path === 'sizeCm') { delete t.sizeCm; return; }
  const details = t.details as Record<string, unknown>;
  const [head, tail] = path.split('.') as [string, string | undefined];
  if (tail === undefined) {
    delete details[head];
    if (head === 'metastases') delete details.metastaticSiteCount;
    return;
  }
  const obj = details[head] as Record<string, unknown> | undefined;
  if (obj === undefined) return;
  delete obj[tail];
  if (tail === 'foxo1Fusion') delete obj.fusionPartner;
  if (Object.keys(obj).length === 0) delete details[head];
}

function makeIncomplete(rng: Rng, t: TumorInput): void {
  if (!rng.chance(INCOMPLETE_SHARE)) return;
  const candidates = keyFactPaths(t).filter((p) => hasFact(t, p));
  const n = rng.chance(0.75) ? 1 : 2;
  for (let i = 0; i < n && candidates.length > 0; i++) {
    const idx = rng.int(0, candidates.length - 1);
    dropFact(t, candidates[idx] as string);
    candidates.splice(idx, 1);
  }
}

// ---------------------------------------------------------------- assembly

function primarySiteText(rng: Rng, site: SiteDef, side: TumorInput['laterality'] | undefined): string {
  const name = rng.pick(site.names);
  return (side === 'left' || side === 'right') && rng.chance(0.55) ? `${side} ${name}` : name;
}

function initialDiseaseStatus(rng: Rng, family: DemoFamily, draft: TumorDraft): NonNullable<TumorDetails['diseaseStatus']> {
  if (family === 'benign_bone') return rng.chance((draft.benign as BenignSubtype).recurrenceRate) ? 'relapsed' : 'newly_diagnosed';
  const u = rng.next();
  return u < 0.93 ? 'newly_diagnosed' : u < 0.97 ? 'relapsed' : u < 0.985 ? 'refractory' : 'progressive';
}

/** The first (index) tumour of a patient. */
export function buildTumor(rng: Rng, d: TumorDraft, ctx: TumorContext): TumorInput {
  const side = laterality(rng, d.site);
  const sizeCm = Math.max(0.3, round1(rng.triangular(d.size[0], d.size[1], d.size[2])));
  const details: TumorDetails = {};
  switch (d.family) {
    case 'osteosarcoma': osDetails(rng, d, ctx, details); break;
    case 'ewing': ewingDetails(rng, d, ctx, details); break;
    case 'rhabdomyosarcoma': rmsDetails(rng, d, ctx, details, sizeCm); break;
    case 'nrsts': nrstsDetails(rng, d, details); break;
    case 'benign_bone': benignDetails(rng, d, ctx, details); break;
  }
  const ageYears = ctx.ageDays / DAYS_PER_YEAR;
  const status = initialDiseaseStatus(rng, d.family, d);
  details.diseaseStatus = ctx.relapsesLater ? 'newly_diagnosed' : status;
  if (rng.chance(0.9)) details.pubertalStatus = pubertalStatus(ctx.puberty, ageYears);
  if (rng.chance(0.92)) details.performance = performance(rng, ageYears, d.family === 'benign_bone', (details.metastases?.length ?? 0) > 0);

  const tumor: TumorInput = {
    diagnosisDate: isoDateFromDay(ctx.diagnosisDay),
    morphology: d.morphology,
    topography: d.site.topography,
    siteCategory: d.site.category,
    primarySite: primarySiteText(rng, d.site, side),
    ...(side === undefined ? {} : { laterality: side }),
    sizeCm,
    details,
  };
  makeIncomplete(rng, tumor);
  addSummaries(rng, tumor, d);
  return tumor;
}

function addSummaries(rng: Rng, tumor: TumorInput, d: TumorDraft): void {
  if (rng.chance(0.92)) tumor.pathologySummary = pathologySummary(rng, tumor, d.site);
  if (rng.chance(0.9)) tumor.imagingSummary = imagingSummary(rng, tumor, d.site);
}

/**
 * A relapse recorded as a new tumour of the same histology: local recurrence at the primary site or distant
 * relapse (lung first), diagnosed during follow-up.
 */
export function buildRelapse(rng: Rng, d: TumorDraft, first: TumorInput, ctx: TumorContext): TumorInput {
  const f = first.details;
  const local = rng.chance(0.55);
  const details: TumorDetails = { diseaseStatus: 'relapsed' };
  if (f.regionalNodes !== undefined) details.regionalNodes = f.regionalNodes;
  if (f.grade !== undefined) details.grade = { ...f.grade };
  if (f.molecular !== undefined) details.molecular = { ...f.molecular };
  if (local) {
    if (f.bone !== undefined) details.bone = { ...f.bone };
    if (f.depth !== undefined) details.depth = f.depth;
    withMets(details, rng, []);
  } else {
    // Distant relapse patterns: lung first for osteosarcoma and NRSTS, bone/marrow common in Ewing and RMS.
    const pattern: MetastaticSite[] = d.family === 'osteosarcoma' ? (rng.chance(0.85) ? ['lung'] : ['lung', 'bone'])
      : d.family === 'ewing' ? (rng.chance(0.6) ? ['lung'] : ['bone', 'bone_marrow'])
        : d.family === 'rhabdomyosarcoma' ? (rng.chance(0.5) ? ['lung'] : ['lung', 'bone_marrow'])
          : rng.chance(0.85) ? ['lung'] : ['lung', 'bone'];
    withMets(details, rng, pattern);
  }
  details.surgery = { status: 'biopsy' };
  const ageYears = ctx.ageDays / DAYS_PER_YEAR;
  if (rng.chance(0.9)) details.pubertalStatus = pubertalStatus(ctx.puberty, ageYears);
  if (rng.chance(0.92)) details.performance = performance(rng, ageYears, false, !local);

  const tumor: TumorInput = {
    diagnosisDate: isoDateFromDay(ctx.diagnosisDay),
    morphology: first.morphology,
    topography: first.topography,
    siteCategory: first.siteCategory,
    primarySite: local ? `${first.primarySite} (local recurrence)` : `${first.primarySite} (distant relapse)`,
    ...(first.laterality === undefined ? {} : { laterality: first.laterality }),
    // Size describes the tumour at the primary site, so a distant relapse has none.
    ...(local ? { sizeCm: round1(rng.triangular(1, 3, 7)) } : {}),
    details,
  };
  makeIncomplete(rng, tumor);
  addSummaries(rng, tumor, d);
  return tumor;
}
