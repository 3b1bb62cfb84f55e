import fc from 'fast-check';
import { MORPHOLOGY } from '../coding/morphology.js';
import {
  METASTATIC_SITES, RADIATION_FIELDS, SITE_CATEGORIES, type CaseFacts, type MetastaticSite, type SiteCategory,
} from './case-facts.js';

/**
 * Test-only fast-check generators of case facts that `assess` accepts: every value the schema allows, a morphology
 * from the platform table, an ICD-O-3 topography, and a site count no smaller than the sites listed. Most cases pair
 * the topography with a matching site category; some mix them freely (the engine must cope either way). Boundary
 * values of the rules (ages 12/24/120/180 months, sizes 5/8/10/15 cm, 90% necrosis) are drawn often.
 */

/** Matching topography and site category pairs (rules.md §3.9, §5.2). */
export const SITE_PAIRS: ReadonlyArray<readonly [string, SiteCategory]> = [
  ['C40.0', 'bone_extremity'], ['C40.1', 'bone_extremity'], ['C40.2', 'bone_extremity'], ['C40.3', 'bone_extremity'],
  ['C41.4', 'bone_pelvis'], ['C41.2', 'bone_spine'], ['C41.3', 'bone_chest_wall'], ['C41.0', 'bone_skull_face'],
  ['C41.1', 'bone_skull_face'], ['C41.9', 'other'],
  ['C49.1', 'soft_tissue_extremity'], ['C49.2', 'soft_tissue_extremity'], ['C49.3', 'soft_tissue_trunk'],
  ['C49.6', 'soft_tissue_trunk'], ['C48.0', 'retroperitoneum_abdomen'], ['C49.4', 'retroperitoneum_abdomen'],
  ['C69.6', 'hn_orbit'], ['C11.9', 'hn_parameningeal'], ['C30.0', 'hn_parameningeal'], ['C31.0', 'hn_parameningeal'],
  ['C49.0', 'hn_nonparameningeal'], ['C06.0', 'hn_nonparameningeal'], ['C63.1', 'gu_paratesticular'],
  ['C67.9', 'gu_bladder_prostate'], ['C61.9', 'gu_bladder_prostate'], ['C52.9', 'gu_gynecologic'], ['C53.9', 'gu_gynecologic'],
  ['C55.9', 'gu_gynecologic'], ['C76.3', 'perineum'], ['C49.5', 'perineum'], ['C24.0', 'biliary'], ['C22.1', 'biliary'],
  ['C47.2', 'soft_tissue_extremity'], ['C80.9', 'other'],
];

const TOPOGRAPHIES = [...new Set(SITE_PAIRS.map(([t]) => t)), 'C40', 'C41', 'C49', 'C38.1', 'C71.0'];
export const MORPHOLOGY_CODES = Object.keys(MORPHOLOGY);

const opt = { requiredKeys: [] as [] };
const bool = fc.boolean();
const mutation = fc.constantFrom('wild_type' as const, 'mutated' as const, 'unknown' as const);
const double = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

const age = fc.oneof(
  { arbitrary: fc.constantFrom(0, 6, 11, 12, 23, 24, 59, 60, 71, 72, 119, 120, 121, 167, 168, 179, 180, 191, 192, 252, 253), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 300 }), weight: 3 },
  { arbitrary: double(0, 1440), weight: 1 },
);
const size = fc.oneof(
  { arbitrary: fc.constantFrom(0.5, 2, 4.9, 5, 5.1, 7.9, 8, 8.1, 10, 10.1, 15, 15.1, 20), weight: 3 },
  { arbitrary: double(0.1, 100), weight: 1 },
);
const necrosis = fc.oneof(fc.constantFrom(0, 49, 50, 89, 89.9, 90, 90.1, 99, 100), double(0, 100));

