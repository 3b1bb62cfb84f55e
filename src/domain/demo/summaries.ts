import { MORPHOLOGY, type MorphologyCode } from '../coding/morphology.js';
import type { TumorInput } from '../registry/types.js';
import type { Rng } from './prng.js';
import type { SiteDef } from './sites.js';

/**
 * One- or two-sentence pathology and imaging summaries in the tone of a referral letter. They are written after
 * the structured facts (and after facts were dropped), so they never state a fact the record lacks.
 */

const HISTOLOGY: Partial<Record<MorphologyCode, string>> = {
  '9180/3': 'high-grade conventional osteosarcoma, osteoblastic type, with lace-like malignant osteoid',
  '9181/3': 'high-grade chondroblastic osteosarcoma',
  '9182/3': 'high-grade fibroblastic osteosarcoma',
  '9183/3': 'telangiectatic osteosarcoma: blood-filled spaces lined by atypical cells with scant osteoid',
  '9185/3': 'small cell osteosarcoma (CD99 positive, EWSR1 FISH negative, focal osteoid)',
  '9186/3': 'high-grade central osteosarcoma',
  '9187/3': 'low-grade central osteosarcoma; MDM2 amplified by FISH',
  '9192/3': 'parosteal osteosarcoma, low grade; MDM2 amplified by FISH',
  '9193/3': 'periosteal osteosarcoma, predominantly chondroblastic, intermediate grade',
  '9194/3': 'high-grade surface osteosarcoma',
  '9195/3': 'intracortical osteosarcoma',
  '9260/3': 'small round blue cell tumour with diffuse membranous CD99 and nuclear NKX2.2, consistent with Ewing sarcoma',
  '9364/3': 'primitive neuroectodermal tumour with Homer Wright rosettes, CD99 positive',
  '9365/3': 'small round cell tumour of the thoracopulmonary region (Askin tumour), CD99 positive',
  '8910/3': 'embryonal rhabdomyosarcoma; desmin positive, myogenin focal',
  '8920/3': 'alveolar rhabdomyosarcoma with diffuse strong myogenin',
  '8912/3': 'spindle cell/sclerosing rhabdomyosarcoma; desmin and MyoD1 positive',
  '8901/3': 'pleomorphic rhabdomyosarcoma',
  '8900/3': 'rhabdomyosarcoma, not otherwise specified (limited core); desmin and myogenin positive',
  '8902/3': 'mixed embryonal and alveolar rhabdomyosarcoma',
  '9040/3': 'synovial sarcoma; TLE1 and focal EMA positive',
  '9041/3': 'monophasic synovial sarcoma; TLE1 positive',
  '9042/3': 'synovial sarcoma with epithelioid predominance',
  '9043/3': 'biphasic synovial sarcoma',
  '8814/3': 'infantile fibrosarcoma: cellular spindle cells in fascicles, pan-TRK positive',
  '9540/3': 'malignant peripheral nerve sheath tumour with loss of H3K27me3 and patchy S100',
  '8805/3': 'undifferentiated round and spindle cell sarcoma without a specific lineage on immunohistochemistry',
  '9581/3': 'alveolar soft part sarcoma; nuclear TFE3 positive',
  '8804/3': 'epithelioid sarcoma with loss of INI1 (SMARCB1), cytokeratin positive',
  '9044/3': 'clear cell sarcoma of tendons and aponeuroses; S100 and HMB45 positive',
  '8806/3': 'desmoplastic small round cell tumour; dot-like desmin, WT1 (C-terminal) positive',
  '8832/3': 'dermatofibrosarcoma protuberans, storiform, diffusely CD34 positive',
  '8810/3': 'adult-type fibrosarcoma with herringbone pattern',
  '8852/3': 'myxoid liposarcoma with delicate plexiform capillaries',
  '8890/3': 'leiomyosarcoma; SMA and desmin positive',
  '9120/3': 'angiosarcoma; CD31 and ERG positive',
  '9367/3': 'CIC-rearranged round cell sarcoma; WT1 and ETV4 positive',
  '9368/3': 'BCOR-rearranged sarcoma; BCOR and SATB2 positive',
  '9231/3': 'extraskeletal myxoid chondrosarcoma',
  '8840/3': 'low-grade fibromyxoid sarcoma; MUC4 positive',
  '9210/0': 'osteochondroma; cartilage cap under 1 cm, no atypia',
  '9210/1': 'osteochondroma in the setting of multiple hereditary exostoses',
  '9260/0': 'aneurysmal bone cyst: blood-filled spaces with fibrous septa and giant cells; USP6 rearranged',
  '9250/1': 'giant cell tumour of bone; H3F3A G34W positive',
  '9191/0': 'osteoid osteoma nidus of woven bone trabeculae rimmed by osteoblasts',
  '9230/0': 'chondroblastoma with chicken-wire calcification; H3K36M positive',
  '9230/1': 'chondroblastoma with chicken-wire calcification; H3K36M positive',
  '8830/0': 'non-ossifying fibroma: storiform spindle cells with foamy histiocytes',
  '9220/0': 'enchondroma: hyaline cartilage without atypia',
  '9220/1': 'enchondromatosis (Ollier type)',
  '9221/0': 'periosteal chondroma',
  '9200/0': 'osteoblastoma',
  '9200/1': 'epithelioid (aggressive) osteoblastoma',
  '9751/1': 'Langerhans cell histiocytosis; CD1a and langerin positive, BRAF V600E pending',
  '9241/0': 'chondromyxoid fibroma',
  '8823/1': 'desmoplastic fibroma of bone',
};

