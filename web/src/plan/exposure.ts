/**
 * A live, unsaved estimate of the planned cumulative dose per agent (mg/m²) while the plan is edited, computed in the
 * browser from the edited document: Σ cycles × administrations × dose in mg/m². It follows the server's arithmetic
 * for the unit conversion (src/domain/plan/dose-limits.ts `toMgM2`: flat mg ÷ BSA, mg/kg × weight ÷ BSA, the mg cap
 * applied when the BSA is known) and, like the server, assumes nothing: a dose or count that is not set, or a unit
 * that cannot be converted, leaves the agent's total unknown with the reason.
 *
 * Only the per-agent sums are estimated. Everything that applies a clinical rule (CED, doxorubicin equivalent, echo
 * frequency, fertility, hearing) is shown as the server computed it for the saved version, with its rule IDs: the
 * web bundle does not carry a second copy of the rules.
 */
import type { DoseField, PlanAgent, PlanContent } from './api.js';

/** Other spellings of agent names (src/domain/plan/exposure.ts AGENT_ALIASES), so totals add up as on the server. */
const AGENT_ALIASES: Readonly<Record<string, string>> = {
  bcnu: 'carmustine', ccnu: 'lomustine', 'nitrogen mustard': 'mechlorethamine', nitrogen_mustard: 'mechlorethamine',
  mustine: 'mechlorethamine', 'actinomycin d': 'dactinomycin', actinomycin_d: 'dactinomycin', adriamycin: 'doxorubicin',
  vp16: 'etoposide', 'vp-16': 'etoposide', mtx: 'methotrexate',
};

export function normalizeAgent(name: string): string {
  const k = name.trim().toLowerCase();
  return Object.hasOwn(AGENT_ALIASES, k) ? AGENT_ALIASES[k]! : k;
}

export interface AgentEstimate {
  agent: string;
  /** Cumulative mg/m²; null when unknown (see `unknown`). */
  mgM2: number | null;
  /** Why the total is unknown (each place that could not be counted). */
  unknown: string[];
  /** A cap applies but the BSA is not given: the total is at most this. */
  upperBound: boolean;
}

interface Body { bsaM2?: number | undefined; weightKg?: number | undefined }

const DOSE_FIELDS: readonly DoseField[] = ['doseMgM2', 'doseMgKg', 'doseMg'];

/** One administration's dose in mg/m², or why it is unknown. */
function perAdministration(a: PlanAgent, body: Body): { mgM2: number | null; upperBound: boolean; why?: string } {
  const set = DOSE_FIELDS.filter((f) => a[f] !== undefined && Number.isFinite(a[f]));
  if (set.length !== 1) return { mgM2: null, upperBound: false, why: set.length > 1 ? 'dose given in more than one unit' : 'dose not set' };
  const field = set[0]!;
  const v = a[field]!;
  const bsa = body.bsaM2 !== undefined && body.bsaM2 > 0 ? body.bsaM2 : undefined;
  let mgM2: number;
  if (field === 'doseMgM2') mgM2 = v;
  else if (field === 'doseMgKg') {
    if (bsa === undefined || body.weightKg === undefined) return { mgM2: null, upperBound: false, why: `${v} mg/kg needs weight and BSA to convert to mg/m²` };
    mgM2 = (v * body.weightKg) / bsa;
  } else {
    if (bsa === undefined) return { mgM2: null, upperBound: false, why: `flat dose ${v} mg needs the BSA to convert to mg/m²` };
    mgM2 = v / bsa;
  }
  if (a.maxMg !== undefined && a.maxMg > 0) {
    if (bsa === undefined) return { mgM2, upperBound: true };
    mgM2 = Math.min(mgM2, a.maxMg / bsa);
  }
  return { mgM2, upperBound: false };
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** Planned cumulative mg/m² per agent of an (edited) plan document, in the order agents first appear. */
export function estimateCumulative(content: Pick<PlanContent, 'phases' | 'bsaM2' | 'weightKg'>): AgentEstimate[] {
  const body = { bsaM2: content.bsaM2, weightKg: content.weightKg };
  const acc = new Map<string, { total: number; unknown: string[]; upperBound: boolean }>();
  for (const phase of content.phases) {
    for (const cycle of phase.cycles) {
      for (const a of cycle.agents) {
        const key = normalizeAgent(a.agent);
        let e = acc.get(key);
        if (!e) { e = { total: 0, unknown: [], upperBound: false }; acc.set(key, e); }
        const where = `${phase.name} › ${cycle.regimen}`;
        if (cycle.count === null) { e.unknown.push(`${where}: number of cycles not set`); continue; }
        const d = perAdministration(a, body);
        if (d.mgM2 === null) { e.unknown.push(`${where}: ${d.why}`); continue; }
        if (d.upperBound) e.upperBound = true;
        e.total += cycle.count * a.administrations * d.mgM2;
      }
    }
  }
  return [...acc].map(([agent, e]) => ({
    agent, mgM2: e.unknown.length > 0 ? null : round3(e.total), unknown: e.unknown, upperBound: e.unknown.length === 0 && e.upperBound,
  }));
}
