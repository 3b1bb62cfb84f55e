import { describe, expect, test } from 'vitest';
import { referralOrigin, travelNextDue, type TravelPlanDeadlineInput } from './travel.js';
import { travelPlanSchema } from './types.js';

const now = new Date('2025-05-01T15:30:00Z');
const plan = (o: Partial<TravelPlanDeadlineInput> = {}): TravelPlanDeadlineInput => ({
  arrivalDate: '2025-06-30', visaLetter: 'not_needed', insuranceLetter: 'not_needed', lodgingConfirmed: false,
  interpreterNeeded: false, interpreterArranged: false, ...o,
});

describe('travelNextDue', () => {
  test.each<[string, Partial<TravelPlanDeadlineInput>, string, string]>([
    ['a visa letter needed', { visaLetter: 'needed' }, '2025-05-31', 'send the visa support letter'],
    ['an insurance letter needed', { insuranceLetter: 'needed' }, '2025-06-16', 'send the insurance letter'],
    ['lodging not confirmed', {}, '2025-06-23', 'confirm lodging'],
    ['an interpreter needed', { lodgingConfirmed: true, interpreterNeeded: true, interpreterLanguage: 'Arabic' }, '2025-06-27', 'arrange an interpreter (Arabic)'],
    ['an interpreter needed, language not given', { lodgingConfirmed: true, interpreterNeeded: true }, '2025-06-27', 'arrange an interpreter'],
  ])('with %s the next task is due %s: %s', (_what, o, due, what) => {
    expect(travelNextDue(plan(o), now)).toMatchObject({ due, what });
  });

  test('the earliest task not done is next', () => {
    const r = travelNextDue(plan({ visaLetter: 'needed', insuranceLetter: 'needed', interpreterNeeded: true }), now);
    expect(r.items).toEqual([
      { what: 'send the visa support letter', due: '2025-05-31', done: false },
      { what: 'send the insurance letter', due: '2025-06-16', done: false },
      { what: 'confirm lodging', due: '2025-06-23', done: false },
      { what: 'arrange an interpreter', due: '2025-06-27', done: false },
    ]);
    expect(r.due).toBe('2025-05-31');
  });

  test('a sent letter is done and no longer due', () => {
    const r = travelNextDue(plan({ visaLetter: 'sent', insuranceLetter: 'needed' }), now);
    expect(r.items[0]).toEqual({ what: 'send the visa support letter', due: '2025-05-31', done: true });
    expect(r).toMatchObject({ due: '2025-06-16', what: 'send the insurance letter' });
  });

  test('letters that are not needed are not on the list', () => {
    expect(travelNextDue(plan(), now).items.map((i) => i.what)).toEqual(['confirm lodging']);
  });

  test('with everything done nothing is due', () => {
    expect(travelNextDue(plan({ lodgingConfirmed: true, visaLetter: 'sent' }), now)).toMatchObject({ due: null, what: null });
  });

  test('without an arrival date the next task is to set it, due today, and the rest cannot be dated', () => {
    const r = travelNextDue(plan({ arrivalDate: undefined, visaLetter: 'needed' }), now);
    expect(r).toEqual({
      due: '2025-05-01',
      what: 'set the arrival date',
      items: [
        { what: 'set the arrival date', due: '2025-05-01', done: false },
        { what: 'send the visa support letter', due: null, done: false },
        { what: 'confirm lodging', due: null, done: false },
      ],
    });
  });

  test('a deadline already past stays the next one, with its past date', () => {
    expect(travelNextDue(plan({ arrivalDate: '2025-05-10', visaLetter: 'needed' }), now).due).toBe('2025-04-10');
  });

  test('deadlines count calendar days across month and year ends', () => {
    expect(travelNextDue(plan({ arrivalDate: '2026-01-05', visaLetter: 'needed' }), now).due).toBe('2025-12-06');
    expect(travelNextDue(plan({ arrivalDate: '2024-03-01', lodgingConfirmed: false }), now).due).toBe('2024-02-23');
  });

  test('a plan parsed by the schema is accepted as it is', () => {
    const parsed = travelPlanSchema.parse({ arrivalDate: '2025-06-30', insuranceLetter: 'needed' });
    expect(travelNextDue(parsed, now).due).toBe('2025-06-16');
  });
});

describe('referralOrigin', () => {
  test.each<[string, string | undefined, boolean, string]>([
    ['Mexico', undefined, true, 'internal'],
    ['United States', undefined, true, 'internal'],
    ['United States', undefined, false, 'domestic'],
    ['USA', undefined, false, 'domestic'],
    ['U.S.', undefined, false, 'domestic'],
    ['united states of america', undefined, false, 'domestic'],
    ['Estados Unidos', undefined, false, 'domestic'],
    ['', undefined, false, 'domestic'],
    ['Mexico', undefined, false, 'international'],
    ['México', 'Mexico', false, 'domestic'],
    ['Jordan', undefined, false, 'international'],
    ['UK', 'United Kingdom', false, 'domestic'],
    ['United States', 'United Kingdom', false, 'international'],
    ['الأردن', 'Jordan', false, 'international'],
  ])('a patient from %j, program in %s, internal %s, is %s', (home, program, internal, origin) => {
    expect(referralOrigin(home, program, internal)).toBe(origin);
  });
});

describe('the interpreter task', () => {
  test('is open until the plan records the interpreter as arranged, then done', () => {
    const open = travelNextDue(plan({ interpreterNeeded: true, interpreterLanguage: 'Arabic', lodgingConfirmed: true }), now);
    expect(open.what).toBe('arrange an interpreter (Arabic)');
    const done = travelNextDue(plan({ interpreterNeeded: true, interpreterLanguage: 'Arabic', interpreterArranged: true, lodgingConfirmed: true }), now);
    expect(done.due).toBeNull();
    expect(done.items.find((i) => i.what.startsWith('arrange an interpreter'))?.done).toBe(true);
  });
});
