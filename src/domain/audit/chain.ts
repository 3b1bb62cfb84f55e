import { createHash } from 'node:crypto';

/**
 * The audit log's hash chains (issue #9 item 3): each entry carries the hash of the one before it in its chain, so
 * altering, removing, inserting or reordering an entry breaks a chain at that entry and `tumorboard audit verify`
 * names it.
 *
 * Striping: the log is a small fixed number of parallel chains (`chain` 0..K-1), each numbered by its own
 * `chain_seq` 1, 2, …, so appenders on different chains do not wait for each other (PostgreSQL, K = 8); SQLite has a
 * single writer and uses one chain (K = 1). The global `seq` still orders the whole log: within a chain it only
 * grows, and it may have gaps (a rolled-back append on PostgreSQL consumes a sequence value). A removal therefore
 * shows as a gap in `chain_seq`, not in `seq`.
 *
 * Content per ASTM E2147 (audit and disclosure logs for health information): who (user id, username, role), what
 * (record type and id), when, where (client address, request id, institution), which patient, the action, its
 * outcome, and a non-identifying detail. `seq`, `chain` and `chain_seq` are part of the hashed content, so
 * renumbering or moving an entry to another chain is detected too.
 *
 * A chain without a secret cannot stop someone with write access from rewriting a whole tail consistently, nor reveal
 * that the newest entries were cut off: `verify` prints an anchor (a hash over every chain's head) so an operator can
 * keep it elsewhere (a daily anchor) and compare.
 */

/** The `prev_hash` of the first entry of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** The most chains a log may use; an entry claiming another chain number was not written by the app. */
export const MAX_CHAINS = 8;

/** Marks the serialization format; a future format change names a new version instead of breaking old chains. */
const FORMAT = 'tb-audit-v2';

/** One audit entry's own content (ASTM E2147): who, role, institution, what, which record and patient, outcome, when, from where. */
export interface AuditFields {
  id: string;
  at: string;
  userId: string | null;
  username: string | null;
  role: string | null;
  institutionId: string | null;
  action: string;
  recordType: string;
  recordId: string | null;
  patientId: string | null;
  outcome: string;
  clientIp: string | null;
  requestId: string | null;
  /** Non-identifying detail (e.g. the number of results, the fields changed). Never names or free text. */
  detail: string | null;
}

/** The fields that are hashed: the entry's content and its position in the log. */
export interface ChainContent extends AuditFields {
  seq: number;
  /** Which of the parallel chains (0..K-1) the entry belongs to. */
  chain: number;
  /** The entry's position in its chain: 1, 2, … without gaps. */
  chainSeq: number;
}

/** A stored entry as verification sees it (the chain position may be missing if it was written outside the app). */
export interface ChainRow extends Omit<ChainContent, 'chain' | 'chainSeq'> {
  chain: number | null;
  chainSeq: number | null;
  prevHash: string | null;
  hash: string | null;
}

/**
 * Canonical serialization: a JSON array in a fixed field order (position, who, what, when, where, patient, action,
 * outcome, detail), so the bytes hashed never depend on object key order or on the database driver.
 */
export function canonicalEntry(e: ChainContent): string {
  return JSON.stringify([
    FORMAT, e.seq, e.chain, e.chainSeq, e.id,
    e.userId, e.username, e.role, // who
    e.recordType, e.recordId, // what
    e.at, // when
    e.clientIp, e.requestId, e.institutionId, // where
    e.patientId, e.action, e.outcome, e.detail,
  ]);
}

/** `sha256(prev_hash || canonical)` as lower-case hex. */
export function entryHash(prevHash: string, e: ChainContent): string {
  return createHash('sha256').update(prevHash, 'utf8').update(canonicalEntry(e), 'utf8').digest('hex');
}

export type ChainBreak = 'altered' | 'removed' | 'inserted' | 'reordered';

/** The newest entry of one chain. */
export interface ChainHead { chain: number; chainSeq: number; seq: number; hash: string }

export type ChainVerdict =
  | { ok: true; count: number; chains: number; heads: ChainHead[]; headSeq: number | null; anchor: string }
  | { ok: false; count: number; seq: number; chain: number | null; chainSeq: number | null; why: ChainBreak; message: string };

type Break = Extract<ChainVerdict, { ok: false }>;

/**
 * One hash over every chain's head (chain number, position, hash), for an operator to keep elsewhere: a log cut
 * back or rewritten from some point on no longer reproduces it. `GENESIS_HASH` for an empty log.
 */
