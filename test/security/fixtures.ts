import { sql, type Kysely } from 'kysely';
import type { Services } from '../../src/services/context.js';
import type { Database } from '../../src/store/schema.js';
import type { CatalogRoute } from './route-catalog.js';

/**
 * Records shared by all institutions by design: the trial catalogue (registry trials and local ones) is public
 * information (src/services/trials.service.ts); only the institution running a local trial may edit it (403).
 */
export const SHARED_KINDS: ReadonlySet<RecordKind> = new Set(['trial']);

/** The kinds of record a path parameter names. */
export type RecordKind = 'patient' | 'fhirPatient' | 'tumor' | 'case' | 'referral' | 'attachment' | 'series' | 'conference' | 'agendaItem' | 'trial';

/** One record of each kind per institution: `own` is the main demo institution (LCH), `other` the second (RCM). */
export interface Fixtures {
  institutions: { own: string; other: string };
  own: Record<RecordKind, string>;
  other: Record<RecordKind, string>;
  /** Every patient-bound record id and MRN of each institution (a response to the other institution names none). */
  ids: { own: string[]; other: string[] };
}

type Row = Record<string, unknown>;

async function first(db: Kysely<Database>, table: string, where: Row): Promise<Row> {
  let q = db.selectFrom(table as keyof Database).selectAll() as any;
  for (const [k, v] of Object.entries(where)) q = v === null ? q.where(k, 'is', null) : q.where(k, '=', v);
  const row = await q.orderBy('id').executeTakeFirst();
  if (!row) throw new Error(`fixtures: no ${table} row for ${JSON.stringify(where)}`);
  return row as Row;
}

/** Copies a row with a new id and the given columns changed (for records the second institution lacks in the demo). */
async function clone(db: Kysely<Database>, table: string, row: Row, changes: Row): Promise<string> {
  const id = crypto.randomUUID();
  await db.insertInto(table as keyof Database).values({ ...row, ...changes, id } as never).execute();
  return id;
}

/**
 * Builds the fixture map from the demo data of both institutions. The demo gives the second institution (RCM) only
 * patients, tumours and cases; its referral, conference series, conference, agenda item, local trial and attachment
 * are copies of the first institution's rows moved to RCM (and its patient), inserted straight into the store.
 */
export async function buildFixtures(s: Services): Promise<Fixtures> {
  const db = s.store.db;
  const inst = await db.selectFrom('institutions').select(['id', 'code']).execute();
  const own = inst.find((i) => i.code === 'LCH')!.id;
  const other = inst.find((i) => i.code === 'RCM')!.id;
  const now = s.now().toISOString();

  // A case with a treatment plan where there is one (so the plan routes reach the plan), its patient and tumour.
  const side = async (institution: string) => {
    const planned = await db.selectFrom('plans').select('case_id').where('institution_id', '=', institution).orderBy('case_id').executeTakeFirst();
    const kase = planned ? await first(db, 'cases', { id: planned.case_id }) : await first(db, 'cases', { institution_id: institution });
    const tumor = await first(db, 'tumors', { patient_id: kase.patient_id });
    const patient = String(kase.patient_id);
    // FHIR ids are the record id with a type prefix (src/domain/fhir/export-common.ts).
    return { patient, fhirPatient: `pt-${patient}`, tumor: String(tumor.id), case: String(kase.id) };
  };
  const o = await side(own);
  const x = await side(other);
  // The demo shares one LCH case with RCM for a second opinion (src/services/demo-access.ts): the matrix checks
  // isolation without grants, so those shares are revoked here (reads through a grant: test/api/access-grants.test.ts).
  await db.updateTable('case_shares').set({ revoked_at: now }).where('revoked_at', 'is', null).execute();

  const referrer = await first(db, 'users', { username: 'referrer' });
  const ownReferral = (await db.selectFrom('referrals').selectAll().where('institution_id', '=', own)
    .orderBy(sql`case when referrer_user_id = ${referrer.id} then 0 else 1 end`).orderBy('id').executeTakeFirst()) as Row | undefined;
  if (!ownReferral) throw new Error('fixtures: the demo has no referral');
  // The referrer's "own referral" routes need one sent by the demo referrer.
  if (ownReferral.referrer_user_id !== referrer.id) {
    await db.updateTable('referrals').set({ referrer_user_id: String(referrer.id) }).where('id', '=', String(ownReferral.id)).execute();
    ownReferral.referrer_user_id = referrer.id;
  }
  // The copy must not carry the first institution's identifiers (the referral's patient JSON may hold an MRN).
  const ownMrns = (await db.selectFrom('patients').select('mrn').where('institution_id', '=', own).execute()).map((r) => r.mrn);
  const scrub = (v: unknown) => (typeof v === 'string' ? ownMrns.reduce((t, m) => t.split(m).join('RCM-COPY'), v) : v);
  const scrubbed = Object.fromEntries(Object.entries(ownReferral).map(([k, v]) => [k, scrub(v)]));
  const otherReferral = await clone(db, 'referrals', scrubbed, {
    institution_id: other, patient_id: x.patient, case_id: x.case, reference: `REF-RCM-${Date.now().toString(36).toUpperCase()}`,
    idempotency_key: null, referrer_user_id: null, assigned_to: null,
  });
  // An attachment per institution, its file in the file store (a committed attachment row always has its file).
  const bytes = Buffer.from('%PDF-1.4\n% synthetic attachment for the authorization matrix\n');
  if (!s.files) throw new Error('fixtures: the services have no file store');
  const hash = await s.files.put(bytes);
  const attachment = (referral: string) => ({
    id: crypto.randomUUID(), referral_id: referral, filename: 'synthetic.pdf', content_type: 'application/pdf',
    size_bytes: bytes.length, sha256: hash, kind: 'other', created_at: now,
  });
  const ownAttachment = attachment(String(ownReferral.id));
  const otherAttachment = attachment(otherReferral);
  await db.insertInto('attachments').values([ownAttachment, otherAttachment]).execute();

  const ownSeries = await first(db, 'conference_series', { institution_id: own });
  const otherSeries = await clone(db, 'conference_series', ownSeries, { institution_id: other });
  const ownConference = await first(db, 'conferences', { institution_id: own, status: 'scheduled' }).catch(() => first(db, 'conferences', { institution_id: own }));
  const ownItem = (await db.selectFrom('agenda_items').innerJoin('conferences', 'conferences.id', 'agenda_items.conference_id')
    .selectAll('agenda_items').where('conferences.institution_id', '=', own).orderBy('agenda_items.id').executeTakeFirst()) as Row | undefined;
  if (!ownItem) throw new Error('fixtures: the demo has no agenda item');
  const itemConference = await first(db, 'conferences', { id: ownItem.conference_id });
  const otherConference = await clone(db, 'conferences', itemConference, { institution_id: other, series_id: otherSeries, current_item_id: null });
  const otherItem = await clone(db, 'agenda_items', ownItem, { conference_id: otherConference, case_id: x.case, presenter_id: null });

  const ownTrial = (await db.selectFrom('trials').selectAll().orderBy(sql`case when institution_id is null then 1 else 0 end`).orderBy('id').executeTakeFirst()) as Row | undefined;
  if (!ownTrial) throw new Error('fixtures: the demo has no trial');
  const otherTrial = await clone(db, 'trials', ownTrial, {
    institution_id: other, source: 'local', nct_id: null, local_id: `RCM-LOCAL-${Date.now().toString(36)}`, created_at: now, updated_at: now,
  });

  const fx: Fixtures = {
    institutions: { own, other },
    own: {
      ...o, referral: String(ownReferral.id), attachment: ownAttachment.id, series: String(ownSeries.id),
      conference: String(ownConference.id), agendaItem: String(ownItem.id), trial: String(ownTrial.id),
    },
    other: {
      ...x, referral: otherReferral, attachment: otherAttachment.id, series: otherSeries, conference: otherConference,
      agendaItem: otherItem, trial: otherTrial,
    },
    ids: { own: [], other: [] },
  };
  // Patient-bound ids per institution (trials excluded: the trial catalogue is shared by design).
  for (const [key, institution] of [['own', own], ['other', other]] as const) {
    const ids = new Set<string>();
    for (const table of ['patients', 'tumors', 'cases', 'referrals', 'plans', 'conferences', 'conference_series'] as const) {
      for (const r of await db.selectFrom(table).select('id').where('institution_id', '=', institution).execute()) ids.add(r.id);
    }
    // And the medical record numbers (identifiers a list or report could carry without the record id).
    for (const r of await db.selectFrom('patients').select('mrn').where('institution_id', '=', institution).execute()) ids.add(r.mrn);
    fx.ids[key] = [...ids];
  }
  return fx;
}

