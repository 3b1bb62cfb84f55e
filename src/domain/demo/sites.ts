import type { SiteCategory } from '../facts/case-facts.js';

/**
 * Anatomic sites the demo generator places tumours at: ICD-O-3 topography (rules.md §5.2) and the platform site
 * category (rules.md §3.9, R-DISC). `names` are free-text variants for `primarySite` as a referral would word them.
 */

/** paired → left/right; midline → midline; none → not_applicable. */
export type Side = 'paired' | 'midline' | 'none';

export type Region =
  | 'long_bone' | 'short_bone' | 'pelvis' | 'spine' | 'chest_wall' | 'skull_face'
  | 'soft_extremity' | 'soft_trunk' | 'orbit' | 'parameningeal' | 'hn_other'
  | 'paratesticular' | 'bladder_prostate' | 'gynecologic' | 'biliary' | 'abdomen' | 'perineum' | 'thorax';

export interface SiteDef {
  readonly names: readonly string[];
  readonly topography: string;
  readonly category: SiteCategory;
  readonly side: Side;
  readonly kind: 'bone' | 'soft';
  readonly region: Region;
  /** The site exists in one sex only (prostate, paratesticular, gynecologic organs). */
  readonly sex?: 'male' | 'female';
}

const bone = (names: string[], topography: string, category: SiteCategory, side: Side, region: Region): SiteDef =>
  ({ names, topography, category, side, kind: 'bone', region });
const soft = (names: string[], topography: string, category: SiteCategory, side: Side, region: Region, sex?: 'male' | 'female'): SiteDef =>
  ({ names, topography, category, side, kind: 'soft', region, ...(sex === undefined ? {} : { sex }) });

