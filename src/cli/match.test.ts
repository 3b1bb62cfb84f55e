import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { syntheticTrials } from '../domain/trials/synthetic.js';
import { main } from './main.js';
import { matchCommand, readStudiesFromPath, type MatchDeps } from './match.js';

/**
 * `tumorboard match` called in-process (no child process): stdout and stderr are captured, the exit status is the
 * return value. Case facts come from test/fixtures/case-facts; studies from fixtures/ctgov.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const STUDIES = path.join(ROOT, 'fixtures', 'ctgov');
const FACTS = path.join(ROOT, 'test', 'fixtures', 'case-facts');
let tmp: string;

interface Run { code: number; stdout: string; stderr: string }

async function run(args: string[], deps?: MatchDeps, viaMain = false): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { stdout += String(s); return true; });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => { stderr += String(s); return true; });
  try {
    const code = viaMain ? await main(['match', ...args]) : await matchCommand(args, deps);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-match-'));
  fs.writeFileSync(path.join(tmp, 'ewing.json'), JSON.stringify({
    ageMonths: 168, sex: 'female', pubertalStatus: 'pubertal', morphology: '9260/3', topography: 'C40.2', siteCategory: 'bone_extremity',
    metastases: [], diseaseStatus: 'newly_diagnosed', performance: { scale: 'lansky', value: 90 },
  }));
  fs.mkdirSync(path.join(tmp, 'studies'));
  fs.copyFileSync(path.join(STUDIES, 'NCT04129151.json'), path.join(tmp, 'studies', 'a.json'));
  fs.copyFileSync(path.join(STUDIES, 'NCT01231906.json'), path.join(tmp, 'studies', 'b.json'));
  fs.writeFileSync(path.join(tmp, 'studies', 'broken.json'), '{ not json');
  fs.writeFileSync(path.join(tmp, 'studies', 'page.json'), JSON.stringify({ studies: [{ protocolSection: { identificationModule: { nctId: 'NCT123' } } }, JSON.parse(fs.readFileSync(path.join(STUDIES, 'NCT04129151.json'), 'utf8'))] }));
});
afterAll(() => { fs.rmSync(tmp, { recursive: true, force: true }); });

describe('tumorboard match', () => {
  test('one case against a folder of studies prints one entry per trial with per-criterion verdicts', async () => {
    const r = await run([path.join(tmp, 'ewing.json'), '--trials', STUDIES]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Array<Record<string, unknown> & { criteria: Array<Record<string, unknown>> }>;
    expect(out.map((m) => m.trialId)).toEqual(['NCT00023998', 'NCT00354835', 'NCT01231906', 'NCT02301039', 'NCT02567435', 'NCT03643133', 'NCT04129151']);
    for (const m of out) {
      expect(m).toEqual(expect.objectContaining({ trialId: expect.any(String), verdict: expect.stringMatching(/^(eligible|not_eligible|possible)$/), criteria: expect.any(Array), missing: expect.any(Array) }));
      for (const c of m.criteria) expect(c).toEqual(expect.objectContaining({ text: expect.any(String), kind: expect.stringMatching(/^(inclusion|exclusion)$/), verdict: expect.stringMatching(/^(met|not_met|unknown|needs_review)$/), evidence: expect.anything() }));
    }
    const relapsed = out.find((m) => m.trialId === 'NCT04129151')!;
    expect(relapsed.verdict).toBe('not_eligible');
    expect(relapsed.criteria.find((c) => c.verdict === 'not_met')!.evidence).toContain('disease status newly diagnosed');
    expect(out.find((m) => m.trialId === 'NCT01231906')!.verdict).toBe('possible');
    expect(out.some((m) => m.verdict === 'eligible')).toBe(false); // drafts are never curated
  });

  test('an array of cases prints an array of arrays in the same order', async () => {
    const r = await run([path.join(FACTS, 'batch.json'), '--trials', path.join(STUDIES, 'NCT04129151.json')]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as unknown[][];
    const batch = JSON.parse(fs.readFileSync(path.join(FACTS, 'batch.json'), 'utf8')) as unknown[];
    expect(out).toHaveLength(batch.length);
    for (const entries of out) expect(entries).toHaveLength(1);
  });

  test('reads the case from stdin for -', async () => {
    const text = fs.readFileSync(path.join(tmp, 'ewing.json'), 'utf8');
    const r = await run(['-', '--trials', path.join(STUDIES, 'NCT04129151.json')], { readStdin: async () => text });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Array<{ verdict: string }>)[0]!.verdict).toBe('not_eligible');
  });

  test('invalid facts in an array exit 2 with one line naming the item and field', async () => {
    const r = await run([path.join(FACTS, 'invalid-batch.json'), '--trials', STUDIES]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: \[1\]\.sizeCm: .+\n$/);
  });

  test.each([
    [['x.json'], 'error: --trials: give a study JSON file or folder (or --db FILE / DATABASE_URL)\n'],
    [[], 'error: FILE: give a case-facts JSON file or - for stdin\n'],
    [['a.json', 'b.json', '--trials', 'x'], 'error: b.json: unexpected argument (match takes one FILE or -)\n'],
  ])('bad usage %o exits 2 with one line', async (args, line) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(line);
  });

  test('an unknown option, a missing facts file, not-JSON facts and an unreadable --trials path exit 2', async () => {
    expect((await run(['--colour'])).code).toBe(2);
    const missing = await run([path.join(tmp, 'nope.json'), '--trials', STUDIES]);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: .*nope\.json: cannot read \(no such file\)\n$/) });
    const notJson = await run([path.join(FACTS, 'not-json.json'), '--trials', STUDIES]);
    expect(notJson).toMatchObject({ code: 2, stderr: expect.stringContaining('not valid JSON') });
    const noTrials = await run([path.join(tmp, 'ewing.json'), '--trials', path.join(tmp, 'none')]);
    expect(noTrials).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: --trials: cannot read .*none \(no such file\)\n$/) });
  });

  test('records that cannot be imported are warnings on stderr; the command still succeeds', async () => {
    const r = await run([path.join(tmp, 'ewing.json'), '--trials', path.join(tmp, 'studies')]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Array<{ trialId: string }>).map((m) => m.trialId)).toEqual(['NCT04129151', 'NCT01231906']);
    const warnings = r.stderr.trim().split('\n');
    expect(warnings).toEqual([
      expect.stringMatching(/^warning: .*broken\.json: not valid JSON/),
      expect.stringMatching(/^warning: .*page\.json\[0\] NCT123: .*is not an NCT number/),
      expect.stringMatching(/^warning: .*page\.json NCT04129151: duplicate NCT04129151/),
    ]);
  });

  test('without --trials, stored definitions come from deps.loadTrials (the database), and --db is passed through', async () => {
    const loadTrials = vi.fn(async () => syntheticTrials(3, 1));
    const r = await run([path.join(tmp, 'ewing.json'), '--db', 'tb.sqlite'], { loadTrials });
    expect(r.code).toBe(0);
    expect(loadTrials).toHaveBeenCalledWith({ db: 'tb.sqlite' });
    expect((JSON.parse(r.stdout) as unknown[]).length).toBe(3);
  });

  test('tumorboard match dispatches through main', async () => {
    const r = await run([path.join(tmp, 'ewing.json'), '--trials', path.join(STUDIES, 'NCT01231906.json')], undefined, true);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Array<{ trialId: string }>)[0]!.trialId).toBe('NCT01231906');
  });

  test('readStudiesFromPath reads a single file', async () => {
    const r = await readStudiesFromPath(path.join(STUDIES, 'NCT02301039.json'));
    expect(r.errors).toEqual([]);
    expect(r.trials.map((t) => t.nctId)).toEqual(['NCT02301039']);
  });
});
