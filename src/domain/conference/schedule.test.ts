import { describe, expect, test } from 'vitest';
import {
  CLOSED_TO_NEW_CASES, addCaseAllowed, generateAhead, localDate, moveOccurrence, occurrencesBetween, zoneOffsetMinutes,
  zonedTimeToUtc,
} from './schedule.js';
import type { SeriesInput } from './types.js';

const series = (o: Partial<SeriesInput> = {}): SeriesInput => ({
  name: 'Sarcoma Tumor Conference', weekday: 'friday', startTime: '12:00', durationMinutes: 60,
  timeZone: 'America/New_York', capacity: 12, cutoffHours: 48, startsOn: '2026-01-01', ...o,
});
const starts = (s: SeriesInput, from: string, to: string) => occurrencesBetween(s, from, to).map((x) => x.startsAt);

describe('zoneOffsetMinutes', () => {
  test.each([
    ['America/New_York', '2026-01-15T12:00:00Z', -300],
    ['America/New_York', '2026-07-15T12:00:00Z', -240],
    ['Europe/Madrid', '2026-01-15T12:00:00Z', 60],
    ['Europe/Madrid', '2026-07-15T12:00:00Z', 120],
    ['Asia/Riyadh', '2026-01-15T12:00:00Z', 180],
    ['Asia/Riyadh', '2026-07-15T12:00:00Z', 180],
    ['Asia/Kolkata', '2026-07-15T12:00:00Z', 330],
    ['UTC', '2026-07-15T12:00:00Z', 0],
  ] as const)('%s at %s is %d minutes from UTC', (tz, at, offset) => {
    expect(zoneOffsetMinutes(new Date(at), tz)).toBe(offset);
  });

  test('an unknown time zone throws a RangeError', () => {
    expect(() => zoneOffsetMinutes(new Date(), 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('zonedTimeToUtc', () => {
  test.each([
    ['2026-03-07', '12:00', 'America/New_York', '2026-03-07T17:00:00.000Z'],
    ['2026-03-09', '12:00', 'America/New_York', '2026-03-09T16:00:00.000Z'],
    ['2026-03-08', '01:30', 'America/New_York', '2026-03-08T06:30:00.000Z'],
    ['2026-03-08', '03:00', 'America/New_York', '2026-03-08T07:00:00.000Z'],
    ['2026-03-09', '07:00', 'Asia/Tokyo', '2026-03-08T22:00:00.000Z'],
    ['2026-03-29', '08:00', 'Europe/Madrid', '2026-03-29T06:00:00.000Z'],
  ] as const)('%s %s in %s is %s', (date, time, tz, utc) => {
    expect(zonedTimeToUtc(date, time, tz)?.toISOString()).toBe(utc);
  });

  test('a time skipped by the spring-forward change moves forward by the gap (02:30 → 03:30 EDT)', () => {
    expect(zonedTimeToUtc('2026-03-08', '02:30', 'America/New_York')?.toISOString()).toBe('2026-03-08T07:30:00.000Z');
  });

  test('a time that occurs twice at the fall-back change is the first of the two (01:30 EDT)', () => {
    expect(zonedTimeToUtc('2026-11-01', '01:30', 'America/New_York')?.toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  test.each([
    ['2026-02-30', '07:00'], ['2026-3-1', '07:00'], ['2026-03-01', '7:00'], ['2026-03-01', '24:00'], ['', ''],
  ])('%s %s is not a real local time: null', (date, time) => {
    expect(zonedTimeToUtc(date, time, 'America/New_York')).toBeNull();
  });
});

describe('localDate', () => {
  test.each([
    ['2026-03-10T03:00:00Z', 'America/New_York', '2026-03-09'],
    ['2026-03-10T03:00:00Z', 'Europe/Madrid', '2026-03-10'],
    ['2026-03-09T22:00:00Z', 'Asia/Tokyo', '2026-03-10'],
  ] as const)('%s is %s on %s', (at, tz, date) => {
    expect(localDate(new Date(at), tz)).toBe(date);
  });
});

describe('occurrencesBetween', () => {
  test('a Friday noon New York meeting moves from 17:00 to 16:00 UTC across the March change', () => {
    expect(occurrencesBetween(series(), '2026-03-01', '2026-03-15')).toEqual([
      { slotDate: '2026-03-06', startsAt: '2026-03-06T17:00:00.000Z', endsAt: '2026-03-06T18:00:00.000Z' },
      { slotDate: '2026-03-13', startsAt: '2026-03-13T16:00:00.000Z', endsAt: '2026-03-13T17:00:00.000Z' },
    ]);
  });

  test('a Friday noon New York meeting moves from 16:00 to 17:00 UTC across the November change', () => {
    expect(starts(series(), '2026-10-25', '2026-11-08')).toEqual(['2026-10-30T16:00:00.000Z', '2026-11-06T17:00:00.000Z']);
  });

  test.each([
    ['the March change', '2026-03-20', '2026-04-05', ['2026-03-26T07:00:00.000Z', '2026-04-02T06:00:00.000Z']],
    ['the October change', '2026-10-20', '2026-10-31', ['2026-10-22T06:00:00.000Z', '2026-10-29T07:00:00.000Z']],
  ] as const)('a Thursday 08:00 Madrid meeting follows %s', (_, from, to, expected) => {
    expect(starts(series({ weekday: 'thursday', startTime: '08:00', timeZone: 'Europe/Madrid' }), from, to)).toEqual(expected);
  });

  test('a Sunday 14:00 Riyadh meeting is 11:00 UTC all year (no daylight saving)', () => {
    const s = series({ weekday: 'sunday', startTime: '14:00', timeZone: 'Asia/Riyadh' });
    const all = occurrencesBetween(s, '2026-01-01', '2026-12-31');
    expect(all).toHaveLength(52);
    expect(all.every((o) => o.startsAt.endsWith('T11:00:00.000Z') && new Date(o.startsAt).getUTCDay() === 0)).toBe(true);
  });

  test.each([
    ['America/New_York', '2026-03-03', '2026-03-03T12:00:00.000Z'],
    ['America/New_York', '2026-03-10', '2026-03-10T11:00:00.000Z'],
    ['Asia/Riyadh', '2026-03-10', '2026-03-10T04:00:00.000Z'],
  ] as const)('a Tuesday 07:00 meeting in %s on %s starts at %s', (timeZone, date, utc) => {
    const [o] = occurrencesBetween(series({ weekday: 'tuesday', startTime: '07:00', timeZone }), date, date);
    expect(o).toEqual({ slotDate: date, startsAt: utc, endsAt: new Date(Date.parse(utc) + 3_600_000).toISOString() });
  });

  test('a 07:00 Monday meeting in Tokyo keeps its local date although it starts the day before in UTC', () => {
    const [o] = occurrencesBetween(series({ weekday: 'monday', startTime: '07:00', timeZone: 'Asia/Tokyo' }), '2026-03-09', '2026-03-09');
    expect(o).toMatchObject({ slotDate: '2026-03-09', startsAt: '2026-03-08T22:00:00.000Z' });
  });

  test('both ends of the range are included', () => {
    expect(starts(series(), '2026-03-06', '2026-03-13')).toHaveLength(2);
  });

  test('nothing is generated before the series starts', () => {
    expect(occurrencesBetween(series({ startsOn: '2026-03-10' }), '2026-03-01', '2026-03-31').map((o) => o.slotDate))
      .toEqual(['2026-03-13', '2026-03-20', '2026-03-27']);
  });

  test('a start date on the weekday itself is the first meeting', () => {
    expect(occurrencesBetween(series({ startsOn: '2026-03-13' }), '2026-03-01', '2026-03-20').map((o) => o.slotDate))
      .toEqual(['2026-03-13', '2026-03-20']);
  });

  test.each([
    ['an inverted range', '2026-03-31', '2026-03-01'],
    ['a malformed date', '2026-03-01', '2026-13-01'],
  ])('%s yields no meetings', (_, from, to) => {
    expect(occurrencesBetween(series(), from, to)).toEqual([]);
  });

  test.each(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const)(
    'a %s series meets only on that weekday',
    (weekday) => {
      const all = occurrencesBetween(series({ weekday, timeZone: 'UTC' }), '2026-01-01', '2026-03-31');
      const names = all.map((o) => new Date(`${o.slotDate}T00:00:00Z`).toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' }).toLowerCase());
      expect(new Set(names)).toEqual(new Set([weekday]));
      expect(all.length).toBeGreaterThanOrEqual(12);
    },
  );
});

describe('generateAhead', () => {
  test('gives twelve weekly meetings by default, starting today when today is the meeting day', () => {
    const all = generateAhead(series(), '2026-03-06');
    expect(all).toHaveLength(12);
    expect(all[0]!.slotDate).toBe('2026-03-06');
    expect(all[11]!.slotDate).toBe('2026-05-22');
  });

  test.each([[1, 1], [4, 4], [26, 26]])('for %d weeks gives %d meetings', (weeks, n) => {
    expect(generateAhead(series(), '2026-03-07', weeks)).toHaveLength(n);
  });

  test('a series that starts later gives only the meetings from its start', () => {
    expect(generateAhead(series({ startsOn: '2026-03-20' }), '2026-03-01', 4).map((o) => o.slotDate))
      .toEqual(['2026-03-20', '2026-03-27']);
  });
});

describe('moveOccurrence', () => {
  const current = { startsAt: '2026-03-06T17:00:00.000Z', endsAt: '2026-03-06T18:30:00.000Z' };
  const now = new Date('2026-03-05T12:00:00Z');

  test('a meeting moved to a later local time keeps its length, converted at the new date\'s offset', () => {
    expect(moveOccurrence(current, { date: '2026-03-13', time: '07:00' }, 'America/New_York', now))
      .toEqual({ startsAt: '2026-03-13T11:00:00.000Z', endsAt: '2026-03-13T12:30:00.000Z' });
  });

  test('a meeting cannot be moved into the past', () => {
    expect(moveOccurrence(current, { date: '2026-03-05', time: '06:59' }, 'America/New_York', now))
      .toEqual({ error: { field: 'startsAt', message: 'cannot move a meeting into the past' } });
  });

  test('a meeting can be moved to start right now', () => {
    expect(moveOccurrence(current, { date: '2026-03-05', time: '07:00' }, 'America/New_York', now))
      .toEqual({ startsAt: '2026-03-05T12:00:00.000Z', endsAt: '2026-03-05T13:30:00.000Z' });
  });

  test('a malformed new start is refused on startsAt', () => {
    const r = moveOccurrence(current, { date: '2026-02-30', time: '07:00' }, 'America/New_York', now);
    expect('error' in r && r.error.field).toBe('startsAt');
  });
});

describe('addCaseAllowed', () => {
  const startsAt = '2026-03-10T11:00:00.000Z';
  const at = (iso: string) => new Date(iso);

  test.each(Object.entries(CLOSED_TO_NEW_CASES))('a %s conference takes no more cases: %s', (status, reason) => {
    expect(addCaseAllowed({ startsAt, status }, 48, at('2026-03-01T00:00:00Z'))).toEqual({ ok: false, reason });
  });

  test.each([
    ['2026-03-08T10:59:59.999Z', true],
    ['2026-03-08T11:00:00.000Z', false],
    ['2026-03-09T00:00:00.000Z', false],
  ] as const)('with a 48-hour cut-off, adding a case at %s is allowed: %s', (now, ok) => {
    expect(addCaseAllowed({ startsAt, status: 'scheduled' }, 48, at(now)).ok).toBe(ok);
  });

  test('a refusal after the cut-off names the cut-off time', () => {
    expect(addCaseAllowed({ startsAt, status: 'scheduled' }, 48, at('2026-03-09T00:00:00Z'))).toEqual({
      ok: false, reason: 'the cut-off for adding cases was 2026-03-08T11:00:00.000Z (48 hours before the start)',
    });
  });

  test('with no cut-off, cases can be added until the start', () => {
    expect(addCaseAllowed({ startsAt, status: 'scheduled' }, 0, at('2026-03-10T10:59:00Z'))).toEqual({ ok: true });
    expect(addCaseAllowed({ startsAt, status: 'scheduled' }, 0, at(startsAt)).ok).toBe(false);
  });

  test.each(['draft', 'constructor'])('an unknown status %s is refused', (status) => {
    expect(addCaseAllowed({ startsAt, status }, 0, at('2026-03-01T00:00:00Z')).ok).toBe(false);
  });
});
