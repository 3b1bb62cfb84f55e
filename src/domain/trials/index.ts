import { MORPHOLOGY, lookupMorphology } from '../coding/morphology.js';
import type { CaseFacts } from '../facts/case-facts.js';
import {
  DISEASE_STATUSES, describeExpr, expandRef, isCurationStale, isLeaf, type Criterion, type DiseaseStatus, type Expr,
  type Leaf, type Scope, type TrialDefinition,
} from './criteria.js';
import {
  NOT_MET, assembleTrialMatch, caseContext, criterionInfo, criterionMatch, droppedSummaryPrefix, evaluateLeaf,
  kleeneAnd, kleeneAtLeast, kleeneNot, kleeneOr, kleeneWhen,
  type CaseContext, type CriterionInfo, type CriterionMatch, type MatchOptions, type NodeResult, type TrialMatch,
} from './evaluate.js';
import { blockingFacts } from './requests.js';

/**
 * The compiled matcher (trial-eligibility.md E.5): trees are macro-expanded and hash-consed into one node table
 * shared by all trials, so a leaf or macro that many trials use (COG_RENAL_V1, "age ≤ 21 y") is evaluated once per
 * case; and a prefilter drops trials the patient certainly fails, from posting lists by diagnosis code, sex, disease
 * status and metastatic status and an interval index on age.
 *
 * The prefilter is UNKNOWN-safe: it drops a trial only when a KNOWN patient fact fails a leaf that is an
 * unconditional top-level conjunct of a required (trial or step scope) criterion, so the full evaluation would say
 * not_eligible too. It has two stages: the postings and the age index (no leaf evaluated), then, for the remaining
 * candidates, the other top-level conjunct leaves (labs, performance …), evaluated once per case through the shared
 * node table. A dropped trial is still returned, as not_eligible, with that criterion evaluated and explained.
 */

type CNode =
  | { readonly op: 'leaf'; readonly leaf: Leaf }
  | { readonly op: 'and' | 'or'; readonly kids: readonly number[] }
  | { readonly op: 'not'; readonly kid: number }
  | { readonly op: 'atLeast'; readonly n: number; readonly kids: readonly number[] }
  | { readonly op: 'when'; readonly cond: number; readonly then: number };

interface CCriterion {
  readonly criterion: Criterion;
  readonly info: CriterionInfo;
  readonly summaryPrefix: string;
  /** `[id]`, shared by every result that drops the trial at this criterion. */
  readonly failedIds: readonly string[];
  readonly scope: Scope;
  readonly node: number;
  /** Macro-expanded tree whose leaves are the node table's leaf objects (for blocking facts). */
  readonly expanded: Expr;
  readonly rule: string;
}

interface CTrial {
  readonly def: TrialDefinition;
  readonly scopes: ReadonlyArray<{ scope: Scope; criteria: readonly CCriterion[] }>;
  readonly byCriterion: ReadonlyMap<Criterion, CCriterion>;
  /** Top-level conjunct leaves of required criteria: a known fact failing one settles the trial (second prefilter stage). */
  readonly conjuncts: ReadonlyArray<{ readonly node: number; readonly negated: boolean; readonly crit: CCriterion }>;
  /** Precomputed once: the staleness and the `curation` block every result of this trial carries. */
  readonly pre: { readonly stale: boolean; readonly curation: TrialMatch['curation'] };
}

/** A posting: this trial fails at this criterion. */
interface Fail { readonly trial: number; readonly crit: CCriterion }
interface AgeEntry extends Fail { readonly days: number; readonly inclusive: boolean }

export interface CompiledCatalog {
  readonly size: number;
  readonly definitions: readonly TrialDefinition[];
  /** Distinct nodes after hash-consing (for the bench and tests). */
  readonly nodeCount: number;
  /** @internal */
  readonly _: Internals;
}

interface Internals {
  nodes: CNode[];
  leafNode: Map<Leaf, number>;
  trials: CTrial[];
  failByCode: Map<string, Fail[]>;
  failBySex: { male: Fail[]; female: Fail[] };
  failByStatus: Map<DiseaseStatus, Fail[]>;
  failByMetastatic: { some: Fail[]; none: Fail[] };
  /** Lower age limits, ascending by days: a patient whose whole age interval is below one fails it. */
  ageMins: AgeEntry[];
  /** Upper age limits, ascending by days. */
  ageMaxes: AgeEntry[];
  stamp: Int32Array;
  results: (NodeResult | undefined)[];
  gen: number;
}

