import type { CaseFacts } from '../facts/case-facts.js';
import { derived, missing, notApplicable, type Derived, type TRule } from '../rules/derive.js';
import { lookupMorphology } from './morphology.js';

/**
 * ICD-10-CM diagnosis code from ICD-O-3 topography and behaviour (rules.md §5.3). That section has no rule ID of
 * its own, so explanations cite the ICD-O-3 rules the mapping starts from (R-CODE-TOPO, R-CODE-MORPH). The whole
 * section is [K]: every code is marked unverified and must be checked by a coder before billing or registry use.
 */

/** Target code; `lateral` sites take a 6th character: 1 right, 2 left (0 unspecified is never produced). */
export interface Icd10Target {
  readonly code: string;
  readonly lateral?: true;
}

const RULES = ['R-CODE-TOPO', 'R-CODE-MORPH'];
const OUT = 'icd10cm';
const L = true as const;

/** Malignant primary (/3) by ICD-O-3 topography. ICD-O codes without a subsite map to the NOS code. */
export const MALIGNANT_ICD10 = {
  // Bone, limbs (C40): laterality in ICD-10-CM
  'C40.0': { code: 'C40.0', lateral: L }, 'C40.1': { code: 'C40.1', lateral: L }, 'C40.2': { code: 'C40.2', lateral: L },
  'C40.3': { code: 'C40.3', lateral: L }, 'C40.8': { code: 'C40.8', lateral: L }, 'C40.9': { code: 'C40.9', lateral: L },
  C40: { code: 'C40.9', lateral: L },
  // Bone, other sites (C41): no laterality; ICD-10-CM has no C41.8
  'C41.0': { code: 'C41.0' }, 'C41.1': { code: 'C41.1' }, 'C41.2': { code: 'C41.2' }, 'C41.3': { code: 'C41.3' },
  'C41.4': { code: 'C41.4' }, 'C41.9': { code: 'C41.9' }, C41: { code: 'C41.9' },
  // Connective and soft tissue (C49): limbs take laterality
  'C49.0': { code: 'C49.0' }, 'C49.1': { code: 'C49.1', lateral: L }, 'C49.2': { code: 'C49.2', lateral: L },
  'C49.3': { code: 'C49.3' }, 'C49.4': { code: 'C49.4' }, 'C49.5': { code: 'C49.5' }, 'C49.6': { code: 'C49.6' },
  'C49.8': { code: 'C49.8' }, 'C49.9': { code: 'C49.9' }, C49: { code: 'C49.9' },
  // Peripheral nerves (C47): limbs take laterality
  'C47.0': { code: 'C47.0' }, 'C47.1': { code: 'C47.1', lateral: L }, 'C47.2': { code: 'C47.2', lateral: L },
  'C47.3': { code: 'C47.3' }, 'C47.4': { code: 'C47.4' }, 'C47.5': { code: 'C47.5' }, 'C47.6': { code: 'C47.6' },
  'C47.8': { code: 'C47.8' }, 'C47.9': { code: 'C47.9' }, C47: { code: 'C47.9' },
  // Retroperitoneum and peritoneum (C48)
  'C48.0': { code: 'C48.0' }, 'C48.1': { code: 'C48.1' }, 'C48.2': { code: 'C48.2' }, 'C48.8': { code: 'C48.8' },
  // Orbit
  'C69.6': { code: 'C69.6', lateral: L },
  // Head and neck
  'C11.0': { code: 'C11.0' }, 'C11.1': { code: 'C11.1' }, 'C11.2': { code: 'C11.2' }, 'C11.3': { code: 'C11.3' },
  'C11.8': { code: 'C11.8' }, 'C11.9': { code: 'C11.9' }, C11: { code: 'C11.9' },
  'C30.0': { code: 'C30.0' }, 'C30.1': { code: 'C30.1' },
  'C31.0': { code: 'C31.0' }, 'C31.1': { code: 'C31.1' }, 'C31.2': { code: 'C31.2' }, 'C31.3': { code: 'C31.3' },
  'C31.8': { code: 'C31.8' }, 'C31.9': { code: 'C31.9' }, C31: { code: 'C31.9' },
  // Genitourinary
  'C67.0': { code: 'C67.0' }, 'C67.1': { code: 'C67.1' }, 'C67.2': { code: 'C67.2' }, 'C67.3': { code: 'C67.3' },
  'C67.4': { code: 'C67.4' }, 'C67.5': { code: 'C67.5' }, 'C67.6': { code: 'C67.6' }, 'C67.7': { code: 'C67.7' },
  'C67.8': { code: 'C67.8' }, 'C67.9': { code: 'C67.9' }, C67: { code: 'C67.9' },
  'C61.9': { code: 'C61' }, C61: { code: 'C61' },
  'C52.9': { code: 'C52' }, C52: { code: 'C52' },
  'C53.0': { code: 'C53.0' }, 'C53.1': { code: 'C53.1' }, 'C53.8': { code: 'C53.8' }, 'C53.9': { code: 'C53.9' }, C53: { code: 'C53.9' },
  'C55.9': { code: 'C55' }, C55: { code: 'C55' },
  'C63.0': { code: 'C63.0', lateral: L }, 'C63.1': { code: 'C63.1', lateral: L }, 'C63.2': { code: 'C63.2' },
  'C62.0': { code: 'C62.0', lateral: L }, 'C62.1': { code: 'C62.1', lateral: L }, 'C62.9': { code: 'C62.9', lateral: L },
  // Biliary: extrahepatic duct only. C22.1 has no sarcoma code here: ICD-10-CM C22.x is split by histology.
  'C24.0': { code: 'C24.0' },
} as const satisfies Record<string, Icd10Target>;

