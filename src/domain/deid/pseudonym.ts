import { createHmac } from 'node:crypto';

/**
 * Keyed pseudonyms and date shifts for the date-shifted export. Both come from HMAC-SHA-256 under a per-export
 * secret key that is never stored with the output (nor anywhere else), so a pseudonym cannot be recomputed from a
 * patient id or MRN without the key: it is not a plain hash. The same key gives the same pseudonym and shift for a
 * patient, so one export is internally consistent; a new key unlinks it from every other export.
 */

/** Largest shift in days either way; a shift is never 0 (the dates must move). */
export const MAX_SHIFT_DAYS = 182;

function hmac(key: Uint8Array, purpose: string, id: string): Buffer {
  return createHmac('sha256', key).update(`${purpose}\u0000${id}`).digest();
}

/**
 * `P-` and 16 hex digits (64 bits) of HMAC-SHA-256(key, id): stable within one key, unlinkable across keys. A code
 * derived from the record id is not a 45 CFR 164.514(c) re-identification code, so files using it (date-shifted
 * mode) are labelled NOT Safe Harbor.
 */
export function pseudonym(key: Uint8Array, patientId: string): string {
  return `P-${hmac(key, 'pseudonym', patientId).subarray(0, 8).toString('hex')}`;
}

/**
 * The patient's consistent date shift in days (shifted dates are still dates under 45 CFR 164.514(b)(2)(i)(C)): ±1…±MAX_SHIFT_DAYS, from HMAC-SHA-256(key, id). Every date of one
 * patient moves by the same amount, so intervals (age at diagnosis, time to relapse) are preserved exactly.
 */
export function shiftDays(key: Uint8Array, patientId: string): number {
  const h = hmac(key, 'date-shift', patientId);
  const magnitude = (h.readUInt32BE(0) % MAX_SHIFT_DAYS) + 1;
  return (h[4]! & 1) === 0 ? magnitude : -magnitude;
}

/** `YYYY-MM-DD` moved by `days` (UTC calendar arithmetic); null stays null. */
export function shiftDate(date: string | null | undefined, days: number): string | null {
  if (!date) return null;
  const t = Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(t)) return null;
  return new Date(t + days * 86_400_000).toISOString().slice(0, 10);
}
