import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { generateDemoPatients } from '../demo/generate.js';
import { createRng } from '../demo/prng.js';
import { classify, cohortCounts, matches, type ClassifiedSubject, type CohortFilters, type ResearchSubject } from './cohort.js';
import { exportPreamble, exportRows } from './rows.js';
import { pseudonym, shiftDays } from './pseudonym.js';
import { protectedSum } from './suppression.js';
import { toCsv, toNdjson, type Row } from './writers.js';
import { RESTRICTED_ZIP3 } from './zip3.js';

/**
 * Re-identification test suite (issue 8, "Done when"): an export of a generated demo cohort, seeded with the
 * identifiers TumorBoard holds plus the ones a future source could add (ZIP, city), must not give any of them back.
 */

const TODAY = '2026-11-27';
const ZIPS = ['21205', '10001', '03601', '89301', '60614-1234', '82301', '94110', '05901'];
const KEY_A = new Uint8Array(32).fill(7);
const KEY_B = new Uint8Array(32).fill(9);

function demoSubjects(count: number): ResearchSubject[] {
  return generateDemoPatients({ seed: 424242, count, today: TODAY, mrnPrefix: 'LCH' }).map((g, i) => {
    const old = i % 37 === 5; // a few adults over 89: a registry that also holds adult survivors and relatives
    return {
      patientId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      mrn: g.patient.mrn, familyName: g.patient.familyName, givenName: g.patient.givenName,
      birthDate: old ? '1931-05-17' : g.patient.birthDate, sex: g.patient.sex, preferredLanguage: g.patient.preferredLanguage ?? 'English',
      interpreterNeeded: g.patient.interpreterNeeded ?? false, homeCountry: g.patient.homeCountry ?? 'United States',
      // A state typed in a referral form: the one exported text a person types, so it carries the formula probes.
      homeState: i % 50 === 3 ? '=HYPERLINK("http://evil.example","x")' : i % 50 === 4 ? '@SUM(1+1)' : i % 3 === 0 ? 'Maryland' : null,
      city: 'Baltimore', postalCode: ZIPS[i % ZIPS.length]!,
      guardians: (g.patient.guardians ?? []).map((x, j) => ({ ...x, email: `${x.name.split(' ')[0]!.toLowerCase()}.${j}@family.example.org` })),
      tumor: g.tumors[0] ? { ...g.tumors[0], laterality: g.tumors[0].laterality, sizeCm: g.tumors[0].sizeCm, details: (g.tumors[0].details ?? {}) as Record<string, unknown> } : null,
      relapseDiagnosisDate: g.tumors[1]?.diagnosisDate ?? null,
      caseStatus: g.cases[0]?.status ?? null,
      caseQuestion: g.cases[0]?.question ?? null,
      referredOn: g.cases[0]?.timeline[0]?.at.slice(0, 10) ?? null,
      plan: i % 4 === 0 ? { templateId: 'T-OS-MAP', status: 'active', startedOn: g.tumors[0]?.diagnosisDate ?? null } : null,
      enrolledTrials: i % 5 === 0 ? [{ nctId: 'NCT02567435', network: 'COG' }] : [],
    };
  });
}

const subjects = demoSubjects(300);
const cohort = subjects.map(classify);
const rng = createRng(99);
const ctx = (key: Uint8Array) => ({ key, today: TODAY, random: () => rng.next() });

function csvOf(mode: 'safe_harbor' | 'limited' | 'date_shifted', key = KEY_A): { text: string; rows: Row[] } {
  const { columns, rows } = exportRows(mode, cohort, ctx(key));
  return { text: toCsv(columns, rows, exportPreamble(mode, { rows: rows.length, filters: '{}', dua: mode === 'limited' ? { reference: 'DUA-1', recipient: 'R', expires: '2028-12-31' } : null })), rows };
}

