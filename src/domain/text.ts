/**
 * Search text folding: lower case, compatibility-decomposed, combining marks removed, so "José" matches "jose"
 * and full-width digits match ASCII. Scripts without case (Arabic, Chinese) pass through unchanged.
 */
export function foldForSearch(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Escapes LIKE wildcards so a typed `%` or `_` matches itself (used with `ESCAPE '\'`). */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
