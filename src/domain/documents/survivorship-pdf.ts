import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { heading } from './conference-pdf.js';
import {
  AGENT_LABELS, calendarDate, contactList, DocWriter, factTable, letterhead, para, patientFrame, RADIATION_FIELD_LABELS, SIDE_LABELS, titledTable,
  type ContactNumber, type DiagnosisText, type DocLanguage, type InstitutionHeader, type Localized, type PatientIdentity,
} from './i18n.js';

/**
 * The survivorship care plan (rules.md §4.7, after Passport for Care's summary): who it is for, the diagnosis,
 * dates of therapy, the treatment received (cumulative agent doses in mg/m² with the CED and doxorubicin-equivalent
 * totals, surgery, radiation courses with field and Gy), the late-effect risks and the screening schedule (test, how
 * often, next due, why) with the rule IDs behind each line (R-LE-*), for the family and the primary care physician,
 * in English or Spanish. Pure: plain input in, pdfmake definition out.
 *
 * Tests, frequencies and risks given as catalogue keys, or as the exact English text `survivorshipScreening`
 * (plan/late-effects.ts) produces, print in the document's language; other text prints as given.
 */

// ---- Input ----

/** A value computed by a rule, e.g. the CED from the agent doses (R-LE-CED). */
export interface ComputedValue {
  value: number | null;
  rules: string[];
}

export interface ScreeningRow {
  /** A `SCREENING_TESTS` key, or the `test` of a `ScreeningItem` (translated when known, else printed as given). */
  test: string;
  /** A `SCREENING_FREQUENCIES` key, or the `frequency` of a `ScreeningItem`. */
  frequency: string;
  /** ISO date the test is next due; null when not set. */
  nextDue: string | null;
  /** The exposure behind it, e.g. "doxorubicin equivalent 375 mg/m²". */
  because: string | null;
  rules: string[];
  /** The frequency is not verified against COG LTFU v6 (marked with * and a note). */
  unverified?: boolean;
}

export interface LateEffectRisk {
  /** A `LATE_EFFECT_RISKS` key or the risk in words. */
  risk: string;
  because: string | null;
  rules: string[];
}

export interface SurvivorshipDocInput {
  language: DocLanguage;
  /** ISO timestamp: stamped as the PDF's creation date; also "today" for what is due now. */
  generatedAt: string;
  /** IANA zone in which timestamps are read; default UTC. */
  timeZone?: string;
  institution: InstitutionHeader;
  patient: PatientIdentity;
  /** The primary care physician the plan is shared with; null when not recorded. */
  primaryCarePhysician: { name: string | null; institution: string | null; phone: string | null } | null;
  diagnosis: DiagnosisText & { date: string | null };
  therapyStart: string | null;
  therapyEnd: string | null;
  /** Cumulative doses received: null when not recorded, empty when no chemotherapy was given. */
  chemotherapy: Array<{ agent: string; cumulativeMgM2: number | null }> | null;
  cedMgM2: ComputedValue;
  doxorubicinEquivalentMgM2: ComputedValue;
  /** Null when not recorded, empty when none. */
  surgery: Array<{ date: string | null; procedure: string }> | null;
  /** Null when not recorded, empty when none. `field` is a `RadiationField` code or words. */
  radiation: Array<{ field: string; side: string | null; doseGy: number | null; fractions: number | null; startDate: string | null; endDate: string | null }> | null;
  /** Null when not assessed. */
  risks: LateEffectRisk[] | null;
  /** Null when not assessed (e.g. no exposures recorded). */
  screening: ScreeningRow[] | null;
  /** The guideline version the plan follows, e.g. "COG Long-Term Follow-Up Guidelines v6.0". */
  guidelines: string | null;
  contacts: ContactNumber[];
}

// ---- Catalogues ----

