import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors.js';
import { IdempotentReplay, requestHash, type IdempotencyContext } from '../services/idempotency.js';
import { actorOf } from './app.js';
import { sendWithEtag } from './etag.js';

/** The OpenAPI description sentence of every create route that honours the header. */
export const IDEMPOTENCY_DOC = 'Honours an optional `Idempotency-Key` header (8-128 letters, digits, `-` or `_`; remembered 24 hours per user): '
  + 'a retry with the same key and the same request, on any node, answers the first response again (same status and body, '
  + 'header `Idempotent-Replay: true`) instead of creating a duplicate; the same key with a different request is 422.';

const KEY = /^[A-Za-z0-9_-]{8,128}$/;

/** Checks one `Idempotency-Key` value (the create routes here and the public referral form): malformed → 400. */
export function checkIdempotencyKey(key: string): string {
  if (!KEY.test(key)) throw new AppError('bad_request', 'Idempotency-Key: must be 8-128 letters, digits, dashes or underscores', { field: 'Idempotency-Key' });
  return key;
}

/** Reads `Idempotency-Key`: absent → undefined, malformed → 400 naming the header. */
export function idempotencyContext(req: FastifyRequest, status = 201): IdempotencyContext | undefined {
  const raw = req.headers['idempotency-key'];
  if (raw === undefined || raw === '') return undefined;
  const key = checkIdempotencyKey(Array.isArray(raw) ? raw.join(',') : raw);
  const route = `${req.method} ${req.routeOptions.url ?? ''}`;
  return { userId: actorOf(req).userId, key, route, requestHash: requestHash(route, req.params, req.body), status };
}

/**
 * Answers a create: 201 with its ETag, or, for a key already answered, the stored answer with
 * `Idempotent-Replay: true` (the service's `audited()` decides, inside the create's transaction).
 */
export async function sendCreated<T extends { version: number }>(req: FastifyRequest, reply: FastifyReply, create: (idem: IdempotencyContext | undefined) => Promise<T>): Promise<FastifyReply> {
  const idem = idempotencyContext(req);
  try {
    return sendWithEtag(reply, await create(idem), 201);
  } catch (err) {
    if (!(err instanceof IdempotentReplay)) throw err;
    const version = (err.body as { version?: unknown } | null)?.version;
    void reply.status(err.status).header('idempotent-replay', 'true');
    if (typeof version === 'number') void reply.header('etag', `W/"${version}"`);
    return reply.send(err.body);
  }
}
