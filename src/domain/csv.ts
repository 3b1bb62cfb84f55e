/**
 * CSV for files people open in spreadsheets (research exports, the annual report): RFC 4180 quoting and CRLF line
 * ends, and protection against formula injection (OWASP "CSV injection"): text starting with = + - @ tab or CR is
 * prefixed with `'` so a spreadsheet shows it as text instead of running it.
 */

export type CsvCell = string | number | boolean | null | undefined;

/** Characters that make a spreadsheet treat a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell: formula-looking text prefixed with `'`, then quoted (quotes doubled) when it holds a comma, quote, CR or
 * LF. Numbers are written as numbers (a negative number is data, not a formula); null, undefined and non-finite
 * numbers are empty.
 */
export function csvCell(v: CsvCell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const text = FORMULA_START.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows of cells as CSV text, each cell protected by `csvCell`, CRLF after every row. */
export function csvGrid(rows: ReadonlyArray<ReadonlyArray<CsvCell>>): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