/** Screening tests in plain words, what each checks, and the late-effect risk it looks for. */
export const SCREENING_TESTS = {
  echocardiogram: {
    name: { en: 'Echocardiogram (heart ultrasound)', es: 'Ecocardiograma (ecografía del corazón)' },
    purpose: { en: 'Checks how well the heart pumps.', es: 'Revisa cómo bombea el corazón.' },
    risk: 'cardiomyopathy',
  },
  audiology: {
    name: { en: 'Hearing test (audiology)', es: 'Prueba de audición (audiología)' },
    purpose: { en: 'Checks for hearing loss.', es: 'Busca pérdida de audición.' },
    risk: 'hearing_loss',
  },
  blood_pressure: {
    name: { en: 'Blood pressure', es: 'Presión arterial' },
    purpose: { en: 'High blood pressure can be a sign of kidney damage.', es: 'La presión alta puede ser un signo de daño renal.' },
    risk: 'kidney_damage',
  },
  kidney_tests: {
    name: {
      en: 'Kidney blood and urine tests (electrolytes incl. magnesium, phosphate, bicarbonate; creatinine/eGFR; urinalysis)',
      es: 'Análisis de sangre y orina para los riñones (electrolitos con magnesio, fosfato y bicarbonato; creatinina/TFGe; análisis de orina)',
    },
    purpose: { en: 'Checks how well the kidneys work.', es: 'Revisa cómo funcionan los riñones.' },
    risk: 'kidney_damage',
  },
  breast_mri_mammogram: {
    name: { en: 'Breast MRI and mammogram', es: 'Resonancia magnética de mama y mamografía' },
    purpose: { en: 'Looks for breast cancer early.', es: 'Busca el cáncer de mama a tiempo.' },
    risk: 'breast_cancer',
  },
  colonoscopy: {
    name: { en: 'Colonoscopy', es: 'Colonoscopia' },
    purpose: { en: 'Looks for colorectal cancer early.', es: 'Busca el cáncer colorrectal a tiempo.' },
    risk: 'colorectal_cancer',
  },
  cbc: {
    name: { en: 'Complete blood count', es: 'Hemograma completo' },
    purpose: { en: 'Looks for leukemia caused by treatment.', es: 'Busca leucemia causada por el tratamiento.' },
    risk: 'therapy_related_leukemia',
  },
  gonadal_fertility: {
    name: { en: 'Puberty, hormone and fertility check', es: 'Control de pubertad, hormonas y fertilidad' },
    purpose: { en: 'Checks growth, puberty and the chance of having children.', es: 'Revisa el crecimiento, la pubertad y la posibilidad de tener hijos.' },
    risk: 'infertility',
  },
  pelvic_rt_female: {
    name: { en: 'Ovaries, uterus, bladder and bowel check after pelvic radiation', es: 'Control de ovarios, útero, vejiga e intestino tras radioterapia pélvica' },
    purpose: { en: 'Radiation to the pelvis can affect these organs.', es: 'La radioterapia en la pelvis puede afectar a estos órganos.' },
    risk: 'pelvic',
  },
  pelvic_rt_male: {
    name: { en: 'Testes, bladder and bowel check after pelvic radiation', es: 'Control de testículos, vejiga e intestino tras radioterapia pélvica' },
    purpose: { en: 'Radiation to the pelvis can affect these organs.', es: 'La radioterapia en la pelvis puede afectar a estos órganos.' },
    risk: 'pelvic',
  },
  irradiated_tissue: {
    name: { en: 'Examination of skin, soft tissue and bone in the radiation field', es: 'Examen de piel, tejidos blandos y hueso en la zona irradiada' },
    purpose: { en: 'Looks for growth problems and new tumors where radiation was given.', es: 'Busca problemas de crecimiento y tumores nuevos en la zona irradiada.' },
    risk: 'musculoskeletal',
  },
  head_neck_rt: {
    name: { en: 'Teeth, face, hearing, thyroid and hormone checks after head and neck radiation', es: 'Control de dientes, cara, audición, tiroides y hormonas tras radioterapia de cabeza y cuello' },
    purpose: { en: 'Radiation to the head and neck can affect these.', es: 'La radioterapia de cabeza y cuello puede afectarlos.' },
    risk: 'head_neck',
  },
  head_neck_rt_eye: {
    name: { en: 'Teeth, face, hearing, thyroid, hormone and eye (cataract) checks after head and neck radiation', es: 'Control de dientes, cara, audición, tiroides, hormonas y ojos (catarata) tras radioterapia de cabeza y cuello' },
    purpose: { en: 'Radiation to the head, neck and eye can affect these.', es: 'La radioterapia de cabeza, cuello y ojo puede afectarlos.' },
    risk: 'head_neck',
  },
  physical_exam: {
    name: { en: 'Yearly check-up with history and physical examination', es: 'Revisión anual con historia clínica y exploración física' },
    purpose: { en: 'A general health check with a doctor.', es: 'Un control general de salud con un médico.' },
    risk: null,
  },
} as const satisfies Record<string, { name: Localized; purpose: Localized; risk: string | null }>;
export type ScreeningTestKey = keyof typeof SCREENING_TESTS;

