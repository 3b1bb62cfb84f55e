import type { CaseFacts, SiteCategory } from '../facts/case-facts.js';
import { DISCIPLINES, type Discipline } from '../registry/types.js';
import type { Derived, Explanation, MissingFact } from '../rules/derive.js';
import { familyOf, hasLungMetastases, isExtremitySite, type StagingContext } from '../plan/context.js';

/**
 * Who should see the case: site-specific consultant disciplines (R-DISC, rules.md §3.9) and the standing
 * conference groups required before discussion (R-CONF, §3.9b). Both are platform mappings, kept as data.
 */

/** R-DISC: additional site-specific disciplines by site category, in the table's order. */
export const SITE_SPECIFIC_DISCIPLINES = {
  bone_extremity: ['orthopedic_oncology', 'rehabilitation'],
  bone_pelvis: ['orthopedic_oncology', 'rehabilitation'],
  bone_spine: ['neurosurgery_spine', 'orthopedic_oncology', 'rehabilitation'],
  bone_chest_wall: ['thoracic_surgery'],
  bone_skull_face: ['otolaryngology_head_neck', 'neurosurgery', 'plastic_reconstructive_surgery'],
  other: [],
  soft_tissue_extremity: ['orthopedic_or_surgical_oncology', 'plastic_reconstructive_surgery', 'rehabilitation'],
  soft_tissue_trunk: ['pediatric_surgical_oncology'],
  retroperitoneum_abdomen: ['pediatric_surgical_oncology'],
  hn_orbit: ['ophthalmology'],
  hn_parameningeal: ['otolaryngology_head_neck', 'neurosurgery', 'audiology', 'dentistry', 'endocrinology'],
  hn_nonparameningeal: ['otolaryngology_head_neck', 'plastic_reconstructive_surgery', 'dentistry'],
  gu_paratesticular: ['pediatric_urology'],
  gu_bladder_prostate: ['pediatric_urology'],
  gu_gynecologic: ['pediatric_gynecology'],
  perineum: ['pediatric_surgery_colorectal'],
  biliary: ['hepatobiliary_surgery', 'gastroenterology'],
} as const satisfies Record<SiteCategory, readonly string[]>;

/** Facts an add-on reads. */
interface AddOnInput { f: CaseFacts; ctx: StagingContext }

/** An add-on row: the discipline, when it applies (undefined = unknown), why, and the facts it needs. */
interface AddOnRule {
  readonly discipline: string;
  readonly when: (x: AddOnInput) => boolean | undefined;
  readonly why: string;
  /** Case-facts paths whose absence leaves `when` undefined. */
  readonly needs: readonly string[];
}

/** R-DISC add-ons, in the order rules.md lists them. */
export const SITE_SPECIFIC_ADD_ONS = [
  {
    discipline: 'thoracic_surgery',
    when: ({ f }) => (familyOf(f) !== 'osteosarcoma' ? false : hasLungMetastases(f)),
    why: 'osteosarcoma with lung metastases: lung metastasectomy',
    needs: ['metastases'],
  },
  {
    discipline: 'pediatric_surgery',
    when: ({ f }) => familyOf(f) === 'rhabdomyosarcoma' && f.siteCategory === 'gu_paratesticular' && f.ageMonths >= 120,
    why: 'paratesticular RMS at ≥10 y: retroperitoneal lymph-node dissection (RPLND)',
    needs: [],
  },
  {
    discipline: 'pediatric_surgery',
    when: ({ f }) => familyOf(f) === 'rhabdomyosarcoma' && isExtremitySite(f),
    why: 'extremity RMS: sentinel lymph-node biopsy / regional node evaluation',
    needs: [],
  },
] as const satisfies readonly AddOnRule[];

/**
 * Site-specific consultant disciplines (R-DISC): the site-category row of the table, then the add-ons
 * (thoracic surgery for osteosarcoma lung metastasectomy; pediatric surgery for paratesticular RPLND at ≥10 y and
 * extremity RMS node evaluation). Stable order, no duplicates. Output `siteSpecificDisciplines`.
 */
export function siteSpecificDisciplines(f: CaseFacts, ctx: StagingContext): Derived<string[]> {
  const OUT = 'siteSpecificDisciplines';
  const base: readonly string[] = SITE_SPECIFIC_DISCIPLINES[f.siteCategory];
  const list = [...base];
  const explanations: Explanation[] = [{
    output: OUT, rules: ['R-DISC'],
    text: base.length > 0 ? `site ${f.siteCategory} → ${base.join(', ')}` : `site ${f.siteCategory}: no site-specific discipline by default (the conference adds consultants by hand)`,
  }];
  const miss: MissingFact[] = [];
  for (const row of SITE_SPECIFIC_ADD_ONS) {
    const hit = row.when({ f, ctx });
    if (hit === undefined) {
      for (const field of row.needs) miss.push({ field, needed_for: `${OUT}.${row.discipline}` });
      continue;
    }
    if (!hit) continue;
    if (!list.includes(row.discipline)) list.push(row.discipline);
    explanations.push({ output: OUT, rules: ['R-DISC'], text: `${row.why} → ${row.discipline}` });
  }
  return { value: list, explanations, missing: miss };
}

