import { createHash } from 'node:crypto';
import { DAYS_PER_UNIT, type AgeUnit } from './criteria.js';

/**
 * ClinicalTrials.gov API v2 study records → `ImportedTrial` (trial-eligibility.md B, E.7 step 1). Pure: the caller
 * reads files or HTTP; this module only maps JSON. One bad record never fails a batch: it becomes an entry in
 * `errors` with a reason, and the rest is imported. A record with a bad field is still imported, with that field
 * listed in `missing` and the reason in `errors`.
 */

/** Where a trial comes from, for the program's offer statistics (DESIGN.md §2 "institutional, SARC, COG, POETIC, industry"). */
export const NETWORKS = ['COG', 'SARC', 'POETIC', 'industry', 'institutional', 'other'] as const;
export type Network = (typeof NETWORKS)[number];

export { AGE_UNITS, DAYS_PER_UNIT, type AgeUnit } from './criteria.js';

/** A registry age limit ("12 Months"): the value, its unit and the same in days. */
export interface AgeLimit {
  readonly text: string;
  readonly value: number;
  readonly unit: AgeUnit;
  readonly days: number;
}

export interface Sponsor { readonly name: string; readonly class: string | null }
export interface Arm {
  readonly label: string;
  readonly type: string | null;
  readonly description: string | null;
  readonly interventions: readonly string[];
}
export interface Intervention {
  readonly type: string | null;
  readonly name: string;
  readonly description: string | null;
  readonly armGroupLabels: readonly string[];
  readonly otherNames: readonly string[];
}
export interface Site {
  readonly facility: string | null;
  readonly city: string | null;
  readonly state: string | null;
  readonly country: string | null;
  /** Site-level recruitment status; it can differ from the trial's overall status (B, parsing note 5). */
  readonly status: string | null;
}
export interface Contact {
  readonly name: string | null;
  readonly role: string | null;
  readonly phone: string | null;
  readonly email: string | null;
}

export interface ImportedTrial {
  readonly nctId: string;
  /** Where this import read it from (a file path, "stdin", a URL). */
  readonly source: string;
  /** The record's own `_source` note(s), when present (mirrors the development fixtures were taken from). */
  readonly origin: readonly string[];
  readonly briefTitle: string | null;
  readonly officialTitle: string | null;
  readonly acronym: string | null;
  readonly orgStudyId: string | null;
  readonly secondaryIds: readonly string[];
  readonly overallStatus: string | null;
  /** `lastUpdatePostDateStruct.date` as given: may be partial ("2015-08"). */
  readonly lastUpdatePostDate: string | null;
  readonly studyType: string | null;
  readonly phases: readonly string[];
  readonly conditions: readonly string[];
  readonly keywords: readonly string[];
  readonly leadSponsor: Sponsor | null;
  readonly collaborators: readonly Sponsor[];
  readonly network: Network;
  /** Why the network was chosen (the rule that fired), for the curator. */
  readonly networkReason: string;
  readonly eligibility: {
    /** Absent = no lower limit. */
    readonly minimumAge: AgeLimit | null;
    /** Absent = no upper limit. */
    readonly maximumAge: AgeLimit | null;
    /** The registry strings as given, also when they could not be read (then the limit above is null and listed in `missing`). */
    readonly minimumAgeText: string | null;
    readonly maximumAgeText: string | null;
    readonly sex: 'ALL' | 'FEMALE' | 'MALE' | null;
    readonly stdAges: readonly string[];
    readonly healthyVolunteers: boolean | null;
    /** The raw `eligibilityCriteria` text; null when absent, empty or over the size cap. */
    readonly criteriaText: string | null;
  };
  /** SHA-256 (hex) of the registry's `eligibilityCriteria` exactly as given (also when the text was over the cap). */
  readonly criteriaSha256: string | null;
  readonly arms: readonly Arm[];
  readonly interventions: readonly Intervention[];
  readonly sites: readonly Site[];
  readonly centralContacts: readonly Contact[];
  /** What the record lacks or had unreadable, e.g. `eligibilityCriteria`, `maximumAge`, `phases`. */
  readonly missing: readonly string[];
}

export interface ImportError {
  /** Where the batch came from (file path). */
  readonly source: string;
  /** Position in the batch; null when the whole input is wrong. */
  readonly index: number | null;
  readonly nctId: string | null;
  readonly reason: string;
}

export interface ParseResult {
  readonly trials: ImportedTrial[];
  readonly errors: ImportError[];
}

/**
 * Criteria texts longer than this are not imported (the rest of the record is, with `eligibilityCriteria` in
 * `missing` and an error saying why). The longest real CT.gov criteria are around 20–30 kB; a megabyte is a
 * broken or hostile record, and truncating it would hand the curator a silently partial text.
 */
