import type { MetastaticSite } from '../facts/case-facts.js';
import type { MorphologyCode } from '../coding/morphology.js';
import type { Weighted } from './prng.js';
import { S, type SiteDef } from './sites.js';

/**
 * The case mix of the synthetic program, as data: how often each tumour family occurs, at what ages, where, how
 * large, and how often it has spread. Shares are rough pediatric referral-centre figures, not epidemiology; they
 * only have to make a demo and a benchmark look like a real sarcoma program.
 */

export const DEMO_FAMILIES = ['osteosarcoma', 'ewing', 'rhabdomyosarcoma', 'nrsts', 'benign_bone'] as const;
export type DemoFamily = (typeof DEMO_FAMILIES)[number];

/** Share of patients per family (first tumour). */
export const FAMILY_MIX = [
  ['osteosarcoma', 28], ['ewing', 20], ['rhabdomyosarcoma', 25], ['nrsts', 15], ['benign_bone', 12],
] as const satisfies Weighted<DemoFamily>;

/** Age bands at diagnosis in years: `[from, to, weight]`, uniform within a band, `to` exclusive. */
export type AgeProfile = readonly (readonly [number, number, number])[];

/** Size at diagnosis in cm: triangular `[min, mode, max]`. */
export type SizeProfile = readonly [number, number, number];

export type MetPattern = readonly MetastaticSite[];

// ---------------------------------------------------------------- osteosarcoma (R-OS)

export const OS_MORPHOLOGY = [
  ['9180/3', 68], ['9181/3', 8], ['9182/3', 4], ['9183/3', 5], ['9185/3', 1], ['9186/3', 1],
  ['9192/3', 5], ['9193/3', 3], ['9187/3', 2], ['9194/3', 2], ['9195/3', 0.5],
] as const satisfies Weighted<MorphologyCode>;

export const OS_SITES: Weighted<SiteDef> = [
  [S.distalFemur, 40], [S.proximalTibia, 20], [S.proximalHumerus, 11], [S.proximalFemur, 4], [S.femoralShaft, 2],
  [S.proximalFibula, 3], [S.distalTibia, 1.5], [S.humeralShaft, 1], [S.distalRadius, 1], [S.scapula, 1],
  [S.ilium, 4], [S.acetabulum, 2], [S.sacrum, 1], [S.mandible, 2], [S.maxilla, 1], [S.calvarium, 0.5],
  [S.rib, 1.5], [S.vertebra, 1], [S.thigh, 1],
];

export const OS_AGE: AgeProfile = [[3, 5, 1], [5, 10, 9], [10, 15, 38], [15, 20, 38], [20, 25, 14]];
export const OS_SIZE: SizeProfile = [4, 9, 18];
export const OS_MALE_SHARE = 0.56;
export const OS_MET_RATE = 0.2;
export const OS_METS: Weighted<MetPattern> = [[['lung'], 80], [['bone'], 10], [['lung', 'bone'], 10]];

// ---------------------------------------------------------------- Ewing sarcoma (R-EWS)