function histology(code: string): string {
  return HISTOLOGY[code as MorphologyCode] ?? (MORPHOLOGY as Record<string, { term: string }>)[code]?.term.toLowerCase() ?? 'sarcoma';
}

function siteText(t: TumorInput): string {
  const base = t.primarySite.replace(/ \((local recurrence|distant relapse)\)$/, '');
  return (t.laterality === 'left' || t.laterality === 'right') && !base.startsWith(t.laterality) ? `${t.laterality} ${base}` : base;
}

const MARGIN_TEXT = {
  R0: ['Margins negative.', 'Margins negative (closest 3 mm).', 'Wide margins, all negative.'],
  R1: ['Microscopically positive margin.', 'Tumour at the inked deep margin.'],
  R2: ['Gross residual tumour at the margin.'],
} as const;

const BONE_BIOPSY = ['Core needle biopsy', 'CT-guided core biopsy', 'Open biopsy'] as const;
const SOFT_BIOPSY = ['Core needle biopsy', 'Incisional biopsy', 'Ultrasound-guided core biopsy'] as const;
/** How tissue is usually obtained at sites where a percutaneous core is not the default. */
const BIOPSY: Partial<Record<SiteDef['region'], readonly string[]>> = {
  parameningeal: ['Endoscopic biopsy', 'CT-guided core biopsy'],
  orbit: ['Anterior orbitotomy and biopsy'],
  bladder_prostate: ['Cystoscopic biopsy', 'Transperineal core biopsy'],
  gynecologic: ['Examination under anaesthesia and biopsy', 'Vaginoscopy and biopsy'],
  biliary: ['ERCP-guided biopsy', 'Open biopsy'],
  abdomen: ['CT-guided core biopsy', 'Laparoscopic biopsy'],
  thorax: ['CT-guided core biopsy', 'Thoracoscopic biopsy'],
  spine: ['CT-guided core biopsy'],
};

export function pathologySummary(rng: Rng, t: TumorInput, site: SiteDef): string {
  const d = t.details;
  if (d.surgery?.status === 'none') {
    return `No tissue sampled; ${BENIGN_NAME[t.morphology] ?? histology(t.morphology)} of the ${siteText(t)} diagnosed on imaging.`;
  }
  const relapse = d.diseaseStatus === 'relapsed' && /\((local recurrence|distant relapse)\)$/.test(t.primarySite);
  const resected = d.surgery?.status === 'resected';
  const procedure = relapse ? 'Biopsy of recurrent tumour'
    : t.siteCategory === 'gu_paratesticular' && resected ? 'Radical inguinal orchiectomy'
      : resected ? rng.pick(site.kind === 'bone' ? ['Resection', 'Wide resection'] : ['Excision', 'Resection', 'Excision (outside hospital)'])
        : rng.pick(BIOPSY[site.region] ?? (site.kind === 'bone' ? BONE_BIOPSY : SOFT_BIOPSY));
  const where = procedure === 'Radical inguinal orchiectomy' ? `${procedure}, ${siteText(t)}` : `${procedure} of the ${siteText(t)}`;
  const parts = [`${where}: ${histology(t.morphology)}.`];
  const m = d.molecular;
  if (m?.foxo1Fusion === 'positive') parts.push(m.fusionPartner ? `FOXO1 rearranged (${m.fusionPartner}::FOXO1).` : 'FOXO1 rearranged by FISH.');
  else if (m?.foxo1Fusion === 'negative') parts.push('FOXO1 FISH negative.');
  else if (m?.foxo1Fusion === 'unknown') parts.push('FOXO1 testing sent out, result pending.');
  else if (m?.ewsr1Fusion) parts.push(m.ewsr1Fusion.includes('::') ? `${m.ewsr1Fusion} fusion by RNA sequencing.` : `${m.ewsr1Fusion}.`);
  else if (m?.fusionPartner) parts.push(`${m.fusionPartner} fusion detected.`);
  if (m?.myod1 === 'mutated') parts.push('MYOD1 L122R mutation detected.');
  if (d.histologicResponse?.necrosisPercent !== undefined) {
    parts.push(`Post-chemotherapy resection shows ${d.histologicResponse.necrosisPercent}% treatment-related necrosis.`);
  }
  if (resected && d.surgery?.margin !== undefined && !relapse) parts.push(rng.pick(MARGIN_TEXT[d.surgery.margin]));
  return parts.join(' ');
}