/**
 * Compiles trial definitions for matching (E.5): expands macros, hash-conses the trees into a shared node table,
 * and builds the prefilter postings. Definitions are read, never changed; compile again after an edit.
 */
export function compileTrials(defs: readonly TrialDefinition[]): CompiledCatalog {
  const nodes: CNode[] = [];
  const keys = new Map<string, number>();
  const leafNode = new Map<Leaf, number>();

  const add = (key: string, node: CNode): number => {
    let id = keys.get(key);
    if (id === undefined) { id = nodes.length; nodes.push(node); keys.set(key, id); }
    return id;
  };
  // Returns the node id and the expanded tree (refs replaced by their macro body).
  const intern = (e: Expr): { id: number; expanded: Expr } => {
    switch (e.op) {
      case 'ref': return intern(expandRef(e));
      case 'and': case 'or': {
        const parts = e.args.map(intern);
        const kids = parts.map((p) => p.id);
        return { id: add(`${e.op}(${kids.join(',')})`, { op: e.op, kids }), expanded: { op: e.op, args: parts.map((p) => p.expanded) } };
      }
      case 'atLeast': {
        const parts = e.args.map(intern);
        const kids = parts.map((p) => p.id);
        return { id: add(`atLeast${e.n}(${kids.join(',')})`, { op: 'atLeast', n: e.n, kids }), expanded: { op: 'atLeast', n: e.n, args: parts.map((p) => p.expanded) } };
      }
      case 'not': {
        const p = intern(e.arg);
        return { id: add(`not(${p.id})`, { op: 'not', kid: p.id }), expanded: { op: 'not', arg: p.expanded } };
      }
      case 'when': {
        const c = intern(e.if);
        const t = intern(e.then);
        return { id: add(`when(${c.id},${t.id})`, { op: 'when', cond: c.id, then: t.id }), expanded: { op: 'when', if: c.expanded, then: t.expanded } };
      }
      default: {
        const id = add(`leaf:${JSON.stringify(e)}`, { op: 'leaf', leaf: e });
        const shared = (nodes[id] as { leaf: Leaf }).leaf;
        leafNode.set(shared, id);
        return { id, expanded: shared };
      }
    }
  };

  const trials: CTrial[] = [];
  const failByCode = new Map<string, Fail[]>();
  const failBySex = { male: [] as Fail[], female: [] as Fail[] };
  const failByStatus = new Map<DiseaseStatus, Fail[]>(DISEASE_STATUSES.map((s) => [s, []]));
  const failByMetastatic = { some: [] as Fail[], none: [] as Fail[] };
  const ageMins: AgeEntry[] = [];
  const ageMaxes: AgeEntry[] = [];
  const codes = Object.keys(MORPHOLOGY);
  const codeCtx = new Map(codes.map((c) => [c, { facts: { morphology: c, topography: 'C80.9' }, morph: lookupMorphology(c) } as unknown as CaseContext]));

  defs.forEach((def, t) => {
    const byCriterion = new Map<Criterion, CCriterion>();
    const scopes = def.scopes.map((scope) => ({
      scope,
      criteria: scope.criteria.filter((c) => c.status !== 'rejected').map((criterion) => {
        const { id, expanded } = intern(criterion.expr);
        const rule = describeExpr(criterion.expr);
        const cc: CCriterion = { criterion, info: criterionInfo(criterion, scope.id, rule), scope, node: id, expanded, rule, summaryPrefix: droppedSummaryPrefix(criterion), failedIds: Object.freeze([criterion.id]) };
        byCriterion.set(criterion, cc);
        return cc;
      }),
    }));
    const stale = isCurationStale(def);
    const checks: Array<{ node: number; negated: boolean; crit: CCriterion }> = [];
    trials.push({ def, scopes, byCriterion, conjuncts: checks, pre: { stale, curation: { state: def.curation.state, version: def.version, stale } } });

    for (const { scope, criteria } of scopes) {
      if (scope.kind !== 'trial' && scope.kind !== 'step') continue;
      for (const cc of criteria) {
        if (cc.criterion.policy === 'assume_met') continue;
        for (const { leaf, negated } of conjuncts(cc.expanded, cc.criterion.kind === 'exclusion')) {
          checks.push({ node: leafNode.get(leaf)!, negated, crit: cc });
          const fail: Fail = { trial: t, crit: cc };
          switch (leaf.op) {
            case 'age':
              if (negated) break;
              if (leaf.min) ageMins.push({ ...fail, days: leaf.min.days, inclusive: leaf.min.inclusive });
              if (leaf.max) ageMaxes.push({ ...fail, days: leaf.max.days, inclusive: leaf.max.inclusive });
              break;
            case 'sex':
              for (const s of ['male', 'female'] as const) if (leaf.anyOf.includes(s) === negated) failBySex[s].push(fail);
              break;
            case 'diseaseStatus':
              for (const s of DISEASE_STATUSES) if (leaf.anyOf.includes(s) === negated) failByStatus.get(s)!.push(fail);
              break;
            case 'metastatic':
              if (leaf.sites !== undefined) break;
              // present=true fails a patient without metastases; negation flips it.
              (leaf.present !== negated ? failByMetastatic.none : failByMetastatic.some).push(fail);
              break;
            case 'diagnosis': {
              if (leaf.site !== undefined) break; // depends on topography too: left to the full evaluation
              for (const code of codes) {
                const r = evaluateLeaf(leaf, codeCtx.get(code)!).tri;
                if ((negated ? 2 - r : r) === NOT_MET) {
                  let list = failByCode.get(code);
                  if (!list) { list = []; failByCode.set(code, list); }
                  list.push(fail);
                }
              }
              break;
            }
            default:
          }
        }
      }
    }
  });
  ageMins.sort((a, b) => a.days - b.days);
  ageMaxes.sort((a, b) => a.days - b.days);

  return {
    size: defs.length, definitions: defs, nodeCount: nodes.length,
    _: {
      nodes, leafNode, trials, failByCode, failBySex, failByStatus, failByMetastatic, ageMins, ageMaxes,
      stamp: new Int32Array(nodes.length), results: new Array<NodeResult | undefined>(nodes.length), gen: 0,
    },
  };
}

