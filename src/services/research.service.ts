import { createHash, randomBytes, randomInt } from 'node:crypto';
import { z } from 'zod';
import { classify, cohortFiltersSchema, matches, mayMatch, type ClassifiedSubject, type CohortFilters } from '../domain/deid/cohort.js';
import { guardCounts, OVERLAP_MAX_ANSWERS, OVERLAP_WINDOW_DAYS, type GuardedCohortCounts } from '../domain/deid/differencing.js';
import { EXPORT_MODES, MODE_LABELS, type ExportMode } from '../domain/deid/identifiers.js';
import { exportPreamble, exportRows } from '../domain/deid/rows.js';
import { toCsv, toNdjson } from '../domain/deid/writers.js';
import { AppError } from '../domain/errors.js';
import { isUniqueViolation, type Executor } from '../store/db.js';
import { researchRepo } from '../store/research.repo.js';
import { audited } from './audit.js';
import { auth } from './auth.service.js';
import { isoNow, newId, type Actor, type Services } from './context.js';

/**
 * Research use cases (issue 8 item 5): cohort counts with small-cell suppression, de-identified exports in three
 * modes (Safe Harbor, Limited Data Set under a data-use agreement, date-shifted pseudonymized), and the
 * institution's data-use agreements. Always the actor's institution only. Audit entries name the filters and
 * counts, never a patient; every export is also logged with the SHA-256 of the file it produced.
 */

export const exportRequestSchema = z.strictObject({
  filters: cohortFiltersSchema.default({}),
  mode: z.enum(EXPORT_MODES),
  format: z.enum(['csv', 'ndjson']).default('csv'),
  duaId: z.string().min(1).max(64).optional(),
  password: z.string().min(1, 'must not be empty: an export needs your password again').max(200),
});
export type ExportRequest = z.infer<typeof exportRequestSchema>;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2027-12-31')
  .refine((s) => new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'is not a real date');

export const duaInputSchema = z.strictObject({
  reference: z.string().trim().min(1, 'must not be empty').max(80),
  recipient: z.string().trim().min(1, 'must not be empty').max(200),
  purpose: z.string().trim().min(1, 'must not be empty').max(2000),
  expiresOn: isoDate,
});
export type DuaInput = z.infer<typeof duaInputSchema>;

export interface DuaView {
  id: string;
  reference: string;
  recipient: string;
  purpose: string;
  expiresOn: string;
  active: boolean;
  recordedBy: string | null;
  recordedAt: string;
}

export interface ExportFile {
  filename: string;
  contentType: string;
  body: string;
  mode: ExportMode;
  safeHarbor: boolean;
  rows: number;
  sha256: string;
}

/** Filters as a short, identifier-free text for the audit log and the file's metadata line. */
function filtersText(f: CohortFilters): string {
  return JSON.stringify(Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))));
}

async function cohort(tx: Executor, actor: Actor, filters: CohortFilters): Promise<ClassifiedSubject[]> {
  const subjects = await researchRepo.subjects(tx, actor.institutionId);
  return subjects.filter((x) => mayMatch(x, filters)).map(classify).filter((c) => matches(c, filters));
}

function parseFilters(input: unknown): CohortFilters {
  const res = cohortFiltersSchema.safeParse(input ?? {});
  if (!res.success) {
    const i = res.error.issues[0]!;
    const field = i.path.map(String).join('.') || 'filters';
    throw new AppError('validation', `${field}: ${i.message}`, { field });
  }
  return res.data;
}

function duaView(r: { id: string; reference: string; recipient: string; purpose: string; expires_on: string; recorded_at: string; recorded_by_name?: string | null }, today: string): DuaView {
  return { id: r.id, reference: r.reference, recipient: r.recipient, purpose: r.purpose, expiresOn: r.expires_on, active: r.expires_on >= today, recordedBy: r.recorded_by_name ?? null, recordedAt: r.recorded_at };
}

/** Shown when a cohort's total could be subtracted from an earlier count of the same researcher. */
export const OVERLAP_REFUSAL = 'filters: this cohort differs from one you counted before by 1 to 10 children, so its counts could be '
  + 'subtracted to reveal a small group; widen or change the filters (a de-identified export gives row-level data under audit)';

