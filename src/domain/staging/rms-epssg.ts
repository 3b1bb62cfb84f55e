import type { CaseFacts } from '../facts/case-facts.js';
import { notApplicable, type Derived } from '../rules/derive.js';
import { isMetastatic, resection, resectionNeeds } from './disease-extent.js';
import { decide, markUnverified, type RuleRow } from './rule-table.js';
import { classicHistology, rmsHistology, rmsSiteClass } from './rms-site.js';

/**
 * EpSSG RMS 2005 high risk (R-RMS-EPSSG-HR, rules.md §1.4.5), non-metastatic RMS only: incompletely resected
 * embryonal RMS at an unfavorable site with unfavorable age (≥10 y) and/or size (>5 cm); any RMS with nodal
 * involvement; alveolar RMS without nodal involvement.
 */

/** What R-RMS-EPSSG-HR reads. */
export interface EpssgFacts {
  metastatic: boolean | undefined;
  hist: 'embryonal' | 'alveolar' | undefined;
  /** Regional nodal involvement, clinical (N1) or pathological (sampled nodes positive). */
  nodesInvolved: boolean | undefined;
  /** Incompletely resected: IRS group II–III, i.e. R1, R2 or biopsy only. */
  incomplete: boolean | undefined;
  favorableSite: boolean;
  ageMonths: number;
  sizeCm?: number | undefined;
  nodesNeeds: readonly string[];
  resectionNeeds: readonly string[];
}

/**
 * Regional nodal involvement for EpSSG, clinical or pathological: involved when the clinical N category is N1 or
 * sampled nodes are positive; not involved when the known evidence is negative (N0 and/or negative sampled nodes)
 * and none is positive. A positive finding is never overruled, so adding a fact cannot undo a high-risk answer.
 */
export function epssgNodes(f: CaseFacts): { involved: boolean | undefined; needs: string[] } {
  const p = f.surgery?.nodesPositive;
  if (f.regionalNodes === 'N1' || p === true) return { involved: true, needs: [] };
  if (f.regionalNodes === 'N0' || p === false) return { involved: false, needs: [] };
  return { involved: undefined, needs: f.regionalNodes === 'NX' ? ['surgery.nodesPositive'] : ['regionalNodes'] };
}

const m0 = (v: EpssgFacts): boolean => v.metastatic === false;
const oldOrBig = (v: EpssgFacts): boolean => v.ageMonths >= 120 || (v.sizeCm !== undefined && v.sizeCm > 5);
const youngAndSmall = (v: EpssgFacts): boolean => v.ageMonths < 120 && v.sizeCm !== undefined && v.sizeCm <= 5;

const embryonalN0 = (v: EpssgFacts): boolean => m0(v) && v.hist === 'embryonal' && v.nodesInvolved === false;

/** R-RMS-EPSSG-HR table. */
export const epssgHighRiskTable = [
  { value: true, when: (v) => m0(v) && v.hist === 'alveolar', why: 'non-metastatic alveolar RMS (with or without nodal involvement)' },
  { value: true, when: (v) => m0(v) && v.nodesInvolved === true, why: 'non-metastatic RMS with regional nodal involvement' },
  {
    value: true, when: (v) => m0(v) && v.hist === 'embryonal' && v.incomplete === true && !v.favorableSite && oldOrBig(v),
    rules: ['R-GEN-AGE', 'R-GEN-SIZE'],
    why: (v) => `embryonal, incompletely resected, unfavorable site, ${v.ageMonths >= 120 ? `age ${v.ageMonths} mo ≥ 120` : `${v.sizeCm} cm > 5 cm`}`,
  },
  { value: false, when: (v) => embryonalN0(v) && v.incomplete === false, why: 'embryonal, node-negative, completely resected (R0)' },
  { value: false, when: (v) => embryonalN0(v) && v.favorableSite, why: 'embryonal, node-negative, favorable site' },
  {
    value: false, when: (v) => embryonalN0(v) && youngAndSmall(v), rules: ['R-GEN-AGE', 'R-GEN-SIZE'],
    why: (v) => `embryonal, node-negative, age ${v.ageMonths} mo < 120 and ${v.sizeCm} cm ≤ 5 cm`,
  },
] as const satisfies readonly RuleRow<EpssgFacts, boolean>[];

/** Facts that could still decide R-RMS-EPSSG-HR when no row does. */
export function epssgNeeds(v: EpssgFacts): string[] {
  const needs: string[] = [];
  if (v.metastatic === undefined) needs.push('metastases');
  if (v.hist === undefined) needs.push('morphology');
  if (v.nodesInvolved === undefined) needs.push(...v.nodesNeeds);
  if (!v.favorableSite) {
    if (v.incomplete === undefined) needs.push(...v.resectionNeeds);
    if (v.ageMonths < 120 && v.sizeCm === undefined) needs.push('sizeCm');
  }
  return needs;
}

/** The EpSSG facts of a case (R-RMS-EPSSG-HR). */
export function epssgFacts(f: CaseFacts): EpssgFacts {
  const r = resection(f);
  const nodes = epssgNodes(f);
  return {
    metastatic: isMetastatic(f),
    hist: classicHistology(rmsHistology(f)),
    nodesInvolved: nodes.involved,
    incomplete: r === undefined ? undefined : r !== 'R0',
    favorableSite: rmsSiteClass(f.siteCategory) === 'favorable',
    ageMonths: f.ageMonths,
    sizeCm: f.sizeCm,
    nodesNeeds: nodes.needs,
    resectionNeeds: resectionNeeds(f),
  };
}

/** EpSSG high risk (R-RMS-EPSSG-HR): true/false for non-metastatic RMS; null (not applicable) when metastatic. */
export function epssgHighRisk(f: CaseFacts, morphologyUnverified = false): Derived<boolean> {
  const out = 'rms.epssgHighRisk';
  const rules = ['R-RMS-EPSSG-HR'];
  if (rmsHistology(f) === 'pleomorphic') return notApplicable(out, rules, 'pleomorphic RMS is not covered by the EpSSG risk grouping');
  const m = isMetastatic(f);
  if (m === true) return notApplicable(out, rules, 'metastatic: the EpSSG high-risk definition covers non-metastatic RMS only');
  return markUnverified(decide(epssgHighRiskTable, epssgFacts(f), rules, out, epssgNeeds), morphologyUnverified);
}
