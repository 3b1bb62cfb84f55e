/** Conference times: shown in the series' time zone and in the viewer's own, always YYYY-MM-DD HH:mm (24 h). */

/** Common IANA zones for the series form (the browser's own zone is added when it is not among them). */
export const COMMON_TIME_ZONES = [
  'America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles', 'America/Anchorage',
  'Pacific/Honolulu', 'America/Toronto', 'America/Mexico_City', 'America/Bogota', 'America/Lima', 'America/Sao_Paulo',
  'America/Argentina/Buenos_Aires', 'Europe/London', 'Europe/Dublin', 'Europe/Madrid', 'Europe/Paris', 'Europe/Berlin',
  'Europe/Rome', 'Europe/Athens', 'Africa/Johannesburg', 'Africa/Cairo', 'Asia/Jerusalem', 'Asia/Dubai', 'Asia/Kolkata',
  'Asia/Singapore', 'Asia/Shanghai', 'Asia/Tokyo', 'Australia/Sydney', 'Pacific/Auckland', 'UTC',
] as const;

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function timeZoneOptions(): string[] {
  const own = browserTimeZone();
  const list: string[] = [...COMMON_TIME_ZONES];
  if (!list.includes(own)) list.unshift(own);
  return list;
}

interface Parts { weekday: string; date: string; time: string; zone: string }

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit',
        hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
      });
    } catch {
      f = new Intl.DateTimeFormat('en-US', { weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
    }
    formatters.set(key, f);
  }
  return f;
}

/** An instant's weekday, date, time and zone abbreviation in `timeZone` (the browser's zone when undefined). */
export function zonedParts(iso: string, timeZone?: string): Parts | null {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(d)) p[part.type] = part.value;
  return { weekday: p.weekday ?? '', date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}`, zone: p.timeZoneName ?? '' };
}

/** "Thu 2026-12-03 07:30 EST". */
export function formatZoned(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '—';
  const p = zonedParts(iso, timeZone);
  return p ? `${p.weekday} ${p.date} ${p.time} ${p.zone}`.trim() : iso;
}

/** "07:30" in the zone. */
export function formatZonedTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '—';
  return zonedParts(iso, timeZone)?.time ?? iso;
}

/** The local rendering, or null when the viewer's clock reads the same as the series' (nothing to add). */
export function localIfDifferent(iso: string, timeZone: string): string | null {
  const there = zonedParts(iso, timeZone);
  const here = zonedParts(iso);
  if (!there || !here) return null;
  if (there.date === here.date && there.time === here.time) return null;
  return `${here.weekday} ${here.date} ${here.time} ${here.zone}`.trim();
}

/** "07:30–09:00". */
export function formatRange(startsAt: string, endsAt: string, timeZone: string): string {
  return `${formatZonedTime(startsAt, timeZone)}–${formatZonedTime(endsAt, timeZone)}`;
}

/** Elapsed time as "m:ss" or "h:mm:ss". */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Words for a screen reader: "12 minutes 5 seconds". */
export function spokenElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m} minute${m === 1 ? '' : 's'} ${s} second${s === 1 ? '' : 's'}`;
}
