/**
 * Every rule ID (`R-…`) and template ID (`T-…`) defined in clinical/rules.md, copied here so tests can check that
 * explanations cite only real rules without reading ../shared at CI time. Family wildcards such as `T-EWS-*` are
 * headings, not IDs, and are left out. When rules.md gains an ID, add it here (rule-ids.test.ts compares the two
 * whenever the shared file is present).
 */
export const RULE_IDS = [
  // §0 general conventions
  'R-GEN-AGE', 'R-GEN-SIZE', 'R-GEN-ICDO',
  // §1 staging and risk systems
  'R-ENN', 'R-ENN-III', 'R-ENN-EWS', 'R-ENN-RMS',
  'R-AJCC-BONE', 'R-AJCC-BONE-T-APP', 'R-AJCC-BONE-T-SPINE', 'R-AJCC-BONE-T-PELVIS', 'R-AJCC-BONE-STAGE',
  'R-AJCC-BONE-NOGROUP', 'R-AJCC-STS',
  'R-RMS-SITE', 'R-RMS-PM', 'R-RMS-STAGE', 'R-RMS-GROUP', 'R-RMS-RISK-HIST', 'R-RMS-RISK-FUSION', 'R-RMS-ARST2032',
  'R-RMS-OBERLIN', 'R-RMS-EPSSG-HR',
  'R-EWS', 'R-EWS-CAT', 'R-EWS-LC',
  'R-OS', 'R-OS-CAT', 'R-OS-RESP', 'R-OS-RESP-90',
  'R-NRSTS', 'R-NRSTS-RISK', 'R-NRSTS-ARM', 'R-NRSTS-GRADE',
  // §2 templates and RMS radiation
  'T-EWS-ICC', 'T-EWS-MET',
  'T-OS-MAP', 'T-OS-LOWGRADE',
  'T-RMS-VLR-VA24', 'T-RMS-LR-VAC4-VA', 'T-RMS-LR-SUBSET-B', 'T-RMS-IR-VACVI-MAINT', 'T-RMS-HR-INTENSIVE',
  'T-RMS-EPSSG-MAINT',
  'T-NRSTS-A', 'T-NRSTS-B', 'T-NRSTS-C', 'T-NRSTS-D', 'T-NRSTS-HR',
  'T-BN-OBSERVE', 'T-BN-CURETTAGE', 'T-BN-AGGRESSIVE',
  'R-RMS-RT',
  // §3 age and location
  'R-AGE-INFANT', 'R-AGE-RT24', 'R-LOC-GROWTH', 'R-FERT', 'R-DISC', 'R-CONF', 'R-FLAGS',
  // §4 late effects
  'R-LE-ANTHRA', 'R-LE-CED', 'R-LE-OTO', 'R-LE-IFO', 'R-LE-RT', 'R-LE-SMN', 'R-LE-ECHO',
  // §5 coding
  'R-CODE-MORPH', 'R-CODE-TOPO',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/**
 * IDs the code cites that rules.md does not (yet) define, with why; tests accept an unlisted ID from here only.
 * Empty: ICD-10-CM (rules.md §5.3, which has no ID) cites the ICD-O-3 rules it maps from.
 */
export const PENDING_RULE_IDS: Readonly<Record<string, string>> = {};

const KNOWN: ReadonlySet<string> = new Set(RULE_IDS);

/** Is `id` a rule or template ID defined in rules.md? */
export function isRuleId(id: string): id is RuleId {
  return KNOWN.has(id);
}
