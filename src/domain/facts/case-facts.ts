import { z } from 'zod';

/**
 * Case facts: the input of `assess` and `match` (DESIGN.md §4). Sizes in cm at diagnosis before treatment,
 * ages in months (R-GEN-AGE, R-GEN-SIZE). Every field but age, sex, morphology, topography and siteCategory is
 * optional: a missing fact stays unknown and outputs that need it say so.
 */

/** Site categories (rules.md §3.9, R-DISC). */
export const SITE_CATEGORIES = [
  'bone_extremity', 'bone_pelvis', 'bone_spine', 'bone_chest_wall', 'bone_skull_face', 'other',
  'soft_tissue_extremity', 'soft_tissue_trunk', 'retroperitoneum_abdomen',
  'hn_orbit', 'hn_parameningeal', 'hn_nonparameningeal',
  'gu_paratesticular', 'gu_bladder_prostate', 'gu_gynecologic', 'perineum', 'biliary',
] as const;
export type SiteCategory = (typeof SITE_CATEGORIES)[number];

export const METASTATIC_SITES = [
  'lung', 'pleura', 'bone', 'bone_marrow', 'distant_lymph_nodes', 'liver', 'brain', 'other',
] as const;
export type MetastaticSite = (typeof METASTATIC_SITES)[number];

export const RADIATION_FIELDS = [
  'cranial', 'orbit', 'head_neck', 'spine', 'chest_wall', 'whole_lung', 'mediastinum', 'abdomen',
  'whole_abdomen', 'flank', 'pelvis', 'extremity', 'total_body',
] as const;
export type RadiationField = (typeof RADIATION_FIELDS)[number];

const nonNeg = z.number().finite().nonnegative();
const pct = z.number().finite().min(0).max(100);
const mutation = z.enum(['wild_type', 'mutated', 'unknown']);

export const boneFactsSchema = z.strictObject({
  extraosseousExtension: z.boolean().optional(),
  compartment: z.enum(['intracompartmental', 'extracompartmental']).optional(),
  skipLesion: z.enum(['none', 'same_bone', 'other_bone']).optional(),
  pelvicSegments: z.number().int().min(1).max(4).optional(),
  vertebralSegments: z.number().int().min(1).max(5).optional(),
  /** AJCC spine: segments involved are not all adjacent (R-AJCC-BONE-T-SPINE). */
  nonadjacentSegments: z.boolean().optional(),
  spinalCanalInvasion: z.boolean().optional(),
  /** Great-vessel invasion or tumour thrombus (spine T4b, pelvis T4b). */
  greatVesselInvolvement: z.boolean().optional(),
  /** Pelvis T4a: crosses the sacroiliac joint into the sacral neuroforamen. */
  sacroiliacCrossing: z.boolean().optional(),
  radiographicBehavior: z.enum(['latent', 'active', 'aggressive']).optional(),
});

export const radiationCourseSchema = z.strictObject({
  field: z.enum(RADIATION_FIELDS),
  side: z.enum(['left', 'right', 'bilateral', 'midline']).optional(),
  doseGy: z.number().finite().min(0).max(100),
  heartInField: z.boolean().optional(),
  heartDoseGy: z.number().finite().min(0).max(100).optional(),
  breastInField: z.boolean().optional(),
  gonadsInField: z.boolean().optional(),
  bladderInField: z.boolean().optional(),
  kidneyInField: z.boolean().optional(),
});

