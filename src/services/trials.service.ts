import { assess } from '../domain/assess.js';
import { lookupMorphology } from '../domain/coding/morphology.js';
import { AppError, validationError } from '../domain/errors.js';
import type { CaseFacts } from '../domain/facts/case-facts.js';
import { CURATED_STATUSES, parseTrialDefinition, refreshRegistry, type TrialDefinition } from '../domain/trials/criteria.js';
import { parseStudies, sha256Hex, type ImportError, type ImportedTrial } from '../domain/trials/ctgov.js';
import { draftCriteria } from '../domain/trials/draft.js';
import { localCriteriaText, localTrialInput, localTrialRecord, type LocalTrial, type LocalTrialInput } from '../domain/trials/local.js';
import type { TrialMatch } from '../domain/trials/evaluate.js';
import { compileTrials, matchCase, type CompiledCatalog } from '../domain/trials/index.js';
import { rankDataRequests } from '../domain/trials/requests.js';
import type { Executor, Tx } from '../store/db.js';
import { isUniqueViolation } from '../store/db.js';
import type { TrialTable } from '../store/schema.js';
import { CASE_FACTS_COLUMNS, caseFactsOfRow } from '../store/tumors.repo.js';
import { screeningsRepo, trialsRepo } from '../store/trials.repo.js';
import { basisDetail, resolveCaseRead } from './access.js';
import { readCaseContext } from './assessment.service.js';
import { audited } from './audit.js';
import { isoNow, newId, type Actor, type Services } from './context.js';

/**
 * Clinical trials (issue 7): the registry of imported and curated trials, matching every open case against them
 * with per-criterion verdicts (trial-eligibility.md E.3–E.5), and the screening log of offers. Trials are public
 * information, shared by all institutions; matches and the screening log are patient data, scoped and audited.
 */

export const SCREENING_STATUSES = ['screened', 'discussed', 'offered', 'enrolled', 'declined', 'not_eligible'] as const;
export type ScreeningStatus = (typeof SCREENING_STATUSES)[number];
/** Statuses that need a reason (why declined, why not eligible). */
const NEEDS_REASON: ReadonlySet<string> = new Set(['declined', 'not_eligible']);

/** Cases still to be matched: not in long-term follow-up. */
const OPEN_CASE_STATUSES = ['referred', 'under_review', 'presented', 'plan_agreed', 'in_treatment'] as const;

export interface ImportReport {
  imported: Array<{ nctId: string; outcome: 'new' | 'unchanged' | 'updated' | 'curation_stale'; missing: string[] }>;
  errors: ImportError[];
  rematchedCases: number;
}

// The compiled catalogue is cached per store and rebuilt when any trial changed (count, latest update, versions).
const catalogs = new WeakMap<object, { key: string; catalog: CompiledCatalog; byNct: Map<string, TrialTable> }>();

async function catalogKey(db: Executor): Promise<string> {
  const r = await db.selectFrom('trials').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('u'), eb.fn.sum<number>('version').as('v')]).executeTakeFirst();
  return `${r?.n ?? 0}:${r?.u ?? ''}:${r?.v ?? 0}`;
}

async function catalog(s: Services, db: Executor): Promise<{ catalog: CompiledCatalog; byNct: Map<string, TrialTable> }> {
  const key = await catalogKey(db);
  const hit = catalogs.get(s.store);
  if (hit && hit.key === key) return hit;
  const rows = await trialsRepo.all(db);
  const entry = { key, catalog: compileTrials(rows.map(definitionOf)), byNct: new Map(rows.map((r) => [JSON.parse(r.definition).nctId as string, r])) };
  catalogs.set(s.store, entry);
  return entry;
}

function definitionOf(r: TrialTable): TrialDefinition {
  return JSON.parse(r.definition) as TrialDefinition;
}

/** The curation state the stored row shows: stale wins, then curated when no criterion waits for review. */
function curationOf(def: TrialDefinition): 'draft' | 'curated' | 'stale' {
  if (def.curation.stale) return 'stale';
  return def.scopes.every((sc) => sc.criteria.every((c) => CURATED_STATUSES.has(c.status))) ? 'curated' : 'draft';
}

