import type { CaseFacts } from './facts/case-facts.js';
import { ROOT_FIELD, validateCaseFacts } from './assess-validate.js';
import type { Assessment, EchoFrequency, FactError } from './facts/assessment.js';
import { icd10cm } from './coding/icd10.js';
import { provenance, type Derived, type Explanation, type MissingFact } from './rules/derive.js';
import { assessAjcc } from './staging/ajcc.js';
import { assessEnneking } from './staging/enneking.js';
import { assessEwing } from './staging/ewing.js';
import { assessNrsts } from './staging/nrsts.js';
import { assessOsteosarcoma } from './staging/osteosarcoma.js';
import { assessRms } from './staging/rms.js';
import type { StagingContext } from './plan/context.js';
import {
  echoFrequency, plannedCedMgM2, plannedCumulativeMgM2, plannedDoxorubicinEquivalentMgM2, plannedExposure, radiationPlan,
  type PlannedExposure,
} from './plan/exposure.js';
import { fertilityOptions } from './plan/fertility.js';
import { flags } from './plan/flags.js';
import { survivorshipScreening } from './plan/late-effects.js';
import { TEMPLATES, selectTemplate, type TemplateId } from './plan/templates.js';
import { conferenceDisciplines, siteSpecificDisciplines } from './team/disciplines.js';

/**
 * The clinical rules engine end to end (DESIGN.md §4): case facts in, assessment out. `assess` validates (schema,
 * then the checks the schema cannot express), runs every staging system, picks the template, works out planned
 * exposure, radiation, coding, flags, disciplines, fertility options and survivorship screening, and merges the
 * provenance of all parts. It never throws.
 */

export type AssessResult = { ok: true; assessment: Assessment } | { ok: false; errors: FactError[] };
export { validateCaseFacts, ROOT_FIELD, type ValidationResult } from './assess-validate.js';

const INTERNAL = 'internal error';

/**
 * Assesses one case (DESIGN.md §4). Invalid facts give `{ ok: false, errors }` naming each field; valid facts give
 * the assessment. Never throws: an unexpected failure inside the engine is reported as an error on `(facts)` whose
 * message starts with "internal error" (see `isInternalError`).
 */
export function assess(input: unknown): AssessResult {
  try {
    const v = validateCaseFacts(input);
    return v.ok ? { ok: true, assessment: assessFacts(v.facts) } : v;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, errors: [{ field: ROOT_FIELD, message: `${INTERNAL}: ${message}` }] };
  }
}

/** Assesses several cases, each on its own (one invalid case does not affect the others). */
export function assessMany(inputs: readonly unknown[]): AssessResult[] {
  return inputs.map((input) => assess(input));
}

/** An error from a failure inside the engine rather than from the facts (the CLI exits 1 for it, not 2). */
export function isInternalError(e: FactError): boolean {
  return e.field === ROOT_FIELD && e.message.startsWith(`${INTERNAL}:`);
}

type Part = Pick<Derived<unknown>, 'explanations' | 'missing'>;

/**
 * Echocardiogram frequency for the planned therapy (R-LE-ECHO). Templates state no chest/heart RT dose: for a
 * template whose local control includes radiation the chest dose is unknown (null), so the anthracycline dose alone
 * decides at ≥250 mg/m² and otherwise the RT dose is named as missing; a template with no radiation at all (benign
 * bone, low-grade osteosarcoma, RMS very low risk, ARST0332 arm A) plans 0 Gy to the chest.
 */
function plannedEcho(templateId: TemplateId | null, doxEq: number): Derived<EchoFrequency> {
  const noRt = templateId !== null && !TEMPLATES[templateId].localControl.some((o) => RT_KINDS.has(o.kind));
  const echo = echoFrequency(doxEq, noRt ? 0 : null);
  if (!noRt || templateId === null) return echo;
  return {
    ...echo,
    explanations: [
      { output: 'echoFrequency', rules: [templateId, 'R-LE-ECHO'], text: `${templateId} plans no radiation → planned chest/heart RT 0 Gy` },
      ...echo.explanations,
    ],
  };
}

const RT_KINDS: ReadonlySet<string> = new Set(['radiation', 'surgery_and_radiation']);
const NONE: Part = { explanations: [], missing: [] };

/**
 * The assessment of validated facts. Staging first (each system null where it does not apply), then the plan,
 * which reads the staging results through a StagingContext. Explanations are concatenated in output order;
 * missing facts are the deduplicated union of every part's.
 */
export function assessFacts(f: CaseFacts): Assessment {
  const enneking = assessEnneking(f);
  const ajcc = assessAjcc(f);
  const rms = assessRms(f);
  const ewing = assessEwing(f);
  const osteosarcoma = assessOsteosarcoma(f);
  const nrsts = assessNrsts(f);
  const ctx: StagingContext = {
    enneking: enneking.value, ajcc: ajcc.value, rms: rms.value, ewing: ewing.value,
    osteosarcoma: osteosarcoma.value, nrsts: nrsts.value,
  };

  const template = selectTemplate(f, ctx);
  const templateId = template.value;
  const planned: PlannedExposure | null = templateId === null ? null : plannedExposure(templateId);
  // A template that is null for lack of facts blocks the totals (and says so); one that does not apply (no rules.md
  // template for this family or disease status) leaves them null without claiming a missing fact.
  const blockedByMissing = templateId === null && template.missing.length > 0;
  const totals: Part & { value: Record<string, number> | null } = templateId !== null || blockedByMissing
    ? plannedCumulativeMgM2(templateId, f)
    : { value: null, ...NONE };
  const ced = planned === null ? null : plannedCedMgM2(planned);
  const doxEq = planned === null ? null : plannedDoxorubicinEquivalentMgM2(planned);
  const echo = doxEq?.value === null || doxEq?.value === undefined ? null : plannedEcho(templateId, doxEq.value);

  const radiation = radiationPlan(f, ctx);
  const plannedPrimaryRtGy = radiation.value?.primaryGy ?? null;
  const icd = icd10cm(f);
  const flagList = flags(f, ctx, planned, plannedPrimaryRtGy);
  const site = siteSpecificDisciplines(f, ctx);
  const conference = conferenceDisciplines(f);
  const fertility = fertilityOptions(f, planned, plannedPrimaryRtGy);
  const survivorship = f.exposures === undefined ? null : survivorshipScreening(f);

  const prov = provenance(
    enneking, ajcc, rms, ewing, osteosarcoma, nrsts, template, totals, ced ?? NONE, doxEq ?? NONE, echo ?? NONE,
    radiation, icd, flagList, site, conference, fertility, survivorship ?? NONE,
  );
  return {
    enneking: enneking.value,
    ajcc: ajcc.value,
    rms: rms.value,
    ewing: ewing.value,
    osteosarcoma: osteosarcoma.value,
    nrsts: nrsts.value,
    treatmentTemplate: templateId,
    plannedCumulativeMgM2: totals.value,
    cedMgM2: ced?.value ?? null,
    doxorubicinEquivalentMgM2: doxEq?.value ?? null,
    echoFrequency: echo?.value ?? null,
    radiation: radiation.value,
    icd10cm: icd.value,
    flags: flagList.value ?? [],
    siteSpecificDisciplines: site.value ?? [],
    conferenceDisciplines: conference.value ?? [],
    fertilityOptions: fertility.value ?? [],
    survivorship: survivorship?.value ?? null,
    missing: prov.missing as MissingFact[],
    explanations: prov.explanations as Explanation[],
  };
}
