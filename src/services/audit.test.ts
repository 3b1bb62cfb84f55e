import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AppError } from '../domain/errors.js';
import { groupCommitter } from '../store/group-commit.js';
import { DIALECTS, freshStore, type TestStore } from '../../test/support/stores.js';
import { verifyAuditChain } from './audit-report.js';
import { audited } from './audit.js';
import type { Services } from './context.js';

describe.each(DIALECTS)('audited use cases on %s', (dialect) => {
  let t: TestStore;
  let s: Services;
  beforeAll(async () => {
    t = await freshStore(dialect);
    s = { store: t.store, now: () => new Date() };
  });
  afterAll(async () => { await t?.cleanup(); });

  const entries = async (requestPrefix: string) => (await t.store.db.selectFrom('audit_log').select(['request_id', 'outcome', 'detail'])
    .where('request_id', 'like', `${requestPrefix}%`).orderBy('seq').execute());
  const actor = (requestId: string) => ({
    userId: 'u-audit-test', username: 'tester', displayName: 'Tester', role: 'coordinator', discipline: null,
    institutionId: 'i-audit-test', institutionName: 'Test', clientIp: '127.0.0.1', requestId,
  });

  test('reads arriving together each write their own audit entry, and on SQLite they share one durable commit', async () => {
    const before = { ...groupCommitter(t.store.db).stats };
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => audited(s, actor(`together-${i}`), { action: 'read', recordType: 'test' },
      async (tx) => (await tx.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)));
    expect(results).toHaveLength(30);
    const rows = await entries('together-');
    expect(rows).toHaveLength(30);
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(30);
    expect(rows.every((r) => r.outcome === 'success')).toBe(true);
    const after = groupCommitter(t.store.db).stats;
    if (dialect === 'sqlite') {
      // All 30 were queued in the same tick: one shared transaction (one COMMIT, one WAL fsync) instead of 30.
      expect(after.units - before.units).toBe(30);
      expect(after.batches - before.batches).toBe(1);
    } else {
      // PostgreSQL keeps a transaction per unit from its pool.
      expect(after.units - before.units).toBe(0);
    }
    expect(await verifyAuditChain(t.store.db)).toMatchObject({ ok: true });
  });

  test('a unit that fails is undone alone (its writes and its success entry), audited as an error, while the others commit', async () => {
    const now = new Date().toISOString();
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => audited(s, actor(`mixed-${i}`), { action: 'create', recordType: 'institution' },
      async (tx) => {
        await tx.insertInto('institutions').values({ id: `inst-mixed-${i}`, code: `MX${i}`, name: `Mixed ${i}`, created_at: now }).execute();
        if (i === 2) throw new AppError('validation', 'name: refused for the test', { field: 'name' });
        return i;
      })));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const saved = await t.store.db.selectFrom('institutions').select('id').where('id', 'like', 'inst-mixed-%').orderBy('id').execute();
    expect(saved.map((r) => r.id)).toEqual(['inst-mixed-0', 'inst-mixed-1', 'inst-mixed-3', 'inst-mixed-4']);
    const rows = await entries('mixed-');
    expect(rows.filter((r) => r.outcome === 'success').map((r) => r.request_id).sort()).toEqual(['mixed-0', 'mixed-1', 'mixed-3', 'mixed-4']);
    expect(rows.filter((r) => r.outcome !== 'success')).toEqual([{ request_id: 'mixed-2', outcome: 'error', detail: 'validation' }]);
    expect(await verifyAuditChain(t.store.db)).toMatchObject({ ok: true });
  });
});
