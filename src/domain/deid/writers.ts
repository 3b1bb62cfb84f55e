import { csvCell } from '../csv.js';

/**
 * Output writers for research exports: CSV (RFC 4180) with formula-injection protection, and NDJSON. The first
 * line of either names the export mode and says plainly when the file is NOT Safe Harbor.
 */

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

export { csvCell };

/** CSV with CRLF line ends (RFC 4180) for 45 CFR 164.514(b)/(e) research exports: comment lines (`# …`), the header row, then the rows in `columns` order. */
export function toCsv(columns: readonly string[], rows: readonly Row[], preamble: readonly string[] = []): string {
  // Our own text, never data: written as `# …` comment lines (pandas `comment='#'`, R `comment.char`).
  const lines = preamble.map((p) => `# ${p.replace(/[\r\n]+/g, ' ')}`);
  lines.push(columns.map((c) => csvCell(c)).join(','));
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c] ?? null)).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** NDJSON: a metadata object on the first line (`{"_meta": …}`), then one JSON object per row. */
export function toNdjson(columns: readonly string[], rows: readonly Row[], meta: Record<string, unknown>): string {
  const out = [JSON.stringify({ _meta: meta })];
  for (const r of rows) {
    const o: Row = {};
    for (const c of columns) o[c] = r[c] ?? null;
    out.push(JSON.stringify(o));
  }
  return `${out.join('\n')}\n`;
}