const HN: readonly SiteCategory[] = ['hn_orbit', 'hn_nonparameningeal', 'hn_parameningeal'];
const GU_PERINEUM_BILIARY_TRUNK: readonly SiteCategory[] = [
  'bone_chest_wall', 'soft_tissue_trunk', 'retroperitoneum_abdomen', 'gu_paratesticular', 'gu_bladder_prostate',
  'gu_gynecologic', 'perineum', 'biliary',
];

/** Head and neck facts that bring neurosurgery to a parameningeal case. */
const PM_EXTENSION = ['intracranialExtension', 'skullBaseErosion', 'cranialNervePalsy'] as const;

/** An R-CONF row: groups added when the condition holds (undefined = unknown for lack of the named facts). */
interface ConferenceRule {
  readonly add: readonly Discipline[];
  readonly when: (f: CaseFacts) => boolean | undefined;
  readonly why: string | ((f: CaseFacts) => string);
  readonly needs?: (f: CaseFacts) => string[];
}

/** R-CONF (rules.md §3.9b), in the table's order. */
export const CONFERENCE_RULES = [
  { add: ['pediatric_oncology', 'pathology', 'radiology', 'radiation_oncology'], when: () => true, why: 'every case' },
  { add: ['medical_oncology'], when: (f) => f.ageMonths >= 180, why: (f) => `age ${f.ageMonths} months ≥180 (adolescent and young adult)` },
  { add: ['orthopedic_oncology'], when: (f) => ['bone_extremity', 'bone_pelvis', 'soft_tissue_extremity'].includes(f.siteCategory), why: (f) => `site ${f.siteCategory}` },
  { add: ['orthopedic_oncology', 'neurosurgery'], when: (f) => f.siteCategory === 'bone_spine', why: 'site bone_spine' },
  { add: ['pediatric_surgery'], when: (f) => GU_PERINEUM_BILIARY_TRUNK.includes(f.siteCategory), why: (f) => `site ${f.siteCategory}` },
  { add: ['otolaryngology'], when: (f) => HN.includes(f.siteCategory), why: (f) => `head and neck site ${f.siteCategory}` },
  {
    add: ['neurosurgery'],
    when: (f) => {
      if (f.siteCategory !== 'hn_parameningeal') return false;
      const hn = f.headNeck ?? {};
      if (PM_EXTENSION.some((k) => hn[k] === true)) return true;
      return PM_EXTENSION.every((k) => hn[k] === false) ? false : undefined;
    },
    why: (f) => `parameningeal with ${PM_EXTENSION.filter((k) => f.headNeck?.[k] === true).join(', ')}`,
    needs: (f) => PM_EXTENSION.filter((k) => f.headNeck?.[k] === undefined).map((k) => `headNeck.${k}`),
  },
  { add: ['neurosurgery'], when: (f) => f.bone?.spinalCanalInvasion === true, why: 'spinal canal extension (paraspinal/spine tumour)' },
  { add: ['otolaryngology', 'neurosurgery'], when: (f) => f.siteCategory === 'bone_skull_face', why: 'site bone_skull_face' },
] as const satisfies readonly ConferenceRule[];

/**
 * Standing conference groups required before a case is discussed (R-CONF): every case gets pediatric oncology,
 * pathology, radiology and radiation oncology; age ≥180 months adds medical oncology; sites add orthopedic
 * oncology, pediatric surgery, otolaryngology or neurosurgery. Ordered as the nine standing groups
 * (`DISCIPLINES`). Output `conferenceDisciplines`.
 */
export function conferenceDisciplines(f: CaseFacts): Derived<string[]> {
  const OUT = 'conferenceDisciplines';
  const chosen = new Set<Discipline>();
  const explanations: Explanation[] = [];
  const miss: MissingFact[] = [];
  for (const row of CONFERENCE_RULES as readonly ConferenceRule[]) {
    const hit = row.when(f);
    if (hit === undefined) {
      for (const field of row.needs?.(f) ?? []) miss.push({ field, needed_for: `${OUT}.${row.add.join('+')}` });
      continue;
    }
    if (!hit) continue;
    for (const d of row.add) chosen.add(d);
    const why = typeof row.why === 'function' ? row.why(f) : row.why;
    explanations.push({ output: OUT, rules: ['R-CONF'], text: `${why} → ${row.add.join(', ')}` });
  }
  return { value: DISCIPLINES.filter((d) => chosen.has(d)), explanations, missing: miss };
}
