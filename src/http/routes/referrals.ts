import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, validationError } from '../../domain/errors.js';
import {
  publicReferralSchema, RECORD_STATUSES, REFERRAL_STATUSES, staffReferralSchema, travelPlanSchema, triageSchema, URGENCIES,
} from '../../domain/referrals/types.js';
import { programConfig, type Services } from '../../services/context.js';
import { auth } from '../../services/auth.service.js';
import { referrals, type IncomingFile } from '../../services/referrals.service.js';
import { actorOf } from '../app.js';
import { checkIdempotencyKey } from '../idempotency.js';
import { requireIfMatch, sendWithEtag } from '../etag.js';
import { SESSION_COOKIE } from './auth.js';
import { idParams, pageQuery } from './common.js';

const MAX_FILES = 10;

/** Removes the temp files of uploads that were not committed to the file store (no-op for committed ones). */
async function discardStaged(files: IncomingFile[]): Promise<void> {
  await Promise.all(files.map((f) => f.staged?.discard().catch(() => {})));
}

/** Errors of the multipart parser (@fastify/busboy) for a malformed body. */
const MALFORMED_MULTIPART = /^(Unexpected end of (multipart data|form|file)|Multipart: Boundary not found|Malformed part header|Part terminated early)/i;

/**
 * Reads a referral sent as JSON, or as multipart with a `referral` JSON field and `attachments` files. Files are
 * streamed into temp files of the file store while being hashed (never held in memory whole); the caller must
 * `discardStaged` them when done (after the service has committed the ones it keeps).
 */
async function readSubmission(req: FastifyRequest, s: Services, maxBytes: number): Promise<{ body: unknown; files: IncomingFile[] }> {
  if (!req.isMultipart()) return { body: req.body, files: [] };
  let body: unknown;
  const files: IncomingFile[] = [];
  try {
    for await (const part of req.parts({ limits: { fileSize: maxBytes, files: MAX_FILES, fields: 5, fieldSize: 256 * 1024 } })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'attachments') throw new AppError('validation', `${part.fieldname}: unexpected file field (use attachments)`, { field: part.fieldname });
        if (s.files) {
          const staged = await s.files.stage(part.file);
          files.push({ filename: part.filename, declaredType: part.mimetype, staged });
          // Over the limit, busboy stops the file short and marks it truncated.
          if (part.file.truncated) throw Object.assign(new Error('request file too large'), { code: 'FST_REQ_FILE_TOO_LARGE' });
        } else {
          files.push({ filename: part.filename, declaredType: part.mimetype, bytes: await part.toBuffer() });
        }
      } else if (part.fieldname === 'referral') {
        try {
          body = JSON.parse(String(part.value));
        } catch {
          throw new AppError('bad_request', 'referral: is not valid JSON', { field: 'referral' });
        }
      } else {
        throw new AppError('validation', `${part.fieldname}: unknown field`, { field: part.fieldname });
      }
    }
  } catch (err) {
    await discardStaged(files);
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('payload_too_large', `attachments: a file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`, { field: 'attachments' });
    if (code === 'FST_FILES_LIMIT') throw new AppError('payload_too_large', `attachments: at most ${MAX_FILES} files`, { field: 'attachments' });
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') throw new AppError('bad_request', '(body): too many form fields', { field: '(body)' });
    // A malformed form (no boundary, cut short, a bad part header: the multipart parser's errors) is the sender's
    // mistake, not a server failure (found by the fuzz test, test/security/fuzz.test.ts).
    if (!(err instanceof AppError) && MALFORMED_MULTIPART.test((err as Error).message ?? '')) {
      throw new AppError('bad_request', '(body): is not a well-formed multipart form', { field: '(body)' });
    }
    throw err;
  }
  if (body === undefined) {
    await discardStaged(files);
    throw new AppError('validation', 'referral: missing (send the form as a JSON field named referral)', { field: 'referral' });
  }
  return { body, files };
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) throw validationError(r.error.issues);
  return r.data;
}

const idempotencyKey = (req: FastifyRequest): string | null => {
  const raw = req.headers['idempotency-key'];
  if (raw === undefined || raw === '') return null;
  return checkIdempotencyKey(Array.isArray(raw) ? raw[0]! : raw);
};

