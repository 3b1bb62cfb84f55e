import type { CaseFacts } from '../facts/case-facts.js';
import { derived, missing, type Derived, type TRule } from '../rules/derive.js';
import { blocked, fmt, isGonadNearSite } from './context.js';
import { asPlannedExposure, isAlkylator, type PlannedExposure } from './exposure.js';

/**
 * Fertility preservation (R-FERT, rules.md §3.3): when it is indicated, and which options fit the child's sex and
 * pubertal status. Every patient and family is counselled before gonadotoxic therapy; the options are what the
 * team offers when the trigger holds.
 */

/** Option names (rules.md §3.3), in the order they are listed. */
export const FERTILITY_OPTIONS = [
  'sperm_cryopreservation', 'testicular_tissue_cryopreservation', 'oocyte_cryopreservation',
  'embryo_cryopreservation', 'ovarian_tissue_cryopreservation', 'ovarian_transposition', 'gonadal_shielding',
] as const;
export type FertilityOption = (typeof FERTILITY_OPTIONS)[number];

/** The plan as given to the fertility rules: a planned CED (mg/m²), a totals record, or a template's planned exposure. */
export type GonadotoxicPlan = number | Readonly<Record<string, number>> | PlannedExposure;

interface Status { sex: CaseFacts['sex']; puberty: NonNullable<CaseFacts['pubertalStatus']> }

/**
 * R-FERT options by sex and pubertal status. "Pubertal" (in puberty) is a platform decision: offer the mature-gamete
 * option if spermarche/menarche has occurred and tissue cryopreservation otherwise; the team confirms by Tanner
 * stage. Embryo cryopreservation is listed only for post-pubertal females (it needs partner or donor sperm).
 */
export const fertilityOptionRules = [
  { value: ['sperm_cryopreservation'], when: (s: Status) => s.sex === 'male' && s.puberty === 'postpubertal', why: 'post-pubertal male: sperm cryopreservation (standard)' },
  { value: ['sperm_cryopreservation', 'testicular_tissue_cryopreservation'], when: (s: Status) => s.sex === 'male' && s.puberty === 'pubertal', why: 'pubertal male: sperm cryopreservation if spermarche has occurred, otherwise testicular tissue cryopreservation (experimental, under a protocol); platform decision, confirm by Tanner stage' },
  { value: ['testicular_tissue_cryopreservation'], when: (s: Status) => s.sex === 'male' && s.puberty === 'prepubertal', why: 'pre-pubertal male: immature testicular tissue cryopreservation (experimental, under a protocol)' },
  { value: ['oocyte_cryopreservation', 'embryo_cryopreservation', 'ovarian_tissue_cryopreservation'], when: (s: Status) => s.sex === 'female' && s.puberty === 'postpubertal', why: 'post-pubertal female: oocyte/embryo cryopreservation (about 2 weeks of stimulation) or ovarian tissue cryopreservation' },
  { value: ['oocyte_cryopreservation', 'ovarian_tissue_cryopreservation'], when: (s: Status) => s.sex === 'female' && s.puberty === 'pubertal', why: 'pubertal female: oocyte cryopreservation if post-menarche and stimulation is feasible, otherwise ovarian tissue cryopreservation; platform decision, confirm by Tanner stage' },
  { value: ['ovarian_tissue_cryopreservation'], when: (s: Status) => s.sex === 'female' && s.puberty === 'prepubertal', why: 'pre-pubertal female: ovarian tissue cryopreservation (the only option)' },
] as const satisfies readonly TRule<Status, readonly FertilityOption[]>[];

/** Options added when pelvic/gonadal RT is planned (R-FERT). */
export const pelvicRtOptions = {
  female: ['ovarian_transposition', 'gonadal_shielding'],
  male: ['gonadal_shielding'],
} as const satisfies Record<CaseFacts['sex'], readonly FertilityOption[]>;

/** Planned RT to a primary whose field has the gonads in or near it (R-FERT). */
function plannedGonadalRt(f: CaseFacts, plannedPrimaryRtGy: number | null | undefined): boolean {
  return plannedPrimaryRtGy !== null && plannedPrimaryRtGy !== undefined && plannedPrimaryRtGy > 0 && isGonadNearSite(f);
}

