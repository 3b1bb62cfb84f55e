import type { CaseFacts } from '../facts/case-facts.js';
import type { RmsResult } from '../facts/assessment.js';
import { lookupMorphology } from '../coding/morphology.js';
import { provenance, type Derived, type Explanation } from '../rules/derive.js';
import { rmsClinicalGroup } from './rms-group.js';
import { epssgHighRisk } from './rms-epssg.js';
import { rmsOberlin } from './rms-oberlin.js';
import { arst2032Category, cogRiskFusionBased, cogRiskHistologyBased, lowRiskSubset, rmsRiskFacts } from './rms-risk.js';
import { assessRmsSite } from './rms-site.js';
import { rmsStage } from './rms-stage.js';

/**
 * Rhabdomyosarcoma assessment (rules.md §1.4): site (R-RMS-SITE), stage (R-RMS-STAGE), clinical group
 * (R-RMS-GROUP), COG risk three ways (R-RMS-RISK-HIST, R-RMS-RISK-FUSION, R-RMS-ARST2032), Oberlin factors
 * (R-RMS-OBERLIN) and EpSSG high risk (R-RMS-EPSSG-HR). The parts live in rms-*.ts; this file assembles them.
 */

export { assessRmsSite, hasMeningealImpingement, isBiliary, isBladderProstate, isExtremity, isGynecologic, isHeadNeck,
  isOrbit, isParameningeal, isParatesticular, requiresRplnd } from './rms-site.js';
export { rmsStage } from './rms-stage.js';
export { rmsClinicalGroup } from './rms-group.js';
export { arst2032Category, cogRiskFusionBased, cogRiskHistologyBased, lowRiskSubset } from './rms-risk.js';
export { rmsOberlin } from './rms-oberlin.js';
export { epssgHighRisk } from './rms-epssg.js';

/**
 * All RMS outputs for a case (R-RMS-*). `value` is null when the morphology is not a rhabdomyosarcoma; inside,
 * each field is null where a needed fact is missing (listed in `missing`) or where the sources disagree.
 */
export function assessRms(f: CaseFacts): Derived<RmsResult> {
  const morph = lookupMorphology(f.morphology);
  if (morph?.family !== 'rhabdomyosarcoma') return { value: null, explanations: [], missing: [] };
  const unverified = morph.unverified === true;

  const site = assessRmsSite(f);
  const stage = rmsStage(f);
  const group = rmsClinicalGroup(f);
  const v = rmsRiskFacts(f, stage, group, unverified);
  const hist = cogRiskHistologyBased(v);
  const fusion = cogRiskFusionBased(v);
  const subset = lowRiskSubset(v, fusion.value);
  const arst = arst2032Category(v);
  const oberlin = rmsOberlin(f);
  const epssg = epssgHighRisk(f, unverified);

  const morphNote: Explanation[] = unverified
    ? [{ output: 'rms', rules: ['R-CODE-MORPH'], text: `${f.morphology} (${morph.term}) read as RMS, histology ${morph.rmsHistology ?? 'unknown'}`, unverified: true }]
    : [];
  const prov = provenance(
    { explanations: morphNote, missing: [] },
    site, stage, group, hist, fusion, subset, arst, oberlin.count, oberlin.category, epssg,
  );
  return {
    value: {
      stage: stage.value,
      clinicalGroup: group.value,
      siteCategory: site.value,
      cogRiskHistologyBased: hist.value,
      cogRiskFusionBased: fusion.value,
      arst2032Category: arst.value,
      lowRiskSubset: subset.value,
      oberlinFactorCount: oberlin.count.value,
      oberlinCategory: oberlin.category.value,
      epssgHighRisk: epssg.value,
    },
    ...prov,
  };
}
