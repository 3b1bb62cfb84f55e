import { createHash } from 'node:crypto';
import { AppError } from '../domain/errors.js';
import type { Tx } from '../store/db.js';
import { idempotencyRepo } from '../store/idempotency.repo.js';

/**
 * An `Idempotency-Key` on a create (issue 9 §6). `audited()` claims the key at the start of the create's
 * transaction and stores the answer at its end, so the key and the record commit together or not at all: a retry
 * after a lost answer (on this node or another) replays the first answer instead of creating a second record.
 */
export interface IdempotencyContext {
  userId: string;
  key: string;
  /** Method and route pattern. */
  route: string;
  /** SHA-256 over the route, its parameters and body ({@link requestHash}). */
  requestHash: string;
  /** The status a first create answers with (201). */
  status: number;
}

/**
 * Thrown by `audited()` (after its transaction committed the replay's audit entry) when the key was already used for
 * this very request: the caller answers with the stored status and body. Never an error for the client.
 */
export class IdempotentReplay extends Error {
  constructor(readonly status: number, readonly body: unknown) {
    super('idempotent replay');
    this.name = 'IdempotentReplay';
  }
}

/** JSON with object keys sorted, so the same request always hashes alike. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export function requestHash(route: string, params: unknown, body: unknown): string {
  return createHash('sha256').update(canonical({ route, params: params ?? null, body: body ?? null })).digest('hex');
}

/**
 * Claims the key in `tx`. Returns the replay when a committed create already answered this key; throws 422 when the
 * key was used for another request, 409 when its create has not committed (not expected: the claim waits for it).
 */
export async function claimKey(tx: Tx, idem: IdempotencyContext, now: string): Promise<IdempotentReplay | undefined> {
  const prior = await idempotencyRepo.claim(tx, { userId: idem.userId, key: idem.key, route: idem.route, requestHash: idem.requestHash, now });
  if (!prior) return undefined;
  if (prior.route !== idem.route || prior.request_hash !== idem.requestHash) {
    throw new AppError('unprocessable', 'Idempotency-Key: this key was already used for a different request; use a new key', { field: 'Idempotency-Key' });
  }
  if (prior.status_code === null || prior.response_json === null) {
    throw new AppError('conflict', 'Idempotency-Key: a request with this key is still in progress; retry shortly', { field: 'Idempotency-Key' });
  }
  return new IdempotentReplay(prior.status_code, JSON.parse(prior.response_json));
}

export async function completeKey(tx: Tx, idem: IdempotencyContext, result: unknown): Promise<void> {
  await idempotencyRepo.complete(tx, idem.userId, idem.key, idem.status, JSON.stringify(result));
}
