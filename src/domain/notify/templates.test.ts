import { describe, expect, test } from 'vitest';
import { REFERRAL_STATUSES, TEMPLATE_LANGUAGES, type ReferralStatus } from '../referrals/types.js';
import {
  LANGUAGE_PACKS, NOTIFICATION_TEMPLATES, STATUS_LABELS, TEMPLATE_MATRIX, caseReference, initialsOf, languageFor, renderNotification,
  type NotificationData, type NotificationTemplate,
} from './templates.js';

const contacts = [{ label: 'Referral line', number: '+1 555 0100' }, { label: 'After hours', number: '+1 555 0199' }];
const common = { reference: 'REF-2026-4F7K2Q', patientInitials: 'A.T.', contacts };
const sample: { [K in NotificationTemplate]: NotificationData[K] } = {
  referral_received: { ...common, recipientName: 'Dr. Rivera' },
  referral_status_changed: { ...common, status: 'records_complete' },
  referral_assigned: { ...common, urgency: 'urgent', status: 'received', assignedBy: 'Sam Lead' },
  // Staff of another institution: no program phone lines.
  second_opinion_requested: {
    reference: 'CASE 3F9A12BC', patientInitials: 'A.T.', contacts: [], recipientName: 'Dr. Ibarra',
    ownerInstitution: 'Lakeshore Test Hospital', recipientInstitution: 'Riverside Test Center', until: '2026-12-05',
  },
  second_opinion_commented: {
    reference: 'CASE 3F9A12BC', patientInitials: 'A.T.', contacts: [], recipientName: 'Dr. Ibarra', fromInstitution: 'Riverside Test Center',
  },
};
/** Dates a template may show: a share's end date, never a birth date. */
const allowedDates = (data: object): string[] => ('until' in data && typeof data.until === 'string' ? [data.until] : []);

