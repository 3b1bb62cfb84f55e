import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { benchLogin, percentile, startBenchServer } from './fixture.js';


/**
 * Issue 5 figure: the agenda of a 30-case meeting with full case summaries (readiness from each case's assessment,
 * records and every group's input). API p95 through HTTP with autocannon; first render of the agenda page in
 * Chromium (navigation to the agenda table visible), when the browser is installed.
 */
export async function benchAgenda(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-bench-agenda-'));
  const server = await startBenchServer(3970, ['--db', path.join(dir, 'a.db'), '--demo']);
  try {
    const base = server.base;
    const cookie = await benchLogin(base);
    const get = async (p: string) => (await fetch(`${base}/api/v1${p}`, { headers: { cookie } })).json() as Promise<any>;
    const meeting = (await get('/conferences?when=upcoming')).items.find((c: { canAddCases?: boolean; caseCount: number }) => c.caseCount > 0);
    let conf = await get(`/conferences/${meeting.id}`);
    const cases = (await get('/cases?limit=200')).items as Array<{ id: string }>;
    const onAgenda = new Set(conf.items.map((i: { caseId: string }) => i.caseId));
    // The demo series caps a meeting at 12; this bench raises nothing: it fills a series made for it.
    const series = await (await fetch(`${base}/api/v1/conference-series`, {
      method: 'POST', headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bench 30-case conference', weekday: 'friday', startTime: '07:00', durationMinutes: 300, timeZone: 'America/New_York', capacity: 30, cutoffHours: 0, startsOn: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10) }),
    })).json() as { id: string };
    const list = (await get('/conferences?when=upcoming&limit=200')).items as Array<{ id: string; seriesId: string }>;
    const target = list.find((c) => c.seriesId === series.id)!;
    let added = 0;
    for (const k of cases) {
      if (added >= 30) break;
      const res = await fetch(`${base}/api/v1/conferences/${target.id}/agenda`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ caseId: k.id, kind: 'new_diagnosis' }) });
      if (res.status === 201) added++;
    }
    void onAgenda;
    conf = await get(`/conferences/${target.id}`);
    const latencies: number[] = [];
    const instance = autocannon({ url: `${base}/api/v1/conferences/${target.id}`, connections: 2, duration: 10, headers: { cookie } }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
    instance.on('response', (_c: unknown, _s: number, _b: number, t: number) => { latencies.push(t); });
    const result = await instance;
    latencies.sort((a, b) => a - b);
    let firstRenderMs: number | null = null;
    let firstRenderError: string | null = null;
    if (fs.existsSync('/usr/bin/chromium')) try {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
      try {
        const context = await browser.newContext();
        await context.addCookies([{ name: 'tb_session', value: cookie.split('=')[1]!, domain: '127.0.0.1', path: '/' }]);
        const page = await context.newPage();
        const renders: number[] = [];
        for (let i = 0; i < 5; i++) {
          const t0 = performance.now();
          await page.goto(`${base}/conferences/${target.id}`);
          await page.getByText(conf.items[29]?.patientName ?? conf.items.at(-1).patientName).first().waitFor({ timeout: 15_000 });
          renders.push(performance.now() - t0);
        }
        renders.sort((a, b) => a - b);
        firstRenderMs = Math.round(renders[2]!);
      } finally {
        await browser.close();
      }
    } catch (err) {
      firstRenderError = (err as Error).message.split('\n')[0]!;
    }
    return {
      cases: conf.items.length, apiP50Ms: +percentile(latencies, 50).toFixed(1), apiP95Ms: +percentile(latencies, 95).toFixed(1),
      requests: latencies.length, requestsPerSecond: Math.round(result.requests.average), targetApiP95Ms: 50,
      firstRenderMedianMs: firstRenderMs, firstRenderError, targetFirstRenderMs: 1500,
    };
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
