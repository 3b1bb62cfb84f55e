/**
 * The structured tumour facts (the case-facts tumour fields stored in `tumor.details`, src/domain/registry/types.ts
 * `tumorDetailsSchema`): which fields exist, their plain-language labels and options, and the draft ⇄ details
 * conversion of the form. Unknown stays unknown: an empty choice removes the key, it never defaults to a value.
 */

export type Details = Record<string, unknown>;
/** `short`: the value's words in a summary, when the option label is phrased for the form. */
export interface Option { value: string; label: string; short?: string }

/** What decides which sections and fields are relevant: the tumour columns and the morphology's family. */
export interface FactsContext {
  topography: string;
  siteCategory: string;
  /** Tumour family of the morphology (osteosarcoma, ewing, rhabdomyosarcoma, nrsts, …), when known. */
  family?: string | undefined;
}

export const isBoneTopography = (topography: string) => /^C4[01]/i.test(topography.trim());
export const isSoftTissue = (ctx: FactsContext) => /^C\d{2}/i.test(ctx.topography.trim()) && !isBoneTopography(ctx.topography);

/** `metastases`: absent = not yet staged, [] = no distant metastases, a list = the sites. */
export type FieldKind = 'select' | 'bool' | 'number' | 'text' | 'metastases';

export interface FactField {
  /** Path inside `details`, e.g. `bone.skipLesion`; the server reports it as `details.bone.skipLesion`. */
  path: string;
  label: string;
  /** The label in the tumour summary, when shorter words read better there. */
  summaryLabel?: string;
  kind: FieldKind;
  options?: Option[];
  /** Select values are numbers (grades, segment counts). */
  numeric?: boolean;
  integer?: boolean;
  min?: number;
  max?: number;
  unit?: string;
  maxLength?: number;
  description?: string;
  /** Shown only when this holds, or when the field already has a value (nothing recorded is ever hidden). */
  when?: (d: Details, ctx: FactsContext) => boolean;
}

export interface FactSection {
  id: string;
  legend: string;
  fields: FactField[];
  when?: (ctx: FactsContext) => boolean;
}

export const METASTATIC_SITES: Option[] = [
  { value: 'lung', label: 'Lung' }, { value: 'pleura', label: 'Pleura' }, { value: 'bone', label: 'Bone' },
  { value: 'bone_marrow', label: 'Bone marrow' }, { value: 'distant_lymph_nodes', label: 'Distant lymph nodes' },
  { value: 'liver', label: 'Liver' }, { value: 'brain', label: 'Brain' }, { value: 'other', label: 'Other site' },
];

const grade123 = (prefix: string): Option[] => [1, 2, 3].map((g) => ({ value: String(g), label: `${prefix} ${g}` }));
const range = (from: number, to: number): Option[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ value: String(from + i), label: String(from + i) }));
const mutation: Option[] = [
  { value: 'wild_type', label: 'Wild type' }, { value: 'mutated', label: 'Mutated' },
  { value: 'unknown', label: 'Tested, result pending or indeterminate', short: 'Pending or indeterminate' },
];

