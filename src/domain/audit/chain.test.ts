import { describe, expect, test } from 'vitest';
import { canonicalEntry, chainAnchor, chainHashes, entryHash, GENESIS_HASH, verifyChain, type ChainContent, type ChainRow } from './chain.js';

function content(seq: number, over: Partial<ChainContent> = {}): ChainContent {
  return {
    seq, chain: 0, chainSeq: seq, id: `id-${seq}`, at: `2026-01-01T00:00:${String(seq % 60).padStart(2, '0')}.000Z`, userId: 'u1', username: 'coordinator',
    role: 'coordinator', institutionId: 'inst-1', action: 'read', recordType: 'patient', recordId: `p${seq}`,
    patientId: `p${seq}`, outcome: 'success', clientIp: '127.0.0.1', requestId: `req-${seq}`, detail: null, ...over,
  };
}

/** A valid single chain of `n` entries, seq 1..n (the SQLite shape). */
function chain(n: number): ChainRow[] {
  const entries = Array.from({ length: n }, (_, i) => content(i + 1));
  const links = chainHashes(entries);
  return entries.map((e, i) => ({ ...e, ...links[i]! }));
}

/**
 * A valid striped log (the PostgreSQL shape): seq 1..n spread over `k` chains in a fixed shuffled pattern, each
 * chain numbered 1, 2, … and linked on its own; some seqs skipped (rolled-back appends), listed in `skip`.
 */
function striped(n: number, k = 3, skip: number[] = []): ChainRow[] {
  const pos = new Array<number>(k).fill(0);
  const prev = new Array<string>(k).fill(GENESIS_HASH);
  const out: ChainRow[] = [];
  for (let seq = 1; seq <= n; seq++) {
    if (skip.includes(seq)) continue;
    const c = (seq * 7 + (seq >> 2)) % k;
    const e = content(seq, { chain: c, chainSeq: ++pos[c]! });
    const hash = entryHash(prev[c]!, e);
    out.push({ ...e, prevHash: prev[c]!, hash });
    prev[c] = hash;
  }
  return out;
}

const inChain = (rows: ChainRow[], c: number) => rows.filter((r) => r.chain === c);

describe('canonical serialization', () => {
  test('the same entry always serializes to the same bytes, whatever the key order', () => {
    const a = content(3);
    const b = Object.fromEntries(Object.entries(a).reverse()) as unknown as ChainContent;
    expect(canonicalEntry(b)).toBe(canonicalEntry(a));
  });

  test('every ASTM E2147 field and the entry\'s place (seq, chain, chain_seq) take part in the hash', () => {
    const base = content(1);
    const h = entryHash(GENESIS_HASH, base);
    for (const key of Object.keys(base) as Array<keyof ChainContent>) {
      const changed = { ...base, [key]: typeof base[key] === 'number' ? (base[key] as number) + 1 : `${String(base[key])}x` };
      expect(entryHash(GENESIS_HASH, changed), key).not.toBe(h);
    }
  });

  test('null and the text "null" hash differently', () => {
    expect(entryHash(GENESIS_HASH, content(1, { detail: null }))).not.toBe(entryHash(GENESIS_HASH, content(1, { detail: 'null' })));
  });

  test('the hash is sha256 of the previous hash followed by the canonical entry, in hex', () => {
    expect(entryHash(GENESIS_HASH, content(1))).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash('a'.repeat(64), content(1))).not.toBe(entryHash(GENESIS_HASH, content(1)));
  });
});

