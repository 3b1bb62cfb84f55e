import type { CaseFacts, RadiationCourse, RadiationField } from '../facts/case-facts.js';
import type { EchoFrequency, ScreeningItem, SurvivorshipScreening } from '../facts/assessment.js';
import { notApplicable, provenance, type Derived, type Explanation, type MissingFact } from '../rules/derive.js';
import { fmt, round3, uniqueMissing } from './context.js';
import { cedMgM2, doxorubicinEquivalentMgM2, echoFrequency, normalizeAgents } from './exposure.js';

/**
 * Survivorship screening from RECEIVED exposures (rules.md §4; COG LTFU, organised by exposure). Each item names
 * its rule IDs; where COG LTFU v6 values were not verified the explanation is marked unverified.
 */

const OUT = 'survivorship';
const ITEMS = 'survivorship.items';

/** Fields whose RT exposes the heart (R-LE-ECHO "chest/heart RT"). */
export const CHEST_FIELDS = ['chest_wall', 'mediastinum', 'whole_lung', 'total_body'] as const satisfies readonly RadiationField[];
/** Fields counted for colorectal screening: abdomen, pelvis or spine (R-LE-SMN). */
export const ABDOMEN_PELVIS_SPINE_FIELDS = ['abdomen', 'whole_abdomen', 'flank', 'pelvis', 'spine'] as const satisfies readonly RadiationField[];
/** Head and neck fields (R-LE-RT head and neck late effects). */
export const HEAD_NECK_FIELDS = ['cranial', 'orbit', 'head_neck'] as const satisfies readonly RadiationField[];

const has = (list: readonly string[], field: string) => list.includes(field);

/** A dose summed over the courses that hit one organ, with the terms shown to the clinician. */
interface OrganDose { gy: number; terms: string[] }

function sumCourses(courses: readonly RadiationCourse[], dose: (c: RadiationCourse) => number | null, label: (c: RadiationCourse) => string): OrganDose {
  let gy = 0;
  const terms: string[] = [];
  for (const c of courses) {
    const d = dose(c);
    if (d === null || d <= 0) continue;
    gy += d;
    terms.push(`${label(c)} ${fmt(d)} Gy`);
  }
  return { gy: round3(gy), terms };
}

/**
 * Chest/heart RT dose for R-LE-ECHO: the prescribed dose of chest fields (chest wall, mediastinum, whole lung,
 * total body), plus, for other fields with the heart in the field, the heart dose (or the prescribed dose as an
 * upper bound when no heart dose is recorded). Summed over courses: conservative where fields do not overlap.
 */
export function chestHeartRtGy(courses: readonly RadiationCourse[]): OrganDose {
  return sumCourses(
    courses,
    (c) => (has(CHEST_FIELDS, c.field) ? c.doseGy : c.heartInField === true ? (c.heartDoseGy ?? c.doseGy) : null),
    (c) => (has(CHEST_FIELDS, c.field) ? c.field : c.heartDoseGy !== undefined ? `${c.field} (heart dose)` : `${c.field} (heart in field, prescribed dose as upper bound)`),
  );
}

/** Breast dose (R-LE-SMN): courses with the breast in the field, summed. */
export function breastRtGy(courses: readonly RadiationCourse[]): OrganDose {
  return sumCourses(courses, (c) => (c.breastInField === true ? c.doseGy : null), (c) => c.field);
}

/** Pelvic RT (R-FLAGS PELVIC_RT_…): a pelvis or whole-abdomen field, or gonads or bladder in the field. */
export function isPelvicCourse(c: RadiationCourse): boolean {
  return c.field === 'pelvis' || c.field === 'whole_abdomen' || c.gonadsInField === true || c.bladderInField === true;
}

const ECHO_TEXT: Record<EchoFrequency, string> = {
  none: 'none', every_5_years: 'every 5 years', every_2_years: 'every 2 years', yearly: 'yearly',
};

/** One screening item and its explanation. */
interface Screen { item: ScreeningItem; explanation: Explanation }

function screen(test: string, frequency: string, because: string, rules: string[], extra?: Partial<Explanation>): Screen {
  return {
    item: { test, frequency, because, rules },
    explanation: { output: ITEMS, rules, text: `${test}: ${because} → ${frequency}`, ...extra },
  };
}

