import { inflateSync } from 'node:zlib';
/**
 * Reading back PDFs that `renderPdf` wrote with `compress: false` and the standard (WinAnsi) fonts, without a PDF
 * library: pdfmake draws each word as its own `[<hex> kern <hex>] TJ`, so the text is the hex strings in order,
 * with a line break wherever the baseline moves. Good enough for "is this text in the document?".
 */

/** WinAnsi bytes 0x80-0x9f that are not Latin-1. */
const WIN_ANSI_HIGH: Record<number, string> = {
  0x80: '€', 0x82: '‚', 0x83: 'ƒ', 0x84: '„', 0x85: '…', 0x86: '†', 0x87: '‡', 0x88: 'ˆ', 0x89: '‰', 0x8a: 'Š', 0x8b: '‹',
  0x8c: 'Œ', 0x8e: 'Ž', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x95: '•', 0x96: '–', 0x97: '—', 0x98: '˜', 0x99: '™',
  0x9a: 'š', 0x9b: '›', 0x9c: 'œ', 0x9e: 'ž', 0x9f: 'Ÿ',
};

function decodeHex(hex: string): string {
  let s = '';
  for (let i = 0; i + 1 < hex.length; i += 2) {
    const b = parseInt(hex.slice(i, i + 2), 16);
    s += WIN_ANSI_HIGH[b] ?? String.fromCharCode(b);
  }
  return s;
}

/** The streams of a PDF, inflated where they are FlateDecode-compressed (as the server sends them). */
function streams(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const out: string[] = [];
  for (const m of raw.matchAll(/(<<[^]*?>>)\s*stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    const dict = m[1]!;
    if (!/\/FlateDecode/.test(dict)) { out.push(m[2]!); continue; }
    try {
      out.push(inflateSync(Buffer.from(m[2]!, 'latin1')).toString('latin1'));
    } catch {
      // fonts and images are not text
    }
  }
  return out;
}

/** The text of a PDF, page by page; whitespace collapsed to single spaces within a line. */
export function pdfPages(pdf: Buffer): string[] {
  const pages: string[] = [];
  for (const stream of streams(pdf)) {
    if (!stream.includes('BT')) continue;
    let text = '';
    let lastY: string | null = null;
    for (const op of stream.matchAll(/1 0 0 1 [-\d.]+ ([-\d.]+) Tm|\[((?:<[0-9a-fA-F]*>|[^\]])*)\] TJ/g)) {
      if (op[1] !== undefined) {
        if (lastY !== null && op[1] !== lastY) text += '\n';
        lastY = op[1];
      } else {
        for (const h of op[2]!.matchAll(/<([0-9a-fA-F]*)>/g)) text += decodeHex(h[1]!);
      }
    }
    pages.push(text.split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean).join('\n'));
  }
  return pages;
}

/** All the text, lines joined by spaces (so a phrase that wrapped still matches). */
export function pdfText(pdf: Buffer): string {
  return pdfPages(pdf).join('\n').replace(/\s+/g, ' ');
}

/** Page count from the page tree (readable in compressed PDFs too: only the streams are compressed). */
export function pdfPageCount(pdf: Buffer): number {
  const m = /\/Type \/Pages\s*\/Count (\d+)/.exec(pdf.toString('latin1'));
  if (!m) throw new Error('no page tree');
  return Number(m[1]);
}

/** A string of the document information dictionary (e.g. Title), readable in compressed PDFs too. */
export function pdfInfo(pdf: Buffer, key: string): string | null {
  const raw = pdf.toString('latin1');
  const ref = new RegExp(`/${key} (\\d+) 0 R`).exec(raw);
  if (!ref) return null;
  const obj = new RegExp(`(?:^|\\n)${ref[1]} 0 obj\\s*\\(((?:\\\\.|[^)])*)\\)`).exec(raw);
  return obj ? obj[1]!.replace(/\\(.)/g, '$1') : null;
}
