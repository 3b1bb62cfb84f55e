import type { CaseFacts, MetastaticSite } from '../facts/case-facts.js';

/**
 * Extent-of-disease facts shared by the RMS, Ewing, osteosarcoma and NRSTS rules: metastatic status and
 * resection status. Each returns `undefined` when the facts do not say, and a companion lists the missing paths.
 */

/** Distant metastasis at diagnosis: `undefined` when `metastases` is absent; an empty list means none. */
export function isMetastatic(f: Pick<CaseFacts, 'metastases'>): boolean | undefined {
  return f.metastases === undefined ? undefined : f.metastases.length > 0;
}

/** Any of `sites` among the metastases (false when none listed or the list is absent). */
export function hasMetastasisAt(f: Pick<CaseFacts, 'metastases'>, ...sites: readonly MetastaticSite[]): boolean {
  return (f.metastases ?? []).some((m) => sites.includes(m));
}

/** Distinct metastatic sites listed. */
export function distinctMetastaticSites(f: Pick<CaseFacts, 'metastases'>): MetastaticSite[] {
  return [...new Set(f.metastases ?? [])];
}

/** Resection at the initial operation: a margin, or `unresected` (no operation, or biopsy only). */
export type Resection = 'R0' | 'R1' | 'R2' | 'unresected';

/**
 * Resection status from `surgery.status` and `surgery.margin`. No operation or biopsy only is `unresected`
 * whatever margin is recorded; after a resection the margin decides. A margin without a status is not read as a
 * resection: the status is asked for (a recorded margin beside "biopsy" must not be overruled by its absence).
 */
export function resection(f: Pick<CaseFacts, 'surgery'>): Resection | undefined {
  const s = f.surgery;
  if (s?.status === 'none' || s?.status === 'biopsy') return 'unresected';
  return s?.status === 'resected' ? s.margin : undefined;
}

/** The surgery facts that would decide `resection(f)` (empty when it is known). */
export function resectionNeeds(f: Pick<CaseFacts, 'surgery'>): string[] {
  if (resection(f) !== undefined) return [];
  const s = f.surgery;
  return [...(s?.status === undefined ? ['surgery.status'] : []), ...(s?.margin === undefined ? ['surgery.margin'] : [])];
}

/** A reason fragment for a resection status. */
export function describeResection(r: Resection): string {
  return r === 'unresected' ? 'biopsy only / not resected' : `resected ${r}`;
}
