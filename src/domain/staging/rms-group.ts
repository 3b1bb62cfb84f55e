import type { CaseFacts } from '../facts/case-facts.js';
import type { Derived } from '../rules/derive.js';
import { describeResection, isMetastatic, resection, resectionNeeds, type Resection } from './disease-extent.js';
import { decide, type RuleRow } from './rule-table.js';
import { requiresRplnd, type RmsGroup } from './rms-site.js';

/**
 * IRS clinical group (R-RMS-GROUP, rules.md §1.4.2): assigned after the initial operation, before chemotherapy,
 * from distant metastasis, the resection margin and the regional nodes.
 */

/**
 * Regional nodes for grouping: pathology when nodes were sampled; otherwise the clinical N category.
 * `positive_unresected` = clinically involved (N1) nodes that were not sampled, i.e. left in place.
 */
export type GroupNodes = 'negative' | 'positive_resected' | 'positive_unresected';

/** What R-RMS-GROUP reads. */
export interface RmsGroupFacts {
  metastatic: boolean | undefined;
  resection: Resection | undefined;
  nodes: GroupNodes | undefined;
  /** Reason fragment for the node status. */
  nodesWhy: string;
  mostDistalNodePositive?: boolean | undefined;
  /** Facts that would decide `resection` and `nodes` when they are unknown. */
  resectionNeeds: readonly string[];
  nodesNeeds: readonly string[];
}

interface NodeStatus { nodes: GroupNodes | undefined; why: string; needs: string[] }

/**
 * Node status for grouping. Sampled-node pathology wins over the clinical N category. Paratesticular RMS at
 * ≥10 y needs the retroperitoneal sampling before grouping (rules.md §3.5), so clinical N0 is not enough there.
 */
export function groupNodeStatus(f: CaseFacts): NodeStatus {
  const s = f.surgery;
  if (s?.nodesPositive === true) return { nodes: 'positive_resected', why: 'resected regional nodes involved', needs: [] };
  if (s?.nodesPositive === false) return { nodes: 'negative', why: 'resected regional nodes not involved', needs: [] };
  if (requiresRplnd(f)) {
    return { nodes: undefined, why: 'paratesticular, ≥10 y: retroperitoneal node sampling required before grouping', needs: ['surgery.nodesPositive'] };
  }
  switch (f.regionalNodes) {
    case 'N0': return { nodes: 'negative', why: 'regional nodes clinically uninvolved (N0)', needs: [] };
    case 'N1':
      return s?.nodesSampled === false
        ? { nodes: 'positive_unresected', why: 'clinically involved regional nodes (N1) not sampled or resected', needs: [] }
        : { nodes: undefined, why: 'N1', needs: ['surgery.nodesPositive'] };
    case 'NX': return { nodes: undefined, why: 'NX', needs: ['surgery.nodesPositive'] };
    default: return { nodes: undefined, why: 'nodes unknown', needs: ['regionalNodes', 'surgery.nodesPositive'] };
  }
}

const m0 = (f: RmsGroupFacts): boolean => f.metastatic === false;
const grossTotal = (f: RmsGroupFacts): boolean => f.resection === 'R0' || f.resection === 'R1';
const resected = (f: RmsGroupFacts): string => describeResection(f.resection ?? 'unresected');

/** R-RMS-GROUP table, most decisive row first. */
export const rmsGroupTable = [
  { value: 'IV', when: (f) => f.metastatic === true, why: 'distant metastasis at diagnosis' },
  { value: 'III', when: (f) => m0(f) && f.resection === 'unresected', why: 'M0, biopsy only / no resection: gross residual disease' },
  { value: 'III', when: (f) => m0(f) && f.resection === 'R2', why: 'M0, partial resection with gross residual disease (R2)' },
  {
    value: 'III', when: (f) => m0(f) && grossTotal(f) && f.nodes === 'positive_unresected', unverified: true,
    why: (f) => `M0, ${resected(f)}, but ${f.nodesWhy}: gross residual disease in the nodes`,
  },
  { value: 'I', when: (f) => m0(f) && f.resection === 'R0' && f.nodes === 'negative', why: (f) => `M0, completely resected (R0), ${f.nodesWhy}` },
  { value: 'IIA', when: (f) => m0(f) && f.resection === 'R1' && f.nodes === 'negative', why: (f) => `M0, microscopic residual (R1), ${f.nodesWhy}` },
  {
    value: 'IIC', when: (f) => m0(f) && grossTotal(f) && f.nodes === 'positive_resected'
      && (f.resection === 'R1' || f.mostDistalNodePositive === true),
    why: (f) => `M0, ${f.nodesWhy}, ${f.resection === 'R1' ? 'microscopic residual (R1)' : 'most distal resected node involved'}`,
  },
  {
    value: 'IIB', when: (f) => m0(f) && f.resection === 'R0' && f.nodes === 'positive_resected' && f.mostDistalNodePositive === false,
    why: (f) => `M0, R0, ${f.nodesWhy}, most distal resected node not involved`,
  },
] as const satisfies readonly RuleRow<RmsGroupFacts, RmsGroup>[];

/** The facts that could still decide the group when no row does. */
export function rmsGroupNeeds(f: RmsGroupFacts): string[] {
  const needs: string[] = [];
  if (f.metastatic === undefined) needs.push('metastases');
  if (f.resection === undefined) needs.push(...f.resectionNeeds);
  if (f.resection === undefined || grossTotal(f)) {
    if (f.nodes === undefined) needs.push(...f.nodesNeeds);
    if (f.nodes === 'positive_resected' && f.resection !== 'R1' && f.mostDistalNodePositive === undefined) {
      needs.push('surgery.mostDistalNodePositive');
    }
  }
  return needs;
}

/** The grouping facts of a case. */
export function rmsGroupFacts(f: CaseFacts): RmsGroupFacts {
  const n = groupNodeStatus(f);
  return {
    metastatic: isMetastatic(f),
    resection: resection(f),
    nodes: n.nodes,
    nodesWhy: n.why,
    mostDistalNodePositive: f.surgery?.mostDistalNodePositive,
    resectionNeeds: resectionNeeds(f),
    nodesNeeds: n.needs,
  };
}

/**
 * IRS clinical group I/IIA/IIB/IIC/III/IV (R-RMS-GROUP). Biopsy only or R2 is group III; a paratesticular
 * tumour at ≥10 y stays ungrouped until the retroperitoneal nodes are sampled (rules.md §3.5).
 */
export function rmsClinicalGroup(f: CaseFacts): Derived<RmsGroup> {
  return decide(rmsGroupTable, rmsGroupFacts(f), ['R-RMS-GROUP'], 'rms.clinicalGroup', rmsGroupNeeds);
}