const years = (months: number) => round3(months / 12);

interface Received {
  f: CaseFacts;
  agents: Record<string, number> | undefined;
  courses: readonly RadiationCourse[] | undefined;
  ageAtTreatmentMonths: number | undefined;
  ced: number | null;
}

const dose = (r: Received, agent: string) => r.agents?.[agent] ?? 0;

function audiology(r: Received): Screen[] {
  const cis = dose(r, 'cisplatin');
  if (cis <= 0) return [];
  const risk: string[] = [];
  if (r.courses?.some((c) => has(HEAD_NECK_FIELDS, c.field))) risk.push('with cranial/head and neck RT (higher risk)');
  if (r.ageAtTreatmentMonths !== undefined) risk.push(`treated at ${fmt(r.ageAtTreatmentMonths)} months (risk is higher in young children)`);
  return [screen(
    'Audiological evaluation',
    'at entry into long-term follow-up, then as audiology recommends (more often in young children or with hearing loss); COG v6 frequency not verified',
    [`cisplatin ${fmt(cis)} mg/m²`, ...risk].join(', '), ['R-LE-OTO'], { unverified: true },
  )];
}

function renal(r: Received): Screen[] {
  const ifo = dose(r, 'ifosfamide');
  if (ifo <= 0) return [];
  const risk = [`ifosfamide ${fmt(ifo)} mg/m²`];
  if (ifo >= 60000) risk.push('≥60 g/m²: high risk');
  if (dose(r, 'cisplatin') > 0) risk.push('cisplatin also given');
  if (r.ageAtTreatmentMonths !== undefined && r.ageAtTreatmentMonths < 60) risk.push('age <5 y at treatment');
  const because = risk.join(', ');
  return [
    screen('Blood pressure', 'yearly', because, ['R-LE-IFO'], { unverified: true }),
    screen('Electrolytes (incl. Mg, PO₄, bicarbonate), creatinine/eGFR and urinalysis', 'at entry into long-term follow-up, then as indicated', because, ['R-LE-IFO'], { unverified: true }),
  ];
}

const BREAST_DISAGREEMENT = 'Older COG threshold ≥20 Gy; newer COG ≥10 Gy; IGHG: recommended ≥20 Gy, reasonable 10–19 Gy. Platform: ≥10 Gy.';

function breast(r: Received, miss: MissingFact[]): Screen[] {
  if (r.f.sex !== 'female' || r.courses === undefined) return [];
  r.courses.forEach((c, i) => {
    if (c.breastInField === undefined && has(CHEST_FIELDS, c.field)) miss.push({ field: `exposures.radiation[${i}].breastInField`, needed_for: ITEMS });
  });
  const b = breastRtGy(r.courses);
  if (b.gy < 10) return [];
  let start: string;
  if (r.ageAtTreatmentMonths === undefined) {
    miss.push({ field: 'exposures.ageAtTreatmentMonths', needed_for: ITEMS });
    start = 'from age 25 y or 8 years after RT, whichever is later (age at RT not recorded)';
  } else {
    const from = Math.max(25, years(r.ageAtTreatmentMonths) + 8);
    start = `from age ${fmt(from)} y (later of 25 y and age at RT ${fmt(years(r.ageAtTreatmentMonths))} y + 8 y)`;
  }
  return [screen('Breast MRI and mammogram', `yearly, ${start}`, `breast in RT field ${fmt(b.gy)} Gy ≥10 Gy (${b.terms.join(' + ')})`, ['R-LE-SMN'], { disagreement: BREAST_DISAGREEMENT })];
}