/** The `test` texts of `survivorshipScreening` (plan/late-effects.ts), exactly, and their catalogue keys. */
const ASSESSMENT_TESTS: Readonly<Record<string, ScreeningTestKey>> = {
  'Echocardiogram': 'echocardiogram',
  'Audiological evaluation': 'audiology',
  'Blood pressure': 'blood_pressure',
  'Electrolytes (incl. Mg, PO₄, bicarbonate), creatinine/eGFR and urinalysis': 'kidney_tests',
  'Breast MRI and mammogram': 'breast_mri_mammogram',
  'Colonoscopy': 'colonoscopy',
  'Complete blood count (therapy-related MDS/AML)': 'cbc',
  'Gonadal function, pubertal development and fertility counselling': 'gonadal_fertility',
  'Pelvic RT late effects: ovarian and uterine function, bladder and bowel': 'pelvic_rt_female',
  'Pelvic RT late effects: testicular function, bladder and bowel': 'pelvic_rt_male',
  'Examination of irradiated skin, soft tissue and bone': 'irradiated_tissue',
  'Head and neck RT late effects: dental/craniofacial, hearing, thyroid and hypothalamic–pituitary function': 'head_neck_rt',
  'Head and neck RT late effects: dental/craniofacial, hearing, thyroid and hypothalamic–pituitary function, cataract and eye examination': 'head_neck_rt_eye',
};

/** The catalogue key of a test given as a key or as the assessment's English text; null for other text. */
export function screeningTestKey(test: string): ScreeningTestKey | null {
  const t = test.trim();
  if (Object.hasOwn(SCREENING_TESTS, t)) return t as ScreeningTestKey;
  return Object.hasOwn(ASSESSMENT_TESTS, t) ? ASSESSMENT_TESTS[t]! : null;
}

export const SCREENING_FREQUENCIES = {
  once: { en: 'once', es: 'una vez' },
  yearly: { en: 'every year', es: 'cada año' },
  every_2_years: { en: 'every 2 years', es: 'cada 2 años' },
  every_3_years: { en: 'every 3 years', es: 'cada 3 años' },
  every_5_years: { en: 'every 5 years', es: 'cada 5 años' },
  at_ltfu_entry: {
    en: 'at entry into long-term follow-up, then as indicated',
    es: 'al empezar el seguimiento a largo plazo y después según indicación',
  },
  per_guideline: {
    en: 'as the COG Long-Term Follow-Up Guidelines advise',
    es: 'según las guías de seguimiento a largo plazo del COG',
  },
} as const satisfies Record<string, Localized>;
export type ScreeningFrequencyKey = keyof typeof SCREENING_FREQUENCIES;

/** Frequencies of `survivorshipScreening` written exactly, and their keys (the others print as given). */
const ASSESSMENT_FREQUENCIES: Readonly<Record<string, ScreeningFrequencyKey>> = {
  yearly: 'yearly',
  'every 2 years': 'every_2_years',
  'every 5 years': 'every_5_years',
  'at entry into long-term follow-up, then as indicated': 'at_ltfu_entry',
  'per COG LTFU (frequency not verified)': 'per_guideline',
};

