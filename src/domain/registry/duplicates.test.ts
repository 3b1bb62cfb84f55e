import { describe, expect, test } from 'vitest';
import {
  compareBirthDates, compareNames, duplicateEvidence, duplicateSearchTokens, findDuplicateCandidates, levenshtein,
  type DuplicateExisting, type DuplicateIncoming,
} from './duplicates.js';

const existing = (o: Partial<DuplicateExisting> = {}): DuplicateExisting => ({
  id: 'p1', familyName: 'García', givenName: 'Ana', birthDate: '2014-03-09', mrn: 'MRN-1001', ...o,
});
const incoming = (o: Partial<DuplicateIncoming> = {}): DuplicateIncoming => ({
  familyName: 'García', givenName: 'Ana', birthDate: '2014-03-09', ...o,
});
const score = (i: Partial<DuplicateIncoming>, e: Partial<DuplicateExisting> = {}) =>
  findDuplicateCandidates(incoming(i), [existing(e)])[0]?.score ?? null;

describe('compareNames', () => {
  test.each([
    ['García', 'garcia', 'exact'],
    ['JOSÉ', 'jose', 'exact'],
    ['Al-Hassan', 'Al Hassan', 'exact'],
    ['Al-Hassan', 'Alhassan', 'separators'],
    ["O'Brien", 'OBrien', 'separators'],
    ['Jon', 'Jonathan', 'prefix'],
    ['García', 'García López', 'prefix'],
    ['López', 'García López', 'part'],
    ['Gonzalez', 'Gonzales', 'close'],
    ['Katherine', 'Catherine', 'close'],
    ['Mohammed', 'Muhammad', 'close'],
    ['مُحَمَّد', 'محمد', 'exact'],
    ['فاطمة', 'فاطمه', 'exact'],
    ['عبد الله', 'عبدالله', 'separators'],
    ['小 明', '小明', 'separators'],
    ['ＷＡＮＧ', 'wang', 'exact'],
  ])('%s and %s match as %s', (a, b, match) => {
    expect(compareNames(a, b)?.match).toBe(match);
  });

  test.each([
    ['Li', 'Lu', 'short names need to be equal'],
    ['Ana', 'Ann', 'short names need to be equal'],
    ['Smith', 'Jones', 'different names'],
    ['Johnson', 'Jackson', 'three letters apart'],
    ['A', 'Anderson', 'one letter is too short to be a start'],
    ['王', '李', 'different characters'],
    ['Wang', '王', 'transliteration is not matched'],
    ['---', 'Smith', 'a name without letters'],
  ])('%s and %s do not match (%s)', (a, b) => {
    expect(compareNames(a, b)).toBeNull();
  });
});

describe('compareBirthDates', () => {
  test.each([
    ['2014-03-09', '2014-03-09', 'same'],
    ['2014-03-09', '2014-09-03', 'transposed'],
    ['2014-11-01', '2014-01-11', 'transposed'],
    ['2014-03-09', '2014-03-08', 'one_digit'],
    ['2014-03-09', '2015-03-09', 'one_digit'],
    ['2014-03-19', '2014-03-09', 'one_digit'],
    ['2014-03-09', '2012-05-09', null],
    ['2014-03-09', '2014-03-18', null],
    ['2014-03-12', '2014-03-21', null],
    ['2014-03-09', '2013-09-03', null],
    ['2014-03-09', 'unknown', null],
  ])('%s and %s: %s', (a, b, m) => {
    expect(compareBirthDates(a, b)).toBe(m);
  });
});

describe('levenshtein', () => {
  test.each([
    ['kitten', 'sitting', 3], ['', 'abc', 3], ['gonzalez', 'gonzales', 1], ['محمد', 'محمود', 1], ['𠀀a', '𠀀b', 1],
  ])('%s to %s is %d edits', (a, b, d) => {
    expect(levenshtein(a, b)).toBe(d);
  });

  test('it stops counting past the limit', () => {
    expect(levenshtein('abcdefgh', 'zyxwvuts', 2)).toBe(3);
  });
});

