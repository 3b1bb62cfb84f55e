import { describe, expect, test } from 'vitest';
import { AGENT_LABELS, calendarDate, DISCIPLINE_LABELS, formatDate, formatNumber, label, patientDocFileName, printable } from './i18n.js';

describe('dates in the patient documents', () => {
  test.each([
    ['2026-12-03', 'en', 'December 3, 2026'],
    ['2026-12-03', 'es', '3 de diciembre de 2026'],
    ['2027-01-01', 'es', '1 de enero de 2027'],
  ] as const)('%s in %s is written "%s", month as a word', (iso, lang, out) => {
    expect(formatDate(iso, lang)).toBe(out);
  });

  test('a timestamp is read in the given time zone; a calendar date never shifts', () => {
    // 02:00 UTC on the 4th is still the 3rd in Chicago.
    expect(calendarDate('2026-12-04T02:00:00.000Z', 'America/Chicago')).toBe('2026-12-03');
    expect(formatDate('2026-12-04T02:00:00.000Z', 'en', 'America/Chicago')).toBe('December 3, 2026');
    expect(formatDate('2026-12-04', 'en', 'Pacific/Honolulu')).toBe('December 4, 2026');
  });

  test('absent is null (the caller prints "not recorded"); what is not a date prints as given, never guessed', () => {
    expect(formatDate(null, 'en')).toBeNull();
    expect(formatDate('  ', 'es')).toBeNull();
    expect(formatDate('2026-02-30', 'en')).toBe('2026-02-30');
    expect(formatDate('spring 2026', 'es')).toBe('spring 2026');
  });
});

describe('numbers in the patient documents', () => {
  test.each([
    [375, 'en', '375'], [8400, 'en', '8,400'], [23772, 'en', '23,772'], [50.4, 'en', '50.4'],
    [375, 'es', '375'], [8400, 'es', '8400'], [23772, 'es', '23\u00a0772'], [50.4, 'es', '50.4'], [1234567.25, 'es', '1\u00a0234\u00a0567.25'],
  ] as const)('%d in %s is "%s" (a decimal point in both; Spanish groups with a space from five digits)', (n, lang, out) => {
    expect(formatNumber(n, lang)).toBe(out);
  });
});

describe('text for the standard fonts', () => {
  test('common clinical symbols are written in WinAnsi; other scripts still print as "?" and say so', () => {
    expect(printable('ifosfamide ≥60 g/m², PO₄ → check; dose ≤ 2 mg')).toEqual({ text: 'ifosfamide >=60 g/m², PO4 -> check; dose <= 2 mg', replaced: false });
    expect(printable('Peña Íñiguez, Ana')).toEqual({ text: 'Peña Íñiguez, Ana', replaced: false });
    expect(printable('王小明')).toEqual({ text: '???', replaced: true });
  });
});

describe('catalogues', () => {
  test('a known code prints in the language; an unknown code as words; free text as given', () => {
    expect(label(DISCIPLINE_LABELS, 'radiation_oncology', 'es')).toBe('Oncología radioterápica');
    expect(label(AGENT_LABELS, 'etoposide', 'es')).toBe('Etopósido');
    expect(label(DISCIPLINE_LABELS, 'sports_medicine', 'es')).toBe('Sports medicine');
    expect(label(AGENT_LABELS, 'Nab-paclitaxel', 'es')).toBe('Nab-paclitaxel');
    expect(label(AGENT_LABELS, 'constructor', 'en')).toBe('Constructor');
  });
});

test('file names carry the kind, date and language, never the patient', () => {
  expect(patientDocFileName('consensus-letter', '2026-12-04', 'es')).toBe('consensus-letter-2026-12-04-es.pdf');
  expect(patientDocFileName('survivorship-care-plan', null, 'en')).toBe('survivorship-care-plan-en.pdf');
});
