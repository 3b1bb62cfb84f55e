/**
 * Plain words for the rules engine's field paths and output keys (case facts, assessment outputs), for the pages and
 * for text the server writes (conference readiness). Pure and import-free, so the web app uses the same words.
 */

/** Fields and outputs whose generic wording would mislead or read badly; the rest go through `codeLabel`. */
const FIELD_WORDS: Record<string, string> = {
  'bone.compartment': 'bone compartment (intra- or extracompartmental)',
  'bone.radiographicBehavior': 'radiographic behaviour (latent, active or aggressive)',
  metastases: 'metastatic work-up (sites, or none)',
  regionalNodes: 'regional lymph nodes',
  sizeCm: 'tumour size',
  histologicResponse: 'histologic response to chemotherapy',
  'surgery.status': 'surgery (biopsy only, resected)',
  'surgery.margin': 'surgical margin',
  'exposures.radiation': 'radiation received or planned',
  'exposures.agents': 'chemotherapy agents and doses',
  'exposures.ageAtTreatmentMonths': 'age at treatment',
  'localControl.selected': 'selected local control',
  birthDate: 'date of birth',
  treatmentTemplate: 'treatment template',
  plannedCumulativeMgM2: 'planned cumulative doses (mg/m²)',
  cedMgM2: 'cyclophosphamide equivalent dose (mg/m²)',
  doxorubicinEquivalentMgM2: 'doxorubicin equivalent (mg/m²)',
  icd10cm: 'ICD-10-CM code',
  'radiation.primaryGy': 'radiation to the primary (Gy)',
  'radiation.wholeLungGy': 'whole-lung radiation (Gy)',
};

const ACRONYMS = new Set([
  'ajcc', 'nrsts', 'sts', 'rms', 'ced', 'icd', 'cm', 'rt', 'mri', 'ct', 'pet', 'hn', 'gu', 'os', 'wli', 'ltfu', 'mtd',
  'foxo1', 'ewsr1', 'myod1', 'tp53', 'anc', 'alt', 'gfr', 'uln', 'ecog', 'cog', 'irs', 'msts', 'fnclcc', 'pog',
]);
/** Names of people and systems: capitalized, not upper case. */
const NAMES = new Set(['enneking', 'huvos', 'oberlin', 'lansky', 'karnofsky', 'euramos', 'ewing']);

/**
 * A case-facts field or an assessment output in words: "bone.compartment" → "bone compartment (intra- or
 * extracompartmental)", "nrsts.arst0332RiskGroup" → "NRSTS ARST0332 risk group", "ajcc.T" → "AJCC T".
 */
export function codeLabel(path: string): string {
  if (FIELD_WORDS[path]) return FIELD_WORDS[path];
  const words = path
    .replace(/\[(\d+)\]/g, (_, n: string) => ` ${Number(n) + 1} `)
    .replace(/MgM2/g, ' mg/m² ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([0-9])([A-Z])/g, '$1 $2')
    .split(/[._\s]+/)
    .filter(Boolean);
  // In a mixed-case code an upper-case word is a designator as written (group III, arm D, IIA); a code written all
  // in capitals (a flag) has none.
  const mixed = path !== path.toUpperCase();
  return words
    .map((w) => {
      const l = w.toLowerCase();
      if (mixed && /^[A-Z0-9]+$/.test(w)) return w;
      if (/^arst\d+$/.test(l) || /^[tnmr]\d$/.test(l) || ACRONYMS.has(l)) return w.toUpperCase();
      if (NAMES.has(l)) return l.charAt(0).toUpperCase() + l.slice(1);
      return w === 'mg/m²' ? w : l === 'gy' ? 'Gy' : l;
    })
    .join(' ');
}
