import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { heading } from './conference-pdf.js';
import {
  contactList, DISCIPLINE_LABELS, DocWriter, factTable, letterhead, para, patientFrame, STAGING_KINDS, titledTable, VALUE_LABELS,
  type ContactNumber, type DiagnosisText, type DocLanguage, type InstitutionHeader, type Localized, type PatientIdentity,
} from './i18n.js';

/**
 * The two documents that follow a case's Tumor Conference discussion, in English and Spanish:
 * - the consensus letter to the referring physician (diagnosis with ICD-O-3 codes, stage and risk lines naming
 *   their system and rule IDs, the recommended plan, the trial offered, dissent, who took part and signed);
 * - the summary for the family, in plain words (what was decided, what happens next, who to call).
 * Pure: a plain input in, a pdfmake document definition out; `services/documents.ts` renders it. Unknown values
 * print as "not recorded" / "no consta"; free text prints as given (the service passes it in `language`).
 */

// ---- Inputs ----

/** A staging or risk result, printed "COG risk group: intermediate (COG ARST risk, R-RMS-RISK-FUSION)". */
export interface StagingLine {
  /** A `STAGING_KINDS` key (printed in the document's language) or a label as printed. */
  kind: string;
  /** A `VALUE_LABELS` code (translated) or the value as printed ("IIB", "T2 N0 M0"); null when not derived. */
  value: string | null;
  /** The system used, e.g. "COG ARST risk", "AJCC 8th edition, bone". */
  system: string;
  /** Rule IDs behind the value, e.g. ["R-RMS-RISK-FUSION"]. */
  rules: string[];
}

/** A trial offered: registry trials have an NCT id, local trials a local id. */
export interface TrialOffered {
  nctId: string | null;
  localId: string | null;
  title: string | null;
}

export interface ConsensusLetterInput {
  language: DocLanguage;
  /** ISO timestamp: stamped as the PDF's creation date and printed in the footer. */
  generatedAt: string;
  /** IANA zone in which timestamps are read (calendar dates, YYYY-MM-DD, need none); default UTC. */
  timeZone?: string;
  institution: InstitutionHeader;
  /** The letter's date. */
  letterDate: string;
  /** The referring physician; null, or no name and no institution: "To the treating physician". */
  addressee: { name: string | null; institution: string | null; addressLines: string[] } | null;
  /** The referral reference (e.g. REF-2026-4F7K2Q) the referrer quotes; null when there is none. */
  reference: string | null;
  patient: PatientIdentity;
  conferenceDate: string | null;
  diagnosis: DiagnosisText;
  staging: StagingLine[];
  /** The recommended plan; null when none was recorded. */
  plan: {
    templateId: string | null;
    templateTitle: string | null;
    templateVersion: string | null;
    /** Rule IDs that selected the template (e.g. the risk rule). */
    rules: string[];
    /** The conference's words for the plan of care. */
    summary: string | null;
    /** One line per phase, e.g. "Induction: VDC alternating with IE every 14 days (weeks 1–12)". */
    phases: string[];
    localControl: { text: string; rules: string[] } | null;
  } | null;
  furtherWorkup: string | null;
  /** Trials offered; empty: "No trial offered" with `noTrialReason`. */
  trials: TrialOffered[];
  noTrialReason: string | null;
  dissent: Array<{ discipline: string; text: string }>;
  /** Disciplines who took part; `signedAt` (ISO) when they signed the recommendation. */
  participants: Array<{ discipline: string; name: string | null; signedAt: string | null }>;
  contacts: ContactNumber[];
  /** Who signs the letter; null: signed on behalf of the conference. */
  signatory: { name: string; role: string | null } | null;
}