/**
 * Leaves that are unconditional top-level conjuncts of a criterion's requirement: the leaves of a top-level `and`
 * for an inclusion; for an exclusion (required NOT), the negated leaves of a top-level `or` (or the single leaf).
 */
function conjuncts(e: Expr, exclusion: boolean): Array<{ leaf: Leaf; negated: boolean }> {
  if (exclusion) {
    if (isLeaf(e)) return [{ leaf: e, negated: true }];
    if (e.op === 'or') return e.args.filter(isLeaf).map((leaf) => ({ leaf, negated: true }));
    if (e.op === 'not') return conjuncts(e.arg, false);
    return [];
  }
  if (isLeaf(e)) return [{ leaf: e, negated: false }];
  if (e.op === 'and') return e.args.flatMap((a) => conjuncts(a, false));
  if (e.op === 'not') return conjuncts(e.arg, true);
  return [];
}

/** Evaluates a node for the current case, memoized in the catalog's per-case table. */
function evalNode(I: Internals, ctx: CaseContext, id: number): NodeResult {
  if (I.stamp[id] === I.gen) return I.results[id]!;
  const n = I.nodes[id]!;
  let r: NodeResult;
  switch (n.op) {
    case 'leaf': r = evaluateLeaf(n.leaf, ctx); break;
    case 'and': r = kleeneAnd(n.kids.map((k) => evalNode(I, ctx, k))); break;
    case 'or': r = kleeneOr(n.kids.map((k) => evalNode(I, ctx, k))); break;
    case 'not': r = kleeneNot(evalNode(I, ctx, n.kid)); break;
    case 'atLeast': r = kleeneAtLeast(n.n, n.kids.map((k) => evalNode(I, ctx, k))); break;
    case 'when': r = kleeneWhen(evalNode(I, ctx, n.cond), evalNode(I, ctx, n.then)); break;
  }
  I.stamp[id] = I.gen;
  I.results[id] = r;
  return r;
}

