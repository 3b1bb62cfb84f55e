import { describe, expect, test } from 'vitest';
import { checkAttachment, formatBytes, safeFilename, sniffContentType } from './signature.js';

const bytes = (...parts: Array<string | number[]>): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? Array.from(new TextEncoder().encode(p)) : p)));

/** Real file beginnings. */
const PDF = bytes('%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog >>\n');
const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF', [0x00, 0x01, 0x01]);
const JPEG_EXIF = bytes([0xff, 0xd8, 0xff, 0xe1, 0x2f, 0xfe], 'Exif', [0x00, 0x00]);
const PNG = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d], 'IHDR');
const EXE = bytes('MZ', [0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00], 'This program cannot be run in DOS mode.');
const ZIP = bytes([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00], '[Content_Types].xml');
const HTML = bytes('<!DOCTYPE html>\n<html><head><title>Report</title></head>');
const HTML_WITH_BOM = bytes([0xef, 0xbb, 0xbf], '  <html><body><script>alert(1)</script>');
const ELF = bytes([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]);
const GIF = bytes('GIF89a', [0x01, 0x00, 0x01, 0x00]);
const HEIC = bytes([0x00, 0x00, 0x00, 0x18], 'ftypheic', [0x00, 0x00, 0x00, 0x00]);
const TEXT = bytes('Patient: Ana García\nDiagnosis: Ewing sarcoma\n');
const TRUNCATED_PNG = bytes([0x89, 0x50, 0x4e, 0x47]);
const MB = 1024 * 1024;
const LIMIT = 10 * MB;

describe('sniffContentType', () => {
  test.each([
    ['a PDF', PDF, 'application/pdf'],
    ['a JFIF JPEG', JPEG, 'image/jpeg'],
    ['an EXIF JPEG', JPEG_EXIF, 'image/jpeg'],
    ['a PNG', PNG, 'image/png'],
    ['a Windows program', EXE, null],
    ['a ZIP archive', ZIP, null],
    ['an HTML page', HTML, null],
    ['a GIF', GIF, null],
    ['a truncated PNG signature', TRUNCATED_PNG, null],
    ['"%PDF" without the dash', bytes('%PDF1.4'), null],
    ['a PDF signature not at the start', bytes(' %PDF-1.4'), null],
    ['no bytes', new Uint8Array(0), null],
  ])('%s is %s', (_what, head, type) => {
    expect(sniffContentType(head)).toBe(type);
  });
});