function rowFrom(t: ImportedTrial, def: TrialDefinition, now: string, id: string, version: number, local?: { institutionId: string }): TrialTable {
  return {
    id, nct_id: local ? null : t.nctId, local_id: local ? t.nctId : null, source: local ? 'local' : 'ctgov', institution_id: local?.institutionId ?? null, title: t.briefTitle ?? t.officialTitle ?? t.nctId, network: t.network,
    status: t.overallStatus ?? 'UNKNOWN', phases: JSON.stringify(t.phases), registry: JSON.stringify(t), criteria_sha256: t.criteriaSha256,
    last_update_post_date: t.lastUpdatePostDate, definition: JSON.stringify(def), curation: curationOf(def), version, imported_at: now,
    created_at: now, updated_at: now,
  };
}

/** Facts and assessment of each case to match (the rules engine's output feeds stage/risk leaves). */
async function openCases(db: Executor, today: string, institutionId?: string): Promise<Array<{ caseId: string; facts: CaseFacts; assessment: ReturnType<typeof assess>; sinceDiagnosisDays: number }>> {
  let q = db.selectFrom('cases').innerJoin('patients', 'patients.id', 'cases.patient_id').innerJoin('tumors', 'tumors.id', 'cases.tumor_id')
    .select(['cases.id as case_id', ...CASE_FACTS_COLUMNS])
    .where('cases.status', 'in', [...OPEN_CASE_STATUSES]);
  if (institutionId) q = q.where('cases.institution_id', '=', institutionId);
  const rows = await q.execute();
  const out = [];
  for (const r of rows) {
    const facts = caseFactsOfRow(r);
    const a = assess(facts);
    if (a.ok) out.push({ caseId: r.case_id, facts: facts as CaseFacts, assessment: a, sinceDiagnosisDays: daysSince(r.diagnosis_date, today) });
  }
  return out;
}

/**
 * Re-matches every open case against the catalogue and stores each verdict (E.5 "when a trial amendment arrives,
 * re-run that trial for all patients"): the conference readiness and the program metrics read these rows.
 */
async function rematchAll(s: Services, tx: Tx): Promise<number> {
  const { catalog: cat, byNct } = await catalog(s, tx);
  const now = isoNow(s);
  const cases = await openCases(tx, now.slice(0, 10));
  for (const c of cases) {
    const results = matchCase(c.facts, cat, { assessment: c.assessment.ok ? c.assessment.assessment : null, blocking: false, enrollmentInDays: c.sinceDiagnosisDays });
    await trialsRepo.saveMatches(tx, c.caseId, results.flatMap((m) => {
      const row = byNct.get(m.trialId);
      return row ? [{ trialId: row.id, verdict: m.verdict, trialVersion: row.version }] : [];
    }), now);
  }
  return cases.length;
}

export interface TrialSummary {
  /** nctId for registered trials, localId (the institution's protocol number) for local ones. */
  id: string; nctId: string | null; localId: string | null; source: string; title: string; network: string; status: string; phases: string[]; curation: string; version: number;
  criteriaCount: number; pendingReview: number; updatedAt: string; matches: { eligible: number; possible: number };
}

async function summary(db: Executor, r: TrialTable, institutionId: string): Promise<TrialSummary> {
  const def = definitionOf(r);
  const criteria = def.scopes.flatMap((sc) => sc.criteria);
  // Counts of this institution's open cases only (matches are patient data of each institution).
  const counts = await db.selectFrom('trial_matches').innerJoin('cases', 'cases.id', 'trial_matches.case_id')
    .select(['trial_matches.verdict as verdict', (eb) => eb.fn.countAll<number>().as('n')])
    .where('trial_matches.trial_id', '=', r.id).where('cases.institution_id', '=', institutionId).groupBy('trial_matches.verdict').execute();
  const n = (v: string) => Number(counts.find((c) => c.verdict === v)?.n ?? 0);
  return {
    id: r.id, nctId: r.nct_id, localId: r.local_id, source: r.source, title: r.title, network: r.network, status: r.status, phases: JSON.parse(r.phases) as string[],
    curation: r.curation, version: r.version, criteriaCount: criteria.length, pendingReview: criteria.filter((c) => !CURATED_STATUSES.has(c.status)).length,
    updatedAt: r.updated_at, matches: { eligible: n('eligible'), possible: n('possible') },
  };
}