/**
 * Is fertility preservation indicated (R-FERT)? Yes when the plan has an alkylator (planned CED > 0), cisplatin, or
 * RT with the gonads in or near the field (planned RT to a pelvic/genitourinary/perineal/retroperitoneal primary,
 * or a received course with the gonads in the field or a pelvic field). Null when the plan is unknown and nothing
 * else triggers it.
 */
export function fertilityIndication(
  f: CaseFacts, plan: GonadotoxicPlan | null, plannedPrimaryRtGy?: number | null, output = 'flags.FERTILITY_PRESERVATION_INDICATED',
): Derived<boolean> {
  const reasons: string[] = [];
  if (typeof plan === 'number') {
    if (plan > 0) reasons.push(`planned CED ${fmt(plan)} mg/m² > 0`);
  } else if (plan !== null) {
    const p = asPlannedExposure(plan);
    const alkylators = p.agents.filter((a) => isAlkylator(a));
    if (alkylators.length > 0) reasons.push(`planned alkylator (${alkylators.join(', ')}): CED > 0`);
    if (p.agents.includes('cisplatin')) reasons.push('cisplatin planned');
  }
  if (plannedGonadalRt(f, plannedPrimaryRtGy)) reasons.push(`planned RT ${fmt(plannedPrimaryRtGy ?? 0)} Gy with the gonads in or near the field (${f.siteCategory})`);
  const received = f.exposures?.radiation?.filter((c) => c.gonadsInField === true || c.field === 'pelvis') ?? [];
  if (received.length > 0) reasons.push(`RT received with the gonads in or near the field (${received.map((c) => c.field).join(', ')})`);
  if (reasons.length > 0) return derived(true, output, ['R-FERT'], reasons.join('; '));
  if (plan === null) return blocked('plannedCumulativeMgM2', output, ['R-FERT'], 'planned therapy unknown → fertility indication unknown');
  return derived(false, output, ['R-FERT'], 'no planned alkylator, cisplatin or gonadal RT');
}

/**
 * Fertility preservation options (R-FERT) when indicated, by sex and pubertal status, plus ovarian transposition and
 * gonadal shielding when RT with the gonads near the field is planned. Empty when not indicated; missing
 * `pubertalStatus` when it is needed. Output `fertilityOptions`, in FERTILITY_OPTIONS order.
 */
export function fertilityOptions(f: CaseFacts, plan: GonadotoxicPlan | null, plannedPrimaryRtGy?: number | null): Derived<FertilityOption[]> {
  const OUT = 'fertilityOptions';
  const ind = fertilityIndication(f, plan, plannedPrimaryRtGy, OUT);
  if (ind.value === null) return { value: null, explanations: ind.explanations, missing: ind.missing };
  if (!ind.value) return derived([], OUT, ['R-FERT'], 'not indicated: no planned alkylator, cisplatin or gonadal RT → no options (counselling still applies)');
  if (f.pubertalStatus === undefined) {
    const m = missing<FertilityOption[]>('pubertalStatus', OUT);
    return { ...m, explanations: ind.explanations };
  }
  const s: Status = { sex: f.sex, puberty: f.pubertalStatus };
  const row = fertilityOptionRules.find((r) => r.when(s));
  const chosen = new Set<FertilityOption>(row?.value ?? []);
  const why = [row?.why ?? 'no option row'];
  if (plannedGonadalRt(f, plannedPrimaryRtGy)) {
    for (const o of pelvicRtOptions[f.sex]) chosen.add(o);
    why.push(f.sex === 'female' ? 'RT near the gonads planned: ovarian transposition (oophoropexy) and gonadal shielding' : 'RT near the gonads planned: gonadal shielding');
  } else if (isGonadNearSite(f) && (plannedPrimaryRtGy === null || plannedPrimaryRtGy === undefined)) {
    why.push(`RT dose to this ${f.siteCategory} primary not yet set: if RT is planned, add ${f.sex === 'female' ? 'ovarian transposition and gonadal shielding' : 'gonadal shielding'}`);
  }
  const value = FERTILITY_OPTIONS.filter((o) => chosen.has(o));
  const indication = ind.explanations[0]?.text ?? '';
  return derived(value, OUT, ['R-FERT'], `indicated (${indication}); ${why.join('; ')} → ${value.join(', ')}`);
}