describe('findDuplicateCandidates', () => {
  test('the same MRN is the strongest match whatever its case and dashes', () => {
    const r = findDuplicateCandidates(incoming({ mrn: 'mrn1001' }), [existing()]);
    expect(r).toEqual([{ patientId: 'p1', score: 100, reasons: expect.arrayContaining(['same MRN (MRN-1001)']) as string[] }]);
  });

  test('the same MRN with different names and birth date is still shown, lower, with a warning', () => {
    const r = findDuplicateCandidates(incoming({ mrn: 'MRN-1001', familyName: 'Smith', givenName: 'John', birthDate: '2001-12-25' }), [existing()]);
    expect(r[0]?.score).toBe(75);
    expect(r[0]?.reasons).toContain("only the MRN agrees: check it is the same hospital's number");
  });

  test.each<[string, Partial<DuplicateIncoming>, Partial<DuplicateExisting>, number]>([
    ['same names and birth date', {}, {}, 90],
    ['names differing only in accents and case', { familyName: 'GARCIA', givenName: 'ana' }, {}, 90],
    ['a hyphen instead of a space', { familyName: 'Al-Hassan' }, { familyName: 'Al Hassan' }, 90],
    ['a name run together', { familyName: 'Alhassan' }, { familyName: 'Al-Hassan' }, 90],
    ['given and family names swapped', { familyName: 'Ana', givenName: 'García' }, {}, 85],
    ['a short form of the given name', { givenName: 'Ana' }, { givenName: 'Ana Lucía' }, 82],
    ['one family name of two', { familyName: 'López' }, { familyName: 'García López' }, 82],
    ['a one-letter typo in a long name', { familyName: 'Gonzales' }, { familyName: 'Gonzalez' }, 82],
    ['day and month swapped', { birthDate: '2014-09-03' }, {}, 70],
    ['a one-digit typo in the birth date', { birthDate: '2014-03-08' }, {}, 70],
    ['a typo in both a name and the birth date', { familyName: 'Garcya', birthDate: '2014-08-09' }, { familyName: 'Garcia' }, 62],
  ])('a referral with %s is a candidate scoring %d', (_what, i, e, expected) => {
    expect(score(i, e)).toBe(expected);
  });

  test.each<[string, Partial<DuplicateIncoming>, Partial<DuplicateExisting>]>([
    ['same names, birth date two digits off', { birthDate: '2012-05-09' }, {}],
    ['same names, birth date in another year and month', { birthDate: '2013-04-09' }, {}],
    ['a twin: same family name and birth date, other given name', { givenName: 'Lucía' }, {}],
    ['a namesake: same given name and birth date, other family name', { familyName: 'Pérez' }, {}],
    ['short names one letter apart', { familyName: 'Li', givenName: 'Wei' }, { familyName: 'Lu', givenName: 'Wei' }],
  ])('a referral with %s is not a candidate', (_what, i, e) => {
    expect(findDuplicateCandidates(incoming(i), [existing(e)])).toEqual([]);
  });

  test('the reasons explain why a same-named patient is not a candidate', () => {
    expect(duplicateEvidence(incoming({ birthDate: '2012-05-09' }), existing())).toEqual({
      candidate: false,
      score: 0,
      reasons: ['same family name ("García")', 'same given name ("Ana")', 'birth date 2012-05-09 differs from 2014-03-09 in more than one digit'],
    });
  });

  test('the reasons name each typo', () => {
    const [c] = findDuplicateCandidates(incoming({ familyName: 'Gonzales', givenName: 'Jon', birthDate: '2014-09-03' }),
      [existing({ familyName: 'Gonzalez', givenName: 'Jonathan' })]);
    expect(c?.reasons).toEqual([
      'family name "Gonzales" is 1 letter from "Gonzalez"',
      'given name "Jon" and "Jonathan": one is the start of the other',
      'birth date 2014-09-03 is 2014-03-09 with day and month swapped',
    ]);
  });

  test('swapped names say so', () => {
    const [c] = findDuplicateCandidates(incoming({ familyName: 'Ana', givenName: 'Garcia' }), [existing()]);
    expect(c?.reasons.slice(0, 3)).toEqual([
      'given and family names are swapped', 'family name "Ana" is their given name', 'given name "Garcia" is their family name',
    ]);
  });

  test('Arabic names with and without vowel marks and with a joined compound are the same patient', () => {
    const r = findDuplicateCandidates(
      { familyName: 'عبد الله', givenName: 'مُحَمَّد', birthDate: '2016-07-01' },
      [existing({ familyName: 'عبدالله', givenName: 'محمد', birthDate: '2016-07-01' })],
    );
    expect(r.map((c) => c.score)).toEqual([90]);
  });

  test('Chinese names entered family-first in the given field are found as swapped', () => {
    const r = findDuplicateCandidates(
      { familyName: '小明', givenName: '王', birthDate: '2015-02-10' },
      [existing({ familyName: '王', givenName: '小明', birthDate: '2015-02-10' })],
    );
    expect(r[0]?.score).toBe(85);
  });

  test('candidates come best first, ties in input order', () => {
    const r = findDuplicateCandidates(incoming({ mrn: 'X-77' }), [
      existing({ id: 'typo', birthDate: '2014-03-08', mrn: 'A1' }),
      existing({ id: 'other', familyName: 'Pérez', mrn: 'A2' }),
      existing({ id: 'exact1', mrn: 'A3' }),
      existing({ id: 'mrn', familyName: 'García', givenName: 'Ana', mrn: 'X77' }),
      existing({ id: 'exact2', mrn: null }),
    ]);
    expect(r.map((c) => [c.patientId, c.score])).toEqual([['mrn', 100], ['exact1', 90], ['exact2', 90], ['typo', 70]]);
  });

  test('no existing patients means no candidates', () => {
    expect(findDuplicateCandidates(incoming(), [])).toEqual([]);
  });

  test('an incoming patient without an MRN never matches a patient on an empty MRN', () => {
    expect(findDuplicateCandidates(incoming({ mrn: '', familyName: 'Smith' }), [existing({ mrn: '' })])).toEqual([]);
  });
});

describe('duplicateSearchTokens', () => {
  test.each([
    ['García', 'gar'],
    ['GARCIA', 'gar'],
    ['Al-Hassan', 'has'],
    ['Alhassan', 'alh'],
    ["O'Brien", 'bri'],
    ['de la Cruz', 'cru'],
    ['王', '王'],
    ['عبد الله', 'الل'],
    ['  ', ''],
  ])('the family name %s gives the token %j', (familyName, token) => {
    expect(duplicateSearchTokens({ familyName })).toBe(token);
  });

  test.each([
    ['Al-Hassan', 'al hassan'],
    ['Alhassan', 'alhassan'],
    ["O'Brien", 'obrien'],
  ])('the token of %s is found in the search text %j', (familyName, searchText) => {
    expect(searchText.includes(duplicateSearchTokens({ familyName }))).toBe(true);
  });
});
