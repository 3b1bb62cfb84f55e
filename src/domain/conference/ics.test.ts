import { describe, expect, test } from 'vitest';
import { ICS_STATUS, seriesCalendar, type SeriesCalendarOptions } from './ics.js';

const opts = (o: Partial<SeriesCalendarOptions> = {}): SeriesCalendarOptions => ({
  seriesId: 'series-1',
  name: 'Sarcoma Tumor Conference',
  room: 'Room 4B, Oncology',
  videoLink: 'https://meet.example.org/sarcoma',
  institutionName: "Children's Hospital",
  now: new Date('2026-03-01T08:00:00Z'),
  occurrences: [
    { id: 'occ-2', startsAt: '2026-03-13T16:00:00.000Z', endsAt: '2026-03-13T17:00:00.000Z', status: 'cancelled', note: 'Spring break' },
    { id: 'occ-1', startsAt: '2026-03-06T17:00:00.000Z', endsAt: '2026-03-06T18:00:00.000Z', status: 'scheduled' },
    { id: 'occ-3', startsAt: '2026-03-20T16:00:00.000Z', endsAt: '2026-03-20T17:30:00.000Z', status: 'scheduled', note: null },
  ],
  ...o,
});

/** Unfold (RFC 5545 §3.1) and split into content lines. */
const lines = (text: string) => text.replace(/\r\n[ \t]/g, '').split('\r\n').filter((l) => l !== '');
/** The VEVENTs as maps of property name (parameters dropped) to value. */
function events(text: string): Array<Map<string, string>> {
  const out: Array<Map<string, string>> = [];
  let current: Map<string, string> | null = null;
  for (const line of lines(text)) {
    if (line === 'BEGIN:VEVENT') current = new Map();
    else if (line === 'END:VEVENT') { out.push(current!); current = null; } else if (current) {
      const colon = line.indexOf(':');
      current.set(line.slice(0, colon).split(';')[0]!, line.slice(colon + 1));
    }
  }
  return out;
}

describe('seriesCalendar', () => {
  const text = seriesCalendar(opts());

  test('is iCalendar text: one VCALENDAR with CRLF lines no longer than 75 octets', () => {
    const raw = text.split('\r\n');
    expect(raw[0]).toBe('BEGIN:VCALENDAR');
    expect(lines(text).at(-1)).toBe('END:VCALENDAR');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(raw.every((l) => Buffer.byteLength(l, 'utf8') <= 75)).toBe(true);
    expect(lines(text)).toContain('VERSION:2.0');
  });

  test('is published under the series name', () => {
    expect(lines(text)).toEqual(expect.arrayContaining(['METHOD:PUBLISH', 'X-WR-CALNAME:Sarcoma Tumor Conference']));
  });

  test('has one VEVENT per occurrence, in start order, with a stable UID each', () => {
    expect(events(text).map((e) => e.get('UID'))).toEqual(['occ-1@tumorboard', 'occ-2@tumorboard', 'occ-3@tumorboard']);
    expect(lines(text).filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(3);
  });

  test('gives start and end in UTC', () => {
    const [first, , third] = events(text);
    expect(first!.get('DTSTART')).toBe('20260306T170000Z');
    expect(first!.get('DTEND')).toBe('20260306T180000Z');
    expect(third!.get('DTEND')).toBe('20260320T173000Z');
    expect(events(text).every((e) => /^\d{8}T\d{6}Z$/.test(e.get('DTSTART')!))).toBe(true);
  });

  test.each([
    ['occ-1@tumorboard', 'CONFIRMED', 'Sarcoma Tumor Conference'],
    ['occ-2@tumorboard', 'CANCELLED', 'Cancelled: Sarcoma Tumor Conference'],
  ])('%s has STATUS:%s and summary "%s"', (uid, status, summary) => {
    const e = events(text).find((x) => x.get('UID') === uid)!;
    expect(e.get('STATUS')).toBe(status);
    expect(e.get('SUMMARY')).toBe(summary);
  });

  test.each(Object.entries(ICS_STATUS))('an occurrence %s is emitted with STATUS:%s', (status, ics) => {
    const one = seriesCalendar(opts({ occurrences: [{ id: 'x', startsAt: '2026-03-06T17:00:00.000Z', endsAt: '2026-03-06T18:00:00.000Z', status }] }));
    expect(events(one)[0]!.get('STATUS')).toBe(ics);
  });

  test('carries room, video link and the occurrence note, escaped as iCalendar text', () => {
    const [first, second] = events(text);
    expect(first!.get('LOCATION')).toBe('Room 4B\\, Oncology');
    expect(first!.get('URL')).toBe('https://meet.example.org/sarcoma');
    expect(second!.get('DESCRIPTION')).toContain('\\nSpring break\\n');
    expect(first!.get('DESCRIPTION')).toContain('carries no patient information');
  });

  test('stamps every event with `now`', () => {
    expect(events(text).every((e) => e.get('DTSTAMP') === '20260301T080000Z')).toBe(true);
  });

  test('is byte-for-byte the same for the same input, whatever the order of the occurrences', () => {
    expect(seriesCalendar(opts())).toBe(text);
    expect(seriesCalendar(opts({ occurrences: [...opts().occurrences].reverse() }))).toBe(text);
  });

  test('without room or video link has no LOCATION or URL', () => {
    const bare = seriesCalendar(opts({ room: undefined, videoLink: undefined }));
    expect(events(bare).some((e) => e.has('LOCATION') || e.has('URL'))).toBe(false);
  });

  test('with no occurrences is an empty calendar that still has its name', () => {
    const empty = seriesCalendar(opts({ occurrences: [] }));
    expect(lines(empty)).toContain('X-WR-CALNAME:Sarcoma Tumor Conference');
    expect(empty).not.toContain('BEGIN:VEVENT');
  });

  test('throws on an occurrence without a valid start', () => {
    expect(() => seriesCalendar(opts({ occurrences: [{ id: 'x', startsAt: 'soon', endsAt: 'later', status: 'scheduled' }] }))).toThrow();
  });
});
