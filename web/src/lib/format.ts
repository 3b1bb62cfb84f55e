/** Display helpers: dates as YYYY-MM-DD, ages as "14 y 2 mo", codes as words. */

const pad = (n: number) => String(n).padStart(2, '0');

function localDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A calendar date ('2010-03-04') or an ISO timestamp shown as YYYY-MM-DD (timestamps in local time). */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : localDate(d);
}

/** An ISO timestamp as "YYYY-MM-DD HH:mm" in local time. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return `${localDate(d)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Whole months between a YYYY-MM-DD birth date and `on` (today by default); null if the date is unusable. */
export function ageInMonths(birthDate: string | null | undefined, on: Date = new Date()): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(birthDate ?? '');
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let months = (on.getFullYear() - y) * 12 + (on.getMonth() + 1 - mo);
  if (on.getDate() < d) months -= 1;
  return months < 0 ? null : months;
}

/** "14 y 2 mo"; infants under a year as "7 mo". */
export function formatAge(birthDate: string | null | undefined, on?: Date): string {
  const months = ageInMonths(birthDate, on);
  if (months === null) return '—';
  const years = Math.floor(months / 12);
  return years === 0 ? `${months % 12} mo` : `${years} y ${months % 12} mo`;
}

const UPPER_WORDS = new Set(['cog', 'rms', 'ajcc', 'icd', 'mri', 'ct', 'pet', 'ent', 'rt', 'gu', 'hn', 'fhir', 'ip', 'id', 'mrn']);

/** 'orthopedic_oncology' → 'Orthopedic oncology'; 'GROWTH_REMAINING' → 'Growth remaining'. */
export function humanize(code: string | null | undefined): string {
  if (!code) return '—';
  const words = code.replace(/([a-z])([A-Z])/g, '$1 $2').split(/[_\s]+/).filter(Boolean).map((w) => w.toLowerCase());
  return words
    .map((w, i) => (UPPER_WORDS.has(w) ? w.toUpperCase() : i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w))
    .join(' ');
}

export function formatSex(sex: string | null | undefined): string {
  return sex === 'male' ? 'Male' : sex === 'female' ? 'Female' : humanize(sex);
}

export function formatNumber(n: number | null | undefined, unit = ''): string {
  if (n === null || n === undefined) return 'Unknown';
  return `${n.toLocaleString('en-US', { maximumFractionDigits: 2 })}${unit ? ` ${unit}` : ''}`;
}

export function patientName(p: { familyName: string; givenName: string }): string {
  return `${p.familyName.toUpperCase()}, ${p.givenName}`;
}

/**
 * A patient's name as the lists from the API give it ("Family, Given": cases list, agenda), shown in the one form the
 * app uses everywhere (`patientName` above: "FAMILY, Given"). A name without the comma is shown as it came.
 */
export function listedName(listed: string): string {
  const at = listed.indexOf(', ');
  return at < 0 ? listed : patientName({ familyName: listed.slice(0, at), givenName: listed.slice(at + 2) });
}