/**
 * Benign (/0) by ICD-O-3 topography: bone D16.x (limbs with laterality), connective and soft tissue D21.x.
 * Overlapping bone sites (C40.8, C41.8) have no D16 code and are left to a coder.
 */
export const BENIGN_ICD10 = {
  'C40.0': { code: 'D16.0', lateral: L }, 'C40.1': { code: 'D16.1', lateral: L }, 'C40.2': { code: 'D16.2', lateral: L },
  'C40.3': { code: 'D16.3', lateral: L }, 'C40.9': { code: 'D16.9' }, C40: { code: 'D16.9' },
  'C41.0': { code: 'D16.4' }, 'C41.1': { code: 'D16.5' }, 'C41.2': { code: 'D16.6' }, 'C41.3': { code: 'D16.7' },
  'C41.4': { code: 'D16.8' }, 'C41.9': { code: 'D16.9' }, C41: { code: 'D16.9' },
  'C49.0': { code: 'D21.0' }, 'C49.1': { code: 'D21.1', lateral: L }, 'C49.2': { code: 'D21.2', lateral: L },
  'C49.3': { code: 'D21.3' }, 'C49.4': { code: 'D21.4' }, 'C49.5': { code: 'D21.5' }, 'C49.6': { code: 'D21.6' },
  'C49.9': { code: 'D21.9' }, C49: { code: 'D21.9' },
} as const satisfies Record<string, Icd10Target>;

/** Benign bone lesions that ICD-10-CM codes outside D16 (musculoskeletal chapter); left to a coder. */
export const BENIGN_BONE_NOT_D16: Readonly<Record<string, string>> = {
  '9260/0': 'aneurysmal bone cyst is a musculoskeletal-chapter code (M85.5-) in ICD-10-CM, not D16',
  '8830/0': 'non-ossifying fibroma of bone is indexed outside D16 in ICD-10-CM',
};

const BONE_UNCERTAIN_MORPHOLOGY = ['9250/1', '9200/1', '8823/1'];

/**
 * Uncertain behaviour (/1). Giant cell tumour of bone (and the other /1 bone neoplasms the neoplasm table sends to
 * "bone, uncertain behaviour") → D48.0; intermediate soft-tissue tumours (desmoid, IMT) → D48.1 in soft tissue,
 * D48.3 in the retroperitoneum. Enchondromatosis, osteochondromatosis, chondroblastoma /1 and LCH are coded
 * outside D48 in ICD-10-CM and are left to a coder.
 */
