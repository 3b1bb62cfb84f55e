import type { AgendaKind } from './types.js';

/**
 * The agenda of one conference (issue 5): the order cases are discussed in, when each is planned to come up, and
 * which undiscussed cases carry over to the next meeting. Pure functions over agenda rows.
 */

/**
 * Default discussion order, lowest rank first: urgent cases (a decision this week changes care), then new
 * diagnoses and relapses (a treatment plan is needed), then post-treatment reviews, then follow-up. Kinds of the
 * same rank keep the order they were added in.
 */
export const AGENDA_ORDER = {
  urgent: { rank: 0, why: 'urgent: a decision is needed before the next conference' },
  new_diagnosis: { rank: 1, why: 'new diagnosis: needs a first treatment plan' },
  relapse: { rank: 1, why: 'relapse: needs a new treatment plan' },
  post_treatment: { rank: 2, why: 'post-treatment review: response and next steps' },
  follow_up: { rank: 3, why: 'follow-up: surveillance findings' },
} as const satisfies Record<AgendaKind, { rank: number; why: string }>;

/** The rank of an item: a case flagged urgent goes with the urgent kind, whatever its kind. */
export function agendaRank(item: { kind: AgendaKind; urgent: boolean }): number {
  return item.urgent ? AGENDA_ORDER.urgent.rank : AGENDA_ORDER[item.kind].rank;
}

/** What `orderAgenda` needs of an agenda row. */
export interface OrderableItem {
  kind: AgendaKind;
  urgent: boolean;
  position: number | null;
  addedAt: string;
}

const byAddedAt = (a: OrderableItem, b: OrderableItem) => (a.addedAt < b.addedAt ? -1 : a.addedAt > b.addedAt ? 1 : 0);

/**
 * The discussion order. Items with a position (set by a coordinator's drag-and-drop) keep exactly the order of
 * their positions: the coordinator's arrangement is never reshuffled. Items without one are sorted by
 * `AGENDA_ORDER` then `addedAt`, and merged into the arranged list: each goes before the first arranged item the
 * table would put after it (so an urgent case added after the arrangement still comes before routine ones), and
 * after arranged items of the same rank. With no positions this is the table order; with all, the manual order.
 * Ties (equal positions, or equal rank and `addedAt`) keep input order. Returns a new array.
 */
export function orderAgenda<T extends OrderableItem>(items: T[]): T[] {
  const arranged = items.filter((i) => i.position !== null).sort((a, b) => a.position! - b.position! || byAddedAt(a, b));
  const rest = items.filter((i) => i.position === null).sort((a, b) => agendaRank(a) - agendaRank(b) || byAddedAt(a, b));
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < arranged.length || j < rest.length) {
    const a = arranged[i];
    const r = rest[j];
    if (r !== undefined && (a === undefined || agendaRank(r) < agendaRank(a))) {
      out.push(r);
      j++;
    } else {
      out.push(a!);
      i++;
    }
  }
  return out;
}

/** When one agenda item is planned to be discussed. */
export interface PlannedSlot {
  /** UTC ISO-8601. */
  plannedStart: string;
  plannedEnd: string;
  /** The item ends after the meeting does: it will not be reached unless others run short. */
  overruns: boolean;
}

/**
 * Planned times of an agenda, in the order given (order it first with `orderAgenda`): each item starts when the
 * one before ends, from `startsAt`. `overruns` says whether the estimates add up to more than `capacityMinutes`
 * (the meeting length), by `overrunMinutes`.
 */
export function agendaTiming(
  items: Array<{ estimatedMinutes: number }>,
  startsAt: string,
  capacityMinutes: number,
): { items: PlannedSlot[]; totalMinutes: number; overruns: boolean; overrunMinutes: number } {
  const start = Date.parse(startsAt);
  const meetingEnd = start + capacityMinutes * 60_000;
  let at = start;
  const slots: PlannedSlot[] = items.map(({ estimatedMinutes }) => {
    const end = at + estimatedMinutes * 60_000;
    const slot = { plannedStart: new Date(at).toISOString(), plannedEnd: new Date(end).toISOString(), overruns: end > meetingEnd };
    at = end;
    return slot;
  });
  const totalMinutes = items.reduce((sum, i) => sum + i.estimatedMinutes, 0);
  const overrunMinutes = Math.max(0, totalMinutes - capacityMinutes);
  return { items: slots, totalMinutes, overruns: overrunMinutes > 0, overrunMinutes };
}

/** Agenda item statuses that carry over: `pending` = the case was not discussed. */
export const ROLL_FORWARD_STATUSES = ['pending'] as const;

/** An agenda row for the next occurrence, made from one not discussed at the finished meeting. */
export interface RolledItem {
  caseId: string;
  kind: AgendaKind;
  urgent: boolean;
  estimatedMinutes: number;
  /** The arrangement belonged to the finished meeting; the next one places the case by `AGENDA_ORDER`. */
  position: null;
}

/**
 * The items of a finished meeting that go to the next occurrence: those still `pending` (not discussed), keeping
 * their kind, urgency and time estimate, in the order they had on the finished agenda. A case already on the next
 * agenda (`alreadyOnNext`) or listed twice is carried once at most, so rolling forward twice changes nothing.
 */
export function rollForward(
  items: ReadonlyArray<{ caseId: string; kind: AgendaKind; urgent: boolean; estimatedMinutes: number; status: string }>,
  alreadyOnNext: readonly string[] = [],
): RolledItem[] {
  const seen = new Set(alreadyOnNext);
  const out: RolledItem[] = [];
  for (const { caseId, kind, urgent, estimatedMinutes, status } of items) {
    if (!(ROLL_FORWARD_STATUSES as readonly string[]).includes(status) || seen.has(caseId)) continue;
    seen.add(caseId);
    out.push({ caseId, kind, urgent, estimatedMinutes, position: null });
  }
  return out;
}