export function chainAnchor(heads: readonly ChainHead[]): string {
  if (heads.length === 0) return GENESIS_HASH;
  const h = createHash('sha256').update(`${FORMAT}-anchor`, 'utf8');
  for (const x of [...heads].sort((a, b) => a.chain - b.chain)) h.update(`\n${x.chain}:${x.chainSeq}:${x.hash}`, 'utf8');
  return h.digest('hex');
}

/**
 * Checks the whole log, given in any order. Every entry must have a chain in 0..MAX_CHAINS-1 and a position; no two
 * entries may share a global `seq` or a (chain, chain_seq); and each chain, in chain_seq order, must link from the
 * genesis hash through every entry's hash with positions 1, 2, … and a growing `seq`. Returns the number of entries
 * checked, or the first bad entry (the lowest global seq among the breaks found) and why:
 * - `altered`: the entry's content (or its recorded hash) no longer matches its hash, or the entry before it in its
 *   chain was changed and re-hashed so this entry's link no longer finds it;
 * - `removed`: entries are missing from a chain (a gap in chain_seq where the link is broken); the missing entry's
 *   seq is named when the gap pins it down (exactly as many seqs absent from the log between its neighbours as
 *   positions missing), otherwise the entry after the gap is;
 * - `inserted`: an entry that its chain does not link through was slipped in, or it duplicates a seq or a position;
 * - `reordered`: the entry links to an entry that comes after it, or its seq is lower than its predecessor's.
 * `count` is the number of entries verified: all of them when intact, otherwise those before each chain's first break.
 */
export function verifyChain(rows: readonly ChainRow[]): ChainVerdict {
  const breaks: Break[] = [];
  let count = 0;
  const seqs = rows.map((r) => r.seq).sort((a, b) => a - b);
  for (let i = 1; i < seqs.length; i++) {
    if (seqs[i] === seqs[i - 1]) {
      breaks.push(brk(seqs[i]!, null, null, 'inserted', `two entries carry seq ${seqs[i]}`, 0));
      break;
    }
  }
  const byChain = new Map<number, ChainRow[]>();
  for (const r of rows) {
    if (r.chain === null || !Number.isInteger(r.chain) || r.chain < 0 || r.chain >= MAX_CHAINS) {
      breaks.push(brk(r.seq, r.chain, r.chainSeq, 'altered', `entry ${r.seq} claims chain ${String(r.chain)}, which the log does not have`, 0));
    } else if (r.chainSeq === null || !Number.isInteger(r.chainSeq) || r.chainSeq < 1) {
      breaks.push(brk(r.seq, r.chain, r.chainSeq, 'altered', `entry ${r.seq} has no position in chain ${r.chain}`, 0));
    } else {
      let list = byChain.get(r.chain);
      if (!list) byChain.set(r.chain, (list = []));
      list.push(r);
    }
  }
  const heads: ChainHead[] = [];
  for (const [chain, list] of [...byChain].sort((a, b) => a[0] - b[0])) {
    list.sort((a, b) => a.chainSeq! - b.chainSeq! || a.seq - b.seq);
    const v = verifyOne(chain, list, seqs);
    count += v.count;
    if ('why' in v) breaks.push(v);
    else if (v.head) heads.push(v.head);
  }
  if (breaks.length > 0) {
    const first = breaks.reduce((a, b) => (b.seq < a.seq ? b : a));
    return { ...first, count };
  }
  const headSeq = heads.length ? Math.max(...heads.map((h) => h.seq)) : null;
  return { ok: true, count, chains: heads.length, heads, headSeq, anchor: chainAnchor(heads) };
}

function brk(seq: number, chain: number | null, chainSeq: number | null, why: ChainBreak, message: string, count: number): Break {
  return { ok: false, count, seq, chain, chainSeq, why, message };
}

/** How many values of `sorted` lie strictly between lo and hi (binary search). */
function presentBetween(sorted: readonly number[], lo: number, hi: number): number {
  const lowerBound = (x: number) => { let a = 0; let b = sorted.length; while (a < b) { const m = (a + b) >> 1; if (sorted[m]! < x) a = m + 1; else b = m; } return a; };
  return Math.max(0, lowerBound(hi) - lowerBound(lo + 1));
}

/** The missing seqs strictly between lo and hi when exactly `missing` of them are absent from the log, else null. */
function pinMissing(sorted: readonly number[], lo: number, hi: number, missing: number): number[] | null {
  const absent = (hi - lo - 1) - presentBetween(sorted, lo, hi);
  if (absent !== missing) return null;
  const present = new Set(sorted.filter((s) => s > lo && s < hi));
  const out: number[] = [];
  for (let s = lo + 1; s < hi && out.length < missing; s++) if (!present.has(s)) out.push(s);
  return out;
}

