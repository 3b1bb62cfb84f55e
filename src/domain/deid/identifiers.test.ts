import { expect, test } from 'vitest';
import { EXPORT_MODES, MODE_LABELS, SAFE_HARBOR_IDENTIFIERS } from './identifiers.js';

test('the table lists all eighteen Safe Harbor identifiers, (A) to (R)', () => {
  const clauses = new Set(SAFE_HARBOR_IDENTIFIERS.map((i) => i.clause.slice(0, 1)));
  expect([...clauses].sort().join('')).toBe('ABCDEFGHIJKLMNOPQR');
});

test('Safe Harbor keeps no identifier as recorded; only the Limited Data Set keeps dates and geography', () => {
  for (const i of SAFE_HARBOR_IDENTIFIERS) {
    expect(i.treatment.safe_harbor).not.toBe('kept');
    expect(i.treatment.safe_harbor).not.toBe('shifted');
    expect(i.treatment.safe_harbor).not.toBe('keyed_pseudonym');
  }
  const kept = SAFE_HARBOR_IDENTIFIERS.filter((i) => i.treatment.limited === 'kept').map((i) => i.clause);
  expect(kept).toEqual(['B', 'C', 'C (ages)']);
});

test('only Safe Harbor is labelled as Safe Harbor', () => {
  expect(EXPORT_MODES.filter((m) => MODE_LABELS[m].safeHarbor)).toEqual(['safe_harbor']);
  for (const m of ['limited', 'date_shifted'] as const) expect(MODE_LABELS[m].words).toContain('NOT Safe Harbor');
});
