import { CLOSING_STATUSES, type ReferralStatus, type Urgency } from './types.js';

/**
 * Referral turnaround clocks (issue 4): how long from referral to triage, to complete records and to a scheduled
 * conference, against the program's targets. Clocks count calendar hours, weekends and holidays included;
 * business days (with a holiday calendar) are a later refinement, which is why targets are plain numbers here.
 */

export const CLOCK_KEYS = ['triage', 'records', 'conference'] as const;
export type ClockKey = (typeof CLOCK_KEYS)[number];

/** The referral timestamp that stops a clock. */
export type ClockEvent = 'triagedAt' | 'recordsCompleteAt' | 'scheduledAt';

/** One clock's target, in calendar days from the referral, by urgency. */
export interface TurnaroundTarget {
  readonly label: string;
  readonly stopsAt: ClockEvent;
  readonly days: Readonly<Record<Urgency, number>>;
}
export type TurnaroundTargets = Readonly<Record<ClockKey, TurnaroundTarget>>;

/** The program's default targets; a deployment may pass its own table with the same shape. */
export const TURNAROUND_TARGETS = {
  triage: { label: 'Referral to triage', stopsAt: 'triagedAt', days: { routine: 2, urgent: 1 } },
  records: { label: 'Referral to records complete', stopsAt: 'recordsCompleteAt', days: { routine: 14, urgent: 5 } },
  conference: { label: 'Referral to conference scheduled', stopsAt: 'scheduledAt', days: { routine: 21, urgent: 7 } },
} as const satisfies TurnaroundTargets;

/** The referral fields the clocks read (ISO-8601 UTC timestamps; null or absent = has not happened). */
export interface TurnaroundInput {
  createdAt: string;
  triagedAt?: string | null;
  recordsCompleteAt?: string | null;
  scheduledAt?: string | null;
  closedAt?: string | null;
  urgency: Urgency;
  status: ReferralStatus;
}

/** One clock: when it started, when (if) it stopped, and where it stands against its target. */
export interface TurnaroundClock {
  key: ClockKey;
  label: string;
  startedAt: string;
  /** When its event happened (or the referral was closed); null while it runs. */
  stoppedAt: string | null;
  elapsedHours: number;
  targetHours: number;
  /** The elapsed time is over the target (for a stopped clock: it was late). */
  overdue: boolean;
  dueAt: string;
}

const HOUR_MS = 3_600_000;

function parseTime(value: string, field: string): number {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new RangeError(`${field} is not a timestamp: ${value}`);
  return t;
}

/**
 * The three turnaround clocks of a referral (issue 4). Each clock starts at `createdAt` and runs until its event
 * (triaged, records complete, scheduled). Closing a referral (declined/redirected) stops every clock still running
 * at `closedAt` (at `now` if a closed referral lacks `closedAt`). A clock is overdue when its elapsed hours exceed
 * the target for the referral's urgency. The top-level `overdue` is true only when a clock that is still running is
 * overdue: something needs doing now. Late clocks that have since stopped stay `overdue` on the clock, for analytics.
 */
export function turnaround(r: TurnaroundInput, now: Date, targets: TurnaroundTargets = TURNAROUND_TARGETS): {
  clocks: TurnaroundClock[];
  overdue: boolean;
} {
  const start = parseTime(r.createdAt, 'createdAt');
  const nowMs = now.getTime();
  const closed = CLOSING_STATUSES.includes(r.status);
  const closedMs = closed ? (r.closedAt ? parseTime(r.closedAt, 'closedAt') : nowMs) : undefined;

  const clocks = CLOCK_KEYS.map((key): TurnaroundClock => {
    const target = targets[key];
    const eventAt = r[target.stopsAt];
    const eventMs = eventAt ? parseTime(eventAt, target.stopsAt) : undefined;
    const stopMs = eventMs !== undefined && closedMs !== undefined ? Math.min(eventMs, closedMs) : eventMs ?? closedMs;
    const targetHours = target.days[r.urgency] * 24;
    const elapsedHours = Math.max(0, (stopMs ?? nowMs) - start) / HOUR_MS;
    return {
      key,
      label: target.label,
      startedAt: new Date(start).toISOString(),
      stoppedAt: stopMs === undefined ? null : new Date(stopMs).toISOString(),
      elapsedHours,
      targetHours,
      overdue: elapsedHours > targetHours,
      dueAt: new Date(start + targetHours * HOUR_MS).toISOString(),
    };
  });
  return { clocks, overdue: clocks.some((c) => c.stoppedAt === null && c.overdue) };
}

/**
 * The p-th percentile (0–100) of durations, by linear interpolation between the closest ranks (the method of
 * Excel PERCENTILE.INC and NumPy's default), so small samples give stable values. Non-finite values are ignored;
 * no values → null. For turnaround analytics.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be between 0 and 100, not ${p}`);
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (rank - lo);
}

/** The median of durations (null when there are none): the typical turnaround, robust to a few very late referrals. */
export function median(values: readonly number[]): number | null {
  return percentile(values, 50);
}

/** The 90th percentile of durations (null when there are none): how long the slow referrals take. */
export function percentile90(values: readonly number[]): number | null {
  return percentile(values, 90);
}
