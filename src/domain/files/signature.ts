/**
 * Attachment checks (issue 4: outside reports and images arrive with referrals). What a file is comes from its first
 * bytes, never from its name or the type the browser declares: both are guesses from the extension, and a renamed
 * executable or HTML page must not be stored and later served as a "PDF".
 */

export const ACCEPTED_CONTENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type AcceptedContentType = (typeof ACCEPTED_CONTENT_TYPES)[number];

/** A file signature: the bytes a format starts with (at `offset`, default 0). */
interface Signature {
  readonly bytes: readonly number[];
  readonly offset?: number;
}

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

/** Accepted formats by magic number. */
export const ACCEPTED_SIGNATURES = [
  { type: 'application/pdf', bytes: ascii('%PDF-') },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
] as const satisfies ReadonlyArray<Signature & { type: AcceptedContentType }>;

/** Formats people send by mistake (or on purpose), named so the refusal says what the file really is. */
const KNOWN_OTHER_SIGNATURES = [
  { what: 'a Windows program', bytes: ascii('MZ') },
  { what: 'a Linux program', bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { what: 'a ZIP archive or Office document', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { what: 'a ZIP archive or Office document', bytes: [0x50, 0x4b, 0x05, 0x06] },
  { what: 'a RAR archive', bytes: ascii('Rar!') },
  { what: 'a 7-Zip archive', bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { what: 'a gzip archive', bytes: [0x1f, 0x8b] },
  { what: 'an old Office document', bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
  { what: 'a GIF image', bytes: ascii('GIF8') },
  { what: 'a TIFF image', bytes: [0x49, 0x49, 0x2a, 0x00] },
  { what: 'a TIFF image', bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  { what: 'a HEIC image or video', bytes: ascii('ftyp'), offset: 4 },
  { what: 'a DICOM image', bytes: ascii('DICM'), offset: 128 },
  { what: 'a WebP image', bytes: ascii('WEBP'), offset: 8 },
] as const satisfies ReadonlyArray<Signature & { what: string }>;

function startsWith(head: Uint8Array, sig: Signature): boolean {
  const offset = sig.offset ?? 0;
  if (head.length < offset + sig.bytes.length) return false;
  return sig.bytes.every((b, i) => head[offset + i] === b);
}

/**
 * The content type of a file from its first bytes (at least 8 are needed for PNG): PDF (`%PDF-`), JPEG (FF D8 FF)
 * or PNG (89 50 4E 47 0D 0A 1A 0A); null for anything else. Never looks at the name (issue 4 attachments).
 */
export function sniffContentType(head: Uint8Array): AcceptedContentType | null {
  return ACCEPTED_SIGNATURES.find((s) => startsWith(head, s))?.type ?? null;
}

/** What a refused file appears to be, for the message (a best guess from its first bytes). */
function describeContent(head: Uint8Array): string {
  const known = KNOWN_OTHER_SIGNATURES.find((s) => startsWith(head, s));
  if (known) return known.what;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, 512)).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (/^<(!doctype html|html|head|body|script|iframe)\b/.test(text)) return 'an HTML page';
  if (text.startsWith('<?xml') || text.startsWith('<svg')) return text.includes('<svg') ? 'an SVG image' : 'an XML document';
  if (text.startsWith('{\\rtf')) return 'an RTF document';
  if (head.length > 0 && !head.subarray(0, 512).some((b) => b === 0) && !text.includes('\uFFFD')) return 'plain text';
  return 'not a format we recognise';
}

const MB = 1024 * 1024;

/** A size for people: "12.3 MB", "850 KB", "512 bytes" (binary units, as upload limits are usually set). */
export function formatBytes(bytes: number): string {
  const trim = (n: number) => n.toFixed(1).replace(/\.0$/, '');
  if (bytes >= MB) return `${trim(bytes / MB)} MB`;
  if (bytes >= 1024) return `${trim(bytes / 1024)} KB`;
  return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
}

/** What an upload says about itself; `head` is its first bytes (16 or more; 512 gives better refusal messages). */
export interface AttachmentCandidate {
  filename: string;
  /** The browser's declared type: recorded, never trusted. */
  declaredType?: string | null;
  size: number;
  head: Uint8Array;
}

export type AttachmentCheck =
  | { ok: true; contentType: AcceptedContentType }
  | { ok: false; field: 'attachments'; message: string };

/**
 * Accepts an attachment only if it is non-empty, within `maxBytes` and its content is a PDF, JPEG or PNG (issue 4).
 * Content decides: a PDF named `.png` is accepted as a PDF, a program named `.pdf` is refused. Messages name the
 * file and say what is wrong in words a family can act on.
 */
export function checkAttachment(file: AttachmentCandidate, maxBytes: number): AttachmentCheck {
  const name = safeFilename(file.filename);
  const fail = (message: string): AttachmentCheck => ({ ok: false, field: 'attachments', message });
  if (!Number.isFinite(file.size) || file.size < 0) return fail(`${name} has no readable size`);
  if (file.size === 0 || file.head.length === 0) return fail(`${name} is an empty file`);
  if (file.size > maxBytes) {
    const [size, limit] = [formatBytes(file.size), formatBytes(maxBytes)];
    return size === limit
      ? fail(`${name} is ${file.size.toLocaleString('en-US')} bytes; the limit is ${maxBytes.toLocaleString('en-US')} bytes`)
      : fail(`${name} is ${size}; the limit is ${limit}`);
  }
  const contentType = sniffContentType(file.head);
  if (contentType === null) return fail(`${name} is not a PDF, JPEG or PNG file (its content is ${describeContent(file.head)})`);
  return { ok: true, contentType };
}

/** Bidirectional controls: they can make "gpj.exe" display as "exe.jpg" (right-to-left override trick). */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;
/** Characters that are unsafe or invalid in file names on common systems. */
const UNSAFE = /[<>:"|?*]/gu;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/iu;
const MAX_NAME = 120;

/**
 * A file name that is safe to store and show (issue 4 attachments): directory parts stripped, control and
 * bidirectional-override characters removed, characters invalid on Windows dropped, NFC-normalized, at most 120
 * characters (code points, keeping the extension), letters of any script kept. Never empty ("file").
 */
export function safeFilename(name: string): string {
  let s = name.normalize('NFC').replace(/[\t\n\v\f\r]/gu, ' ').replace(/\p{Cc}/gu, '');
  s = s.slice(Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\')) + 1);
  s = s.replace(BIDI_CONTROLS, '').replace(UNSAFE, '').replace(/\s+/gu, ' ');
  s = s.replace(/^[\s.]+/u, '').replace(/[\s.]+$/u, '');
  if (s === '') return 'file';
  if (WINDOWS_RESERVED.test(s)) s = `_${s}`;
  const chars = Array.from(s);
  if (chars.length <= MAX_NAME) return s;
  const dot = s.lastIndexOf('.');
  const ext = dot > 0 ? Array.from(s.slice(dot)) : [];
  if (ext.length > 0 && ext.length <= 16) {
    const stem = Array.from(s.slice(0, dot)).slice(0, MAX_NAME - ext.length).join('').replace(/[\s.]+$/u, '');
    return stem + ext.join('');
  }
  return chars.slice(0, MAX_NAME).join('').replace(/[\s.]+$/u, '');
}
