import type { CaseFacts } from '../facts/case-facts.js';
import type { TumorFamily } from '../coding/morphology.js';
import type { Derived, Explanation, MissingFact, TRule } from '../rules/derive.js';
import {
  familyOf, fmt, hasLungMetastases, isExtremitySite, isHeadNeckSite, isMalignant, type StagingContext,
} from './context.js';
import {
  asPlannedExposure, isAnthracycline, normalizeAgent, normalizeAgents, radiationPlan, type PlannedExposure,
} from './exposure.js';
import { fertilityIndication } from './fertility.js';
import { isPelvicCourse } from './late-effects.js';

/**
 * Age, site and exposure flags (R-FLAGS, rules.md §3.10) plus the platform's own flags. Each flag is a typed table
 * row with its trigger, rule IDs and reason; RMS-only flags fire only for the rhabdomyosarcoma family.
 */

/** The stable core vocabulary (R-FLAGS). */
export const CORE_FLAGS = [
  'INFANT_LT_12MO', 'RT_INDIVIDUALIZE_LT_24MO', 'AGE_GE_10Y', 'PARATESTICULAR_RPLND_REQUIRED',
  'EXTREMITY_RMS_REGIONAL_NODE_EVALUATION', 'PARAMENINGEAL', 'MENINGEAL_IMPINGEMENT_EARLY_RT', 'ORBIT',
  'BLADDER_PROSTATE_ORGAN_PRESERVATION', 'GYNECOLOGIC_SITE', 'BILIARY', 'SPINE_CORD_RISK', 'PELVIC_SITE',
  'GROWTH_REMAINING_LIMB_SALVAGE_OPTIONS', 'FERTILITY_PRESERVATION_INDICATED', 'CISPLATIN_OTOTOXICITY_MONITORING',
  'ANTHRACYCLINE_CARDIAC_MONITORING', 'IFOSFAMIDE_NEPHROTOXICITY_RISK', 'WHOLE_LUNG_RT',
  'PELVIC_RT_GONADAL_AND_BLADDER_LATE_EFFECTS',
] as const;

/** Platform flags beyond R-FLAGS ("an implementation may emit further flags of its own"). */
export const PLATFORM_FLAGS = [
  'OSTEOSARCOMA_RESPONSE_DISAGREEMENT_90', 'WLI_DOSE_PROTOCOL_DEPENDENT', 'ENNEKING_CAVEAT_EWING',
  'RMS_DNA_MUTATION_REGIMEN_UNVERIFIED',
] as const;

export type FlagName = (typeof CORE_FLAGS)[number] | (typeof PLATFORM_FLAGS)[number];

/** What the flag rows read. */
export interface FlagInput {
  readonly f: CaseFacts;
  readonly ctx: StagingContext;
  readonly family: TumorFamily | undefined;
  readonly planned: PlannedExposure | null;
  /** Received cumulative doses (exposures.agents, normalized keys). */
  readonly received: Readonly<Record<string, number>>;
  /** Agents received at any dose: exposures.agents plus priorTherapy agent names. */
  readonly receivedAgents: ReadonlySet<string>;
  readonly fertility: boolean | null;
  /** The R-FERT reason (which trigger held). */
  readonly fertilityWhy: string;
}

/** A flag row: the flag, its trigger, why, the rule IDs, and (optionally) the facts whose absence leaves it unknown. */
export interface FlagRule extends TRule<FlagInput, FlagName> {
  readonly rules: readonly string[];
  /** Fields missing when the trigger could not be decided (checked only when `when` is false). */
  readonly unknown?: (x: FlagInput) => string[];
  readonly unverified?: boolean;
  readonly disagreement?: string;
}

const rms = (x: FlagInput) => x.family === 'rhabdomyosarcoma';
const topo = (x: FlagInput, ...prefixes: string[]) => prefixes.some((p) => x.f.topography.startsWith(p));
const plannedHas = (x: FlagInput, test: (a: string) => boolean) => x.planned?.agents.some(test) ?? false;
const receivedHas = (x: FlagInput, test: (a: string) => boolean) => [...x.receivedAgents].some(test);
/** Unknown when the plan is unknown (and nothing received settles it). */
const planUnknown = (x: FlagInput) => (x.planned === null ? ['plannedCumulativeMgM2'] : []);

