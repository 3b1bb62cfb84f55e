import { describe, expect, test } from 'vitest';
import { AGENDA_ORDER, agendaRank, agendaTiming, orderAgenda, rollForward } from './agenda.js';
import { AGENDA_KINDS, type AgendaKind } from './types.js';

interface Row { id: string; kind: AgendaKind; urgent: boolean; position: number | null; addedAt: string }
let clock = 0;
const row = (id: string, kind: AgendaKind, o: Partial<Row> = {}): Row => ({
  id, kind, urgent: false, position: null, addedAt: new Date(Date.UTC(2026, 2, 1, 8, clock++)).toISOString(), ...o,
});
const ids = (rows: Row[]) => orderAgenda(rows).map((r) => r.id);

describe('AGENDA_ORDER', () => {
  test('ranks every agenda kind', () => {
    expect(Object.keys(AGENDA_ORDER).sort()).toEqual([...AGENDA_KINDS].sort());
  });

  test.each([
    ['urgent', 'new_diagnosis'], ['new_diagnosis', 'post_treatment'], ['relapse', 'post_treatment'],
    ['post_treatment', 'follow_up'],
  ] as const)('puts %s before %s', (first, then) => {
    expect(AGENDA_ORDER[first].rank).toBeLessThan(AGENDA_ORDER[then].rank);
  });

  test('ranks new diagnoses and relapses alike', () => {
    expect(AGENDA_ORDER.new_diagnosis.rank).toBe(AGENDA_ORDER.relapse.rank);
  });

  test('a follow-up flagged urgent ranks with the urgent cases', () => {
    expect(agendaRank({ kind: 'follow_up', urgent: true })).toBe(AGENDA_ORDER.urgent.rank);
  });
});

describe('orderAgenda', () => {
  test('without manual positions, orders by the table and then by when each case was added', () => {
    const rows = [
      row('fu', 'follow_up'), row('nd1', 'new_diagnosis'), row('pt', 'post_treatment'), row('rel', 'relapse'),
      row('nd2', 'new_diagnosis'), row('urg', 'urgent'), row('flagged', 'post_treatment', { urgent: true }),
    ];
    expect(ids(rows)).toEqual(['urg', 'flagged', 'nd1', 'rel', 'nd2', 'pt', 'fu']);
  });

  test('a case added earlier comes first within a rank whatever the input order', () => {
    const late = row('late', 'relapse', { addedAt: '2026-03-02T09:00:00.000Z' });
    const early = row('early', 'new_diagnosis', { addedAt: '2026-03-01T09:00:00.000Z' });
    expect(ids([late, early])).toEqual(['early', 'late']);
  });

  test('respects manual positions as given, even against the table', () => {
    const rows = [
      row('urg', 'urgent', { position: 3 }), row('fu', 'follow_up', { position: 1 }), row('nd', 'new_diagnosis', { position: 2 }),
    ];
    expect(ids(rows)).toEqual(['fu', 'nd', 'urg']);
  });

  test('merges unpositioned cases before the first arranged case the table puts after them', () => {
    const rows = [
      row('nd', 'new_diagnosis', { position: 1 }), row('fu', 'follow_up', { position: 2 }), row('pt', 'post_treatment', { position: 3 }),
      row('new-urgent', 'urgent'), row('new-relapse', 'relapse'), row('new-fu', 'follow_up'),
    ];
    expect(ids(rows)).toEqual(['new-urgent', 'nd', 'new-relapse', 'fu', 'pt', 'new-fu']);
  });

  test('keeps the arranged cases in their relative order whatever is added', () => {
    const arranged = [row('a', 'follow_up', { position: 10 }), row('b', 'urgent', { position: 20 }), row('c', 'relapse', { position: 30 })];
    const out = ids([...arranged, row('x', 'urgent'), row('y', 'post_treatment'), row('z', 'follow_up')]);
    expect(out.filter((id) => ['a', 'b', 'c'].includes(id))).toEqual(['a', 'b', 'c']);
    expect(out).toHaveLength(6);
  });

  test('does not change the input array', () => {
    const rows = [row('fu', 'follow_up'), row('urg', 'urgent')];
    orderAgenda(rows);
    expect(rows.map((r) => r.id)).toEqual(['fu', 'urg']);
  });
});

describe('agendaTiming', () => {
  const startsAt = '2026-03-10T11:00:00.000Z';

  test('plans each item to start when the one before ends', () => {
    const t = agendaTiming([{ estimatedMinutes: 10 }, { estimatedMinutes: 15 }, { estimatedMinutes: 5 }], startsAt, 60);
    expect(t.items.map((i) => i.plannedStart)).toEqual(['2026-03-10T11:00:00.000Z', '2026-03-10T11:10:00.000Z', '2026-03-10T11:25:00.000Z']);
    expect(t.items[2]!.plannedEnd).toBe('2026-03-10T11:30:00.000Z');
    expect(t).toMatchObject({ totalMinutes: 30, overruns: false, overrunMinutes: 0 });
  });

  test.each([
    [[30, 30], 60, false, 0],
    [[30, 31], 60, true, 1],
    [[45, 20, 10], 60, true, 15],
    [[], 60, false, 0],
  ] as const)('estimates %j in a %d-minute meeting overrun: %s (by %d minutes)', (estimates, capacity, overruns, by) => {
    const t = agendaTiming(estimates.map((estimatedMinutes) => ({ estimatedMinutes })), startsAt, capacity);
    expect(t.overruns).toBe(overruns);
    expect(t.overrunMinutes).toBe(by);
  });

  test('marks the items that end after the meeting does', () => {
    const t = agendaTiming([{ estimatedMinutes: 40 }, { estimatedMinutes: 20 }, { estimatedMinutes: 10 }], startsAt, 60);
    expect(t.items.map((i) => i.overruns)).toEqual([false, false, true]);
  });
});

describe('rollForward', () => {
  const item = (caseId: string, status: string, o: Partial<{ kind: AgendaKind; urgent: boolean; estimatedMinutes: number }> = {}) => ({
    caseId, status, kind: 'new_diagnosis' as AgendaKind, urgent: false, estimatedMinutes: 10, ...o,
  });

  test('carries the cases not discussed, keeping kind, urgency and estimate, without their old position', () => {
    const out = rollForward([
      item('c1', 'discussed'), item('c2', 'pending', { kind: 'relapse', urgent: true, estimatedMinutes: 25 }),
      item('c3', 'pending', { kind: 'follow_up' }), item('c4', 'withdrawn'),
    ]);
    expect(out).toEqual([
      { caseId: 'c2', kind: 'relapse', urgent: true, estimatedMinutes: 25, position: null },
      { caseId: 'c3', kind: 'follow_up', urgent: false, estimatedMinutes: 10, position: null },
    ]);
  });

  test.each(['discussed', 'withdrawn', 'deferred', 'presented'])('does not carry a %s case', (status) => {
    expect(rollForward([item('c1', status)])).toEqual([]);
  });

  test('does not carry a case already on the next agenda, nor the same case twice', () => {
    expect(rollForward([item('c1', 'pending'), item('c2', 'pending'), item('c2', 'pending')], ['c1']).map((i) => i.caseId))
      .toEqual(['c2']);
  });
});
