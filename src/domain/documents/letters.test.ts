import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { describe, expect, test } from 'vitest';
import { renderPdf } from '../../services/documents.js';
import { pdfPageCount, pdfText } from '../../../test/support/pdf.js';
import { NON_LATIN_NOTE } from './conference-pdf.js';
import { COMMON } from './i18n.js';
import { consensusLetter, familySummary, type ConsensusLetterInput, type FamilySummaryInput } from './letters.js';

const institution = {
  name: 'Lakeshore Children’s Hospital', addressLines: ['1200 Lakeshore Drive', 'Chicago, IL 60611'], phoneLines: ['Tel. +1 312 555 0100'],
};
const contacts = [{ label: 'Sarcoma nurse coordinator', number: '+1 312 555 0142' }, { label: 'After hours', number: '+1 312 555 0199' }];
const patient = { name: 'Núñez, José Ángel', dateOfBirth: '2014-05-09', mrn: 'MRN-004211' };

function letter(over: Partial<ConsensusLetterInput> = {}): ConsensusLetterInput {
  return {
    language: 'en', generatedAt: '2026-12-03T15:00:00.000Z', timeZone: 'America/Chicago', institution, letterDate: '2026-12-04',
    addressee: { name: 'Dr. Maria Ortega', institution: 'Valley Regional Medical Center', addressLines: ['45 Main Street'] },
    reference: 'REF-2026-4F7K2Q', patient, conferenceDate: '2026-12-03',
    diagnosis: {
      text: 'Embryonal rhabdomyosarcoma of the bladder, fusion negative', morphologyCode: '8910/3', morphologyLabel: 'Embryonal rhabdomyosarcoma',
      topographyCode: 'C67.9', topographyLabel: 'Bladder, NOS',
    },
    staging: [
      { kind: 'rms_stage', value: '3', system: 'IRS pretreatment stage', rules: ['R-RMS-STAGE', 'R-RMS-SITE'] },
      { kind: 'cog_risk_group', value: 'intermediate', system: 'COG ARST risk', rules: ['R-RMS-RISK-FUSION'] },
    ],
    plan: {
      templateId: 'T-RMS-IR-VACVI-MAINT', templateTitle: 'Intermediate-risk RMS: VAC/VI with maintenance', templateVersion: '2026.1',
      rules: ['R-RMS-RISK-FUSION'], summary: 'VAC alternating with VI, then maintenance.',
      phases: ['Induction: VAC/VI (weeks 1–12)', 'Maintenance: 6 cycles'],
      localControl: { text: 'Radiation 50.4 Gy to the primary site', rules: ['R-RMS-RT'] },
    },
    furtherWorkup: 'Bone marrow biopsy.',
    trials: [{ nctId: 'NCT05304585', localId: null, title: 'ARST2032 low and intermediate risk RMS' }],
    noTrialReason: null,
    dissent: [{ discipline: 'radiation_oncology', text: 'Prefers proton therapy.' }],
    participants: [
      { discipline: 'pediatric_oncology', name: 'Dr. Priya Raman', signedAt: '2026-12-03T16:10:00.000Z' },
      { discipline: 'pathology', name: 'Dr. Kenji Watanabe', signedAt: null },
    ],
    contacts, signatory: { name: 'Dr. Priya Raman', role: 'Chair' },
    ...over,
  };
}

function family(over: Partial<FamilySummaryInput> = {}): FamilySummaryInput {
  return {
    language: 'en', generatedAt: '2026-12-03T15:00:00.000Z', timeZone: 'America/Chicago', institution, patient, conferenceDate: '2026-12-03',
    diagnosisPlain: 'A tumor called rhabdomyosarcoma. It started in the bladder.',
    recommended: ['chemotherapy', 'radiation'], decisionNote: 'The team agreed on this plan together.',
    trials: [{ nctId: 'NCT05304585', localId: null, title: 'ARST2032' }],
    nextSteps: [{ text: 'Clinic visit with Dr. Raman', date: '2026-12-07' }, { text: 'Fertility clinic appointment', date: null }],
    contacts, ...over,
  };
}

/** The text of the rendered PDF, as the conference PDF tests read it (uncompressed, standard fonts). */
async function rendered(doc: TDocumentDefinitions): Promise<string> {
  return pdfText(await renderPdf(doc, { compress: false }));
}