function frequencyKey(f: string): ScreeningFrequencyKey | null {
  const t = f.trim();
  if (Object.hasOwn(SCREENING_FREQUENCIES, t)) return t as ScreeningFrequencyKey;
  return Object.hasOwn(ASSESSMENT_FREQUENCIES, t) ? ASSESSMENT_FREQUENCIES[t]! : null;
}

/** Late-effect risks in plain words (rules.md §4). */
export const LATE_EFFECT_RISKS = {
  cardiomyopathy: { en: 'Heart muscle damage (cardiomyopathy)', es: 'Daño del músculo del corazón (miocardiopatía)' },
  hearing_loss: { en: 'Hearing loss', es: 'Pérdida de audición' },
  kidney_damage: { en: 'Kidney damage (tubulopathy, lower kidney function, high blood pressure)', es: 'Daño renal (tubulopatía, menor función renal, presión alta)' },
  infertility: { en: 'Reduced fertility; puberty and hormone problems', es: 'Menor fertilidad; problemas de pubertad y hormonales' },
  therapy_related_leukemia: { en: 'Leukemia caused by treatment (therapy-related MDS/AML)', es: 'Leucemia causada por el tratamiento (SMD/LMA secundarios)' },
  second_cancer: { en: 'A second cancer in the radiation field (sarcoma, skin cancer)', es: 'Un segundo cáncer en la zona irradiada (sarcoma, cáncer de piel)' },
  breast_cancer: { en: 'Breast cancer', es: 'Cáncer de mama' },
  colorectal_cancer: { en: 'Colorectal cancer', es: 'Cáncer colorrectal' },
  musculoskeletal: {
    en: 'Bone and soft-tissue problems in the radiation field (growth, limb length, scoliosis, fractures)',
    es: 'Problemas de hueso y tejidos blandos en la zona irradiada (crecimiento, longitud de las extremidades, escoliosis, fracturas)',
  },
  head_neck: { en: 'Teeth, face, hearing, thyroid and hormone problems after head and neck radiation', es: 'Problemas de dientes, cara, audición, tiroides y hormonas tras radioterapia de cabeza y cuello' },
  pelvic: { en: 'Bladder, bowel and reproductive organ problems after pelvic radiation', es: 'Problemas de vejiga, intestino y órganos reproductores tras radioterapia pélvica' },
  cataract: { en: 'Cataract', es: 'Catarata' },
} as const satisfies Record<string, Localized>;
export type LateEffectRiskKey = keyof typeof LATE_EFFECT_RISKS;

// ---- Strings ----

interface SurvivorshipStrings {
  title: string;
  subtitle: string;
  forWhom: (name: string) => string;
  thePatient: string;
  lateEffects: string;
  guidelines: string;
  pcp: string;
  pcpNone: string;
  diagnosisDate: string;
  therapy: string;
  therapyStart: string;
  therapyEnd: string;
  received: string;
  chemotherapy: string;
  noChemo: string;
  agentColumns: [string, string];
  ced: string;
  doxEq: string;
  surgery: string;
  noSurgery: string;
  surgeryColumns: [string, string];
  radiation: string;
  noRadiation: string;
  radiationColumns: [string, string, string, string];
  risks: string;
  risksNone: string;
  riskColumns: [string, string, string];
  screening: string;
  screeningNone: string;
  screeningColumns: [string, string, string, string];
  dueNow: string;
  unverified: string;
  forFamily: string;
  forFamilyText: string;
  forPcp: string;
  forPcpText: string;
}