/** Walks one chain (sorted by chain_seq); `seqs` is every seq in the log, sorted. */
function verifyOne(chain: number, rows: readonly ChainRow[], seqs: readonly number[]): { count: number; head: ChainHead | null } | Break {
  const where = (r: ChainRow) => `entry ${r.seq} (chain ${chain} #${r.chainSeq})`;
  const indexOf = new Map<string, number>();
  rows.forEach((r, i) => { if (r.hash) indexOf.set(r.hash, i); });
  let prevHash = GENESIS_HASH;
  let expected = 1;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const prev = i > 0 ? rows[i - 1]! : undefined;
    const next = rows[i + 1];
    const fail = (at: ChainRow, why: ChainBreak, message: string, n = i): Break => brk(at.seq, chain, at.chainSeq, why, message, n);
    if (!r.hash || !r.prevHash) return fail(r, 'altered', `${where(r)} has no hash (written outside the chain or its hash was erased)`);
    if (prev && r.chainSeq === prev.chainSeq) {
      // Two entries claim one place: the one the next entry links through is the original.
      return next && next.prevHash === r.hash && r.prevHash === prev.prevHash
        ? fail(prev, 'inserted', `${where(prev)} takes the place of ${where(r)}, which the chain links through`, i - 1)
        : fail(r, 'inserted', `${where(r)} claims the place of entry ${prev.seq}`);
    }
    if (r.prevHash !== prevHash) {
      const j = indexOf.get(r.prevHash);
      if (j !== undefined && j > i) return fail(r, 'reordered', `${where(r)} links to entry ${rows[j]!.seq}, which comes after it`);
      if (next && next.prevHash === prevHash) return fail(r, 'inserted', `${where(r)} was inserted: entry ${next.seq} links past it`);
      if (j !== undefined && j < i - 1) {
        const ins = rows[j + 1]!;
        return fail(ins, 'inserted', `${where(ins)} was inserted: entry ${r.seq} links to entry ${rows[j]!.seq}`, j + 1);
      }
      if (r.chainSeq! > expected) {
        const n = r.chainSeq! - expected;
        const positions = `#${expected}${n > 1 ? `–${r.chainSeq! - 1}` : ''}`;
        const pinned = pinMissing(seqs, prev?.seq ?? 0, r.seq, n);
        if (pinned) {
          const first = pinned[0]!;
          const last = pinned[pinned.length - 1]!;
          const named = last === first ? `${first}` : last - first + 1 === pinned.length ? `${first}–${last}` : pinned.join(', ');
          return brk(first, chain, expected, 'removed', `entry ${named} missing (chain ${chain} ${positions}): ${where(r)} links to an entry that is no longer there`, i);
        }
        return fail(r, 'removed', `chain ${chain} ${positions} missing: ${where(r)} links to an entry that is no longer there`);
      }
      if (!prev) return fail(r, 'altered', `${where(r)} does not start chain ${chain} (its link was changed)`);
      if (entryHash(r.prevHash, r as ChainContent) !== r.hash) return fail(r, 'altered', `${where(r)} neither links to entry ${prev.seq} nor matches its own hash (it was changed or moved here)`);
      return fail(prev, 'altered', `${where(prev)} was changed and re-hashed: entry ${r.seq} recorded a different hash for it`, i - 1);
    }
    if (prev && r.seq <= prev.seq) return fail(r, 'reordered', `${where(r)} follows entry ${prev.seq} in its chain but has a lower seq`);
    if (entryHash(r.prevHash, r as ChainContent) !== r.hash) return fail(r, 'altered', `${where(r)} does not match its hash (its content was changed)`);
    if (r.chainSeq !== expected) return fail(r, 'altered', `${where(r)} should be #${expected} of its chain`);
    prevHash = r.hash;
    expected++;
  }
  const last = rows[rows.length - 1];
  return { count: rows.length, head: last ? { chain, chainSeq: last.chainSeq!, seq: last.seq, hash: last.hash! } : null };
}

/**
 * Links entries of one chain (in chain_seq order) after `prevHash`: the hashes to store, in the same order. The
 * entries carry their chain and chain_seq already.
 */
export function chainHashes(entries: readonly ChainContent[], prevHash = GENESIS_HASH): Array<{ prevHash: string; hash: string }> {
  const out: Array<{ prevHash: string; hash: string }> = [];
  for (const e of entries) {
    const hash = entryHash(prevHash, e);
    out.push({ prevHash, hash });
    prevHash = hash;
  }
  return out;
}
