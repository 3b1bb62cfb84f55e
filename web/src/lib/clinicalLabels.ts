/**
 * Words for people for the rules engine's codes: flags (rules.md R-FLAGS and the platform's own), case-facts fields
 * and assessment outputs. The codes stay visible beside the words where the page shows provenance.
 */
import type { FlagName } from '../../../src/domain/plan/flags.js';
import { humanize } from './format.js';

/** Every flag has a label: a new flag on the server is a type error here until it is named. */
export const FLAG_LABELS: Record<FlagName, string> = {
  INFANT_LT_12MO: 'Infant (under 12 months)',
  RT_INDIVIDUALIZE_LT_24MO: 'Under 24 months: individualize local control',
  AGE_GE_10Y: 'Age 10 years or older',
  PARATESTICULAR_RPLND_REQUIRED: 'Paratesticular: retroperitoneal node dissection',
  EXTREMITY_RMS_REGIONAL_NODE_EVALUATION: 'Extremity RMS: regional node evaluation',
  PARAMENINGEAL: 'Parameningeal site',
  MENINGEAL_IMPINGEMENT_EARLY_RT: 'Meningeal impingement: early radiation',
  ORBIT: 'Orbit',
  BLADDER_PROSTATE_ORGAN_PRESERVATION: 'Bladder/prostate: organ preservation',
  GYNECOLOGIC_SITE: 'Gynecologic site',
  BILIARY: 'Biliary tract',
  SPINE_CORD_RISK: 'Spinal cord at risk',
  PELVIC_SITE: 'Pelvic site',
  GROWTH_REMAINING_LIMB_SALVAGE_OPTIONS: 'Growth remaining: limb-salvage options',
  FERTILITY_PRESERVATION_INDICATED: 'Fertility preservation indicated',
  CISPLATIN_OTOTOXICITY_MONITORING: 'Cisplatin hearing monitoring',
  ANTHRACYCLINE_CARDIAC_MONITORING: 'Anthracycline cardiac monitoring',
  IFOSFAMIDE_NEPHROTOXICITY_RISK: 'Ifosfamide kidney toxicity risk',
  WHOLE_LUNG_RT: 'Whole-lung radiation',
  PELVIC_RT_GONADAL_AND_BLADDER_LATE_EFFECTS: 'Pelvic radiation: gonadal and bladder late effects',
  OSTEOSARCOMA_RESPONSE_DISAGREEMENT_90: 'Osteosarcoma response: sources disagree at 90%',
  WLI_DOSE_PROTOCOL_DEPENDENT: 'Whole-lung dose depends on protocol',
  ENNEKING_CAVEAT_EWING: 'Enneking staging caveat for Ewing',
  RMS_DNA_MUTATION_REGIMEN_UNVERIFIED: 'RMS mutation-based regimen unverified',
};

export function flagLabel(flag: string): string {
  return (FLAG_LABELS as Record<string, string>)[flag] ?? humanize(flag);
}

/** Fields and outputs whose generic wording would mislead or read badly; the rest go through `codeLabel`. */
const FIELD_WORDS: Record<string, string> = {
  'bone.compartment': 'bone compartment (intra- or extracompartmental)',
  'bone.radiographicBehavior': 'radiographic behaviour (latent, active or aggressive)',
  metastases: 'metastatic work-up (sites, or none)',
  regionalNodes: 'regional lymph nodes',
  sizeCm: 'tumour size',
  histologicResponse: 'histologic response to chemotherapy',
  'surgery.status': 'surgery (biopsy only, resected)',
  'surgery.margin': 'surgical margin',
  'exposures.radiation': 'radiation received or planned',
  'exposures.agents': 'chemotherapy agents and doses',
  'exposures.ageAtTreatmentMonths': 'age at treatment',
  'localControl.selected': 'selected local control',
  birthDate: 'date of birth',
  treatmentTemplate: 'treatment template',
  plannedCumulativeMgM2: 'planned cumulative doses (mg/m²)',
  cedMgM2: 'cyclophosphamide equivalent dose (mg/m²)',
  doxorubicinEquivalentMgM2: 'doxorubicin equivalent (mg/m²)',
  icd10cm: 'ICD-10-CM code',
};

const ACRONYMS = new Set([
  'ajcc', 'nrsts', 'sts', 'rms', 'ced', 'icd', 'cm', 'rt', 'mri', 'ct', 'pet', 'hn', 'gu', 'os', 'wli', 'ltfu', 'mtd',
  'foxo1', 'ewsr1', 'myod1', 'tp53', 'anc', 'alt', 'gfr', 'uln', 'ecog',
]);
/** Names of people and systems: capitalized, not upper case. */
const NAMES = new Set(['enneking', 'huvos', 'oberlin', 'lansky', 'karnofsky', 'euramos', 'ewing']);

/**
 * A case-facts field or an assessment output in words: "bone.compartment" → "bone compartment (intra- or
 * extracompartmental)", "nrsts.arst0332RiskGroup" → "NRSTS ARST0332 risk group", "ajcc.T" → "AJCC T".
 */
export function codeLabel(path: string): string {
  if (FIELD_WORDS[path]) return FIELD_WORDS[path];
  const words = path
    .replace(/\[(\d+)\]/g, (_, n: string) => ` ${Number(n) + 1} `)
    .replace(/MgM2/g, ' mg/m² ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([0-9])([A-Z])/g, '$1 $2')
    .split(/[._\s]+/)
    .filter(Boolean);
  // In a mixed-case code an upper-case word is a designator as written (group III, arm D, IIA); a code written all
  // in capitals (a flag) has none.
  const mixed = path !== path.toUpperCase();
  return words
    .map((w) => {
      const l = w.toLowerCase();
      if (mixed && /^[A-Z0-9]+$/.test(w)) return w;
      if (/^arst\d+$/.test(l) || /^[tnmr]\d$/.test(l) || ACRONYMS.has(l)) return w.toUpperCase();
      if (NAMES.has(l)) return l.charAt(0).toUpperCase() + l.slice(1);
      return w === 'mg/m²' ? w : l;
    })
    .join(' ');
}

/** The AJCC 8th edition chapter the engine chose (src/domain/staging ajcc schemes). */
const AJCC_SCHEMES: Record<string, string> = {
  'AJCC8-bone-appendicular': 'bone, appendicular skeleton',
  'AJCC8-bone-pelvis': 'bone, pelvis',
  'AJCC8-bone-spine': 'bone, spine',
  'AJCC8-sts-trunk-extremity': 'soft tissue sarcoma, trunk and extremities',
};

export function ajccSchemeLabel(scheme: string | null | undefined): string {
  if (!scheme) return 'scheme unknown';
  return AJCC_SCHEMES[scheme] ?? scheme.replace(/^AJCC8-/, '').replace(/-/g, ' ');
}
