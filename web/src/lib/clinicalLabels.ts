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

export { codeLabel } from '../../../src/domain/facts/labels.js';

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
