import type { CaseFacts, SiteCategory } from '../facts/case-facts.js';
import { derived, missing, notApplicable, type Derived, type Explanation } from '../rules/derive.js';
import { distinctMetastaticSites, hasMetastasisAt, isMetastatic } from './disease-extent.js';

/**
 * Oberlin risk factors for metastatic RMS (R-RMS-OBERLIN, rules.md §1.4.4): unfavorable age, unfavorable site
 * (extremity or "other"), ≥3 metastatic sites, bone or bone-marrow involvement. 0–1 factors vs ≥2.
 */

export type OberlinCategory = '0-1' | '>=2';

/** [D] Oberlin age cut-off (rules.md §1.4.4, §6 item 10). */
export const OBERLIN_AGE_DISAGREEMENT =
  'Weigel (ARST0431) writes "age >10 years or <1 year"; other sources use ≥10 years. Platform rule: the age '
  + 'factor is ageMonths < 12 or > 120; at exactly 120 months it is not asserted.';

/** [D] Oberlin site definition (rules.md §1.4.4, §6 item 10). */
export const OBERLIN_SITE_DISAGREEMENT =
  'Oberlin\'s unfavorable site (extremity and "other") differs from the IRS staging split: parameningeal and '
  + 'bladder/prostate are unfavorable for staging but not counted by Oberlin. Platform rule: count extremity '
  + 'or "other" sites; prefer the banded oberlinCategory.';

interface OberlinSiteRow { readonly adverse: boolean; readonly why: string }

/**
 * Oberlin unfavorable site: extremity or "other" (trunk, chest/abdominal wall, retroperitoneum, perineum/perianal,
 * pelvis, intrathoracic). Paraspinal/vertebral counts as trunk; skull/facial bone as head and neck (not counted).
 */
export const oberlinSiteTable = {
  soft_tissue_extremity: { adverse: true, why: 'extremity' },
  bone_extremity: { adverse: true, why: 'extremity' },
  soft_tissue_trunk: { adverse: true, why: 'trunk ("other")' },
  bone_chest_wall: { adverse: true, why: 'chest wall ("other")' },
  bone_spine: { adverse: true, why: 'paraspinal/trunk ("other")' },
  bone_pelvis: { adverse: true, why: 'pelvis ("other")' },
  retroperitoneum_abdomen: { adverse: true, why: 'retroperitoneum/abdomen ("other")' },
  perineum: { adverse: true, why: 'perineum/perianal ("other")' },
  other: { adverse: true, why: '"other" site' },
  hn_orbit: { adverse: false, why: 'orbit' },
  hn_nonparameningeal: { adverse: false, why: 'non-parameningeal head and neck' },
  hn_parameningeal: { adverse: false, why: 'parameningeal (not an Oberlin unfavorable site)' },
  bone_skull_face: { adverse: false, why: 'skull/facial bone (head and neck)' },
  gu_paratesticular: { adverse: false, why: 'paratesticular' },
  gu_gynecologic: { adverse: false, why: 'gynecologic' },
  gu_bladder_prostate: { adverse: false, why: 'bladder/prostate (not an Oberlin unfavorable site)' },
  biliary: { adverse: false, why: 'biliary' },
} as const satisfies Record<SiteCategory, OberlinSiteRow>;

/** What R-RMS-OBERLIN reads. */
export interface OberlinFacts {
  ageMonths: number;
  siteCategory: SiteCategory;
  /** `metastaticSiteCount` as given (the number of metastatic sites may exceed the site types listed). */
  metastaticSiteCount?: number | undefined;
  /** Distinct metastatic site types listed in `metastases`: a lower bound on the number of sites. */
  listedSites: number;
  boneOrMarrow: boolean;
}

/** One Oberlin factor: present, absent, or undecided (with the fact that would decide it, if any). */
export interface OberlinFactor {
  readonly factor: string;
  readonly present: (v: OberlinFacts) => boolean | undefined;
  readonly why: (v: OberlinFacts) => string;
  /** The case-facts path that decides an undecided factor; none for the [D] age boundary. */
  readonly needs?: string;
}

const siteCount = (v: OberlinFacts): boolean | undefined => {
  if (v.listedSites >= 3 || (v.metastaticSiteCount ?? 0) >= 3) return true;
  return v.metastaticSiteCount === undefined ? undefined : false;
};

