import type { Content, ContentTable, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { DISCIPLINES } from '../registry/types.js';
import type { Recommendation } from '../conference/types.js';

/**
 * The Tumor Conference agenda and minutes as printable documents (issue 5: "Minutes and agenda are available as
 * PDF with the institution's header"). Pure: a conference view in, a pdfmake document definition out;
 * `services/documents.ts` renders it. The PDF uses the standard 14 fonts (Helvetica), which cover WinAnsi
 * (Latin-1 plus a few typographic marks) only: other characters (Arabic, Chinese, Cyrillic, Devanagari names)
 * print as '?', every patient name is printed with the MRN so the reader can still find the patient, and the
 * document says so. Nothing is transliterated.
 */

/** What the documents read: the `ConferenceView` of `conferences.get` satisfies it. */
export interface ConferenceDocInput {
  seriesName: string;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  room: string | null;
  status: string;
  note: string | null;
  capacity: number;
  minutesLockedAt: string | null;
  currentItemId: string | null;
  overrun: boolean;
  readyCount: number;
  items: ReadonlyArray<{
    id: string;
    position: number;
    patientName: string;
    mrn: string | null;
    diagnosis: string | null;
    question: string | null;
    kind: string;
    urgent: boolean;
    estimatedMinutes: number;
    plannedStart: string | null;
    presenterName: string | null;
    status: string;
    startedAt: string | null;
    endedAt: string | null;
    recommendation: Recommendation | null;
    readiness: { ready: boolean; items: ReadonlyArray<{ key: string; label: string; ok: boolean | null; detail: string }> };
    inputs: ReadonlyArray<{ discipline: string; stance: string; findings: string | null; recommendation: string | null; authorName: string | null }>;
  }>;
  attendance: ReadonlyArray<{ displayName: string | null; discipline: string; mode: string; checkedInAt: string }>;
}

export interface ConferenceDocOptions {
  institutionName: string;
  /** Printed in the footer and stamped as the PDF's creation date, so the same input gives the same bytes. */
  generatedAt: Date;
}

export type ConferenceDocKind = 'agenda' | 'minutes';

export const PROGRAM_TITLE = 'Pediatric Sarcoma Tumor Conference';
export const PHI_NOTICE = 'CONFIDENTIAL: Contains protected health information. Do not forward or leave unattended; destroy securely when no longer needed.';
export const NON_LATIN_NOTE = 'Some text (such as names in Arabic, Chinese, Cyrillic or Devanagari script) cannot be shown in this PDF and appears as "?". '
  + 'Each patient is listed with the MRN; the full text is shown in TumorBoard.';
/** The standard PDF font the documents use (no font files needed). */
export const PDF_FONT = 'Helvetica';

const KIND_LABELS: Record<string, string> = {
  new_diagnosis: 'New diagnosis', urgent: 'Urgent', post_treatment: 'Post-treatment', relapse: 'Relapse', follow_up: 'Follow-up',
};
const STANCE_LABELS: Record<string, string> = {
  recommendation: 'Recommendation', no_direct_role_comment: 'No direct role, comment', needs_more_information: 'Needs more information',
};
const MODE_LABELS: Record<string, string> = { in_person: 'In person', remote: 'Remote' };
const STATUS_LABELS: Record<string, string> = { scheduled: 'Scheduled', live: 'In progress', finished: 'Finished', cancelled: 'Cancelled' };

/** A code as words: `radiation_oncology` → "Radiation oncology". */
export const humanize = (code: string) => {
  const s = code.replaceAll('_', ' ').trim();
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : '—';
};
const groupLabel = (d: string) => humanize(d);
const kindLabel = (k: string) => KIND_LABELS[k] ?? humanize(k);

/** Unicode code points outside Latin-1 that WinAnsiEncoding (and so the standard fonts) can show. */
const WIN_ANSI_EXTRA = new Set([
  0x0152, 0x0153, 0x0160, 0x0161, 0x0178, 0x017d, 0x017e, 0x0192, 0x02c6, 0x02dc, 0x2013, 0x2014, 0x2018, 0x2019, 0x201a,
  0x201c, 0x201d, 0x201e, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039, 0x203a, 0x20ac, 0x2122,
]);

/** Can the standard fonts show this code point? */
export function isWinAnsi(cp: number): boolean {
  return (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff) || WIN_ANSI_EXTRA.has(cp);
}

/**
 * Text as the standard fonts can print it: NFC-normalized (so "é" typed as e + accent prints), tabs as spaces,
 * other control characters dropped (line breaks kept), and every character outside WinAnsi replaced by '?'.
 */
export function toWinAnsi(s: string): { text: string; replaced: boolean } {
  let replaced = false;
  let out = '';
  for (const ch of s.normalize('NFC')) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\n' || isWinAnsi(cp)) out += ch;
    else if (ch === '\t') out += ' ';
    else if (ch === '\r' || cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) continue;
    else { out += '?'; replaced = true; }
  }
  return { text: out, replaced };
}

