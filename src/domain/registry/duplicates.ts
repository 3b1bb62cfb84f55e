import { foldForSearch } from '../text.js';

/**
 * Duplicate patient detection at referral triage (issue 4): before creating a patient from a referral, the
 * coordinator sees the existing patients it may be, best first, each with the reasons. The matcher is deliberately
 * explainable rather than clever: a few typo classes people actually make, each with its points and its reason.
 *
 * Who is a candidate (the threshold):
 *   1. the same MRN (letters compared without case and dashes): always, the strongest evidence; or
 *   2. both names match (directly or with given and family swapped) AND the birth date is the same, has day and
 *      month swapped, or differs in one digit.
 * Same names with a birth date further off are not a candidate (twins and siblings share names and birth dates
 * only partly; namesakes are common), and neither is a same birth date with a different given name (twins).
 *
 * A name matches when, after folding (case, accents, Arabic vowel marks and letter variants, full-width forms):
 * it is equal; equal apart from spaces, hyphens and apostrophes; one is the start of the other ("Jon"/"Jonathan");
 * one's words are all words of the other ("Lopez"/"Garcia Lopez"); or, for names of 5+ letters, at most 2 letters
 * differ (Levenshtein). Transliteration between scripts ("Wang"/"王") and traditional/simplified Chinese are not
 * matched: staff see both names in the list anyway.
 */

/** Points per kind of evidence; the score ranks candidates (100 = same MRN and something else agrees). */
export const DUPLICATE_POINTS = {
  mrn: 100,
  /** Same MRN but neither names nor birth date agree: still shown, below a corroborated match. */
  mrnAlone: 75,
  birthDate: { same: 50, transposed: 30, one_digit: 30 },
  name: { exact: 20, separators: 20, prefix: 12, part: 12, close: 12 },
  swapped: -5,
} as const satisfies {
  mrn: number;
  mrnAlone: number;
  birthDate: Record<BirthDateMatch, number>;
  name: Record<NameMatch, number>;
  swapped: number;
};

/** How two names match (strongest first). */
export type NameMatch = 'exact' | 'separators' | 'prefix' | 'part' | 'close';
/** How two birth dates match. */
export type BirthDateMatch = 'same' | 'transposed' | 'one_digit';

/** The patient a referral describes. */
export interface DuplicateIncoming {
  familyName: string;
  givenName: string;
  birthDate: string;
  mrn?: string | null;
}

/** An existing patient to compare against. */
export interface DuplicateExisting {
  id: string;
  familyName: string;
  givenName: string;
  birthDate: string;
  mrn: string | null;
}

export interface DuplicateCandidate {
  patientId: string;
  score: number;
  reasons: string[];
}

/** Minimum length (letters) of the shorter name for "one is the start of the other". */
const MIN_PREFIX = 2;
/** Minimum length of both names for the edit-distance match, and the distance allowed. */
const MIN_FUZZY = 5;
const MAX_DISTANCE = 2;