export const trials = {
  /**
   * Imports ClinicalTrials.gov v2 study JSON: new records get drafted criteria; a known record whose criteria text
   * or update date changed keeps its curation but marks it stale (E.7 step 5); an unchanged one refreshes its
   * status and sites. Bad records are reported one by one and the rest of the batch goes in. Then every open case
   * is re-matched.
   */
  async importStudies(s: Services, actor: Actor | null, inputs: ReadonlyArray<{ source: string; json: unknown }>): Promise<ImportReport> {
    const parsed = inputs.map((i) => parseStudies(i.json, i.source));
    return trials.importParsed(s, actor, parsed.flatMap((p) => p.trials), parsed.flatMap((p) => p.errors));
  },

  /** Imports records already parsed (the CLI reads files itself); duplicates within the batch are reported. */
  async importParsed(s: Services, actor: Actor | null, records: readonly ImportedTrial[], parseErrors: readonly ImportError[] = []): Promise<ImportReport> {
    const errors = [...parseErrors];
    const seen = new Set<string>();
    const list: ImportedTrial[] = [];
    for (const t of records) {
      if (seen.has(t.nctId)) { errors.push({ source: t.source, index: null, nctId: t.nctId, reason: `duplicate ${t.nctId} in this import: the first one was imported` }); continue; }
      seen.add(t.nctId);
      list.push(t);
    }
    return audited(s, actor, { action: 'create', recordType: 'trial_import', detail: `${list.length} records` }, async (tx) => ({ ...await importTrials(s, tx, list), errors }));
  },

  async list(s: Services, actor: Actor, q: { q?: string; network?: string; status?: string; curation?: string; limit: number; offset: number }) {
    const { rows, total } = await trialsRepo.list(s.store.db, q);
    return { items: await Promise.all(rows.map((r) => summary(s.store.db, r, actor.institutionId))), total, limit: q.limit, offset: q.offset };
  },

  /** One trial: its registry record, curated definition and curation state. */
  async get(s: Services, actor: Actor, id: string) {
    return detail(s.store.db, id, actor.institutionId);
  },

  /**
   * A curator's edit of the criteria (accept, edit or reject each proposed leaf): compare-and-set on the version;
   * saving re-approves the curation against the current registry text (clears "stale"), then open cases re-match.
   */
  async saveDefinition(s: Services, actor: Actor, id: string, expectedVersion: number, input: unknown) {
    const def = parseTrialDefinition(input);
    return audited(s, actor, { action: 'update', recordType: 'trial', recordId: id }, async (tx, note) => {
      const r = await trialsRepo.get(tx, id);
      if (!r) throw new AppError('not_found', 'trial not found', { field: 'id' });
      const old = definitionOf(r);
      if (def.nctId !== old.nctId) throw new AppError('validation', `nctId: this is ${old.nctId}; a definition of ${def.nctId} cannot be saved here`, { field: 'nctId' });
      const basedOn = { lastUpdatePostDate: old.registry.lastUpdatePostDate, criteriaSha256: old.registry.criteriaSha256 };
      const next: TrialDefinition = { ...def, version: r.version + 1, registry: old.registry, curation: { ...def.curation, basedOn, stale: false } };
      const state = curationOf(next);
      const saved: TrialDefinition = { ...next, curation: { ...next.curation, state: state === 'curated' ? 'curated' : 'in_review' } };
      const now = isoNow(s);
      if (!await trialsRepo.update(tx, id, expectedVersion, { definition: JSON.stringify(saved), curation: state }, now)) {
        throw new AppError('stale', `trial was changed by someone else (now version ${r.version}): reload to see the change`, { field: 'If-Match' });
      }
      note.detail = `curation=${state}`;
      await rematchAll(s, tx);
      return detail(tx, id, actor.institutionId);
    });
  },

  /**
   * Every trial's verdict for one case, each criterion with its evidence (no prefilter: every criterion shows),
   * the facts that would settle the most "possible" trials, and the case's screening log. Stores the verdicts.
   * Through a grant (a second-opinion share or emergency access) the verdicts are computed for reading only: nothing
   * is stored, and the owner institution's screening log is not shown (`readOnly`).
   */
  async forCase(s: Services, actor: Actor, caseId: string) {
    return audited(s, actor, { action: 'read', recordType: 'trial_matches', recordId: caseId }, async (tx, note) => {
      const access = await resolveCaseRead(s, tx, actor, caseId);
      if (!access) throw new AppError('not_found', 'case not found', { field: 'id' });
      note.detail = basisDetail(access.basis);
      const ctx = await readCaseContext(tx, actor, caseId, access.institutionId);
      note.patientId = ctx.patient.id;
      const readOnly = access.basis !== 'own';
      const { catalog: cat, byNct } = await catalog(s, tx);
      const log = readOnly ? [] : await screeningsRepo.byCase(tx, actor.institutionId, caseId);
      // Each log entry with its history (who logged which step when), so the panel shows how an offer went.
      const events = await screeningsRepo.eventsOf(tx, log.map((l) => l.id));
      const withHistory = (r: (typeof log)[number]) => ({ ...screeningView(r), history: events.filter((e) => e.screening_id === r.id) });
      if (!ctx.facts) {
        return { caseId, readOnly, available: false, reason: ctx.errors[0]?.message ?? 'the case facts are incomplete', matches: [], dataRequests: [], screening: log.map(withHistory) };
      }
      const now = isoNow(s);
      // Registry facts describe the child at diagnosis; a trial enrolls the child as they are now.
      const enrollmentInDays = ctx.tumor ? daysSince(ctx.tumor.diagnosisDate, now.slice(0, 10)) : 0;
      const results: TrialMatch[] = matchCase(ctx.facts, cat, { assessment: ctx.assessment, prefilter: false, enrollmentInDays });
      if (!readOnly) {
        await trialsRepo.saveMatches(tx, caseId, results.flatMap((m) => {
          const row = byNct.get(m.trialId);
          return row ? [{ trialId: row.id, verdict: m.verdict, trialVersion: row.version }] : [];
        }), now);
      }
      const order = { eligible: 0, possible: 1, not_eligible: 2 } as const;
      const matches = results.map((m) => {
        const row = byNct.get(m.trialId);
        const entry = log.find((x) => x.trial_id === row?.id);
        return { ...m, id: row?.id ?? null, network: row?.network ?? null, phases: row ? JSON.parse(row.phases) as string[] : [], screening: entry ? withHistory(entry) : null };
      }).sort((a, b) => order[a.verdict] - order[b.verdict] || a.trialId.localeCompare(b.trialId));
      return { caseId, readOnly, available: true, reason: null, computedAt: now, ageNote: enrollmentInDays > 0 ? `ages are taken at today's date, ${enrollmentInDays} days after diagnosis` : null, matches, dataRequests: rankDataRequests(results), screening: log.map(withHistory) };
    });
  },

  /** Records a step of the screening log for a case and trial (screened, discussed, offered, enrolled, declined, not eligible). */
  async screen(s: Services, actor: Actor, caseId: string, trialId: string, input: { status: ScreeningStatus; reason?: string; verdict?: string }) {
    if (NEEDS_REASON.has(input.status) && !input.reason?.trim()) {
      throw new AppError('validation', `reason: say why (${input.status.replace('_', ' ')})`, { field: 'reason' });
    }
    return audited(s, actor, { action: 'update', recordType: 'trial_screening', recordId: caseId }, async (tx, note) => {
      const ctx = await readCaseContext(tx, actor, caseId);
      note.patientId = ctx.patient.id;
      const trial = await trialsRepo.get(tx, trialId);
      if (!trial) throw new AppError('validation', 'trialId: no such trial', { field: 'trialId' });
      const verdict = input.verdict ?? (await tx.selectFrom('trial_matches').select('verdict').where('case_id', '=', caseId).where('trial_id', '=', trialId).executeTakeFirst())?.verdict ?? null;
      const now = isoNow(s);
      let row = await screeningsRepo.get(tx, caseId, trialId);
      if (!row) {
        row = { id: newId(), case_id: caseId, trial_id: trialId, institution_id: actor.institutionId, status: input.status, reason: input.reason?.trim() || null, verdict, version: 1, updated_by: actor.userId, created_at: now, updated_at: now };
        try {
          await screeningsRepo.insert(tx, row);
        } catch (err) {
          if (isUniqueViolation(err)) throw new AppError('stale', 'the screening log of this trial was changed by someone else: reload', { field: 'trialId' });
          throw err;
        }
      } else if (!await screeningsRepo.update(tx, row.id, row.version, { status: input.status, reason: input.reason?.trim() || null, verdict, updated_by: actor.userId }, now)) {
        throw new AppError('stale', 'the screening log of this trial was changed by someone else: reload', { field: 'trialId' });
      }
      await screeningsRepo.event(tx, { id: newId(), screening_id: row.id, status: input.status, reason: input.reason?.trim() || null, user_id: actor.userId, at: now });
      note.detail = `${trial.nct_id ?? trial.local_id ?? trial.id} ${input.status}`;
      const saved = (await screeningsRepo.get(tx, caseId, trialId))!;
      return { ...screeningView(saved), history: await screeningsRepo.events(tx, saved.id) };
    });
  },

  /**
   * Program figures (issue 7 §6): of the children presented at conference, the share offered at least one trial and
   * the share enrolled, by tumor family. Counts only, no patient names.
   */
  async metrics(s: Services, actor: Actor) {
    return audited(s, actor, { action: 'read', recordType: 'trial_metrics' }, async (tx) => {
      const presented = await tx.selectFrom('cases').innerJoin('tumors', 'tumors.id', 'cases.tumor_id')
        .select(['cases.id', 'tumors.morphology'])
        .where('cases.institution_id', '=', actor.institutionId).where('cases.status', 'in', ['presented', 'plan_agreed', 'in_treatment', 'follow_up']).execute();
      const log = await tx.selectFrom('trial_screenings').select(['case_id', 'status']).where('institution_id', '=', actor.institutionId).execute();
      const offered = new Set(log.filter((l) => ['offered', 'enrolled', 'declined'].includes(l.status)).map((l) => l.case_id));
      const enrolled = new Set(log.filter((l) => l.status === 'enrolled').map((l) => l.case_id));
      const byFamily = new Map<string, { presented: number; offered: number; enrolled: number }>();
      for (const c of presented) {
        const fam = lookupMorphology(c.morphology)?.family ?? 'unknown';
        const m = byFamily.get(fam) ?? { presented: 0, offered: 0, enrolled: 0 };
        m.presented++;
        if (offered.has(c.id)) m.offered++;
        if (enrolled.has(c.id)) m.enrolled++;
        byFamily.set(fam, m);
      }
      const share = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 1000) / 10);
      const total = { presented: presented.length, offered: presented.filter((c) => offered.has(c.id)).length, enrolled: presented.filter((c) => enrolled.has(c.id)).length };
      return {
        definition: 'Children whose case was presented at conference (status presented or later); offered = a screening-log entry of offered, enrolled or declined for at least one trial; enrolled = at least one enrollment.',
        total: { ...total, offeredPercent: share(total.offered, total.presented), enrolledPercent: share(total.enrolled, total.presented) },
        byFamily: [...byFamily.entries()].sort().map(([family, m]) => ({ family, ...m, offeredPercent: share(m.offered, m.presented), enrolledPercent: share(m.enrolled, m.presented) })),
      };
    });
  },

  /** The screening state of a case for the conference readiness check: done once it has a log entry or nothing could apply. */
  async screeningState(db: Executor, caseId: string): Promise<'done' | 'pending' | 'not_available'> {
    const any = await db.selectFrom('trials').select('id').limit(1).executeTakeFirst();
    if (!any) return 'not_available';
    const logged = await db.selectFrom('trial_screenings').select('id').where('case_id', '=', caseId).limit(1).executeTakeFirst();
    if (logged) return 'done';
    const candidates = await db.selectFrom('trial_matches').select('verdict').where('case_id', '=', caseId).execute();
    return candidates.length > 0 && candidates.every((m) => m.verdict === 'not_eligible') ? 'done' : 'pending';
  },

  /**
   * A local institutional trial entered by hand (issue 7 §1): its criteria are drafted exactly as an import's are and
   * wait for curation; open cases are re-matched. The protocol number is unique by constraint (409 names localId).
   */
  async createLocal(s: Services, actor: Actor, input: LocalTrialInput) {
    const t = parseLocal(input);
    return audited(s, actor, { action: 'create', recordType: 'trial' }, async (tx, note) => {
      const id = await insertLocalTrial(s, tx, t, actor.institutionId);
      note.recordId = id;
      note.detail = `local ${t.localId}`;
      await rematchAll(s, tx);
      return detail(tx, id, actor.institutionId);
    });
  },

  /**
   * Edits a local trial's registry entry (compare-and-set). As with a re-imported record (E.7 step 5): changed criteria
   * replace a never-curated draft, and mark a curated trial stale so a curator reviews it again; a status or title
   * change keeps the curation. Only the institution that runs the trial may edit it; imported trials change by import.
   */
  async updateLocal(s: Services, actor: Actor, id: string, expectedVersion: number, input: LocalTrialInput) {
    const t = parseLocal(input);
    return audited(s, actor, { action: 'update', recordType: 'trial', recordId: id }, async (tx, note) => {
      const existing = await trialsRepo.get(tx, id);
      if (!existing) throw new AppError('not_found', 'trial not found', { field: 'id' });
      if (existing.source !== 'local') throw new AppError('validation', 'source: a ClinicalTrials.gov record changes by re-import, not by hand', { field: 'source' });
      if (existing.institution_id !== actor.institutionId) throw new AppError('forbidden', 'only the institution that runs this local trial may edit it');
      if (t.localId !== existing.local_id) throw new AppError('validation', `localId: the protocol number of this trial is ${existing.local_id}; it cannot be changed`, { field: 'localId' });
      const now = isoNow(s);
      const sameText = sha256Hex(localCriteriaText(t)) === existing.criteria_sha256;
      // The entry date moves only when the criteria change: a status edit must not make a curation stale.
      const record = localTrialRecord(t, sameText ? existing.last_update_post_date ?? now.slice(0, 10) : now.slice(0, 10));
      const outcome = await applyRegistryUpdate(s, tx, existing, { ...record, local: t } as ImportedTrial, now, { institutionId: actor.institutionId }, expectedVersion);
      note.detail = `local ${t.localId} ${outcome}`;
      if (outcome !== 'unchanged' || existing.status !== record.overallStatus) await rematchAll(s, tx);
      return detail(tx, id, actor.institutionId);
    });
  },

  /** Stored definitions for the CLI (`tumorboard match` without --trials). */
  async definitions(db: Executor): Promise<TrialDefinition[]> {
    return (await trialsRepo.all(db)).map(definitionOf);
  },
};

