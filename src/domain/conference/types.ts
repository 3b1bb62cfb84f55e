import { z } from 'zod';
import { DISCIPLINES } from '../registry/types.js';

/**
 * The weekly Tumor Conference (issue 5): a recurring series, its generated occurrences, the agenda of cases, each
 * group's pre-conference input, attendance and the recommendation. Schemas are the API's write contract.
 */

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 07:30');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-12-03')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'is not a real date');
const timeZone = z.string().trim().refine((tz) => {
  try { new Intl.DateTimeFormat('en-US', { timeZone: tz }); return true; } catch { return false; }
}, 'must be an IANA time zone like America/New_York');

export const seriesInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  weekday: z.enum(WEEKDAYS),
  startTime: hhmm,
  durationMinutes: z.number().int().min(15).max(480),
  timeZone,
  room: z.string().trim().max(200).optional(),
  videoLink: z.url({ protocol: /^https$/, error: 'must be an https link' }).max(500).optional(),
  capacity: z.number().int().min(1).max(60),
  /** Cases can be added until this many hours before the start. */
  cutoffHours: z.number().int().min(0).max(168),
  /** The first occurrence is on or after this date. */
  startsOn: isoDate,
});
export type SeriesInput = z.infer<typeof seriesInputSchema>;

export const OCCURRENCE_STATUSES = ['scheduled', 'cancelled', 'live', 'finished'] as const;
export type OccurrenceStatus = (typeof OCCURRENCE_STATUSES)[number];

export const AGENDA_KINDS = ['new_diagnosis', 'urgent', 'post_treatment', 'relapse', 'follow_up'] as const;
export type AgendaKind = (typeof AGENDA_KINDS)[number];

export const agendaItemInputSchema = z.strictObject({
  caseId: z.string().min(1).max(64),
  kind: z.enum(AGENDA_KINDS),
  estimatedMinutes: z.number().int().min(1).max(120).default(10),
  presenterId: z.string().min(1).max(64).optional(),
  /** A clinician proposes; a coordinator adds. */
  proposed: z.boolean().default(false),
});
export type AgendaItemInput = z.infer<typeof agendaItemInputSchema>;

export const INPUT_STANCES = ['recommendation', 'no_direct_role_comment', 'needs_more_information'] as const;

export const disciplineInputSchema = z.strictObject({
  discipline: z.enum(DISCIPLINES),
  stance: z.enum(INPUT_STANCES),
  findings: z.string().trim().max(5000).optional(),
  recommendation: z.string().trim().max(5000).optional(),
}).refine((v) => v.stance !== 'recommendation' || (v.recommendation ?? '').length > 0, {
  message: 'must say what the group recommends', path: ['recommendation'],
});
export type DisciplineInput = z.infer<typeof disciplineInputSchema>;

export const attendanceInputSchema = z.strictObject({
  discipline: z.enum(DISCIPLINES),
  mode: z.enum(['in_person', 'remote']),
});

export const recommendationSchema = z.strictObject({
  diagnosisConfirmed: z.string().trim().max(2000).optional(),
  stageConfirmed: z.string().trim().max(500).optional(),
  planOfCare: z.string().trim().max(10000).optional(),
  trialToOffer: z.string().trim().max(500).optional(),
  furtherWorkup: z.string().trim().max(5000).optional(),
  dissent: z.array(z.strictObject({ discipline: z.enum(DISCIPLINES), note: z.string().trim().min(1).max(2000) })).max(9).default([]),
});
export type Recommendation = z.infer<typeof recommendationSchema>;
