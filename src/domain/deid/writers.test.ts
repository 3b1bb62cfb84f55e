import fc from 'fast-check';
import { expect, test } from 'vitest';
import { csvCell, toCsv, toNdjson } from './writers.js';

test.each([
  ['=1+2', "'=1+2"], ['+SUM(A1)', "'+SUM(A1)"], ['-2+3', "'-2+3"], ['@cmd', "'@cmd"], ['\tx', "'\tx"],
  ['\r=1', `"'\r=1"`], ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
])('a cell starting with a formula character (%j) is written as text: %s', (v, out) => {
  expect(csvCell(v)).toBe(out);
});

test.each([
  ['plain', 'plain'], ['a,b', '"a,b"'], ['say "hi"', '"say ""hi"""'], ['two\nlines', '"two\nlines"'], [null, ''], [-3, '-3'], [7.5, '7.5'],
])('RFC 4180 quoting of %j gives %s', (v, out) => {
  expect(csvCell(v)).toBe(out);
});

/** A strict RFC 4180 reader for the round-trip property. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
      if (ch === '"') { quoted = false; i++; continue; }
      cell += ch; i++; continue;
    }
    if (ch === '"') { quoted = true; i++; continue; }
    if (ch === ',') { row.push(cell); cell = ''; i++; continue; }
    if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i += 2; continue; }
    cell += ch; i++;
  }
  return rows;
}

test('any text survives a CSV round trip, and no parsed cell can start a formula unless it was prefixed', () => {
  fc.assert(fc.property(fc.array(fc.array(fc.string({ unit: fc.constantFrom('a', ',', '"', '\r', '\n', '=', '+', '-', '@', '\t', ' ', 'é') }), { minLength: 2, maxLength: 2 }), { maxLength: 6 }), (cells) => {
    const rows = cells.map(([a, b]) => ({ a: a!, b: b! }));
    const parsed = parseCsv(toCsv(['a', 'b'], rows));
    expect(parsed[0]).toEqual(['a', 'b']);
    parsed.slice(1).forEach((r, i) => {
      for (const [j, k] of (['a', 'b'] as const).entries()) {
        const original = rows[i]![k];
        expect(/^[=+\-@\t\r]/.test(r[j]!) ? false : true).toBe(true);
        expect(/^[=+\-@\t\r]/.test(original) ? `'${original}` : original).toBe(r[j]);
      }
    });
  }));
});

test('the CSV preamble is comment lines before the header; NDJSON starts with a metadata object', () => {
  const csv = toCsv(['x'], [{ x: 1 }], ['mode=safe_harbor', 'second\nline']);
  expect(csv).toBe('# mode=safe_harbor\r\n# second line\r\nx\r\n1\r\n');
  const nd = toNdjson(['x', 'y'], [{ x: 1 }], { mode: 'date_shifted', safeHarbor: false }).trim().split('\n').map((l) => JSON.parse(l));
  expect(nd).toEqual([{ _meta: { mode: 'date_shifted', safeHarbor: false } }, { x: 1, y: null }]);
});
