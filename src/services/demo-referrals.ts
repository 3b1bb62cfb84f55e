import type { TumorFamily } from '../domain/coding/morphology.js';
import { drawFamily, type CultureId, type Household } from '../domain/demo/names.js';
import { createRng, type Rng } from '../domain/demo/prng.js';
import { recordItem, recordsChecklist, type RecordItemKey } from '../domain/referrals/records.js';
import { referralOrigin, travelNextDue } from '../domain/referrals/travel.js';
import {
  travelPlanSchema, type RecordStatus, type ReferralChannel, type ReferralOrigin, type ReferralPatient, type ReferralStatus,
  type Referrer, type TravelPlan, type Urgency,
} from '../domain/referrals/types.js';
import type { Guardian } from '../domain/registry/types.js';
import type { Tx } from '../store/db.js';
import { casesRepo } from '../store/cases.repo.js';
import { patientsRepo } from '../store/patients.repo.js';
import { referralSearchText, referralsRepo } from '../store/referrals.repo.js';
import { newId, type Services } from './context.js';

/**
 * The demo program's open referrals (synthetic, deterministic from the seed and the clock; no Math.random): a handful
 * at every step of the referral workflow, so the inbox, the turnaround clocks, the records checklist, the travel
 * worklist and the referring physician's "My referrals" have something to show. demo-history.ts makes the closed
 * (presented) ones behind the analytics.
 *
 * Each referral is written as the workflow (src/services/referrals.service.ts) would have left it: one
 * referral_events row per status change, so the clocks read true; from triage on, a patient created from the
 * referral, a case "referred" without a tumour yet, and the records checklist of the suspected tumour family; a
 * travel plan saved by the travel coordinator; a scheduled case on the next conference's agenda. No emails are
 * queued and no attachments are stored.
 */

/** The open steps of the pipeline the demo shows. */
export type DemoStage = Extract<ReferralStatus, 'received' | 'triaged' | 'records_requested' | 'records_complete' | 'scheduled'>;

/** Who sent it: the demo account `referrer` (Dr. Robert Chen), a family, an outside physician, or our own clinic. */
type Sender = 'referrer_user' | 'family' | 'outside_physician' | 'internal_clinic';

interface HomeSpec {
  culture: CultureId;
  country: string;
  state?: string;
  timeZone: string;
  language: string;
  interpreter: boolean;
  phone: (rng: Rng) => string;
}

/** One demo referral: where it stands, who sent it, and when each step happened (hours before now). */
interface DemoReferralSpec {
  key: string;
  status: DemoStage;
  sender: Sender;
  /** Referrer organization for outside physicians and our own clinic. */
  organization?: string;
  home: HomeSpec;
  sex: 'male' | 'female';
  ageYears: number;
  urgency: Urgency;
  travelNeeded: boolean;
  diagnosisText: string;
  question: string;
  /** Set at triage. */
  suspectedFamily?: TumorFamily;
  hoursAgo: { received: number; triaged?: number; recordsRequested?: number; recordsComplete?: number; scheduled?: number };
  triageNote?: string;
  /** Checklist items not named stay `needed`. */
  records?: Partial<Record<RecordItemKey, RecordStatus>>;
  recordNotes?: Partial<Record<RecordItemKey, string>>;
  /** The travel plan, dates in days from today; saved by the travel coordinator `savedHoursAgo` hours ago. */
  travel?: { savedHoursAgo: number; arrivalInDays?: number; stayDays?: number; plan: Omit<TravelPlan, 'arrivalDate' | 'departureDate' | 'escortName' | 'escortPhone'> };
}

const digits = (rng: Rng, n: number): string => Array.from({ length: n }, () => String(rng.int(0, 9))).join('');
/** US numbers in the 555-0100…0199 block reserved for fiction. */
const usPhone = (area: string) => (rng: Rng) => `+1 ${area}-555-01${digits(rng, 2)}`;

