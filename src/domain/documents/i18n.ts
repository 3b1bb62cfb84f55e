import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { RadiationField } from '../facts/case-facts.js';
import type { ContactNumber } from '../notify/templates.js';
import type { Discipline } from '../registry/types.js';
import type { TemplateLanguage } from '../referrals/types.js';
import { gridLayout, headerRow, humanize, NON_LATIN_NOTE, PDF_FONT, PHI_NOTICE, PORTRAIT_WIDTH, PROGRAM_TITLE, STYLES, toWinAnsi } from './conference-pdf.js';

/**
 * What the patient documents (consensus letter, family summary, survivorship care plan) share: their English and
 * Spanish strings, the code catalogues they translate (disciplines, agents, radiation fields, staging terms), date
 * and number formats, and the page frame. Like the conference documents they print in the standard Helvetica font
 * (WinAnsi only): a name in another script prints as '?' beside the MRN and the document says so.
 *
 * Codes are translated from the catalogues below; any other value is data and prints exactly as given (the
 * service passes free text in the document's language). Unknown values print as "not recorded" / "no consta",
 * never a guess.
 */

export type DocLanguage = TemplateLanguage;
export type { ContactNumber };

/** The letterhead: the institution's name, postal address lines and phone lines (e.g. "Tel. +1 555 0100"). */
export interface InstitutionHeader {
  name: string;
  addressLines: string[];
  phoneLines: string[];
}

/** Who the document is about. Dates are ISO calendar dates (YYYY-MM-DD); null when not recorded. */
export interface PatientIdentity {
  name: string | null;
  dateOfBirth: string | null;
  mrn: string | null;
}

/** A diagnosis in words and its ICD-O-3 codes (morphology like 9180/3, topography like C40.2) with their terms. */
export interface DiagnosisText {
  text: string | null;
  morphologyCode: string | null;
  morphologyLabel: string | null;
  topographyCode: string | null;
  topographyLabel: string | null;
}

/** A bilingual string. */
export type Localized = Readonly<Record<DocLanguage, string>>;

// ---- Text the standard fonts can print ----

/**
 * Symbols common in computed clinical text that WinAnsi lacks, written the way a clinician would type them
 * ("≥10 Gy" → ">=10 Gy"). Letters of other scripts are not in this list: they print as '?'.
 */
const SYMBOLS: Readonly<Record<string, string>> = {
  '≥': '>=', '≤': '<=', '→': '->', '←': '<-', '↔': '<->', '−': '-', '≈': '~', '≠': '!=', '\u2009': ' ', '\u202f': ' ', '\u2007': ' ',
  '₀': '0', '₁': '1', '₂': '2', '₃': '3', '₄': '4', '₅': '5', '₆': '6', '₇': '7', '₈': '8', '₉': '9',
};
const SYMBOL_RE = new RegExp(`[${Object.keys(SYMBOLS).join('')}]`, 'gu');

/** `toWinAnsi` after writing the common clinical symbols in WinAnsi: `replaced` is true only when '?' was printed. */
export function printable(s: string): { text: string; replaced: boolean } {
  return toWinAnsi(s.normalize('NFC').replace(SYMBOL_RE, (c) => SYMBOLS[c]!));
}

// ---- Dates and numbers ----

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCALE: Record<DocLanguage, string> = { en: 'en-US', es: 'es' };

/** A calendar date, YYYY-MM-DD, of an ISO date or timestamp (a timestamp is read in `timeZone`); null if invalid. */
export function calendarDate(iso: string, timeZone = 'UTC'): string | null {
  const m = ISO_DATE.exec(iso.trim());
  if (m) {
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return d.toISOString().slice(0, 10) === iso.trim() ? iso.trim() : null;
  }
  const d = new Date(iso);
  if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(iso.trim())) return null;
  let f: Intl.DateTimeFormat;
  try {
    f = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone });
  } catch {
    f = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' });
  }
  return f.format(d);
}

/**
 * A date written out, month as a word so no reader confuses day and month: "December 3, 2026", "3 de diciembre de
 * 2026". Null when absent; a value that is not an ISO date prints as given (it is data, not ours to guess).
 */
