/**
 * ICD-O-3 morphology codes the platform knows (R-CODE-MORPH, rules.md §5.1), keyed on the full code including
 * behaviour (rules.md §6 item 21: 9260/3 Ewing vs 9260/0 aneurysmal bone cyst).
 */

export const TUMOR_FAMILIES = [
  'osteosarcoma', 'ewing', 'rhabdomyosarcoma', 'nrsts', 'other_bone_malignant', 'benign_bone', 'intermediate_soft_tissue',
] as const;
export type TumorFamily = (typeof TUMOR_FAMILIES)[number];

export interface MorphologyEntry {
  readonly term: string;
  readonly family: TumorFamily;
  /** Osteosarcoma subtype that changes the template (R-OS, T-OS-LOWGRADE). */
  readonly osSubtype?: 'conventional' | 'low_grade' | 'periosteal' | 'high_grade_surface';
  /** RMS histology for the classic (histology-based) COG risk (R-RMS-RISK-HIST). */
  readonly rmsHistology?: 'embryonal' | 'alveolar' | 'spindle' | 'pleomorphic' | 'nos' | 'mixed';
  /** POG grade fixed by histology (R-NRSTS-GRADE), where the histology alone decides it. */
  readonly pogGradeByHistology?: 1 | 3;
  /** [K]: not re-checked against a primary source. */
  readonly unverified?: boolean;
}