const US = (state: string, area: string, timeZone: string, culture: CultureId = 'en_us', language = 'English', interpreter = false): HomeSpec =>
  ({ culture, country: 'United States', state, timeZone, language, interpreter, phone: usPhone(area) });

/** The demo referrals, one row per step of the workflow (two received, two collecting records, two with travel, …). */
export const DEMO_REFERRALS = [
  {
    key: 'received-referrer-urgent', status: 'received', sender: 'referrer_user', home: US('Indiana', '317', 'America/Indiana/Indianapolis'),
    sex: 'male', ageYears: 10, urgency: 'urgent', travelNeeded: false,
    diagnosisText: 'Pathologic fracture through a lytic lesion of the left proximal humerus after minor trauma; radiographs suggest osteosarcoma. No biopsy yet.',
    question: 'Please see him urgently: where should the biopsy be done, and is limb salvage possible?',
    hoursAgo: { received: 30 },
  },
  {
    key: 'received-family-spanish', status: 'received', sender: 'family',
    home: { culture: 'es_latam', country: 'Colombia', state: 'Antioquia', timeZone: 'America/Bogota', language: 'Spanish', interpreter: true, phone: (r) => `+57 3${digits(r, 2)} ${digits(r, 3)} ${digits(r, 4)}` },
    sex: 'female', ageYears: 6, urgency: 'routine', travelNeeded: true,
    diagnosisText: 'Rabdomiosarcoma embrionario de la órbita derecha; biopsia en Medellín hace dos semanas. Tenemos el informe de patología y la resonancia.',
    question: '¿Pueden revisar el caso de nuestra hija y decirnos si puede recibir el tratamiento en su hospital?',
    hoursAgo: { received: 4 },
  },
  {
    key: 'records-requested-interpreter', status: 'records_requested', sender: 'outside_physician', organization: 'Gulf Coast pediatric clinic (Houston, Texas)',
    home: US('Texas', '713', 'America/Chicago', 'vi', 'Vietnamese', true),
    sex: 'male', ageYears: 14, urgency: 'routine', travelNeeded: false, suspectedFamily: 'ewing',
    diagnosisText: 'Ewing sarcoma of the right ilium on core biopsy (CD99 positive; EWSR1 FISH pending). Family prefers Vietnamese.',
    question: 'Staging review and a treatment plan; is surgery or radiotherapy the better local control here?',
    hoursAgo: { received: 144, triaged: 126, recordsRequested: 125 },
    triageNote: 'Vietnamese interpreter for every call with the family.',
    records: { outside_pathology_report: 'received', pathology_slides_blocks: 'requested', mri_primary: 'received', chest_ct: 'requested', pet_or_bone_scan: 'requested', labs: 'received' },
    recordNotes: { pathology_slides_blocks: 'Requested from the outside pathology lab; courier pending.', mri_primary: 'Images received on CD; waiting for our radiology read.' },
  },
  {
    key: 'triaged-urgent', status: 'triaged', sender: 'outside_physician', organization: 'Community hospital pediatrics (Erie, Pennsylvania)',
    home: US('Pennsylvania', '814', 'America/New_York', 'es_latam'),
    sex: 'female', ageYears: 13, urgency: 'urgent', travelNeeded: false, suspectedFamily: 'osteosarcoma',
    diagnosisText: 'High-grade osteosarcoma of the left distal femur on open biopsy; painful swelling for six weeks.',
    question: 'Neoadjuvant chemotherapy start and surgical planning: limb salvage candidate?',
    hoursAgo: { received: 40, triaged: 31 },
    records: { outside_pathology_report: 'received', x_ray_primary: 'received' },
    recordNotes: { outside_pathology_report: 'Came with the referral.', x_ray_primary: 'Films received; our radiology has not read them yet.' },
  },
  {
    key: 'travel-international', status: 'records_complete', sender: 'outside_physician', organization: 'Pediatric oncology service (Riyadh)',
    home: { culture: 'ar', country: 'Saudi Arabia', timeZone: 'Asia/Riyadh', language: 'Arabic', interpreter: true, phone: (r) => `+966 5${r.int(0, 9)} ${digits(r, 3)} ${digits(r, 4)}` },
    sex: 'male', ageYears: 12, urgency: 'routine', travelNeeded: true, suspectedFamily: 'nrsts',
    diagnosisText: 'Synovial sarcoma of the right popliteal fossa (SS18 rearrangement confirmed), unplanned excision with positive margins.',
    question: 'Re-excision or radiotherapy? The family asks for treatment here.',
    hoursAgo: { received: 312, triaged: 292, recordsRequested: 291, recordsComplete: 30 },
    records: { outside_pathology_report: 'received', pathology_slides_blocks: 'reviewed', mri_primary: 'reviewed', chest_ct: 'reviewed', pet_or_bone_scan: 'reviewed', labs: 'received' },
    travel: {
      savedHoursAgo: 20, arrivalInDays: 24, stayDays: 30,
      plan: {
        homeCountry: 'Saudi Arabia', timeZone: 'Asia/Riyadh', interpreterNeeded: true, interpreterLanguage: 'Arabic', interpreterArranged: false,
        lodging: 'Family house near the hospital: two rooms requested', lodgingConfirmed: false, visaLetter: 'sent', insuranceLetter: 'needed',
        notes: 'Treatment covered by the embassy medical office; guarantee letter requested from them.',
      },
    },
  },
  {
    key: 'travel-out-of-state', status: 'records_requested', sender: 'outside_physician', organization: "Regional children's clinic (Fairbanks, Alaska)",
    home: US('Alaska', '907', 'America/Anchorage'),
    sex: 'female', ageYears: 4, urgency: 'routine', travelNeeded: true, suspectedFamily: 'rhabdomyosarcoma',
    diagnosisText: 'Embryonal rhabdomyosarcoma of the bladder/prostate region on cystoscopic biopsy.',
    question: 'Risk group and whether local control can wait until after induction chemotherapy.',
    hoursAgo: { received: 192, triaged: 172, recordsRequested: 171 },
    records: { outside_pathology_report: 'received', pathology_slides_blocks: 'reviewed', mri_primary: 'reviewed', chest_ct: 'requested', pet_or_bone_scan: 'requested', bone_marrow: 'requested', labs: 'received' },
    travel: {
      savedHoursAgo: 50, arrivalInDays: 9, stayDays: 14,
      plan: {
        homeCountry: 'United States', homeState: 'Alaska', timeZone: 'America/Anchorage', interpreterNeeded: false, interpreterArranged: false,
        lodging: 'Hotel next to the hospital at the patient-family rate, booked for two weeks', lodgingConfirmed: true, visaLetter: 'not_needed', insuranceLetter: 'needed',
        notes: 'Flights through Seattle; the insurer wants a letter before approving care out of state.',
      },
    },
  },
  {
    key: 'scheduled-referrer', status: 'scheduled', sender: 'referrer_user', home: US('Michigan', '616', 'America/Detroit', 'hi'),
    sex: 'male', ageYears: 15, urgency: 'routine', travelNeeded: false, suspectedFamily: 'osteosarcoma',
    diagnosisText: 'Osteosarcoma of the right proximal tibia on biopsy; chest CT with two small nodules.',
    question: 'Are the lung nodules metastases, and what is the plan for the primary?',
    hoursAgo: { received: 288, triaged: 270, recordsRequested: 269, recordsComplete: 96, scheduled: 72 },
    records: { outside_pathology_report: 'received', pathology_slides_blocks: 'reviewed', x_ray_primary: 'reviewed', mri_primary: 'reviewed', chest_ct: 'reviewed', pet_or_bone_scan: 'reviewed', labs: 'received' },
  },
  {
    key: 'records-complete-internal', status: 'records_complete', sender: 'internal_clinic', organization: "Lakeshore Children's Hospital",
    home: US('Ohio', '216', 'America/New_York', 'yo'),
    sex: 'female', ageYears: 11, urgency: 'routine', travelNeeded: false, suspectedFamily: 'benign_bone',
    diagnosisText: 'Expansile lytic lesion of the left distal radius; biopsy: giant cell-rich lesion, aneurysmal bone cyst versus giant cell tumour.',
    question: 'Curettage or denosumab first?',
    hoursAgo: { received: 120, triaged: 100, recordsComplete: 20 },
    records: { outside_pathology_report: 'received', pathology_slides_blocks: 'reviewed', x_ray_primary: 'reviewed', mri_primary: 'reviewed', labs: 'received' },
  },
] as const satisfies readonly DemoReferralSpec[];