/** Table cells in order: the PDF text has no separator between cells of one row. */
const cells = (...parts: string[]) => new RegExp(parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s*'));

describe('the consensus letter', () => {
  test('in English: letterhead, date, referrer, patient with MRN, conference date and diagnosis with ICD-O-3 codes', async () => {
    const text = await rendered(consensusLetter(letter()));
    for (const s of [
      'Lakeshore Children’s Hospital', '1200 Lakeshore Drive', 'Tel. +1 312 555 0100', 'Consensus letter', 'December 4, 2026',
      'Dr. Maria Ortega', 'Valley Regional Medical Center', 'Núñez, José Ángel MRN MRN-004211', 'Dear Dr. Maria Ortega,',
      'Embryonal rhabdomyosarcoma of the bladder, fusion negative',
    ]) expect(text).toContain(s);
    for (const row of [
      ['Patient', 'Núñez, José Ángel MRN MRN-004211'], ['Date of birth', 'May 9, 2014'], ['Conference date', 'December 3, 2026'],
      ['Our reference', 'REF-2026-4F7K2Q'], ['ICD-O-3 morphology', '8910/3 Embryonal rhabdomyosarcoma'], ['ICD-O-3 topography', 'C67.9 Bladder, NOS'],
    ]) expect(text).toMatch(cells(...row));
  });

  test('each stage and risk line names its system and rule IDs', async () => {
    const text = await rendered(consensusLetter(letter()));
    expect(text).toContain('Pretreatment stage: 3 (IRS pretreatment stage, R-RMS-STAGE, R-RMS-SITE)');
    expect(text).toContain('COG risk group: intermediate (COG ARST risk, R-RMS-RISK-FUSION)');
  });

  test('the plan names the template, its ID and version and the rule that chose it, the phases and local control with its rule', async () => {
    const text = await rendered(consensusLetter(letter()));
    expect(text).toContain('Treatment template: Intermediate-risk RMS: VAC/VI with maintenance (T-RMS-IR-VACVI-MAINT, version 2026.1; R-RMS-RISK-FUSION)');
    expect(text).toContain('Plan of care: VAC alternating with VI, then maintenance.');
    expect(text).toContain('Induction: VAC/VI (weeks 1–12)');
    expect(text).toContain('Local control: Radiation 50.4 Gy to the primary site (R-RMS-RT)');
    expect(text).toContain('Further work-up: Bone marrow biopsy.');
  });

  test('names the trial offered by NCT id and title; without one says no trial was offered and why', async () => {
    expect(await rendered(consensusLetter(letter()))).toContain('NCT05304585: ARST2032 low and intermediate risk RMS');
    const none = await rendered(consensusLetter(letter({ trials: [], noTrialReason: 'No open trial for this risk group' })));
    expect(none).toContain('No trial offered. Reason: No open trial for this risk group.');
    expect(await rendered(consensusLetter(letter({ trials: [], noTrialReason: null })))).toContain('No trial offered. Reason: not recorded.');
    const local = await rendered(consensusLetter(letter({ trials: [{ nctId: null, localId: 'LCH-2026-07', title: 'Local pilot' }] })));
    expect(local).toContain('Local trial LCH-2026-07: Local pilot');
  });

  test('notes dissent by discipline, who took part and who signed, the contact numbers and the signatory', async () => {
    const text = await rendered(consensusLetter(letter()));
    expect(text).toContain('Radiation oncology: Prefers proton therapy.');
    expect(text).toMatch(cells('Pediatric oncology', 'Dr. Priya Raman', 'Signed December 3, 2026'));
    expect(text).toMatch(cells('Pathology', 'Dr. Kenji Watanabe', 'Took part; not signed'));
    expect(text).toContain('Sarcoma nurse coordinator: +1 312 555 0142');
    expect(text).toContain('Sincerely,');
    expect(text).toContain('On behalf of the Pediatric Sarcoma Tumor Conference');
    expect(await rendered(consensusLetter(letter({ dissent: [] })))).toContain('No dissent was recorded.');
  });

  test('in Spanish, with its accents', async () => {
    const text = await rendered(consensusLetter(letter({ language: 'es', noTrialReason: 'sin ensayo abierto', trials: [] })));
    for (const s of [
      'Carta de consenso', 'Comité de Tumores de Sarcoma Pediátrico', '4 de diciembre de 2026', 'Estimado/a Dr. Maria Ortega:', 'Diagnóstico',
      'Estadio previo al tratamiento: 3 (IRS pretreatment stage, R-RMS-STAGE, R-RMS-SITE)',
      'Grupo de riesgo COG: intermedio (COG ARST risk, R-RMS-RISK-FUSION)',
      'Esquema de tratamiento: Intermediate-risk RMS: VAC/VI with maintenance (T-RMS-IR-VACVI-MAINT, versión 2026.1; R-RMS-RISK-FUSION)',
      'Control local: Radiation 50.4 Gy to the primary site (R-RMS-RT)',
      'No se ofreció ningún ensayo. Motivo: sin ensayo abierto.', 'Oncología radioterápica: Prefers proton therapy.',
      'Especialidades participantes', 'Firmado el 3 de diciembre de 2026', 'Participó; no firmó', 'Teléfonos de contacto', 'Atentamente,',
    ]) expect(text).toContain(s);
    for (const row of [
      ['Paciente', 'Núñez, José Ángel N.º de historia clínica (MRN) MRN-004211'], ['Fecha de nacimiento', '9 de mayo de 2014'],
      ['Fecha del comité', '3 de diciembre de 2026'], ['Morfología CIE-O-3', '8910/3'], ['Topografía CIE-O-3', 'C67.9'],
    ]) expect(text).toMatch(cells(...row));
    expect(text).toContain(COMMON.es.phiNotice);
  });

  test('unknown values print as "not recorded" / "no consta"; an unknown referrer is the treating physician', async () => {
    const unknown = letter({
      addressee: null, reference: null, conferenceDate: null, patient: { name: 'Núñez, José Ángel', dateOfBirth: null, mrn: null },
      diagnosis: { text: null, morphologyCode: null, morphologyLabel: null, topographyCode: null, topographyLabel: null },
      staging: [{ kind: 'cog_risk_group', value: null, system: 'COG ARST risk', rules: ['R-RMS-RISK-FUSION'] }],
      plan: null, furtherWorkup: null, participants: [], contacts: [], signatory: null,
    });
    const en = await rendered(consensusLetter(unknown));
    for (const s of [
      'To the treating physician', 'Dear colleague,', 'MRN not recorded', 'Diagnosis not recorded',
      'COG risk group: not recorded (COG ARST risk, R-RMS-RISK-FUSION)', 'Further work-up: not recorded', 'Disciplines who took part Not recorded',
    ]) expect(en).toContain(s);
    for (const label of ['Date of birth', 'Conference date', 'ICD-O-3 morphology', 'ICD-O-3 topography']) expect(en).toMatch(cells(label, 'not recorded'));
    expect(en).not.toContain('Our reference');
    expect(en).toMatch(/Recommended plan Not recorded/);
    const es = await rendered(consensusLetter({ ...unknown, language: 'es' }));
    for (const s of ['Al médico tratante', 'Estimado/a colega:', 'Grupo de riesgo COG: no consta', 'Estudios adicionales: no consta', 'Plan recomendado No consta']) {
      expect(es).toContain(s);
    }
    for (const label of ['Fecha de nacimiento', 'Fecha del comité', 'Morfología CIE-O-3']) expect(es).toMatch(cells(label, 'no consta'));
    expect(es).not.toMatch(/not recorded/);
  });

  test('the metadata carries the generated-at time and never the patient', () => {
    const doc = consensusLetter(letter());
    expect(doc.info?.creationDate).toEqual(new Date('2026-12-03T15:00:00.000Z'));
    expect(doc.info?.title).toBe('Consensus letter 2026-12-03');
    expect(JSON.stringify(doc.info)).not.toMatch(/Núñez|MRN/);
  });

  test('later pages carry the patient and MRN in the header, every page the PHI notice and "page X of Y"', async () => {
    const pdf = await renderPdf(consensusLetter(letter({ participants: Array.from({ length: 30 }, (_, i) => ({ discipline: 'radiology', name: `Dr. R${i}`, signedAt: null })) })), { compress: false });
    expect(pdfPageCount(pdf)).toBeGreaterThan(1);
    const text = pdfText(pdf);
    expect(text).toContain('Lakeshore Children’s Hospital · Consensus letter · Núñez, José Ángel · MRN MRN-004211');
    expect(text).toContain(`page 2 of ${pdfPageCount(pdf)}`);
    expect(text.split(COMMON.en.phiNotice.slice(0, 40))).toHaveLength(pdfPageCount(pdf) + 1);
  });
});

describe('the family summary', () => {
  test('in English: short plain sentences on what was decided, what happens next and who to call', async () => {
    const text = await rendered(familySummary(family()));
    for (const s of [
      'Summary for the family', 'A tumor board is a meeting of doctors and other experts.', 'A tumor called rhabdomyosarcoma. It started in the bladder.',
      'Chemotherapy: Medicines that kill cancer cells.', 'Radiation therapy: Strong X-rays aimed at the tumor.',
      'A note from the team: The team agreed on this plan together.',
      'Name of the study: ARST2032 (NCT05304585)', 'Joining is your choice.',
      'December 7, 2026: Clinic visit with Dr. Raman', 'Fertility clinic appointment',
      'Who to call', 'Sarcoma nurse coordinator: +1 312 555 0142', 'call your local emergency number',
    ]) expect(text).toContain(s);
    expect(text).toMatch(cells('Patient', 'Núñez, José Ángel', 'Medical record number (MRN)', 'MRN-004211', 'Date of birth', 'May 9, 2014', 'Date of the meeting', 'December 3, 2026'));
    // No codes or rule IDs for the family.
    expect(text).not.toMatch(/\bR-[A-Z]|\bT-[A-Z]{2,}|ICD/);
  });

  test('in Spanish, with its accents', async () => {
    const text = await rendered(familySummary(family({
      language: 'es', diagnosisPlain: 'Un tumor llamado rabdomiosarcoma. Empezó en la vejiga.', decisionNote: 'El equipo acordó este plan.',
      nextSteps: [{ text: 'Consulta con la Dra. Raman', date: '2026-12-07' }],
    })));
    for (const s of [
      'Resumen para la familia', '¿Qué es un comité de tumores?', 'Revisan juntos las pruebas de su hijo o hija.', 'Un tumor llamado rabdomiosarcoma. Empezó en la vejiga.',
      'Quimioterapia: Medicamentos que destruyen las células del cáncer.', 'Radioterapia: Rayos X fuertes dirigidos al tumor.',
      'Participar es su decisión.', '7 de diciembre de 2026: Consulta con la Dra. Raman', 'A quién llamar', 'acuda al servicio de urgencias más cercano',
    ]) expect(text).toContain(s);
    expect(text).toMatch(cells('Número de historia clínica (MRN)', 'MRN-004211', 'Fecha de nacimiento', '9 de mayo de 2014', 'Fecha de la reunión', '3 de diciembre de 2026'));
  });

  test('unknown values print as "not recorded"; no trial and no steps say so plainly', async () => {
    const input = family({
      patient: { name: null, dateOfBirth: null, mrn: null }, conferenceDate: null, diagnosisPlain: null, recommended: [], decisionNote: null,
      trials: [], nextSteps: [], contacts: [],
    });
    const en = await rendered(familySummary(input));
    for (const label of ['Patient', 'Medical record number (MRN)', 'Date of birth', 'Date of the meeting']) expect(en).toMatch(cells(label, 'not recorded'));
    for (const s of [
      'Not recorded. Your doctor will explain it to you.',
      'Not recorded. Your doctor will explain the plan to you.', 'No research study was offered at this time.',
      'Your care team will call you to plan the next steps.', 'Contact numbers: not recorded.',
    ]) expect(en).toContain(s);
    const es = await rendered(familySummary({ ...input, language: 'es' }));
    for (const label of ['Paciente', 'Fecha de la reunión']) expect(es).toMatch(cells(label, 'no consta'));
    for (const s of ['No consta. Su médico se lo explicará.', 'Teléfonos de contacto: no consta.']) expect(es).toContain(s);
    expect(es).not.toMatch(/not recorded/);
  });
});

describe('a name the standard fonts cannot print', () => {
  test.each([
    ['Arabic', 'الهاشمي، محمد', /\?{8} \?{4}/],
    ['Chinese', '王小明', /\?{3}/],
  ])('in %s prints as "?" beside its MRN, and the document says why', async (_script, name, question) => {
    const p = { name, dateOfBirth: '2014-05-09', mrn: 'MRN-009876' };
    const text = await rendered(consensusLetter(letter({ patient: p })));
    expect(text).toMatch(new RegExp(`${question.source} MRN MRN-009876`));
    expect(text).toContain(NON_LATIN_NOTE);
    expect(text).not.toMatch(/\p{Script=Arabic}|\p{Script=Han}/u);

    const es = await rendered(consensusLetter(letter({ patient: p, language: 'es' })));
    expect(es).toContain(COMMON.es.nonLatinNote);

    const fam = await rendered(familySummary(family({ patient: p })));
    expect(fam).toMatch(new RegExp(`${question.source}\\s*Medical record number \\(MRN\\)\\s*MRN-009876`));
    expect(fam).toContain('The medical record number (MRN) is printed beside the name.');
  });

  test('Latin names with accents print whole, and then there is no note', async () => {
    const text = await rendered(consensusLetter(letter()));
    expect(text).toContain('Núñez, José Ángel');
    expect(text).not.toContain(NON_LATIN_NOTE);
  });
});