function screeningView(r: { id: string; trial_id: string; status: string; reason: string | null; verdict: string | null; version: number; updated_at: string }) {
  return { id: r.id, trialId: r.trial_id, status: r.status, reason: r.reason, verdict: r.verdict, version: r.version, updatedAt: r.updated_at };
}

/** Writes imported records in the caller's transaction (the demo loader uses it too) and re-matches open cases. */
export async function importTrials(s: Services, tx: Tx, list: readonly ImportedTrial[]): Promise<Omit<ImportReport, 'errors'>> {
  const now = isoNow(s);
  const imported: ImportReport['imported'] = [];
  for (const t of list) {
    const existing = await trialsRepo.byNct(tx, t.nctId);
    if (!existing) {
      const def = draftCriteria(t);
      const inserted = await trialsRepo.insertIfAbsent(tx, rowFrom(t, def, now, newId(), 1));
      imported.push({ nctId: t.nctId, outcome: inserted ? 'new' : 'unchanged', missing: [...t.missing] });
      continue;
    }
    imported.push({ nctId: t.nctId, outcome: await applyRegistryUpdate(s, tx, existing, t, now), missing: [...t.missing] });
  }
  const rematchedCases = imported.some((i) => i.outcome !== 'unchanged') ? await rematchAll(s, tx) : 0;
  return { imported, rematchedCases };
}