/** What record a path parameter names, from its name and the URL segment before it. */
export function kindOf(route: CatalogRoute, param: string): RecordKind | undefined {
  const segs = route.url.split('/');
  const i = segs.findIndex((p) => p === `:${param}` || p.startsWith(`:${param}.`));
  const before = segs[i - 1] ?? '';
  if (param === 'patientId') return 'patient';
  if (param === 'caseId') return 'case';
  if (param === 'trialId') return 'trial';
  if (param === 'itemId') return 'agendaItem';
  if (param === 'id' && route.url.startsWith('/fhir/')) return 'fhirPatient';
  if (param !== 'id') return undefined;
  const map: Record<string, RecordKind> = {
    patients: 'patient', Patient: 'patient', tumors: 'tumor', cases: 'case', referrals: 'referral', mine: 'referral',
    attachments: 'attachment', 'conference-series': 'series', conferences: 'conference', trials: 'trial',
  };
  return map[before];
}

/** A valid value for a non-record parameter (an enum's first option, `Patient` for a FHIR type), else `x`. */
export function plainValue(route: CatalogRoute, param: string): string {
  if (param === 'type') return 'Patient';
  if (param === '*') return 'Patient/none/_history';
  if (param === 'item') return 'outside_pathology_report';
  const shape = (route.schema.params as { shape?: Record<string, { options?: unknown[] }> } | undefined)?.shape;
  const options = shape?.[param]?.options;
  return Array.isArray(options) && typeof options[0] === 'string' ? options[0] : 'x';
}

/** The route's URL with its path parameters filled from one institution's fixtures (`undefined` if none is a record). */
export function fillUrl(route: CatalogRoute, records: Record<RecordKind, string>): { url: string; scoped: boolean; kinds: RecordKind[] } {
  const kinds: RecordKind[] = [];
  const url = route.url.replace(/:([A-Za-z0-9_]+)|\*/g, (m, name: string | undefined) => {
    const param = name ?? '*';
    const kind = kindOf(route, param);
    if (kind) { kinds.push(kind); return encodeURIComponent(records?.[kind] ?? 'none'); }
    return param === '*' ? plainValue(route, param) : encodeURIComponent(plainValue(route, param));
  });
  return { url, scoped: kinds.length > 0, kinds };
}
