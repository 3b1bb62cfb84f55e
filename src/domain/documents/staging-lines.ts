import type { Assessment } from '../facts/assessment.js';
import type { StagingLine } from './letters.js';

/**
 * The staging and risk lines of a letter, from the assessment: each names the system used and the rule IDs behind
 * its value (taken from the assessment's explanations). A system that applies but could not be computed prints as
 * "not recorded" (value null), never guessed; systems that do not apply are left out.
 */
export function stagingLines(a: Assessment): StagingLine[] {
  const rulesOf = (...outputs: string[]): string[] =>
    [...new Set(a.explanations.filter((e) => outputs.some((o) => e.output === o || e.output.startsWith(`${o}.`))).flatMap((e) => e.rules))];
  const out: StagingLine[] = [];
  if (a.enneking) out.push({ kind: 'enneking_stage', value: a.enneking.substage ?? a.enneking.stage, system: 'Enneking/MSTS', rules: rulesOf('enneking') });
  if (a.ajcc) {
    const tnm = [a.ajcc.T, a.ajcc.N, a.ajcc.M].every((x) => x !== null) ? `${a.ajcc.T} ${a.ajcc.N} ${a.ajcc.M}` : null;
    out.push({ kind: 'ajcc_stage', value: a.ajcc.stageGroup, system: `AJCC 8th edition (${a.ajcc.scheme.replace(/^AJCC8-/, '')})`, rules: rulesOf('ajcc.stageGroup') });
    out.push({ kind: 'ajcc_tnm', value: tnm, system: 'AJCC 8th edition', rules: rulesOf('ajcc.T', 'ajcc.N', 'ajcc.M') });
  }
  if (a.rms) {
    out.push({ kind: 'rms_stage', value: a.rms.stage === null ? null : String(a.rms.stage), system: 'COG/IRS TNM-based pretreatment stage', rules: rulesOf('rms.stage') });
    out.push({ kind: 'rms_clinical_group', value: a.rms.clinicalGroup, system: 'IRS clinical group', rules: rulesOf('rms.clinicalGroup') });
    out.push({ kind: 'cog_risk_group', value: a.rms.cogRiskFusionBased, system: 'COG risk (FOXO1 fusion-based)', rules: rulesOf('rms.cogRiskFusionBased') });
  }
  if (a.ewing) out.push({ kind: 'metastatic_category', value: a.ewing.metastaticCategory, system: 'Ewing sarcoma extent of disease', rules: rulesOf('ewing') });
  if (a.osteosarcoma) {
    out.push({ kind: 'metastatic_category', value: a.osteosarcoma.metastaticCategory, system: 'Osteosarcoma extent of disease', rules: rulesOf('osteosarcoma.metastaticCategory') });
    if (a.osteosarcoma.huvosGrade !== null || a.osteosarcoma.responseByNecrosis90 !== null) {
      out.push({ kind: 'histologic_response', value: a.osteosarcoma.responseByNecrosis90, system: `Huvos grade ${a.osteosarcoma.huvosGrade ?? '?'} (necrosis ≥ 90% = good)`, rules: rulesOf('osteosarcoma.huvosGrade', 'osteosarcoma.responseByNecrosis90') });
    }
  }
  if (a.nrsts) {
    out.push({ kind: 'risk_group', value: a.nrsts.arst0332RiskGroup, system: 'COG ARST0332 risk group', rules: rulesOf('nrsts.arst0332RiskGroup') });
    out.push({ kind: 'treatment_arm', value: a.nrsts.arst0332Arm, system: 'COG ARST0332 arm', rules: rulesOf('nrsts.arst0332Arm') });
  }
  return out;
}