interface ZonedParts { weekday: string; date: string; time: string; zone: string }

function zonedParts(iso: string, timeZone: string): ZonedParts | null {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  let f: Intl.DateTimeFormat;
  const o: Intl.DateTimeFormatOptions = { weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' };
  try {
    f = new Intl.DateTimeFormat('en-US', { ...o, timeZone });
  } catch {
    f = new Intl.DateTimeFormat('en-US', { ...o, timeZone: 'UTC' });
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(d)) p[part.type] = part.value;
  return { weekday: p.weekday ?? '', date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}`, zone: p.timeZoneName ?? '' };
}

/** "Thu 2026-12-03 07:30 EST" in the series' time zone. */
export function formatZoned(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '—';
  const p = zonedParts(iso, timeZone);
  return p ? `${p.weekday} ${p.date} ${p.time} ${p.zone}`.trim() : iso;
}

const zonedTime = (iso: string | null | undefined, timeZone: string) => (iso ? zonedParts(iso, timeZone)?.time ?? iso : '—');

/** A file name safe in any header and file system: `tumor-conference-2026-12-03-minutes.pdf` (the date in the series' zone). */
export function conferencePdfFileName(view: Pick<ConferenceDocInput, 'startsAt' | 'timeZone'>, kind: ConferenceDocKind): string {
  const date = zonedParts(view.startsAt, view.timeZone)?.date ?? '';
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? `tumor-conference-${date}-${kind}.pdf` : `tumor-conference-${kind}.pdf`;
}

const truncate = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1).trimEnd()}…` : s);

/** One document being built: remembers whether any text had to be replaced, to say so in the notes. */
class Writer {
  replaced = false;
  constructor(readonly view: ConferenceDocInput, readonly opts: ConferenceDocOptions) {}

  t(s: string | null | undefined, fallback = '—'): string {
    if (s === null || s === undefined || s.trim() === '') return fallback;
    const r = toWinAnsi(s);
    if (r.replaced) this.replaced = true;
    return r.text;
  }

  when(iso: string | null | undefined): string { return formatZoned(iso, this.view.timeZone); }
  time(iso: string | null | undefined): string { return zonedTime(iso, this.view.timeZone); }

  /** The patient's name with the MRN, always together (the MRN finds the patient when the name cannot print). */
  patient(i: ConferenceDocInput['items'][number]): Content {
    return { stack: [{ text: this.t(i.patientName), bold: true }, { text: `MRN ${this.t(i.mrn, 'not recorded')}`, style: 'small' }] };
  }
}

function letterhead(w: Writer, title: string, width: number): Content {
  const v = w.view;
  const end = zonedTime(v.endsAt, v.timeZone);
  return [
    {
      columns: [
        { width: '*', stack: [{ text: w.t(w.opts.institutionName), style: 'institution' }, { text: PROGRAM_TITLE, style: 'program' }] },
        { width: 'auto', stack: [{ text: title, style: 'docTitle', alignment: 'right' }, { text: STATUS_LABELS[v.status] ?? humanize(v.status), alignment: 'right', style: 'small' }] },
      ],
    },
    { canvas: [{ type: 'line', x1: 0, y1: 4, x2: width, y2: 4, lineWidth: 1.5, lineColor: '#1f3a5f' }], margin: [0, 0, 0, 8] },
    {
      table: {
        widths: ['auto', '*'],
        body: [
          [{ text: 'Meeting', style: 'term' }, { text: `${w.when(v.startsAt)} to ${end} (${w.t(v.timeZone)})`, bold: true }],
          [{ text: 'Room', style: 'term' }, w.t(v.room, 'not set')],
          [{ text: 'Series', style: 'term' }, w.t(v.seriesName)],
        ],
      },
      layout: 'noBorders', margin: [0, 0, 0, 8],
    },
  ];
}

function banner(text: string, color: string, fill: string): Content {
  return {
    table: { widths: ['*'], body: [[{ text, color, bold: true, fillColor: fill, margin: [6, 4, 6, 4] }]] },
    layout: { hLineColor: () => color, vLineColor: () => color, hLineWidth: () => 0.8, vLineWidth: () => 0.8 },
    margin: [0, 0, 0, 10],
  };
}

function cancelledLine(w: Writer): string {
  const note = w.view.note?.trim() ? w.t(w.view.note.trim()) : '';
  return note ? `This conference was cancelled: ${note}${/[.!?]$/.test(note) ? '' : '.'}` : 'This conference was cancelled.';
}

/** A section heading; the frame keeps it on the page of what follows it. */
export function heading(text: string): Content {
  return { text, style: 'h2', headlineLevel: 1 };
}

export const headerRow = (cells: string[]): TableCell[] => cells.map((c) => ({ text: c, style: 'th' }));

/** Ruled table, shaded column headings; `titled`: the first row is a section title (kept with the table by pdfmake). */
export function gridLayout(titled = false): ContentTable['layout'] {
  const head = titled ? 1 : 0;
  return {
    hLineWidth: (i: number) => (i < head ? 0 : i === head + 1 ? 0.8 : 0.3), vLineWidth: () => 0,
    hLineColor: () => '#9aa5b1', paddingTop: () => 3, paddingBottom: () => 3, paddingLeft: () => 4, paddingRight: () => 4,
    fillColor: (row: number) => (row === head ? '#e8edf3' : null),
  };
}

/** A section title as the first (header) row of a table, so it never ends a page without the table. */
const titleRow = (text: string, cols: number): TableCell[] => [{ text, style: 'h4', colSpan: cols, margin: [-4, 4, 0, 0] }, ...Array.from({ length: cols - 1 }, () => ({}))];

function readinessSummary(w: Writer, i: ConferenceDocInput['items'][number]): Content {
  if (i.readiness.ready) return { text: 'Ready', bold: true };
  const failing = i.readiness.items.filter((r) => r.ok === false);
  return {
    stack: [
      { text: 'Not ready', bold: true, color: '#9a3412' },
      ...failing.map((r) => ({ text: `• ${r.label}: ${truncate(w.t(r.detail), 160)}`, style: 'small' })),
    ],
  };
}

function agendaTable(w: Writer): Content {
  const v = w.view;
  if (v.items.length === 0) return { text: 'No cases are on the agenda.', italics: true };
  return {
    table: {
      headerRows: 1, dontBreakRows: true,
      widths: [16, 120, '*', 62, 80, 40, 200],
      body: [
        headerRow(['#', 'Patient', 'Diagnosis and question', 'Kind', 'Presenter', 'Start', 'Readiness']),
        ...v.items.map((i): TableCell[] => [
          String(i.position),
          w.patient(i),
          { stack: [w.t(i.diagnosis, 'Diagnosis not recorded'), { text: `Question: ${w.t(i.question, 'not stated')}`, italics: true, style: 'small' }] },
          { stack: [kindLabel(i.kind), ...(i.urgent && i.kind !== 'urgent' ? [{ text: 'Urgent', bold: true, color: '#9a3412' }] : [])] },
          w.t(i.presenterName, 'not assigned'),
          { stack: [w.time(i.plannedStart), { text: `${i.estimatedMinutes} min`, style: 'small' }] },
          readinessSummary(w, i),
        ]),
      ],
    },
    layout: gridLayout(),
  };
}

const DISCIPLINE_ORDER: readonly string[] = DISCIPLINES;
const groupRank = (d: string) => (DISCIPLINE_ORDER.includes(d) ? DISCIPLINE_ORDER.indexOf(d) : DISCIPLINE_ORDER.length);

function attendanceSection(w: Writer): Content {
  const rows = [...w.view.attendance].sort((a, b) => groupRank(a.discipline) - groupRank(b.discipline)
    || a.discipline.localeCompare(b.discipline) || a.checkedInAt.localeCompare(b.checkedInAt));
  if (rows.length === 0) return [heading('Attendance'), { text: 'No one checked in to this meeting.', italics: true, margin: [0, 0, 0, 8] }];
  const groups = [...new Set(rows.map((a) => a.discipline))];
  const inPerson = rows.filter((a) => a.mode === 'in_person').length;
  return [
    heading(`Attendance (${rows.length})`),
    { text: `${groups.length} group${groups.length === 1 ? '' : 's'} represented; ${inPerson} in person, ${rows.length - inPerson} remote.`, style: 'small', margin: [0, 0, 0, 4] },
    {
      table: {
        headerRows: 1, dontBreakRows: true, widths: [130, '*', 70, 60],
        body: [
          headerRow(['Group', 'Name', 'Attended', 'Checked in']),
          ...rows.map((a, n): TableCell[] => [
            n > 0 && rows[n - 1]!.discipline === a.discipline ? '' : { text: groupLabel(a.discipline), bold: true },
            w.t(a.displayName, 'unknown user'),
            MODE_LABELS[a.mode] ?? humanize(a.mode),
            w.time(a.checkedInAt),
          ]),
        ],
      },
      layout: gridLayout(), margin: [0, 0, 0, 8],
    },
  ];
}

function recommendationTable(w: Writer, rec: Recommendation | null, locked: boolean): Content {
  const title = 'Recommendation of the conference';
  if (!rec) return { stack: [{ text: title, style: 'h4' }, { text: locked ? 'No recommendation was recorded.' : 'No recommendation recorded yet.', italics: true }], unbreakable: true };
  const missing = locked ? 'Not recorded' : 'Not recorded yet';
  const dissent = rec.dissent ?? [];
  const row = (label: string, value: Content): TableCell[] => [{ text: label, style: 'term' }, value];
  return {
    table: {
      widths: [110, '*'], dontBreakRows: true, headerRows: 1, keepWithHeaderRows: 1,
      body: [
        titleRow(title, 2),
        row('Diagnosis confirmed', w.t(rec.diagnosisConfirmed, missing)),
        row('Stage confirmed', w.t(rec.stageConfirmed, missing)),
        row('Plan of care', w.t(rec.planOfCare, missing)),
        row('Trial to offer', w.t(rec.trialToOffer, 'None')),
        row('Further work-up', w.t(rec.furtherWorkup, 'None')),
        row('Dissent', dissent.length === 0 ? 'None recorded'
          : { stack: dissent.map((d) => ({ text: [{ text: `${groupLabel(d.discipline)}: `, bold: true }, w.t(d.note)] })) }),
      ],
    },
    layout: { hLineWidth: (i: number) => (i < 2 ? 0 : 0.3), vLineWidth: () => 0, hLineColor: () => '#cbd2d9', paddingTop: () => 2, paddingBottom: () => 2, paddingLeft: () => 4 },
  };
}

function inputsTable(w: Writer, inputs: ConferenceDocInput['items'][number]['inputs']): Content {
  if (inputs.length === 0) return { stack: [{ text: 'Group input', style: 'h4' }, { text: 'No group posted input for this case.', italics: true, style: 'small' }], unbreakable: true };
  const sorted = [...inputs].sort((a, b) => groupRank(a.discipline) - groupRank(b.discipline) || a.discipline.localeCompare(b.discipline));
  return {
    table: {
      headerRows: 2, keepWithHeaderRows: 1, dontBreakRows: true, widths: [95, 75, '*', '*'],
      body: [
        titleRow('Group input', 4),
        headerRow(['Group', 'Stance', 'Findings', 'Recommends']),
        ...sorted.map((x): TableCell[] => [
          { stack: [{ text: groupLabel(x.discipline), bold: true }, { text: w.t(x.authorName, ''), style: 'small' }] },
          STANCE_LABELS[x.stance] ?? humanize(x.stance),
          w.t(x.findings),
          w.t(x.recommendation),
        ]),
      ],
    },
    layout: gridLayout(true),
  };
}

function discussedCase(w: Writer, i: ConferenceDocInput['items'][number], locked: boolean): Content {
  const discussed = i.startedAt ? `${w.time(i.startedAt)}${i.endedAt ? `–${w.time(i.endedAt)}` : ', still open'}` : '—';
  const title: Content = {
    text: [`${i.position}. `, w.t(i.patientName), { text: `   MRN ${w.t(i.mrn, 'not recorded')}`, style: 'mrn' }],
    style: 'h3',
  };
  const facts: Content = {
    table: {
      widths: ['auto', '*', 'auto', '*'],
      body: [
        [{ text: 'Diagnosis', style: 'term' }, w.t(i.diagnosis, 'not recorded'), { text: 'Kind', style: 'term' }, `${kindLabel(i.kind)}${i.urgent && i.kind !== 'urgent' ? ' (urgent)' : ''}`],
        [{ text: 'Presenter', style: 'term' }, w.t(i.presenterName, 'not assigned'), { text: 'Discussed', style: 'term' }, discussed],
        [{ text: 'Question', style: 'term' }, { text: w.t(i.question, 'not stated'), colSpan: 3 }, {}, {}],
      ],
    },
    layout: 'noBorders', margin: [0, 2, 0, 4],
  };
  return {
    stack: [
      // The case's title and facts stay together; the tables below keep their titles with their first rows.
      { stack: [title, facts], unbreakable: true },
      inputsTable(w, i.inputs),
      { text: '', margin: [0, 2, 0, 0] },
      recommendationTable(w, i.recommendation, locked),
    ],
    margin: [0, 0, 0, 12],
  };
}

function caseList(w: Writer, items: ConferenceDocInput['items'], last: string): Content {
  return {
    table: {
      headerRows: 1, dontBreakRows: true, widths: [16, 150, '*', 70, 90],
      body: [
        headerRow(['#', 'Patient', 'Diagnosis', 'Kind', last]),
        ...items.map((i): TableCell[] => [String(i.position), w.patient(i), w.t(i.diagnosis, 'not recorded'), kindLabel(i.kind), w.t(i.presenterName, 'not assigned')]),
      ],
    },
    layout: gridLayout(), margin: [0, 0, 0, 8],
  };
}

/** US Letter less the 40 pt side margins. */
export const PORTRAIT_WIDTH = 612 - 80;
const LANDSCAPE_WIDTH = 792 - 80;

export const STYLES: TDocumentDefinitions['styles'] = {
  institution: { fontSize: 15, bold: true, color: '#1f3a5f' },
  program: { fontSize: 11, color: '#334e68' },
  docTitle: { fontSize: 18, bold: true, color: '#1f3a5f' },
  h2: { fontSize: 12, bold: true, color: '#1f3a5f', margin: [0, 8, 0, 4] },
  h3: { fontSize: 10.5, bold: true, margin: [0, 6, 0, 2] },
  h4: { fontSize: 9, bold: true, color: '#334e68', margin: [0, 4, 0, 2] },
  mrn: { fontSize: 9, bold: false, color: '#334e68' },
  term: { bold: true, color: '#52606d' },
  th: { bold: true, fontSize: 8.5 },
  small: { fontSize: 7.5, color: '#3e4c59' },
  footer: { fontSize: 7, color: '#3e4c59' },
};

function frame(w: Writer, kind: ConferenceDocKind, content: Content[], extra: Partial<TDocumentDefinitions>): TDocumentDefinitions {
  const v = w.view;
  const title = kind === 'agenda' ? 'Agenda' : 'Minutes';
  const date = zonedParts(v.startsAt, v.timeZone)?.date ?? v.startsAt.slice(0, 10);
  // Said under the header, where the reader looks first, once any text had to be replaced.
  const notes: Content[] = w.replaced ? [{ text: `Note: ${NON_LATIN_NOTE}`, italics: true, color: '#52606d', margin: [0, 0, 0, 8] }] : [];
  const institution = w.t(w.opts.institutionName);
  const generated = formatZoned(w.opts.generatedAt.toISOString(), v.timeZone);
  return {
    pageSize: 'LETTER',
    pageMargins: [40, 44, 40, 52],
    // Metadata is read by indexers and mail filters: it names the meeting, never a patient.
    info: {
      title: `${PROGRAM_TITLE} ${title.toLowerCase()} ${date}`, author: institution, subject: `${title} of the ${PROGRAM_TITLE}`,
      creator: 'TumorBoard', producer: 'TumorBoard (pdfmake)', creationDate: w.opts.generatedAt, modDate: w.opts.generatedAt,
    },
    language: 'en-US',
    displayTitle: true,
    defaultStyle: { font: PDF_FONT, fontSize: 9, lineHeight: 1.15 },
    styles: STYLES,
    header: (page: number) => (page === 1 ? null : {
      text: `${institution} · ${PROGRAM_TITLE} · ${title} · ${date}`, style: 'footer', margin: [40, 20, 40, 0],
    }),
    footer: (page: number, pages: number) => ({
      margin: [40, 12, 40, 0],
      columns: [
        { text: PHI_NOTICE, style: 'footer', bold: true, width: '*' },
        { text: `Generated ${generated}\npage ${page} of ${pages}`, style: 'footer', alignment: 'right', width: 150 },
      ],
    }),
    // Keep a heading with what follows it.
    pageBreakBefore: (node, following) => (node.headlineLevel ?? 0) > 0 && following.length === 0,
    content: [...content.slice(0, 1), ...notes, ...content.slice(1)],
    ...extra,
  };
}

/** The agenda: header, cut-off facts and one row per case (patient with MRN, diagnosis, kind, presenter, start, readiness). */
export function agendaDocument(view: ConferenceDocInput, opts: ConferenceDocOptions): TDocumentDefinitions {
  const w = new Writer(view, opts);
  const content: Content[] = [letterhead(w, 'Agenda', LANDSCAPE_WIDTH)];
  if (view.status === 'cancelled') content.push(banner(`${cancelledLine(w)} Its cases moved to the series' next meeting.`, '#52606d', '#f0f4f8'));
  else if (view.note?.trim()) content.push({ text: [{ text: 'Note: ', bold: true }, w.t(view.note)], margin: [0, 0, 0, 8] });
  const minutes = view.items.reduce((n, i) => n + i.estimatedMinutes, 0);
  content.push({
    text: `${view.items.length} of ${view.capacity} places used · ${view.readyCount} of ${view.items.length} cases ready · ${minutes} minutes planned`,
    margin: [0, 0, 0, 6],
  });
  if (view.overrun) content.push({ text: 'The estimated times add up to more than the meeting length: the last cases may not be reached.', bold: true, color: '#9a3412', margin: [0, 0, 0, 6] });
  content.push(agendaTable(w));
  return frame(w, 'agenda', content, { pageOrientation: 'landscape' });
}

/**
 * The minutes: header, locked time (or a DRAFT watermark and banner while the meeting is not finished),
 * attendance by group, each discussed case with the groups' input and the recorded recommendation, the cases rolled
 * over to the next meeting and any not discussed.
 */
export function minutesDocument(view: ConferenceDocInput, opts: ConferenceDocOptions): TDocumentDefinitions {
  const w = new Writer(view, opts);
  const locked = view.minutesLockedAt !== null;
  const cancelled = view.status === 'cancelled';
  const content: Content[] = [letterhead(w, 'Minutes', PORTRAIT_WIDTH)];
  if (locked) content.push(banner(`Minutes locked at ${w.when(view.minutesLockedAt)}. This is the final record of the meeting.`, '#1f3a5f', '#e8edf3'));
  else if (cancelled) content.push(banner(`${cancelledLine(w)} There are no minutes; its cases moved to the series' next meeting.`, '#52606d', '#f0f4f8'));
  else content.push(banner(`DRAFT: the meeting has ${view.status === 'live' ? 'not finished' : 'not taken place'}. These minutes are not locked and may still change.`, '#9b1c1c', '#fdecec'));
  if (!cancelled && view.note?.trim()) content.push({ text: [{ text: 'Note: ', bold: true }, w.t(view.note)], margin: [0, 0, 0, 8] });

  const discussed = view.items.filter((i) => i.status === 'discussed' || (!locked && i.id === view.currentItemId));
  const rolled = view.items.filter((i) => i.status === 'rolled_over');
  const open = view.items.filter((i) => !discussed.includes(i) && !rolled.includes(i));
  content.push({ text: `${view.items.length} cases on the agenda: ${discussed.length} discussed, ${rolled.length} rolled over, ${open.length} not discussed.`, margin: [0, 0, 0, 4] });

  content.push(attendanceSection(w));
  content.push(heading(`Cases discussed (${discussed.length})`));
  if (discussed.length === 0) content.push({ text: 'No case has been discussed.', italics: true, margin: [0, 0, 0, 8] });
  for (const i of discussed) content.push(discussedCase(w, i, locked));

  content.push(heading(`Cases rolled over to the next meeting (${rolled.length})`));
  content.push(rolled.length ? caseList(w, rolled, 'Presenter') : { text: 'None.', italics: true, margin: [0, 0, 0, 8] });
  if (open.length) {
    content.push(heading(`${locked ? 'Not discussed (no later meeting in the series to roll over to)' : 'Not discussed yet'} (${open.length})`));
    content.push(caseList(w, open, 'Presenter'));
  }
  content.push({
    text: locked ? `End of minutes. Locked at ${w.when(view.minutesLockedAt)}; they can no longer be changed in TumorBoard.` : 'End of draft minutes.',
    italics: true, margin: [0, 10, 0, 0],
  });
  const watermark = locked ? {} : { watermark: { text: cancelled ? 'CANCELLED' : 'DRAFT', font: PDF_FONT, bold: true, color: '#b91c1c', opacity: 0.12 } };
  return frame(w, 'minutes', content, watermark);
}
