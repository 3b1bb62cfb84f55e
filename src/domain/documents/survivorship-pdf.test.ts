import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { describe, expect, test } from 'vitest';
import { renderPdf } from '../../services/documents.js';
import { pdfText } from '../../../test/support/pdf.js';
import type { CaseFacts, RadiationCourse } from '../facts/case-facts.js';
import { survivorshipScreening } from '../plan/late-effects.js';
import { NON_LATIN_NOTE } from './conference-pdf.js';
import { COMMON } from './i18n.js';
import { screeningTestKey, SCREENING_TESTS, survivorshipCarePlan, type SurvivorshipDocInput } from './survivorship-pdf.js';

const institution = { name: 'Lakeshore Children’s Hospital', addressLines: ['1200 Lakeshore Drive'], phoneLines: ['Tel. +1 312 555 0100'] };
const patient = { name: 'Núñez, José Ángel', dateOfBirth: '2014-05-09', mrn: 'MRN-004211' };

/** A survivor of localized Ewing sarcoma of the femur (AEWS0031-type totals, 50.4 Gy to the left leg), seen in March 2030. */
function plan(over: Partial<SurvivorshipDocInput> = {}): SurvivorshipDocInput {
  return {
    language: 'en', generatedAt: '2030-03-01T15:00:00.000Z', timeZone: 'America/Chicago', institution, patient,
    primaryCarePhysician: { name: 'Dr. Hannah Brooks', institution: 'Northside Pediatrics', phone: '+1 312 555 0777' },
    diagnosis: {
      text: 'Ewing sarcoma of the left femur, localized', morphologyCode: '9364/3', morphologyLabel: 'Ewing sarcoma',
      topographyCode: 'C40.2', topographyLabel: 'Long bones of lower limb', date: '2026-10-20',
    },
    therapyStart: '2026-11-02', therapyEnd: '2027-08-15',
    chemotherapy: [
      { agent: 'doxorubicin', cumulativeMgM2: 375 }, { agent: 'cyclophosphamide', cumulativeMgM2: 8400 },
      { agent: 'ifosfamide', cumulativeMgM2: 63000 }, { agent: 'etoposide', cumulativeMgM2: 3500 },
    ],
    cedMgM2: { value: 23772, rules: ['R-LE-CED'] },
    doxorubicinEquivalentMgM2: { value: 375, rules: ['R-LE-ANTHRA'] },
    surgery: [{ date: '2027-01-25', procedure: 'Wide resection of the left distal femur' }],
    radiation: [{ field: 'extremity', side: 'left', doseGy: 50.4, fractions: 28, startDate: '2027-02-20', endDate: '2027-03-31' }],
    risks: [
      { risk: 'cardiomyopathy', because: 'doxorubicin equivalent 375 mg/m²', rules: ['R-LE-ANTHRA', 'R-LE-ECHO'] },
      { risk: 'kidney_damage', because: 'ifosfamide ≥60 g/m²', rules: ['R-LE-IFO'] },
    ],
    screening: [
      { test: 'Echocardiogram', frequency: 'every 2 years', nextDue: '2029-08-15', because: 'doxorubicin equivalent 375 mg/m²', rules: ['R-LE-ECHO', 'R-LE-ANTHRA'], unverified: true },
      { test: 'Blood pressure', frequency: 'yearly', nextDue: '2030-08-15', because: 'ifosfamide ≥60 g/m²', rules: ['R-LE-IFO'] },
      { test: 'Electrolytes (incl. Mg, PO₄, bicarbonate), creatinine/eGFR and urinalysis', frequency: 'at entry into long-term follow-up, then as indicated', nextDue: null, because: 'ifosfamide', rules: ['R-LE-IFO'] },
    ],
    guidelines: 'COG Long-Term Follow-Up Guidelines v6.0',
    contacts: [{ label: 'Survivorship clinic', number: '+1 312 555 0150' }],
    ...over,
  };
}

async function rendered(doc: TDocumentDefinitions): Promise<string> {
  return pdfText(await renderPdf(doc, { compress: false }));
}