export function formatDate(iso: string | null | undefined, lang: DocLanguage, timeZone = 'UTC'): string | null {
  if (iso === null || iso === undefined || iso.trim() === '') return null;
  const day = calendarDate(iso, timeZone);
  if (day === null) return iso;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(LOCALE[lang], { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/**
 * A dose or count: at most two decimals, always a decimal point (the RAE recommends it for Spanish too, and a
 * comma would be misread as grouping in a dose). Grouping: "12,600" in English; in Spanish a non-breaking space,
 * only from five digits ("4800", "12 600"), as the RAE writes numbers.
 */
export function formatNumber(n: number, lang: DocLanguage): string {
  const s = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(n);
  if (lang === 'en') return s;
  const [int = '', frac] = s.split('.');
  const digits = int.replace(/,/g, '');
  const grouped = digits.replace(/^-/, '').length >= 5 ? int.replace(/,/g, '\u00a0') : digits;
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

// ---- Strings every patient document uses ----

export interface CommonStrings {
  notRecorded: string;
  /** Capitalized, to stand alone in a cell or sentence. */
  notRecordedCap: string;
  none: string;
  program: string;
  patient: string;
  name: string;
  dateOfBirth: string;
  mrn: string;
  diagnosis: string;
  morphology: string;
  topography: string;
  phiNotice: string;
  nonLatinNote: string;
  generated: (date: string) => string;
  page: (page: number, pages: number) => string;
  contacts: string;
  emergency: string;
  rules: (ids: string) => string;
}

export const COMMON = {
  en: {
    notRecorded: 'not recorded',
    notRecordedCap: 'Not recorded',
    none: 'None',
    program: PROGRAM_TITLE,
    patient: 'Patient',
    name: 'Name',
    dateOfBirth: 'Date of birth',
    mrn: 'MRN',
    diagnosis: 'Diagnosis',
    morphology: 'ICD-O-3 morphology',
    topography: 'ICD-O-3 topography',
    phiNotice: PHI_NOTICE,
    nonLatinNote: NON_LATIN_NOTE,
    generated: (d) => `Generated ${d}`,
    page: (p, n) => `page ${p} of ${n}`,
    contacts: 'Contact numbers',
    emergency: 'In an emergency, call your local emergency number or go to the nearest emergency department.',
    rules: (ids) => `Rules: ${ids}`,
  },
  es: {
    notRecorded: 'no consta',
    notRecordedCap: 'No consta',
    none: 'Ninguno',
    program: 'Comité de Tumores de Sarcoma Pediátrico',
    patient: 'Paciente',
    name: 'Nombre',
    dateOfBirth: 'Fecha de nacimiento',
    mrn: 'N.º de historia clínica (MRN)',
    diagnosis: 'Diagnóstico',
    morphology: 'Morfología CIE-O-3',
    topography: 'Topografía CIE-O-3',
    phiNotice: 'CONFIDENCIAL: contiene información médica protegida. No la reenvíe ni la deje a la vista; destrúyala de forma segura cuando ya no la necesite.',
    nonLatinNote: 'Parte del texto (por ejemplo, nombres en escritura árabe, china, cirílica o devanagari) no puede mostrarse en este PDF y aparece como "?". '
      + 'Cada paciente figura con su número de historia clínica (MRN); el texto completo se muestra en TumorBoard.',
    generated: (d) => `Generado el ${d}`,
    page: (p, n) => `página ${p} de ${n}`,
    contacts: 'Teléfonos de contacto',
    emergency: 'En una emergencia, llame al número de emergencias local o acuda al servicio de urgencias más cercano.',
    rules: (ids) => `Reglas: ${ids}`,
  },
} as const satisfies Record<DocLanguage, CommonStrings>;

// ---- Catalogues of codes ----

/** Every conference discipline and the site-specific consultants of R-DISC. */
export const DISCIPLINE_LABELS = {
  pediatric_oncology: { en: 'Pediatric oncology', es: 'Oncología pediátrica' },
  pediatric_surgery: { en: 'Pediatric surgery', es: 'Cirugía pediátrica' },
  orthopedic_oncology: { en: 'Orthopedic oncology', es: 'Oncología ortopédica' },
  radiation_oncology: { en: 'Radiation oncology', es: 'Oncología radioterápica' },
  medical_oncology: { en: 'Medical oncology', es: 'Oncología médica' },
  pathology: { en: 'Pathology', es: 'Anatomía patológica' },
  radiology: { en: 'Radiology', es: 'Radiología' },
  otolaryngology: { en: 'Otolaryngology', es: 'Otorrinolaringología' },
  neurosurgery: { en: 'Neurosurgery', es: 'Neurocirugía' },
  rehabilitation: { en: 'Rehabilitation', es: 'Rehabilitación' },
  neurosurgery_spine: { en: 'Spine neurosurgery', es: 'Neurocirugía de columna' },
  thoracic_surgery: { en: 'Thoracic surgery', es: 'Cirugía torácica' },
  otolaryngology_head_neck: { en: 'Head and neck surgery (ENT)', es: 'Cirugía de cabeza y cuello (ORL)' },
  plastic_reconstructive_surgery: { en: 'Plastic and reconstructive surgery', es: 'Cirugía plástica y reconstructiva' },
  orthopedic_or_surgical_oncology: { en: 'Orthopedic or surgical oncology', es: 'Oncología ortopédica o quirúrgica' },
  pediatric_surgical_oncology: { en: 'Pediatric surgical oncology', es: 'Oncología quirúrgica pediátrica' },
  ophthalmology: { en: 'Ophthalmology', es: 'Oftalmología' },
  audiology: { en: 'Audiology', es: 'Audiología' },
  dentistry: { en: 'Dentistry', es: 'Odontología' },
  endocrinology: { en: 'Endocrinology', es: 'Endocrinología' },
  pediatric_urology: { en: 'Pediatric urology', es: 'Urología pediátrica' },
  pediatric_gynecology: { en: 'Pediatric gynecology', es: 'Ginecología pediátrica' },
  pediatric_surgery_colorectal: { en: 'Pediatric colorectal surgery', es: 'Cirugía colorrectal pediátrica' },
  hepatobiliary_surgery: { en: 'Hepatobiliary surgery', es: 'Cirugía hepatobiliar' },
  gastroenterology: { en: 'Gastroenterology', es: 'Gastroenterología' },
} as const satisfies Record<Discipline, Localized> & Record<string, Localized>;

/** Agents of the templates and of the CED and anthracycline tables (keys as in `exposures.agents`). */
export const AGENT_LABELS = {
  vincristine: { en: 'Vincristine', es: 'Vincristina' },
  doxorubicin: { en: 'Doxorubicin', es: 'Doxorrubicina' },
  daunorubicin: { en: 'Daunorubicin', es: 'Daunorrubicina' },
  epirubicin: { en: 'Epirubicin', es: 'Epirrubicina' },
  idarubicin: { en: 'Idarubicin', es: 'Idarrubicina' },
  mitoxantrone: { en: 'Mitoxantrone', es: 'Mitoxantrona' },
  cyclophosphamide: { en: 'Cyclophosphamide', es: 'Ciclofosfamida' },
  ifosfamide: { en: 'Ifosfamide', es: 'Ifosfamida' },
  etoposide: { en: 'Etoposide', es: 'Etopósido' },
  teniposide: { en: 'Teniposide', es: 'Tenipósido' },
  dactinomycin: { en: 'Dactinomycin', es: 'Dactinomicina' },
  irinotecan: { en: 'Irinotecan', es: 'Irinotecán' },
  topotecan: { en: 'Topotecan', es: 'Topotecán' },
  temozolomide: { en: 'Temozolomide', es: 'Temozolomida' },
  vinorelbine: { en: 'Vinorelbine', es: 'Vinorelbina' },
  cisplatin: { en: 'Cisplatin', es: 'Cisplatino' },
  carboplatin: { en: 'Carboplatin', es: 'Carboplatino' },
  methotrexate: { en: 'Methotrexate', es: 'Metotrexato' },
  procarbazine: { en: 'Procarbazine', es: 'Procarbazina' },
  chlorambucil: { en: 'Chlorambucil', es: 'Clorambucilo' },
  carmustine: { en: 'Carmustine (BCNU)', es: 'Carmustina (BCNU)' },
  lomustine: { en: 'Lomustine (CCNU)', es: 'Lomustina (CCNU)' },
  melphalan: { en: 'Melphalan', es: 'Melfalán' },
  thiotepa: { en: 'Thiotepa', es: 'Tiotepa' },
  mechlorethamine: { en: 'Mechlorethamine (nitrogen mustard)', es: 'Mecloretamina (mostaza nitrogenada)' },
  busulfan: { en: 'Busulfan', es: 'Busulfano' },
} as const satisfies Record<string, Localized>;

export const RADIATION_FIELD_LABELS = {
  cranial: { en: 'Cranial', es: 'Craneal' },
  orbit: { en: 'Orbit', es: 'Órbita' },
  head_neck: { en: 'Head and neck', es: 'Cabeza y cuello' },
  spine: { en: 'Spine', es: 'Columna' },
  chest_wall: { en: 'Chest wall', es: 'Pared torácica' },
  whole_lung: { en: 'Whole lung', es: 'Pulmón completo' },
  mediastinum: { en: 'Mediastinum', es: 'Mediastino' },
  abdomen: { en: 'Abdomen', es: 'Abdomen' },
  whole_abdomen: { en: 'Whole abdomen', es: 'Abdomen completo' },
  flank: { en: 'Flank', es: 'Flanco' },
  pelvis: { en: 'Pelvis', es: 'Pelvis' },
  extremity: { en: 'Extremity', es: 'Extremidad' },
  total_body: { en: 'Total body', es: 'Corporal total' },
} as const satisfies Record<RadiationField, Localized>;

export const SIDE_LABELS = {
  left: { en: 'left', es: 'izquierda' },
  right: { en: 'right', es: 'derecha' },
  bilateral: { en: 'bilateral', es: 'bilateral' },
  midline: { en: 'midline', es: 'línea media' },
} as const satisfies Record<string, Localized>;

/** What a staging or risk line names (the `kind` of a staging line); the system and rule IDs come with the line. */
export const STAGING_KINDS = {
  enneking_stage: { en: 'Enneking/MSTS stage', es: 'Estadio de Enneking/MSTS' },
  ajcc_stage: { en: 'AJCC stage group', es: 'Grupo de estadio AJCC' },
  ajcc_tnm: { en: 'AJCC TNM', es: 'TNM de la AJCC' },
  rms_stage: { en: 'Pretreatment stage', es: 'Estadio previo al tratamiento' },
  rms_clinical_group: { en: 'Clinical group', es: 'Grupo clínico' },
  rms_site: { en: 'Primary site', es: 'Localización primaria' },
  risk_group: { en: 'Risk group', es: 'Grupo de riesgo' },
  cog_risk_group: { en: 'COG risk group', es: 'Grupo de riesgo COG' },
  epssg_risk_group: { en: 'EpSSG risk group', es: 'Grupo de riesgo EpSSG' },
  oberlin: { en: 'Oberlin risk factors', es: 'Factores de riesgo de Oberlin' },
  trial_category: { en: 'Trial category', es: 'Categoría para ensayo' },
  metastatic_category: { en: 'Extent of disease', es: 'Extensión de la enfermedad' },
  histologic_response: { en: 'Histologic response', es: 'Respuesta histológica' },
  grade: { en: 'Grade', es: 'Grado' },
  treatment_arm: { en: 'Treatment arm', es: 'Brazo de tratamiento' },
} as const satisfies Record<string, Localized>;

/** Coded values of staging and risk results; anything else (stage "IIB", "T2 N0 M0") prints as given. */
export const VALUE_LABELS = {
  low: { en: 'low', es: 'bajo' },
  intermediate: { en: 'intermediate', es: 'intermedio' },
  high: { en: 'high', es: 'alto' },
  very_low: { en: 'very low', es: 'muy bajo' },
  favorable: { en: 'favorable', es: 'favorable' },
  unfavorable: { en: 'unfavorable', es: 'desfavorable' },
  localized: { en: 'localized', es: 'localizado' },
  metastatic: { en: 'metastatic', es: 'metastásico' },
  metastatic_lung_only: { en: 'metastatic, lung only', es: 'metastásico, solo pulmonar' },
  metastatic_lung_pleura_only: { en: 'metastatic, lung or pleura only', es: 'metastásico, solo pulmón o pleura' },
  metastatic_bone_or_marrow: { en: 'metastatic to bone or bone marrow', es: 'metastásico en hueso o médula ósea' },
  metastatic_extrapulmonary: { en: 'metastatic, beyond the lung', es: 'metastásico, fuera del pulmón' },
  metastatic_other: { en: 'metastatic, other sites', es: 'metastásico, otras localizaciones' },
  good: { en: 'good', es: 'buena' },
  poor: { en: 'poor', es: 'mala' },
} as const satisfies Record<string, Localized>;

const CODE = /^[a-z][a-z0-9_]*$/;

/**
 * A catalogue entry in `lang`; a code the catalogue lacks is written as words ("pediatric_urology" → "Pediatric
 * urology"); free text prints as given.
 */
export function label(catalogue: Readonly<Record<string, Localized>>, value: string, lang: DocLanguage): string {
  const key = value.trim();
  if (Object.hasOwn(catalogue, key)) return catalogue[key]![lang];
  return CODE.test(key) ? humanize(key) : value;
}

// ---- The writer and the page frame ----

const uniqueIds = (ids: readonly string[]) => [...new Set(ids.map((r) => r.trim()).filter(Boolean))];

/** One document being built: the language, and whether any text had to print as '?' (to say so). */
export class DocWriter {
  replaced = false;
  readonly s: CommonStrings;

  constructor(readonly lang: DocLanguage, readonly timeZone = 'UTC') {
    this.s = COMMON[lang];
  }

  /** Text as the font can print it; `fallback` (default "not recorded") when absent or blank. */
  t(s: string | null | undefined, fallback: string = this.s.notRecorded): string {
    if (s === null || s === undefined || s.trim() === '') return fallback;
    const r = printable(s);
    if (r.replaced) this.replaced = true;
    return r.text;
  }

  date(iso: string | null | undefined, fallback: string = this.s.notRecorded): string {
    const d = formatDate(iso, this.lang, this.timeZone);
    return d === null ? fallback : this.t(d);
  }

  num(n: number | null | undefined, unit = '', fallback: string = this.s.notRecorded): string {
    if (n === null || n === undefined || !Number.isFinite(n)) return fallback;
    return `${formatNumber(n, this.lang)}${unit ? ` ${unit}` : ''}`;
  }

  label(catalogue: Readonly<Record<string, Localized>>, code: string | null | undefined, fallback: string = this.s.notRecorded): string {
    return code === null || code === undefined || code.trim() === '' ? fallback : this.t(label(catalogue, code, this.lang));
  }

  /** Rule or template IDs as inline runs that never wrap inside an ID (pdfmake breaks after '-'), comma-separated. */
  idRuns(ids: readonly string[]): Content[] {
    return uniqueIds(ids).flatMap((id, i): Content[] => [...(i > 0 ? [', '] : []), { text: this.t(id), noWrap: true }]);
  }

  /** " (system, R-A, R-B)": what produced a value, as inline runs; nothing when there is neither. */
  citation(system: string | null, rules: readonly string[]): Content[] {
    const sys = this.t(system, '');
    const runs = this.idRuns(rules);
    if (!sys && runs.length === 0) return [];
    return [' (', sys, sys && runs.length ? ', ' : '', ...runs, ')'].filter((x) => x !== '');
  }

  /** "name   MRN x": the name never prints without the MRN, which finds the patient when the name cannot print. */
  patientLine(p: PatientIdentity): Content {
    return { text: [{ text: this.t(p.name), bold: true }, `   ${this.s.mrn} ${this.t(p.mrn)}`] };
  }
}

/** Letterhead: the institution's name, address and phones on the left; the document's title on the right. */
export function letterhead(w: DocWriter, inst: InstitutionHeader, title: string, subtitle: string): Content {
  const lines = [...inst.addressLines, ...inst.phoneLines].filter((l) => l.trim() !== '').map((l) => ({ text: w.t(l), style: 'small' }));
  return [
    {
      columns: [
        { width: '*', stack: [{ text: w.t(inst.name), style: 'institution' }, ...lines] },
        { width: 'auto', stack: [{ text: title, style: 'docTitle', alignment: 'right' }, { text: subtitle, style: 'program', alignment: 'right' }] },
      ],
      columnGap: 12,
    },
    { canvas: [{ type: 'line', x1: 0, y1: 4, x2: PORTRAIT_WIDTH, y2: 4, lineWidth: 1.5, lineColor: '#1f3a5f' }], margin: [0, 0, 0, 10] },
  ];
}

/** Label–value rows without borders (the patient block, the letter's "Re:" block). */
export function factTable(rows: ReadonlyArray<readonly [string, Content]>): Content {
  return {
    table: { widths: ['auto', '*'], body: rows.map(([k, v]) => [{ text: k, style: 'term' }, v]) },
    layout: 'noBorders', margin: [0, 0, 0, 8],
  };
}

/** A paragraph with the space after it. */
export const para = (text: Content): Content => ({ text, style: 'para' } as Content);

/** The program's phone numbers, "label: number", one a line. */
export function contactList(w: DocWriter, contacts: readonly ContactNumber[]): Content {
  return { ul: contacts.map((c) => ({ text: [{ text: `${w.t(c.label)}: `, bold: true }, w.t(c.number)] })), margin: [0, 0, 0, 6] };
}

/**
 * A ruled table whose first row is its section title (style `h2`, or `h4` for a subsection): the title never ends
 * a page without the table, and repeats above the column headings on a continuation page.
 */
export function titledTable(title: string, style: 'h2' | 'h4', widths: Array<number | string>, head: string[], rows: TableCell[][]): Content {
  const n = head.length;
  return {
    table: {
      headerRows: 2, keepWithHeaderRows: 1, dontBreakRows: true, widths,
      body: [[{ text: title, style, colSpan: n, margin: [-4, 0, 0, 0] }, ...Array.from({ length: n - 1 }, () => ({}))], headerRow(head), ...rows],
    },
    layout: gridLayout(true), margin: [0, style === 'h4' ? 4 : 0, 0, 6],
  };
}

export interface FrameOptions {
  institution: InstitutionHeader;
  patient: PatientIdentity;
  /** The document's title, in its language (metadata and running header). */
  title: string;
  /** Stamped as the PDF's creation date and printed in the footer: the same input gives the same bytes. */
  generatedAt: string;
  /** The footer's first column; default the PHI notice. */
  notice?: string;
  /** Said under the letterhead when a name had to print as '?'; default the common note. */
  nonLatinNote?: string;
  /** Body text size; default 9.5 (the family summary prints larger). */
  fontSize?: number;
}

const STYLE_ADDITIONS: TDocumentDefinitions['styles'] = {
  para: { margin: [0, 0, 0, 6] },
  lead: { fontSize: 11, margin: [0, 0, 0, 8] },
  note: { italics: true, color: '#52606d' },
};

/**
 * The page frame of a patient document: US Letter, Helvetica, institution and patient (name with MRN) in the
 * running header from page 2 on, PHI notice and "page X of Y" in the footer. Metadata names the document and the
 * date, never the patient. Call it after the content is built, so a '?' anywhere adds the note under the letterhead.
 */
export function patientFrame(w: DocWriter, o: FrameOptions, content: Content[]): TDocumentDefinitions {
  const institution = w.t(o.institution.name);
  const running = `${institution} · ${o.title} · ${w.t(o.patient.name)} · ${w.s.mrn} ${w.t(o.patient.mrn)}`;
  const generatedAt = new Date(o.generatedAt);
  const generated = Number.isNaN(generatedAt.getTime()) ? w.s.notRecorded : w.date(o.generatedAt);
  const day = calendarDate(o.generatedAt, w.timeZone) ?? '';
  const notes: Content[] = w.replaced ? [{ text: o.nonLatinNote ?? w.s.nonLatinNote, style: 'note', margin: [0, 0, 0, 8] }] : [];
  return {
    pageSize: 'LETTER',
    pageMargins: [40, 44, 40, 56],
    info: {
      title: `${o.title} ${day}`.trim(), author: institution, subject: `${o.title} · ${w.s.program}`,
      creator: 'TumorBoard', producer: 'TumorBoard (pdfmake)',
      ...(Number.isNaN(generatedAt.getTime()) ? {} : { creationDate: generatedAt, modDate: generatedAt }),
    },
    language: w.lang === 'es' ? 'es' : 'en-US',
    displayTitle: true,
    defaultStyle: { font: PDF_FONT, fontSize: o.fontSize ?? 9.5, lineHeight: 1.2 },
    styles: { ...STYLES, ...STYLE_ADDITIONS },
    header: (page: number) => (page === 1 ? null : { text: running, style: 'footer', margin: [40, 20, 40, 0] }),
    footer: (page: number, pages: number) => ({
      margin: [40, 12, 40, 0],
      columns: [
        { text: o.notice ?? w.s.phiNotice, style: 'footer', bold: true, width: '*' },
        { text: `${w.s.generated(generated)}\n${w.s.page(page, pages)}`, style: 'footer', alignment: 'right', width: 150 },
      ],
    }),
    pageBreakBefore: (node, following) => (node.headlineLevel ?? 0) > 0 && following.length === 0,
    content: [...content.slice(0, 1), ...notes, ...content.slice(1)],
  };
}

export type PatientDocKind = 'consensus-letter' | 'family-summary' | 'survivorship-care-plan';

/** A file name with no patient in it: `consensus-letter-2026-12-03-es.pdf`. */
export function patientDocFileName(kind: PatientDocKind, dateIso: string | null, lang: DocLanguage): string {
  const day = dateIso ? calendarDate(dateIso) : null;
  return `${kind}${day ? `-${day}` : ''}-${lang}.pdf`;
}
