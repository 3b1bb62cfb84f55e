import type { CaseFacts } from '../facts/case-facts.js';
import type { Derived } from '../rules/derive.js';
import { isMetastatic } from './disease-extent.js';
import { decide, type RuleRow } from './rule-table.js';
import { BILIARY_DISAGREEMENT, rmsSiteClass, rmsSiteTable, type RmsSite, type RmsStage } from './rms-site.js';

/**
 * IRS/COG pretreatment stage (R-RMS-STAGE, rules.md §1.4.1): site, size (a ≤5 cm, b >5 cm, R-GEN-SIZE),
 * clinical regional nodes and distant metastasis. T (invasiveness) does not change the stage; nor does the
 * extent of resection.
 */

/** What R-RMS-STAGE reads. */
export interface RmsStageFacts {
  site: RmsSite;
  /** Site label for the reason line. */
  siteLabel: string;
  metastatic: boolean | undefined;
  sizeCm?: number | undefined;
  regionalNodes?: 'N0' | 'N1' | 'NX' | undefined;
  biliary?: boolean;
}

const unfavorableM0 = (f: RmsStageFacts): boolean => f.metastatic === false && f.site === 'unfavorable';
const sizeA = (f: RmsStageFacts): boolean => f.sizeCm !== undefined && f.sizeCm <= 5;
const sizeB = (f: RmsStageFacts): boolean => f.sizeCm !== undefined && f.sizeCm > 5;

/** R-RMS-STAGE table, most decisive row first. NX counts with N0 for stage 2, as in the source table. */
export const rmsStageTable = [
  { value: 4, when: (f) => f.metastatic === true, why: 'distant metastasis (M1), any site, size or nodes' },
  {
    value: 1, when: (f) => f.metastatic === false && f.site === 'favorable',
    why: (f) => `favorable site: ${f.siteLabel}; M0; size and nodes do not change the stage`,
    disagreement: (f) => (f.biliary === true ? BILIARY_DISAGREEMENT : undefined),
  },
  {
    value: 3, when: (f) => unfavorableM0(f) && sizeB(f), rules: ['R-GEN-SIZE'],
    why: (f) => `unfavorable site: ${f.siteLabel}; ${f.sizeCm} cm > 5 cm (b), M0, any N`,
  },
  {
    value: 3, when: (f) => unfavorableM0(f) && f.regionalNodes === 'N1',
    why: (f) => `unfavorable site: ${f.siteLabel}; regional nodes N1, M0, any size`,
  },
  {
    value: 2, when: (f) => unfavorableM0(f) && sizeA(f) && (f.regionalNodes === 'N0' || f.regionalNodes === 'NX'),
    rules: ['R-GEN-SIZE'],
    why: (f) => `unfavorable site: ${f.siteLabel}; ${f.sizeCm} cm ≤ 5 cm (a), ${f.regionalNodes}, M0`,
  },
] as const satisfies readonly RuleRow<RmsStageFacts, RmsStage>[];

/** The facts that could still decide the stage when no row does. */
export function rmsStageNeeds(f: RmsStageFacts): string[] {
  const needs: string[] = [];
  if (f.metastatic === undefined) needs.push('metastases');
  if (f.site === 'unfavorable') {
    if (f.sizeCm === undefined && f.regionalNodes !== 'N1') needs.push('sizeCm');
    if (f.regionalNodes === undefined && !sizeB(f)) needs.push('regionalNodes');
  }
  return needs;
}

/** The stage facts of a case. */
export function rmsStageFacts(f: CaseFacts): RmsStageFacts {
  return {
    site: rmsSiteClass(f.siteCategory),
    siteLabel: rmsSiteTable[f.siteCategory].why,
    metastatic: isMetastatic(f),
    sizeCm: f.sizeCm,
    regionalNodes: f.regionalNodes,
    biliary: f.siteCategory === 'biliary',
  };
}

/**
 * IRS/COG pretreatment stage 1–4 (R-RMS-STAGE). Size and nodes are asked for only where they change the answer:
 * a favorable-site M0 tumour is stage 1 whatever its size; an unfavorable-site tumour >5 cm or N1 is stage 3.
 */
export function rmsStage(f: CaseFacts): Derived<RmsStage> {
  return decide(rmsStageTable, rmsStageFacts(f), ['R-RMS-STAGE', 'R-RMS-SITE'], 'rms.stage', rmsStageNeeds);
}