const TEXT = {
  en: {
    title: 'Survivorship care plan',
    subtitle: 'Long-term follow-up after cancer treatment',
    forWhom: (n) => `This plan is for ${n}, the family and the primary care physician. It sums up the cancer treatment received and the check-ups that find late effects early.`,
    thePatient: 'the patient',
    lateEffects: 'Late effects are health problems caused by cancer treatment. They can appear months or years after treatment ends.',
    guidelines: 'Recommendations follow',
    pcp: 'Primary care physician',
    pcpNone: 'not recorded',
    diagnosisDate: 'Date of diagnosis',
    therapy: 'Dates of therapy',
    therapyStart: 'Start of therapy',
    therapyEnd: 'End of therapy',
    received: 'Treatment received',
    chemotherapy: 'Chemotherapy (cumulative doses)',
    noChemo: 'No chemotherapy was given.',
    agentColumns: ['Agent', 'Cumulative dose'],
    ced: 'Cyclophosphamide equivalent dose (CED)',
    doxEq: 'Doxorubicin-equivalent anthracycline dose',
    surgery: 'Surgery',
    noSurgery: 'No surgery was done.',
    surgeryColumns: ['Date', 'Procedure'],
    radiation: 'Radiation therapy',
    noRadiation: 'No radiation therapy was given.',
    radiationColumns: ['Field', 'Dose', 'Fractions', 'Dates'],
    risks: 'Possible late effects',
    risksNone: 'No late-effect risk was found from the treatment recorded.',
    riskColumns: ['Risk', 'Why', 'Rules'],
    screening: 'Screening schedule',
    screeningNone: 'No screening test is recommended from the treatment recorded, beyond a yearly check-up.',
    screeningColumns: ['Test', 'How often', 'Next due', 'Why'],
    dueNow: 'due now',
    unverified: '* To be confirmed against the current COG Long-Term Follow-Up Guidelines (v6.0).',
    forFamily: 'For the family',
    forFamilyText: 'Keep this plan with your child\'s health records. Bring it to every visit with a new doctor. Call us with any question.',
    forPcp: 'For the primary care physician',
    forPcpText: 'Please order the tests above when they are due and send results to the survivorship clinic. Refer back for abnormal results or new symptoms. Full guidelines: www.survivorshipguidelines.org.',
  },
  es: {
    title: 'Plan de atención para sobrevivientes',
    subtitle: 'Seguimiento a largo plazo tras el tratamiento del cáncer',
    forWhom: (n) => `Este plan es para ${n}, su familia y su médico de atención primaria. Resume el tratamiento del cáncer recibido y los controles que detectan a tiempo los efectos tardíos.`,
    thePatient: 'el o la paciente',
    lateEffects: 'Los efectos tardíos son problemas de salud causados por el tratamiento del cáncer. Pueden aparecer meses o años después de terminar el tratamiento.',
    guidelines: 'Las recomendaciones siguen',
    pcp: 'Médico de atención primaria',
    pcpNone: 'no consta',
    diagnosisDate: 'Fecha del diagnóstico',
    therapy: 'Fechas del tratamiento',
    therapyStart: 'Inicio del tratamiento',
    therapyEnd: 'Fin del tratamiento',
    received: 'Tratamiento recibido',
    chemotherapy: 'Quimioterapia (dosis acumuladas)',
    noChemo: 'No recibió quimioterapia.',
    agentColumns: ['Fármaco', 'Dosis acumulada'],
    ced: 'Dosis equivalente de ciclofosfamida (CED)',
    doxEq: 'Dosis de antraciclinas equivalente a doxorrubicina',
    surgery: 'Cirugía',
    noSurgery: 'No se realizó cirugía.',
    surgeryColumns: ['Fecha', 'Procedimiento'],
    radiation: 'Radioterapia',
    noRadiation: 'No recibió radioterapia.',
    radiationColumns: ['Zona', 'Dosis', 'Fracciones', 'Fechas'],
    risks: 'Posibles efectos tardíos',
    risksNone: 'No se encontró ningún riesgo de efectos tardíos con el tratamiento registrado.',
    riskColumns: ['Riesgo', 'Por qué', 'Reglas'],
    screening: 'Calendario de controles',
    screeningNone: 'Con el tratamiento registrado no se recomienda ninguna prueba, aparte de una revisión anual.',
    screeningColumns: ['Prueba', 'Cada cuánto', 'Próxima fecha', 'Por qué'],
    dueNow: 'pendiente ya',
    unverified: '* Pendiente de confirmar con las guías vigentes de seguimiento a largo plazo del COG (v6.0).',
    forFamily: 'Para la familia',
    forFamilyText: 'Guarde este plan con los documentos de salud de su hijo o hija. Llévelo a cada consulta con un médico nuevo. Llámenos con cualquier pregunta.',
    forPcp: 'Para el médico de atención primaria',
    forPcpText: 'Solicite las pruebas indicadas arriba cuando correspondan y envíe los resultados a la clínica de sobrevivientes. Derive de nuevo ante resultados anormales o síntomas nuevos. Guías completas: www.survivorshipguidelines.org.',
  },
} as const satisfies Record<DocLanguage, SurvivorshipStrings>;