/** Who did a step: the sender (or nobody, for the public form), or a demo account by username. */
export type DemoActor = 'sender' | 'coordinator' | 'pathologist' | 'radiologist' | 'travel' | null;

export interface PlannedReferral {
  key: string;
  reference: string;
  status: DemoStage;
  channel: ReferralChannel;
  origin: ReferralOrigin;
  urgency: Urgency;
  /** The referral as submitted (the referral's own patient JSON). */
  patient: ReferralPatient & { interpreterNeeded: boolean; travelNeeded: boolean };
  sex: 'male' | 'female';
  guardians: Guardian[];
  /** For the demo referrer, the writer adds the account's email address. */
  referrer: Referrer;
  sentByReferrerUser: boolean;
  diagnosisText: string;
  question: string;
  preferredLanguage: string;
  suspectedFamily: TumorFamily | null;
  createdAt: string;
  triagedAt: string | null;
  recordsCompleteAt: string | null;
  scheduledAt: string | null;
  events: Array<{ status: DemoStage; at: string; by: DemoActor; note: string | null }>;
  records: Array<{ item: RecordItemKey; required: boolean; status: RecordStatus; version: number; at: string; by: DemoActor; note: string | null }> | null;
  travel: { plan: TravelPlan; savedAt: string } | null;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Changes an item went through to reach a status (needed → requested → received → reviewed). */
const RECORD_VERSIONS: Record<RecordStatus, number> = { needed: 1, requested: 2, received: 3, reviewed: 4, not_applicable: 2 };

/** A birth date `years` (and some days) before today, as YYYY-MM-DD. */
function birthDate(rng: Rng, now: Date, years: number): string {
  const back = years * 365.25 * DAY_MS + rng.int(10, 340) * DAY_MS;
  return new Date(now.getTime() - back).toISOString().slice(0, 10);
}

function referenceCode(rng: Rng): string {
  // Never starting with D, so it cannot meet demo-history.ts's REF-YYYY-D00001 references.
  let code = rng.pick([...REFERENCE_ALPHABET].filter((c) => c !== 'D'));
  for (let i = 0; i < 5; i++) code += rng.pick([...REFERENCE_ALPHABET]);
  return code;
}

/**
 * The demo's open referrals at `now`, every timestamp counted back from it: pure and deterministic (the seed picks
 * names, birth dates and reference codes). The writer below stores them; the test checks them against the workflow.
 */
export function planDemoReferrals(now: Date, seed: number): PlannedReferral[] {
  const rng = createRng(seed + 4_000_004);
  const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * HOUR_MS).toISOString();
  const day = (days: number) => new Date(now.getTime() + days * DAY_MS).toISOString().slice(0, 10);
  return (DEMO_REFERRALS as readonly DemoReferralSpec[]).map((spec): PlannedReferral => {
    const household: Household = {
      homeCountry: spec.home.country, culture: spec.home.culture, preferredLanguage: spec.home.language, interpreterNeeded: spec.home.interpreter,
      script: 'latin', phone: spec.home.phone, international: spec.home.country !== 'United States',
    };
    const family = drawFamily(rng, household, spec.sex);
    const doctor = drawFamily(rng, { ...household, script: 'latin' }, rng.chance(0.5) ? 'male' : 'female').guardians[0]!;
    const guardian = family.guardians[0]!;
    const patient = {
      familyName: family.patient.familyName, givenName: family.patient.givenName, birthDate: birthDate(rng, now, spec.ageYears), sex: spec.sex,
      homeCountry: spec.home.country, ...(spec.home.state ? { homeState: spec.home.state } : {}),
      interpreterNeeded: spec.home.interpreter, travelNeeded: spec.travelNeeded,
    };
    const referrer: Referrer = spec.sender === 'referrer_user' ? { name: 'Dr. Robert Chen', role: 'physician', phone: '+1 312-555-0142' }
      : spec.sender === 'family' ? { name: guardian.name, role: 'parent', ...(guardian.email ? { email: guardian.email } : {}), ...(guardian.phone ? { phone: guardian.phone } : {}) }
        : spec.sender === 'internal_clinic' ? { name: 'Dr. Marcus Lindqvist', role: 'physician', organization: spec.organization!, email: 'orthopedic@lch.example.org' }
          : { name: `Dr. ${doctor.name}`, role: 'physician', organization: spec.organization!, ...(doctor.phone ? { phone: doctor.phone } : {}) };
    const h = spec.hoursAgo;
    const createdAt = at(h.received);
    const events: PlannedReferral['events'] = [{ status: 'received', at: createdAt, by: spec.sender === 'family' || spec.sender === 'outside_physician' ? null : spec.sender === 'internal_clinic' ? 'coordinator' : 'sender', note: null }];
    if (h.triaged !== undefined) events.push({ status: 'triaged', at: at(h.triaged), by: 'coordinator', note: spec.triageNote ?? null });
    if (h.recordsRequested !== undefined) events.push({ status: 'records_requested', at: at(h.recordsRequested), by: 'coordinator', note: null });

    let records: PlannedReferral['records'] = null;
    if (h.triaged !== undefined) {
      const checklist = recordsChecklist(spec.suspectedFamily);
      const changed = checklist.filter((c) => (spec.records?.[c.item] ?? 'needed') !== 'needed');
      // Items arrive one after another from the request (or triage) to records complete (or a couple of hours ago).
      const fromH = h.recordsRequested ?? h.triaged;
      const toH = h.recordsComplete ?? Math.min(2, fromH);
      records = checklist.map((c) => {
        const status = spec.records?.[c.item] ?? 'needed';
        const n = changed.indexOf(c);
        const reviewer = recordItem(c.item)?.reviewedBy ?? null;
        return {
          item: c.item, required: c.required, status, version: RECORD_VERSIONS[status],
          at: n < 0 ? at(h.triaged!) : at(fromH - ((fromH - toH) * (n + 1)) / changed.length),
          by: status === 'reviewed' && reviewer ? (reviewer === 'pathology' ? 'pathologist' : 'radiologist') : 'coordinator',
          note: spec.recordNotes?.[c.item] ?? null,
        };
      });
      if (h.recordsComplete !== undefined) {
        const last = records.filter((r) => r.status !== 'needed').at(-1);
        events.push({ status: 'records_complete', at: at(h.recordsComplete), by: last?.by ?? 'coordinator', note: 'all required records received and reviewed' });
      }
    }
    if (h.scheduled !== undefined) events.push({ status: 'scheduled', at: at(h.scheduled), by: 'coordinator', note: 'Scheduled for the next tumor conference.' });

    const travel = spec.travel
      ? {
        savedAt: at(spec.travel.savedHoursAgo),
        plan: travelPlanSchema.parse({
          ...spec.travel.plan,
          ...(spec.travel.arrivalInDays !== undefined ? { arrivalDate: day(spec.travel.arrivalInDays), departureDate: day(spec.travel.arrivalInDays + (spec.travel.stayDays ?? 14)) } : {}),
          escortName: guardian.name, ...(guardian.phone ? { escortPhone: guardian.phone } : {}),
        }),
      }
      : null;
    return {
      key: spec.key, reference: `REF-${createdAt.slice(0, 4)}-${referenceCode(rng)}`, status: spec.status,
      channel: spec.sender === 'family' ? 'family' : spec.sender === 'internal_clinic' ? 'staff' : 'physician',
      origin: referralOrigin(spec.home.country, undefined, spec.sender === 'internal_clinic'), urgency: spec.urgency,
      patient, sex: spec.sex, guardians: family.guardians, referrer, sentByReferrerUser: spec.sender === 'referrer_user',
      diagnosisText: spec.diagnosisText, question: spec.question, preferredLanguage: spec.home.language, suspectedFamily: spec.suspectedFamily ?? null,
      createdAt, triagedAt: h.triaged !== undefined ? at(h.triaged) : null, recordsCompleteAt: h.recordsComplete !== undefined ? at(h.recordsComplete) : null,
      scheduledAt: h.scheduled !== undefined ? at(h.scheduled) : null, events, records, travel,
    };
  });
}