const PM_SIGNS = ['intracranialExtension', 'skullBaseErosion', 'cranialNervePalsy'] as const;
const pmSigns = (x: FlagInput) => PM_SIGNS.filter((k) => x.f.headNeck?.[k] === true);
const orbitErosion = (x: FlagInput) => x.f.siteCategory === 'hn_orbit' && x.f.headNeck?.boneErosion === true;

const ifosfamide = (x: FlagInput) => Math.max(x.planned?.totalsMgM2.ifosfamide ?? 0, x.received.ifosfamide ?? 0);

/** R-FLAGS (rules.md §3.10) and platform flags, in output order. */
export const FLAG_RULES = [
  { value: 'INFANT_LT_12MO', when: (x) => x.f.ageMonths < 12, why: (x) => `age ${fmt(x.f.ageMonths)} months <12`, rules: ['R-AGE-INFANT', 'R-FLAGS'] },
  { value: 'RT_INDIVIDUALIZE_LT_24MO', when: (x) => rms(x) && x.f.ageMonths < 24, why: (x) => `RMS, age ${fmt(x.f.ageMonths)} months <24: individualized local control`, rules: ['R-AGE-RT24', 'R-FLAGS'] },
  { value: 'AGE_GE_10Y', when: (x) => rms(x) && x.f.ageMonths >= 120, why: (x) => `RMS, age ${fmt(x.f.ageMonths)} months ≥120`, rules: ['R-GEN-AGE', 'R-FLAGS'] },
  {
    value: 'PARATESTICULAR_RPLND_REQUIRED', when: (x) => rms(x) && x.f.siteCategory === 'gu_paratesticular' && x.f.ageMonths >= 120,
    why: (x) => `paratesticular RMS, age ${fmt(x.f.ageMonths)} months ≥120: RPLND before assigning the clinical group`, rules: ['R-FLAGS'],
    disagreement: 'COG requires RPLND at ≥10 y; European groups relied more on imaging. Platform: COG rule.',
  },
  { value: 'EXTREMITY_RMS_REGIONAL_NODE_EVALUATION', when: (x) => rms(x) && isExtremitySite(x.f), why: 'extremity RMS: sentinel node biopsy or sampling', rules: ['R-FLAGS'], unverified: true },
  { value: 'PARAMENINGEAL', when: (x) => rms(x) && x.f.siteCategory === 'hn_parameningeal', why: 'RMS at a parameningeal site', rules: ['R-RMS-PM', 'R-FLAGS'] },
  {
    value: 'MENINGEAL_IMPINGEMENT_EARLY_RT', when: (x) => rms(x) && isHeadNeckSite(x.f) && (pmSigns(x).length > 0 || orbitErosion(x)),
    why: (x) => `head and neck RMS with ${[...pmSigns(x), ...(orbitErosion(x) ? ['orbital bone erosion (managed as PM [D])'] : [])].join(', ')}: immediate RT`,
    rules: ['R-RMS-PM', 'R-RMS-SITE', 'R-FLAGS'],
    unknown: (x) => (rms(x) && isHeadNeckSite(x.f) ? PM_SIGNS.filter((k) => x.f.headNeck?.[k] === undefined).map((k) => `headNeck.${k}`) : []),
  },
  { value: 'ORBIT', when: (x) => rms(x) && (x.f.siteCategory === 'hn_orbit' || x.f.topography === 'C69.6'), why: 'RMS of the orbit/eyelid', rules: ['R-RMS-SITE', 'R-FLAGS'] },
  { value: 'BLADDER_PROSTATE_ORGAN_PRESERVATION', when: (x) => x.f.siteCategory === 'gu_bladder_prostate' || topo(x, 'C67', 'C61'), why: 'bladder or prostate primary', rules: ['R-FLAGS'] },
  { value: 'GYNECOLOGIC_SITE', when: (x) => x.f.siteCategory === 'gu_gynecologic' || topo(x, 'C51', 'C52', 'C53', 'C55'), why: 'vagina, vulva, uterus or cervix primary', rules: ['R-FLAGS'] },
  { value: 'BILIARY', when: (x) => x.f.siteCategory === 'biliary' || topo(x, 'C24.0', 'C22.1'), why: 'biliary tract primary', rules: ['R-FLAGS'] },
  {
    value: 'SPINE_CORD_RISK',
    when: (x) => x.f.siteCategory === 'bone_spine' || topo(x, 'C41.2') || x.f.bone?.spinalCanalInvasion === true || /paraspinal/i.test(x.f.primarySite ?? ''),
    why: (x) => (x.f.bone?.spinalCanalInvasion === true ? 'spinal canal extension' : 'vertebral/paraspinal primary'), rules: ['R-FLAGS'],
  },
  { value: 'PELVIC_SITE', when: (x) => x.f.topography === 'C41.4' || x.f.topography === 'C49.5', why: (x) => `pelvic primary (${x.f.topography})`, rules: ['R-FLAGS'] },
  {
    value: 'GROWTH_REMAINING_LIMB_SALVAGE_OPTIONS',
    when: (x) => isMalignant(x.f) && x.f.topography === 'C40.2' && x.f.ageMonths < (x.f.sex === 'female' ? 168 : 192),
    why: (x) => `malignant lower-limb long-bone primary, ${x.f.sex} aged ${fmt(x.f.ageMonths)} months <${x.f.sex === 'female' ? 168 : 192} (platform heuristic for remaining growth, not a guideline)`,
    rules: ['R-LOC-GROWTH', 'R-FLAGS'],
  },
  {
    value: 'FERTILITY_PRESERVATION_INDICATED', when: (x) => x.fertility === true, why: (x) => x.fertilityWhy,
    rules: ['R-FERT', 'R-FLAGS'], unknown: (x) => (x.fertility === null ? ['plannedCumulativeMgM2'] : []),
  },
  {
    value: 'CISPLATIN_OTOTOXICITY_MONITORING', when: (x) => plannedHas(x, (a) => a === 'cisplatin') || receivedHas(x, (a) => a === 'cisplatin'),
    why: (x) => (plannedHas(x, (a) => a === 'cisplatin') ? 'cisplatin planned' : 'cisplatin received'), rules: ['R-LE-OTO', 'R-FLAGS'], unknown: planUnknown,
  },
  {
    value: 'ANTHRACYCLINE_CARDIAC_MONITORING', when: (x) => plannedHas(x, isAnthracycline) || receivedHas(x, isAnthracycline),
    why: (x) => (plannedHas(x, isAnthracycline) ? 'anthracycline planned' : 'anthracycline received'), rules: ['R-LE-ANTHRA', 'R-FLAGS'], unknown: planUnknown,
  },
  {
    value: 'IFOSFAMIDE_NEPHROTOXICITY_RISK', when: (x) => ifosfamide(x) >= 60000,
    why: (x) => `cumulative ifosfamide ${fmt(ifosfamide(x))} mg/m² ≥60 g/m² (planned or received, the larger)`, rules: ['R-LE-IFO', 'R-FLAGS'], unverified: true,
    unknown: (x) => (x.planned === null || x.planned.incomplete.includes('ifosfamide') ? ['plannedCumulativeMgM2'] : []),
  },
  {
    value: 'WHOLE_LUNG_RT', when: (x) => (rms(x) || x.family === 'ewing') && hasLungMetastases(x.f) === true,
    why: (x) => `${x.family === 'ewing' ? 'Ewing sarcoma' : 'RMS'} with lung metastases: whole-lung RT`, rules: ['R-RMS-RT', 'R-EWS-LC', 'R-FLAGS'],
    unknown: (x) => ((rms(x) || x.family === 'ewing') && x.f.metastases === undefined ? ['metastases'] : []),
  },
  {
    value: 'PELVIC_RT_GONADAL_AND_BLADDER_LATE_EFFECTS', when: (x) => x.f.exposures?.radiation?.some(isPelvicCourse) === true,
    why: 'pelvic RT received: ovarian/testicular, uterine and bladder late-effects surveillance', rules: ['R-LE-RT', 'R-FLAGS'],
  },
  {
    value: 'OSTEOSARCOMA_RESPONSE_DISAGREEMENT_90',
    when: (x) => x.ctx.osteosarcoma?.responseByNecrosis90 === 'good' && x.ctx.osteosarcoma.euramosResponse === 'poor',
    why: 'exactly 90% necrosis: good by Huvos (≥90%), poor by EURAMOS (≥10% viable)', rules: ['R-OS-RESP-90'],
    disagreement: 'Huvos grade III (90–99% necrosis) = good responder; EURAMOS-1 poor = ≥10% viable. Both reported.',
  },
  {
    value: 'WLI_DOSE_PROTOCOL_DEPENDENT',
    when: (x) => x.family === 'ewing' && hasLungMetastases(x.f) === true && x.f.ageMonths >= 72 && x.f.ageMonths < 168,
    why: (x) => `Ewing lung metastases at ${fmt(x.f.ageMonths)} months (6–14 y): whole-lung dose 12 or 15 Gy by protocol`, rules: ['R-EWS-LC'],
    disagreement: 'WLI 12 Gy threshold <6 y (COG RMS, PDQ) vs <14 y (some Ewing protocols [K]).', unverified: true,
  },
  {
    value: 'ENNEKING_CAVEAT_EWING', when: (x) => x.family === 'ewing' && (x.ctx.enneking?.stage ?? null) !== null,
    why: 'Enneking stage computed for Ewing sarcoma treated as G2; the system is meant for mesenchymal sarcomas', rules: ['R-ENN-EWS'],
    disagreement: 'Medeponyms: not for Ewing sarcoma; many series stage it anyway. Platform: compute with a caveat.',
  },
  {
    value: 'RMS_DNA_MUTATION_REGIMEN_UNVERIFIED', when: (x) => rms(x) && x.ctx.rms?.arst2032Category === 'DNA_MUTATION',
    why: 'FN RMS with MYOD1 or TP53 mutation: ARST2032 intensified "DNA mutation" arm, regimen not verified', rules: ['R-RMS-ARST2032'], unverified: true,
  },
] as const satisfies readonly FlagRule[];