describe('verifyChain on a single chain', () => {
  test('an intact chain verifies and reports how many entries it checked, its head and an anchor', () => {
    const rows = chain(10);
    const v = verifyChain(rows);
    expect(v).toEqual({ ok: true, count: 10, chains: 1, heads: [{ chain: 0, chainSeq: 10, seq: 10, hash: rows[9]!.hash }], headSeq: 10, anchor: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(v.ok && v.anchor).toBe(chainAnchor([{ chain: 0, chainSeq: 10, seq: 10, hash: rows[9]!.hash! }]));
  });

  test('an empty log verifies with zero entries', () => {
    expect(verifyChain([])).toEqual({ ok: true, count: 0, chains: 0, heads: [], headSeq: null, anchor: GENESIS_HASH });
  });

  test('gaps in the global seq (rolled-back appends) are not breaks when the chain positions are whole', () => {
    const entries = [content(2, { chainSeq: 1 }), content(3, { chainSeq: 2 }), content(7, { chainSeq: 3 }), content(8, { chainSeq: 4 })];
    const links = chainHashes(entries);
    expect(verifyChain(entries.map((e, i) => ({ ...e, ...links[i]! })))).toMatchObject({ ok: true, count: 4 });
  });

  test('the order the rows are handed over in does not matter', () => {
    const rows = chain(6);
    expect(verifyChain([rows[3]!, rows[0]!, rows[5]!, rows[2]!, rows[1]!, rows[4]!])).toMatchObject({ ok: true, count: 6 });
  });

  test.each([1, 5, 10])('an altered field in entry %d is caught at that entry', (seq) => {
    const rows = chain(10);
    rows[seq - 1] = { ...rows[seq - 1]!, outcome: 'denied' };
    expect(verifyChain(rows)).toMatchObject({ ok: false, seq, why: 'altered', count: seq - 1 });
  });

  test('an altered entry whose own hash was recomputed is caught at that entry (the next one no longer links to it)', () => {
    const rows = chain(10);
    const forged = { ...rows[4]!, username: 'someone-else' };
    rows[4] = { ...forged, hash: entryHash(forged.prevHash!, forged as ChainContent) };
    expect(verifyChain(rows)).toMatchObject({ ok: false, seq: 5, why: 'altered' });
  });

  test('an erased hash or chain position is caught at that entry', () => {
    const rows = chain(4);
    expect(verifyChain(rows.map((r) => (r.seq === 3 ? { ...r, hash: null } : r)))).toMatchObject({ ok: false, seq: 3, why: 'altered' });
    expect(verifyChain(rows.map((r) => (r.seq === 2 ? { ...r, chainSeq: null } : r)))).toMatchObject({ ok: false, seq: 2, why: 'altered' });
    expect(verifyChain(rows.map((r) => (r.seq === 2 ? { ...r, chain: 42 } : r)))).toMatchObject({ ok: false, seq: 2, why: 'altered' });
  });

  test.each([[1], [4], [9]])('a removed entry %d is named as removed', (seq) => {
    const rows = chain(10).filter((r) => r.seq !== seq);
    expect(verifyChain(rows)).toMatchObject({ ok: false, seq, chain: 0, chainSeq: seq, why: 'removed' });
  });

  test('several removed entries in a row name the first one and the range', () => {
    const rows = chain(10).filter((r) => r.seq < 4 || r.seq > 6);
    const v = verifyChain(rows);
    expect(v).toMatchObject({ ok: false, seq: 4, why: 'removed', count: 3 });
    expect(v.ok === false && v.message).toContain('4–6');
  });

  test('a removed entry hidden by renumbering the rest is still caught where the chain breaks', () => {
    const rows = chain(10).filter((r) => r.seq !== 6).map((r, i) => ({ ...r, seq: i + 1, chainSeq: i + 1 }));
    expect(verifyChain(rows)).toMatchObject({ ok: false, seq: 6, why: 'altered', count: 5 });
  });

  test('two entries that swapped places are reported as reordered at the first of them', () => {
    const rows = chain(10);
    const a = rows[3]!; const b = rows[4]!;
    rows[3] = { ...b, seq: 4, chainSeq: 4 };
    rows[4] = { ...a, seq: 5, chainSeq: 5 };
    expect(verifyChain(rows)).toMatchObject({ ok: false, seq: 4, why: 'reordered', count: 3 });
  });

  test('an entry whose seq was moved before its predecessor\'s is reported as reordered', () => {
    const rows = chain(5);
    rows[2] = { ...rows[2]!, seq: 0 };
    expect(verifyChain(rows)).toMatchObject({ ok: false, seq: 0, why: 'reordered' });
  });

  test('an entry inserted with a correct link (the rest renumbered) is named as inserted', () => {
    const rows = chain(10);
    const forged = { ...content(6, { id: 'forged', username: 'intruder' }), prevHash: rows[4]!.hash };
    const inserted: ChainRow = { ...forged, hash: entryHash(forged.prevHash!, forged) };
    const tampered = [...rows.slice(0, 5), inserted, ...rows.slice(5).map((r) => ({ ...r, seq: r.seq + 1, chainSeq: r.chainSeq! + 1 }))];
    expect(verifyChain(tampered)).toMatchObject({ ok: false, seq: 6, why: 'inserted', count: 5 });
  });

  test('an entry inserted with a made-up link is named as inserted', () => {
    const rows = chain(10);
    const forged = { ...content(6, { id: 'forged' }), prevHash: 'f'.repeat(64) };
    const inserted: ChainRow = { ...forged, hash: entryHash(forged.prevHash!, forged) };
    const tampered = [...rows.slice(0, 5), inserted, ...rows.slice(5).map((r) => ({ ...r, seq: r.seq + 1, chainSeq: r.chainSeq! + 1 }))];
    expect(verifyChain(tampered)).toMatchObject({ ok: false, seq: 6, why: 'inserted' });
  });

  test('a forged entry claiming an existing place (a fork) is named as inserted', () => {
    const rows = chain(6);
    const forged = { ...content(11, { id: 'forged', chainSeq: 4 }), prevHash: rows[2]!.hash };
    const fork: ChainRow = { ...forged, hash: entryHash(forged.prevHash!, forged) };
    expect(verifyChain([...rows, fork])).toMatchObject({ ok: false, seq: 11, why: 'inserted' });
  });

  test('two entries carrying the same seq are caught', () => {
    const rows = chain(4);
    expect(verifyChain([...rows, { ...rows[1]!, chainSeq: 5, prevHash: rows[3]!.hash }])).toMatchObject({ ok: false, seq: 2, why: 'inserted' });
  });

  test('an entry appended after the head with a wrong link is caught', () => {
    const rows = chain(3);
    const extra = { ...content(4), prevHash: GENESIS_HASH };
    expect(verifyChain([...rows, { ...extra, hash: entryHash(GENESIS_HASH, extra) }])).toMatchObject({ ok: false, why: 'altered' });
  });
});

describe('verifyChain on a striped log (parallel chains)', () => {
  test('an intact striped log with seq gaps verifies, counting every entry and reporting every chain\'s head', () => {
    const rows = striped(40, 3, [9, 17]);
    const v = verifyChain(rows);
    expect(v).toMatchObject({ ok: true, count: 38, chains: 3, headSeq: 40 });
    expect(v.ok && v.heads.map((h) => h.chain)).toEqual([0, 1, 2]);
    for (const h of v.ok ? v.heads : []) expect(h.chainSeq).toBe(inChain(rows, h.chain).length);
  });

  test('the anchor changes when any chain\'s head changes', () => {
    const rows = striped(30);
    const a = verifyChain(rows);
    const b = verifyChain(rows.filter((r) => r.seq !== 30));
    expect(a.ok && b.ok && a.anchor !== b.anchor).toBe(true);
  });

  test('an altered entry inside one chain is named by its global seq, the other chains still counted', () => {
    const rows = striped(30);
    const victim = inChain(rows, 1)[4]!;
    const v = verifyChain(rows.map((r) => (r.seq === victim.seq ? { ...r, patientId: 'someone-else' } : r)));
    expect(v).toMatchObject({ ok: false, seq: victim.seq, chain: 1, chainSeq: 5, why: 'altered' });
    expect(v.count).toBe(rows.length - (inChain(rows, 1).length - 4));
  });

  test('a removed entry is named by its seq when no other seq is missing around it', () => {
    const rows = striped(30);
    const victim = inChain(rows, 2)[3]!;
    expect(verifyChain(rows.filter((r) => r.seq !== victim.seq))).toMatchObject({ ok: false, seq: victim.seq, chain: 2, chainSeq: 4, why: 'removed' });
  });

  test('a removed entry among rolled-back seqs is named by the entry after the gap in its chain', () => {
    const c0 = inChain(striped(30), 0);
    const victim = c0[2]!;
    const next = c0[3]!;
    const skip = Array.from({ length: next.seq - victim.seq - 1 }, (_, i) => victim.seq + 1 + i).filter((s) => s % 3 !== 2).slice(0, 1);
    const rows = striped(30, 3, skip.length ? skip : [victim.seq - 1]);
    const cc = inChain(rows, victim.chain!);
    const v = verifyChain(rows.filter((r) => r.seq !== cc[2]!.seq));
    expect(v).toMatchObject({ ok: false, chain: 0, why: 'removed' });
    expect([cc[2]!.seq, cc[3]!.seq]).toContain(v.ok === false && v.seq);
  });

  test('the first break across chains is the one with the lowest seq', () => {
    const rows = striped(30);
    const late = inChain(rows, 0)[6]!;
    const early = inChain(rows, 2)[1]!;
    const v = verifyChain(rows.map((r) => (r.seq === late.seq || r.seq === early.seq ? { ...r, detail: 'x' } : r)));
    expect(v).toMatchObject({ ok: false, seq: Math.min(late.seq, early.seq), why: 'altered' });
  });

  test('two entries of one chain that swapped places are reported as reordered', () => {
    const rows = striped(30);
    const [a, b] = [inChain(rows, 1)[2]!, inChain(rows, 1)[3]!];
    const v = verifyChain(rows.map((r) => (r.seq === a.seq ? { ...b, seq: a.seq, chainSeq: a.chainSeq } : r.seq === b.seq ? { ...a, seq: b.seq, chainSeq: b.chainSeq } : r)));
    expect(v).toMatchObject({ ok: false, seq: a.seq, why: 'reordered' });
  });

  test('an entry moved from one chain to another breaks both and is caught at it', () => {
    const rows = striped(30);
    const victim = inChain(rows, 1)[2]!;
    const v = verifyChain(rows.map((r) => (r.seq === victim.seq ? { ...r, chain: 2 } : r)));
    expect(v).toMatchObject({ ok: false, seq: victim.seq });
  });

  test('entries of two chains that swapped places across the stripes are caught at the first', () => {
    const rows = striped(30);
    const [a, b] = [inChain(rows, 0)[3]!, inChain(rows, 2)[3]!];
    const v = verifyChain(rows.map((r) => (r.seq === a.seq ? { ...b, seq: a.seq, chain: a.chain, chainSeq: a.chainSeq } : r.seq === b.seq ? { ...a, seq: b.seq, chain: b.chain, chainSeq: b.chainSeq } : r)));
    expect(v).toMatchObject({ ok: false, seq: Math.min(a.seq, b.seq) });
  });

  test('an entry inserted into one chain with a correct link is named as inserted', () => {
    const rows = striped(30);
    const c1 = inChain(rows, 1);
    const at = c1[3]!;
    const forged = { ...content(at.seq, { id: 'forged', chain: 1, chainSeq: at.chainSeq! }), prevHash: c1[2]!.hash };
    const inserted: ChainRow = { ...forged, hash: entryHash(forged.prevHash!, forged) };
    const tampered = [...rows.filter((r) => r.chain !== 1 || r.chainSeq! < at.chainSeq!), inserted,
      ...c1.slice(3).map((r) => ({ ...r, seq: r.seq + 100, chainSeq: r.chainSeq! + 1 }))];
    expect(verifyChain(tampered)).toMatchObject({ ok: false, seq: at.seq, chain: 1, why: 'inserted' });
  });
});
