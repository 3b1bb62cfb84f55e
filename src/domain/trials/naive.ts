import type { CaseFacts } from '../facts/case-facts.js';
import { describeExpr, expandRef, type Expr, type TrialDefinition } from './criteria.js';
import {
  assembleTrialMatch, caseContext, criterionInfo, criterionMatch, evaluateLeaf, kleeneAnd, kleeneAtLeast, kleeneNot, kleeneOr, kleeneWhen,
  type CaseContext, type CriterionMatch, type MatchOptions, type NodeResult, type TrialMatch,
} from './evaluate.js';
import { blockingFacts } from './requests.js';

/**
 * The plain recursive evaluator (trial-eligibility.md E.3): walks each trial's trees as stored, expanding macros
 * as it meets them, with no compilation, sharing, memoization or index. It is the reference the compiled matcher
 * (index.ts) is checked against in tests and compared with in bench/trials.ts.
 */

/** Evaluates an expression for one case, recursively. */
export function evaluateExpr(e: Expr, ctx: CaseContext): NodeResult {
  switch (e.op) {
    case 'and': return kleeneAnd(e.args.map((a) => evaluateExpr(a, ctx)));
    case 'or': return kleeneOr(e.args.map((a) => evaluateExpr(a, ctx)));
    case 'not': return kleeneNot(evaluateExpr(e.arg, ctx));
    case 'atLeast': return kleeneAtLeast(e.n, e.args.map((a) => evaluateExpr(a, ctx)));
    case 'when': return kleeneWhen(evaluateExpr(e.if, ctx), evaluateExpr(e.then, ctx));
    case 'ref': return evaluateExpr(expandRef(e), ctx);
    default: return evaluateLeaf(e, ctx);
  }
}

/** One trial for one case: every criterion of every scope evaluated in full, then the trial verdict (E.3). */
export function naiveMatchTrial(def: TrialDefinition, ctx: CaseContext, opts: MatchOptions = {}): TrialMatch {
  const perScope = def.scopes.map((scope) => ({
    scope,
    criteria: scope.criteria.filter((c) => c.status !== 'rejected').map((c): CriterionMatch =>
      criterionMatch(criterionInfo(c, scope.id, describeExpr(c.expr)), c.policy === 'assume_met' ? null : evaluateExpr(c.expr, ctx))),
  }));
  const m = assembleTrialMatch(def, perScope);
  if (m.verdict !== 'possible' || opts.blocking === false || m.missing.length === 0) return m;
  return { ...m, blocking: blockingFacts(def, m, (leaf) => evaluateLeaf(leaf, ctx)) };
}

/** Every trial for one case, in the order given. */
export function naiveMatch(facts: CaseFacts, defs: readonly TrialDefinition[], opts: MatchOptions = {}): TrialMatch[] {
  const ctx = caseContext(facts, opts);
  return defs.map((d) => naiveMatchTrial(d, ctx, opts));
}
