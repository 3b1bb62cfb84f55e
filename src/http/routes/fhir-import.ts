import type { Bundle, BundleEntry, OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../../domain/errors.js';
import { BundleImportError, IMPORT_LIMITS } from '../../domain/fhir/import.js';
import type { Services } from '../../services/context.js';
import { fhirImport, type ImportReport } from '../../services/fhir-import.service.js';
import { actorOf } from '../app.js';
import { RETRY_AFTER_SECONDS, toAppError } from '../errors.js';

/**
 * `POST /fhir/R4` (issue #8 item 3): a transaction (or batch/collection) Bundle in, a transaction-response Bundle
 * out, one entry per request entry with its status, the TumorBoard record it went to (`location`) and, where parts of
 * it could not be mapped, an OperationOutcome naming each element and why (or, with `Prefer: return=OperationOutcome`,
 * one OperationOutcome for the whole import). Errors are OperationOutcomes too (this
 * plugin has its own error handler); a bad bundle writes nothing. Register with `{ prefix: '/fhir/R4' }`.
 */

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

const ISSUE_CODE: Partial<Record<AppError['code'], OperationOutcomeIssue['code']>> = {
  bad_request: 'invalid', validation: 'invalid', unauthenticated: 'login', forbidden: 'forbidden', not_found: 'not-found',
  conflict: 'conflict', stale: 'conflict', payload_too_large: 'too-costly', unsupported_media_type: 'not-supported', precondition_required: 'required',
  rate_limited: 'throttled', internal: 'exception', unavailable: 'transient',
};

/** An AppError as an OperationOutcome: every located issue of a bad bundle, or the one problem. */
export function errorOutcome(err: AppError): OperationOutcome {
  const issues: OperationOutcomeIssue[] = err instanceof BundleImportError
    ? err.fhirIssues.map((i) => ({ severity: 'error', code: i.code, diagnostics: i.message, expression: [i.expression] }))
    : [{ severity: err.status >= 500 ? 'fatal' : 'error', code: ISSUE_CODE[err.code] ?? (err.status >= 500 ? 'exception' : 'invalid'), diagnostics: err.message, ...(err.field ? { expression: [err.field] } : {}) }];
  return { resourceType: 'OperationOutcome', issue: issues };
}

/** The transaction-response Bundle for an import report. */
export function transactionResponse(report: ImportReport, requestType: string | undefined): Bundle {
  const byEntry = new Map<number, OperationOutcomeIssue[]>();
  const add = (path: string, issue: OperationOutcomeIssue) => {
    const m = /^Bundle\.entry\[(\d+)\]/.exec(path);
    if (!m) return;
    const i = Number(m[1]);
    byEntry.set(i, [...(byEntry.get(i) ?? []), issue]);
  };
  for (const u of report.unmapped) add(u.path, { severity: 'warning', code: 'not-supported', diagnostics: `not imported: ${u.reason}`, expression: [u.path] });
  for (const n of report.notes) add(n.path, { severity: 'information', code: 'informational', diagnostics: n.note, expression: [n.path] });
  const entry: BundleEntry[] = report.entries.map((e) => {
    const issues = byEntry.get(e.index);
    return {
      response: {
        status: e.status,
        ...(e.location ? { location: e.location } : {}),
        ...(issues ? { outcome: { resourceType: 'OperationOutcome', issue: issues } } : {}),
      },
    };
  });
  return { resourceType: 'Bundle', type: requestType === 'batch' ? 'batch-response' : 'transaction-response', entry };
}

/**
 * The whole import as one OperationOutcome (for `Prefer: return=OperationOutcome`): a summary, then every element not
 * imported (warning) and every note (information), each with its location.
 */
export function reportOutcome(report: ImportReport): OperationOutcome {
  const c = report.counts;
  return {
    resourceType: 'OperationOutcome',
    issue: [
      { severity: 'information', code: 'informational', diagnostics: `imported: ${c.patientsCreated} patient(s) created, ${c.patientsMatched} matched by MRN, ${c.tumorsCreated} tumour(s) and ${c.casesCreated} case(s) created, ${c.tumorsMatched} tumour(s) already recorded; ${c.unmapped} element(s) not imported` },
      ...report.unmapped.map((u): OperationOutcomeIssue => ({ severity: 'warning', code: 'not-supported', diagnostics: `not imported: ${u.reason}`, expression: [u.path] })),
      ...report.notes.map((n): OperationOutcomeIssue => ({ severity: 'information', code: 'informational', diagnostics: n.note, expression: [n.path] })),
    ],
  };
}

export async function fhirImportRoutes(app: FastifyInstance, s: Services): Promise<void> {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    let e = toAppError(err);
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      e = new AppError('payload_too_large', `(body): the bundle is larger than ${IMPORT_LIMITS.maxBytes / 1048576} MB, the import limit: split it into smaller bundles`, { field: 'Bundle' });
    } else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      e = new AppError('unsupported_media_type', 'content-type: send application/fhir+json or application/json', { field: 'content-type' });
    }
    if (e.status >= 500) req.log.error({ err: { type: err.name, code: err.code, message: err.message } }, 'fhir import failed');
    if (e.code === 'unavailable') void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    void reply.status(e.status).type(FHIR_JSON).send(errorOutcome(e));
  });

  app.post('/', {
    // Sized for a 1,000-patient bundle set; a larger bundle answers 413 before it is read.
    bodyLimit: IMPORT_LIMITS.maxBytes,
    config: { permission: 'patient.write' },
    schema: { hide: true },
  }, async (req, reply) => {
    const length = Number(req.headers['content-length']);
    const report = await fhirImport.importBundle(s, actorOf(req), req.body, Number.isFinite(length) ? { byteLength: length } : {});
    if (/return=OperationOutcome/i.test(String(req.headers.prefer ?? ''))) return reply.status(200).type(FHIR_JSON).send(reportOutcome(report));
    const type = (req.body as { type?: unknown } | null)?.type;
    return reply.status(200).type(FHIR_JSON).send(transactionResponse(report, typeof type === 'string' ? type : undefined));
  });
}
