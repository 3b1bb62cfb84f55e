import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TUMOR_FAMILIES } from '../../domain/coding/morphology.js';
import { analytics } from '../../services/analytics.service.js';
import type { Services } from '../../services/context.js';
import { actorOf } from '../app.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-01-31')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'is not a real date');

const yearQuery = z.strictObject({ year: z.coerce.number().int('must be a whole year').min(2000, 'must be a year like 2026').max(2100, 'must be a year like 2026') });

/**
 * Program analytics (issue 10). `GET /analytics/summary?from&to` is a contract for outside checks: every metric
 * with its definition. The annual report is one click: `report.pdf?year=` / `report.csv?year=`.
 */
export async function analyticsRoutes(api: FastifyInstance, s: Services): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const tags = ['analytics'];

  r.get('/analytics/summary', {
    config: { permission: 'analytics.read' },
    schema: {
      tags, description: 'Every program metric for the period, each with its definition (small cells suppressed for researchers)',
      querystring: z.strictObject({
        from: isoDate, to: isoDate, tumorType: z.enum(TUMOR_FAMILIES).optional(),
        attendanceTarget: z.coerce.number().min(1, 'must be a percentage 1–100').max(100, 'must be a percentage 1–100').optional(),
      }),
    },
  }, async (req) => analytics.summary(s, actorOf(req), req.query));

  for (const format of ['pdf', 'csv'] as const) {
    r.get(`/analytics/report.${format}`, {
      config: { permission: 'analytics.read' },
      schema: { tags, querystring: yearQuery, description: `The annual conference report (Standard 2.5 style figures and the conferences with attendance) as ${format.toUpperCase()}` },
    }, async (req, reply) => {
      const out = await analytics.annualReport(s, actorOf(req), req.query.year, format);
      return reply.header('content-type', out.contentType)
        .header('content-disposition', `attachment; filename="${out.filename}"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(out.body);
    });
  }
}
