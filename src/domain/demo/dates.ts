/**
 * Calendar arithmetic on whole UTC days (days since 1970-01-01). The demo generator works in day numbers so it
 * never touches a clock or a time zone; `today` always comes in as a parameter.
 */

const MS_PER_DAY = 86_400_000;

/** Mean Gregorian year in days: ages in years are `days / DAYS_PER_YEAR`. */
export const DAYS_PER_YEAR = 365.25;

/** `YYYY-MM-DD` → day number. Throws on anything that is not a real calendar date. */
export function dayFromIsoDate(date: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`expected a date like 2025-03-09, got "${date}"`);
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`"${date}" is not a real date`);
  }
  return ms / MS_PER_DAY;
}

/**
 * Day number → civil date (proleptic Gregorian), H. Hinnant's `civil_from_days`. Plain arithmetic is several
 * times faster than `Date#toISOString`, which matters when the benchmark generates tens of thousands of records.
 */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Day number → `YYYY-MM-DD` (years 0–9999). */
export function isoDateFromDay(day: number): string {
  const [y, m, d] = civilFromDays(Math.floor(day));
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

/** Day number plus whole minutes into that day (0–1439) → ISO-8601 UTC timestamp (`2025-03-09T14:05:00.000Z`). */
export function isoInstant(day: number, minuteOfDay: number): string {
  return `${isoDateFromDay(day)}T${pad2(Math.floor(minuteOfDay / 60))}:${pad2(minuteOfDay % 60)}:00.000Z`;
}