export async function referralRoutes(api: FastifyInstance, s: Services, opts: { publicRateLimit?: number }): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const maxBytes = programConfig(s).attachmentMaxBytes;

  r.get('/program/contacts', { config: { public: true }, schema: { tags: ['referrals'] } }, async () => programConfig(s).contacts);

  r.post('/referrals/public', {
    config: { public: true, rateLimit: { max: opts.publicRateLimit ?? 30, timeWindow: '1 minute' } },
    bodyLimit: MAX_FILES * maxBytes + 1024 * 1024,
    schema: { tags: ['referrals'], description: 'Public referral form (JSON, or multipart with `referral` JSON and `attachments` files); honours Idempotency-Key' },
  }, async (req, reply) => {
    const key = idempotencyKey(req);
    const { body, files } = await readSubmission(req, s, maxBytes);
    try {
      const input = parse(publicReferralSchema, body);
      const token = req.cookies[SESSION_COOKIE];
      const referrerActor = token ? await auth.resolve(s, token, req.ip, req.id) : undefined;
      const res = await referrals.submitPublic(s, input, files, key, { clientIp: req.ip, requestId: req.id, referrerActor });
      return reply.status(res.replay ? 200 : 201).send({ id: res.id, reference: res.reference, status: res.status });
    } finally {
      await discardStaged(files);
    }
  });

  r.post('/referrals', {
    config: { permission: 'referral.write' }, bodyLimit: MAX_FILES * maxBytes + 1024 * 1024,
    schema: { tags: ['referrals'], description: 'Staff referral entry (JSON or multipart)' },
  }, async (req, reply) => {
    const { body, files } = await readSubmission(req, s, maxBytes);
    try {
      return sendWithEtag(reply, await referrals.createStaff(s, actorOf(req), parse(staffReferralSchema, body), files), 201);
    } finally {
      await discardStaged(files);
    }
  });

  r.get('/referrals', {
    config: { permission: 'referral.read' },
    schema: {
      tags: ['referrals'],
      querystring: z.strictObject({
        status: z.enum(REFERRAL_STATUSES).optional(), open: z.enum(['true', 'false']).optional(), urgency: z.enum(URGENCIES).optional(),
        assignedTo: z.string().max(64).optional(), overdue: z.enum(['true', 'false']).optional(), q: z.string().max(200).optional(), ...pageQuery,
      }),
    },
  }, async (req) => {
    const q = req.query;
    const actor = actorOf(req);
    return referrals.list(s, actor, {
      ...q, open: q.open === 'true', overdue: q.overdue === 'true',
      assignedTo: q.assignedTo === 'me' ? actor.userId : q.assignedTo,
    });
  });

  r.get('/referrals/mine', { config: { permission: 'referral.own' }, schema: { tags: ['referrals'] } }, async (req) => referrals.mine(s, actorOf(req)));

  r.get('/referrals/assignees', { config: { permission: 'referral.read' }, schema: { tags: ['referrals'] } }, async (req) => referrals.assignees(s, actorOf(req)));

  r.get('/referrals/:id', { config: { permission: 'referral.read' }, schema: { tags: ['referrals'], params: idParams } },
    async (req, reply) => sendWithEtag(reply, await referrals.get(s, actorOf(req), req.params.id)));

  r.post('/referrals/:id/triage', { config: { permission: 'referral.write' }, schema: { tags: ['referrals'], params: idParams, body: triageSchema } },
    async (req, reply) => sendWithEtag(reply, await referrals.triage(s, actorOf(req), req.params.id, requireIfMatch(req), req.body)));

  r.post('/referrals/:id/status', {
    config: { permission: 'referral.write' },
    schema: { tags: ['referrals'], params: idParams, body: z.strictObject({ status: z.enum(REFERRAL_STATUSES), reason: z.string().trim().max(2000).optional(), note: z.string().trim().max(2000).optional() }) },
  }, async (req, reply) => sendWithEtag(reply, await referrals.changeStatus(s, actorOf(req), req.params.id, requireIfMatch(req), req.body.status, req.body.reason, req.body.note)));

  r.post('/referrals/:id/assign', {
    config: { permission: 'referral.write' },
    schema: { tags: ['referrals'], params: idParams, body: z.strictObject({ assignedTo: z.string().min(1).max(64) }) },
  }, async (req, reply) => sendWithEtag(reply, await referrals.assign(s, actorOf(req), req.params.id, requireIfMatch(req), req.body.assignedTo)));

  r.put('/referrals/:id/travel', {
    config: { permission: 'travel.write' }, schema: { tags: ['travel'], params: idParams, body: travelPlanSchema },
  }, async (req, reply) => {
    const version = req.headers['if-match'] ? requireIfMatch(req) : undefined;
    return sendWithEtag(reply, await referrals.saveTravel(s, actorOf(req), req.params.id, version, req.body));
  });

  r.get('/travel/worklist', { config: { permission: 'travel.read' }, schema: { tags: ['travel'] } }, async (req) => referrals.travelWorklist(s, actorOf(req)));

  r.put('/cases/:id/records/:item', {
    config: { permission: 'records.write' },
    schema: {
      tags: ['referrals'], params: z.strictObject({ id: z.string().min(1).max(64), item: z.string().min(1).max(60) }),
      body: z.strictObject({ status: z.enum(RECORD_STATUSES), note: z.string().trim().max(2000).optional() }),
    },
  }, async (req) => referrals.updateRecord(s, actorOf(req), req.params.id, req.params.item, requireIfMatch(req), req.body.status, req.body.note));

  r.get('/attachments/:id', { config: { permission: 'referral.read' }, schema: { tags: ['referrals'], params: idParams } }, async (req, reply) => {
    const f = await referrals.attachment(s, actorOf(req), req.params.id);
    const ascii = f.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
    return reply.header('content-type', f.contentType)
      .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(f.filename)}`)
      .header('x-content-type-options', 'nosniff').send(f.bytes);
  });
}