export const MAX_CRITERIA_CHARS = 200_000;

const NCT_ID = /^NCT\d{8}$/;

/** SHA-256 hex of a string (UTF-8): the amendment fingerprint of a criteria text (trial-eligibility.md B note 4). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Parses a registry age ("12 Months", "1 Year", "30 Years"; the v2 pattern `^\d+ (Year|Years|Month|…|Minutes)$`,
 * case-insensitive, decimals tolerated). Returns null for an unknown unit or shape.
 */
export function parseAgeLimit(text: string): AgeLimit | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(years?|months?|weeks?|days?|hours?|minutes?)\s*$/i.exec(text);
  if (!m) return null;
  const value = Number(m[1]);
  const word = m[2]!.toLowerCase();
  const unit = (word.endsWith('s') ? word : `${word}s`) as AgeUnit;
  return { text: text.trim(), value, unit, days: value * DAYS_PER_UNIT[unit] };
}

/**
 * Imports a batch (trial-eligibility.md E.7 step 1): one study, `{studies:[…]}` (an API page), or an array of
 * studies. Every record is mapped on its own; malformed records, missing or malformed NCT ids and duplicates within
 * the batch (the second is reported) become `errors` entries, and field-level problems are reported while the
 * record is still imported.
 */
export function parseStudies(input: unknown, source: string): ParseResult {
  const trials: ImportedTrial[] = [];
  const errors: ImportError[] = [];
  let records: readonly unknown[];
  if (Array.isArray(input)) records = input;
  else if (isObject(input) && Array.isArray(input.studies)) records = input.studies;
  else if (isObject(input) && 'protocolSection' in input) records = [input];
  else {
    errors.push({ source, index: null, nctId: null, reason: 'not a ClinicalTrials.gov v2 study, {studies:[…]} page or array of studies' });
    return { trials, errors };
  }
  const seen = new Set<string>();
  records.forEach((record, index) => {
    const r = parseStudy(record, source);
    for (const reason of r.fieldErrors) errors.push({ source, index, nctId: r.nctId, reason });
    if (r.trial === null) {
      errors.push({ source, index, nctId: r.nctId, reason: r.reason ?? 'unreadable record' });
      return;
    }
    if (seen.has(r.trial.nctId)) {
      errors.push({ source, index, nctId: r.trial.nctId, reason: `duplicate ${r.trial.nctId} in this batch (the first one was imported)` });
      return;
    }
    seen.add(r.trial.nctId);
    trials.push(r.trial);
  });
  return { trials, errors };
}

interface StudyResult {
  trial: ImportedTrial | null;
  nctId: string | null;
  reason?: string;
  fieldErrors: string[];
}

/** Reads typed fields, recording a field error (and treating the field as absent) when a value has the wrong type. */
class Reader {
  readonly errors: string[] = [];

  obj(o: Record<string, unknown> | undefined, key: string, path: string): Record<string, unknown> | undefined {
    const v = o?.[key];
    if (v === undefined || v === null) return undefined;
    if (!isObject(v)) { this.errors.push(`${path}: expected an object`); return undefined; }
    return v;
  }

