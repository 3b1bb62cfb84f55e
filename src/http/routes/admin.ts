import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../services/context.js';
import { auth, newUserSchema, userUpdateSchema } from '../../services/auth.service.js';
import { auditRepo, AUDIT_ACTIONS, AUDIT_OUTCOMES } from '../../store/audit.repo.js';
import { patientAccessReport } from '../../services/audit-report.js';
import { actorOf } from '../app.js';
import { requireIfMatch, sendWithEtag } from '../etag.js';
import { idParams, pageQuery } from './common.js';

const isoInstant = z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/, 'must be a date or ISO time');

export async function adminRoutes(api: FastifyInstance, s: Services): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/admin/users', {
    config: { permission: 'user.admin' }, schema: { tags: ['admin'], querystring: z.strictObject({ ...pageQuery }) },
  }, async (req) => auth.listUsers(s, actorOf(req), req.query));

  r.post('/admin/users', {
    config: { permission: 'user.admin' }, schema: { tags: ['admin'], body: newUserSchema },
  }, async (req, reply) => {
    const actor = actorOf(req);
    return reply.status(201).send(await auth.createUser(s, actor, actor.institutionId, req.body));
  });

  // Edit an account (display name, role, discipline, active), with If-Match: the version the administrator read.
  r.put('/admin/users/:id', {
    config: { permission: 'user.admin' }, schema: { tags: ['admin'], params: idParams, body: userUpdateSchema },
  }, async (req, reply) => {
    const version = requireIfMatch(req);
    return sendWithEtag(reply, await auth.updateUser(s, actorOf(req), req.params.id, version, req.body));
  });

  // Lift the lock after repeated wrong passwords (LOGIN_THROTTLE in src/services/auth.service.ts).
  r.post('/admin/users/:id/unlock', {
    config: { permission: 'user.admin' }, schema: { tags: ['admin'], params: idParams },
  }, async (req) => auth.unlockUser(s, actorOf(req), req.params.id));

  r.get('/admin/audit', {
    config: { permission: 'audit.read' },
    schema: {
      tags: ['admin'],
      querystring: z.strictObject({
        userId: z.string().max(64).optional(), action: z.enum(AUDIT_ACTIONS).optional(),
        recordType: z.string().max(40).optional(), patientId: z.string().max(64).optional(),
        outcome: z.enum(AUDIT_OUTCOMES).optional(), from: isoInstant.optional(), to: isoInstant.optional(), ...pageQuery,
      }),
    },
  }, async (req) => {
    const q = req.query;
    // A bare end date means the whole of that day.
    const to = q.to && q.to.length === 10 ? `${q.to}T23:59:59.999Z` : q.to;
    return auditRepo.list(s.store.db, { ...q, to, institutionId: actorOf(req).institutionId });
  });

  // Who accessed this patient's record (issue #9 item 3): an audited read of the patient's access history.
  r.get('/admin/audit/patient/:patientId', {
    config: { permission: 'audit.read' },
    schema: { tags: ['admin'], params: z.strictObject({ patientId: z.string().min(1).max(64) }), querystring: z.strictObject({ ...pageQuery }) },
  }, async (req) => patientAccessReport(s, actorOf(req), req.params.patientId, req.query));
}
