/**
 * ZIP codes under Safe Harbor (45 CFR 164.514(b)(2)(i)(B)): the initial three digits may be kept only where the
 * geographic unit formed by all ZIP codes with those three digits holds more than 20,000 people; otherwise they are
 * replaced by 000.
 *
 * Source: U.S. HHS Office for Civil Rights, "Guidance Regarding Methods for De-identification of Protected Health
 * Information in Accordance with the HIPAA Privacy Rule" (26 November 2012), §3.4 ("utilizing 2000 Census data, the
 * following three-digit ZIP codes must be replaced with 000"). The guidance names the 2000 Census; a deployment that
 * adopts a newer census table replaces this list (it is data, not code).
 */
export const RESTRICTED_ZIP3 = [
  '036', '059', '063', '102', '203', '556', '692', '790', '821', '823', '830', '831', '878', '879', '884', '890', '893',
] as const;

export const RESTRICTED_ZIP3_SOURCE = 'HHS OCR De-identification Guidance (2012) §3.4, 2000 U.S. Census';

const restricted: ReadonlySet<string> = new Set(RESTRICTED_ZIP3);

/** The five (or ZIP+4) digits of a U.S. ZIP code, or null when the text is not one. */
export function parseZip(text: string | null | undefined): string | null {
  const m = /^\s*(\d{5})(?:-?\d{4})?\s*$/.exec(text ?? '');
  return m ? m[1]! : null;
}

/**
 * Safe Harbor ZIP (45 CFR 164.514(b)(2)(i)(B)): the first three digits, or `000` for an area of 20,000 people or
 * fewer (RESTRICTED_ZIP3). Anything that is not a U.S. ZIP code gives null (it is dropped, never passed through).
 */
export function safeHarborZip3(text: string | null | undefined): string | null {
  const zip = parseZip(text);
  if (!zip) return null;
  const three = zip.slice(0, 3);
  return restricted.has(three) ? '000' : three;
}