const metastases = fc.oneof(
  { arbitrary: fc.constant<MetastaticSite[]>([]), weight: 3 },
  { arbitrary: fc.uniqueArray(fc.constantFrom(...METASTATIC_SITES), { minLength: 1, maxLength: 4 }), weight: 2 },
  // The schema allows a site listed twice (the count check uses distinct sites).
  { arbitrary: fc.array(fc.constantFrom(...METASTATIC_SITES), { minLength: 1, maxLength: METASTATIC_SITES.length }), weight: 1 },
);

const bone = fc.record({
  extraosseousExtension: bool,
  compartment: fc.constantFrom('intracompartmental' as const, 'extracompartmental' as const),
  skipLesion: fc.constantFrom('none' as const, 'none' as const, 'same_bone' as const, 'other_bone' as const),
  pelvicSegments: fc.integer({ min: 1, max: 4 }),
  vertebralSegments: fc.integer({ min: 1, max: 5 }),
  nonadjacentSegments: bool,
  spinalCanalInvasion: bool,
  greatVesselInvolvement: bool,
  sacroiliacCrossing: bool,
  radiographicBehavior: fc.constantFrom('latent' as const, 'active' as const, 'aggressive' as const),
}, opt);

const grade = fc.record({
  fnclcc: fc.constantFrom(1 as const, 2 as const, 3 as const),
  pog: fc.constantFrom(1 as const, 2 as const, 3 as const),
  twoTier: fc.constantFrom('low' as const, 'high' as const),
}, opt);

const surgery = fc.record({
  status: fc.constantFrom('none' as const, 'biopsy' as const, 'resected' as const),
  margin: fc.constantFrom('R0' as const, 'R1' as const, 'R2' as const),
  nodesSampled: bool,
  nodesPositive: bool,
  mostDistalNodePositive: bool,
  closeMarginLt5mm: bool,
}, opt);

const molecular = fc.record({
  foxo1Fusion: fc.constantFrom('positive' as const, 'negative' as const, 'unknown' as const),
  fusionPartner: fc.constantFrom('PAX3', 'PAX7'),
  myod1: mutation,
  tp53: mutation,
  ewsr1Fusion: fc.constantFrom('FLI1', 'ERG'),
}, opt);

const headNeck = fc.record({ intracranialExtension: bool, skullBaseErosion: bool, cranialNervePalsy: bool, boneErosion: bool }, opt);

const performance = fc.oneof(
  fc.record({ scale: fc.constant('lansky' as const), value: fc.integer({ min: 0, max: 10 }).map((n) => n * 10) }),
  fc.record({ scale: fc.constant('karnofsky' as const), value: fc.integer({ min: 0, max: 10 }).map((n) => n * 10) }),
  fc.record({ scale: fc.constant('ecog' as const), value: fc.integer({ min: 0, max: 4 }) }),
);

const labValue = (max: number) => fc.option(double(0, max), { nil: null });
const labs = fc.record({
  creatinineMgDl: labValue(5), gfrMlMin173: labValue(200), bilirubinTotalMgDl: labValue(10), bilirubinUln: labValue(2),
  altUL: labValue(500), altUln: labValue(60), anc: labValue(20000), platelets: labValue(600000), hemoglobinGDl: labValue(18),
  shorteningFractionPct: labValue(100), ejectionFractionPct: labValue(100), drawnDaysAgo: labValue(60),
}, opt);

const AGENTS = [
  'doxorubicin', 'Doxorubicin', 'adriamycin', 'daunorubicin', 'epirubicin', 'idarubicin', 'mitoxantrone',
  'cyclophosphamide', 'ifosfamide', 'melphalan', 'busulfan', 'BCNU', 'cisplatin', 'carboplatin', 'etoposide',
  'vincristine', 'dactinomycin', 'irinotecan', 'methotrexate',
];

const priorTherapy = fc.array(fc.record({
  kind: fc.constantFrom('chemotherapy' as const, 'radiation' as const, 'surgery' as const, 'immunotherapy' as const),
  agents: fc.array(fc.constantFrom(...AGENTS), { maxLength: 4 }),
}, { requiredKeys: ['kind'] }), { maxLength: 3 });