export const MORPHOLOGY = {
  // Malignant bone
  '9180/3': { term: 'Osteosarcoma NOS / conventional', family: 'osteosarcoma', osSubtype: 'conventional' },
  '9181/3': { term: 'Chondroblastic osteosarcoma', family: 'osteosarcoma', osSubtype: 'conventional' },
  '9182/3': { term: 'Fibroblastic osteosarcoma', family: 'osteosarcoma', osSubtype: 'conventional' },
  '9183/3': { term: 'Telangiectatic osteosarcoma', family: 'osteosarcoma', osSubtype: 'conventional' },
  '9184/3': { term: 'Osteosarcoma in Paget disease', family: 'osteosarcoma', osSubtype: 'conventional' },
  '9185/3': { term: 'Small cell osteosarcoma', family: 'osteosarcoma', osSubtype: 'conventional' },
  '9186/3': { term: 'Central osteosarcoma', family: 'osteosarcoma', osSubtype: 'conventional' },
  '9187/3': { term: 'Low-grade central osteosarcoma', family: 'osteosarcoma', osSubtype: 'low_grade' },
  '9192/3': { term: 'Parosteal osteosarcoma', family: 'osteosarcoma', osSubtype: 'low_grade' },
  '9193/3': { term: 'Periosteal osteosarcoma', family: 'osteosarcoma', osSubtype: 'periosteal' },
  '9194/3': { term: 'High-grade surface osteosarcoma', family: 'osteosarcoma', osSubtype: 'high_grade_surface' },
  '9195/3': { term: 'Intracortical osteosarcoma', family: 'osteosarcoma', osSubtype: 'conventional' },
  '9260/3': { term: 'Ewing sarcoma', family: 'ewing' },
  '9364/3': { term: 'Peripheral neuroectodermal tumour', family: 'ewing', unverified: true },
  '9365/3': { term: 'Askin tumour', family: 'ewing', unverified: true },
  '9220/3': { term: 'Chondrosarcoma NOS', family: 'other_bone_malignant' },
  '9240/3': { term: 'Mesenchymal chondrosarcoma', family: 'other_bone_malignant', pogGradeByHistology: 3 },
  '9243/3': { term: 'Dedifferentiated chondrosarcoma', family: 'other_bone_malignant' },
  '9242/3': { term: 'Clear cell chondrosarcoma', family: 'other_bone_malignant' },
  '9370/3': { term: 'Chordoma', family: 'other_bone_malignant' },
  '9261/3': { term: 'Adamantinoma', family: 'other_bone_malignant' },
  '9250/3': { term: 'Malignancy in giant cell tumour', family: 'other_bone_malignant' },
  // Benign and intermediate bone
  '9210/0': { term: 'Osteochondroma', family: 'benign_bone' },
  '9210/1': { term: 'Osteochondromatosis', family: 'benign_bone' },
  '9220/0': { term: 'Chondroma / enchondroma', family: 'benign_bone' },
  '9221/0': { term: 'Periosteal chondroma', family: 'benign_bone' },
  '9220/1': { term: 'Enchondromatosis', family: 'benign_bone' },
  '9230/0': { term: 'Chondroblastoma (ICD-O-3 2000 / WHO 2002)', family: 'benign_bone' },
  '9230/1': { term: 'Chondroblastoma (WHO 2013+)', family: 'benign_bone', unverified: true },
  '9241/0': { term: 'Chondromyxoid fibroma', family: 'benign_bone' },
  '9191/0': { term: 'Osteoid osteoma', family: 'benign_bone' },
  '9200/0': { term: 'Osteoblastoma', family: 'benign_bone' },
  '9200/1': { term: 'Aggressive osteoblastoma', family: 'benign_bone' },
  '9250/1': { term: 'Giant cell tumour of bone', family: 'benign_bone' },
  '8830/0': { term: 'Non-ossifying fibroma / benign fibrous histiocytoma', family: 'benign_bone' },
  '8823/1': { term: 'Desmoplastic fibroma', family: 'benign_bone' },
  '9260/0': { term: 'Aneurysmal bone cyst (WHO 2013+)', family: 'benign_bone' },
  '9751/1': { term: 'Langerhans cell histiocytosis (older editions)', family: 'benign_bone' },
  // Rhabdomyosarcoma
  '8900/3': { term: 'Rhabdomyosarcoma NOS', family: 'rhabdomyosarcoma', rmsHistology: 'nos' },
  '8910/3': { term: 'Embryonal rhabdomyosarcoma (incl. botryoid)', family: 'rhabdomyosarcoma', rmsHistology: 'embryonal' },
  '8912/3': { term: 'Spindle cell / sclerosing rhabdomyosarcoma', family: 'rhabdomyosarcoma', rmsHistology: 'spindle' },
  '8920/3': { term: 'Alveolar rhabdomyosarcoma', family: 'rhabdomyosarcoma', rmsHistology: 'alveolar' },
  '8901/3': { term: 'Pleomorphic rhabdomyosarcoma', family: 'rhabdomyosarcoma', rmsHistology: 'pleomorphic' },
  '8902/3': { term: 'Mixed-type rhabdomyosarcoma', family: 'rhabdomyosarcoma', rmsHistology: 'mixed', unverified: true },
  '8921/3': { term: 'Rhabdomyosarcoma with ganglionic differentiation', family: 'rhabdomyosarcoma', rmsHistology: 'embryonal', unverified: true },
  // Non-rhabdomyosarcoma soft tissue sarcoma
  '9040/3': { term: 'Synovial sarcoma NOS', family: 'nrsts', pogGradeByHistology: 3 },
  '9041/3': { term: 'Synovial sarcoma, spindle cell (monophasic)', family: 'nrsts', pogGradeByHistology: 3, unverified: true },
  '9042/3': { term: 'Synovial sarcoma, epithelioid cell', family: 'nrsts', pogGradeByHistology: 3, unverified: true },
  '9043/3': { term: 'Synovial sarcoma, biphasic', family: 'nrsts', pogGradeByHistology: 3, unverified: true },
  '9540/3': { term: 'Malignant peripheral nerve sheath tumour', family: 'nrsts', unverified: true },
  '8810/3': { term: 'Fibrosarcoma NOS', family: 'nrsts' },
  '8814/3': { term: 'Infantile fibrosarcoma', family: 'nrsts', pogGradeByHistology: 1, unverified: true },
  '8806/3': { term: 'Desmoplastic small round cell tumour', family: 'nrsts', pogGradeByHistology: 3, unverified: true },
  '8804/3': { term: 'Epithelioid sarcoma', family: 'nrsts', pogGradeByHistology: 3, unverified: true },
  '9581/3': { term: 'Alveolar soft part sarcoma', family: 'nrsts', pogGradeByHistology: 3, unverified: true },
  '9044/3': { term: 'Clear cell sarcoma', family: 'nrsts', pogGradeByHistology: 3, unverified: true },
  '8840/3': { term: 'Low-grade fibromyxoid sarcoma (myxosarcoma code)', family: 'nrsts', unverified: true },
  '8805/3': { term: 'Undifferentiated sarcoma', family: 'nrsts', pogGradeByHistology: 3, unverified: true },
  '8830/3': { term: 'Undifferentiated pleomorphic sarcoma (MFH, older)', family: 'nrsts' },
  '8890/3': { term: 'Leiomyosarcoma', family: 'nrsts' },
  '8850/3': { term: 'Liposarcoma NOS', family: 'nrsts' },
  '8852/3': { term: 'Myxoid liposarcoma', family: 'nrsts', pogGradeByHistology: 1, unverified: true },
  '9120/3': { term: 'Angiosarcoma', family: 'nrsts' },
  '9231/3': { term: 'Extraskeletal myxoid chondrosarcoma', family: 'nrsts', pogGradeByHistology: 1 },
  '9367/3': { term: 'CIC-rearranged sarcoma (ICD-O-3.2)', family: 'nrsts', unverified: true },
  '9368/3': { term: 'BCOR sarcoma (ICD-O-3.2)', family: 'nrsts', unverified: true },
  '8832/3': { term: 'Dermatofibrosarcoma protuberans (malignant coding)', family: 'nrsts', pogGradeByHistology: 1, unverified: true },
  // Intermediate soft tissue
  '8821/1': { term: 'Desmoid-type fibromatosis', family: 'intermediate_soft_tissue' },
  '8825/1': { term: 'Inflammatory myofibroblastic tumour', family: 'intermediate_soft_tissue' },
  '8832/1': { term: 'Dermatofibrosarcoma protuberans (intermediate coding)', family: 'intermediate_soft_tissue', unverified: true },
} as const satisfies Record<string, MorphologyEntry>;

export type MorphologyCode = keyof typeof MORPHOLOGY;

export function lookupMorphology(code: string): MorphologyEntry | undefined {
  return (MORPHOLOGY as Record<string, MorphologyEntry>)[code];
}

/** Is the primary a bone tumour? Topography C40/C41 (R-CODE-TOPO). */
export function isBoneTopography(topography: string): boolean {
  return /^C4[01]/.test(topography);
}

/**
 * The tumour family used to choose staging systems and templates (R-CODE-MORPH). Osteosarcoma or Ewing codes
 * arising outside bone (extraskeletal, topography not C40/C41) keep their family; callers decide which
 * bone-only systems apply by topography.
 */
export function tumorFamily(morphology: string): TumorFamily | undefined {
  return lookupMorphology(morphology)?.family;
}