/**
 * A new registry record for a known trial (re-import, or a local trial's edit), E.7 step 5: never curated, the new
 * text simply replaces the draft; curated, the curator's work is kept and marked stale when the text changed.
 */
async function applyRegistryUpdate(s: Services, tx: Tx, existing: TrialTable, t: ImportedTrial, now: string, local?: { institutionId: string }, expectedVersion = existing.version): Promise<'unchanged' | 'updated' | 'curation_stale'> {
  const old = definitionOf(existing);
  const changed = existing.criteria_sha256 !== t.criteriaSha256 || existing.last_update_post_date !== t.lastUpdatePostDate;
  const uncurated = old.scopes.every((sc) => sc.criteria.every((c) => !CURATED_STATUSES.has(c.status)));
  const def = changed && uncurated ? { ...draftCriteria(t), version: old.version + 1 }
    : refreshRegistry(old, { lastUpdatePostDate: t.lastUpdatePostDate, criteriaSha256: t.criteriaSha256, overallStatus: t.overallStatus });
  const row = rowFrom(t, def, now, existing.id, existing.version + 1, local);
  const { id: _id, version: _v, created_at: _c, ...patch } = row;
  if (!await trialsRepo.update(tx, existing.id, expectedVersion, patch, now)) {
    throw new AppError('stale', local ? `trial was changed by someone else (now version ${existing.version}): reload to see the change` : `${t.nctId}: changed during the import; run it again`, { field: local ? 'If-Match' : 'nctId' });
  }
  return !changed ? 'unchanged' : uncurated ? 'updated' : 'curation_stale';
}

