import type { DynamicContent, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { describe, expect, test } from 'vitest';
import {
  agendaDocument, conferencePdfFileName, minutesDocument, NON_LATIN_NOTE, PHI_NOTICE, PROGRAM_TITLE, toWinAnsi,
  type ConferenceDocInput,
} from './conference-pdf.js';

type Item = ConferenceDocInput['items'][number];

const ready = { ready: true, items: [{ key: 'groups', label: 'Required groups have reviewed or are present', ok: true, detail: 'all 4 required groups' }] };
const notReady = {
  ready: false,
  items: [
    { key: 'groups', label: 'Required groups have reviewed or are present', ok: false, detail: 'no input or attendance yet from pathology' },
    { key: 'question', label: 'Question for the conference stated', ok: true, detail: 'Surgery or RT?' },
    { key: 'trials', label: 'Trial screening', ok: null, detail: 'trial screening arrives with the trials module' },
  ],
};

function item(n: number, over: Partial<Item> = {}): Item {
  return {
    id: `item-${n}`, position: n, patientName: `Patient${n}, Given`, mrn: `MRN-00${n}`, diagnosis: 'Ewing sarcoma', question: `Question ${n}?`,
    kind: 'new_diagnosis', urgent: false, estimatedMinutes: 10, plannedStart: `2026-12-03T12:${String(30 + (n - 1) * 10).padStart(2, '0')}:00.000Z`,
    presenterName: 'Dr. Priya Raman', status: 'pending', startedAt: null, endedAt: null, recommendation: null, readiness: ready, inputs: [], ...over,
  };
}

/** A meeting on Thursday 2026-12-03 at 07:30 New York time, finished and locked at 09:05. */
function finishedView(over: Partial<ConferenceDocInput> = {}): ConferenceDocInput {
  return {
    seriesName: 'Sarcoma Tumor Board', startsAt: '2026-12-03T12:30:00.000Z', endsAt: '2026-12-03T14:00:00.000Z', timeZone: 'America/New_York',
    room: 'Weinberg 2, Conference Room B', status: 'finished', note: null, capacity: 12, minutesLockedAt: '2026-12-03T14:05:00.000Z',
    currentItemId: null, overrun: false, readyCount: 2,
    items: [
      item(1, {
        status: 'discussed', startedAt: '2026-12-03T12:31:00.000Z', endedAt: '2026-12-03T12:44:00.000Z',
        inputs: [
          { discipline: 'radiology', stance: 'recommendation', findings: 'No lung nodules.', recommendation: 'MRI at week 9.', authorName: 'Dr. Amira Haddad' },
          { discipline: 'pathology', stance: 'no_direct_role_comment', findings: 'EWSR1 rearranged.', recommendation: null, authorName: 'Dr. Kenji Watanabe' },
        ],
        recommendation: {
          diagnosisConfirmed: 'Ewing sarcoma of the left femur', stageConfirmed: 'Localized', planOfCare: 'VDC/IE interval-compressed',
          trialToOffer: 'AEWS1221', furtherWorkup: 'Bone marrow biopsy',
          dissent: [{ discipline: 'radiation_oncology', note: 'Prefers definitive radiation.' }],
        },
      }),
      item(2, { status: 'discussed', kind: 'relapse', startedAt: '2026-12-03T12:44:00.000Z', endedAt: '2026-12-03T12:58:00.000Z', recommendation: null }),
      item(3, { status: 'rolled_over', kind: 'post_treatment', readiness: notReady }),
    ],
    attendance: [
      { displayName: 'Dr. Amira Haddad', discipline: 'radiology', mode: 'remote', checkedInAt: '2026-12-03T12:29:00.000Z' },
      { displayName: 'Dr. Priya Raman', discipline: 'pediatric_oncology', mode: 'in_person', checkedInAt: '2026-12-03T12:25:00.000Z' },
      { displayName: 'Dr. Lee Chen', discipline: 'pediatric_oncology', mode: 'remote', checkedInAt: '2026-12-03T12:27:00.000Z' },
    ],
    ...over,
  };
}

const opts = { institutionName: 'Lakeshore Children’s Hospital', generatedAt: new Date('2026-12-03T15:00:00.000Z') };

/** The words of a content node: inline text runs joined as they print, blocks and cells separated by " | ". */
function words(node: unknown): string {
  if (node === null || node === undefined) return '';
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(words).filter(Boolean).join(' | ');
  if (typeof node !== 'object') return '';
  const o = node as Record<string, unknown>;
  if ('text' in o) return Array.isArray(o.text) ? o.text.map(words).join('') : words(o.text);
  if ('stack' in o) return words(o.stack);
  if ('columns' in o) return words(o.columns);
  if ('table' in o) return words((o.table as { body: unknown }).body);
  if ('ul' in o) return words(o.ul);
  return '';
}

const dynamic = (c: TDocumentDefinitions['footer'], page: number, pages: number) =>
  (typeof c === 'function' ? words((c as DynamicContent)(page, pages, { width: 612, height: 792, orientation: 'portrait' })) : words(c));

/** Everything the reader sees on page `page` of `pages`, except the placement: content, header, footer, watermark. */
function docText(doc: TDocumentDefinitions, page = 1, pages = 2): string {
  const wm = typeof doc.watermark === 'string' ? doc.watermark : doc.watermark?.text ?? '';
  return [words(doc.content), dynamic(doc.header, page, pages), dynamic(doc.footer, page, pages), wm].join(' | ');
}

/** The text of the section that starts with the heading `title`, up to the next section heading. */
function section(doc: TDocumentDefinitions, title: RegExp): string {
  const nodes = (doc.content as unknown[]).flat(Infinity);
  const start = nodes.findIndex((n) => (n as { style?: string }).style === 'h2' && title.test(words(n)));
  if (start < 0) return '';
  const end = nodes.findIndex((n, i) => i > start && (n as { style?: string }).style === 'h2');
  return words(nodes.slice(start, end < 0 ? undefined : end));
}

describe('the agenda document', () => {
  const doc = agendaDocument(finishedView({ status: 'scheduled', minutesLockedAt: null, items: [item(1), item(2, { readiness: notReady, urgent: true })] }), opts);
  const text = docText(doc);

  test('has the institution header with the meeting time in the series time zone and the room', () => {
    expect(text).toContain('Lakeshore Children’s Hospital');
    expect(text).toContain(PROGRAM_TITLE);
    expect(text).toContain('Agenda');
    expect(text).toContain('Thu 2026-12-03 07:30 EST to 09:00 (America/New_York)');
    expect(text).toContain('Weinberg 2, Conference Room B');
    expect(doc.pageOrientation).toBe('landscape');
  });

  test('lists each case with patient and MRN, diagnosis, kind, presenter, planned start and readiness', () => {
    for (const n of [1, 2]) {
      expect(text).toContain(`Patient${n}, Given | MRN MRN-00${n}`);
      expect(text).toContain(`Question: Question ${n}?`);
    }
    expect(text).toContain('Ewing sarcoma');
    expect(text).toContain('New diagnosis');
    expect(text).toContain('Dr. Priya Raman');
    expect(text).toContain('07:30 | 10 min');
    expect(text).toContain('07:40 | 10 min');
    expect(text).toContain('Ready');
    expect(text).toContain('Not ready | • Required groups have reviewed or are present: no input or attendance yet from pathology');
    // Only failing checks are listed; an unchecked one (trials) is not a failure.
    expect(text).not.toContain('Trial screening');
    expect(text).toContain('Urgent');
  });

  test('every page says it holds PHI, when it was generated, and "page X of Y"', () => {
    expect(docText(doc, 2, 3)).toContain(PHI_NOTICE);
    expect(docText(doc, 2, 3)).toContain('Generated Thu 2026-12-03 10:00 EST\npage 2 of 3');
    expect(dynamic(doc.header, 1, 3)).toBe('');
    expect(dynamic(doc.header, 2, 3)).toContain('Agenda · 2026-12-03');
  });

  test('the metadata carries the generated-at time and never a patient', () => {
    expect(doc.info?.creationDate).toEqual(opts.generatedAt);
    expect(doc.info?.title).toBe(`${PROGRAM_TITLE} agenda 2026-12-03`);
    expect(JSON.stringify(doc.info)).not.toMatch(/Patient\d|MRN/);
  });

  test('says when the estimates overrun the meeting, and an empty agenda says so', () => {
    expect(docText(agendaDocument(finishedView({ overrun: true }), opts))).toContain('more than the meeting length');
    expect(docText(agendaDocument(finishedView({ items: [] }), opts))).toContain('No cases are on the agenda.');
  });
});

describe('the minutes document', () => {
  test('of a finished meeting: locked at, no watermark, attendance by group, discussed cases with input and recommendation', () => {
    const doc = minutesDocument(finishedView(), opts);
    const text = docText(doc);
    expect(text).toContain('Minutes locked at Thu 2026-12-03 09:05 EST');
    expect(doc.watermark).toBeUndefined();
    expect(text).not.toMatch(/DRAFT/);

    // Attendance: grouped in the standing order (pediatric oncology before radiology), the group named once.
    const attendance = section(doc, /^Attendance/);
    expect(attendance).toContain('Attendance (3)');
    expect(attendance).toContain('2 groups represented; 1 in person, 2 remote.');
    expect(attendance).toContain('Pediatric oncology | Dr. Priya Raman | In person | 07:25 | Dr. Lee Chen | Remote | 07:27 | Radiology | Dr. Amira Haddad | Remote | 07:29');
    expect(attendance.match(/Pediatric oncology/g)).toHaveLength(1);

    const discussed = section(doc, /^Cases discussed/);
    expect(discussed).toContain('Cases discussed (2)');
    expect(discussed).toContain('1. Patient1, Given   MRN MRN-001');
    expect(discussed).toContain('Discussed | 07:31–07:44');
    expect(discussed).toContain('Question | Question 1?');
    // Group input in the standing order: pathology before radiology.
    expect(discussed).toContain('Pathology | Dr. Kenji Watanabe | No direct role, comment | EWSR1 rearranged. | — | Radiology | Dr. Amira Haddad | Recommendation | No lung nodules. | MRI at week 9.');
    for (const s of ['Diagnosis confirmed | Ewing sarcoma of the left femur', 'Stage confirmed | Localized', 'Plan of care | VDC/IE interval-compressed',
      'Trial to offer | AEWS1221', 'Further work-up | Bone marrow biopsy', 'Dissent | Radiation oncology: Prefers definitive radiation.']) expect(discussed).toContain(s);
    expect(discussed).toContain('2. Patient2, Given');
    expect(discussed).toContain('No recommendation was recorded.');
    expect(discussed).not.toContain('Patient3');
    expect(text).toContain('End of minutes. Locked at Thu 2026-12-03 09:05 EST');
  });

  test('lists the cases rolled over to the next meeting, with MRN', () => {
    const doc = minutesDocument(finishedView(), opts);
    const rolled = section(doc, /^Cases rolled over/);
    expect(rolled).toContain('Cases rolled over to the next meeting (1)');
    expect(rolled).toContain('3 | Patient3, Given | MRN MRN-003 | Ewing sarcoma | Post-treatment');
    expect(docText(doc)).toContain('3 cases on the agenda: 2 discussed, 1 rolled over, 0 not discussed.');
    const none = minutesDocument(finishedView({ items: finishedView().items.slice(0, 2) }), opts);
    expect(section(none, /^Cases rolled over/)).toContain('(0) | None.');
  });

  test('of a meeting in progress: a DRAFT watermark and banner, the open case counted as discussed, the rest not yet', () => {
    const base = finishedView();
    const v = finishedView({
      status: 'live', minutesLockedAt: null, currentItemId: 'item-2',
      items: [base.items[0]!, { ...base.items[1]!, status: 'pending', endedAt: null }, { ...base.items[2]!, status: 'pending' }],
    });
    const doc = minutesDocument(v, opts);
    const text = docText(doc);
    expect(doc.watermark).toMatchObject({ text: 'DRAFT', font: 'Helvetica' });
    expect(text).toContain('DRAFT: the meeting has not finished. These minutes are not locked and may still change.');
    expect(text).not.toContain('Minutes locked at');
    expect(section(doc, /^Cases discussed/)).toContain('Cases discussed (2)');
    expect(section(doc, /^Cases discussed/)).toContain('Discussed | 07:44, still open');
    expect(section(doc, /^Cases discussed/)).toContain('No recommendation recorded yet.');
    expect(section(doc, /^Not discussed yet/)).toContain('3 | Patient3, Given | MRN MRN-003');
    expect(section(doc, /^Cases rolled over/)).toContain('(0)');
    expect(text).toContain('End of draft minutes.');
  });

  test('of a meeting not yet held is a draft too; of a cancelled one says so', () => {
    const scheduled = minutesDocument(finishedView({ status: 'scheduled', minutesLockedAt: null, attendance: [], items: [item(1)] }), opts);
    expect(docText(scheduled)).toContain('DRAFT: the meeting has not taken place.');
    expect(docText(scheduled)).toContain('No one checked in to this meeting.');
    const cancelled = minutesDocument(finishedView({ status: 'cancelled', minutesLockedAt: null, note: 'Thanksgiving', items: [item(1, { status: 'rolled_over' })] }), opts);
    expect(cancelled.watermark).toMatchObject({ text: 'CANCELLED' });
    expect(docText(cancelled)).toContain('This conference was cancelled: Thanksgiving.');
  });
});

describe('text the standard fonts cannot print', () => {
  test('is replaced by "?", never transliterated; Latin-1 and typographic marks are kept; accents are composed first', () => {
    expect(toWinAnsi('محمد')).toEqual({ text: '????', replaced: true });
    expect(toWinAnsi('王小明')).toEqual({ text: '???', replaced: true });
    expect(toWinAnsi('Olúwọlé')).toEqual({ text: 'Olúw?lé', replaced: true });
    expect(toWinAnsi('José Núñez — “Ewing’s” …')).toEqual({ text: 'José Núñez — “Ewing’s” …', replaced: false });
    expect(toWinAnsi('Jose\u0301')).toEqual({ text: 'José', replaced: false });
    expect(toWinAnsi('a\tb\u0007c\nd')).toEqual({ text: 'a bc\nd', replaced: false });
  });

  test('a name in another script prints as "?" beside its MRN, and the document says why', () => {
    const v = finishedView({ items: [item(1, { patientName: 'الهاشمي، محمد', status: 'discussed' }), item(2, { status: 'rolled_over' })] });
    for (const doc of [agendaDocument(v, opts), minutesDocument(v, opts)]) {
      const text = docText(doc);
      expect(text).toMatch(/\?{8} \?{4}( \|)? +MRN MRN-001/);
      expect(text).toContain(NON_LATIN_NOTE);
      expect(text).not.toMatch(/\p{Script=Arabic}/u);
    }
    expect(docText(minutesDocument(finishedView(), opts))).not.toContain(NON_LATIN_NOTE);
  });
});

describe('the file name', () => {
  test('uses the meeting date in the series time zone and nothing else', () => {
    expect(conferencePdfFileName({ startsAt: '2026-12-03T12:30:00.000Z', timeZone: 'America/New_York' }, 'minutes')).toBe('tumor-conference-2026-12-03-minutes.pdf');
    // 18:00 in Los Angeles on the 3rd is already the 4th in UTC.
    expect(conferencePdfFileName({ startsAt: '2026-12-04T02:00:00.000Z', timeZone: 'America/Los_Angeles' }, 'agenda')).toBe('tumor-conference-2026-12-03-agenda.pdf');
  });
});
