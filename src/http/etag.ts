import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors.js';

/** Reads `If-Match: W/"<version>"` (or `"<version>"`): missing → 428, malformed → 400 naming the header. */
export function requireIfMatch(req: FastifyRequest): number {
  const raw = req.headers['if-match'];
  if (raw === undefined || raw === '') {
    throw new AppError('precondition_required', 'If-Match: send the ETag of the version you edited', { field: 'If-Match' });
  }
  const m = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(Array.isArray(raw) ? raw[0] ?? '' : raw);
  if (!m) throw new AppError('bad_request', 'If-Match: must look like W/"3"', { field: 'If-Match' });
  return Number(m[1]);
}

export function sendWithEtag<T extends { version: number }>(reply: FastifyReply, body: T, status = 200): FastifyReply {
  return reply.status(status).header('etag', `W/"${body.version}"`).send(body);
}