export const EWING_SITES: Weighted<SiteDef> = [
  [S.ilium, 12], [S.sacrum, 5], [S.acetabulum, 3], [S.pubis, 3],
  [S.femoralShaft, 7], [S.proximalFemur, 3], [S.distalFemur, 3], [S.tibialShaft, 3], [S.proximalTibia, 2],
  [S.fibularShaft, 4], [S.proximalFibula, 2], [S.proximalHumerus, 4], [S.humeralShaft, 2], [S.ulna, 1],
  [S.calcaneus, 2], [S.metatarsal, 1], [S.scapula, 4],
  [S.rib, 11], [S.clavicle, 2], [S.sternum, 0.5],
  [S.vertebra, 6], [S.calvarium, 1], [S.mandible, 1],
  // extraosseous Ewing (9260/3 with C49, rules.md §5.1)
  [S.paraspinal, 3], [S.thigh, 3], [S.chestWallSoft, 2], [S.buttock, 1.5], [S.retroperitoneum, 1.5], [S.calf, 1],
];
export const EWING_AGE: AgeProfile = [[0.5, 5, 3], [5, 10, 17], [10, 15, 35], [15, 20, 33], [20, 25, 12]];
export const EWING_SIZE: SizeProfile = [3, 8, 20];
export const EWING_PELVIS_SIZE: SizeProfile = [6, 11, 22];
export const EWING_MALE_SHARE = 0.58;
export const EWING_MET_RATE = 0.25;
export const EWING_METS: Weighted<MetPattern> = [
  [['lung'], 40], [['lung', 'pleura'], 5], [['bone'], 15], [['bone', 'bone_marrow'], 12], [['bone_marrow'], 8],
  [['lung', 'bone'], 14], [['lung', 'bone', 'bone_marrow'], 6],
];
export const EWING_FUSIONS: Weighted<readonly [string, string]> = [
  [['EWSR1::FLI1', 'FLI1'], 85], [['EWSR1::ERG', 'ERG'], 10], [['FUS::ERG', 'ERG'], 2], [['EWSR1::ETV1', 'ETV1'], 1],
];

// ---------------------------------------------------------------- rhabdomyosarcoma (R-RMS)

export interface RmsSite {
  readonly site: SiteDef;
  readonly age: AgeProfile;
  readonly size: SizeProfile;
  /** Probability of clinically involved regional nodes (N1). */
  readonly nodeRate: number;
  /** Probability the initial procedure was a resection rather than a biopsy. */
  readonly resectRate: number;
}

const HN_AGE: AgeProfile = [[0, 3, 2], [3, 10, 5], [10, 18, 2.5], [18, 25, 0.5]];
const EXT_AGE: AgeProfile = [[0, 1, 1], [1, 10, 4], [10, 18, 4], [18, 25, 1]];
const TRUNK_AGE: AgeProfile = [[0, 10, 5], [10, 18, 4], [18, 25, 1]];

const rms = (site: SiteDef, age: AgeProfile, size: SizeProfile, nodeRate: number, resectRate: number): RmsSite =>
  ({ site, age, size, nodeRate, resectRate });

