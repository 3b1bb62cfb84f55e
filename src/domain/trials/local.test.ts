import { describe, expect, test } from 'vitest';
import { AppError } from '../errors.js';
import { draftCriteria } from './draft.js';
import { localCriteriaText, localTrialInput, localTrialRecord } from './local.js';
import { segmentCriteria } from './segment.js';

const input = localTrialInput.parse({
  localId: 'lch-sarc-2026-01', title: 'Local pilot', status: 'RECRUITING', sponsor: 'Lakeshore Children’s Hospital',
  minimumAge: '12 Months', maximumAge: '21 Years',
  inclusion: ['Newly diagnosed Ewing sarcoma', 'Lansky or Karnofsky ≥ 60'], exclusion: ['Prior\nradiation to the primary'],
});

describe('a hand-entered local trial', () => {
  test('its protocol number is upper-cased and an NCT number is refused', () => {
    expect(input.localId).toBe('LCH-SARC-2026-01');
    expect(localTrialInput.safeParse({ ...input, localId: 'NCT01234567' }).success).toBe(false);
  });

  test('its criteria are written as a registry text that segments into the same items, inclusion then exclusion', () => {
    const items = segmentCriteria(localCriteriaText(input));
    expect(items.map((i) => [i.kind, i.text])).toEqual([
      ['inclusion', 'Newly diagnosed Ewing sarcoma'],
      ['inclusion', 'Lansky or Karnofsky ≥ 60'],
      ['exclusion', 'Prior radiation to the primary'],
    ]);
  });

  test('draft extraction proposes leaves for it as for an imported record, with the age limits from the form', () => {
    const record = localTrialRecord(input, '2026-11-27');
    expect(record).toMatchObject({ nctId: 'LCH-SARC-2026-01', source: 'local', network: 'institutional', lastUpdatePostDate: '2026-11-27' });
    expect(record.eligibility.minimumAge?.days).toBeCloseTo(365.25, 0);
    const def = draftCriteria(record);
    expect(def.nctId).toBe('LCH-SARC-2026-01');
    expect(def.scopes.flatMap((s) => s.criteria).length).toBeGreaterThanOrEqual(3);
  });

  test.each([
    [{ minimumAge: 'a year' }, 'minimumAge'],
    [{ minimumAge: '22 Years' }, 'maximumAge'],
  ])('an unreadable or inverted age range (%o) is refused naming %s', (patch, field) => {
    let err: unknown;
    try { localTrialRecord({ ...input, ...patch }, '2026-11-27'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).field).toBe(field);
  });
});
