import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, validationError } from '../domain/errors.js';
import { isDatabaseUnavailable } from '../store/db.js';

interface ValidationItem { instancePath?: string; message?: string; keyword?: string; params?: Record<string, unknown> }

function toPath(context: string | undefined, instancePath: string | undefined): Array<string | number> {
  const parts = (instancePath ?? '').split('/').filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  // Body fields are named as they are; query and path parameters keep their prefix so the caller knows where.
  return context && context !== 'body' ? [context, ...parts] : parts;
}

/** Maps any error to `{ error: {…} }`: never a stack trace, never a 5xx for the caller's mistakes. */
export function toAppError(err: FastifyError | AppError | Error): AppError {
  if (err instanceof AppError) return err;
  // PostgreSQL down or restarting, a lost connection: 503, and the client retries (with its Idempotency-Key).
  if (isDatabaseUnavailable(err)) return new AppError('unavailable', 'the database is unavailable; retry in a few seconds');
  const fe = err as FastifyError & { validation?: ValidationItem[]; validationContext?: string };
  if (Array.isArray(fe.validation)) {
    return validationError(fe.validation.map((v) => ({
      path: toPath(fe.validationContext, v.instancePath), message: v.message ?? 'invalid', code: v.keyword,
      keys: v.params?.keys as string[] | undefined,
    })));
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('bad_request', `(body): ${fe.message.replace(/^Body is not valid JSON but content-type is set to 'application\/json'$/, 'is not valid JSON')}`, { field: '(body)' });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', '(body): request body is too large', { field: '(body)' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return unsupportedMediaType();
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('bad_request', 'content-length: does not match the body', { field: 'content-length' });
    default:
      break;
  }
  if (err instanceof SyntaxError || /prototype|__proto__|constructor/i.test(err.message) && fe.statusCode === 400) {
    return new AppError('bad_request', '(body): is not valid JSON or contains a forbidden key (__proto__/constructor)', { field: '(body)' });
  }
  if (fe.statusCode === 429) return new AppError('rate_limited', 'too many requests: slow down and retry later');
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return new AppError('bad_request', fe.message);
  return new AppError('internal', 'internal error');
}

/** 415 for a body in a type the route does not read (JSON routes read application/json and +json types only). */
export function unsupportedMediaType(): AppError {
  return new AppError('unsupported_media_type', 'content-type: send application/json', { field: 'content-type' });
}

/** A byte count as people read it ("256 KB", "20 MB"). */
function formatLimit(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

/** Seconds a client waits before retrying a 503 (PostgreSQL restarts in a few seconds). */
export const RETRY_AFTER_SECONDS = 2;

export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  let app = toAppError(err);
  if (app.code === 'payload_too_large' && err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    // Name the route's own limit (JSON API default, larger for imports and attachments).
    const limit = req.routeOptions.bodyLimit ?? req.server.initialConfig.bodyLimit;
    app = new AppError('payload_too_large', `(body): request body is larger than this route's limit of ${formatLimit(limit ?? 0)}`, { field: '(body)' });
  }
  if (app.status >= 500) {
    // The details go to the log only (never the body, never request bodies, which may hold patient data): error
    // type, code, message and stack, with the request id that the caller also receives.
    // (Not under `err`: pino's error serializer would copy every property, such as a driver's `detail` with row values.)
    req.log.error({ failure: { type: err.name, code: (err as FastifyError).code, message: err.message, stack: err.stack } }, 'request failed');
    // Unavailable is temporary: say when to try again (the server recovers by itself once the database is back).
    if (app.code === 'unavailable') void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    void reply.status(app.status).send({ error: { code: app.code, message: app.code === 'internal' ? 'internal error' : app.message, requestId: req.id } });
    return;
  }
  void reply.status(app.status).send({ error: app.toJSON() });
}
