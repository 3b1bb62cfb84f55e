import { saveBlob } from '../lib/download.js';
/**
 * Client-side CSV of a dashboard table (the same rules as the server's report CSV, src/domain/analytics/report.ts):
 * a cell starting with = + - @ tab or CR is prefixed with `'` so a spreadsheet never runs it as a formula.
 */
export type Cell = string | number | boolean | null | undefined;

export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? v : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCsv(rows: ReadonlyArray<ReadonlyArray<Cell>>): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Saves text as a file through a temporary link (no server round trip). */
export function downloadCsv(filename: string, rows: ReadonlyArray<ReadonlyArray<Cell>>): void {
  saveBlob(new Blob([toCsv(rows)], { type: 'text/csv;charset=utf-8' }), filename);
}