/**
 * Writes the planned referrals for the main institution (`mrnPrefix` continues its MRN sequence for the patients
 * triage creates). The scheduled one's case joins the next meeting whose cut-off has not passed, when it has room.
 */
export async function demoReferrals(s: Services, tx: Tx, institutionId: string, seed: number, mrnPrefix: string): Promise<{ referrals: number }> {
  const now = s.now();
  // A demo loaded without patients is an empty registry: no referrals either.
  const generated = await tx.selectFrom('patients').select('id').where('institution_id', '=', institutionId).limit(1).executeTakeFirst();
  if (!generated) return { referrals: 0 };
  const users = new Map((await tx.selectFrom('users').select(['id', 'username', 'email']).where('institution_id', '=', institutionId).execute()).map((u) => [u.username, u]));
  const idOf = (who: DemoActor, sender: string | null): string | null => (who === null ? null : who === 'sender' ? sender : users.get(who)?.id ?? null);
  const referrerUser = users.get('referrer');
  const coordinator = users.get('coordinator')?.id ?? null;
  let mrnNumber = Number((await tx.selectFrom('patients').select((eb) => eb.fn.countAll<number>().as('n')).where('institution_id', '=', institutionId).executeTakeFirstOrThrow()).n);
  const planned = planDemoReferrals(now, seed);
  for (const p of planned) {
    const senderId = p.sentByReferrerUser ? referrerUser?.id ?? null : null;
    const referrer: Referrer = p.sentByReferrerUser && referrerUser?.email ? { ...p.referrer, email: referrerUser.email } : p.referrer;
    let patientId: string | null = null;
    let caseId: string | null = null;
    if (p.triagedAt) {
      // What triage does: a patient created from the referral, a case "referred" without a tumour, the checklist.
      patientId = newId();
      caseId = newId();
      let mrn = '';
      do mrn = `${mrnPrefix}-${String(++mrnNumber).padStart(6, '0')}`;
      while (await patientsRepo.findByMrn(tx, institutionId, mrn));
      await patientsRepo.insert(tx, {
        id: patientId, institutionId, now: p.triagedAt, createdBy: coordinator,
        input: {
          mrn, familyName: p.patient.familyName, givenName: p.patient.givenName, birthDate: p.patient.birthDate, sex: p.sex,
          preferredLanguage: p.preferredLanguage, interpreterNeeded: p.patient.interpreterNeeded, homeCountry: p.patient.homeCountry, guardians: [],
        },
      });
      await casesRepo.insert(tx, {
        id: caseId, institution_id: institutionId, patient_id: patientId, tumor_id: null, status: 'referred', question: p.question,
        urgent: p.urgency === 'urgent' ? 1 : 0, created_at: p.triagedAt, eventId: newId(), byUserId: coordinator,
      });
      await tx.updateTable('patients').set({ case_status: 'referred' }).where('id', '=', patientId).execute();
      for (const r of p.records ?? []) {
        await tx.insertInto('case_records').values({
          id: newId(), case_id: caseId, item: r.item, required: r.required ? 1 : 0, status: r.status, note: r.note, updated_by: idOf(r.by, senderId),
          version: r.version, updated_at: r.at,
        }).execute();
      }
    }
    const id = newId();
    const last = p.events[p.events.length - 1]!;
    await tx.insertInto('referrals').values({
      id, institution_id: institutionId, reference: p.reference, idempotency_key: null, status: p.status, channel: p.channel, origin: p.origin,
      urgency: p.urgency, patient: JSON.stringify(p.patient), referrer: JSON.stringify(referrer), referrer_user_id: senderId,
      diagnosis_text: p.diagnosisText, question: p.question, consent_to_share: 1, preferred_language: p.preferredLanguage,
      assigned_to: p.triagedAt ? coordinator : null, patient_id: patientId, case_id: caseId, suspected_family: p.suspectedFamily, outcome_reason: null,
      search_text: referralSearchText(p.patient, referrer, p.reference, p.diagnosisText), triaged_at: p.triagedAt,
      records_complete_at: p.recordsCompleteAt, scheduled_at: p.scheduledAt, closed_at: null, version: p.events.length,
      created_at: p.createdAt, updated_at: last.at,
    }).execute();
    for (const e of p.events) {
      await referralsRepo.addEvent(tx, { id: newId(), referralId: id, status: e.status, at: e.at, byUserId: idOf(e.by, senderId), note: e.note });
    }
    if (p.travel) {
      await referralsRepo.insertTravel(tx, id, p.travel.plan, travelNextDue(p.travel.plan, now).due, p.travel.savedAt, users.get('travel')?.id ?? coordinator ?? 'system');
    }
    if (p.status === 'scheduled' && caseId) await addToNextAgenda(s, tx, institutionId, caseId, p.urgency, p.scheduledAt!, users.get('oncologist')?.id ?? null);
  }
  return { referrals: planned.length };
}

