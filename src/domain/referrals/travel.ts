import { foldForSearch } from '../text.js';
import type { ReferralOrigin, TravelPlan } from './types.js';

/**
 * Travel coordination for families coming from afar (issue 4): what the travel coordinator must do next and by
 * when, counted back from the arrival date. Dates are calendar dates (YYYY-MM-DD, UTC); the deadlines are data.
 */

/** The plan fields the deadlines read. */
export type TravelPlanDeadlineInput = Pick<
  TravelPlan, 'arrivalDate' | 'visaLetter' | 'insuranceLetter' | 'lodgingConfirmed' | 'interpreterNeeded' | 'interpreterLanguage' | 'interpreterArranged'
>;

/** A travel task: when it applies, when it is done, and how many days before arrival it is due. */
export interface TravelTask {
  readonly key: string;
  readonly daysBeforeArrival: number;
  readonly applies: (p: TravelPlanDeadlineInput) => boolean;
  readonly done: (p: TravelPlanDeadlineInput) => boolean;
  readonly what: (p: TravelPlanDeadlineInput) => string;
}

/**
 * The deadlines, most lead time first: a visa appointment takes weeks, an insurer's approval about two, lodging a
 * week, an interpreter a few days; each is done when the plan records it (letter sent, lodging confirmed, interpreter arranged).
 */
export const TRAVEL_TASKS = [
  {
    key: 'visa_letter', daysBeforeArrival: 30, what: () => 'send the visa support letter',
    applies: (p) => p.visaLetter !== 'not_needed', done: (p) => p.visaLetter === 'sent',
  },
  {
    key: 'insurance_letter', daysBeforeArrival: 14, what: () => 'send the insurance letter',
    applies: (p) => p.insuranceLetter !== 'not_needed', done: (p) => p.insuranceLetter === 'sent',
  },
  {
    key: 'lodging', daysBeforeArrival: 7, what: () => 'confirm lodging',
    applies: () => true, done: (p) => p.lodgingConfirmed,
  },
  {
    key: 'interpreter', daysBeforeArrival: 3,
    what: (p) => (p.interpreterLanguage ? `arrange an interpreter (${p.interpreterLanguage})` : 'arrange an interpreter'),
    applies: (p) => p.interpreterNeeded, done: (p) => p.interpreterArranged === true,
  },
] as const satisfies readonly TravelTask[];

export interface TravelItem {
  what: string;
  /** YYYY-MM-DD; null when it cannot be dated yet (no arrival date). */
  due: string | null;
  done: boolean;
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The travel checklist of a plan and its next deadline (issue 4): visa letter 30 days before arrival, insurance
 * letter 14, lodging 7, interpreter 3. Without an arrival date the first task is "set the arrival date", due today,
 * and the others cannot be dated. `due`/`what` are the earliest item not done (null when everything is done);
 * overdue items keep their past date so lists sort them first.
 */
export function travelNextDue(plan: TravelPlanDeadlineInput, now: Date): {
  due: string | null;
  what: string | null;
  items: TravelItem[];
} {
  const arrivalMs = plan.arrivalDate ? Date.parse(`${plan.arrivalDate}T00:00:00Z`) : Number.NaN;
  const items: TravelItem[] = [];
  if (Number.isNaN(arrivalMs)) items.push({ what: 'set the arrival date', due: isoDay(now.getTime()), done: false });
  for (const task of TRAVEL_TASKS as readonly TravelTask[]) {
    if (!task.applies(plan)) continue;
    const due = Number.isNaN(arrivalMs) ? null : isoDay(arrivalMs - task.daysBeforeArrival * DAY_MS);
    items.push({ what: task.what(plan), due, done: task.done(plan) });
  }
  let next: TravelItem | undefined;
  for (const item of items) {
    if (item.done || item.due === null) continue;
    if (next === undefined || item.due < next.due!) next = item;
  }
  return { due: next?.due ?? null, what: next?.what ?? null, items };
}

/** Country names people type for the same country, folded to letters only. */
export const COUNTRY_ALIASES = {
  unitedstates: ['us', 'usa', 'unitedstates', 'unitedstatesofamerica', 'america', 'estadosunidos', 'eeuu', 'eua'],
  unitedkingdom: ['uk', 'gb', 'unitedkingdom', 'greatbritain', 'england', 'scotland', 'wales', 'northernireland'],
} as const satisfies Record<string, readonly string[]>;

function countryKey(name: string): string {
  const letters = foldForSearch(name).replace(/\P{L}+/gu, '');
  for (const [key, aliases] of Object.entries(COUNTRY_ALIASES) as Array<[string, readonly string[]]>) {
    if (aliases.includes(letters)) return key;
  }
  return letters;
}

/**
 * Where a referral comes from (issue 4), which decides the travel and visa work: `internal` (our own clinics) wins;
 * otherwise `domestic` when the home country is the program's country (however it is written: "USA", "U.S.",
 * "Estados Unidos") or not given, else `international`. `programCountry` defaults to the United States; pass
 * `undefined` to keep the default.
 */
export function referralOrigin(homeCountry: string, programCountry = 'United States', internal: boolean): ReferralOrigin {
  if (internal) return 'internal';
  const home = countryKey(homeCountry);
  if (home === '' || home === countryKey(programCountry)) return 'domestic';
  return 'international';
}