/** Writes a local trial with its drafted criteria (the demo loader uses it too); 409 naming localId when the number exists. */
export async function insertLocalTrial(s: Services, tx: Tx, t: LocalTrial, institutionId: string): Promise<string> {
  const now = isoNow(s);
  const record = localTrialRecord(t, now.slice(0, 10));
  const id = newId();
  try {
    await trialsRepo.insert(tx, rowFrom({ ...record, local: t } as ImportedTrial, draftCriteria(record), now, id, 1, { institutionId }));
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict', `localId: a trial with protocol number ${t.localId} already exists`, { field: 'localId' });
    throw err;
  }
  return id;
}

export function parseLocal(input: LocalTrialInput): LocalTrial {
  const r = localTrialInput.safeParse(input);
  if (!r.success) throw validationError(r.error.issues);
  return r.data;
}

async function detail(db: Executor, id: string, institutionId: string) {
  const r = await trialsRepo.get(db, id);
  if (!r) throw new AppError('not_found', 'trial not found', { field: 'id' });
  return { ...(await summary(db, r, institutionId)), registry: JSON.parse(r.registry) as ImportedTrial & { local?: LocalTrial }, definition: definitionOf(r), lastUpdatePostDate: r.last_update_post_date, criteriaSha256: r.criteria_sha256, importedAt: r.imported_at };

}

/** Days from the diagnosis (the date the registry facts describe) to today: trial ages are ages at enrollment. */
function daysSince(date: string, today: string): number {
  return Math.max(0, Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / 86_400_000));
}