export const RMS_SITES: Weighted<RmsSite> = [
  [rms(S.orbit, [[0, 3, 2], [3, 10, 6], [10, 18, 2]], [1.5, 3, 5], 0.02, 0.05), 9],
  [rms(S.nasopharynx, HN_AGE, [2, 5, 9], 0.3, 0.02), 6],
  [rms(S.nasalCavity, HN_AGE, [2, 4.5, 8], 0.25, 0.05), 3],
  [rms(S.middleEar, HN_AGE, [2, 4, 7], 0.25, 0.02), 4],
  [rms(S.maxillarySinus, HN_AGE, [2, 5, 8], 0.25, 0.02), 3],
  [rms(S.ethmoidSinus, HN_AGE, [2, 4.5, 8], 0.25, 0.02), 2],
  [rms(S.infratemporal, HN_AGE, [3, 6, 10], 0.3, 0.02), 4],
  [rms(S.pterygopalatine, HN_AGE, [2, 4, 7], 0.3, 0.02), 1.5],
  [rms(S.parapharyngeal, HN_AGE, [3, 5.5, 9], 0.3, 0.02), 2],
  [rms(S.cheek, HN_AGE, [1.5, 3.5, 7], 0.08, 0.3), 3],
  [rms(S.neck, HN_AGE, [2, 4, 8], 0.12, 0.25), 2],
  [rms(S.parotid, HN_AGE, [2, 3.5, 6], 0.1, 0.3), 1],
  [rms(S.tongue, HN_AGE, [1, 2.5, 5], 0.05, 0.3), 0.7],
  [rms(S.scalp, HN_AGE, [1, 3, 6], 0.05, 0.4), 0.5],
  [rms(S.paratesticular, [[0, 2, 2], [2, 10, 2], [10, 18, 5], [18, 25, 1]], [1.5, 4, 10], 0.15, 0.92), 7],
  [rms(S.bladder, [[0, 2, 3], [2, 6, 5], [6, 18, 2]], [2.5, 5.5, 10], 0.15, 0.1), 5],
  [rms(S.bladderNeck, [[0, 2, 3], [2, 6, 5], [6, 18, 2]], [2.5, 5, 9], 0.15, 0.05), 1.5],
  [rms(S.prostate, [[0, 2, 3], [2, 6, 4], [6, 20, 3]], [3, 6, 11], 0.2, 0.05), 3],
  [rms(S.vagina, [[0, 2, 6], [2, 5, 2]], [1.5, 4, 8], 0.05, 0.15), 2.5],
  [rms(S.cervix, [[8, 21, 1]], [1.5, 3.5, 7], 0.05, 0.3), 0.7],
  [rms(S.uterus, [[10, 21, 1]], [2, 5, 9], 0.05, 0.3), 0.4],
  [rms(S.vulva, [[0, 10, 1]], [1, 3, 6], 0.1, 0.3), 0.3],
  [rms(S.biliary, [[1, 6, 1]], [3, 6, 12], 0.05, 0.1), 2],
  [rms(S.thigh, EXT_AGE, [2.5, 6, 14], 0.25, 0.35), 4],
  [rms(S.forearm, EXT_AGE, [2, 4.5, 10], 0.25, 0.35), 2.5],
  [rms(S.hand, EXT_AGE, [1.5, 3, 7], 0.3, 0.3), 2],
  [rms(S.foot, EXT_AGE, [1.5, 3.5, 8], 0.3, 0.3), 2],
  [rms(S.calf, EXT_AGE, [2, 5, 11], 0.25, 0.35), 2],
  [rms(S.upperArm, EXT_AGE, [2, 5, 11], 0.25, 0.35), 1.5],
  [rms(S.chestWallSoft, TRUNK_AGE, [2.5, 6, 14], 0.12, 0.35), 3],
  [rms(S.paraspinal, TRUNK_AGE, [3, 6.5, 14], 0.12, 0.25), 2],
  [rms(S.abdominalWall, TRUNK_AGE, [2, 5, 11], 0.1, 0.4), 1],
  [rms(S.buttock, TRUNK_AGE, [3, 6, 12], 0.15, 0.3), 1],
  [rms(S.retroperitoneum, [[0, 10, 6], [10, 18, 3], [18, 25, 1]], [4, 9, 18], 0.2, 0.2), 5],
  [rms(S.perineum, [[0, 10, 4], [10, 18, 5], [18, 25, 1]], [2, 5, 10], 0.35, 0.15), 2],
  [rms(S.mediastinum, [[0, 25, 1]], [3, 7, 14], 0.15, 0.1), 1],
];
export const RMS_MALE_SHARE = 0.58;
export const RMS_METS: Weighted<MetastaticSite> = [
  ['lung', 40], ['bone_marrow', 25], ['bone', 25], ['distant_lymph_nodes', 15], ['pleura', 5], ['liver', 3],
];

// ---------------------------------------------------------------- non-rhabdomyosarcoma soft tissue sarcoma (R-NRSTS)

export interface NrstsSubtype {
  readonly key: string;
  readonly morphology: Weighted<MorphologyCode>;
  readonly sites: Weighted<SiteDef>;
  readonly age: AgeProfile;
  readonly size: SizeProfile;
  readonly maleShare: number;
  /** POG grade when the histology does not fix it (R-NRSTS-GRADE). */
  readonly pog?: Weighted<1 | 2 | 3>;
  readonly superficialShare: number;
  readonly metRate: number;
  readonly mets: Weighted<MetPattern>;
  readonly nodeRate: number;
  /** Molecular hallmark: `[fusion, share of cases where it is reported]`. */
  readonly fusion?: readonly [string, number];
  readonly resectRate: number;
}

const LUNG_METS: Weighted<MetPattern> = [[['lung'], 85], [['lung', 'bone'], 10], [['bone'], 5]];

