import type { CaseFacts, MetastaticSite } from '../facts/case-facts.js';
import type { EwingMetCategory } from '../facts/assessment.js';
import { lookupMorphology } from '../coding/morphology.js';
import type { Derived } from '../rules/derive.js';
import { decide, markUnverified, type RuleRow } from './rule-table.js';

/** Ewing sarcoma metastatic category (R-EWS-CAT, rules.md §1.5). */

export interface EwingResult {
  metastaticCategory: EwingMetCategory | null;
}

type Sites = readonly MetastaticSite[];
const LUNG_PLEURA: Sites = ['lung', 'pleura'];
const list = (s: Sites): string => [...new Set(s)].join(', ');

/**
 * R-EWS-CAT: bone/marrow (with or without lung, the worst group) before lung/pleura only before other sites.
 * An empty list is localized disease.
 */
export const ewingCategoryTable = [
  { value: 'localized', when: (s) => s.length === 0, why: 'no distant metastasis' },
  { value: 'metastatic_bone_or_marrow', when: (s) => s.includes('bone') || s.includes('bone_marrow'), why: (s) => `metastases: ${list(s)} (bone and/or marrow involved)` },
  { value: 'metastatic_lung_pleura_only', when: (s) => s.every((m) => LUNG_PLEURA.includes(m)), why: (s) => `metastases: ${list(s)} (lung/pleura only)` },
  { value: 'metastatic_other', when: (s) => s.length > 0, why: (s) => `metastases: ${list(s)} (beyond lung/pleura, no bone/marrow)` },
] as const satisfies readonly RuleRow<Sites, EwingMetCategory>[];

/** Ewing metastatic category (R-EWS-CAT). `value` is null when the morphology is not in the Ewing family. */
export function assessEwing(f: CaseFacts): Derived<EwingResult> {
  const morph = lookupMorphology(f.morphology);
  if (morph?.family !== 'ewing') return { value: null, explanations: [], missing: [] };
  const out = 'ewing.metastaticCategory';
  const cat: Derived<EwingMetCategory> = f.metastases === undefined
    ? { value: null, explanations: [], missing: [{ field: 'metastases', needed_for: out }] }
    : markUnverified(decide(ewingCategoryTable, f.metastases, ['R-EWS-CAT'], out, () => []), morph.unverified === true);
  return { value: { metastaticCategory: cat.value }, explanations: cat.explanations, missing: cat.missing };
}
