import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DIALECTS } from '../support/stores.js';
import { json, testApi, type TestApi } from '../support/api.js';

describe.each(DIALECTS)('the weekly conference on %s', (dialect) => {
  let t: TestApi;
  let coord: string;
  let onc: string;
  const call = (cookie: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/v1${url}`, ...(payload ? { payload } : {}), headers: { cookie, ...headers } });

  beforeAll(async () => {
    t = await testApi(dialect, { patients: 30 });
    coord = await t.login('coordinator');
    onc = await t.login('oncologist');
  });
  afterAll(async () => { await t?.close(); });

  async function agendaMeeting() {
    const list = json(await call(coord, 'GET', '/conferences?when=upcoming'));
    const withCases = list.items.find((c: { caseCount: number }) => c.caseCount > 0);
    return json(await call(coord, 'GET', `/conferences/${withCases.id}`));
  }

  test('the demo series has weekly occurrences ahead, and the next agenda shows readiness per case by R-CONF', async () => {
    const list = json(await call(coord, 'GET', '/conferences?when=upcoming'));
    expect(list.total).toBeGreaterThanOrEqual(10);
    const starts = list.items.map((c: { startsAt: string }) => Date.parse(c.startsAt));
    expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(6 * 86_400_000);
    const c = await agendaMeeting();
    expect(c.items.length).toBeGreaterThan(0);
    const groups = c.items[0].readiness.items.find((i: { key: string }) => i.key === 'groups');
    expect(groups.rules).toContain('R-CONF');
    expect(c.items.map((i: { urgent: boolean }) => i.urgent)).toEqual([...c.items.map((i: { urgent: boolean }) => i.urgent)].sort((a, b) => Number(b) - Number(a)));
  });

  test('the demo\'s next agenda has cases made ready, every readiness item checked, beside cases still missing something', async () => {
    const c = await agendaMeeting();
    const ready = c.items.filter((i: { readiness: { ready: boolean } }) => i.readiness.ready);
    expect(ready.length).toBeGreaterThan(0);
    expect(ready.length).toBeLessThan(c.items.length);
    for (const i of ready) {
      expect(i.readiness.items.map((x: { key: string; ok: boolean | null }) => [x.key, x.ok])).toEqual([
        ['groups', true], ['records', true], ['staging', true], ['question', true], ['trials', true],
      ]);
    }
  });

  test('a case is added once; the same case again is a conflict; the agenda can be reordered', async () => {
    const c = await agendaMeeting();
    const cases = json(await call(coord, 'GET', '/cases?limit=200')).items;
    const onAgenda = new Set(c.items.map((i: { caseId: string }) => i.caseId));
    const extra = cases.find((k: { id: string }) => !onAgenda.has(k.id));
    const added = await call(coord, 'POST', `/conferences/${c.id}/agenda`, { caseId: extra.id, kind: 'post_treatment', estimatedMinutes: 8 });
    expect(added.statusCode).toBe(201);
    const again = await call(coord, 'POST', `/conferences/${c.id}/agenda`, { caseId: extra.id, kind: 'post_treatment' });
    expect(again.statusCode).toBe(409);
    expect(json(again).error.field).toBe('caseId');
    const now = json(added);
    const reversed = [...now.items].reverse().map((i: { id: string }) => i.id);
    const reordered = await call(coord, 'PUT', `/conferences/${c.id}/agenda/order`, { itemIds: reversed }, { 'if-match': `W/"${now.version}"` });
    expect(reordered.statusCode).toBe(200);
    expect(json(reordered).items.map((i: { id: string }) => i.id)).toEqual(reversed);
    const bad = await call(coord, 'PUT', `/conferences/${c.id}/agenda/order`, { itemIds: reversed.slice(1) }, { 'if-match': reordered.headers.etag! });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.field).toBe('itemIds');
  });

  test('each group records its own input; another group’s input is refused', async () => {
    const c = await agendaMeeting();
    const caseId = c.items[0].caseId;
    const res = await call(onc, 'PUT', `/conferences/${c.id}/cases/${caseId}/input`, { discipline: 'pediatric_oncology', stance: 'recommendation', recommendation: 'Neoadjuvant chemotherapy per protocol.' });
    expect(res.statusCode).toBe(200);
    expect(json(res).items.find((i: { caseId: string }) => i.caseId === caseId).inputs.map((x: { discipline: string }) => x.discipline)).toContain('pediatric_oncology');
    const other = await call(onc, 'PUT', `/conferences/${c.id}/cases/${caseId}/input`, { discipline: 'pathology', stance: 'no_direct_role_comment', findings: 'n/a' });
    expect(other.statusCode).toBe(403);
    const noRec = await call(onc, 'PUT', `/conferences/${c.id}/cases/${caseId}/input`, { discipline: 'pediatric_oncology', stance: 'recommendation' });
    expect(noRec.statusCode).toBe(400);
    expect(json(noRec).error.field).toBe('recommendation');
  });

  test('checking in twice, or for an unknown group, is refused', async () => {
    const c = await agendaMeeting();
    expect((await call(onc, 'POST', `/conferences/${c.id}/check-in`, { discipline: 'pediatric_oncology', mode: 'remote' })).statusCode).toBe(200);
    const twice = await call(onc, 'POST', `/conferences/${c.id}/check-in`, { discipline: 'pediatric_oncology', mode: 'remote' });
    expect(twice.statusCode).toBe(409);
    const unknown = await call(coord, 'POST', `/conferences/${c.id}/check-in`, { discipline: 'astrology', mode: 'remote' });
    expect(unknown.statusCode).toBe(400);
    expect(json(unknown).error.field).toBe('discipline');
  });

  test('a meeting cannot be moved into the past', async () => {
    const c = await agendaMeeting();
    const res = await call(coord, 'POST', `/conferences/${c.id}/move`, { date: '2020-01-02', time: '07:00' }, { 'if-match': `W/"${c.version}"` });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.field).toBe('startsAt');
  });

  test('live meeting: start, advance, a stale recommendation is refused, finish locks and rolls the rest forward', async () => {
    const c = await agendaMeeting();
    const statusBefore = new Map<string, string>();
    for (const i of c.items.slice(0, 2)) statusBefore.set(i.caseId, json(await call(coord, 'GET', `/cases/${i.caseId}`)).status);
    const started = await call(coord, 'POST', `/conferences/${c.id}/start`, undefined, { 'if-match': `W/"${c.version}"` });
    expect(started.statusCode).toBe(200);
    let m = json(started);
    expect(m).toMatchObject({ status: 'live', currentItemId: m.items[0].id });
    const first = m.items[0];
    const saved = await call(coord, 'PUT', `/conferences/${c.id}/agenda/${first.id}/recommendation`, { planOfCare: 'Start VDC/IE', dissent: [] }, { 'if-match': `W/"${first.version}"` });
    expect(saved.statusCode).toBe(200);
    const stale = await call(coord, 'PUT', `/conferences/${c.id}/agenda/${first.id}/recommendation`, { planOfCare: 'Other plan', dissent: [] }, { 'if-match': `W/"${first.version}"` });
    expect(stale.statusCode).toBe(412);
    m = json(saved);
    const advanced = await call(coord, 'POST', `/conferences/${c.id}/current`, { itemId: m.items[1].id }, { 'if-match': `W/"${m.version}"` });
    expect(advanced.statusCode).toBe(200);
    m = json(advanced);
    expect(m.items[0].status).toBe('discussed');
    const finished = await call(coord, 'POST', `/conferences/${c.id}/finish`, undefined, { 'if-match': `W/"${m.version}"` });
    expect(finished.statusCode).toBe(200);
    m = json(finished);
    expect(m.status).toBe('finished');
    expect(m.minutesLockedAt).toBeTruthy();
    const rolled = m.items.filter((i: { status: string }) => i.status === 'rolled_over');
    expect(rolled.length).toBe(m.items.length - 2);
    // Discussed cases not yet presented become presented; a post-treatment review keeps its status.
    for (const [caseId, was] of statusBefore) {
      const after = json(await call(coord, 'GET', `/cases/${caseId}`));
      if (was === 'referred' || was === 'under_review') {
        expect(after.status).toBe('presented');
        expect(after.timeline.at(-1)).toMatchObject({ status: 'presented', note: 'presented at conference' });
      } else expect(after.status).toBe(was);
    }
    expect((await call(coord, 'POST', `/conferences/${c.id}/agenda`, { caseId: first.caseId, kind: 'follow_up' })).statusCode).toBe(409);
    expect((await call(coord, 'PUT', `/conferences/${c.id}/agenda/${first.id}/recommendation`, { planOfCare: 'late edit', dissent: [] }, { 'if-match': `W/"${first.version + 1}"` })).statusCode).toBe(409);
    const next = json(await call(coord, 'GET', '/conferences?when=upcoming')).items.find((x: { startsAt: string }) => x.startsAt > c.startsAt);
    const nextAgenda = json(await call(coord, 'GET', `/conferences/${next.id}`));
    for (const r of rolled) expect(nextAgenda.items.map((i: { caseId: string }) => i.caseId)).toContain(r.caseId);
  });

  test('the series calendar is an iCalendar feed with one event per occurrence', async () => {
    const series = json(await call(coord, 'GET', '/conference-series')).items[0];
    const res = await call(coord, 'GET', `/conference-series/${series.id}/calendar.ics`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    expect(res.body).toMatch(/^BEGIN:VCALENDAR/);
    expect((res.body.match(/BEGIN:VEVENT/g) ?? []).length).toBeGreaterThanOrEqual(12);
  });

  test('a calendar app subscribes with a secret link; a new link revokes the old one; a wrong token is refused', async () => {
    const series = json(await call(coord, 'GET', '/conference-series')).items[0];
    const first = json(await call(onc, 'POST', `/conference-series/${series.id}/feed-token`));
    expect(first.path).toContain(`/conference-series/${series.id}/calendar.ics?token=`);
    const anon = (url: string) => t.app.inject({ method: 'GET', url });
    const viaLink = await anon(`/api/v1/conference-series/${series.id}/calendar.ics?token=${first.token}`);
    expect(viaLink.statusCode).toBe(200);
    expect(viaLink.body).toMatch(/^BEGIN:VCALENDAR/);
    const second = json(await call(onc, 'POST', `/conference-series/${series.id}/feed-token`));
    expect((await anon(`/api/v1/conference-series/${series.id}/calendar.ics?token=${first.token}`)).statusCode).toBe(401);
    expect((await anon(`/api/v1/conference-series/${series.id}/calendar.ics?token=${second.token}`)).statusCode).toBe(200);
    const wrong = await anon(`/api/v1/conference-series/${series.id}/calendar.ics?token=${'x'.repeat(43)}`);
    expect(wrong.statusCode).toBe(401);
    expect(json(wrong).error.field).toBe('token');
    expect((await anon(`/api/v1/conference-series/${series.id}/calendar.ics`)).statusCode).toBe(401);
  });

  test('the staff list offers this institution’s clinicians and coordinators as presenters, not another institution’s', async () => {
    const staff = json(await call(coord, 'GET', '/staff')).items as Array<{ id: string; displayName: string; role: string; discipline: string | null }>;
    expect(staff.some((u) => u.discipline === 'pathology')).toBe(true);
    expect(staff.every((u) => ['clinician', 'coordinator', 'trials'].includes(u.role))).toBe(true);
    const other = json(await call(await t.login('riverside'), 'GET', '/staff')).items as Array<{ id: string }>;
    expect(other.some((u) => staff.some((x) => x.id === u.id))).toBe(false);
  });

  test('another institution cannot see this institution’s conferences', async () => {
    const c = await agendaMeeting();
    expect((await call(await t.login('riverside'), 'GET', `/conferences/${c.id}`)).statusCode).toBe(404);
  });
});

describe('followers of a live meeting', () => {
  test('receive the coordinator’s change on their event stream', async () => {
    const http = await import('node:http');
    const t = await testApi('sqlite', { patients: 20 });
    try {
      const coord = await t.login('coordinator');
      const follower = await t.login('radiologist');
      const list = json(await t.app.inject({ method: 'GET', url: '/api/v1/conferences', headers: { cookie: coord } }));
      const c = list.items.find((x: { caseCount: number }) => x.caseCount > 0);
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (t.app.server.address() as { port: number }).port;
      const received: string[] = [];
      const req = http.request({ host: '127.0.0.1', port, path: `/api/v1/conferences/${c.id}/events`, headers: { cookie: follower, accept: 'text/event-stream' } });
      const gotHello = new Promise<void>((resolve, reject) => {
        req.on('response', (res) => {
          expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => { received.push(chunk); if (chunk.includes('event: hello')) resolve(); });
        });
        req.on('error', reject);
      });
      req.end();
      await gotHello;
      const started = await t.app.inject({ method: 'POST', url: `/api/v1/conferences/${c.id}/start`, headers: { cookie: coord, 'if-match': `W/"${c.version}"` } });
      expect(started.statusCode).toBe(200);
      const deadline = Date.now() + 2000;
      while (!received.join('').includes('event: started') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const stream = received.join('');
      expect(stream).toContain('event: started');
      expect(stream).toContain(`"conferenceId":"${c.id}"`);
      expect(stream).not.toMatch(/familyName|givenName/);
      req.destroy();
    } finally {
      await t.close();
    }
  });
});

describe.each(DIALECTS)('cancelling a meeting on %s', (dialect) => {
  test('moves its cases to the series’ next meeting', async () => {
    const t = await testApi(dialect, { patients: 20 });
    try {
      const coord = await t.login('coordinator');
      const list = json(await t.app.inject({ method: 'GET', url: '/api/v1/conferences', headers: { cookie: coord } })).items;
      const c = json(await t.app.inject({ method: 'GET', url: `/api/v1/conferences/${list.find((x: { caseCount: number }) => x.caseCount > 0).id}`, headers: { cookie: coord } }));
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/conferences/${c.id}/cancel`, payload: { note: 'Thanksgiving' }, headers: { cookie: coord, 'if-match': `W/"${c.version}"` } });
      expect(res.statusCode).toBe(200);
      expect(json(res).status).toBe('cancelled');
      const next = list.find((x: { startsAt: string }) => x.startsAt > c.startsAt);
      const nextAgenda = json(await t.app.inject({ method: 'GET', url: `/api/v1/conferences/${next.id}`, headers: { cookie: coord } }));
      for (const i of c.items) expect(nextAgenda.items.map((x: { caseId: string }) => x.caseId)).toContain(i.caseId);
    } finally {
      await t.close();
    }
  });
});
