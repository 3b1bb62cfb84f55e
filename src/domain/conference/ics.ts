import { createEvents, type EventAttributes, type EventStatus } from 'ics';

/**
 * The conference series as an iCalendar feed (RFC 5545) that members subscribe to (issue 5). The feed is read by
 * outside calendar servers, so it carries the meeting only: name, time, room, video link, institution. Never a case,
 * a patient or an agenda.
 */

/** iCalendar STATUS of each occurrence status: a cancelled meeting stays in the feed so calendars remove it. */
export const ICS_STATUS = {
  scheduled: 'CONFIRMED',
  live: 'CONFIRMED',
  finished: 'CONFIRMED',
  cancelled: 'CANCELLED',
} as const satisfies Record<'scheduled' | 'live' | 'finished' | 'cancelled', EventStatus>;

export interface SeriesCalendarOptions {
  seriesId: string;
  name: string;
  room?: string;
  videoLink?: string;
  institutionName: string;
  occurrences: Array<{ id: string; startsAt: string; endsAt: string; status: string; note?: string | null }>;
  /** Stamped as DTSTAMP, so the same input and `now` give the same bytes. */
  now: Date;
}

/** `ics` accepts `timestamp` (DTSTAMP) but its types omit it; without it the library stamps the wall clock. */
type StampedEvent = EventAttributes & { timestamp: number };

const PRODUCT_ID = '-//TumorBoard//Tumor Conference//EN';

function description(o: SeriesCalendarOptions, note: string | null | undefined): string {
  const lines = [`${o.name}, ${o.institutionName}.`];
  if (note?.trim()) lines.push(note.trim());
  if (o.videoLink) lines.push(`Join by video: ${o.videoLink}`);
  lines.push('The agenda is in TumorBoard; this calendar carries no patient information.');
  return lines.join('\n');
}

/**
 * The iCalendar text of a series: METHOD:PUBLISH, X-WR-CALNAME = the series name, one VEVENT per occurrence in
 * UTC, UID `${id}@tumorboard` (stable, so a moved or cancelled meeting updates the event a subscriber already
 * has), STATUS:CANCELLED for cancelled ones (title prefixed "Cancelled:"). Events are sorted by start then id, so
 * the output depends only on the input. The description holds the series name, institution, the occurrence note
 * and the video link: occurrence notes are published, so the UI must say they go to members' calendars.
 * Throws when `ics` rejects the input (a bad date or link), which the API's schemas prevent.
 */
export function seriesCalendar(opts: SeriesCalendarOptions): string {
  const sorted = [...opts.occurrences].sort((a, b) =>
    a.startsAt < b.startsAt ? -1 : a.startsAt > b.startsAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const events = sorted.map((o): StampedEvent => {
    const status: EventStatus = Object.hasOwn(ICS_STATUS, o.status) ? ICS_STATUS[o.status as keyof typeof ICS_STATUS] : 'TENTATIVE';
    return {
      uid: `${o.id}@tumorboard`,
      productId: PRODUCT_ID,
      timestamp: opts.now.getTime(),
      start: Date.parse(o.startsAt), startInputType: 'utc', startOutputType: 'utc',
      end: Date.parse(o.endsAt), endInputType: 'utc', endOutputType: 'utc',
      title: status === 'CANCELLED' ? `Cancelled: ${opts.name}` : opts.name,
      description: description(opts, o.note),
      status,
      busyStatus: status === 'CANCELLED' ? 'FREE' : 'BUSY',
      categories: ['Tumor Conference'],
      ...(opts.room ? { location: opts.room } : {}),
      ...(opts.videoLink ? { url: opts.videoLink } : {}),
    };
  });
  const { error, value } = createEvents(events, { productId: PRODUCT_ID, method: 'PUBLISH', calName: opts.name });
  if (error || value === null) {
    throw new Error(`calendar of series ${opts.seriesId} could not be built: ${error?.message ?? 'no output'}`);
  }
  return value;
}