function receivedAgents(f: CaseFacts): { doses: Record<string, number>; names: Set<string> } {
  const doses = normalizeAgents(f.exposures?.agents ?? {});
  const names = new Set(Object.keys(doses).filter((a) => (doses[a] ?? 0) > 0));
  for (const t of f.priorTherapy ?? []) for (const a of t.agents ?? []) names.add(normalizeAgent(a));
  return { doses, names };
}

/**
 * Flags for a case (R-FLAGS and platform flags), from the facts, the staging context and the planned therapy
 * (`planned`: a template's planned exposure, or a bare totals record; null when unknown). Each raised flag has an
 * explanation on output `flags`; a flag that cannot be decided names its missing fact (`flags.<FLAG>`).
 */
export function flags(
  f: CaseFacts, ctx: StagingContext, planned: Readonly<Record<string, number>> | PlannedExposure | null,
  /** The planned primary RT dose when the caller already has `radiationPlan(f, ctx)` (saves recomputing it). */
  plannedPrimaryRtGy?: number | null,
): Derived<string[]> {
  const p = planned === null ? null : asPlannedExposure(planned);
  const rt = plannedPrimaryRtGy !== undefined ? plannedPrimaryRtGy : radiationPlan(f, ctx).value?.primaryGy ?? null;
  const { doses, names } = receivedAgents(f);
  const fert = fertilityIndication(f, p, rt);
  const x: FlagInput = {
    f, ctx, family: familyOf(f), planned: p, received: doses, receivedAgents: names,
    fertility: fert.value, fertilityWhy: fert.explanations[0]?.text ?? '',
  };
  const value: string[] = [];
  const explanations: Explanation[] = [];
  const miss: MissingFact[] = [];
  for (const row of FLAG_RULES as readonly FlagRule[]) {
    if (row.when(x)) {
      value.push(row.value);
      const why = typeof row.why === 'function' ? row.why(x) : row.why;
      explanations.push({
        output: 'flags', rules: [...row.rules], text: `${row.value}: ${why}`,
        ...(row.unverified ? { unverified: true } : {}), ...(row.disagreement ? { disagreement: row.disagreement } : {}),
      });
    } else {
      for (const field of row.unknown?.(x) ?? []) miss.push({ field, needed_for: `flags.${row.value}` });
    }
  }
  return { value, explanations, missing: miss };
}