export const caseFactsSchema = z.strictObject({
  ageMonths: z.number().finite().min(0).max(1440),
  sex: z.enum(['male', 'female']),
  pubertalStatus: z.enum(['prepubertal', 'pubertal', 'postpubertal']).optional(),
  morphology: z.string().regex(/^\d{4}\/\d$/, 'must be an ICD-O-3 morphology code like 9180/3'),
  topography: z.string().regex(/^C\d{2}(\.\d)?$/, 'must be an ICD-O-3 topography code like C40.2'),
  siteCategory: z.enum(SITE_CATEGORIES),
  primarySite: z.string().max(200).optional(),
  laterality: z.enum(['left', 'right', 'bilateral', 'midline', 'not_applicable']).optional(),
  sizeCm: z.number().finite().positive().max(100).optional(),
  depth: z.enum(['superficial', 'deep']).optional(),
  bone: boneFactsSchema.optional(),
  invasiveness: z.enum(['T1', 'T2']).optional(),
  regionalNodes: z.enum(['N0', 'N1', 'NX']).optional(),
  metastases: z.array(z.enum(METASTATIC_SITES)).max(METASTATIC_SITES.length).optional(),
  metastaticSiteCount: z.number().int().min(0).max(100).optional(),
  grade: z.strictObject({
    fnclcc: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
    pog: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
    twoTier: z.enum(['low', 'high']).optional(),
  }).optional(),
  surgery: z.strictObject({
    status: z.enum(['none', 'biopsy', 'resected']).optional(),
    margin: z.enum(['R0', 'R1', 'R2']).optional(),
    nodesSampled: z.boolean().optional(),
    nodesPositive: z.boolean().optional(),
    /** RMS group IIC: the most distal resected regional node is involved. */
    mostDistalNodePositive: z.boolean().optional(),
    /** ARST0332 arm D boost: R0 with a margin under 5 mm. */
    closeMarginLt5mm: z.boolean().optional(),
  }).optional(),
  molecular: z.strictObject({
    foxo1Fusion: z.enum(['positive', 'negative', 'unknown']).optional(),
    fusionPartner: z.string().max(40).optional(),
    myod1: mutation.optional(),
    tp53: mutation.optional(),
    ewsr1Fusion: z.string().max(40).optional(),
  }).optional(),
  headNeck: z.strictObject({
    intracranialExtension: z.boolean().optional(),
    skullBaseErosion: z.boolean().optional(),
    cranialNervePalsy: z.boolean().optional(),
    boneErosion: z.boolean().optional(),
  }).optional(),
  histologicResponse: z.strictObject({ necrosisPercent: pct.optional() }).optional(),
  diseaseStatus: z.enum(['newly_diagnosed', 'relapsed', 'refractory', 'progressive']).optional(),
  performance: z.strictObject({
    scale: z.enum(['lansky', 'karnofsky', 'ecog']),
    value: z.number().finite().min(0).max(100),
  }).optional(),
  labs: z.strictObject({
    creatinineMgDl: nonNeg.nullable().optional(),
    gfrMlMin173: nonNeg.nullable().optional(),
    bilirubinTotalMgDl: nonNeg.nullable().optional(),
    bilirubinUln: nonNeg.nullable().optional(),
    altUL: nonNeg.nullable().optional(),
    altUln: nonNeg.nullable().optional(),
    anc: nonNeg.nullable().optional(),
    platelets: nonNeg.nullable().optional(),
    hemoglobinGDl: nonNeg.nullable().optional(),
    shorteningFractionPct: pct.nullable().optional(),
    ejectionFractionPct: pct.nullable().optional(),
    drawnDaysAgo: nonNeg.nullable().optional(),
  }).optional(),
  priorTherapy: z.array(z.strictObject({
    kind: z.enum(['chemotherapy', 'radiation', 'surgery', 'immunotherapy']),
    agents: z.array(z.string().max(60)).max(50).optional(),
  })).max(50).optional(),
  enrolledStudies: z.array(z.string().max(60)).max(50).optional(),
  exposures: z.strictObject({
    ageAtTreatmentMonths: z.number().finite().min(0).max(1440).optional(),
    agents: z.record(z.string().max(40), nonNeg).optional(),
    radiation: z.array(radiationCourseSchema).max(50).optional(),
  }).optional(),
});

export type CaseFacts = z.infer<typeof caseFactsSchema>;
export type BoneFacts = NonNullable<CaseFacts['bone']>;
export type RadiationCourse = z.infer<typeof radiationCourseSchema>;
