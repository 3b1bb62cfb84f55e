import type { TumorFamily } from '../coding/morphology.js';
import type { SiteCategory } from '../facts/case-facts.js';
import type { RecordStatus } from './types.js';

/**
 * The outside-records checklist of a referral (issue 4): what must arrive, and be reviewed here, before a case is
 * ready for conference. Which items a case needs depends on the tumour type (and, for parameningeal RMS, the site).
 * Items and the rules that ask for them are data; the functions only look them up.
 */

/** A record kind the coordinators track. */
export interface RecordItemDef {
  readonly key: string;
  readonly label: string;
  readonly category: 'pathology' | 'imaging' | 'labs' | 'other';
  /**
   * The discipline here that must review the material before it counts: our pathology re-reads slides, our
   * radiology re-reads images. Such items need status `reviewed`; `received` is not enough.
   */
  readonly reviewedBy: 'pathology' | 'radiology' | null;
  readonly description: string;
}

/** Every record item, in checklist order (pathology, imaging, labs). */
export const RECORD_ITEMS = [
  {
    key: 'outside_pathology_report', label: 'Outside pathology report', category: 'pathology', reviewedBy: null,
    description: 'The diagnostic pathology report from the referring hospital.',
  },
  {
    key: 'pathology_slides_blocks', label: 'Pathology slides/blocks', category: 'pathology', reviewedBy: 'pathology',
    description: 'Stained slides and paraffin blocks (or unstained slides) of the diagnostic biopsy, reviewed by our pathology.',
  },
  {
    key: 'bone_marrow', label: 'Bone marrow aspirate/biopsy', category: 'pathology', reviewedBy: null,
    description: 'Bilateral bone marrow aspirates and biopsies, as indicated.',
  },
  {
    key: 'csf_cytology', label: 'CSF cytology', category: 'pathology', reviewedBy: null,
    description: 'Cerebrospinal fluid cytology for meningeal spread.',
  },
  {
    key: 'x_ray_primary', label: 'Radiographs of the primary', category: 'imaging', reviewedBy: 'radiology',
    description: 'Plain radiographs (two planes) of the primary bone lesion, read by our radiology.',
  },
  {
    key: 'mri_primary', label: 'MRI of the primary', category: 'imaging', reviewedBy: 'radiology',
    description: 'MRI of the primary tumour with the whole compartment (whole bone for bone tumours), read by our radiology.',
  },
  {
    key: 'chest_ct', label: 'Chest CT', category: 'imaging', reviewedBy: 'radiology',
    description: 'CT of the chest for lung metastases, read by our radiology.',
  },
  {
    key: 'pet_or_bone_scan', label: 'PET or bone scan', category: 'imaging', reviewedBy: 'radiology',
    description: 'FDG PET-CT or a technetium bone scan for distant metastases, read by our radiology.',
  },
  {
    key: 'brain_mri', label: 'Brain MRI', category: 'imaging', reviewedBy: 'radiology',
    description: 'MRI of the brain for intracranial extension, read by our radiology.',
  },
  {
    key: 'labs', label: 'Labs (CBC, chemistry, LDH)', category: 'labs', reviewedBy: null,
    description: 'Complete blood count, chemistry panel and lactate dehydrogenase.',
  },
] as const satisfies readonly RecordItemDef[];

export type RecordItemKey = (typeof RECORD_ITEMS)[number]['key'];

/** The malignant tumour families: they need the metastatic work-up (chest CT, PET or bone scan). */
export const MALIGNANT_FAMILIES = [
  'osteosarcoma', 'ewing', 'rhabdomyosarcoma', 'nrsts', 'other_bone_malignant',
] as const satisfies readonly TumorFamily[];

/** A checklist rule: for these families (and sites, when given) ask for the item; the first matching rule per item wins. */
export interface RecordRule {
  readonly item: RecordItemKey;
  readonly families: 'all' | readonly TumorFamily[];
  /** Only at these sites; absent = any site. A rule with sites never matches when the site is unknown. */
  readonly sites?: readonly SiteCategory[];
  readonly required: boolean;
  readonly why: string;
}

