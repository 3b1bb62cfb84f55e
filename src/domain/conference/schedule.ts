import type { OccurrenceStatus, SeriesInput, Weekday } from './types.js';

/**
 * The weekly Tumor Conference calendar (issue 5): which dates a series meets on, when that is in UTC, moving one
 * meeting, and until when cases can be added. Pure: no clock (`now` and `today` are parameters) and no I/O.
 *
 * Meetings are set in the institution's wall-clock time ("Tuesdays 07:00 in New York") and stored as UTC instants.
 * The zone offset comes from `Intl.DateTimeFormat`, so DST changes follow the IANA database of the runtime.
 */

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** `Date#getUTCDay()` of each series weekday (Sunday = 0). */
export const WEEKDAY_NUMBER = {
  sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6,
} as const satisfies Record<Weekday, number>;

/** One generated meeting of a series: its local date and its UTC start and end. */
export interface Occurrence {
  /** The meeting's date in the series time zone, YYYY-MM-DD. */
  slotDate: string;
  /** UTC ISO-8601, e.g. 2026-03-10T11:00:00.000Z. */
  startsAt: string;
  endsAt: string;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Days since 1970-01-01 of a YYYY-MM-DD civil date, or null when it is not a real date. */
function dayNumber(date: string): number | null {
  const m = DATE_RE.exec(date);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC rolls 2026-02-30 over to March: a real date round-trips.
  if (new Date(ms).toISOString().slice(0, 10) !== date) return null;
  return ms / DAY_MS;
}

function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23',
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall clock of `timeZone` at an instant, as if it were UTC (milliseconds, seconds precision). */
function wallClockMs(instantMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(instantMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

/**
 * The UTC offset of `timeZone` at an instant, in minutes east of UTC (New York in winter: -300; Riyadh: 180).
 * Throws a RangeError for a time zone the runtime does not know.
 */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  const ms = Math.floor(instant.getTime() / 1000) * 1000;
  return Math.round((wallClockMs(ms, timeZone) - ms) / MINUTE_MS);
}

/** The civil date (YYYY-MM-DD) of an instant in `timeZone`: "today" for the series, given `now`. */
export function localDate(instant: Date, timeZone: string): string {
  return new Date(wallClockMs(instant.getTime(), timeZone)).toISOString().slice(0, 10);
}

/**
 * The UTC instant of a wall-clock date and time in `timeZone`, or null when the date or time is malformed.
 * A time that does not exist (skipped by a spring-forward change, e.g. 02:30 on the US change day) moves forward
 * by the gap (03:30 daylight time); a time that occurs twice (fall-back) is the first of the two. These are the
 * choices of RFC 5545 §3.3.5 and of Temporal's `disambiguation: 'compatible'`, so calendars agree with us.
 */
export function zonedTimeToUtc(date: string, time: string, timeZone: string): Date | null {
  const day = dayNumber(date);
  const t = TIME_RE.exec(time);
  if (day === null || !t) return null;
  const wall = day * DAY_MS + (Number(t[1]) * 60 + Number(t[2])) * MINUTE_MS;
  // Zone rules change at most once around any day; the offsets a day either side cover both sides of a change.
  const before = zoneOffsetMinutes(new Date(wall - DAY_MS), timeZone);
  const after = zoneOffsetMinutes(new Date(wall + DAY_MS), timeZone);
  const valid = [...new Set([before, after])]
    .map((offset) => wall - offset * MINUTE_MS)
    .filter((utc) => wallClockMs(utc, timeZone) === wall)
    .sort((a, b) => a - b);
  // No valid candidate = a skipped time: read it with the offset before the change, which lands after the gap.
  return new Date(valid[0] ?? wall - before * MINUTE_MS);
}

/**
 * Every meeting of a weekly series within [from, to] (YYYY-MM-DD, both inclusive, in the series time zone), never
 * before `series.startsOn`: on `series.weekday` at `series.startTime` local to `series.timeZone`, in UTC, lasting
 * `durationMinutes` of elapsed time. Empty for an empty or malformed range.
 */
export function occurrencesBetween(series: SeriesInput, from: string, to: string): Occurrence[] {
  const start = dayNumber(from);
  const end = dayNumber(to);
  const startsOn = dayNumber(series.startsOn);
  if (start === null || end === null || startsOn === null) return [];
  const first = Math.max(start, startsOn);
  // 1970-01-01 (day 0) was a Thursday (getUTCDay 4).
  const weekdayOfFirst = (((first + 4) % 7) + 7) % 7;
  const out: Occurrence[] = [];
  for (let day = first + ((WEEKDAY_NUMBER[series.weekday] - weekdayOfFirst + 7) % 7); day <= end; day += 7) {
    const slotDate = dateOfDay(day);
    const startsAt = zonedTimeToUtc(slotDate, series.startTime, series.timeZone);
    if (startsAt === null) return [];
    out.push({
      slotDate,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + series.durationMinutes * MINUTE_MS).toISOString(),
    });
  }
  return out;
}

/**
 * The meetings of the next `weeks` weeks counting `today` (YYYY-MM-DD in the series time zone, see `localDate`):
 * the window is `today` to `today + 7·weeks − 1`, so a series already running yields exactly `weeks` meetings.
 */
export function generateAhead(series: SeriesInput, today: string, weeks = 12): Occurrence[] {
  const day = dayNumber(today);
  if (day === null || weeks < 1) return [];
  return occurrencesBetween(series, today, dateOfDay(day + 7 * Math.floor(weeks) - 1));
}

/** A refusal on the new start of a meeting, shaped as the API's field error. */
export interface StartsAtError {
  error: { field: 'startsAt'; message: string };
}

/**
 * Move one meeting to a new local date and time, keeping its length. Refused when the new start is malformed or
 * before `now`: a meeting moved into the past would never be announced and its agenda never discussed. The time
 * zone is the series' (validated by its schema); an unknown one throws a RangeError.
 */
export function moveOccurrence(
  current: { startsAt: string; endsAt: string },
  newStartLocal: { date: string; time: string },
  timeZone: string,
  now: Date,
): { startsAt: string; endsAt: string } | StartsAtError {
  const start = zonedTimeToUtc(newStartLocal.date, newStartLocal.time, timeZone);
  if (start === null) {
    return { error: { field: 'startsAt', message: 'must be a real date (YYYY-MM-DD) and a time like 07:30' } };
  }
  if (start.getTime() < now.getTime()) {
    return { error: { field: 'startsAt', message: 'cannot move a meeting into the past' } };
  }
  const lengthMs = Date.parse(current.endsAt) - Date.parse(current.startsAt);
  return { startsAt: start.toISOString(), endsAt: new Date(start.getTime() + lengthMs).toISOString() };
}

/** Why a conference in this state takes no more cases; `scheduled` is the only open state. */
export const CLOSED_TO_NEW_CASES = {
  live: 'the conference is under way',
  finished: 'the conference has finished',
  cancelled: 'the conference was cancelled',
} as const satisfies Record<Exclude<OccurrenceStatus, 'scheduled'>, string>;

/**
 * Can a case still be added to this conference at `now`? Only to a scheduled one, and only until `cutoffHours`
 * before its start, so the groups have time to review the case (SeriesInput.cutoffHours). The refusal names the
 * cut-off instant in UTC ISO-8601; the client shows it in local time.
 */
export function addCaseAllowed(
  conference: { startsAt: string; status: string },
  cutoffHours: number,
  now: Date,
): { ok: true } | { ok: false; reason: string } {
  if (Object.hasOwn(CLOSED_TO_NEW_CASES, conference.status)) {
    return { ok: false, reason: CLOSED_TO_NEW_CASES[conference.status as keyof typeof CLOSED_TO_NEW_CASES] };
  }
  if (conference.status !== 'scheduled') return { ok: false, reason: `unknown conference status "${conference.status}"` };
  const cutoff = Date.parse(conference.startsAt) - cutoffHours * 3_600_000;
  if (Number.isNaN(cutoff)) return { ok: false, reason: 'the conference has no valid start time' };
  if (now.getTime() >= cutoff) {
    return {
      ok: false,
      reason: `the cut-off for adding cases was ${new Date(cutoff).toISOString()} (${cutoffHours} hours before the start)`,
    };
  }
  return { ok: true };
}