export const NRSTS_SUBTYPES: Weighted<NrstsSubtype> = [
  [{
    key: 'synovial', morphology: [['9040/3', 40], ['9041/3', 35], ['9043/3', 20], ['9042/3', 5]],
    sites: [[S.thigh, 20], [S.popliteal, 12], [S.foot, 10], [S.calf, 8], [S.forearm, 8], [S.hand, 4], [S.upperArm, 5],
      [S.shoulder, 5], [S.chestWallSoft, 6], [S.back, 4], [S.abdominalWall, 2], [S.neck, 6]],
    age: [[5, 10, 1], [10, 15, 4], [15, 20, 5], [20, 25, 2]], size: [2, 6, 14], maleShare: 0.55,
    superficialShare: 0.12, metRate: 0.12, mets: LUNG_METS, nodeRate: 0.04, fusion: ['SS18::SSX', 0.9], resectRate: 0.5,
  }, 30],
  [{
    key: 'infantile_fibrosarcoma', morphology: [['8814/3', 1]],
    sites: [[S.forearm, 10], [S.hand, 8], [S.calf, 10], [S.foot, 10], [S.thigh, 8], [S.upperArm, 5], [S.chestWallSoft, 8],
      [S.back, 8], [S.neck, 6], [S.buttock, 4]],
    age: [[0, 0.08, 4], [0.08, 1, 5], [1, 2, 1]], size: [2, 6, 15], maleShare: 0.55,
    superficialShare: 0.2, metRate: 0.03, mets: LUNG_METS, nodeRate: 0, fusion: ['ETV6::NTRK3', 0.85], resectRate: 0.3,
  }, 10],
  [{
    key: 'mpnst', morphology: [['9540/3', 1]],
    sites: [[S.sciaticNerve, 20], [S.brachialPlexus, 10], [S.paraspinalNerve, 12], [S.retroperitoneum, 8], [S.thigh, 8], [S.neck, 6]],
    age: [[5, 10, 1], [10, 18, 5], [18, 25, 4]], size: [4, 9, 18], maleShare: 0.55, pog: [[2, 3], [3, 7]],
    superficialShare: 0.05, metRate: 0.15, mets: LUNG_METS, nodeRate: 0.02, resectRate: 0.5,
  }, 12],
  [{
    key: 'undifferentiated', morphology: [['8805/3', 1]],
    sites: [[S.thigh, 8], [S.chestWallSoft, 3], [S.paraspinal, 3], [S.retroperitoneum, 3], [S.neck, 2], [S.upperArm, 2]],
    age: [[0, 5, 2], [5, 12, 3], [12, 25, 5]], size: [3, 8, 16], maleShare: 0.55,
    superficialShare: 0.08, metRate: 0.15, mets: LUNG_METS, nodeRate: 0.05, resectRate: 0.45,
  }, 8],
  [{
    key: 'asps', morphology: [['9581/3', 1]],
    sites: [[S.thigh, 10], [S.buttock, 5], [S.calf, 3], [S.tongue, 2], [S.orbit, 1]],
    age: [[5, 12, 1], [12, 25, 4]], size: [3, 6, 12], maleShare: 0.4,
    superficialShare: 0.05, metRate: 0.4, mets: [[['lung'], 80], [['lung', 'brain'], 12], [['lung', 'bone'], 8]],
    nodeRate: 0.02, fusion: ['ASPSCR1::TFE3', 0.8], resectRate: 0.55,
  }, 5],
  [{
    key: 'epithelioid', morphology: [['8804/3', 1]],
    sites: [[S.hand, 10], [S.forearm, 8], [S.foot, 3], [S.thigh, 2]],
    age: [[10, 25, 1]], size: [1.5, 3.5, 8], maleShare: 0.65,
    superficialShare: 0.6, metRate: 0.1, mets: LUNG_METS, nodeRate: 0.15, resectRate: 0.6,
  }, 5],
  [{
    key: 'clear_cell', morphology: [['9044/3', 1]],
    sites: [[S.foot, 10], [S.calf, 4], [S.popliteal, 3]],
    age: [[12, 25, 1]], size: [2, 4, 8], maleShare: 0.5,
    superficialShare: 0.1, metRate: 0.15, mets: LUNG_METS, nodeRate: 0.15, fusion: ['EWSR1::ATF1', 0.85], resectRate: 0.55,
  }, 3],
  [{
    key: 'dsrct', morphology: [['8806/3', 1]],
    sites: [[S.peritoneum, 10], [S.retroperitoneum, 3]],
    age: [[6, 12, 1], [12, 25, 4]], size: [6, 12, 20], maleShare: 0.88,
    superficialShare: 0, metRate: 0.55, mets: [[['liver'], 30], [['other'], 25], [['liver', 'lung'], 20], [['distant_lymph_nodes'], 15], [['liver', 'bone'], 10]],
    nodeRate: 0.3, fusion: ['EWSR1::WT1', 0.95], resectRate: 0.15,
  }, 5],
  [{
    key: 'dfsp', morphology: [['8832/3', 1]],
    sites: [[S.back, 5], [S.chestWallSoft, 4], [S.abdominalWall, 3], [S.thigh, 3], [S.upperArm, 2], [S.neck, 1]],
    age: [[1, 10, 2], [10, 25, 5]], size: [1, 3, 8], maleShare: 0.5,
    superficialShare: 0.9, metRate: 0, mets: LUNG_METS, nodeRate: 0, fusion: ['COL1A1::PDGFB', 0.7], resectRate: 0.7,
  }, 5],
  [{
    key: 'fibrosarcoma', morphology: [['8810/3', 1]],
    sites: [[S.thigh, 4], [S.calf, 2], [S.chestWallSoft, 2], [S.back, 1]],
    age: [[5, 25, 1]], size: [3, 7, 15], maleShare: 0.5, pog: [[2, 1], [3, 1]],
    superficialShare: 0.1, metRate: 0.1, mets: LUNG_METS, nodeRate: 0.02, resectRate: 0.5,
  }, 3],
  [{
    key: 'myxoid_liposarcoma', morphology: [['8852/3', 1]],
    sites: [[S.thigh, 10], [S.popliteal, 3], [S.buttock, 2]],
    age: [[12, 25, 1]], size: [4, 10, 18], maleShare: 0.5,
    superficialShare: 0.05, metRate: 0.05, mets: LUNG_METS, nodeRate: 0, fusion: ['FUS::DDIT3', 0.85], resectRate: 0.55,
  }, 3],
  [{
    key: 'leiomyosarcoma', morphology: [['8890/3', 1]],
    sites: [[S.retroperitoneum, 3], [S.thigh, 2], [S.abdominalWall, 1]],
    age: [[5, 25, 1]], size: [3, 7, 15], maleShare: 0.5, pog: [[2, 1], [3, 1]],
    superficialShare: 0.1, metRate: 0.15, mets: LUNG_METS, nodeRate: 0.02, resectRate: 0.5,
  }, 2],
  [{
    key: 'angiosarcoma', morphology: [['9120/3', 1]],
    sites: [[S.thigh, 2], [S.chestWallSoft, 1], [S.neck, 1]],
    age: [[5, 25, 1]], size: [2, 5, 12], maleShare: 0.5, pog: [[3, 1]],
    superficialShare: 0.3, metRate: 0.25, mets: LUNG_METS, nodeRate: 0.1, resectRate: 0.5,
  }, 1],
  [{
    key: 'cic', morphology: [['9367/3', 1]],
    sites: [[S.thigh, 4], [S.chestWallSoft, 2], [S.paraspinal, 2], [S.retroperitoneum, 1]],
    age: [[8, 25, 1]], size: [4, 9, 16], maleShare: 0.55, pog: [[3, 1]],
    superficialShare: 0.05, metRate: 0.35, mets: LUNG_METS, nodeRate: 0.05, fusion: ['CIC::DUX4', 0.85], resectRate: 0.4,
  }, 3],
  [{
    key: 'bcor', morphology: [['9368/3', 1]],
    sites: [[S.thigh, 2], [S.paraspinal, 2], [S.chestWallSoft, 1], [S.retroperitoneum, 1]],
    age: [[3, 20, 1]], size: [4, 9, 16], maleShare: 0.75, pog: [[3, 1]],
    superficialShare: 0.05, metRate: 0.15, mets: LUNG_METS, nodeRate: 0.02, fusion: ['BCOR::CCNB3', 0.8], resectRate: 0.4,
  }, 2],
  [{
    key: 'emc', morphology: [['9231/3', 1]],
    sites: [[S.thigh, 3], [S.foot, 1]],
    age: [[12, 25, 1]], size: [3, 7, 14], maleShare: 0.6,
    superficialShare: 0.05, metRate: 0.1, mets: LUNG_METS, nodeRate: 0, fusion: ['EWSR1::NR4A3', 0.8], resectRate: 0.55,
  }, 1],
  [{
    key: 'lgfms', morphology: [['8840/3', 1]],
    sites: [[S.thigh, 3], [S.chestWallSoft, 1], [S.shoulder, 1]],
    age: [[8, 25, 1]], size: [3, 6, 12], maleShare: 0.5, pog: [[2, 1]],
    superficialShare: 0.15, metRate: 0.03, mets: LUNG_METS, nodeRate: 0, fusion: ['FUS::CREB3L2', 0.75], resectRate: 0.65,
  }, 2],
];