// ---- Sections ----

type Strings = (typeof TEXT)[DocLanguage];

/**
 * A list as a titled table: null prints "not recorded" under the title, an empty list `none` (not given differs
 * from not recorded).
 */
function tableSection<T>(
  w: DocWriter, title: string, style: 'h2' | 'h4', list: readonly T[] | null, none: string,
  widths: Array<number | string>, head: readonly string[], row: (x: T) => TableCell[],
): Content {
  const titleNode: Content = style === 'h2' ? heading(title) : { text: title, style: 'h4', margin: [0, 8, 0, 2] };
  if (list === null) return [titleNode, para(w.s.notRecordedCap)];
  if (list.length === 0) return [titleNode, para(none)];
  return titledTable(title, style, widths, [...head], list.map(row));
}

/** "Cyclophosphamide equivalent dose (CED): 23,772 mg/m² (R-LE-CED)". */
function computedLine(w: DocWriter, what: string, v: ComputedValue): Content {
  return { text: [`${what}: `, { text: w.num(v.value, 'mg/m²'), bold: true }, ...w.citation(null, v.rules)], margin: [0, 0, 0, 2] };
}

function dates(w: DocWriter, from: string | null, to: string | null): string {
  if (!from && !to) return w.s.notRecorded;
  return from && to && from.trim() === to.trim() ? w.date(from) : `${w.date(from)} – ${w.date(to)}`;
}

function treatment(w: DocWriter, s: Strings, input: SurvivorshipDocInput): Content[] {
  return [
    heading(s.received),
    tableSection(w, s.chemotherapy, 'h4', input.chemotherapy, s.noChemo, [200, '*'], s.agentColumns,
      (a) => [w.label(AGENT_LABELS, a.agent), w.num(a.cumulativeMgM2, 'mg/m²')]),
    computedLine(w, s.ced, input.cedMgM2),
    computedLine(w, s.doxEq, input.doxorubicinEquivalentMgM2),
    tableSection(w, s.surgery, 'h4', input.surgery, s.noSurgery, [120, '*'], s.surgeryColumns, (x) => [w.date(x.date), w.t(x.procedure)]),
    tableSection(w, s.radiation, 'h4', input.radiation, s.noRadiation, [160, 70, 60, '*'], s.radiationColumns, (c) => [
      `${w.label(RADIATION_FIELD_LABELS, c.field)}${c.side?.trim() ? ` (${w.label(SIDE_LABELS, c.side)})` : ''}`,
      w.num(c.doseGy, 'Gy'),
      w.num(c.fractions),
      dates(w, c.startDate, c.endDate),
    ]),
  ];
}

function risksSection(w: DocWriter, s: Strings, risks: SurvivorshipDocInput['risks']): Content {
  return tableSection(w, s.risks, 'h2', risks, s.risksNone, [170, '*', 110], s.riskColumns,
    (r) => [{ text: w.label(LATE_EFFECT_RISKS, r.risk), bold: true }, w.t(r.because), { text: r.rules.length ? w.idRuns(r.rules) : w.s.notRecorded, style: 'small' }]);
}