  str(o: Record<string, unknown> | undefined, key: string, path: string): string | null {
    const v = o?.[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') { this.errors.push(`${path}: expected a string, got ${typeName(v)}`); return null; }
    const t = v.trim();
    return t === '' ? null : t;
  }

  bool(o: Record<string, unknown> | undefined, key: string, path: string): boolean | null {
    const v = o?.[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'boolean') { this.errors.push(`${path}: expected true or false, got ${typeName(v)}`); return null; }
    return v;
  }

  strings(o: Record<string, unknown> | undefined, key: string, path: string): string[] {
    const v = o?.[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) { this.errors.push(`${path}: expected an array of strings`); return []; }
    const out: string[] = [];
    v.forEach((s, i) => {
      if (typeof s === 'string' && s.trim() !== '') out.push(s.trim());
      else if (typeof s !== 'string') this.errors.push(`${path}[${i}]: expected a string, got ${typeName(s)}`);
    });
    return out;
  }

  objects(o: Record<string, unknown> | undefined, key: string, path: string): Array<{ o: Record<string, unknown>; path: string }> {
    const v = o?.[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) { this.errors.push(`${path}: expected an array`); return []; }
    const out: Array<{ o: Record<string, unknown>; path: string }> = [];
    v.forEach((x, i) => {
      if (isObject(x)) out.push({ o: x, path: `${path}[${i}]` });
      else this.errors.push(`${path}[${i}]: expected an object, got ${typeName(x)}`);
    });
    return out;
  }
}

function parseStudy(record: unknown, source: string): StudyResult {
  if (!isObject(record)) return { trial: null, nctId: null, reason: `expected a study object, got ${typeName(record)}`, fieldErrors: [] };
  const ps = record.protocolSection;
  if (!isObject(ps)) return { trial: null, nctId: null, reason: 'protocolSection: missing or not an object', fieldErrors: [] };
  const rd = new Reader();
  const P = 'protocolSection';
  const ident = rd.obj(ps, 'identificationModule', `${P}.identificationModule`);
  const rawId = ident?.nctId;
  if (typeof rawId !== 'string' || rawId.trim() === '') {
    return { trial: null, nctId: null, reason: `${P}.identificationModule.nctId: missing`, fieldErrors: rd.errors };
  }
  const nctId = rawId.trim().toUpperCase();
  if (!NCT_ID.test(nctId)) {
    return { trial: null, nctId: rawId, reason: `${P}.identificationModule.nctId: "${rawId.slice(0, 40)}" is not an NCT number (NCT followed by 8 digits)`, fieldErrors: rd.errors };
  }

  const missing: string[] = [];
  const status = rd.obj(ps, 'statusModule', `${P}.statusModule`);
  const sponsors = rd.obj(ps, 'sponsorCollaboratorsModule', `${P}.sponsorCollaboratorsModule`);
  const conditionsM = rd.obj(ps, 'conditionsModule', `${P}.conditionsModule`);
  const design = rd.obj(ps, 'designModule', `${P}.designModule`);
  const armsM = rd.obj(ps, 'armsInterventionsModule', `${P}.armsInterventionsModule`);
  const elig = rd.obj(ps, 'eligibilityModule', `${P}.eligibilityModule`);
  const contacts = rd.obj(ps, 'contactsLocationsModule', `${P}.contactsLocationsModule`);
  const E = `${P}.eligibilityModule`;

  const orgStudyInfo = rd.obj(ident, 'orgStudyIdInfo', `${P}.identificationModule.orgStudyIdInfo`);
  const secondaryIds = rd.objects(ident, 'secondaryIdInfos', `${P}.identificationModule.secondaryIdInfos`)
    .map(({ o, path }) => rd.str(o, 'id', `${path}.id`)).filter((s): s is string => s !== null);
  const lastUpdate = rd.obj(status, 'lastUpdatePostDateStruct', `${P}.statusModule.lastUpdatePostDateStruct`);

  const sponsorOf = (o: Record<string, unknown> | undefined, path: string): Sponsor | null => {
    const name = rd.str(o, 'name', `${path}.name`);
    return name === null ? null : { name, class: rd.str(o, 'class', `${path}.class`) };
  };
  const leadSponsor = sponsorOf(rd.obj(sponsors, 'leadSponsor', `${P}.sponsorCollaboratorsModule.leadSponsor`), `${P}.sponsorCollaboratorsModule.leadSponsor`);
  const collaborators = rd.objects(sponsors, 'collaborators', `${P}.sponsorCollaboratorsModule.collaborators`)
    .map(({ o, path }) => sponsorOf(o, path)).filter((s): s is Sponsor => s !== null);

  // Ages: absent = no limit; unreadable = a field error, the limit unknown (listed in missing, never "no limit").
  const ageOf = (key: 'minimumAge' | 'maximumAge'): { limit: AgeLimit | null; text: string | null } => {
    const text = rd.str(elig, key, `${E}.${key}`);
    if (text === null || /^n\/?a$/i.test(text)) return { limit: null, text: null };
    const limit = parseAgeLimit(text);
    if (limit === null) {
      rd.errors.push(`${E}.${key}: "${text.slice(0, 40)}" is not an age like "12 Months" or "30 Years" (units: Years, Months, Weeks, Days, Hours, Minutes); the limit is left unknown`);
      missing.push(key);
    }
    return { limit, text };
  };
  const minAge = ageOf('minimumAge');
  const maxAge = ageOf('maximumAge');

  let sex: 'ALL' | 'FEMALE' | 'MALE' | null = null;
  const sexText = rd.str(elig, 'sex', `${E}.sex`);
  if (sexText !== null) {
    const s = sexText.toUpperCase();
    if (s === 'ALL' || s === 'FEMALE' || s === 'MALE') sex = s;
    else { rd.errors.push(`${E}.sex: "${sexText.slice(0, 20)}" is not ALL, FEMALE or MALE`); missing.push('sex'); }
  }

  let criteriaText: string | null = null;
  let criteriaSha256: string | null = null;
  const rawCriteria = elig?.eligibilityCriteria;
  if (rawCriteria !== undefined && rawCriteria !== null && typeof rawCriteria !== 'string') {
    rd.errors.push(`${E}.eligibilityCriteria: expected a string, got ${typeName(rawCriteria)}`);
    missing.push('eligibilityCriteria');
  } else if (typeof rawCriteria === 'string' && rawCriteria.trim() !== '') {
    criteriaSha256 = sha256Hex(rawCriteria);
    if (rawCriteria.length > MAX_CRITERIA_CHARS) {
      rd.errors.push(`${E}.eligibilityCriteria: ${rawCriteria.length.toLocaleString('en-US')} characters is over the ${MAX_CRITERIA_CHARS.toLocaleString('en-US')}-character limit; the criteria were not imported (the rest of the record was)`);
      missing.push('eligibilityCriteria');
    } else {
      criteriaText = rawCriteria;
    }
  } else {
    missing.push('eligibilityCriteria');
  }

  const arms: Arm[] = rd.objects(armsM, 'armGroups', `${P}.armsInterventionsModule.armGroups`).flatMap(({ o, path }) => {
    const label = rd.str(o, 'label', `${path}.label`);
    if (label === null) { rd.errors.push(`${path}.label: missing; arm skipped`); return []; }
    return [{
      label, type: rd.str(o, 'type', `${path}.type`), description: rd.str(o, 'description', `${path}.description`),
      interventions: rd.strings(o, 'interventionNames', `${path}.interventionNames`),
    }];
  });
  const interventions: Intervention[] = rd.objects(armsM, 'interventions', `${P}.armsInterventionsModule.interventions`).flatMap(({ o, path }) => {
    const name = rd.str(o, 'name', `${path}.name`);
    if (name === null) { rd.errors.push(`${path}.name: missing; intervention skipped`); return []; }
    return [{
      type: rd.str(o, 'type', `${path}.type`), name, description: rd.str(o, 'description', `${path}.description`),
      armGroupLabels: rd.strings(o, 'armGroupLabels', `${path}.armGroupLabels`), otherNames: rd.strings(o, 'otherNames', `${path}.otherNames`),
    }];
  });
  const sites: Site[] = rd.objects(contacts, 'locations', `${P}.contactsLocationsModule.locations`).map(({ o, path }) => ({
    facility: rd.str(o, 'facility', `${path}.facility`), city: rd.str(o, 'city', `${path}.city`),
    state: rd.str(o, 'state', `${path}.state`), country: rd.str(o, 'country', `${path}.country`),
    status: rd.str(o, 'status', `${path}.status`),
  }));
  const centralContacts: Contact[] = rd.objects(contacts, 'centralContacts', `${P}.contactsLocationsModule.centralContacts`).map(({ o, path }) => ({
    name: rd.str(o, 'name', `${path}.name`), role: rd.str(o, 'role', `${path}.role`),
    phone: rd.str(o, 'phone', `${path}.phone`), email: rd.str(o, 'email', `${path}.email`),
  }));

  const briefTitle = rd.str(ident, 'briefTitle', `${P}.identificationModule.briefTitle`);
  const officialTitle = rd.str(ident, 'officialTitle', `${P}.identificationModule.officialTitle`);
  const overallStatus = rd.str(status, 'overallStatus', `${P}.statusModule.overallStatus`);
  const lastUpdatePostDate = rd.str(lastUpdate, 'date', `${P}.statusModule.lastUpdatePostDateStruct.date`);
  const phases = rd.strings(design, 'phases', `${P}.designModule.phases`);
  const conditions = rd.strings(conditionsM, 'conditions', `${P}.conditionsModule.conditions`);
  const orgStudyId = rd.str(orgStudyInfo, 'id', `${P}.identificationModule.orgStudyIdInfo.id`);

  // Absent ages mean "no limit" for matching, but the record still lacks them (the curator should know).
  if (minAge.text === null) missing.push('minimumAge');
  if (maxAge.text === null) missing.push('maximumAge');
  if (briefTitle === null && officialTitle === null) missing.push('title');
  if (overallStatus === null) missing.push('overallStatus');
  if (lastUpdatePostDate === null) missing.push('lastUpdatePostDate');
  if (phases.length === 0) missing.push('phases');
  if (conditions.length === 0) missing.push('conditions');
  if (leadSponsor === null) missing.push('leadSponsor');
  if (elig?.sex === undefined) missing.push('sex');
  if (sites.length === 0) missing.push('locations');

  const origin = record._source;
  const net = classifyNetwork({ leadSponsor, collaborators, orgStudyId, secondaryIds, sites });
  const trial: ImportedTrial = {
    nctId, source,
    origin: typeof origin === 'string' ? [origin] : Array.isArray(origin) ? origin.filter((s): s is string => typeof s === 'string') : [],
    briefTitle, officialTitle,
    acronym: rd.str(ident, 'acronym', `${P}.identificationModule.acronym`),
    orgStudyId, secondaryIds,
    overallStatus, lastUpdatePostDate,
    studyType: rd.str(design, 'studyType', `${P}.designModule.studyType`),
    phases, conditions,
    keywords: rd.strings(conditionsM, 'keywords', `${P}.conditionsModule.keywords`),
    leadSponsor, collaborators,
    network: net.network, networkReason: net.reason,
    eligibility: {
      minimumAge: minAge.limit, maximumAge: maxAge.limit, minimumAgeText: minAge.text, maximumAgeText: maxAge.text,
      sex, stdAges: rd.strings(elig, 'stdAges', `${E}.stdAges`), healthyVolunteers: rd.bool(elig, 'healthyVolunteers', `${E}.healthyVolunteers`),
      criteriaText,
    },
    criteriaSha256, arms, interventions, sites, centralContacts,
    missing: [...new Set(missing)],
  };
  return { trial, nctId, fieldErrors: rd.errors };
}

// ---- Network classification ----

interface NetworkInput {
  leadSponsor: Sponsor | null;
  collaborators: readonly Sponsor[];
  orgStudyId: string | null;
  secondaryIds: readonly string[];
  sites: readonly Site[];
}

/** COG protocol numbers: disease-committee prefix + 4 digits (AEWS1031, AOST0331, ARST1431, APEC14B1, ACNS0331…). */
const COG_STUDY_ID = /^(?:COG-?)?(?:AEWS|AOST|ARST|APEC|ACNS|ANBL|AREN|AHEP|AGCT|AALL|AAML|AHOD|ANHL|ACCL|ACCRN|ADVL|ALTE)\d{2}[A-Z0-9]{1,3}$/i;

/** First matching row wins: consortium names and protocol numbers before the sponsor class (trial-eligibility.md B). */
const NETWORK_RULES: ReadonlyArray<{ network: Network; why: string; test: (t: NetworkInput) => boolean }> = [
  { network: 'COG', why: "sponsor or collaborator is the Children's Oncology Group", test: (t) => sponsorNames(t).some((n) => /children'?s oncology group|\bCOG\b/i.test(n)) },
  { network: 'COG', why: 'COG protocol number', test: (t) => ids(t).some((id) => COG_STUDY_ID.test(id)) },
  { network: 'SARC', why: 'sponsor or collaborator is SARC', test: (t) => sponsorNames(t).some((n) => /sarcoma alliance for research through collaboration|^SARC\b/i.test(n)) },
  { network: 'SARC', why: 'SARC protocol number', test: (t) => ids(t).some((id) => /^SARC\d{3}/i.test(id)) },
  { network: 'POETIC', why: 'sponsor or collaborator is POETIC', test: (t) => sponsorNames(t).some((n) => /\bPOETIC\b|pediatric oncology experimental therapeutics/i.test(n)) },
  { network: 'COG', why: "a listed site is the Children's Oncology Group", test: (t) => t.sites.some((s) => /children'?s oncology group/i.test(s.facility ?? '')) },
  { network: 'industry', why: 'lead sponsor class INDUSTRY', test: (t) => t.leadSponsor?.class === 'INDUSTRY' },
  { network: 'institutional', why: 'lead sponsor is a hospital, university or institute', test: (t) => t.leadSponsor !== null && t.leadSponsor.class !== 'NIH' && t.leadSponsor.class !== 'NETWORK' && /hospital|universit|institut|medical center|medical centre|children'?s|cancer center|clinic|school of medicine|health/i.test(t.leadSponsor.name) },
];

const sponsorNames = (t: NetworkInput): string[] => [t.leadSponsor, ...t.collaborators].filter((s): s is Sponsor => s !== null).map((s) => s.name);
const ids = (t: NetworkInput): string[] => [t.orgStudyId, ...t.secondaryIds].filter((s): s is string => s !== null);

/** The trial's network from sponsor names and classes, and protocol numbers (first matching rule). */
export function classifyNetwork(t: NetworkInput): { network: Network; reason: string } {
  for (const r of NETWORK_RULES) if (r.test(t)) return { network: r.network, reason: r.why };
  return { network: 'other', reason: t.leadSponsor === null ? 'no sponsor given' : `lead sponsor ${t.leadSponsor.name} (${t.leadSponsor.class ?? 'class not given'})` };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}
