import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { validateCaseFacts } from '../assess.js';
import { validateTrialDefinition } from './criteria.js';
import { parseStudies } from './ctgov.js';
import { syntheticCases, syntheticStudies, syntheticTrials } from './synthetic.js';

describe('synthetic catalogs for tests and the bench', () => {
  test('synthetic trials are valid stored definitions with 15–40 criteria, the same for the same seed', () => {
    const defs = syntheticTrials(200, 9);
    for (const d of defs) {
      expect(validateTrialDefinition(JSON.parse(JSON.stringify(d))).ok).toBe(true);
      const n = d.scopes[0]!.criteria.length;
      expect(n).toBeGreaterThanOrEqual(15);
      expect(n).toBeLessThanOrEqual(42);
    }
    expect(syntheticTrials(3, 9)).toEqual(defs.slice(0, 3));
  });

  test('synthetic cases are valid case facts', () => {
    for (const f of syntheticCases(300, 4)) expect(validateCaseFacts(f).ok).toBe(true);
  });

  test('synthetic study records import with distinct NCT ids', () => {
    const dir = path.resolve(import.meta.dirname, '../../../fixtures/ctgov');
    const fixtures = fs.readdirSync(dir).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as unknown);
    const r = parseStudies(syntheticStudies(50, fixtures, 3), 'synthetic');
    expect(r.errors).toEqual([]);
    expect(new Set(r.trials.map((t) => t.nctId)).size).toBe(50);
  });
});