/** Recommendations explained to the family in plain words: a name and one or two short sentences. */
export const FAMILY_TREATMENTS = {
  chemotherapy: {
    name: { en: 'Chemotherapy', es: 'Quimioterapia' },
    text: { en: 'Medicines that kill cancer cells. They are given through a vein or by mouth.', es: 'Medicamentos que destruyen las células del cáncer. Se dan por la vena o por la boca.' },
  },
  surgery: {
    name: { en: 'Surgery', es: 'Cirugía' },
    text: { en: 'An operation to take out the tumor.', es: 'Una operación para sacar el tumor.' },
  },
  radiation: {
    name: { en: 'Radiation therapy', es: 'Radioterapia' },
    text: { en: 'Strong X-rays aimed at the tumor. They kill cancer cells.', es: 'Rayos X fuertes dirigidos al tumor. Destruyen las células del cáncer.' },
  },
  observation: {
    name: { en: 'Close watch', es: 'Vigilancia' },
    text: { en: 'Regular check-ups and scans. No treatment for now.', es: 'Controles y estudios periódicos. Sin tratamiento por ahora.' },
  },
  more_tests: {
    name: { en: 'More tests', es: 'Más pruebas' },
    text: { en: 'The team needs more tests before choosing a treatment.', es: 'El equipo necesita más pruebas antes de elegir un tratamiento.' },
  },
  fertility_preservation: {
    name: { en: 'Fertility care', es: 'Cuidado de la fertilidad' },
    text: { en: 'Ways to protect the chance of having children later in life.', es: 'Formas de proteger la posibilidad de tener hijos en el futuro.' },
  },
} as const satisfies Record<string, { name: Localized; text: Localized }>;
export type FamilyTreatment = keyof typeof FAMILY_TREATMENTS;

export interface FamilySummaryInput {
  language: DocLanguage;
  /** ISO timestamp: stamped as the PDF's creation date and printed in the footer. */
  generatedAt: string;
  /** IANA zone in which timestamps are read; default UTC. */
  timeZone?: string;
  institution: InstitutionHeader;
  patient: PatientIdentity;
  conferenceDate: string | null;
  /** The diagnosis in plain words, as the care team wrote it for the family (in `language`). */
  diagnosisPlain: string | null;
  /** What the team recommends, explained in plain words; a value outside `FAMILY_TREATMENTS` prints as given. */
  recommended: Array<FamilyTreatment | string>;
  /** The team's own words to the family (in `language`). */
  decisionNote: string | null;
  trials: TrialOffered[];
  /** What happens next, in the family's language, with a date (ISO) when one is set. */
  nextSteps: Array<{ text: string; date: string | null }>;
  /** Who to call, the main contact first. */
  contacts: ContactNumber[];
}

// ---- Strings ----

interface LetterStrings {
  title: string;
  toTreating: string;
  reference: string;
  conferenceDate: string;
  salutation: (name: string | null) => string;
  intro: string;
  stageAndRisk: string;
  noStaging: string;
  plan: string;
  template: string;
  version: string;
  planSummary: string;
  phases: string;
  localControl: string;
  furtherWorkup: string;
  trial: string;
  noTrial: string;
  reason: string;
  localTrial: string;
  dissent: string;
  noDissent: string;
  participants: string;
  columns: [string, string, string];
  signed: (date: string) => string;
  tookPart: string;
  advisory: string;
  closing: string;
  onBehalf: string;
}

