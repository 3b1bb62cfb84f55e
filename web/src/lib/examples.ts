import type { CaseFacts } from '../api/types.js';

/** Synthetic case facts (DESIGN.md §4) to start the assessment playground from. */
export const EXAMPLES: { id: string; label: string; facts: CaseFacts }[] = [
  {
    id: 'os-femur',
    label: 'Osteosarcoma, distal femur (14 y)',
    facts: {
      ageMonths: 168, sex: 'male', pubertalStatus: 'postpubertal',
      morphology: '9180/3', topography: 'C40.2', siteCategory: 'bone_extremity',
      primarySite: 'distal femur', laterality: 'right', sizeCm: 7.5,
      bone: { extraosseousExtension: true, compartment: 'extracompartmental', skipLesion: 'none', radiographicBehavior: 'aggressive' },
      regionalNodes: 'N0', metastases: [], metastaticSiteCount: 0,
      grade: { twoTier: 'high' },
      surgery: { status: 'biopsy' },
      diseaseStatus: 'newly_diagnosed',
    },
  },
  {
    id: 'rms-orbit',
    label: 'Embryonal rhabdomyosarcoma, orbit (5 y)',
    facts: {
      ageMonths: 62, sex: 'female', pubertalStatus: 'prepubertal',
      morphology: '8910/3', topography: 'C69.6', siteCategory: 'hn_orbit',
      primarySite: 'left orbit', laterality: 'left', sizeCm: 3.2,
      invasiveness: 'T1', regionalNodes: 'N0', metastases: [], metastaticSiteCount: 0,
      surgery: { status: 'biopsy' },
      molecular: { foxo1Fusion: 'negative' },
      diseaseStatus: 'newly_diagnosed',
    },
  },
  {
    id: 'ewing-pelvis',
    label: 'Ewing sarcoma, pelvis with lung metastases (12 y)',
    facts: {
      ageMonths: 150, sex: 'male', pubertalStatus: 'pubertal',
      morphology: '9260/3', topography: 'C41.4', siteCategory: 'bone_pelvis',
      primarySite: 'left ilium', laterality: 'left', sizeCm: 9.4,
      bone: { extraosseousExtension: true, skipLesion: 'none', pelvicSegments: 2 },
      regionalNodes: 'N0', metastases: ['lung'], metastaticSiteCount: 1,
      surgery: { status: 'biopsy' },
      diseaseStatus: 'newly_diagnosed',
    },
  },
];
