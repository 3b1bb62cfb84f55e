import type { CaseFacts, SiteCategory } from '../facts/case-facts.js';
import type { RmsResult } from '../facts/assessment.js';
import { lookupMorphology, type MorphologyEntry } from '../coding/morphology.js';
import { derived, type Derived } from '../rules/derive.js';

/**
 * Rhabdomyosarcoma primary site (R-RMS-SITE, R-RMS-PM; rules.md §1.4.1, §3.4, §3.5) and histology
 * (R-RMS-RISK-HIST): the facts the other RMS rules are built on.
 */

/** R-RMS-SITE staging site class. */
export type RmsSite = NonNullable<RmsResult['siteCategory']>;
/** R-RMS-STAGE stage 1–4. */
export type RmsStage = NonNullable<RmsResult['stage']>;
/** R-RMS-GROUP IRS clinical group. */
export type RmsGroup = NonNullable<RmsResult['clinicalGroup']>;
/** COG risk group (R-RMS-RISK-HIST, R-RMS-RISK-FUSION). */
export type RmsRisk = NonNullable<RmsResult['cogRiskHistologyBased']>;
/** RMS histology from the morphology table (R-CODE-MORPH). */
export type RmsHistology = NonNullable<MorphologyEntry['rmsHistology']>;

/** [D] Biliary tract (rules.md §1.4.1, §6 item 7). */
export const BILIARY_DISAGREEMENT =
  'PDQ 2014 and current COG documents count the biliary tract as favorable; Holland-Frei (2000) lists it as '
  + 'unfavorable. Platform rule: favorable.';

/** [D] Orbit / non-parameningeal head and neck with intracranial extension or bone erosion (rules.md §1.4.1). */
export const HN_INTRACRANIAL_DISAGREEMENT =
  'IRS reports advise managing non-parameningeal head and neck tumours with intracranial extension by '
  + 'parameningeal guidelines. Platform rule: the staging site is unchanged; manage as parameningeal '
  + '(MENINGEAL_IMPINGEMENT_EARLY_RT).';

interface SiteRow {
  readonly value: RmsSite;
  readonly why: string;
  readonly disagreement?: string;
}

/**
 * R-RMS-SITE: favorable = orbit, non-parameningeal head and neck, genitourinary other than bladder/prostate
 * (paratesticular, gynecologic), biliary tract; everything else is unfavorable. Bone categories are unfavorable
 * ("other" sites) for RMS.
 */
export const rmsSiteTable = {
  hn_orbit: { value: 'favorable', why: 'orbit (including eyelid)' },
  hn_nonparameningeal: { value: 'favorable', why: 'head and neck, not parameningeal' },
  gu_paratesticular: { value: 'favorable', why: 'genitourinary, paratesticular (not bladder/prostate)' },
  gu_gynecologic: { value: 'favorable', why: 'genitourinary, vagina/vulva/uterus/cervix (not bladder/prostate)' },
  biliary: { value: 'favorable', why: 'biliary tract', disagreement: BILIARY_DISAGREEMENT },
  hn_parameningeal: { value: 'unfavorable', why: 'parameningeal head and neck' },
  gu_bladder_prostate: { value: 'unfavorable', why: 'bladder/prostate' },
  soft_tissue_extremity: { value: 'unfavorable', why: 'extremity' },
  bone_extremity: { value: 'unfavorable', why: 'extremity (bone)' },
  soft_tissue_trunk: { value: 'unfavorable', why: 'trunk' },
  retroperitoneum_abdomen: { value: 'unfavorable', why: 'retroperitoneum/abdomen' },
  perineum: { value: 'unfavorable', why: 'perineum/perianal' },
  bone_pelvis: { value: 'unfavorable', why: 'pelvis (bone)' },
  bone_spine: { value: 'unfavorable', why: 'spine/paraspinal (bone)' },
  bone_chest_wall: { value: 'unfavorable', why: 'chest wall (bone)' },
  bone_skull_face: { value: 'unfavorable', why: 'skull/facial bone ("other" site category)' },
  other: { value: 'unfavorable', why: '"other" site' },
} as const satisfies Record<SiteCategory, SiteRow>;

/** Favorable or unfavorable RMS staging site (R-RMS-SITE). Site category is always known. */
export function rmsSiteClass(site: SiteCategory): RmsSite {
  return rmsSiteTable[site].value;
}