const LETTER = {
  en: {
    title: 'Consensus letter',
    toTreating: 'To the treating physician',
    reference: 'Our reference',
    conferenceDate: 'Conference date',
    salutation: (n) => (n ? `Dear ${n},` : 'Dear colleague,'),
    intro: 'Your patient was discussed at our multidisciplinary Pediatric Sarcoma Tumor Conference. This letter sets out the consensus recommendation of the conference.',
    stageAndRisk: 'Stage and risk group',
    noStaging: 'No stage or risk group was recorded.',
    plan: 'Recommended plan',
    template: 'Treatment template',
    version: 'version',
    planSummary: 'Plan of care',
    phases: 'Phases',
    localControl: 'Local control',
    furtherWorkup: 'Further work-up',
    trial: 'Clinical trial',
    noTrial: 'No trial offered.',
    reason: 'Reason',
    localTrial: 'Local trial',
    dissent: 'Dissent',
    noDissent: 'No dissent was recorded.',
    participants: 'Disciplines who took part',
    columns: ['Discipline', 'Name', 'Signed'],
    signed: (d) => `Signed ${d}`,
    tookPart: 'Took part; not signed',
    advisory: 'This recommendation reflects the information available at the conference. Treatment decisions remain with the treating physician, the patient and the family. Please contact us with any new findings or questions.',
    closing: 'Sincerely,',
    onBehalf: 'On behalf of the Pediatric Sarcoma Tumor Conference',
  },
  es: {
    title: 'Carta de consenso',
    toTreating: 'Al médico tratante',
    reference: 'Nuestra referencia',
    conferenceDate: 'Fecha del comité',
    salutation: (n) => (n ? `Estimado/a ${n}:` : 'Estimado/a colega:'),
    intro: 'Su paciente fue presentado/a en nuestro Comité Multidisciplinario de Tumores de Sarcoma Pediátrico. En esta carta le comunicamos la recomendación de consenso del comité.',
    stageAndRisk: 'Estadio y grupo de riesgo',
    noStaging: 'No consta ningún estadio ni grupo de riesgo.',
    plan: 'Plan recomendado',
    template: 'Esquema de tratamiento',
    version: 'versión',
    planSummary: 'Plan de atención',
    phases: 'Fases',
    localControl: 'Control local',
    furtherWorkup: 'Estudios adicionales',
    trial: 'Ensayo clínico',
    noTrial: 'No se ofreció ningún ensayo.',
    reason: 'Motivo',
    localTrial: 'Ensayo local',
    dissent: 'Opiniones discrepantes',
    noDissent: 'No consta ninguna opinión discrepante.',
    participants: 'Especialidades participantes',
    columns: ['Especialidad', 'Nombre', 'Firma'],
    signed: (d) => `Firmado el ${d}`,
    tookPart: 'Participó; no firmó',
    advisory: 'Esta recomendación se basa en la información disponible en el comité. Las decisiones de tratamiento corresponden al médico tratante, al paciente y a su familia. Comuníquese con nosotros ante cualquier hallazgo nuevo o pregunta.',
    closing: 'Atentamente,',
    onBehalf: 'En nombre del Comité de Tumores de Sarcoma Pediátrico',
  },
} as const satisfies Record<DocLanguage, LetterStrings>;

interface FamilyStrings {
  title: string;
  subtitle: string;
  mrn: string;
  meetingDate: string;
  whatIs: string;
  whatIsText: string;
  found: string;
  foundUnknown: string;
  recommends: string;
  recommendsUnknown: string;
  teamNote: string;
  study: string;
  studyOffered: string;
  studyName: string;
  studyChoice: string;
  noStudy: string;
  next: string;
  nextUnknown: string;
  nextAlways: string;
  call: string;
  callUnknown: string;
  notice: string;
  nonLatinNote: string;
}

const FAMILY = {
  en: {
    title: 'Summary for the family',
    subtitle: 'Tumor board review',
    mrn: 'Medical record number (MRN)',
    meetingDate: 'Date of the meeting',
    whatIs: 'What is a tumor board?',
    whatIsText: 'A tumor board is a meeting of doctors and other experts. They look at your child\'s tests together. Then they agree on the best plan. This page tells you what they decided.',
    found: 'What the doctors found',
    foundUnknown: 'Not recorded. Your doctor will explain it to you.',
    recommends: 'What the team recommends',
    recommendsUnknown: 'Not recorded. Your doctor will explain the plan to you.',
    teamNote: 'A note from the team',
    study: 'Research study (clinical trial)',
    studyOffered: 'Your child may be able to join a research study. A research study tests new ways to treat cancer.',
    studyName: 'Name of the study',
    studyChoice: 'Joining is your choice. Your child will get good care either way. Your doctor will explain the study and answer your questions.',
    noStudy: 'No research study was offered at this time.',
    next: 'What happens next',
    nextUnknown: 'Your care team will call you to plan the next steps.',
    nextAlways: 'Your care team will go over this plan with you. You can ask questions at any time.',
    call: 'Who to call',
    callUnknown: 'Contact numbers: not recorded. Please call the hospital number at the top of this page.',
    notice: 'Private: this page has your child\'s health information. Keep it in a safe place.',
    nonLatinNote: 'Some letters (for example in Arabic or Chinese script) cannot be printed on this page and show as "?". The medical record number (MRN) is printed beside the name. Ask your care team if you need a copy with the full name.',
  },
  es: {
    title: 'Resumen para la familia',
    subtitle: 'Revisión en el comité de tumores',
    mrn: 'Número de historia clínica (MRN)',
    meetingDate: 'Fecha de la reunión',
    whatIs: '¿Qué es un comité de tumores?',
    whatIsText: 'Un comité de tumores es una reunión de médicos y otros especialistas. Revisan juntos las pruebas de su hijo o hija. Luego acuerdan el mejor plan. Esta hoja le cuenta lo que decidieron.',
    found: 'Lo que encontraron los médicos',
    foundUnknown: 'No consta. Su médico se lo explicará.',
    recommends: 'Lo que recomienda el equipo',
    recommendsUnknown: 'No consta. Su médico le explicará el plan.',
    teamNote: 'Una nota del equipo',
    study: 'Estudio de investigación (ensayo clínico)',
    studyOffered: 'Es posible que su hijo o hija pueda participar en un estudio de investigación. Un estudio de investigación prueba nuevas formas de tratar el cáncer.',
    studyName: 'Nombre del estudio',
    studyChoice: 'Participar es su decisión. Su hijo o hija recibirá una buena atención en cualquier caso. Su médico le explicará el estudio y responderá sus preguntas.',
    noStudy: 'Por ahora no se ofreció ningún estudio de investigación.',
    next: 'Próximos pasos',
    nextUnknown: 'Su equipo de atención le llamará para planear los próximos pasos.',
    nextAlways: 'Su equipo de atención revisará este plan con usted. Puede hacer preguntas en cualquier momento.',
    call: 'A quién llamar',
    callUnknown: 'Teléfonos de contacto: no consta. Llame al número del hospital que figura arriba en esta hoja.',
    notice: 'Privado: esta hoja contiene información de salud de su hijo o hija. Guárdela en un lugar seguro.',
    nonLatinNote: 'Algunas letras (por ejemplo, en escritura árabe o china) no se pueden imprimir en esta hoja y aparecen como "?". El número de historia clínica (MRN) figura junto al nombre. Pida a su equipo de atención una copia con el nombre completo si la necesita.',
  },
} as const satisfies Record<DocLanguage, FamilyStrings>;