const SEPARATORS = /[\s\-\u2010-\u2015'\u2018\u2019`´.,_]+/gu;

/** The comparison form of a name: folded, with Arabic tatweel removed and common letter variants unified. */
function nameKey(s: string): string {
  return foldForSearch(s)
    .replace(/\u0640/gu, '') // tatweel (kashida): decorative stretching
    .replace(/\u0649/gu, '\u064A') // alef maksura → yeh
    .replace(/\u0629/gu, '\u0647') // teh marbuta → heh
    .replace(SEPARATORS, ' ')
    .trim();
}

const compact = (key: string) => key.replace(/ /g, '');
const words = (key: string) => key.split(' ').filter(Boolean);

/** Edit distance on code points, giving up (returning max + 1) once it exceeds `max`. */
export function levenshtein(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  const x = Array.from(a);
  const y = Array.from(b);
  if (Math.abs(x.length - y.length) > max) return max + 1;
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= y.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[y.length]!;
}

/** How two names match, with the edit distance for `close`; null when they do not. */
export function compareNames(a: string, b: string): { match: NameMatch; distance?: number } | null {
  const ka = nameKey(a);
  const kb = nameKey(b);
  const ca = compact(ka);
  const cb = compact(kb);
  if (ca === '' || cb === '') return null;
  if (ka === kb) return { match: 'exact' };
  if (ca === cb) return { match: 'separators' };
  const [short, long] = Array.from(ca).length <= Array.from(cb).length ? [ca, cb] : [cb, ca];
  if (Array.from(short).length >= MIN_PREFIX && long.startsWith(short)) return { match: 'prefix' };
  const [ws, wl] = words(ka).length <= words(kb).length ? [words(ka), words(kb)] : [words(kb), words(ka)];
  if (wl.length > ws.length && ws.every((w) => wl.includes(w))) return { match: 'part' };
  if (Array.from(ca).length >= MIN_FUZZY && Array.from(cb).length >= MIN_FUZZY) {
    const distance = levenshtein(ca, cb, MAX_DISTANCE);
    if (distance <= MAX_DISTANCE) return { match: 'close', distance };
  }
  return null;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** How two ISO birth dates match: same, day and month swapped, or one digit different; null otherwise. */
export function compareBirthDates(a: string, b: string): BirthDateMatch | null {
  if (a === b) return 'same';
  const ma = ISO_DATE.exec(a);
  const mb = ISO_DATE.exec(b);
  if (!ma || !mb) return null;
  if (ma[1] === mb[1] && ma[2] === mb[3] && ma[3] === mb[2]) return 'transposed';
  let diff = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff++;
  return diff === 1 ? 'one_digit' : null;
}

const normalizeMrn = (mrn: string | null | undefined) => (mrn ?? '').trim().toUpperCase().replace(/-/g, '');

type Part = 'family' | 'given';

/** A name comparison in words; `theirs` is the existing patient's name part compared (differs when swapped). */
function describeName(part: Part, a: string, b: string, m: { match: NameMatch; distance?: number }, theirs: Part = part): string {
  const [x, y] = [a.trim(), b.trim()];
  const other = theirs === part ? `"${y}"` : `their ${theirs} name "${y}"`;
  switch (m.match) {
    case 'exact': return theirs === part ? `same ${part} name ("${x}")` : `${part} name "${x}" is their ${theirs} name`;
    case 'separators': return `${part} name "${x}" matches ${other} apart from spaces, hyphens or apostrophes`;
    case 'prefix': return `${part} name "${x}" and ${other}: one is the start of the other`;
    case 'part': return `${part} name "${x}" and ${other}: one is part of the other`;
    case 'close': return `${part} name "${x}" is ${m.distance} ${m.distance === 1 ? 'letter' : 'letters'} from ${other}`;
  }
}

interface NamePairing {
  points: number;
  reasons: string[];
}

function pairNames(incoming: DuplicateIncoming, existing: DuplicateExisting): NamePairing | { points: null; reasons: string[] } {
  const direct = [compareNames(incoming.familyName, existing.familyName), compareNames(incoming.givenName, existing.givenName)] as const;
  const swapped = [compareNames(incoming.familyName, existing.givenName), compareNames(incoming.givenName, existing.familyName)] as const;
  const points = (p: readonly [{ match: NameMatch } | null, { match: NameMatch } | null]) =>
    p[0] && p[1] ? DUPLICATE_POINTS.name[p[0].match] + DUPLICATE_POINTS.name[p[1].match] : null;
  const d = points(direct);
  const s = points(swapped);
  if (d !== null && (s === null || d >= s + DUPLICATE_POINTS.swapped)) {
    return {
      points: d,
      reasons: [
        describeName('family', incoming.familyName, existing.familyName, direct[0]!),
        describeName('given', incoming.givenName, existing.givenName, direct[1]!),
      ],
    };
  }
  if (s !== null) {
    return {
      points: s + DUPLICATE_POINTS.swapped,
      reasons: [
        'given and family names are swapped',
        describeName('family', incoming.familyName, existing.givenName, swapped[0]!, 'given'),
        describeName('given', incoming.givenName, existing.familyName, swapped[1]!, 'family'),
      ],
    };
  }
  const reasons: string[] = [];
  if (!direct[0]) reasons.push(`family names differ ("${incoming.familyName.trim()}" vs "${existing.familyName.trim()}")`);
  else reasons.push(describeName('family', incoming.familyName, existing.familyName, direct[0]));
  if (!direct[1]) reasons.push(`given names differ ("${incoming.givenName.trim()}" vs "${existing.givenName.trim()}")`);
  else reasons.push(describeName('given', incoming.givenName, existing.givenName, direct[1]));
  return { points: null, reasons };
}

function describeBirthDate(a: string, b: string, m: BirthDateMatch | null): string {
  switch (m) {
    case 'same': return `same birth date (${a})`;
    case 'transposed': return `birth date ${a} is ${b} with day and month swapped`;
    case 'one_digit': return `birth date ${a} differs from ${b} in one digit`;
    case null: return `birth date ${a} differs from ${b} in more than one digit`;
  }
}

/**
 * The evidence that an incoming patient is an existing one (issue 4 triage): whether it passes the candidate rule
 * (see the module comment), its score (0 when not a candidate) and every reason, for or against, in words.
 */
export function duplicateEvidence(incoming: DuplicateIncoming, existing: DuplicateExisting): {
  candidate: boolean;
  score: number;
  reasons: string[];
} {
  const mrnIn = normalizeMrn(incoming.mrn);
  const sameMrn = mrnIn !== '' && mrnIn === normalizeMrn(existing.mrn);
  const names = pairNames(incoming, existing);
  const birth = compareBirthDates(incoming.birthDate, existing.birthDate);
  const reasons = [
    ...(sameMrn ? [`same MRN (${existing.mrn?.trim()})`] : []),
    ...names.reasons,
    describeBirthDate(incoming.birthDate, existing.birthDate, birth),
  ];
  if (sameMrn) {
    const corroborated = names.points !== null || birth !== null;
    if (!corroborated) reasons.push('only the MRN agrees: check it is the same hospital\'s number');
    return { candidate: true, score: corroborated ? DUPLICATE_POINTS.mrn : DUPLICATE_POINTS.mrnAlone, reasons };
  }
  if (names.points === null || birth === null) return { candidate: false, score: 0, reasons };
  return { candidate: true, score: DUPLICATE_POINTS.birthDate[birth] + names.points, reasons };
}

/**
 * Existing patients the incoming one may be (issue 4 triage), best first (ties keep the input order), each with
 * its reasons. Only candidates by the rule in the module comment are returned; an empty list means "create".
 */
export function findDuplicateCandidates(incoming: DuplicateIncoming, existing: readonly DuplicateExisting[]): DuplicateCandidate[] {
  return existing
    .map((p) => ({ p, e: duplicateEvidence(incoming, p) }))
    .filter(({ e }) => e.candidate)
    .map(({ p, e }) => ({ patientId: p.id, score: e.score, reasons: e.reasons }))
    .sort((a, b) => b.score - a.score);
}

/**
 * A short folded token for the store to prefilter duplicate candidates with `search_text LIKE '%token%'`
 * (escape it with `escapeLike`): the first 3 characters of the longest word of the folded family name, so
 * hyphen, space and apostrophe variants ("Al-Hassan", "Alhassan", "O'Brien") still contain it, and swapped names
 * are found because the search text holds both names. Empty when the family name has no letters. The prefilter
 * should also OR `birth_date = ?` and `mrn = ?`, so a typo in the first letters is still caught by the birth date.
 */
export function duplicateSearchTokens(incoming: Pick<DuplicateIncoming, 'familyName'>): string {
  const parts = foldForSearch(incoming.familyName).split(SEPARATORS).filter(Boolean);
  const longest = parts.reduce((best, w) => (Array.from(w).length > Array.from(best).length ? w : best), '');
  return Array.from(longest).slice(0, 3).join('');
}
