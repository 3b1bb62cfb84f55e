import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../../test/support/cli.js';

/**
 * `tumorboard trials import PATH…` and `tumorboard match FILE --db FILE` end to end: the real entry point in a child
 * process, a fresh SQLite file, the shipped ClinicalTrials.gov records and a synthetic case.
 */

interface Run { code: number | null; stdout: string; stderr: string }

const run = (args: string[]): Promise<Run> => runCli(args);

describe('tumorboard trials import and match against the database', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-cli-trials-'));
  const db = path.join(dir, 't.db');
  const bad = path.join(dir, 'bad.json');
  const facts = path.join(dir, 'facts.json');
  let first: Run;
  let second: Run;
  let matched: Run;
  let noDb: Run;

  beforeAll(async () => {
    fs.writeFileSync(bad, JSON.stringify({ studies: [{ protocolSection: { identificationModule: { briefTitle: 'no id' } } }] }));
    fs.writeFileSync(facts, JSON.stringify({ ageMonths: 150, sex: 'female', morphology: '9260/3', topography: 'C40.2', siteCategory: 'bone_extremity', diseaseStatus: 'relapsed', metastases: ['lung'] }));
    first = await run(['trials', 'import', 'fixtures/ctgov', bad, '--db', db]);
    [second, matched, noDb] = await Promise.all([
      run(['trials', 'import', 'fixtures/ctgov/NCT04129151.json', '--db', db]),
      run(['match', facts, '--db', db]),
      run(['match', facts, '--db', path.join(dir, 'missing.db')]),
    ]);
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('imports every shipped record, reports the bad one on stderr and goes on', () => {
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/imported 7 trial\(s\): 7 new/);
    expect(first.stderr).toMatch(/^warning: .*bad\.json/m);
  });

  test('importing an unchanged record again changes nothing', () => {
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/1 unchanged/);
  });

  test('match without --trials reads the stored trials and prints one entry per trial', () => {
    expect(matched.code).toBe(0);
    const out = JSON.parse(matched.stdout) as Array<{ trialId: string; verdict: string; criteria: unknown[]; missing: unknown[] }>;
    expect(out).toHaveLength(7);
    expect(out.every((m) => ['eligible', 'not_eligible', 'possible'].includes(m.verdict))).toBe(true);
    expect(out.find((m) => m.trialId === 'NCT04129151')!.verdict).not.toBe('not_eligible');
  });

  test('match without --trials and without a database says what to give', () => {
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toMatch(/^error: --trials: /);
  });
});
