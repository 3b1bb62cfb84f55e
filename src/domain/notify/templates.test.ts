import { describe, expect, test } from 'vitest';
import { REFERRAL_STATUSES, TEMPLATE_LANGUAGES, type ReferralStatus } from '../referrals/types.js';
import {
  LANGUAGE_PACKS, NOTIFICATION_TEMPLATES, STATUS_LABELS, TEMPLATE_MATRIX, initialsOf, languageFor, renderNotification,
  type NotificationData, type NotificationTemplate,
} from './templates.js';

const contacts = [{ label: 'Referral line', number: '+1 555 0100' }, { label: 'After hours', number: '+1 555 0199' }];
const common = { reference: 'REF-2026-4F7K2Q', patientInitials: 'A.T.', contacts };
const sample: { [K in NotificationTemplate]: NotificationData[K] } = {
  referral_received: { ...common, recipientName: 'Dr. Rivera' },
  referral_status_changed: { ...common, status: 'records_complete' },
  referral_assigned: { ...common, urgency: 'urgent', status: 'received', assignedBy: 'Sam Lead' },
};

describe('notification templates', () => {
  test.each(TEMPLATE_MATRIX)('%s renders in %s with the reference, the initials and plain text', (template, lang) => {
    const r = renderNotification(template, lang, sample[template]);
    expect(r.language).toBe(lang);
    expect(r.subject).toContain('REF-2026-4F7K2Q');
    expect(r.subject).not.toMatch(/[\r\n]/);
    expect(r.body).toContain('REF-2026-4F7K2Q');
    expect(r.body).toContain('A.T.');
    expect(r.body).toContain('+1 555 0100');
    expect(r.body).toContain('After hours: +1 555 0199');
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
    expect(text).not.toMatch(/\b\d{4}-\d{2}-\d{2}\b/);
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

  test.each([
    [['Alex', 'Testperson'], 'A.T.'], [['a.t.'], 'A.T.'], [['A.T.'], 'A.T.'], [['María José', 'Núñez'], 'M.J.N.'], [['  '], ''],
  ])('initialsOf(%j) is %j', (names, initials) => {
    expect(initialsOf(...names)).toBe(initials);
  });
});
