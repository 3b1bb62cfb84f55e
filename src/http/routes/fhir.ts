import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.js';
import { capabilityStatement } from '../../domain/fhir/capability.js';
import { BULK_TYPES, parseKickoff } from '../../domain/fhir/bulk.js';
import { isRestType, operationOutcome } from '../../domain/fhir/search.js';
import type { Services } from '../../services/context.js';
import { closeBulkExports, fhirBulkService } from '../../services/fhir-bulk.service.js';
import { fhirService } from '../../services/fhir.service.js';
import { actorOf } from '../app.js';
import { RETRY_AFTER_SECONDS, toAppError } from '../errors.js';

/**
 * The read-only FHIR R4 REST API (issue #8 item 4), registered with `{ prefix: '/fhir/R4' }`: `metadata` (public),
 * `Patient/:id/$everything`, read by id, and search (searchset Bundles). Answers are `application/fhir+json`; every
 * error is an OperationOutcome with the right status (this plugin's own error handler), never a 5xx for bad input.
 * Authentication (session cookie, or `Authorization: Bearer <session token>`) and the `patient.read` permission are
 * checked by the app's onRequest hook; the service scopes every read to the actor's institution and audits it.
 */

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const VERSION = '0.1.0';

/** Types that may be read by id: every type `$everything` returns (the searchable five among them). */
const READABLE: ReadonlySet<string> = new Set(BULK_TYPES);

const ID_RE = /^[A-Za-z0-9.-]{1,64}$/;

function origin(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`;
}

function baseUrl(req: FastifyRequest): string {
  return `${origin(req)}/fhir/R4`;
}

function send(reply: FastifyReply, body: unknown, status = 200): FastifyReply {
  return reply.status(status).type(FHIR_JSON).send(body);
}

function checkId(id: string): void {
  if (!ID_RE.test(id)) throw new AppError('validation', `id: ${JSON.stringify(id.slice(0, 80))} is not a FHIR id (1-64 letters, digits, - or .)`, { field: 'id' });
}

export async function fhirRoutes(app: FastifyInstance, s: Services): Promise<void> {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const e = toAppError(err);
    if (e.status >= 500) req.log.error({ err: { type: err.name, code: err.code, message: err.message } }, 'fhir request failed');
    if (e.code === 'unavailable') void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    void send(reply, operationOutcome(e), e.status);
  });

  // Bulk exports in progress finish, and their validation workers stop, before the app is closed.
  app.addHook('onClose', async () => { await closeBulkExports(); });

  app.get('/metadata', { config: { public: true }, schema: { hide: true } }, async (req, reply) =>
    send(reply, capabilityStatement({ baseUrl: baseUrl(req), date: s.now().toISOString(), version: VERSION })));

  app.get<{ Params: { id: string } }>('/Patient/:id/$everything', { config: { permission: 'patient.read' }, schema: { hide: true } }, async (req, reply) => {
    checkId(req.params.id);
    return send(reply, await fhirService.exportPatient(s, actorOf(req), req.params.id, { baseUrl: baseUrl(req), type: 'searchset' }));
  });

  // Bulk Data export (FHIR Bulk Data Access IG v2): kick-off, status polling, files, delete. Static segments win over
  // the parametric read routes below.
  app.get<{ Querystring: Record<string, unknown> }>('/Patient/$export', { config: { permission: 'fhir.bulk' }, schema: { hide: true } }, async (req, reply) => {
    const prefer = req.headers.prefer;
    const kickoff = parseKickoff(req.query, Array.isArray(prefer) ? prefer.join(', ') : prefer);
    const id = await fhirBulkService.kickOff(s, actorOf(req), { ...kickoff, requestUrl: `${origin(req)}${req.url}`, baseUrl: baseUrl(req) });
    return reply.status(202).header('content-location', `${baseUrl(req)}/$export-status/${id}`).type(FHIR_JSON).send({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'information', code: 'informational', diagnostics: 'export started: poll the Content-Location URL' }],
    });
  });

  app.get<{ Params: { id: string } }>('/$export-status/:id', { config: { permission: 'fhir.bulk' }, schema: { hide: true } }, async (req, reply) => {
    checkId(req.params.id);
    const st = await fhirBulkService.status(s, actorOf(req), req.params.id, baseUrl(req));
    if (st.state === 'running') return reply.status(202).header('x-progress', 'exporting and validating').header('retry-after', '1').send();
    if (st.state === 'failed') {
      // The export's own output did not validate, or it stopped: the IG's error response (an OperationOutcome).
      return send(reply, operationOutcome(new AppError('internal', 'the export failed; nothing was written', { issues: (st.job.error ?? []).map((i) => ({ field: i.field ?? 'export', message: i.message })) })), 500);
    }
    return reply.status(200).header('expires', new Date(st.job.expiresAt).toUTCString()).type('application/json; charset=utf-8').send(st.manifest);
  });

  app.delete<{ Params: { id: string } }>('/$export-status/:id', { config: { permission: 'fhir.bulk' }, schema: { hide: true } }, async (req, reply) => {
    checkId(req.params.id);
    await fhirBulkService.cancel(s, actorOf(req), req.params.id);
    return reply.status(202).send();
  });

  app.get<{ Params: { id: string; type: string } }>('/$export-file/:id/:type.ndjson', { config: { permission: 'fhir.bulk' }, schema: { hide: true } }, async (req, reply) => {
    checkId(req.params.id);
    if (!(BULK_TYPES as readonly string[]).includes(req.params.type)) throw new AppError('not_found', `${req.params.type.slice(0, 60)}: not an export file`, { field: 'type' });
    const text = await fhirBulkService.file(s, actorOf(req), req.params.id, req.params.type);
    return reply.status(200).type('application/fhir+ndjson').send(text);
  });

  app.get<{ Params: { type: string; id: string } }>('/:type/:id', { config: { permission: 'patient.read' }, schema: { hide: true } }, async (req, reply) => {
    const { type, id } = req.params;
    if (!READABLE.has(type)) throw new AppError('not_found', `${type}: this server does not serve that resource type`, { field: 'type' });
    checkId(id);
    return send(reply, await fhirService.read(s, actorOf(req), type, id));
  });

  app.get<{ Params: { type: string }; Querystring: Record<string, string | string[]> }>('/:type', { config: { permission: 'patient.read' }, schema: { hide: true } }, async (req, reply) => {
    const { type } = req.params;
    if (!isRestType(type)) throw new AppError('not_found', `${type}: this server does not search that resource type (Patient, Condition, Observation, CarePlan, Procedure)`, { field: 'type' });
    return send(reply, await fhirService.search(s, actorOf(req), type, req.query, { baseUrl: baseUrl(req), selfUrl: `${origin(req)}${req.url}` }));
  });

  // Anything else under /fhir/R4 (after authentication): an OperationOutcome, not the web app or a JSON API error.
  app.get('/*', { config: { permission: 'patient.read' }, schema: { hide: true } }, async (req) => {
    throw new AppError('not_found', `no FHIR interaction at ${req.url.split('?')[0]}`);
  });
}