describe('checkAttachment', () => {
  const check = (filename: string, head: Uint8Array, size = 2048, declaredType: string | null = null) =>
    checkAttachment({ filename, declaredType, size, head }, LIMIT);

  test.each([
    ['report.pdf', PDF, 'application/pdf'],
    ['scan.jpg', JPEG, 'image/jpeg'],
    ['IMG_0042.JPEG', JPEG_EXIF, 'image/jpeg'],
    ['xray.png', PNG, 'image/png'],
  ])('%s with matching content is accepted', (filename, head, contentType) => {
    expect(check(filename, head)).toEqual({ ok: true, contentType });
  });

  test('a PDF renamed .png is accepted as a PDF: content decides', () => {
    expect(check('scan.png', PDF, 2048, 'image/png')).toEqual({ ok: true, contentType: 'application/pdf' });
  });

  test('a PNG with no extension is accepted', () => {
    expect(check('image', PNG)).toEqual({ ok: true, contentType: 'image/png' });
  });

  test.each([
    ['report.pdf', EXE, 'a Windows program'],
    ['report.pdf', ELF, 'a Linux program'],
    ['report.pdf', ZIP, 'a ZIP archive or Office document'],
    ['report.pdf', HTML, 'an HTML page'],
    ['report.pdf', HTML_WITH_BOM, 'an HTML page'],
    ['photo.jpg', GIF, 'a GIF image'],
    ['photo.jpg', HEIC, 'a HEIC image or video'],
    ['report.pdf', TEXT, 'plain text'],
    ['report.pdf', bytes([0x00, 0x01, 0x02, 0xfe]), 'not a format we recognise'],
  ])('%s whose content is %s is refused and the message says so', (filename, head, what) => {
    expect(check(filename, head, 2048, 'application/pdf')).toEqual({
      ok: false, field: 'attachments', message: `${filename} is not a PDF, JPEG or PNG file (its content is ${what})`,
    });
  });

  test('an empty file is refused', () => {
    expect(check('report.pdf', new Uint8Array(0), 0)).toEqual({ ok: false, field: 'attachments', message: 'report.pdf is an empty file' });
  });

  test.each([
    [12.3 * MB, 'scan.png is 12.3 MB; the limit is 10 MB'],
    [11 * MB, 'scan.png is 11 MB; the limit is 10 MB'],
    [LIMIT + 1, 'scan.png is 10,485,761 bytes; the limit is 10,485,760 bytes'],
  ])('a file of %d bytes over the 10 MB limit is refused: "%s"', (size, message) => {
    expect(check('scan.png', PNG, Math.round(size))).toEqual({ ok: false, field: 'attachments', message });
  });

  test('a file exactly at the limit is accepted', () => {
    expect(check('scan.png', PNG, LIMIT).ok).toBe(true);
  });

  test('the size is checked before the content, so a huge program is refused for its size', () => {
    const r = check('setup.pdf', EXE, 50 * MB);
    expect(r.ok === false && r.message).toBe('setup.pdf is 50 MB; the limit is 10 MB');
  });

  test('the message shows a cleaned file name', () => {
    const r = check('../../etc/\u202Efdp.exe', EXE);
    expect(r.ok === false && r.message).toBe('fdp.exe is not a PDF, JPEG or PNG file (its content is a Windows program)');
  });
});

describe('formatBytes', () => {
  test.each([
    [0, '0 bytes'], [1, '1 byte'], [1023, '1023 bytes'], [1024, '1 KB'], [1536, '1.5 KB'], [MB, '1 MB'], [12.3 * MB, '12.3 MB'],
  ])('%d bytes reads as %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });
});

describe('safeFilename', () => {
  test.each([
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\Ana\\Desktop\\MRI report.pdf', 'MRI report.pdf'],
    ['/tmp/x/', 'file'],
    ['rep\u0000ort\u001b.pdf', 'report.pdf'],
    ['line\nbreak.pdf', 'line break.pdf'],
    ['scan\u202Egnp.exe', 'scangnp.exe'],
    ['a<b>c:d"e|f?g*.pdf', 'abcdefg.pdf'],
    ['  ..hidden.pdf  ', 'hidden.pdf'],
    ['name.pdf...', 'name.pdf'],
    ['tab\tand   spaces.pdf', 'tab and spaces.pdf'],
    ['تقرير الأشعة.pdf', 'تقرير الأشعة.pdf'],
    ['病理报告.pdf', '病理报告.pdf'],
    ['José Ñúñez.jpg', 'José Ñúñez.jpg'],
    ['Jose\u0301.pdf', 'José.pdf'],
    ['con.pdf', '_con.pdf'],
    ['', 'file'],
    ['...', 'file'],
  ])('%j becomes %j', (input, output) => {
    expect(safeFilename(input)).toBe(output);
  });

  test('a long name is cut to 120 characters and keeps its extension', () => {
    const out = safeFilename(`${'a'.repeat(300)}.pdf`);
    expect(out).toHaveLength(120);
    expect(out.endsWith('aaa.pdf')).toBe(true);
  });

  test('a long name in another script is cut by characters without splitting any', () => {
    const out = safeFilename(`${'𠀀'.repeat(200)}.png`);
    expect(Array.from(out)).toHaveLength(120);
    expect(out.endsWith('𠀀.png')).toBe(true);
    expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/u);
  });

  test('a long name without an extension is cut to 120 characters', () => {
    expect(safeFilename('b'.repeat(500))).toBe('b'.repeat(120));
  });
});