/** Which family asks for which record, and why. Rows for the same item are tried in order. */
export const RECORD_RULES = [
  { item: 'outside_pathology_report', families: 'all', required: true, why: 'every case: the outside diagnosis is where review starts' },
  { item: 'pathology_slides_blocks', families: 'all', required: true, why: 'every case: our pathology confirms the diagnosis on the slides/blocks' },
  { item: 'x_ray_primary', families: ['osteosarcoma'], required: true, why: 'osteosarcoma: radiographs show the matrix and periosteal reaction of the primary' },
  { item: 'x_ray_primary', families: ['benign_bone'], required: true, why: 'benign bone tumour: radiographs are the main imaging of the lesion' },
  { item: 'mri_primary', families: ['benign_bone'], required: false, why: 'benign bone tumour: MRI only when the radiographs leave questions' },
  { item: 'mri_primary', families: 'all', required: true, why: 'every case: local extent of the primary for surgery and radiotherapy planning' },
  { item: 'chest_ct', families: MALIGNANT_FAMILIES, required: true, why: 'malignant tumour: lungs are the commonest site of metastasis' },
  { item: 'pet_or_bone_scan', families: MALIGNANT_FAMILIES, required: true, why: 'malignant tumour: staging for bone and other distant metastases' },
  { item: 'brain_mri', families: ['rhabdomyosarcoma'], sites: ['hn_parameningeal'], required: true, why: 'parameningeal rhabdomyosarcoma: intracranial extension changes risk and radiotherapy' },
  { item: 'bone_marrow', families: ['ewing'], required: true, why: 'Ewing sarcoma: marrow involvement is metastatic disease (as indicated)' },
  { item: 'bone_marrow', families: ['rhabdomyosarcoma'], required: true, why: 'rhabdomyosarcoma: marrow involvement is metastatic disease (as indicated)' },
  { item: 'csf_cytology', families: ['rhabdomyosarcoma'], sites: ['hn_parameningeal'], required: true, why: 'parameningeal rhabdomyosarcoma: meningeal spread changes risk and radiotherapy' },
  { item: 'labs', families: 'all', required: true, why: 'every case: baseline CBC, chemistry and LDH' },
] as const satisfies readonly RecordRule[];

const ITEM_BY_KEY: ReadonlyMap<string, RecordItemDef> = new Map(RECORD_ITEMS.map((i) => [i.key, i]));

/** The table entry of a record item, or undefined for a key the platform does not know. */
export function recordItem(key: string): RecordItemDef | undefined {
  return ITEM_BY_KEY.get(key);
}

function ruleFor(item: RecordItemKey, family: TumorFamily, site: SiteCategory | undefined): RecordRule | undefined {
  return (RECORD_RULES as readonly RecordRule[]).find((r) =>
    r.item === item
    && (r.families === 'all' || r.families.includes(family))
    && (r.sites === undefined || (site !== undefined && r.sites.includes(site))));
}

/** One line of a case's records checklist. */
export interface RecordsChecklistItem {
  item: RecordItemKey;
  required: boolean;
  why: string;
}

/**
 * The records a referral needs for its tumour type (issue 4: outside pathology, slides/blocks reviewed by our
 * pathology, imaging read by our radiology, labs), in `RECORD_ITEMS` order. With the family not known yet every
 * item any malignant family would need at this site is asked for, all required: asking for too much costs a phone
 * call, asking for too little delays the conference.
 */
export function recordsChecklist(family: TumorFamily | undefined, siteCategory?: SiteCategory): RecordsChecklistItem[] {
  const out: RecordsChecklistItem[] = [];
  for (const { key } of RECORD_ITEMS) {
    if (family !== undefined) {
      const rule = ruleFor(key, family, siteCategory);
      if (rule) out.push({ item: key, required: rule.required, why: rule.why });
      continue;
    }
    const reasons = MALIGNANT_FAMILIES.map((f) => ruleFor(key, f, siteCategory)).filter((r) => r !== undefined);
    if (reasons.length > 0) {
      out.push({ item: key, required: true, why: `tumour type not known yet, so the malignant work-up is asked for (${reasons[0]!.why})` });
    }
  }
  return out;
}

/** What an outstanding record still needs: to be requested, to arrive, or to be reviewed here. */
export type RecordNeed = 'request' | 'receive' | 'review';

/** A record not yet done. */
export interface OutstandingRecord {
  item: string;
  label: string;
  status: RecordStatus;
  needs: RecordNeed;
}

/** Is this record done? `not_applicable` is done; items reviewed here need `reviewed`, others `received`. */
export function recordDone(item: string, status: RecordStatus): boolean {
  if (status === 'not_applicable' || status === 'reviewed') return true;
  if (status !== 'received') return false;
  return (recordItem(item)?.reviewedBy ?? null) === null;
}

/**
 * Are the records complete (issue 4)? Only required items count: every one must be done (`not_applicable` counts
 * as done; an item with `reviewedBy` needs `reviewed`). `outstanding` lists the required items that are not, with
 * the next step each needs. Optional items never hold a case back.
 */
export function recordsReadiness(items: ReadonlyArray<{ item: string; required: boolean; status: RecordStatus }>): {
  complete: boolean;
  outstanding: OutstandingRecord[];
} {
  const outstanding: OutstandingRecord[] = [];
  for (const { item, required, status } of items) {
    if (!required || recordDone(item, status)) continue;
    const needs: RecordNeed = status === 'needed' ? 'request' : status === 'requested' ? 'receive' : 'review';
    outstanding.push({ item, label: recordItem(item)?.label ?? item, status, needs });
  }
  return { complete: outstanding.length === 0, outstanding };
}