/** The scheduled case on the next meeting still open for cases (as demo.service.ts picks it), if there is room. */
async function addToNextAgenda(s: Services, tx: Tx, institutionId: string, caseId: string, urgency: Urgency, at: string, presenterId: string | null): Promise<void> {
  const series = await tx.selectFrom('conference_series').select(['id', 'settings']).where('institution_id', '=', institutionId).orderBy('created_at').executeTakeFirst();
  if (!series) return;
  const { cutoffHours = 24, capacity = 12 } = JSON.parse(series.settings) as { cutoffHours?: number; capacity?: number };
  const next = await tx.selectFrom('conferences').select(['id', 'starts_at']).where('series_id', '=', series.id).where('status', '=', 'scheduled')
    .where('starts_at', '>', s.now().toISOString()).orderBy('starts_at').limit(2).execute();
  const target = next.find((c) => Date.parse(c.starts_at) - cutoffHours * HOUR_MS > s.now().getTime()) ?? next[0];
  if (!target) return;
  const count = Number((await tx.selectFrom('agenda_items').select((eb) => eb.fn.countAll<number>().as('n')).where('conference_id', '=', target.id).executeTakeFirstOrThrow()).n);
  if (count >= capacity) return;
  await tx.insertInto('agenda_items').values({
    id: newId(), conference_id: target.id, case_id: caseId, kind: urgency === 'urgent' ? 'urgent' : 'new_diagnosis', position: count + 1,
    estimated_minutes: urgency === 'urgent' ? 15 : 10, presenter_id: presenterId, proposed: 0, status: 'pending', started_at: null, ended_at: null,
    recommendation: null, version: 1, created_at: at, updated_at: at,
  }).execute();
}