/** Marks trials the prefilter drops: `dropped[t]` is the criterion a known fact fails. */
function prefilter(I: Internals, facts: CaseFacts, ctx: CaseContext): (CCriterion | undefined)[] {
  const dropped = new Array<CCriterion | undefined>(I.trials.length);
  const drop = (list: readonly Fail[] | undefined) => {
    if (list) for (const f of list) if (dropped[f.trial] === undefined) dropped[f.trial] = f.crit;
  };
  drop(I.failByCode.get(facts.morphology));
  drop(I.failBySex[facts.sex]);
  if (facts.diseaseStatus !== undefined) drop(I.failByStatus.get(facts.diseaseStatus));
  const sites = facts.metastases;
  const count = facts.metastaticSiteCount;
  if (sites !== undefined || count !== undefined) {
    const some = sites !== undefined ? sites.length > 0 || (count ?? 0) > 0 : (count ?? 0) > 0;
    drop(some ? I.failByMetastatic.some : I.failByMetastatic.none);
  }
  // A lower limit fails when the whole age interval is below it: limit ≥ hi.
  const mins = I.ageMins;
  let lo = 0;
  let hi = mins.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (mins[mid]!.days >= ctx.ageHi) hi = mid; else lo = mid + 1; }
  drop(mins.slice(lo));
  // An upper limit fails when the whole interval is above it: limit < lo (or = lo when exclusive).
  for (const e of I.ageMaxes) {
    if (e.days > ctx.ageLo) break;
    if (e.inclusive ? ctx.ageLo > e.days : ctx.ageLo >= e.days) drop([e]);
  }
  return dropped;
}

function matchTrial(I: Internals, ctx: CaseContext, tr: CTrial, opts: MatchOptions): TrialMatch {
  const perScope = tr.scopes.map(({ scope, criteria }) => {
    const out: CriterionMatch[] = new Array(criteria.length);
    for (let i = 0; i < criteria.length; i++) {
      const cc = criteria[i]!;
      out[i] = criterionMatch(cc.info, cc.info.assumeMet ? null : evalNode(I, ctx, cc.node));
    }
    return { scope, criteria: out };
  });
  const m = assembleTrialMatch(tr.def, perScope, undefined, tr.pre);
  if (m.verdict !== 'possible' || opts.blocking === false || m.missing.length === 0) return m;
  const leafResult = (leaf: Leaf) => evalNode(I, ctx, I.leafNode.get(leaf)!);
  return { ...m, blocking: blockingFacts(tr.def, m, leafResult, (c) => tr.byCriterion.get(c)!.expanded) };
}

const NONE: readonly never[] = Object.freeze([]);

function droppedMatch(I: Internals, ctx: CaseContext, tr: CTrial, cc: CCriterion): TrialMatch {
  const c = criterionMatch(cc.info, evalNode(I, ctx, cc.node));
  const def = tr.def;
  return {
    trialId: def.nctId, title: def.title, verdict: 'not_eligible', summary: `${cc.summaryPrefix}${c.evidence}.`,
    criteria: [c], missing: NONE, failed: cc.failedIds, reviewItems: NONE, blocking: NONE,
    overallStatus: def.registry.overallStatus, curation: tr.pre.curation, prefiltered: true,
  };
}

/**
 * Matches one case against a compiled catalog (E.3–E.5): one entry per trial, in catalog order. Trials the
 * prefilter drops come back not_eligible with only the failing criterion (`prefiltered: true`); pass
 * `{ prefilter: false }` to evaluate every criterion of every trial.
 */
export function matchCase(facts: CaseFacts, catalog: CompiledCatalog, opts: MatchOptions = {}): TrialMatch[] {
  const I = catalog._;
  const ctx = caseContext(facts, opts);
  I.gen++;
  if (I.gen === 0x7fffffff) { I.gen = 1; I.stamp.fill(0); }
  const dropped = opts.prefilter === false ? null : prefilter(I, facts, ctx);
  const out: TrialMatch[] = new Array(I.trials.length);
  for (let t = 0; t < I.trials.length; t++) {
    const tr = I.trials[t]!;
    let d = dropped?.[t];
    if (d === undefined && dropped !== null) {
      // Second stage: the trial's other top-level conjunct leaves (labs, performance …), shared and memoized per case.
      for (const k of tr.conjuncts) {
        const r = evalNode(I, ctx, k.node).tri;
        if ((k.negated ? 2 - r : r) === NOT_MET) { d = k.crit; break; }
      }
    }
    out[t] = d !== undefined ? droppedMatch(I, ctx, tr, d) : matchTrial(I, ctx, tr, opts);
  }
  return out;
}

/** Matches many cases (a nightly batch), each on its own, in order. */
export function matchAll(cases: readonly CaseFacts[], catalog: CompiledCatalog, opts: MatchOptions = {}): TrialMatch[][] {
  return cases.map((f) => matchCase(f, catalog, opts));
}

/** The verdict counts of a result list (for summaries and the bench). */
export function countVerdicts(results: readonly TrialMatch[]): { eligible: number; possible: number; not_eligible: number } {
  const out = { eligible: 0, possible: 0, not_eligible: 0 };
  for (const r of results) out[r.verdict]++;
  return out;
}