function colorectal(r: Received, miss: MissingFact[]): Screen[] {
  if (r.courses === undefined) return [];
  const d = sumCourses(r.courses, (c) => (has(ABDOMEN_PELVIS_SPINE_FIELDS, c.field) ? c.doseGy : null), (c) => c.field);
  if (d.gy < 30) return [];
  let start: string;
  if (r.ageAtTreatmentMonths === undefined) {
    miss.push({ field: 'exposures.ageAtTreatmentMonths', needed_for: ITEMS });
    start = 'from age 35 y or 10 years after RT, whichever is later (age at RT not recorded)';
  } else {
    start = `from age ${fmt(Math.max(35, years(r.ageAtTreatmentMonths) + 10))} y (later of 35 y and 10 years after RT)`;
  }
  return [screen('Colonoscopy', `every 5 years, ${start}; newer COG versions may start at 30 y (v6 not verified)`,
    `abdomen/pelvis/spine RT ${fmt(d.gy)} Gy ≥30 Gy (${d.terms.join(' + ')}; summed over courses)`, ['R-LE-SMN'], { unverified: true })];
}

function therapyRelatedMyeloid(r: Received): Screen[] {
  const epi = dose(r, 'etoposide') + dose(r, 'teniposide');
  const ced = r.ced ?? 0;
  if (ced <= 0 && epi <= 0) return [];
  const because = [ced > 0 ? `alkylators (CED ${fmt(ced)} mg/m²)` : '', epi > 0 ? `epipodophyllotoxin ${fmt(epi)} mg/m²` : ''].filter(Boolean).join(' and ');
  return [screen('Complete blood count (therapy-related MDS/AML)', 'per COG LTFU (frequency not verified); risk is highest within 10 years of exposure',
    because, ['R-LE-SMN', 'R-LE-CED'], { unverified: true })];
}

function gonadal(r: Received): Screen[] {
  const ced = r.ced ?? 0;
  const gonadRt = r.courses?.filter((c) => c.gonadsInField === true) ?? [];
  if (ced <= 0 && gonadRt.length === 0) return [];
  const because: string[] = [];
  if (ced > 0) because.push(`alkylators (CED ${fmt(ced)} mg/m²)`);
  if (gonadRt.length > 0) because.push(`gonads in RT field (${gonadRt.map((c) => `${c.field} ${fmt(c.doseGy)} Gy`).join(', ')})`);
  if (r.f.sex === 'male' && ced >= 4000) because.push('CED ≥4,000 mg/m² is associated with impaired spermatogenesis (Green 2014 [K]): offer semen analysis');
  return [screen('Gonadal function, pubertal development and fertility counselling', 'per COG LTFU (frequency not verified)',
    because.join('; '), ['R-FERT', 'R-LE-CED'], { unverified: true })];
}

function pelvicRt(r: Received): Screen[] {
  const pelvic = r.courses?.filter(isPelvicCourse) ?? [];
  if (pelvic.length === 0) return [];
  const what = r.f.sex === 'female' ? 'ovarian and uterine function' : 'testicular function';
  return [screen(`Pelvic RT late effects: ${what}, bladder and bowel`, 'per COG LTFU (frequency not verified)',
    `pelvic RT (${pelvic.map((c) => `${c.field} ${fmt(c.doseGy)} Gy`).join(', ')}); flag PELVIC_RT_GONADAL_AND_BLADDER_LATE_EFFECTS`,
    ['R-LE-RT', 'R-FLAGS'], { unverified: true })];
}

function irradiatedTissue(r: Received): Screen[] {
  if (r.courses === undefined || r.courses.length === 0) return [];
  const notes: string[] = [`RT to ${r.courses.map((c) => `${c.field} ${fmt(c.doseGy)} Gy`).join(', ')}`];
  if (r.courses.some((c) => c.field === 'spine')) notes.push('spinal field: scoliosis/kyphosis');
  if (r.courses.some((c) => c.field === 'extremity' || c.field === 'pelvis')) notes.push('limb-length discrepancy and growth arrest where physes were in the field');
  if (r.courses.some((c) => c.doseGy >= 50)) notes.push('≥50 Gy: fracture risk, osteoradionecrosis');
  notes.push('soft-tissue hypoplasia; second sarcoma and skin cancer in the field');
  return [screen('Examination of irradiated skin, soft tissue and bone', 'yearly', notes.join('; '), ['R-LE-RT', 'R-LE-SMN'], { unverified: true })];
}

