/**
 * The one way the web UI talks to the server: same-origin fetch under /api/v1, JSON in and out, and every
 * non-2xx answer turned into an ApiError carrying the server's error code, message and field issues.
 */

export const API_BASE = '/api/v1';

export interface FieldIssue {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly issues: FieldIssue[];

  constructor(status: number, code: string, message: string, field?: string, issues: FieldIssue[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.issues = issues;
  }

  /** Someone else saved the record since we read it (412). */
  get isStale(): boolean {
    return this.status === 412 || this.code === 'stale';
  }
}

export const STALE_MESSAGE = 'This record was changed by someone else — reload to see their changes';

/** Query-string values: undefined, null and '' are left out. */
export type Query = Record<string, string | number | boolean | null | undefined>;

interface RequestOptions {
  query?: Query | undefined;
  body?: unknown;
  /** The record version read earlier; sent as `If-Match: W/"<version>"`. */
  version?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Sent as `Idempotency-Key`: the server answers a repeat of the same create once (see `createWithRetry`). */
  idempotencyKey?: string | undefined;
}

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
}

function toIssues(raw: unknown): FieldIssue[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((i): i is { field: unknown; message: unknown } => typeof i === 'object' && i !== null)
    .map((i) => ({ field: String(i.field ?? ''), message: String(i.message ?? 'Invalid value') }));
}

async function toApiError(res: Response): Promise<ApiError> {
  let payload: unknown = null;
  try {
    payload = await res.json();
  } catch {
    // not JSON (proxy error page, empty body): fall through to a generic message
  }
  const err = (payload as { error?: Record<string, unknown> } | null)?.error;
  if (err && typeof err === 'object') {
    const field = typeof err.field === 'string' ? err.field : undefined;
    return new ApiError(res.status, String(err.code ?? 'error'), String(err.message ?? res.statusText), field, toIssues(err.issues));
  }
  const fallback = res.status === 412 ? STALE_MESSAGE : `The server answered ${res.status} ${res.statusText}`.trim();
  return new ApiError(res.status, res.status === 412 ? 'stale' : 'http_error', fallback);
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.version !== undefined) headers['If-Match'] = `W/"${opts.version}"`;
  if (opts.idempotencyKey !== undefined) headers['Idempotency-Key'] = opts.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? null : JSON.stringify(opts.body),
      signal: opts.signal ?? null,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'The server could not be reached. Check your connection and try again.');
  }
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * A create (POST of a new record) that survives a lost answer: one Idempotency-Key per create, and when the server
 * could not be reached or was briefly unavailable (503) the same request is sent again with the same key, so a
 * create the server had already committed is answered again instead of made twice. Other errors are not retried.
 */
export async function createWithRetry<T>(path: string, body: unknown, delaysMs: readonly number[] = [500, 2000]): Promise<T> {
  const idempotencyKey = crypto.randomUUID();
  for (let attempt = 0; ; attempt++) {
    try {
      return await request<T>('POST', path, { body: body ?? {}, idempotencyKey });
    } catch (err) {
      const transient = err instanceof ApiError && (err.status === 0 || err.status === 503);
      if (!transient || attempt >= delaysMs.length) throw err;
      await new Promise((r) => setTimeout(r, delaysMs[attempt]));
    }
  }
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  /** POST that creates a record: idempotent, retried on a lost answer (`createWithRetry`). */
  create: <T>(path: string, body: unknown) => createWithRetry<T>(path, body),
  /** POST that changes an existing versioned record (sends If-Match). */
  postVersioned: <T>(path: string, version: number, body?: unknown) => request<T>('POST', path, { body: body ?? {}, version }),
  /** PUT always carries the version read earlier (sends If-Match). */
  put: <T>(path: string, version: number, body: unknown) => request<T>('PUT', path, { body, version }),
};

/** Human-readable text for any error thrown by a query or mutation. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.isStale) return STALE_MESSAGE;
    if (err.status === 403) return err.message || 'You do not have permission to do this.';
    return err.message;
  }
  if (err instanceof Error) return err.message;
  return 'Something went wrong.';
}

/** Field paths from the server (`guardians[0].name`, `/guardians/0/name`) normalised to `guardians.0.name`. */
export function normalizeField(field: string): string {
  return field.replace(/\[(\d+)\]/g, '.$1').replace(/^[./]+/, '').replace(/\//g, '.');
}

/** Field errors keyed by normalised path, plus the issues that name no known field. */
export function fieldErrors(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  // Version conflicts are about the whole record, not a field the user can fix.
  if (!(err instanceof ApiError) || err.isStale || err.status === 428) return out;
  for (const issue of err.issues) {
    const key = normalizeField(issue.field);
    if (key && !(key in out)) out[key] = issue.message;
  }
  if (err.field && !(normalizeField(err.field) in out)) out[normalizeField(err.field)] = err.message;
  return out;
}