export const UNCERTAIN_ICD10 = [
  { value: { code: 'D48.0' }, when: (f) => BONE_UNCERTAIN_MORPHOLOGY.includes(f.morphology) && /^C4[01]/.test(f.topography), why: 'uncertain behaviour, bone' },
  { value: { code: 'D48.1' }, when: (f) => /^C49/.test(f.topography), why: 'uncertain behaviour, connective and soft tissue' },
  { value: { code: 'D48.3' }, when: (f) => f.topography === 'C48.0', why: 'uncertain behaviour, retroperitoneum' },
] as const satisfies readonly TRule<Pick<CaseFacts, 'morphology' | 'topography'>, Icd10Target>[];

const BEHAVIOUR_NAME: Record<string, string> = { '0': 'benign', '1': 'uncertain behaviour', '3': 'malignant' };

/**
 * ICD-10-CM code (rules.md §5.3 [K], citing R-CODE-TOPO/R-CODE-MORPH; always `unverified`): malignant bone C40.xy (y: 1 right, 2 left) / C41.x;
 * soft tissue C49.x (C49.1y, C49.2y lateral); orbit C69.6y; retroperitoneum C48.0; peripheral nerve C47.x; other
 * RMS/NRSTS sites by ICD-O topography; benign bone D16.x (limbs lateral); giant cell tumour of bone D48.0;
 * desmoid and other intermediate soft-tissue tumours D48.1. Only morphologies in the platform table (R-CODE-MORPH)
 * are coded: other histologies (lymphoma, hemangioma, lipoma) have their own ICD-10-CM codes. Missing laterality
 * where the code needs it → `missing('laterality', 'icd10cm')`; an unmapped combination is null with the reason.
 */
export function icd10cm(f: CaseFacts): Derived<string> {
  if (lookupMorphology(f.morphology) === undefined) {
    // Outside the platform's tumour families (e.g. lymphoma, hemangioma) ICD-10-CM uses histology-specific codes.
    return notApplicable(OUT, [...RULES], `morphology ${f.morphology} is not in the platform ICD-O-3 table; ICD-10-CM may use a histology-specific code; needs a coder`);
  }
  const excluded = /^C4[01]/.test(f.topography) ? BENIGN_BONE_NOT_D16[f.morphology] : undefined;
  if (excluded !== undefined) return notApplicable(OUT, [...RULES], `${f.morphology} at ${f.topography}: ${excluded}; needs a coder`);
  const behaviour = f.morphology.split('/')[1] ?? '';
  const target = lookupTarget(f, behaviour);
  const kind = BEHAVIOUR_NAME[behaviour] ?? `behaviour /${behaviour}`;
  if (target === undefined) {
    return notApplicable(OUT, [...RULES], `no platform ICD-10-CM mapping for ${f.morphology} (${kind}) at ${f.topography}; needs a coder`);
  }
  if (!target.lateral) return derived(target.code, OUT, [...RULES], `ICD-O-3 ${f.topography}, ${kind} → ${target.code}`, { unverified: true });
  return withLaterality(f, target.code, kind);
}

function lookupTarget(f: CaseFacts, behaviour: string): Icd10Target | undefined {
  if (behaviour === '3') return (MALIGNANT_ICD10 as Record<string, Icd10Target>)[f.topography];
  if (behaviour === '0') return (BENIGN_ICD10 as Record<string, Icd10Target>)[f.topography];
  if (behaviour === '1') return UNCERTAIN_ICD10.find((r) => r.when(f))?.value;
  return undefined;
}

/** Appends the laterality character: 1 right, 2 left. Bilateral or midline has no single code. */
function withLaterality(f: CaseFacts, base: string, kind: string): Derived<string> {
  if (f.laterality === undefined) return missing('laterality', OUT);
  const digit = f.laterality === 'right' ? '1' : f.laterality === 'left' ? '2' : undefined;
  if (digit === undefined) {
    return notApplicable(OUT, [...RULES], `${base}- needs right or left; laterality "${f.laterality}" has no single ICD-10-CM code (code each side separately)`);
  }
  const code = `${base}${digit}`;
  return derived(code, OUT, [...RULES], `ICD-O-3 ${f.topography}, ${kind}, ${f.laterality} → ${code}`, { unverified: true });
}