/** Every identifier value the cohort holds, by kind. */
const identifiers = {
  names: subjects.flatMap((s) => [s.givenName, s.familyName, ...s.guardians.map((g) => g.name), ...s.guardians.flatMap((g) => g.name.split(' '))]),
  mrns: subjects.map((s) => s.mrn),
  ids: subjects.map((s) => s.patientId),
  emails: subjects.flatMap((s) => s.guardians.map((g) => g.email).filter((e): e is string => !!e)),
  phones: subjects.flatMap((s) => s.guardians.map((g) => g.phone).filter((p): p is string => !!p)),
  freeText: subjects.flatMap((s) => [s.tumor?.pathologySummary, s.tumor?.imagingSummary, s.caseQuestion]).filter((x): x is string => !!x && x.length > 12),
};

/** The cells of a CSV body (header and comment lines included), split on commas outside quotes well enough for token checks. */
const tokens = (text: string) => new Set(text.split(/[\s,;"':()]+/).filter(Boolean));

describe('Safe Harbor output gives no identifier back', () => {
  const { text, rows } = csvOf('safe_harbor');
  const words = tokens(text);

  test('no patient or guardian name appears', () => {
    for (const n of identifiers.names) expect(words.has(n), n).toBe(false);
  });

  test('no MRN, record id, email or phone number appears', () => {
    for (const v of [...identifiers.mrns, ...identifiers.ids, ...identifiers.emails, ...identifiers.phones]) expect(text.includes(v), v).toBe(false);
    expect(text).not.toMatch(/@[a-z]+\.example/);
    expect(text).not.toMatch(/\+1 \d{3}-555/);
  });

  test('no free text (pathology, imaging, case question, typed site) appears', () => {
    for (const v of identifiers.freeText) expect(text.includes(v), v.slice(0, 30)).toBe(false);
    expect(Object.keys(rows[0]!)).not.toContain('primary_site');
  });

  test('no exact date (YYYY-MM-DD) and no five-digit ZIP appears; no city', () => {
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(text).not.toMatch(/(^|[^\dA-Za-z])\d{5}([^\d]|$)/m);
    expect(text).not.toContain('Baltimore');
  });

  test('ZIP codes are cut to three digits, and restricted areas become 000', () => {
    const zip3 = rows.map((r) => r.zip3);
    expect(new Set(zip3)).toEqual(new Set(['212', '100', '000', '606', '941']));
    for (const r of RESTRICTED_ZIP3) expect(zip3).not.toContain(r);
  });

  test('ages over 89 are grouped as 90+ and their birth year dropped', () => {
    const old = rows.filter((r) => r.age_at_diagnosis_years === '90+');
    expect(old.length).toBe(subjects.filter((s) => s.birthDate === '1931-05-17').length);
    for (const r of old) { expect(r.birth_year).toBeNull(); expect(r.age_band).toBe('90+'); }
    for (const r of rows) if (typeof r.age_at_diagnosis_years === 'number') expect(r.age_at_diagnosis_years).toBeLessThanOrEqual(89);
  });

  test('subject codes are a random per-export numbering, not derived from identifiers', () => {
    expect(rows.map((r) => r.subject)).toEqual(rows.map((_, i) => `S${String(i + 1).padStart(5, '0')}`));
    const again = csvOf('safe_harbor').rows;
    // Another export numbers the same people differently (the codes cannot link exports).
    const key = (r: Row) => `${r.birth_year}|${r.diagnosis_year}|${r.morphology}|${r.size_cm}|${r.sex}|${r.topography}`;
    const a = new Map(rows.map((r) => [key(r), r.subject]));
    const same = again.filter((r) => a.get(key(r)) === r.subject).length;
    expect(same).toBeLessThan(rows.length / 10);
  });

  test('formula-like text is neutralized in CSV cells', () => {
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(text).toContain("'@SUM(1+1)");
    for (const line of text.split('\r\n')) for (const cell of line.split(',')) expect(cell).not.toMatch(/^[=+@\t\r]/);
  });

  test('the file says it is Safe Harbor and names the rule', () => {
    expect(text.split('\r\n')[0]).toContain('mode=safe_harbor; HIPAA Safe Harbor, 45 CFR 164.514(b)(2)');
  });
});

describe('date-shifted output', () => {
  const a = exportRows('date_shifted', cohort, ctx(KEY_A)).rows;
  const b = exportRows('date_shifted', cohort, ctx(KEY_B)).rows;
  const bySubject = new Map(subjects.map((s) => [pseudonym(KEY_A, s.patientId), s]));

  test('pseudonyms are stable within one key, differ across keys, and are neither the patient id nor a plain hash of it', () => {
    const again = exportRows('date_shifted', cohort, ctx(KEY_A)).rows;
    expect(again.map((r) => r.subject)).toEqual(a.map((r) => r.subject));
    const inB = new Set(b.map((r) => r.subject));
    expect(a.filter((r) => inB.has(r.subject))).toHaveLength(0);
    for (const s of subjects) {
      const p = pseudonym(KEY_A, s.patientId).slice(2);
      for (const v of [s.patientId, s.mrn]) {
        expect(p).not.toContain(v);
        for (const algo of ['sha256', 'sha1', 'md5']) expect(createHash(algo).update(v).digest('hex')).not.toContain(p);
      }
    }
    expect(bySubject.size).toBe(subjects.length);
  });

  test("every date of a patient moves by the same shift, within ±182 days and never 0, so intervals are exact", () => {
    const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
    for (const r of a) {
      const s = bySubject.get(String(r.subject))!;
      const shift = shiftDays(KEY_A, s.patientId);
      expect(Math.abs(shift)).toBeGreaterThan(0);
      expect(Math.abs(shift)).toBeLessThanOrEqual(182);
      const pairs: Array<[unknown, string | null | undefined]> = [[r.diagnosis_date, s.tumor?.diagnosisDate], [r.referral_date, s.referredOn], [r.relapse_date, s.relapseDiagnosisDate], [r.birth_date, s.birthDate === '1931-05-17' ? null : s.birthDate]];
      for (const [out, orig] of pairs) {
        if (!orig) { expect(out).toBeNull(); continue; }
        expect(day(String(out)) - day(orig)).toBe(shift);
      }
    }
  });

  test('the output is labelled NOT Safe Harbor and keeps Safe Harbor geography', () => {
    const { columns, rows } = exportRows('date_shifted', cohort, ctx(KEY_A));
    const nd = toNdjson(columns, rows, { notice: exportPreamble('date_shifted', { rows: rows.length, filters: '{}' }) });
    expect(nd.split('\n')[0]).toContain('NOT Safe Harbor');
    expect(nd).not.toMatch(/"\d{5}"/);
    for (const n of identifiers.mrns) expect(nd.includes(n)).toBe(false);
  });
});

describe('Limited Data Set output', () => {
  const { text } = csvOf('limited');
  test('keeps dates and ZIP but no direct identifier', () => {
    expect(text).toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(text).toContain('21205');
    const words = tokens(text);
    for (const n of identifiers.names) expect(words.has(n), n).toBe(false);
    for (const v of [...identifiers.mrns, ...identifiers.ids, ...identifiers.emails, ...identifiers.phones]) expect(text.includes(v), v).toBe(false);
    expect(text.split('\r\n')[0]).toContain('NOT Safe Harbor');
  });
});

describe('small cells', () => {
  const FILTERS: CohortFilters[] = [
    {}, { families: ['osteosarcoma'] }, { families: ['rhabdomyosarcoma'] }, { ageBands: ['10-14', '15-19'] }, { trialEnrolled: true },
    { diagnosisYearFrom: 2024 }, { families: ['ewing', 'nrsts'], trialEnrolled: false }, { templates: ['T-OS-MAP'] },
  ];

  test.each(FILTERS.map((f) => [JSON.stringify(f), f] as const))('cohort %s: no count from 1 to 10 is visible or recoverable from the total', (_, f) => {
    const c = cohort.filter((x) => matches(x, f));
    const counts = cohortCounts(c);
    if (counts.total.suppressed) expect(c.length).toBeLessThan(11);
    for (const b of counts.breakdowns) {
      for (const cell of b.cells) if (!cell.suppressed) expect(cell.count === 0 || cell.count! >= 11).toBe(true);
      if (!counts.total.suppressed && !b.withheld) {
        const hiddenKeys = new Set(b.cells.filter((x) => x.suppressed).map((x) => x.key));
        const bd = counts.breakdowns.find((x) => x.dimension === b.dimension)!;
        const visible = bd.cells.filter((x) => !x.suppressed).reduce((a, x) => a + x.count!, 0);
        expect(protectedSum(hiddenKeys.size, c.length - visible)).toBe(true);
      }
    }
  });

  test('any random sub-cohort keeps the rule (property)', () => {
    fc.assert(fc.property(fc.subarray(cohort as ClassifiedSubject[], { minLength: 0, maxLength: 80 }), (sub) => {
      const counts = cohortCounts(sub);
      for (const b of counts.breakdowns) for (const cell of b.cells) if (!cell.suppressed) expect(cell.count === 0 || cell.count! >= 11).toBe(true);
      expect(counts.total.suppressed ? sub.length >= 1 && sub.length <= 10 : sub.length === 0 || sub.length >= 11).toBe(true);
    }), { numRuns: 100 });
  });
});

describe('any identifiers a record may hold (property)', () => {
  const token = fc.stringMatching(/^[A-Z][a-z]{5,10}$/).map((s) => `Zq${s}`); // cannot collide with a coded value
  const date = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2026-11-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  const subject = fc.record({
    given: token, family: token, guardian: token, mrn: fc.stringMatching(/^MRN[0-9]{6,9}$/), email: token.map((t) => `${t.toLowerCase()}@mail.example`),
    phone: fc.stringMatching(/^\+1 [2-9][0-9]{2}-[0-9]{3}-[0-9]{4}$/), birth: date, dx: date, zip: fc.stringMatching(/^[0-9]{5}$/), note: token,
  });

  test('a Safe Harbor file never contains a name, MRN, email, phone, exact date, five-digit ZIP or free text of its subjects', () => {
    fc.assert(fc.property(fc.array(subject, { minLength: 1, maxLength: 8 }), (list) => {
      const base = subjects[0]!;
      const cohortOf = list.map((x, i) => classify({
        ...base, patientId: `p-${i}`, givenName: x.given, familyName: x.family, mrn: x.mrn, birthDate: x.birth, postalCode: x.zip, city: x.note,
        guardians: [{ name: `${x.guardian} ${x.family}`, phone: x.phone, email: x.email }], caseQuestion: x.note,
        tumor: base.tumor ? { ...base.tumor, diagnosisDate: x.dx, primarySite: x.note, pathologySummary: x.note } : null,
        referredOn: x.dx, relapseDiagnosisDate: null, plan: null,
      }));
      const { columns, rows } = exportRows('safe_harbor', cohortOf, ctx(KEY_A));
      const text = toCsv(columns, rows, exportPreamble('safe_harbor', { rows: rows.length, filters: '{}' }));
      for (const x of list) {
        for (const v of [x.given, x.family, x.guardian, x.mrn, x.email, x.phone, x.note, x.birth, x.dx]) expect(text).not.toContain(v);
        // A ZIP is five digits standing alone: the same digits inside a longer number (a trial's NCT number) are not it.
        expect(text).not.toMatch(new RegExp(`(?<![0-9])${x.zip}(?![0-9])`));
      }
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    }), { numRuns: 60 });
  });
});
