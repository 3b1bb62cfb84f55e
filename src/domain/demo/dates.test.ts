import { describe, expect, test } from 'vitest';
import { dayFromIsoDate, isoDateFromDay, isoInstant } from './dates.js';

describe('day arithmetic', () => {
  test('day numbers round-trip through ISO dates and agree with Date for 1900–2100', () => {
    const mismatches: number[] = [];
    for (let day = -25_567; day <= 47_482; day += 3) {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      if (isoDateFromDay(day) !== iso || dayFromIsoDate(iso) !== day) mismatches.push(day);
    }
    expect(mismatches).toEqual([]);
  });

  test.each([
    ['2024-02-29', 19_782], ['1970-01-01', 0], ['2000-03-01', 11_017],
  ])('%s is day %d', (iso, day) => {
    expect(dayFromIsoDate(iso)).toBe(day);
    expect(isoDateFromDay(day)).toBe(iso);
  });

  test.each(['2025-02-29', '2025-13-01', '25-01-01', '2025-1-1', ''])('rejects "%s"', (iso) => {
    expect(() => dayFromIsoDate(iso)).toThrow(RangeError);
  });

  test('an instant is the day plus whole minutes, in UTC ISO-8601', () => {
    expect(isoInstant(dayFromIsoDate('2025-06-14'), 14 * 60 + 5)).toBe('2025-06-14T14:05:00.000Z');
    expect(isoInstant(0, 1439)).toBe(new Date(1439 * 60_000).toISOString());
  });
});