export const S = {
  // Long bones of the lower limb (C40.2) and upper limb (C40.0)
  distalFemur: bone(['distal femur', 'distal femoral metaphysis'], 'C40.2', 'bone_extremity', 'paired', 'long_bone'),
  proximalFemur: bone(['proximal femur'], 'C40.2', 'bone_extremity', 'paired', 'long_bone'),
  femoralNeck: bone(['femoral neck'], 'C40.2', 'bone_extremity', 'paired', 'long_bone'),
  femoralShaft: bone(['femoral diaphysis', 'femoral shaft'], 'C40.2', 'bone_extremity', 'paired', 'long_bone'),
  proximalTibia: bone(['proximal tibia', 'proximal tibial metaphysis'], 'C40.2', 'bone_extremity', 'paired', 'long_bone'),
  tibialShaft: bone(['tibial diaphysis'], 'C40.2', 'bone_extremity', 'paired', 'long_bone'),
  distalTibia: bone(['distal tibia'], 'C40.2', 'bone_extremity', 'paired', 'long_bone'),
  proximalFibula: bone(['proximal fibula'], 'C40.2', 'bone_extremity', 'paired', 'long_bone'),
  fibularShaft: bone(['fibular diaphysis', 'fibula'], 'C40.2', 'bone_extremity', 'paired', 'long_bone'),
  proximalHumerus: bone(['proximal humerus', 'proximal humeral metaphysis'], 'C40.0', 'bone_extremity', 'paired', 'long_bone'),
  humeralShaft: bone(['humeral diaphysis'], 'C40.0', 'bone_extremity', 'paired', 'long_bone'),
  distalRadius: bone(['distal radius'], 'C40.0', 'bone_extremity', 'paired', 'long_bone'),
  ulna: bone(['ulna', 'proximal ulna'], 'C40.0', 'bone_extremity', 'paired', 'long_bone'),
  scapula: bone(['scapula', 'scapular body'], 'C40.0', 'bone_extremity', 'paired', 'long_bone'),
  // Short bones (C40.1 hand, C40.3 foot)
  phalanxHand: bone(['proximal phalanx of the ring finger', 'middle phalanx of the index finger', 'proximal phalanx of the little finger'], 'C40.1', 'bone_extremity', 'paired', 'short_bone'),
  metacarpal: bone(['fourth metacarpal', 'fifth metacarpal'], 'C40.1', 'bone_extremity', 'paired', 'short_bone'),
  calcaneus: bone(['calcaneus'], 'C40.3', 'bone_extremity', 'paired', 'short_bone'),
  talus: bone(['talus'], 'C40.3', 'bone_extremity', 'paired', 'short_bone'),
  metatarsal: bone(['second metatarsal', 'first metatarsal'], 'C40.3', 'bone_extremity', 'paired', 'short_bone'),
  // Pelvis (C41.4)
  ilium: bone(['iliac wing', 'ilium'], 'C41.4', 'bone_pelvis', 'paired', 'pelvis'),
  acetabulum: bone(['acetabulum', 'periacetabular pelvis'], 'C41.4', 'bone_pelvis', 'paired', 'pelvis'),
  pubis: bone(['superior pubic ramus', 'ischium', 'ischiopubic ramus'], 'C41.4', 'bone_pelvis', 'paired', 'pelvis'),
  sacrum: bone(['sacrum', 'sacral ala (S1-S2)'], 'C41.4', 'bone_pelvis', 'midline', 'pelvis'),
  // Spine (C41.2)
  vertebra: bone(['T8 vertebral body', 'L2 vertebral body', 'T11 vertebra', 'L4 vertebra', 'C5 vertebra', 'T4 vertebral body'], 'C41.2', 'bone_spine', 'midline', 'spine'),
  posteriorElements: bone(['L3 posterior elements', 'T10 lamina', 'C6 posterior arch', 'L5 pedicle'], 'C41.2', 'bone_spine', 'midline', 'spine'),
  // Chest wall (C41.3)
  rib: bone(['rib', '5th rib', '7th rib', '9th rib', 'posterolateral 6th rib'], 'C41.3', 'bone_chest_wall', 'paired', 'chest_wall'),
  clavicle: bone(['clavicle', 'medial clavicle'], 'C41.3', 'bone_chest_wall', 'paired', 'chest_wall'),
  sternum: bone(['sternum', 'manubrium'], 'C41.3', 'bone_chest_wall', 'midline', 'chest_wall'),
  // Skull and face (C41.0, C41.1)
  calvarium: bone(['calvarium', 'frontal bone', 'parietal bone'], 'C41.0', 'bone_skull_face', 'none', 'skull_face'),
  maxilla: bone(['maxilla'], 'C41.0', 'bone_skull_face', 'paired', 'skull_face'),
  mandible: bone(['mandible', 'mandibular body', 'mandibular ramus'], 'C41.1', 'bone_skull_face', 'paired', 'skull_face'),

  // Soft tissue of the limbs (C49.1, C49.2) and peripheral nerves (C47.x)
  thigh: soft(['thigh', 'anterior thigh', 'posterior thigh', 'medial thigh'], 'C49.2', 'soft_tissue_extremity', 'paired', 'soft_extremity'),
  popliteal: soft(['popliteal fossa', 'knee'], 'C49.2', 'soft_tissue_extremity', 'paired', 'soft_extremity'),
  calf: soft(['calf', 'lower leg'], 'C49.2', 'soft_tissue_extremity', 'paired', 'soft_extremity'),
  foot: soft(['foot', 'plantar foot', 'ankle'], 'C49.2', 'soft_tissue_extremity', 'paired', 'soft_extremity'),
  forearm: soft(['forearm', 'volar forearm'], 'C49.1', 'soft_tissue_extremity', 'paired', 'soft_extremity'),
  hand: soft(['hand', 'palm', 'thenar eminence'], 'C49.1', 'soft_tissue_extremity', 'paired', 'soft_extremity'),
  upperArm: soft(['upper arm', 'arm'], 'C49.1', 'soft_tissue_extremity', 'paired', 'soft_extremity'),
  shoulder: soft(['shoulder', 'axilla'], 'C49.1', 'soft_tissue_extremity', 'paired', 'soft_extremity'),
  sciaticNerve: soft(['sciatic nerve (thigh)', 'sciatic nerve'], 'C47.2', 'soft_tissue_extremity', 'paired', 'soft_extremity'),
  brachialPlexus: soft(['brachial plexus'], 'C47.1', 'soft_tissue_extremity', 'paired', 'soft_extremity'),
  // Soft tissue of the trunk (C49.3–C49.6, C47.6)
  chestWallSoft: soft(['chest wall', 'chest wall soft tissue'], 'C49.3', 'soft_tissue_trunk', 'paired', 'soft_trunk'),
  abdominalWall: soft(['abdominal wall'], 'C49.4', 'soft_tissue_trunk', 'none', 'soft_trunk'),
  paraspinal: soft(['paraspinal soft tissue', 'paraspinal muscles (lumbar)'], 'C49.6', 'soft_tissue_trunk', 'midline', 'soft_trunk'),
  back: soft(['back', 'upper back', 'flank'], 'C49.6', 'soft_tissue_trunk', 'none', 'soft_trunk'),
  buttock: soft(['buttock', 'gluteal region'], 'C49.5', 'soft_tissue_trunk', 'paired', 'soft_trunk'),
  paraspinalNerve: soft(['paraspinal nerve root (trunk)', 'intercostal nerve'], 'C47.6', 'soft_tissue_trunk', 'paired', 'soft_trunk'),

  // Head and neck
  orbit: soft(['orbit', 'superomedial orbit', 'retrobulbar orbit'], 'C69.6', 'hn_orbit', 'paired', 'orbit'),
  nasopharynx: soft(['nasopharynx'], 'C11.9', 'hn_parameningeal', 'midline', 'parameningeal'),
  nasalCavity: soft(['nasal cavity'], 'C30.0', 'hn_parameningeal', 'paired', 'parameningeal'),
  middleEar: soft(['middle ear', 'middle ear/mastoid'], 'C30.1', 'hn_parameningeal', 'paired', 'parameningeal'),
  maxillarySinus: soft(['maxillary sinus'], 'C31.0', 'hn_parameningeal', 'paired', 'parameningeal'),
  ethmoidSinus: soft(['ethmoid sinus'], 'C31.1', 'hn_parameningeal', 'midline', 'parameningeal'),
  infratemporal: soft(['infratemporal fossa'], 'C49.0', 'hn_parameningeal', 'paired', 'parameningeal'),
  pterygopalatine: soft(['pterygopalatine fossa'], 'C49.0', 'hn_parameningeal', 'paired', 'parameningeal'),
  parapharyngeal: soft(['parapharyngeal space'], 'C49.0', 'hn_parameningeal', 'paired', 'parameningeal'),
  cheek: soft(['cheek', 'buccal space'], 'C49.0', 'hn_nonparameningeal', 'paired', 'hn_other'),
  neck: soft(['neck', 'posterior neck', 'submandibular region'], 'C49.0', 'hn_nonparameningeal', 'paired', 'hn_other'),
  parotid: soft(['parotid region'], 'C07.9', 'hn_nonparameningeal', 'paired', 'hn_other'),
  tongue: soft(['tongue'], 'C02.9', 'hn_nonparameningeal', 'midline', 'hn_other'),
  scalp: soft(['scalp'], 'C49.0', 'hn_nonparameningeal', 'none', 'hn_other'),

  // Genitourinary
  paratesticular: soft(['spermatic cord', 'paratesticular region'], 'C63.1', 'gu_paratesticular', 'paired', 'paratesticular', 'male'),
  bladder: soft(['bladder', 'bladder dome'], 'C67.9', 'gu_bladder_prostate', 'midline', 'bladder_prostate'),
  bladderNeck: soft(['bladder neck', 'bladder trigone'], 'C67.5', 'gu_bladder_prostate', 'midline', 'bladder_prostate'),
  prostate: soft(['prostate'], 'C61.9', 'gu_bladder_prostate', 'midline', 'bladder_prostate', 'male'),
  vagina: soft(['vagina'], 'C52.9', 'gu_gynecologic', 'midline', 'gynecologic', 'female'),
  cervix: soft(['cervix'], 'C53.9', 'gu_gynecologic', 'midline', 'gynecologic', 'female'),
  uterus: soft(['uterus'], 'C55.9', 'gu_gynecologic', 'midline', 'gynecologic', 'female'),
  vulva: soft(['vulva'], 'C51.9', 'gu_gynecologic', 'midline', 'gynecologic', 'female'),

  // Abdomen, pelvis, thorax
  biliary: soft(['common bile duct', 'extrahepatic bile duct'], 'C24.0', 'biliary', 'none', 'biliary'),
  retroperitoneum: soft(['retroperitoneum', 'pelvic retroperitoneum'], 'C48.0', 'retroperitoneum_abdomen', 'none', 'abdomen'),
  peritoneum: soft(['peritoneum', 'omentum and peritoneal surfaces'], 'C48.2', 'retroperitoneum_abdomen', 'none', 'abdomen'),
  perineum: soft(['perineum', 'perianal region'], 'C49.5', 'perineum', 'midline', 'perineum'),
  mediastinum: soft(['posterior mediastinum'], 'C38.2', 'other', 'midline', 'thorax'),
} as const satisfies Record<string, SiteDef>;