// ---- Shared pieces ----

/** "NCT05304585: Title", or "Local trial LOC-12: Title". */
function trialLine(w: DocWriter, t: TrialOffered, localTrial: string): string {
  const id = t.nctId?.trim() ? w.t(t.nctId) : t.localId?.trim() ? `${localTrial} ${w.t(t.localId)}` : w.s.notRecordedCap;
  return `${id}: ${w.t(t.title)}`;
}

/** For the family, the title first: "Title (NCT05304585)". */
function familyTrialLine(w: DocWriter, t: TrialOffered): string {
  const id = t.nctId?.trim() || t.localId?.trim();
  return `${w.t(t.title)}${id ? ` (${w.t(id)})` : ''}`;
}

/** "Label: value (system, R-…)": the value with the system and rule IDs that produced it. */
function stagingLineText(w: DocWriter, l: StagingLine): Content {
  return { text: [`${w.label(STAGING_KINDS, l.kind)}: `, { text: w.label(VALUE_LABELS, l.value), bold: true }, ...w.citation(l.system, l.rules)] };
}

/** "Intermediate-risk RMS (T-RMS-IR-VACVI-MAINT, version 2026.1; R-RMS-RISK-FUSION)". */
function templateCitation(w: DocWriter, l: (typeof LETTER)[DocLanguage], p: NonNullable<ConsensusLetterInput['plan']>): Content[] {
  const id: Content[] = [
    ...w.idRuns(p.templateId ? [p.templateId] : []),
    ...(p.templateVersion?.trim() ? [`${p.templateId?.trim() ? ', ' : ''}${l.version} ${w.t(p.templateVersion)}`] : []),
  ];
  const rules = w.idRuns(p.rules);
  if (id.length === 0 && rules.length === 0) return [];
  return [' (', ...id, ...(id.length && rules.length ? ['; '] : []), ...rules, ')'];
}

// ---- The consensus letter ----

function addresseeBlock(w: DocWriter, l: (typeof LETTER)[DocLanguage], a: ConsensusLetterInput['addressee']): Content {
  const name = a?.name?.trim() ? w.t(a.name) : null;
  const inst = a?.institution?.trim() ? w.t(a.institution) : null;
  const lines: Content[] = [];
  if (!name && !inst) lines.push({ text: l.toTreating, bold: true });
  else {
    if (name) lines.push({ text: name, bold: true });
    if (inst) lines.push(inst);
  }
  for (const line of a?.addressLines ?? []) if (line.trim()) lines.push(w.t(line));
  return { stack: lines, margin: [0, 0, 0, 10] };
}

