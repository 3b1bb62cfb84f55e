import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { caseInputSchema, patientInputSchema, tumorInputSchema } from '../../domain/registry/types.js';
import type { Services } from '../../services/context.js';
import { registry } from '../../services/registry.service.js';
import { PATIENT_SORTS, type PatientSort } from '../../store/patients.repo.js';
import { actorOf } from '../app.js';
import { requireIfMatch, sendWithEtag } from '../etag.js';
import { IDEMPOTENCY_DOC, sendCreated } from '../idempotency.js';
import { idParams, pageQuery } from './common.js';

export async function patientRoutes(api: FastifyInstance, s: Services): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/patients', {
    config: { permission: 'patient.read' },
    schema: {
      tags: ['patients'],
      querystring: z.strictObject({
        q: z.string().max(200).optional(),
        sort: z.enum(Object.keys(PATIENT_SORTS) as [PatientSort, ...PatientSort[]]).default('name'),
        order: z.enum(['asc', 'desc']).default('asc'),
        ...pageQuery,
      }),
    },
  }, async (req) => registry.searchPatients(s, actorOf(req), req.query));

  r.post('/patients', {
    config: { permission: 'patient.write' }, schema: { tags: ['patients'], body: patientInputSchema, description: IDEMPOTENCY_DOC },
  }, async (req, reply) => sendCreated(req, reply, (idem) => registry.createPatient(s, actorOf(req), req.body, idem)));

  r.get('/patients/:id', {
    config: { permission: 'patient.read' }, schema: { tags: ['patients'], params: idParams },
  }, async (req, reply) => sendWithEtag(reply, await registry.getPatient(s, actorOf(req), req.params.id)));

  r.put('/patients/:id', {
    config: { permission: 'patient.write' }, schema: { tags: ['patients'], params: idParams, body: patientInputSchema },
  }, async (req, reply) => {
    const version = requireIfMatch(req);
    return sendWithEtag(reply, await registry.updatePatient(s, actorOf(req), req.params.id, version, req.body));
  });

  r.post('/patients/:id/tumors', {
    config: { permission: 'patient.write' }, schema: { tags: ['patients'], params: idParams, body: tumorInputSchema, description: IDEMPOTENCY_DOC },
  }, async (req, reply) => sendCreated(req, reply, (idem) => registry.addTumor(s, actorOf(req), req.params.id, req.body, idem)));

  r.put('/tumors/:id', {
    config: { permission: 'patient.write' }, schema: { tags: ['patients'], params: idParams, body: tumorInputSchema },
  }, async (req, reply) => {
    const version = requireIfMatch(req);
    return sendWithEtag(reply, await registry.updateTumor(s, actorOf(req), req.params.id, version, req.body));
  });

  r.post('/patients/:id/cases', {
    config: { permission: 'case.write' }, schema: { tags: ['cases'], params: idParams, body: caseInputSchema, description: IDEMPOTENCY_DOC },
  }, async (req, reply) => sendCreated(req, reply, (idem) => registry.createCase(s, actorOf(req), req.params.id, req.body, idem)));
}