/** Benign lesions with a recognisable picture: the radiologist names it. */
const BENIGN_IMAGING: Partial<Record<string, string>> = {
  '9210/0': 'osteochondral exostosis with corticomedullary continuity',
  '9210/1': 'dominant exostosis among multiple osteochondromas',
  '9260/0': 'expansile lytic lesion with fluid-fluid levels',
  '9250/1': 'eccentric lytic lesion extending to subchondral bone',
  '9191/0': 'radiolucent nidus with dense reactive sclerosis and marrow oedema',
  '9230/0': 'epiphyseal lytic lesion with surrounding oedema',
  '9230/1': 'epiphyseal lytic lesion with surrounding oedema',
  '8830/0': 'eccentric lobulated metaphyseal lesion with a sclerotic rim',
  '9751/1': 'punched-out lytic lesion without sclerotic margin',
};

/** How the referral names a benign lesion diagnosed on imaging alone. */
const BENIGN_NAME: Partial<Record<string, string>> = {
  '9210/0': 'osteochondroma', '9210/1': 'multiple osteochondromas', '8830/0': 'non-ossifying fibroma',
  '9220/0': 'enchondroma', '9220/1': 'enchondromatosis', '9221/0': 'periosteal chondroma', '9191/0': 'osteoid osteoma',
};

const BEHAVIOR_TEXT = {
  latent: 'well-defined lesion with a sclerotic rim',
  active: 'geographic lesion with a thin sclerotic rim and mild expansion',
  aggressive: 'expansile lytic lesion with cortical breakthrough',
} as const;

export function imagingSummary(rng: Rng, t: TumorInput, site: SiteDef): string {
  const d = t.details;
  const abdominal = site.region === 'abdomen' || site.region === 'biliary' || site.region === 'thorax';
  const modality = abdominal ? 'CT abdomen/pelvis'
    : t.morphology === '9191/0' ? 'CT' : d.bone?.radiographicBehavior === 'latent' ? 'Radiographs' : rng.chance(0.85) ? 'MRI' : 'MRI (outside study)';
  const behavior = d.bone?.radiographicBehavior;
  const what = site.kind !== 'bone' ? 'enhancing mass'
    : behavior === undefined ? 'destructive lesion'
      : behavior === 'aggressive' ? BEHAVIOR_TEXT.aggressive : BENIGN_IMAGING[t.morphology] ?? BEHAVIOR_TEXT[behavior];
  const size = t.sizeCm !== undefined ? `${t.sizeCm} cm ` : '';
  let first = `${modality}: ${size}${what} of the ${siteText(t)}`;
  if (d.bone?.extraosseousExtension && d.bone.radiographicBehavior === undefined) first += ' with a large soft-tissue component';
  if (d.bone?.skipLesion === 'same_bone') first += ' and a skip lesion in the same bone';
  if (d.bone?.spinalCanalInvasion) first += ', epidural extension narrowing the canal';
  if (d.headNeck?.intracranialExtension) first += ', intracranial extension through the skull base';
  else if (d.headNeck?.skullBaseErosion) first += ', erosion of the skull base';
  if (t.sizeCm === undefined) first += '; measurements not reported';
  const parts = [`${first}.`];
  if (/\(distant relapse\)$/.test(t.primarySite)) {
    parts[0] = `CT chest: new ${d.metastases?.includes('lung') ? `pulmonary nodules, largest ${rng.int(5, 25)} mm` : 'lesions'}; no local recurrence at the ${siteText(t)}.`;
  }

  if (behavior !== undefined) {
    if (d.metastases?.includes('lung')) parts.push('CT chest: small pulmonary nodules, likely benign implants.');
    return parts.join(' ');
  }
  const mets = d.metastases;
  if (mets === undefined) parts.push('Staging studies pending.');
  else if (mets.length === 0) parts.push(rng.pick(['CT chest without pulmonary nodules; no distant disease on PET-CT.', 'Staging CT chest and PET-CT negative for metastases.']));
  else {
    const found: string[] = [];
    if (mets.includes('lung')) found.push(rng.pick(['multiple bilateral pulmonary nodules', 'three pulmonary nodules, largest 9 mm']));
    if (mets.includes('pleura')) found.push('a pleural effusion with nodularity');
    if (mets.includes('bone')) found.push('additional osseous foci on PET-CT');
    if (mets.includes('bone_marrow')) found.push('bone marrow biopsies positive');
    if (mets.includes('liver')) found.push('hepatic lesions');
    if (mets.includes('brain')) found.push('an enhancing brain lesion');
    if (mets.includes('distant_lymph_nodes')) found.push('distant nodal disease');
    if (mets.includes('other')) found.push('peritoneal implants');
    parts.push(`Staging: ${found.join(', ')}.`);
  }
  if (d.regionalNodes === 'N1') parts.push('Enlarged regional lymph nodes.');
  return parts.join(' ');
}