export const research = {
  /**
   * Cohort counts and breakdowns, suppressed, with differencing control: the researcher's earlier exact counts (90
   * days, latest 200 answers) are checked, a total that could be subtracted from one is refused (409, nothing
   * stored), risky cells are hidden, and the sets shown exactly are remembered in the same transaction as the audit
   * entry (audited as a read with the filters and the total, no patient ids).
   */
  async count(s: Services, actor: Actor, input: unknown): Promise<GuardedCohortCounts & { filters: CohortFilters }> {
    const filters = parseFilters(input);
    return audited(s, actor, { action: 'read', recordType: 'research_cohort', detail: `filters=${filtersText(filters)}` }, async (tx, note) => {
      await researchRepo.lockResearcherAnswers(tx, s.store.dialect, actor.userId);
      const c = await cohort(tx, actor, filters);
      const now = isoNow(s);
      const notBefore = new Date(s.now().getTime() - OVERLAP_WINDOW_DAYS * 86_400_000).toISOString();
      const prior = await researchRepo.releasedSets(tx, actor.institutionId, actor.userId, notBefore, OVERLAP_MAX_ANSWERS);
      const answer = guardCounts(c, prior);
      // audited() rolls this unit back and audits the refusal (outcome error, detail "conflict"): nothing is stored.
      if (answer.refused) throw new AppError('conflict', OVERLAP_REFUSAL, { field: 'filters' });
      const { counts, released } = answer;
      if (released.length > 0) {
        await researchRepo.insertReleasedSets(tx, {
          id: newId(), institution_id: actor.institutionId, user_id: actor.userId, answered_at: now,
          sets: Object.fromEntries(released.map((r) => [r.key, r.members])),
        }, notBefore);
      }
      const hidden = counts.breakdowns.reduce((a, b) => a + (b.overlapSuppressed ?? 0), 0);
      note.detail = `filters=${filtersText(filters)} total=${counts.total.display}${hidden ? ` overlap_suppressed=${hidden}` : ''}`;
      return { ...counts, filters };
    });
  },

  /**
   * A de-identified export file: the password is checked again first (the same re-authentication as plan
   * sign-off); a Limited Data Set needs a recorded, unexpired data-use agreement of the actor's institution
   * (45 CFR 164.514(e)(4)). The per-export key for pseudonyms and date shifts is random and dropped after use.
   */
  async export(s: Services, actor: Actor, input: ExportRequest): Promise<ExportFile> {
    await auth.reauthenticate(s, actor, input.password, 'a research export');
    const filters = parseFilters(input.filters);
    const today = isoNow(s).slice(0, 10);
    return audited(s, actor, { action: 'export', recordType: 'research_export', detail: `mode=${input.mode} format=${input.format}` }, async (tx, note) => {
      let dua: { id: string; reference: string; recipient: string; expires: string } | null = null;
      if (input.mode === 'limited') {
        if (!input.duaId) throw new AppError('validation', 'duaId: a Limited Data Set needs a recorded data-use agreement', { field: 'duaId' });
        const row = await researchRepo.dua(tx, actor.institutionId, input.duaId);
        if (!row) throw new AppError('forbidden', 'duaId: no data-use agreement of your institution has this id', { field: 'duaId' });
        if (row.expires_on < today) throw new AppError('forbidden', `duaId: the data-use agreement ${row.reference} expired on ${row.expires_on}`, { field: 'duaId' });
        dua = { id: row.id, reference: row.reference, recipient: row.recipient, expires: row.expires_on };
      }
      const c = await cohort(tx, actor, filters);
      const key = randomBytes(32);
      const { columns, rows } = exportRows(input.mode, c, { key, today, random: () => randomInt(0, 2 ** 32) / 2 ** 32 });
      key.fill(0);
      const preamble = exportPreamble(input.mode, { rows: rows.length, dua, filters: filtersText(filters) });
      const body = input.format === 'csv'
        ? toCsv(columns, rows, preamble)
        : toNdjson(columns, rows, { mode: input.mode, safeHarbor: MODE_LABELS[input.mode].safeHarbor, notice: preamble, columns });
      const sha256 = createHash('sha256').update(body).digest('hex');
      const id = newId();
      await researchRepo.insertExport(tx, {
        id, institution_id: actor.institutionId, user_id: actor.userId, at: isoNow(s), mode: input.mode, format: input.format,
        filters: filtersText(filters), dua_id: dua?.id ?? null, row_count: rows.length, sha256,
      });
      note.recordId = id;
      note.detail = `mode=${input.mode} format=${input.format} rows=${rows.length} sha256=${sha256}${dua ? ` dua=${dua.reference}` : ''} filters=${filtersText(filters)}`;
      const stamp = today.replace(/-/g, '');
      return {
        filename: `tumorboard-research-${input.mode.replace('_', '-')}-${stamp}.${input.format}`,
        contentType: input.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        body, mode: input.mode, safeHarbor: MODE_LABELS[input.mode].safeHarbor, rows: rows.length, sha256,
      };
    });
  },

  /** The institution's exports, newest first (who, when, mode, rows, hash: no data). */
  async exports(s: Services, actor: Actor): Promise<Array<{ id: string; at: string; username: string | null; mode: string; format: string; filters: string; rows: number; sha256: string; duaId: string | null }>> {
    return audited(s, actor, { action: 'read', recordType: 'research_export_log' }, async (tx) =>
      (await researchRepo.exports(tx, actor.institutionId)).map((r) => ({ id: r.id, at: r.at, username: r.username, mode: r.mode, format: r.format, filters: r.filters, rows: r.row_count, sha256: r.sha256, duaId: r.dua_id })));
  },

  /** Data-use agreements of the actor's institution (researchers pick one; admins record them). */
  async duas(s: Services, actor: Actor): Promise<DuaView[]> {
    const today = isoNow(s).slice(0, 10);
    return (await researchRepo.duas(s.store.db, actor.institutionId)).map((r) => duaView(r, today));
  },

  /** Records a data-use agreement (admin; audited). A reference is unique per institution. */
  async recordDua(s: Services, actor: Actor, input: DuaInput): Promise<DuaView> {
    return audited(s, actor, { action: 'create', recordType: 'data_use_agreement' }, async (tx, note) => {
      const id = newId();
      const now = isoNow(s);
      try {
        await researchRepo.insertDua(tx, { id, institution_id: actor.institutionId, reference: input.reference, recipient: input.recipient, purpose: input.purpose, expires_on: input.expiresOn, recorded_by: actor.userId, recorded_at: now });
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('conflict', `reference: a data-use agreement ${input.reference} is already recorded`, { field: 'reference' });
        throw err;
      }
      note.recordId = id;
      return duaView({ id, reference: input.reference, recipient: input.recipient, purpose: input.purpose, expires_on: input.expiresOn, recorded_at: now, recorded_by_name: actor.displayName }, now.slice(0, 10));
    });
  },
};
