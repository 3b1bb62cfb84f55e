import { expandRef, type Criterion, type Expr, type Leaf, type TrialDefinition } from './criteria.js';
import { MET, NOT_MET, UNKNOWN, type NodeResult, type Tri, type TrialMatch } from './evaluate.js';

/**
 * Blocking data requests (trial-eligibility.md E.4). For a "possible" trial, an unknown fact is *blocking* when,
 * with the leaves it leaves unknown set to NOT_MET and every other unknown set optimistically to MET, the trial
 * becomes not eligible: getting that fact can settle the trial on its own. Across a patient's trials, facts are
 * ranked by how many trials they would settle ("an echocardiogram would resolve 4 trials").
 */

/** Kleene value of an expression with one fact's unknown leaves forced to NOT_MET and all other unknowns to MET. */
export function triWithFactNotMet(e: Expr, fact: string, leafResult: (leaf: Leaf) => NodeResult): Tri {
  switch (e.op) {
    case 'and': {
      let t: Tri = MET;
      for (const a of e.args) { const x = triWithFactNotMet(a, fact, leafResult); if (x < t) t = x; if (t === NOT_MET) break; }
      return t;
    }
    case 'or': {
      let t: Tri = NOT_MET;
      for (const a of e.args) { const x = triWithFactNotMet(a, fact, leafResult); if (x > t) t = x; if (t === MET) break; }
      return t;
    }
    case 'not': return (2 - triWithFactNotMet(e.arg, fact, leafResult)) as Tri;
    case 'atLeast': {
      let m = 0;
      for (const a of e.args) if (triWithFactNotMet(a, fact, leafResult) === MET) m++;
      return m >= e.n ? MET : NOT_MET;
    }
    case 'when': {
      const c = triWithFactNotMet(e.if, fact, leafResult);
      return c === NOT_MET ? MET : triWithFactNotMet(e.then, fact, leafResult);
    }
    case 'ref': return triWithFactNotMet(expandRef(e), fact, leafResult);
    default: {
      const r = leafResult(e);
      if (r.tri !== UNKNOWN) return r.tri;
      return r.missing.includes(fact) ? NOT_MET : MET;
    }
  }
}

/**
 * The unknown facts of a "possible" trial that on their own could make it not eligible (E.4). `match` is the
 * trial's result (its criteria in definition order, rejected ones left out); `exprOf` gives the expression to walk
 * for a criterion (the compiled matcher passes its macro-expanded copy); `leafResult` the leaf's outcome for this case.
 *
 * Strong Kleene logic is monotone: turning UNKNOWN leaves into MET or NOT_MET never changes a MET or NOT_MET result.
 * So only criteria that are unknown because of the fact itself are walked again.
 */
export function blockingFacts(
  def: TrialDefinition, match: TrialMatch, leafResult: (leaf: Leaf) => NodeResult,
  exprOf: (c: Criterion) => Expr = (c) => c.expr,
): string[] {
  if (match.missing.length === 0) return [];
  // Facts that fail a required scope; for arms and cohorts, per scope (all must fail for the trial to fail).
  const baseFails = new Set<string>();
  const alternatives: Array<Set<string> | 'all'> = [];
  let k = 0;
  for (const s of def.scopes) {
    const required = s.kind === 'trial' || s.kind === 'step';
    const fails = required ? baseFails : new Set<string>();
    let all = !required && !s.open;
    for (const c of s.criteria) {
      if (c.status === 'rejected') continue;
      const m = match.criteria[k++]!;
      if (m.verdict === 'not_met') { all = true; continue; }
      if (m.verdict !== 'unknown') continue;
      for (const fact of m.missing) {
        if (fails.has(fact)) continue;
        const t = triWithFactNotMet(exprOf(c), fact, leafResult);
        if ((c.kind === 'exclusion' ? 2 - t : t) === NOT_MET) fails.add(fact);
      }
    }
    if (!required) alternatives.push(all ? 'all' : fails);
  }
  return match.missing.filter((f) => baseFails.has(f)
    || (alternatives.length > 0 && alternatives.every((a) => a === 'all' || a.has(f))));
}

/** Plain-language names of the facts a request asks for (clinician register). */
export const FACT_LABELS: Readonly<Record<string, string>> = {
  ageDays: 'exact age in days (date of birth), for a limit within a month of the age',
  diseaseStatus: 'disease status (newly diagnosed, relapsed, refractory, progressive)',
  metastases: 'metastatic work-up (sites of metastasis, or none)',
  morphology: 'specific histology (subtype, not NOS)',
  performance: 'performance score on the scale the trial uses for this age (Lansky/Karnofsky/ECOG)',
  priorTherapy: 'prior therapy (kinds and agents, or none)',
  enrolledStudies: 'enrollment on the required companion/biology study',
  pregnancyStatus: 'pregnancy test and nursing status',
  pubertalStatus: 'pubertal status',
  'labs.drawnDaysAgo': 'date of the lab draw',
  'labs.creatinineMgDl': 'serum creatinine',
  'labs.gfrMlMin173': 'creatinine clearance or radioisotope GFR',
  'labs.bilirubinTotalMgDl': 'total bilirubin',
  'labs.bilirubinUln': 'bilirubin upper limit of normal for age',
  'labs.altUL': 'ALT',
  'labs.altUln': 'ALT upper limit of normal for age',
  'labs.creatinineUln': 'creatinine upper limit of normal for age (not yet a case-facts field)',
  'labs.anc': 'absolute neutrophil count',
  'labs.platelets': 'platelet count',
  'labs.hemoglobinGDl': 'hemoglobin',
  'labs.shorteningFractionPct': 'echocardiogram (shortening fraction)',
  'labs.ejectionFractionPct': 'echocardiogram or MUGA (ejection fraction)',
  'molecular.foxo1Fusion': 'FOXO1 fusion status',
  'molecular.ewsr1Fusion': 'EWSR1 fusion partner',
  'molecular.myod1': 'MYOD1 mutation status',
  'molecular.tp53': 'TP53 status',
};

export interface DataRequest {
  readonly fact: string;
  readonly label: string;
  /** Trials this fact alone could settle (NCT ids). */
  readonly trials: readonly string[];
  readonly unblocks: number;
  readonly blocking: true;
}

/**
 * Blocking facts across a patient's trial results, ranked by how many trials each would settle, then by name
 * (E.4). Only "possible" trials contribute.
 */
export function rankDataRequests(results: readonly TrialMatch[]): DataRequest[] {
  const byFact = new Map<string, string[]>();
  for (const r of results) {
    if (r.verdict !== 'possible') continue;
    for (const f of r.blocking) {
      let list = byFact.get(f);
      if (!list) { list = []; byFact.set(f, list); }
      if (!list.includes(r.trialId)) list.push(r.trialId);
    }
  }
  return [...byFact.entries()]
    .map(([fact, trials]) => ({ fact, label: FACT_LABELS[fact] ?? fact, trials, unblocks: trials.length, blocking: true as const }))
    .sort((a, b) => b.unblocks - a.unblocks || a.fact.localeCompare(b.fact));
}
