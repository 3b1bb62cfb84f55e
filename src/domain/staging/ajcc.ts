import type { CaseFacts } from '../facts/case-facts.js';
import type { AjccResult } from '../facts/assessment.js';
import { notApplicable, type Derived } from '../rules/derive.js';
import { isBoneTopography, tumorFamily } from '../coding/morphology.js';
import { ajccBoneScope, assessAjccBone } from './ajcc-bone.js';
import { ajccStsScope, assessAjccSts } from './ajcc-sts.js';

/**
 * AJCC 8th edition stage for the case (R-AJCC-BONE or R-AJCC-STS): the bone chapter for primary malignant bone
 * tumours (C40/C41), the trunk/extremity soft-tissue chapter for soft-tissue sarcomas there, otherwise null with the
 * reason (e.g. rhabdomyosarcoma uses IRS/COG; benign tumours; head and neck, retroperitoneal or visceral sites).
 */
export function assessAjcc(f: CaseFacts): Derived<AjccResult> {
  const bone = ajccBoneScope(f);
  if (bone.applies) return assessAjccBone(f);
  const sts = ajccStsScope(f);
  if (sts.applies) return assessAjccSts(f);
  const rms = tumorFamily(f.morphology) === 'rhabdomyosarcoma';
  const why = isBoneTopography(f.topography) && !rms ? bone.why : sts.why;
  return notApplicable('ajcc', ['R-AJCC-BONE', 'R-AJCC-STS'], `AJCC staging does not apply: ${why}`);
}