function planSection(w: DocWriter, l: (typeof LETTER)[DocLanguage], input: ConsensusLetterInput): Content[] {
  const p = input.plan;
  const out: Content[] = [heading(l.plan)];
  if (p === null) {
    out.push(para(w.s.notRecordedCap));
  } else {
    out.push(para([{ text: `${l.template}: `, bold: true }, w.t(p.templateTitle), ...templateCitation(w, l, p)]));
    out.push(para([{ text: `${l.planSummary}: `, bold: true }, w.t(p.summary)]));
    if (p.phases.length > 0) out.push({ text: `${l.phases}:`, bold: true }, { ul: p.phases.map((x) => w.t(x)), margin: [0, 0, 0, 6] });
    else out.push(para([{ text: `${l.phases}: `, bold: true }, w.s.notRecorded]));
    out.push(para([{ text: `${l.localControl}: `, bold: true }, ...(p.localControl ? [w.t(p.localControl.text), ...w.citation(null, p.localControl.rules)] : [w.s.notRecorded])]));
  }
  out.push(para([{ text: `${l.furtherWorkup}: `, bold: true }, w.t(input.furtherWorkup)]));
  return out;
}

function participantsSection(w: DocWriter, l: (typeof LETTER)[DocLanguage], ps: ConsensusLetterInput['participants']): Content[] {
  if (ps.length === 0) return [heading(l.participants), para(w.s.notRecordedCap)];
  return [titledTable(l.participants, 'h2', [150, '*', 140], [...l.columns], ps.map((x): TableCell[] => [
    { text: w.label(DISCIPLINE_LABELS, x.discipline), bold: true },
    w.t(x.name),
    x.signedAt ? l.signed(w.date(x.signedAt)) : l.tookPart,
  ]))];
}

/**
 * The letter to the referring physician after the Tumor Conference (R-CONF): the consensus recommendation with the
 * systems and rule IDs behind each stage and risk line, the plan (template ID and version), the trial offered or why
 * none was, dissent, and who took part and signed.
 */
export function consensusLetter(input: ConsensusLetterInput): TDocumentDefinitions {
  const w = new DocWriter(input.language, input.timeZone);
  const l = LETTER[input.language];
  const d = input.diagnosis;
  const content: Content[] = [letterhead(w, input.institution, l.title, w.s.program)];
  content.push({ text: w.date(input.letterDate), alignment: 'right', margin: [0, 0, 0, 8] });
  content.push(addresseeBlock(w, l, input.addressee));
  content.push(factTable([
    [w.s.patient, w.patientLine(input.patient)],
    [w.s.dateOfBirth, w.date(input.patient.dateOfBirth)],
    [l.conferenceDate, w.date(input.conferenceDate)],
    ...(input.reference?.trim() ? [[l.reference, w.t(input.reference)] as const] : []),
  ]));
  const name = input.addressee?.name?.trim() ? w.t(input.addressee.name) : null;
  content.push(para(l.salutation(name)), para(l.intro));

  content.push(heading(w.s.diagnosis));
  content.push(para({ text: w.t(d.text), bold: true }));
  content.push(factTable([
    [w.s.morphology, d.morphologyCode?.trim() ? `${w.t(d.morphologyCode)}${d.morphologyLabel?.trim() ? ` ${w.t(d.morphologyLabel)}` : ''}` : w.s.notRecorded],
    [w.s.topography, d.topographyCode?.trim() ? `${w.t(d.topographyCode)}${d.topographyLabel?.trim() ? ` ${w.t(d.topographyLabel)}` : ''}` : w.s.notRecorded],
  ]));

  content.push(heading(l.stageAndRisk));
  content.push(input.staging.length === 0 ? para(l.noStaging) : { ul: input.staging.map((s) => stagingLineText(w, s)), margin: [0, 0, 0, 6] });

  content.push(...planSection(w, l, input));

  content.push(heading(l.trial));
  if (input.trials.length > 0) content.push({ ul: input.trials.map((t) => trialLine(w, t, l.localTrial)), margin: [0, 0, 0, 6] });
  else content.push(para([{ text: l.noTrial, bold: true }, ` ${l.reason}: ${w.t(input.noTrialReason)}.`]));

  content.push(heading(l.dissent));
  content.push(input.dissent.length === 0 ? para(l.noDissent)
    : { ul: input.dissent.map((x) => ({ text: [{ text: `${w.label(DISCIPLINE_LABELS, x.discipline)}: `, bold: true }, w.t(x.text)] })), margin: [0, 0, 0, 6] });

  content.push(...participantsSection(w, l, input.participants));

  content.push(heading(w.s.contacts));
  content.push(input.contacts.length === 0 ? para(w.s.notRecordedCap) : contactList(w, input.contacts));

  content.push({ text: l.advisory, style: 'note', margin: [0, 8, 0, 12] });
  content.push({
    stack: [
      l.closing,
      { text: '', margin: [0, 14, 0, 0] },
      ...(input.signatory ? [{ text: w.t(input.signatory.name), bold: true }, ...(input.signatory.role?.trim() ? [w.t(input.signatory.role)] : [])] : []),
      input.signatory ? { text: l.onBehalf, style: 'small' } : { text: l.onBehalf, bold: true },
    ],
    unbreakable: true,
  });
  return patientFrame(w, { institution: input.institution, patient: input.patient, title: l.title, generatedAt: input.generatedAt }, content);
}