function screeningSection(w: DocWriter, s: Strings, rows: SurvivorshipDocInput['screening'], today: string | null): Content {
  return tableSection(w, s.screening, 'h2', rows, s.screeningNone, [150, 95, 85, '*'], s.screeningColumns, (r): TableCell[] => {
    const key = screeningTestKey(r.test);
    const test: Content = key
      ? { stack: [{ text: SCREENING_TESTS[key].name[w.lang], bold: true }, { text: SCREENING_TESTS[key].purpose[w.lang], style: 'small' }] }
      : { text: w.t(r.test), bold: true };
    const f = frequencyKey(r.frequency);
    const often = `${f ? SCREENING_FREQUENCIES[f][w.lang] : w.t(r.frequency)}${r.unverified ? ' *' : ''}`;
    const due = r.nextDue ? calendarDate(r.nextDue, w.timeZone) : null;
    const next: Content = due !== null && today !== null && due <= today
      ? { stack: [w.date(r.nextDue), { text: s.dueNow, bold: true, color: '#9a3412' }] }
      : w.date(r.nextDue);
    const rules = w.idRuns(r.rules);
    return [test, often, next, { stack: [w.t(r.because), ...(rules.length ? [{ text: rules, style: 'small' }] : [])] }];
  });
}

/**
 * The survivorship care plan (rules.md §4; Passport for Care's summary as the model): treatment received with the
 * CED (R-LE-CED) and doxorubicin-equivalent (R-LE-ANTHRA) totals, late-effect risks and the screening schedule with
 * the rule IDs of each line (R-LE-ECHO, R-LE-OTO, R-LE-IFO, R-LE-RT, R-LE-SMN …), for the family and the primary
 * care physician.
 */
export function survivorshipCarePlan(input: SurvivorshipDocInput): TDocumentDefinitions {
  const w = new DocWriter(input.language, input.timeZone);
  const s = TEXT[input.language];
  const d = input.diagnosis;
  const pcp = input.primaryCarePhysician;
  const pcpText = pcp && (pcp.name?.trim() || pcp.institution?.trim() || pcp.phone?.trim())
    ? [pcp.name, pcp.institution, pcp.phone].filter((x): x is string => !!x?.trim()).map((x) => w.t(x)).join(' · ')
    : s.pcpNone;
  const code = (c: string | null, l: string | null) => (c?.trim() ? `${w.t(c)}${l?.trim() ? ` ${w.t(l)}` : ''}` : w.s.notRecorded);

  const content: Content[] = [letterhead(w, input.institution, s.title, s.subtitle)];
  content.push(factTable([
    [w.s.patient, w.patientLine(input.patient)],
    [w.s.dateOfBirth, w.date(input.patient.dateOfBirth)],
    [s.pcp, pcpText],
  ]));
  content.push(para(s.forWhom(w.t(input.patient.name, s.thePatient))), para(s.lateEffects));
  content.push(para([`${s.guidelines}: `, { text: w.t(input.guidelines), bold: true }, '.']));

  content.push(heading(w.s.diagnosis));
  content.push(para({ text: w.t(d.text), bold: true }));
  content.push(factTable([
    [w.s.morphology, code(d.morphologyCode, d.morphologyLabel)],
    [w.s.topography, code(d.topographyCode, d.topographyLabel)],
    [s.diagnosisDate, w.date(d.date)],
  ]));

  content.push(heading(s.therapy));
  content.push(factTable([[s.therapyStart, w.date(input.therapyStart)], [s.therapyEnd, w.date(input.therapyEnd)]]));

  content.push(...treatment(w, s, input));

  content.push(risksSection(w, s, input.risks));

  const today = calendarDate(input.generatedAt, w.timeZone);
  content.push(screeningSection(w, s, input.screening, today));
  if (input.screening?.some((r) => r.unverified)) content.push({ text: s.unverified, style: 'small', margin: [0, 0, 0, 6] });

  content.push(heading(s.forFamily), para(s.forFamilyText));
  content.push(heading(s.forPcp), para(s.forPcpText));
  content.push(heading(w.s.contacts));
  content.push(input.contacts.length === 0 ? para(w.s.notRecordedCap) : contactList(w, input.contacts));
  content.push({ text: w.s.emergency, bold: true, margin: [0, 4, 0, 0] });

  return patientFrame(w, { institution: input.institution, patient: input.patient, title: s.title, generatedAt: input.generatedAt }, content);
}