const radiationCourse = fc.record({
  field: fc.constantFrom(...RADIATION_FIELDS),
  side: fc.constantFrom('left' as const, 'right' as const, 'bilateral' as const, 'midline' as const),
  doseGy: fc.oneof(fc.constantFrom(10, 12, 15, 20, 30, 35, 36, 45, 50.4, 55.8, 60), double(0, 100)),
  heartInField: bool,
  heartDoseGy: double(0, 100),
  breastInField: bool,
  gonadsInField: bool,
  bladderInField: bool,
  kidneyInField: bool,
}, { requiredKeys: ['field', 'doseGy'] });

const exposures = fc.record({
  ageAtTreatmentMonths: fc.integer({ min: 0, max: 300 }),
  agents: fc.dictionary(fc.constantFrom(...AGENTS), fc.oneof(fc.constantFrom(0, 100, 250, 375, 450, 4800, 8400, 63000), double(0, 200000)), { maxKeys: 5 }),
  radiation: fc.array(radiationCourse, { maxLength: 3 }),
}, opt);

const optional = fc.record({
  pubertalStatus: fc.constantFrom('prepubertal' as const, 'pubertal' as const, 'postpubertal' as const),
  primarySite: fc.constantFrom('distal femur', 'proximal tibia', 'orbit', 'paraspinal muscle', 'bladder', 'thigh', 'pelvis'),
  laterality: fc.constantFrom('left' as const, 'right' as const, 'right' as const, 'left' as const, 'bilateral' as const, 'midline' as const, 'not_applicable' as const),
  sizeCm: size,
  depth: fc.constantFrom('superficial' as const, 'deep' as const),
  bone,
  invasiveness: fc.constantFrom('T1' as const, 'T2' as const),
  regionalNodes: fc.constantFrom('N0' as const, 'N0' as const, 'N1' as const, 'NX' as const),
  metastases,
  grade,
  surgery,
  molecular,
  headNeck,
  histologicResponse: fc.record({ necrosisPercent: necrosis }, opt),
  diseaseStatus: fc.constantFrom('newly_diagnosed' as const, 'newly_diagnosed' as const, 'relapsed' as const, 'refractory' as const, 'progressive' as const),
  performance,
  labs,
  priorTherapy,
  enrolledStudies: fc.array(fc.constantFrom('APEC14B1', 'ARST2032', 'AEWS1031'), { maxLength: 2 }),
  exposures,
}, opt);

const site = fc.oneof(
  { arbitrary: fc.constantFrom(...SITE_PAIRS), weight: 4 },
  { arbitrary: fc.tuple(fc.constantFrom(...TOPOGRAPHIES), fc.constantFrom(...SITE_CATEGORIES)), weight: 1 },
);

/** Schema-valid case facts that pass `assess` validation (morphology known, topography ICD-O-3, site count ≥ sites). */
export const arbCaseFacts: fc.Arbitrary<CaseFacts> = fc.record({
  ageMonths: age,
  sex: fc.constantFrom('male' as const, 'female' as const),
  morphology: fc.constantFrom(...MORPHOLOGY_CODES),
  site,
  rest: optional,
  // metastaticSiteCount: absent, or the distinct sites listed plus 0–2 (a count alone when no list is given).
  extraSites: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
}).map(({ ageMonths, sex, morphology, site: [topography, siteCategory], rest, extraSites }) => {
  const f: CaseFacts = { ageMonths, sex, morphology, topography, siteCategory, ...rest };
  if (extraSites !== undefined) f.metastaticSiteCount = new Set(f.metastases ?? []).size + extraSites;
  return f;
});

/** `n` generated case facts, the same for the same seed (for benchmarks and fixtures). */
export function sampleCaseFacts(n: number, seed = 20260101): CaseFacts[] {
  return fc.sample(arbCaseFacts, { numRuns: n, seed });
}