describe('notification templates', () => {
  test.each(TEMPLATE_MATRIX)('%s renders in %s with the reference, the initials, the contacts given and plain text', (template, lang) => {
    const data = sample[template];
    const r = renderNotification(template, lang, data);
    expect(r.language).toBe(lang);
    expect(r.subject).toContain(data.reference);
    expect(r.subject).not.toMatch(/[\r\n]/);
    expect(r.body).toContain(data.reference);
    expect(r.body).toContain('A.T.');
    if (data.contacts.length > 0) {
      expect(r.body).toContain('+1 555 0100');
      expect(r.body).toContain('After hours: +1 555 0199');
    } else {
      expect(r.body).not.toContain(LANGUAGE_PACKS[lang].contactsHeading);
    }
    expect(r.body).not.toMatch(/<\/?[a-z][^>]*>/i);
    expect(r.body).not.toMatch(/\n\n\n/);
    expect(r.body).not.toMatch(/^\n/);
    expect(r.body).not.toContain('..');
  });

  test('every template has every language and every language has every template', () => {
    expect(Object.keys(LANGUAGE_PACKS).sort()).toEqual([...TEMPLATE_LANGUAGES].sort());
    for (const lang of TEMPLATE_LANGUAGES) expect(Object.keys(LANGUAGE_PACKS[lang].templates).sort()).toEqual([...NOTIFICATION_TEMPLATES].sort());
  });

  test.each(TEMPLATE_LANGUAGES.flatMap((l) => REFERRAL_STATUSES.map((s) => [l, s] as const)))(
    'in %s the status %s has a plain-words label and a next step', (lang, status) => {
      expect(STATUS_LABELS[lang][status].length).toBeGreaterThan(3);
      expect(STATUS_LABELS[lang][status]).not.toContain('_');
      expect(LANGUAGE_PACKS[lang].statusNext[status].length).toBeGreaterThan(10);
    });

  test('status labels differ between English and Spanish', () => {
    for (const s of REFERRAL_STATUSES) expect(STATUS_LABELS.es[s]).not.toBe(STATUS_LABELS.en[s]);
  });

  test('the received message says what happens next and lists the contact numbers', () => {
    const r = renderNotification('referral_received', 'en', sample.referral_received);
    expect(r.subject).toBe('Referral REF-2026-4F7K2Q received');
    expect(r.body).toContain('We received your referral REF-2026-4F7K2Q for A.T.');
    expect(r.body).toContain('What happens next:');
    expect(r.body).toContain('Dear Dr. Rivera,');
    expect(r.body).toContain('To reach the program:\n- Referral line: +1 555 0100\n- After hours: +1 555 0199');
  });

  test('the Spanish status change names the status in Spanish words', () => {
    const r = renderNotification('referral_status_changed', 'Español', sample.referral_status_changed);
    expect(r.language).toBe('es');
    expect(r.subject).toBe('Derivación REF-2026-4F7K2Q: registros completos');
    expect(r.body).toContain('El estado de la derivación REF-2026-4F7K2Q para A.T. es ahora: registros completos.');
    expect(r.body).toContain('Para comunicarse con el programa:');
    expect(r.body).not.toContain('This message is in English');
  });

  test('the Spanish received message greets and explains in Spanish', () => {
    const r = renderNotification('referral_received', 'es-MX', sample.referral_received);
    expect(r.subject).toBe('Derivación REF-2026-4F7K2Q recibida');
    expect(r.body).toContain('Recibimos su derivación REF-2026-4F7K2Q para A.T.');
    expect(r.body).toContain('Próximos pasos:');
  });

  test.each<[ReferralStatus, string, string]>([
    ['declined', 'en', 'Reason: Outside our age range'],
    ['redirected', 'es', 'Motivo: Outside our age range'],
  ])('a %s referral states the reason (%s)', (status, lang, line) => {
    const r = renderNotification('referral_status_changed', lang, { ...common, status, reason: 'Outside our age range' });
    expect(r.body).toContain(line);
  });

  test('a reason is not shown for a status that is not a closing one', () => {
    const r = renderNotification('referral_status_changed', 'en', { ...common, status: 'triaged', reason: 'internal note' });
    expect(r.body).not.toContain('internal note');
  });

  test('the coordinator copy of a status change leaves out the referrer advice', () => {
    const r = renderNotification('referral_status_changed', 'en', { ...common, status: 'scheduled', audience: 'coordinator' });
    expect(r.body).toContain('is now: scheduled for tumor board review.');
    expect(r.body).not.toContain('Please quote the reference');
  });

  test('the assignment message tells the coordinator urgency and who assigned it', () => {
    const r = renderNotification('referral_assigned', 'en', sample.referral_assigned);
    expect(r.subject).toBe('Referral REF-2026-4F7K2Q assigned to you');
    expect(r.body).toContain('has been assigned to you by Sam Lead.');
    expect(r.body).toContain('Urgency: URGENT');
    expect(r.body).toContain('Status: received');
  });

  test.each(['fr', 'French', 'Português', 'ar-EG'])('an unknown language (%s) falls back to English and says so in a line', (lang) => {
    const r = renderNotification('referral_received', lang, sample.referral_received);
    expect(r.language).toBe('en');
    const first = r.body.split('\n')[0]!;
    expect(first).toBe(`This message is in English because it is not yet available in your preferred language (${lang}).`);
    expect(r.body).toContain('We received your referral');
  });

  test.each(['en', 'English', 'en-US', 'Inglés', ''])('English (%j) gets no fallback notice', (lang) => {
    expect(renderNotification('referral_received', lang, sample.referral_received).body).not.toContain('not yet available');
  });

  test.each(TEMPLATE_MATRIX)('%s in %s never carries the full name or the date of birth', (template, lang) => {
    // A caller mistake (a full name in the initials field) must still not leak the name.
    const data = { ...sample[template], patientInitials: 'Alexandra Testperson' } as NotificationData[typeof template];
    const r = renderNotification(template, lang, data);
    const text = `${r.subject}\n${r.body}`;
    expect(text).not.toContain('Alexandra');
    expect(text).not.toContain('Testperson');
    expect(text).toContain('A.T.');
    expect(text.match(/\b\d{4}-\d{2}-\d{2}\b/g) ?? []).toEqual(allowedDates(data));
    expect(Object.keys(data)).not.toContain('birthDate');
  });

  test('data values are inserted verbatim, never interpreted', () => {
    const tricky = '<script>alert("x")</script> $& $1 {reference} &amp;';
    const r = renderNotification('referral_status_changed', 'en', {
      ...common, status: 'declined', reason: tricky, recipientName: '<b>Dr. {patientInitials}</b>',
      contacts: [{ label: '<i>Line</i>', number: '$& 555' }],
    });
    expect(r.body).toContain(`Reason: ${tricky}`);
    expect(r.body).toContain('Dear <b>Dr. {patientInitials}</b>,');
    expect(r.body).toContain('- <i>Line</i>: $& 555');
    expect(r.body).not.toContain('&lt;');
  });

  test('line breaks in a value never reach the subject line', () => {
    const r = renderNotification('referral_received', 'en', { ...common, reference: 'REF-1\r\nBcc: x@example.org' });
    expect(r.subject).toBe('Referral REF-1 Bcc: x@example.org received');
    expect(r.subject).not.toMatch(/[\r\n]/);
  });

  test.each([
    ['Spanish', 'es'], ['Español', 'es'], ['español', 'es'], ['es', 'es'], ['ES', 'es'], ['es-MX', 'es'], ['es_AR', 'es'],
    ['spa', 'es'], ['Castellano', 'es'], ['Spanish (Mexico)', 'es'], [' spanish ', 'es'],
    ['English', 'en'], ['en', 'en'], ['en-GB', 'en'], ['French', 'en'], ['Estonian', 'en'], ['', 'en'], ['Portuguese', 'en'],
  ])('languageFor(%j) is %s', (input, lang) => {
    expect(languageFor(input)).toBe(lang);
  });

  test('a case reference is CASE and the first 8 characters of the case id, upper case', () => {
    expect(caseReference('3f9a12bc-7d41-4c1e-9a55-0b6e2f1d8c3a')).toBe('CASE 3F9A12BC');
  });

  test('the second-opinion request says who shared a case with whom, until when, and where to read it', () => {
    const r = renderNotification('second_opinion_requested', 'en', sample.second_opinion_requested);
    expect(r.subject).toBe('Second opinion requested: CASE 3F9A12BC');
    expect(r.body).toContain('Dear Dr. Ibarra,');
    expect(r.body).toContain('Lakeshore Test Hospital has shared a case (patient A.T.) with Riverside Test Center for a second opinion until 2026-12-05.');
    expect(r.body).toContain('Case reference: CASE 3F9A12BC.');
    expect(r.body).toContain('Open TumorBoard, Shared with us, to read it.');
  });

  test('the Spanish second-opinion request says the same in Spanish', () => {
    const r = renderNotification('second_opinion_requested', 'es', sample.second_opinion_requested);
    expect(r.language).toBe('es');
    expect(r.subject).toBe('Solicitud de segunda opinión: CASE 3F9A12BC');
    expect(r.body).toContain('Estimado/a Dr. Ibarra:');
    expect(r.body).toContain('Lakeshore Test Hospital ha compartido un caso (paciente A.T.) con Riverside Test Center para una segunda opinión hasta el 2026-12-05.');
    expect(r.body).toContain('Referencia del caso: CASE 3F9A12BC.');
    expect(r.body).not.toContain('Open TumorBoard');
  });

  test.each([
    ['en', 'New message on the second opinion for CASE 3F9A12BC', 'Riverside Test Center wrote on the second opinion for CASE 3F9A12BC (patient A.T.).', 'Open the case in TumorBoard to read it.'],
    ['es', 'Nuevo mensaje en la segunda opinión de CASE 3F9A12BC', 'Riverside Test Center escribió un mensaje en la segunda opinión del caso con referencia CASE 3F9A12BC (paciente A.T.).', 'Abra el caso en TumorBoard para leerlo.'],
  ])('the second-opinion message notice (%s) says who wrote on which case and where to read it', (lang, subject, line, open) => {
    const r = renderNotification('second_opinion_commented', lang, sample.second_opinion_commented);
    expect(r.subject).toBe(subject);
    expect(r.body).toContain(line);
    expect(r.body).toContain(open);
  });

  describe('second-opinion emails and free text (R-NOTIFY-PRIVACY)', () => {
    const PURPOSE = 'Review of the relapse in the left femur';
    const MESSAGE = 'We would favour surgery after induction';
    const leaks = { familyName: 'Testperson', givenName: 'Alexandra', birthDate: '2015-03-14', diagnosis: 'Osteosarcoma' };
    const requested: NotificationData['second_opinion_requested'] = {
      ...sample.second_opinion_requested,
      patientInitials: 'Alexandra Testperson',
      // @ts-expect-error the type has no field for the share's purpose: free text that may carry clinical detail
      purpose: PURPOSE,
    };
    const commented: NotificationData['second_opinion_commented'] = {
      ...sample.second_opinion_commented,
      patientInitials: 'Alexandra Testperson',
      // @ts-expect-error the type has no field for the message's text
      body: MESSAGE,
    };
    const cases = TEMPLATE_LANGUAGES.flatMap((lang) => [
      ['second_opinion_requested', lang, { ...requested, ...leaks }] as const,
      ['second_opinion_commented', lang, { ...commented, ...leaks, purpose: PURPOSE, comment: MESSAGE }] as const,
    ]);

    test.each(cases)('%s in %s carries no name, birth date, diagnosis, purpose or message even when a caller passes them', (template, lang, data) => {
      const r = renderNotification(template, lang, data);
      const text = `${r.subject}\n${r.body}`;
      expect(text).toContain('A.T.');
      expect(text).toContain('CASE 3F9A12BC');
      for (const secret of ['Alexandra', 'Testperson', '2015-03-14', 'Osteosarcoma', 'femur', 'surgery', PURPOSE, MESSAGE]) expect(text).not.toContain(secret);
    });
  });

  test.each([
    [['Alex', 'Testperson'], 'A.T.'], [['a.t.'], 'A.T.'], [['A.T.'], 'A.T.'], [['María José', 'Núñez'], 'M.J.N.'], [['  '], ''],
  ])('initialsOf(%j) is %j', (names, initials) => {
    expect(initialsOf(...names)).toBe(initials);
  });
});