/** Table cells in order: the PDF text has no separator between cells of one row. */
const cells = (...parts: string[]) => new RegExp(parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s*'));

describe('the survivorship care plan', () => {
  test('in English: patient with MRN, primary care physician, diagnosis with codes and dates of therapy', async () => {
    const text = await rendered(survivorshipCarePlan(plan()));
    for (const s of ['Lakeshore Children’s Hospital', 'Survivorship care plan', 'Núñez, José Ángel MRN MRN-004211',
      'This plan is for Núñez, José Ángel, the family and the primary care physician.',
      'Recommendations follow: COG Long-Term Follow-Up Guidelines v6.0.', 'Ewing sarcoma of the left femur, localized']) expect(text).toContain(s);
    for (const row of [
      ['Date of birth', 'May 9, 2014'], ['Primary care physician', 'Dr. Hannah Brooks · Northside Pediatrics · +1 312 555 0777'],
      ['ICD-O-3 morphology', '9364/3 Ewing sarcoma'], ['ICD-O-3 topography', 'C40.2 Long bones of lower limb'], ['Date of diagnosis', 'October 20, 2026'],
      ['Start of therapy', 'November 2, 2026'], ['End of therapy', 'August 15, 2027'],
    ]) expect(text).toMatch(cells(...row));
  });

  test('lists the treatment received: cumulative doses, the CED and doxorubicin-equivalent with their rules, surgery, radiation field and Gy', async () => {
    const text = await rendered(survivorshipCarePlan(plan()));
    expect(text).toMatch(cells('Doxorubicin', '375 mg/m²', 'Cyclophosphamide', '8,400 mg/m²', 'Ifosfamide', '63,000 mg/m²'));
    expect(text).toContain('Cyclophosphamide equivalent dose (CED): 23,772 mg/m² (R-LE-CED)');
    expect(text).toContain('Doxorubicin-equivalent anthracycline dose: 375 mg/m² (R-LE-ANTHRA)');
    expect(text).toMatch(cells('January 25, 2027', 'Wide resection of the left distal femur'));
    expect(text).toMatch(cells('Extremity (left)', '50.4 Gy', '28', 'February 20, 2027 – March 31, 2027'));
  });

  test('late-effect risks and the screening schedule carry the rule IDs of each line; overdue tests are due now', async () => {
    const text = await rendered(survivorshipCarePlan(plan()));
    expect(text).toMatch(cells('Heart muscle damage (cardiomyopathy)', 'doxorubicin equivalent 375 mg/m²', 'R-LE-ANTHRA, R-LE-ECHO'));
    expect(text).toMatch(cells('Test', 'How often', 'Next due', 'Why'));
    expect(text).toMatch(cells('Echocardiogram (heart ultrasound)', 'Checks how well the heart pumps.', 'every 2 years *', 'August 15, 2029', 'due now',
      'doxorubicin equivalent 375 mg/m²', 'R-LE-ECHO, R-LE-ANTHRA'));
    expect(text).toMatch(cells('Blood pressure', 'High blood pressure can be a sign of kidney damage.', 'every year', 'August 15, 2030', 'ifosfamide >=60 g/m²', 'R-LE-IFO'));
    expect(text).toMatch(cells('at entry into long-term follow-up, then as indicated', 'not recorded', 'ifosfamide', 'R-LE-IFO'));
    expect(text).toContain('* To be confirmed against the current COG Long-Term Follow-Up Guidelines (v6.0).');
    // "≥" is written ">=", not '?': no note about unprintable text.
    expect(text).not.toContain(NON_LATIN_NOTE);
    expect(text.match(/due now/g)).toHaveLength(1);
  });

  test('speaks to the family and to the primary care physician, with the numbers to call', async () => {
    const text = await rendered(survivorshipCarePlan(plan()));
    expect(text).toContain('For the family Keep this plan');
    expect(text).toContain('For the primary care physician Please order the tests above when they are due');
    expect(text).toContain('Survivorship clinic: +1 312 555 0150');
  });

  test('in Spanish, with its accents, the assessment\'s tests and frequencies translated and numbers written as the RAE does', async () => {
    const text = await rendered(survivorshipCarePlan(plan({ language: 'es' })));
    for (const s of [
      'Plan de atención para sobrevivientes', 'Este plan es para Núñez, José Ángel, su familia y su médico de atención primaria.',
      'Las recomendaciones siguen: COG Long-Term Follow-Up Guidelines v6.0.', 'Diagnóstico', 'Tratamiento recibido',
      'Dosis equivalente de ciclofosfamida (CED): 23 772 mg/m² (R-LE-CED)', 'Dosis de antraciclinas equivalente a doxorrubicina: 375 mg/m² (R-LE-ANTHRA)',
      'Posibles efectos tardíos', 'Calendario de controles', 'Para la familia', 'Para el médico de atención primaria', 'Teléfonos de contacto',
      '* Pendiente de confirmar con las guías vigentes',
    ]) expect(text).toContain(s);
    for (const row of [
      ['Fecha de nacimiento', '9 de mayo de 2014'], ['Inicio del tratamiento', '2 de noviembre de 2026'],
      ['Doxorrubicina', '375 mg/m²', 'Ciclofosfamida', '8400 mg/m²', 'Ifosfamida', '63 000 mg/m²', 'Etopósido', '3500 mg/m²'],
      ['Extremidad (izquierda)', '50.4 Gy', '28', '20 de febrero de 2027 – 31 de marzo de 2027'],
      ['Daño del músculo del corazón (miocardiopatía)'],
      ['Prueba', 'Cada cuánto', 'Próxima fecha', 'Por qué'],
      ['Ecocardiograma (ecografía del corazón)', 'Revisa cómo bombea el corazón.', 'cada 2 años *', '15 de agosto de 2029', 'pendiente ya'],
      ['Presión arterial', 'La presión alta puede ser un signo de daño renal.', 'cada año', '15 de agosto de 2030'],
      ['Análisis de sangre y orina para los riñones', ''],
      ['al empezar el seguimiento a largo plazo y después según indicación', 'no consta'],
    ]) expect(text).toMatch(cells(...row));
    expect(text).not.toMatch(/not recorded|Echocardiogram\b|every 2 years/);
  });

  test('unknown values print as "not recorded"; nothing given is told apart from not recorded', async () => {
    const unknown = plan({
      primaryCarePhysician: null, therapyStart: null, therapyEnd: null, guidelines: null, chemotherapy: null,
      cedMgM2: { value: null, rules: ['R-LE-CED'] }, doxorubicinEquivalentMgM2: { value: null, rules: ['R-LE-ANTHRA'] },
      surgery: [], radiation: [{ field: 'pelvis', side: null, doseGy: null, fractions: null, startDate: null, endDate: null }],
      risks: null, screening: null, contacts: [],
      diagnosis: { text: null, morphologyCode: null, morphologyLabel: null, topographyCode: null, topographyLabel: null, date: null },
    });
    const text = await rendered(survivorshipCarePlan(unknown));
    for (const row of [['Primary care physician', 'not recorded'], ['Start of therapy', 'not recorded'], ['ICD-O-3 morphology', 'not recorded'],
      ['Chemotherapy (cumulative doses)', 'Not recorded'], ['Pelvis', 'not recorded', 'not recorded', 'not recorded'],
      ['Possible late effects', 'Not recorded'], ['Screening schedule', 'Not recorded']]) expect(text).toMatch(cells(...row));
    expect(text).toContain('Recommendations follow: not recorded.');
    expect(text).toContain('Cyclophosphamide equivalent dose (CED): not recorded (R-LE-CED)');
    expect(text).toContain('No surgery was done.');

    const none = await rendered(survivorshipCarePlan(plan({ chemotherapy: [], radiation: [], risks: [], screening: [] })));
    for (const s of ['No chemotherapy was given.', 'No radiation therapy was given.', 'No late-effect risk was found from the treatment recorded.',
      'No screening test is recommended from the treatment recorded']) expect(none).toContain(s);

    const es = await rendered(survivorshipCarePlan({ ...unknown, language: 'es' }));
    expect(es).toMatch(cells('Médico de atención primaria', 'no consta'));
    expect(es).toContain('Dosis equivalente de ciclofosfamida (CED): no consta (R-LE-CED)');
    expect(es).toContain('No se realizó cirugía.');
    expect(es).not.toMatch(/not recorded/);
  });

  test('a test or frequency outside the catalogue prints as given', async () => {
    const text = await rendered(survivorshipCarePlan(plan({
      language: 'es', screening: [{ test: 'Densitometría ósea (DXA)', frequency: 'una vez a los 18 años', nextDue: '2032-05-09', because: 'metotrexato', rules: ['R-LE-RT'] }],
    })));
    expect(text).toMatch(cells('Densitometría ósea (DXA)', 'una vez a los 18 años', '9 de mayo de 2032', 'metotrexato', 'R-LE-RT'));
  });

  test.each([
    ['Arabic', 'الهاشمي، محمد', /\?{8} \?{4} MRN MRN-004211/],
    ['Chinese', '王小明', /\?{3} MRN MRN-004211/],
  ])('a name in %s prints as "?" beside its MRN, and the plan says why', async (_script, name, printed) => {
    for (const language of ['en', 'es'] as const) {
      const text = await rendered(survivorshipCarePlan(plan({ language, patient: { ...patient, name } })));
      expect(text).toMatch(new RegExp(printed.source.replace('MRN MRN', language === 'es' ? 'N\\.º de historia clínica \\(MRN\\) MRN' : 'MRN MRN')));
      expect(text).toContain(COMMON[language].nonLatinNote);
    }
  });
});

describe('the screening the late-effects rules compute', () => {
  const course = (o: Partial<RadiationCourse> & Pick<RadiationCourse, 'field' | 'doseGy'>): RadiationCourse => o;
  const survivor = (sex: 'male' | 'female', exposures: CaseFacts['exposures']): CaseFacts => ({
    ageMonths: 240, sex, morphology: '9260/3', topography: 'C41.3', siteCategory: 'bone_chest_wall', exposures,
  });
  const survivors: CaseFacts[] = [
    survivor('female', {
      ageAtTreatmentMonths: 144, agents: { doxorubicin: 375, cyclophosphamide: 8400, ifosfamide: 63000, cisplatin: 480, etoposide: 500 },
      radiation: [course({ field: 'chest_wall', doseGy: 50.4, breastInField: true }), course({ field: 'pelvis', doseGy: 45 }), course({ field: 'orbit', doseGy: 45 })],
    }),
    survivor('male', { ageAtTreatmentMonths: 60, agents: { cyclophosphamide: 4800 }, radiation: [course({ field: 'pelvis', doseGy: 36, gonadsInField: true }), course({ field: 'head_neck', doseGy: 50 })] }),
  ];
  const items = survivors.flatMap((f) => survivorshipScreening(f).value?.items ?? []);

  test('every test they name has a name in both languages', () => {
    expect(items.length).toBeGreaterThanOrEqual(12);
    for (const i of items) expect(screeningTestKey(i.test), i.test).not.toBeNull();
    expect(new Set(items.map((i) => screeningTestKey(i.test))).size).toBe(Object.keys(SCREENING_TESTS).length - 1); // all but the yearly physical
  });

  test('flow into the plan as they are, and print in Spanish with their rule IDs and no "?"', async () => {
    const screening = items.map((i) => ({ test: i.test, frequency: i.frequency, nextDue: null, because: i.because, rules: i.rules }));
    const text = await rendered(survivorshipCarePlan(plan({ language: 'es', screening })));
    for (const key of ['audiology', 'colonoscopy', 'cbc', 'pelvic_rt_female', 'pelvic_rt_male', 'head_neck_rt', 'head_neck_rt_eye'] as const) {
      expect(text).toContain(SCREENING_TESTS[key].name.es.slice(0, 30));
    }
    for (const id of ['R-LE-OTO', 'R-LE-SMN', 'R-FERT', 'R-LE-RT']) expect(text).toContain(id);
    expect(text).not.toContain(COMMON.es.nonLatinNote);
  });
});
