/**
 * The one error type: services and domain code throw it; HTTP turns it into `{ error: {…} }` with its status,
 * the CLI into exit code 2 (bad input) or 1, and FHIR into an OperationOutcome.
 */
export interface FieldIssue {
  field: string;
  message: string;
}

export const ERROR_STATUS = {
  bad_request: 400,
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  stale: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  precondition_required: 428,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly issues: FieldIssue[] | undefined;

  constructor(code: ErrorCode, message: string, opts: { field?: string; issues?: FieldIssue[] } = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.field = opts.field ?? opts.issues?.[0]?.field;
    this.issues = opts.issues;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  /** True for errors the caller can fix (the CLI exits 2 for these). */
  get isBadInput(): boolean {
    return this.status >= 400 && this.status < 500;
  }

  toJSON(): { code: ErrorCode; message: string; field?: string; issues?: FieldIssue[] } {
    return {
      code: this.code, message: this.message,
      ...(this.field ? { field: this.field } : {}),
      ...(this.issues ? { issues: this.issues } : {}),
    };
  }
}

/** Joins a zod-style path into `a.b[0].c`; the root is `(body)`. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(body)';
}

/** Turns zod issues into a validation AppError whose message names the first field. */
export function validationError(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string; code?: string; keys?: string[] }>): AppError {
  const list: FieldIssue[] = issues.map((i) => {
    // Unknown keys: name the key itself, not its parent object.
    if (i.code === 'unrecognized_keys' && i.keys?.length) {
      return { field: fieldPath([...i.path, i.keys[0]!]), message: `unknown field${i.keys.length > 1 ? `s ${i.keys.join(', ')}` : ''}` };
    }
    return { field: fieldPath(i.path), message: i.message };
  });
  const first = list[0] ?? { field: '(body)', message: 'invalid' };
  return new AppError('validation', `${first.field}: ${first.message}`, { issues: list });
}