export const get = (d: Details, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' && !Array.isArray(o) ? (o as Details)[k] : undefined), d);

/** A copy of `d` with `path` set, or removed when `value` is undefined; objects left empty are removed too. */
export function set(d: Details, path: string, value: unknown): Details {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  const next: Details = { ...d };
  if (rest.length === 0) {
    if (value === undefined) delete next[head];
    else next[head] = value;
    return next;
  }
  const child = next[head];
  const inner = set(child !== null && typeof child === 'object' && !Array.isArray(child) ? (child as Details) : {}, rest.join('.'), value);
  if (Object.keys(inner).length === 0) delete next[head];
  else next[head] = inner;
  return next;
}

const has = (d: Details, path: string) => get(d, path) !== undefined;
const isBoneCat = (ctx: FactsContext, cat: string) => ctx.siteCategory === cat;

export const FACT_SECTIONS: FactSection[] = [
  {
    id: 'extent', legend: 'Extent and spread',
    fields: [
      { path: 'regionalNodes', label: 'Regional lymph nodes', summaryLabel: 'Regional nodes', kind: 'select', options: [
        { value: 'N0', label: 'N0 (clinically uninvolved)' }, { value: 'N1', label: 'N1 (regional nodes involved)' },
        { value: 'NX', label: 'NX (cannot be assessed)' },
      ] },
      { path: 'metastases', label: 'Distant metastases', kind: 'metastases', options: METASTATIC_SITES },
      { path: 'metastaticSiteCount', label: 'Number of metastatic sites', kind: 'number', integer: true, min: 0, max: 100,
        description: 'Distinct sites or organs involved', when: (d) => Array.isArray(d.metastases) && d.metastases.length > 0 },
    ],
  },
  {
    id: 'grade', legend: 'Grade',
    fields: [
      { path: 'grade.twoTier', label: 'Grade (two-tier)', kind: 'select', options: [{ value: 'low', label: 'Low grade' }, { value: 'high', label: 'High grade' }] },
      { path: 'grade.fnclcc', label: 'FNCLCC grade', kind: 'select', numeric: true, options: grade123('FNCLCC grade') },
      { path: 'grade.pog', label: 'POG grade', kind: 'select', numeric: true, options: grade123('POG grade') },
    ],
  },
  {
    id: 'bone', legend: 'Bone', when: (ctx) => isBoneTopography(ctx.topography),
    fields: [
      { path: 'bone.compartment', label: 'Compartment', kind: 'select', options: [
        { value: 'intracompartmental', label: 'Intracompartmental' }, { value: 'extracompartmental', label: 'Extracompartmental' },
      ] },
      { path: 'bone.skipLesion', label: 'Skip lesion', kind: 'select', options: [
        { value: 'none', label: 'No skip lesion', short: 'None' }, { value: 'same_bone', label: 'In the same bone', short: 'Same bone' },
        { value: 'other_bone', label: 'In another bone (transarticular)', short: 'Other bone (transarticular)' },
      ] },
      { path: 'bone.radiographicBehavior', label: 'Radiographic behaviour', kind: 'select', options: [
        { value: 'latent', label: 'Latent' }, { value: 'active', label: 'Active' }, { value: 'aggressive', label: 'Aggressive' },
      ] },
      { path: 'bone.extraosseousExtension', label: 'Extraosseous extension', kind: 'bool' },
      { path: 'bone.pelvicSegments', label: 'Pelvic segments involved', kind: 'select', numeric: true, options: range(1, 4),
        when: (_d, ctx) => isBoneCat(ctx, 'bone_pelvis') },
      { path: 'bone.sacroiliacCrossing', label: 'Crosses the sacroiliac joint', kind: 'bool', when: (_d, ctx) => isBoneCat(ctx, 'bone_pelvis') },
      { path: 'bone.vertebralSegments', label: 'Vertebral segments involved', kind: 'select', numeric: true, options: range(1, 5),
        when: (_d, ctx) => isBoneCat(ctx, 'bone_spine') },
      { path: 'bone.nonadjacentSegments', label: 'Non-adjacent vertebral segments', kind: 'bool', when: (_d, ctx) => isBoneCat(ctx, 'bone_spine') },
      { path: 'bone.spinalCanalInvasion', label: 'Spinal canal invasion', kind: 'bool', when: (_d, ctx) => isBoneCat(ctx, 'bone_spine') },
      { path: 'bone.greatVesselInvolvement', label: 'Great-vessel invasion or tumour thrombus', summaryLabel: 'Great-vessel invasion', kind: 'bool',
        when: (_d, ctx) => isBoneCat(ctx, 'bone_spine') || isBoneCat(ctx, 'bone_pelvis') },
    ],
  },
  {
    id: 'soft', legend: 'Soft tissue', when: isSoftTissue,
    fields: [
      { path: 'depth', label: 'Depth', kind: 'select', options: [
        { value: 'superficial', label: 'Superficial to the fascia', short: 'Superficial' },
        { value: 'deep', label: 'Deep (at or below the fascia)', short: 'Deep' },
      ] },
      { path: 'invasiveness', label: 'Invasiveness (RMS T stage)', kind: 'select', options: [
        { value: 'T1', label: 'T1 (confined to the site of origin)' }, { value: 'T2', label: 'T2 (extends into surrounding tissue)' },
      ] },
    ],
  },
  {
    id: 'headNeck', legend: 'Head and neck', when: (ctx) => ctx.siteCategory.startsWith('hn_'),
    fields: [
      { path: 'headNeck.intracranialExtension', label: 'Intracranial extension', kind: 'bool' },
      { path: 'headNeck.skullBaseErosion', label: 'Skull-base erosion', kind: 'bool' },
      { path: 'headNeck.cranialNervePalsy', label: 'Cranial nerve palsy', kind: 'bool' },
      { path: 'headNeck.boneErosion', label: 'Bone erosion', kind: 'bool' },
    ],
  },
  {
    id: 'surgery', legend: 'Surgery',
    fields: [
      { path: 'surgery.status', label: 'Surgical procedure', summaryLabel: 'Surgery', kind: 'select', options: [
        { value: 'none', label: 'No surgery' }, { value: 'biopsy', label: 'Biopsy only' }, { value: 'resected', label: 'Resected' },
      ] },
      { path: 'surgery.margin', label: 'Resection margin', kind: 'select', when: (d) => get(d, 'surgery.status') === 'resected', options: [
        { value: 'R0', label: 'R0 (no residual tumour)' }, { value: 'R1', label: 'R1 (microscopic residual)' },
        { value: 'R2', label: 'R2 (macroscopic residual)' },
      ] },
      { path: 'surgery.closeMarginLt5mm', label: 'Close margin (under 5 mm)', kind: 'bool', when: (d) => get(d, 'surgery.margin') === 'R0' },
      { path: 'surgery.nodesSampled', label: 'Regional nodes sampled', kind: 'bool' },
      { path: 'surgery.nodesPositive', label: 'Sampled nodes positive', kind: 'bool', when: (d) => get(d, 'surgery.nodesSampled') === true },
      { path: 'surgery.mostDistalNodePositive', label: 'Most distal node positive', kind: 'bool', when: (d) => get(d, 'surgery.nodesPositive') === true },
    ],
  },
  {
    id: 'molecular', legend: 'Molecular',
    fields: [
      { path: 'molecular.foxo1Fusion', label: 'FOXO1 fusion', kind: 'select', options: [
        { value: 'positive', label: 'Positive' }, { value: 'negative', label: 'Negative' },
        { value: 'unknown', label: 'Tested, result pending or indeterminate', short: 'Pending or indeterminate' },
      ] },
      { path: 'molecular.fusionPartner', label: 'Fusion partner', kind: 'text', maxLength: 40, description: 'e.g. PAX3, PAX7, FLI1' },
      { path: 'molecular.myod1', label: 'MYOD1', kind: 'select', options: mutation },
      { path: 'molecular.tp53', label: 'TP53', kind: 'select', options: mutation },
      { path: 'molecular.ewsr1Fusion', label: 'EWSR1 fusion', kind: 'text', maxLength: 40, description: 'e.g. EWSR1::FLI1' },
    ],
  },
  {
    id: 'response', legend: 'Response',
    fields: [
      { path: 'histologicResponse.necrosisPercent', label: 'Necrosis after chemotherapy', summaryLabel: 'Necrosis', kind: 'number', min: 0, max: 100, unit: '%',
        description: 'Histologic response in the resection specimen' },
    ],
  },
  {
    id: 'status', legend: 'Status',
    fields: [
      { path: 'diseaseStatus', label: 'Disease status', kind: 'select', options: [
        { value: 'newly_diagnosed', label: 'Newly diagnosed' }, { value: 'relapsed', label: 'Relapsed' },
        { value: 'refractory', label: 'Refractory' }, { value: 'progressive', label: 'Progressive' },
      ] },
      { path: 'pubertalStatus', label: 'Pubertal status', kind: 'select', options: [
        { value: 'prepubertal', label: 'Prepubertal' }, { value: 'pubertal', label: 'Pubertal' }, { value: 'postpubertal', label: 'Postpubertal' },
      ] },
      { path: 'performance.scale', label: 'Performance scale', kind: 'select', options: [
        { value: 'lansky', label: 'Lansky' }, { value: 'karnofsky', label: 'Karnofsky' }, { value: 'ecog', label: 'ECOG' },
      ] },
      { path: 'performance.value', label: 'Performance score', kind: 'number', min: 0, max: 100 },
    ],
  },
];

export const ALL_FIELDS = FACT_SECTIONS.flatMap((s) => s.fields);
const NUMBER_FIELDS = ALL_FIELDS.filter((f) => f.kind === 'number');
const TEXT_FIELDS = ALL_FIELDS.filter((f) => f.kind === 'text');

export const sectionShown = (s: FactSection, d: Details, ctx: FactsContext) =>
  !s.when || s.when(ctx) || s.fields.some((f) => has(d, f.path));
export const fieldShown = (f: FactField, d: Details, ctx: FactsContext) => !f.when || f.when(d, ctx) || has(d, f.path);

/** Error keys the structured fields show in place (`details.<path>`, and any `details.metastases…`). */
export function isPlacedFactError(key: string): boolean {
  if (key === 'details.metastases' || key.startsWith('details.metastases.')) return true;
  return ALL_FIELDS.some((f) => key === `details.${f.path}`);
}

/** The form's draft: the stored details with number fields as the text being typed. */
export function detailsToDraft(details: Details | undefined): Details {
  let d: Details = { ...(details ?? {}) };
  for (const f of NUMBER_FIELDS) {
    const v = get(d, f.path);
    if (typeof v === 'number') d = set(d, f.path, String(v));
  }
  return d;
}

/** Details to send, or errors keyed `details.<path>`. Blank text and numbers are left out (unknown). */
export function draftToDetails(draft: Details): { details?: Details; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  let d = draft;
  for (const f of TEXT_FIELDS) {
    const v = get(d, f.path);
    if (typeof v === 'string') d = set(d, f.path, v.trim() === '' ? undefined : v.trim());
  }
  for (const f of NUMBER_FIELDS) {
    const v = get(d, f.path);
    if (typeof v !== 'string') continue;
    if (v.trim() === '') { d = set(d, f.path, undefined); continue; }
    const n = Number(v.trim().replace(',', '.'));
    const bounds = `${f.min ?? 0}–${f.max ?? 100}`;
    if (!Number.isFinite(n) || (f.integer && !Number.isInteger(n)) || n < (f.min ?? 0) || n > (f.max ?? 100)) {
      errors[`details.${f.path}`] = `Enter ${f.integer ? 'a whole number' : 'a number'} from ${bounds}${f.unit ? ` ${f.unit}` : ''}`;
    } else d = set(d, f.path, n);
  }
  if (d.metastases !== undefined && !Array.isArray(d.metastases)) {
    errors['details.metastases'] = 'Tick at least one metastatic site, or choose No distant metastases';
  }
  if (Array.isArray(d.metastases) && d.metastases.length === 0) d = set(d, 'metastaticSiteCount', undefined);
  if (has(d, 'performance.value') && !has(d, 'performance.scale')) errors['details.performance.scale'] = 'Choose the scale of the performance score';
  if (has(d, 'performance.scale') && !has(d, 'performance.value') && !errors['details.performance.value']) {
    errors['details.performance.value'] = 'Enter the score, or set the scale to Unknown';
  }
  return Object.keys(errors).length > 0 ? { errors } : { details: d, errors };
}