/** The four Oberlin factors (R-RMS-OBERLIN); age uses R-GEN-AGE with the [D] 120-month boundary. */
export const oberlinFactorTable = [
  {
    factor: 'age',
    present: (v) => (v.ageMonths === 120 ? undefined : v.ageMonths < 12 || v.ageMonths > 120),
    why: (v) => (v.ageMonths === 120 ? 'age exactly 120 mo (10 y): not asserted'
      : `age ${v.ageMonths} mo ${v.ageMonths < 12 ? '< 12' : v.ageMonths > 120 ? '> 120' : 'within 12–120'}`),
  },
  { factor: 'site', present: (v) => oberlinSiteTable[v.siteCategory].adverse, why: (v) => oberlinSiteTable[v.siteCategory].why },
  {
    factor: 'metastatic sites', present: siteCount, needs: 'metastaticSiteCount',
    why: (v) => (siteCount(v) === undefined ? `${v.listedSites} site type(s) listed, number of sites not given`
      : `${Math.max(v.listedSites, v.metastaticSiteCount ?? 0)} metastatic site(s)`),
  },
  { factor: 'bone/marrow', present: (v) => v.boneOrMarrow, why: (v) => (v.boneOrMarrow ? 'bone or marrow involved' : 'no bone or marrow') },
] as const satisfies readonly OberlinFactor[];

/** The Oberlin facts of a case (R-RMS-OBERLIN). */
export function oberlinFacts(f: CaseFacts): OberlinFacts {
  return {
    ageMonths: f.ageMonths,
    siteCategory: f.siteCategory,
    metastaticSiteCount: f.metastaticSiteCount,
    listedSites: distinctMetastaticSites(f).length,
    boneOrMarrow: hasMetastasisAt(f, 'bone', 'bone_marrow'),
  };
}

/** The factors present, how many are undecided, the facts that would decide them, and the reason line. */
export function countOberlin(v: OberlinFacts): { known: number; undecided: number; needs: string[]; text: string } {
  let known = 0;
  let undecided = 0;
  const needs: string[] = [];
  const parts: string[] = [];
  for (const row of oberlinFactorTable as readonly OberlinFactor[]) {
    const p = row.present(v);
    if (p === true) known++;
    if (p === undefined) {
      undecided++;
      if (row.needs !== undefined) needs.push(row.needs);
    }
    parts.push(`${row.why(v)} (${p === undefined ? '?' : p ? 1 : 0})`);
  }
  return { known, undecided, needs, text: parts.join('; ') };
}

/** A fresh array per explanation: a shared module array in the output could be changed by any consumer. */
const rules = (): string[] => ['R-RMS-OBERLIN', 'R-GEN-AGE'];

/**
 * Oberlin factor count and band (R-RMS-OBERLIN), metastatic RMS only. At exactly 120 months the age factor is
 * not asserted ([D]); without `metastaticSiteCount` the ≥3-sites factor is undecided unless three site types are
 * listed. The count needs every factor; the band is given when the decided factors settle it (≥2 already, or at
 * most 1 even if every undecided factor were present).
 */
export function rmsOberlin(f: CaseFacts): { count: Derived<number>; category: Derived<OberlinCategory> } {
  const m = isMetastatic(f);
  if (m === undefined) return { count: missing('metastases', 'rms.oberlinFactorCount'), category: missing('metastases', 'rms.oberlinCategory') };
  if (!m) {
    const why = 'non-metastatic: Oberlin factors apply to metastatic RMS only';
    return { count: notApplicable('rms.oberlinFactorCount', rules(), why), category: notApplicable('rms.oberlinCategory', rules(), why) };
  }
  const v = oberlinFacts(f);
  const { known, undecided, needs, text } = countOberlin(v);
  const extra: Partial<Explanation> = {};
  const notes = [
    ...(v.ageMonths === 120 ? [OBERLIN_AGE_DISAGREEMENT] : []),
    ...(f.siteCategory === 'hn_parameningeal' || f.siteCategory === 'gu_bladder_prostate' ? [OBERLIN_SITE_DISAGREEMENT] : []),
  ];
  if (notes.length > 0) extra.disagreement = notes.join(' ');
  const countOut = 'rms.oberlinFactorCount';
  const count: Derived<number> = undecided === 0
    ? derived(known, countOut, rules(), `${text} → ${known}`, extra)
    : { value: null, explanations: [{ output: countOut, rules: rules(), text: `${text} → not asserted`, ...extra }], missing: needs.map((field) => ({ field, needed_for: countOut })) };
  const band: OberlinCategory | null = known >= 2 ? '>=2' : known + undecided <= 1 ? '0-1' : null;
  const catOut = 'rms.oberlinCategory';
  const category: Derived<OberlinCategory> = {
    value: band,
    explanations: [{
      output: catOut, rules: rules(), ...extra,
      text: `${known} factor(s) present${undecided > 0 ? `, ${undecided} undecided` : ''} → ${band ?? 'not assigned (0–1 vs ≥2 depends on the undecided factors)'}`,
    }],
    missing: band === null ? needs.map((field) => ({ field, needed_for: catOut })) : [],
  };
  return { count, category };
}