// ---- The family summary ----

/**
 * The plain-language summary for the family after the Tumor Conference: short sentences, the tumor board explained,
 * what was decided, a research study if one was offered, what happens next and who to call. No codes, no rule IDs.
 */
export function familySummary(input: FamilySummaryInput): TDocumentDefinitions {
  const w = new DocWriter(input.language, input.timeZone);
  const f = FAMILY[input.language];
  const content: Content[] = [letterhead(w, input.institution, f.title, f.subtitle)];
  content.push(factTable([
    [w.s.patient, { text: w.t(input.patient.name), bold: true }],
    [f.mrn, w.t(input.patient.mrn)],
    [w.s.dateOfBirth, w.date(input.patient.dateOfBirth)],
    [f.meetingDate, w.date(input.conferenceDate)],
  ]));

  content.push(heading(f.whatIs), para(f.whatIsText));
  content.push(heading(f.found), para(input.diagnosisPlain?.trim() ? w.t(input.diagnosisPlain) : f.foundUnknown));

  content.push(heading(f.recommends));
  const recs = input.recommended.filter((r) => r.trim() !== '');
  if (recs.length === 0 && !input.decisionNote?.trim()) content.push(para(f.recommendsUnknown));
  if (recs.length > 0) {
    content.push({
      ul: recs.map((r): Content => {
        if (!Object.hasOwn(FAMILY_TREATMENTS, r)) return { text: w.t(r) };
        const x = FAMILY_TREATMENTS[r as FamilyTreatment];
        return { text: [{ text: `${x.name[input.language]}: `, bold: true }, x.text[input.language]] };
      }),
      margin: [0, 0, 0, 6],
    });
  }
  if (input.decisionNote?.trim()) content.push(para([{ text: `${f.teamNote}: `, bold: true }, w.t(input.decisionNote)]));

  content.push(heading(f.study));
  if (input.trials.length > 0) {
    content.push(para(f.studyOffered));
    content.push({ ul: input.trials.map((t) => ({ text: [{ text: `${f.studyName}: `, bold: true }, familyTrialLine(w, t)] })), margin: [0, 0, 0, 6] });
    content.push(para(f.studyChoice));
  } else {
    content.push(para(f.noStudy));
  }

  content.push(heading(f.next));
  if (input.nextSteps.length === 0) content.push(para(f.nextUnknown));
  else {
    content.push({
      ul: input.nextSteps.map((s) => (s.date ? { text: [{ text: `${w.date(s.date)}: `, bold: true }, w.t(s.text)] } : { text: w.t(s.text) })),
      margin: [0, 0, 0, 6],
    });
  }
  content.push(para(f.nextAlways));

  content.push(heading(f.call));
  content.push(input.contacts.length === 0 ? para(f.callUnknown) : contactList(w, input.contacts));
  content.push({ text: w.s.emergency, bold: true, margin: [0, 4, 0, 0] });

  return patientFrame(w, {
    institution: input.institution, patient: input.patient, title: f.title, generatedAt: input.generatedAt,
    notice: f.notice, nonLatinNote: f.nonLatinNote, fontSize: 11,
  }, content);
}
