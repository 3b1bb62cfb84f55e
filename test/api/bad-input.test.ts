import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DIALECTS } from '../support/stores.js';
import { json, testApi, type TestApi } from '../support/api.js';

const valid = {
  mrn: 'BAD-0001', familyName: 'Valid', givenName: 'Person', birthDate: '2015-01-01', sex: 'male',
  preferredLanguage: 'English', interpreterNeeded: false, homeCountry: 'United States', guardians: [],
};

describe.each(DIALECTS)('bad input to the patient API on %s', (dialect) => {
  let t: TestApi;
  let coord: string;
  let before: number;

  beforeAll(async () => {
    t = await testApi(dialect);
    coord = await t.login('coordinator');
    before = json(await t.app.inject({ method: 'GET', url: '/api/v1/patients?limit=1', headers: { cookie: coord } })).total;
  });
  afterAll(async () => {
    // Nothing any of the bad requests sent was written.
    const after = json(await t.app.inject({ method: 'GET', url: '/api/v1/patients?limit=1', headers: { cookie: coord } })).total;
    expect(after).toBe(before);
    await t?.close();
  });

  const post = (payload: string, contentType = 'application/json') =>
    t.app.inject({ method: 'POST', url: '/api/v1/patients', payload, headers: { cookie: coord, 'content-type': contentType } });

  test.each([
    ['malformed JSON', '{"mrn": "X-1",', '(body)'],
    ['an empty body', '', '(body)'],
    ['a wrong type', JSON.stringify({ ...valid, sex: 42 }), 'sex'],
    ['a string where a boolean belongs', JSON.stringify({ ...valid, interpreterNeeded: 'yes' }), 'interpreterNeeded'],
    ['an unknown field', JSON.stringify({ ...valid, favouriteColour: 'blue' }), 'favouriteColour'],
    ['an impossible date', JSON.stringify({ ...valid, birthDate: '2015-02-30' }), 'birthDate'],
    ['a missing required field', JSON.stringify({ ...valid, familyName: undefined }), 'familyName'],
    ['a blank name', JSON.stringify({ ...valid, familyName: '   ' }), 'familyName'],
    ['a bad guardian phone', JSON.stringify({ ...valid, guardians: [{ name: 'A', relationship: 'mother', phone: 'call me' }] }), 'guardians[0].phone'],
    ['a __proto__ key', '{"__proto__": {"admin": true}, "mrn": "X-2"}', '(body)'],
    ['a constructor.prototype key', '{"constructor": {"prototype": {"admin": true}}}', '(body)'],
    ['a JSON array', '[1,2,3]', '(body)'],
  ])('%s gets a 4xx naming %s', async (_what, payload, field) => {
    const res = await post(payload);
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    const err = json(res).error;
    expect(err.field ?? err.issues?.[0]?.field).toBe(field);
    expect(err.message).toContain(field);
  });

  test('an oversize body gets 413', async () => {
    const res = await post(JSON.stringify({ ...valid, familyName: 'x'.repeat(300_000) }));
    expect(res.statusCode).toBe(413);
  });

  test('a non-JSON content type gets 4xx naming content-type', async () => {
    const res = await post('mrn=1', 'application/x-www-form-urlencoded');
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
  });

  test.each([
    ['limit=0', 'querystring.limit'], ['limit=abc', 'querystring.limit'], ['offset=-1', 'querystring.offset'],
    ['sort=evil', 'querystring.sort'], ['bogus=1', 'querystring.bogus'],
  ])('the patient list with %s gets 400 naming %s', async (qs, field) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/patients?${qs}`, headers: { cookie: coord } });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.field).toBe(field);
  });

  test('a malformed If-Match gets 400 naming If-Match', async () => {
    const list = json(await t.app.inject({ method: 'GET', url: '/api/v1/patients?limit=1', headers: { cookie: coord } }));
    const id = list.items[0].id;
    const res = await t.app.inject({ method: 'PUT', url: `/api/v1/patients/${id}`, payload: { ...valid, mrn: 'BAD-0002' }, headers: { cookie: coord, 'if-match': 'yesterday' } });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.field).toBe('If-Match');
  });
});
