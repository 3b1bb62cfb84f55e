import type { CaseFacts, MetastaticSite } from '../facts/case-facts.js';
import type { OsteosarcomaResult } from '../facts/assessment.js';
import { lookupMorphology } from '../coding/morphology.js';
import { missing, notApplicable, provenance, type Derived } from '../rules/derive.js';
import { decide, type RuleRow } from './rule-table.js';

/**
 * Osteosarcoma (rules.md §1.6): metastatic category (R-OS-CAT) and histologic response to neoadjuvant
 * chemotherapy (R-OS-RESP, Huvos grade; R-OS-RESP-90 for the 90% boundary).
 */

type OsCategory = NonNullable<OsteosarcomaResult['metastaticCategory']>;
type Huvos = NonNullable<OsteosarcomaResult['huvosGrade']>;
type Response = NonNullable<OsteosarcomaResult['responseByNecrosis90']>;

/** [D] Exactly 90% necrosis (rules.md §1.6, §6 item 11). */
export const RESPONSE_90_DISAGREEMENT =
  'At exactly 90% necrosis (10% viable) the Huvos-based rule says good (grade III, ≥90% necrosis) but EURAMOS-1 '
  + 'says poor (≥10% viable). Platform rule R-OS-RESP-90: both are reported.';

type Sites = readonly MetastaticSite[];
const list = (s: Sites): string => [...new Set(s)].join(', ');
/** Percent viable tumour, without floating-point noise (100 − 99.9 = 0.1). */
const viable = (n: number): number => Math.round((100 - n) * 1000) / 1000;
const pleuraOnlyBeyondLung = (s: Sites): boolean => s.includes('pleura') && s.every((m) => m === 'lung' || m === 'pleura');

/**
 * R-OS-CAT: lung only vs extrapulmonary (bone or other, with or without lung), as AJCC M1a/M1b. Pleura is not
 * lung (AJCC M1a is lung only): a pleural-only spread beyond the lung is extrapulmonary and marked [K].
 */
export const osCategoryTable = [
  { value: 'localized', when: (s) => s.length === 0, why: 'no distant metastasis' },
  { value: 'metastatic_lung_only', when: (s) => s.every((m) => m === 'lung'), why: 'metastases: lung only (AJCC M1a)' },
  {
    value: 'metastatic_extrapulmonary', when: pleuraOnlyBeyondLung, unverified: true,
    why: (s) => `metastases: ${list(s)}; pleura counted as extrapulmonary (AJCC M1a is lung only)`,
  },
  { value: 'metastatic_extrapulmonary', when: (s) => s.length > 0, why: (s) => `metastases: ${list(s)} (beyond the lung)` },
] as const satisfies readonly RuleRow<Sites, OsCategory>[];

/** Huvos grade by percent necrosis (R-OS-RESP). */
export const huvosTable = [
  { value: 'IV', when: (n) => n >= 100, why: (n) => `${n}% necrosis (no viable tumour)` },
  { value: 'III', when: (n) => n >= 90, why: (n) => `${n}% necrosis (90–99%, scattered viable foci)` },
  { value: 'II', when: (n) => n >= 50, why: (n) => `${n}% necrosis (50–89%)` },
  { value: 'I', when: (n) => n < 50, why: (n) => `${n}% necrosis (<50%, little or no effect)` },
] as const satisfies readonly RuleRow<number, Huvos>[];

/** Huvos-based response: good = ≥90% necrosis (R-OS-RESP). */
export const necrosis90Table = [
  { value: 'good', when: (n) => n >= 90, why: (n) => `${n}% necrosis ≥ 90%`, disagreement: (n) => (n === 90 ? RESPONSE_90_DISAGREEMENT : undefined) },
  { value: 'poor', when: (n) => n < 90, why: (n) => `${n}% necrosis < 90%` },
] as const satisfies readonly RuleRow<number, Response>[];

/** EURAMOS-1 response: good = <10% viable tumour, i.e. necrosis > 90% (R-OS-RESP, R-OS-RESP-90). */
export const euramosTable = [
  { value: 'good', when: (n) => n > 90, why: (n) => `${viable(n)}% viable < 10%` },
  { value: 'poor', when: (n) => n <= 90, why: (n) => `${viable(n)}% viable ≥ 10%`, disagreement: (n) => (n === 90 ? RESPONSE_90_DISAGREEMENT : undefined) },
] as const satisfies readonly RuleRow<number, Response>[];

/** Metastatic category (R-OS-CAT); null with `metastases` missing when the list is absent. */
export function osMetastaticCategory(f: CaseFacts): Derived<OsCategory> {
  const out = 'osteosarcoma.metastaticCategory';
  if (f.metastases === undefined) return missing('metastases', out);
  return decide(osCategoryTable, f.metastases, ['R-OS-CAT'], out, () => []);
}

/**
 * Histologic response (R-OS-RESP, R-OS-RESP-90). Without `histologicResponse.necrosisPercent` all three are null
 * and `histologicResponse` is reported missing for `osteosarcoma.huvosGrade`; for low-grade (parosteal,
 * low-grade central) tumours, treated by resection alone [K], it is not asked for.
 */
export function osResponse(f: CaseFacts): { huvos: Derived<Huvos>; necrosis90: Derived<Response>; euramos: Derived<Response> } {
  const n = f.histologicResponse?.necrosisPercent;
  if (n === undefined) {
    const lowGrade = lookupMorphology(f.morphology)?.osSubtype === 'low_grade';
    const none = { value: null, explanations: [], missing: [] };
    if (lowGrade) {
      const huvos = notApplicable<Huvos>('osteosarcoma.huvosGrade', ['R-OS-RESP'], 'low-grade osteosarcoma: resection alone, no neoadjuvant response expected');
      return { huvos: { ...huvos, explanations: huvos.explanations.map((e) => ({ ...e, unverified: true })) }, necrosis90: none, euramos: none };
    }
    return { huvos: missing('histologicResponse', 'osteosarcoma.huvosGrade'), necrosis90: none, euramos: none };
  }
  const rules90 = n === 90 ? ['R-OS-RESP', 'R-OS-RESP-90'] : ['R-OS-RESP'];
  return {
    huvos: decide(huvosTable, n, ['R-OS-RESP'], 'osteosarcoma.huvosGrade', () => []),
    necrosis90: decide(necrosis90Table, n, rules90, 'osteosarcoma.responseByNecrosis90', () => []),
    euramos: decide(euramosTable, n, rules90, 'osteosarcoma.euramosResponse', () => []),
  };
}

/** Osteosarcoma outputs (R-OS-CAT, R-OS-RESP, R-OS-RESP-90); `value` null when the morphology is not osteosarcoma. */
export function assessOsteosarcoma(f: CaseFacts): Derived<OsteosarcomaResult> {
  if (lookupMorphology(f.morphology)?.family !== 'osteosarcoma') return { value: null, explanations: [], missing: [] };
  const cat = osMetastaticCategory(f);
  const r = osResponse(f);
  return {
    value: {
      metastaticCategory: cat.value,
      huvosGrade: r.huvos.value,
      responseByNecrosis90: r.necrosis90.value,
      euramosResponse: r.euramos.value,
    },
    ...provenance(cat, r.huvos, r.necrosis90, r.euramos),
  };
}