// ---------------------------------------------------------------- benign bone (R-ENN benign stages)

export type Behavior = 'latent' | 'active' | 'aggressive';

export interface BenignSubtype {
  readonly key: string;
  readonly morphology: Weighted<MorphologyCode>;
  readonly sites: Weighted<SiteDef>;
  readonly age: AgeProfile;
  readonly size: SizeProfile;
  readonly maleShare: number;
  readonly behavior: Weighted<Behavior>;
  /** Share managed by observation only (no tissue, no surgery). */
  readonly observeShare: number;
  /** Recurrence after earlier curettage elsewhere. */
  readonly recurrenceRate: number;
}

export const BENIGN_SUBTYPES: Weighted<BenignSubtype> = [
  [{
    key: 'osteochondroma', morphology: [['9210/0', 28], ['9210/1', 3]],
    sites: [[S.distalFemur, 30], [S.proximalTibia, 20], [S.proximalHumerus, 20], [S.proximalFibula, 6], [S.scapula, 6],
      [S.distalRadius, 5], [S.ilium, 5], [S.rib, 3]],
    age: [[5, 10, 2], [10, 15, 5], [15, 20, 3]], size: [1.5, 4, 9], maleShare: 0.6,
    behavior: [['latent', 70], ['active', 30]], observeShare: 0.45, recurrenceRate: 0.02,
  }, 28],
  [{
    key: 'abc', morphology: [['9260/0', 1]],
    sites: [[S.proximalHumerus, 15], [S.proximalFemur, 12], [S.proximalTibia, 8], [S.tibialShaft, 4], [S.proximalFibula, 8],
      [S.posteriorElements, 10], [S.ilium, 8], [S.calcaneus, 5], [S.distalFemur, 8], [S.clavicle, 3]],
    age: [[2, 10, 4], [10, 20, 6]], size: [2, 5, 12], maleShare: 0.45,
    behavior: [['latent', 5], ['active', 55], ['aggressive', 40]], observeShare: 0, recurrenceRate: 0.1,
  }, 18],
  [{
    key: 'gct', morphology: [['9250/1', 1]],
    sites: [[S.distalFemur, 30], [S.proximalTibia, 25], [S.distalRadius, 15], [S.sacrum, 10], [S.proximalHumerus, 8], [S.proximalFibula, 5]],
    age: [[13, 18, 3], [18, 25, 7]], size: [3, 6, 11], maleShare: 0.45,
    behavior: [['active', 40], ['aggressive', 60]], observeShare: 0, recurrenceRate: 0.12,
  }, 8],
  [{
    key: 'osteoid_osteoma', morphology: [['9191/0', 1]],
    sites: [[S.femoralNeck, 25], [S.tibialShaft, 25], [S.femoralShaft, 10], [S.posteriorElements, 15], [S.humeralShaft, 5],
      [S.talus, 5], [S.phalanxHand, 3]],
    age: [[4, 10, 3], [10, 20, 6], [20, 25, 1]], size: [0.4, 0.9, 1.8], maleShare: 0.7,
    behavior: [['active', 1]], observeShare: 0.1, recurrenceRate: 0.03,
  }, 14],
  [{
    key: 'chondroblastoma', morphology: [['9230/0', 6], ['9230/1', 4]],
    sites: [[S.proximalHumerus, 30], [S.distalFemur, 25], [S.proximalTibia, 25], [S.calcaneus, 8], [S.proximalFemur, 7], [S.acetabulum, 3]],
    age: [[10, 15, 5], [15, 20, 4], [20, 25, 1]], size: [1.5, 3, 6], maleShare: 0.65,
    behavior: [['active', 70], ['aggressive', 30]], observeShare: 0, recurrenceRate: 0.08,
  }, 8],
  [{
    key: 'nof', morphology: [['8830/0', 1]],
    sites: [[S.distalFemur, 40], [S.distalTibia, 30], [S.proximalTibia, 20], [S.fibularShaft, 10]],
    age: [[5, 10, 4], [10, 18, 6]], size: [1.5, 3.5, 7], maleShare: 0.6,
    behavior: [['latent', 75], ['active', 25]], observeShare: 0.6, recurrenceRate: 0.01,
  }, 12],
  [{
    key: 'enchondroma', morphology: [['9220/0', 8], ['9220/1', 1], ['9221/0', 1]],
    sites: [[S.phalanxHand, 50], [S.metacarpal, 15], [S.proximalHumerus, 15], [S.distalFemur, 10], [S.femoralShaft, 10]],
    age: [[8, 25, 1]], size: [1, 3, 7], maleShare: 0.5,
    behavior: [['latent', 70], ['active', 30]], observeShare: 0.4, recurrenceRate: 0.02,
  }, 4],
  [{
    key: 'osteoblastoma', morphology: [['9200/0', 3], ['9200/1', 1]],
    sites: [[S.posteriorElements, 55], [S.sacrum, 15], [S.tibialShaft, 15], [S.talus, 15]],
    age: [[8, 25, 1]], size: [2, 3.5, 7], maleShare: 0.7,
    behavior: [['active', 60], ['aggressive', 40]], observeShare: 0, recurrenceRate: 0.08,
  }, 3],
  [{
    key: 'lch', morphology: [['9751/1', 1]],
    sites: [[S.calvarium, 40], [S.femoralShaft, 15], [S.vertebra, 15], [S.ilium, 15], [S.rib, 10], [S.mandible, 5]],
    age: [[0.5, 5, 5], [5, 12, 4], [12, 18, 1]], size: [1, 3, 6], maleShare: 0.6,
    behavior: [['active', 60], ['aggressive', 40]], observeShare: 0, recurrenceRate: 0.05,
  }, 4],
  [{
    key: 'cmf', morphology: [['9241/0', 1]],
    sites: [[S.proximalTibia, 50], [S.distalFemur, 20], [S.calcaneus, 15], [S.ilium, 15]],
    age: [[8, 25, 1]], size: [2, 4, 8], maleShare: 0.55,
    behavior: [['active', 70], ['aggressive', 30]], observeShare: 0, recurrenceRate: 0.1,
  }, 1],
  [{
    key: 'desmoplastic_fibroma', morphology: [['8823/1', 1]],
    sites: [[S.mandible, 30], [S.distalFemur, 20], [S.ilium, 20], [S.humeralShaft, 30]],
    age: [[5, 25, 1]], size: [3, 6, 10], maleShare: 0.5,
    behavior: [['active', 30], ['aggressive', 70]], observeShare: 0, recurrenceRate: 0.1,
  }, 1],
];
