import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DIALECTS } from '../support/stores.js';
import { json, testApi, type TestApi } from '../support/api.js';

const osteosarcoma = {
  ageMonths: 168, sex: 'male', pubertalStatus: 'postpubertal', morphology: '9180/3', topography: 'C40.2',
  siteCategory: 'bone_extremity', primarySite: 'distal femur', laterality: 'right', sizeCm: 7.5,
  bone: { extraosseousExtension: true, compartment: 'extracompartmental', skipLesion: 'none' },
  regionalNodes: 'N0', metastases: [], grade: { twoTier: 'high' },
};

describe.each(DIALECTS)('the assessment API on %s', (dialect) => {
  let t: TestApi;
  let clinician: string;

  beforeAll(async () => {
    t = await testApi(dialect);
    clinician = await t.login('oncologist');
  });
  afterAll(async () => { await t?.close(); });

  test('POST /assess returns the assessment with rule IDs behind every value', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/assess', payload: osteosarcoma, headers: { cookie: clinician } });
    expect(res.statusCode).toBe(200);
    const a = json(res).assessment;
    expect(a.ajcc).toMatchObject({ scheme: 'AJCC8-bone-appendicular', T: 'T1', N: 'N0', M: 'M0', grade: 'high', stageGroup: 'IIA' });
    expect(a.enneking).toMatchObject({ stage: 'IIB' });
    expect(a.treatmentTemplate).toBe('T-OS-MAP');
    expect(a.explanations.find((e: { output: string }) => e.output === 'ajcc.T')).toMatchObject({ rules: ['R-AJCC-BONE-T-APP'], text: '7.5 cm ≤ 8 cm → T1' });
    expect(a.missing).toContainEqual({ field: 'histologicResponse', needed_for: 'osteosarcoma.huvosGrade' });
  });

  test.each([
    [{ ...osteosarcoma, morphology: '1234/3' }, 'morphology'],
    [{ ...osteosarcoma, sizeCm: -2 }, 'sizeCm'],
    [{ ...osteosarcoma, ageMonths: 1500 }, 'ageMonths'],
    [{ ...osteosarcoma, siteCategory: 'elbow' }, 'siteCategory'],
    [{ ...osteosarcoma, bone: { ...osteosarcoma.bone, skipLesion: 'maybe' } }, 'bone.skipLesion'],
    [{ ...osteosarcoma, colour: 'red' }, 'colour'],
  ])('invalid facts get 400 naming the field (%#)', async (facts, field) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/assess', payload: facts, headers: { cookie: clinician } });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.field).toBe(field);
    expect(json(res).error.message).toContain(field);
  });

  test('a travel coordinator may not run assessments', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/assess', payload: osteosarcoma, headers: { cookie: await t.login('travel') } });
    expect(res.statusCode).toBe(403);
  });

  test('a registry case is assessed from its patient and tumour records, and the read is audited', async () => {
    // A case with its tumour recorded (the demo's open referrals have cases that triage opened before that).
    const withTumour = new Set((await t.services.store.db.selectFrom('cases').select('id').where('tumor_id', 'is not', null).execute()).map((c) => c.id));
    const cases = json(await t.app.inject({ method: 'GET', url: '/api/v1/cases?limit=200', headers: { cookie: clinician } })).items
      .filter((c: { id: string }) => withTumour.has(c.id));
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/cases/${cases[0].id}/assessment`, headers: { cookie: clinician } });
    expect(res.statusCode).toBe(200);
    const body = json(res);
    expect(body.facts.ageMonths).toBeGreaterThanOrEqual(0);
    expect(body.assessment === null ? body.errors.length : body.assessment.explanations.length).toBeGreaterThan(0);
    const audit = json(await t.app.inject({ method: 'GET', url: '/api/v1/admin/audit?recordType=case_assessment', headers: { cookie: await t.login('admin') } }));
    expect(audit.items[0]).toMatchObject({ recordId: cases[0].id, patientId: cases[0].patientId, username: 'oncologist', action: 'read' });
  });

  test('another institution’s case assessment answers 404', async () => {
    const theirs = json(await t.app.inject({ method: 'GET', url: '/api/v1/cases', headers: { cookie: await t.login('riverside') } })).items[0];
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/cases/${theirs.id}/assessment`, headers: { cookie: clinician } });
    expect(res.statusCode).toBe(404);
  });
});