/** R-RMS-SITE with its reason; biliary carries the [D] note. */
export function assessRmsSite(f: Pick<CaseFacts, 'siteCategory' | 'headNeck'>): Derived<RmsSite> {
  const row: SiteRow = rmsSiteTable[f.siteCategory];
  const extra = row.disagreement !== undefined ? { disagreement: row.disagreement }
    : hasMeningealImpingement(f) && (isOrbit(f) || f.siteCategory === 'hn_nonparameningeal')
      ? { disagreement: HN_INTRACRANIAL_DISAGREEMENT } : {};
  return derived(row.value, 'rms.siteCategory', ['R-RMS-SITE'], `${row.why} → ${row.value}`, extra);
}

type SiteFacts = Pick<CaseFacts, 'siteCategory'>;

/** Parameningeal primary (R-RMS-PM; flag `PARAMENINGEAL`). */
export const isParameningeal = (f: SiteFacts): boolean => f.siteCategory === 'hn_parameningeal';
/** Orbit/eyelid primary (flag `ORBIT`; orbit group III is low risk in R-RMS-RISK-FUSION). */
export const isOrbit = (f: SiteFacts): boolean => f.siteCategory === 'hn_orbit';
/** Any head and neck RMS site category. */
export const isHeadNeck = (f: SiteFacts): boolean => f.siteCategory.startsWith('hn_');
/** Paratesticular primary (flag `PARATESTICULAR_RPLND_REQUIRED` at ≥10 y, rules.md §3.5). */
export const isParatesticular = (f: SiteFacts): boolean => f.siteCategory === 'gu_paratesticular';
/** Bladder/prostate primary (flag `BLADDER_PROSTATE_ORGAN_PRESERVATION`). */
export const isBladderProstate = (f: SiteFacts): boolean => f.siteCategory === 'gu_bladder_prostate';
/** Gynecologic primary (flag `GYNECOLOGIC_SITE`). */
export const isGynecologic = (f: SiteFacts): boolean => f.siteCategory === 'gu_gynecologic';
/** Biliary primary (flag `BILIARY`). */
export const isBiliary = (f: SiteFacts): boolean => f.siteCategory === 'biliary';
/** Extremity primary, soft tissue or bone (flag `EXTREMITY_RMS_REGIONAL_NODE_EVALUATION`). */
export const isExtremity = (f: SiteFacts): boolean =>
  f.siteCategory === 'soft_tissue_extremity' || f.siteCategory === 'bone_extremity';

/**
 * Head and neck tumour with intracranial extension, skull-base erosion or cranial nerve palsy (rules.md §3.4,
 * flag `MENINGEAL_IMPINGEMENT_EARLY_RT`): managed by parameningeal guidelines; the staging site is unchanged.
 */
export function hasMeningealImpingement(f: Pick<CaseFacts, 'siteCategory' | 'headNeck'>): boolean {
  const h = f.headNeck;
  return isHeadNeck(f)
    && (h?.intracranialExtension === true || h?.skullBaseErosion === true || h?.cranialNervePalsy === true);
}

/**
 * Paratesticular RMS at ≥10 years (`ageMonths >= 120`, R-GEN-AGE): COG requires ipsilateral retroperitoneal
 * node sampling before the clinical group is assigned (rules.md §3.5).
 */
export function requiresRplnd(f: Pick<CaseFacts, 'siteCategory' | 'ageMonths'>): boolean {
  return isParatesticular(f) && f.ageMonths >= 120;
}

/** The RMS histology recorded for the morphology code (undefined when the code is not an RMS). */
export function rmsHistology(f: Pick<CaseFacts, 'morphology'>): RmsHistology | undefined {
  return lookupMorphology(f.morphology)?.rmsHistology;
}

/**
 * The histology axis of the classic COG risk (R-RMS-RISK-HIST): embryonal includes botryoid and spindle cell /
 * sclerosing; alveolar. NOS and mixed-type codes do not say which (undefined); pleomorphic is not covered.
 */
export function classicHistology(h: RmsHistology | undefined): 'embryonal' | 'alveolar' | undefined {
  if (h === 'embryonal' || h === 'spindle') return 'embryonal';
  if (h === 'alveolar') return 'alveolar';
  return undefined;
}