function headNeckRt(r: Received): Screen[] {
  const hn = r.courses?.filter((c) => has(HEAD_NECK_FIELDS, c.field)) ?? [];
  if (hn.length === 0) return [];
  const eye = hn.some((c) => c.field === 'orbit') ? ', cataract and eye examination' : '';
  return [screen(`Head and neck RT late effects: dental/craniofacial, hearing, thyroid and hypothalamic–pituitary function${eye}`,
    'per COG LTFU (frequency not verified)', `RT to ${hn.map((c) => `${c.field} ${fmt(c.doseGy)} Gy`).join(', ')}`, ['R-LE-RT'], { unverified: true })];
}

/**
 * Survivorship screening from received exposures (rules.md §4): echocardiogram (R-LE-ECHO, R-LE-ANTHRA),
 * audiology after cisplatin (R-LE-OTO), renal surveillance after ifosfamide (R-LE-IFO), breast MRI + mammogram
 * after ≥10 Gy with the breast in the field (R-LE-SMN [D]), colonoscopy after ≥30 Gy to abdomen/pelvis/spine
 * (R-LE-SMN [K]), CBC after alkylators/etoposide (R-LE-SMN), gonadal follow-up (R-FERT, R-LE-CED), pelvic RT and
 * irradiated-tissue effects (R-LE-RT). Null when no exposures are recorded.
 */
export function survivorshipScreening(f: CaseFacts): Derived<SurvivorshipScreening> {
  const ex = f.exposures;
  if (ex === undefined) return notApplicable(OUT, ['R-LE-CED', 'R-LE-ANTHRA', 'R-LE-ECHO'], 'no received exposures recorded → no survivorship screening');
  const agents = ex.agents === undefined ? undefined : normalizeAgents(ex.agents);
  const parts: Array<Pick<Derived<unknown>, 'explanations' | 'missing'>> = [];
  const miss: MissingFact[] = [];

  let ced: number | null = null;
  let dox: number | null = null;
  if (agents === undefined) {
    miss.push({ field: 'exposures.agents', needed_for: 'survivorship.cedMgM2' }, { field: 'exposures.agents', needed_for: 'survivorship.doxorubicinEquivalentMgM2' });
  } else {
    const c = cedMgM2(agents, 'survivorship.cedMgM2');
    const d = doxorubicinEquivalentMgM2(agents, undefined, 'survivorship.doxorubicinEquivalentMgM2');
    ced = c.value;
    dox = d.value;
    parts.push(c, d);
  }
  if (ex.radiation === undefined) miss.push({ field: 'exposures.radiation', needed_for: ITEMS });

  const chest = ex.radiation === undefined ? null : chestHeartRtGy(ex.radiation);
  let echo: EchoFrequency | null = null;
  const screens: Screen[] = [];
  if (dox === null) {
    miss.push({ field: 'exposures.agents', needed_for: 'survivorship.echoFrequency' });
  } else {
    const e = echoFrequency(dox, chest?.gy ?? null, 'survivorship.echoFrequency');
    echo = e.value;
    parts.push(e);
    if (echo !== null && echo !== 'none') {
      const rt = chest === null || chest.terms.length === 0 ? 'no chest/heart RT' : `chest/heart RT ${fmt(chest.gy)} Gy (${chest.terms.join(' + ')})`;
      screens.push(screen('Echocardiogram', ECHO_TEXT[echo], `doxorubicin equivalent ${fmt(dox)} mg/m²; ${rt}`, ['R-LE-ECHO', 'R-LE-ANTHRA'], { unverified: true }));
    }
  }

  const r: Received = { f, agents, courses: ex.radiation, ageAtTreatmentMonths: ex.ageAtTreatmentMonths, ced };
  screens.push(
    ...audiology(r), ...renal(r), ...breast(r, miss), ...colorectal(r, miss), ...therapyRelatedMyeloid(r),
    ...gonadal(r), ...pelvicRt(r), ...irradiatedTissue(r), ...headNeckRt(r),
  );

  const p = provenance(...parts, { explanations: screens.map((s) => s.explanation), missing: miss });
  return {
    value: { cedMgM2: ced, doxorubicinEquivalentMgM2: dox, echoFrequency: echo, items: screens.map((s) => s.item) },
    explanations: p.explanations,
    missing: uniqueMissing(p.missing),
  };
}
