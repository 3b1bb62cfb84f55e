import { describe, expect, test } from 'vitest';
import { useStory, watchConsole } from './harness.js';
import { PublicReferralFormEs, ReferralDetailPage, ReferralInbox, tinyPdf } from './referral-pages.js';

/**
 * Issue 4, as people live it: a family abroad refers their daughter from a phone, in Spanish, with the outside
 * pathology report attached; the tumour conference coordinator triages the referral, chases the records until they
 * are complete, plans the family's travel, and schedules the case for conference.
 */
describe('a family abroad refers a child in Spanish from a phone; the coordinator takes it to conference', () => {
  const story = useStory();
  const familyName = `Ramírez${Date.now().toString(36).slice(-5)}`;
  const mrn = `REF-E2E-${Date.now().toString(36).toUpperCase().slice(-5)}`;
  let reference = '';

  const signedIn = (username: string) => story.signedIn(username, { width: 1366, height: 900 });

  test('the mother fills the form on her phone in Spanish, retries after a dropped connection, double-clicks, and gets one reference', async () => {
    const context = await story.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'es-MX', isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const problems = watchConsole(page);
    const keys: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/referrals/public')) keys.push(r.headers()['idempotency-key'] ?? '(none)');
    });

    // Signed out, /refer is the form (not the login page), in the phone's language.
    const form = new PublicReferralFormEs(page, story.server.url);
    await form.open();
    expect(await page.getByRole('button', { name: 'Español' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');
    expect(await page.getByLabel('Username').count()).toBe(0);

    // Sending nothing says, in Spanish, what is missing, and puts the cursor on the first field.
    await form.submitButton().click();
    await page.getByText('Escriba los apellidos del paciente.').waitFor();
    await page.getByText('Debe aceptar compartir la información para enviar una referencia.').waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe('true');
    expect(await form.text('Apellidos').evaluate((el) => el === document.activeElement)).toBe(true);

    await form.fill({
      familyName, givenName: 'Sofía', birthDate: '20140309', sex: 'female', homeCountry: 'México', homeState: 'Jalisco',
      referrerName: 'Ana Ramírez', referrerRole: 'parent', phone: '+52 33 1234 5678', email: 'ana.ramirez@example.org',
      diagnosis: 'Osteosarcoma del fémur izquierdo (biopsia en Guadalajara)', question: '¿Es posible operar sin amputar?',
      language: 'Spanish', interpreter: true, travel: true,
    });
    // Digits typed on a phone keypad become a date.
    expect(await form.text('Fecha de nacimiento').inputValue()).toBe('2014-03-09');

    // A file that only claims to be a PDF is refused before sending; the real report is kept, with its size.
    await page.locator('input[type="file"]').setInputFiles([{ name: 'foto.pdf', mimeType: 'application/pdf', buffer: Buffer.from('not a pdf at all') }]);
    await page.getByText('foto.pdf no es un archivo PDF, JPEG o PNG.').waitFor();
    await form.attach([{ name: 'informe-patologia.pdf', mimeType: 'application/pdf', buffer: tinyPdf() }]);
    const files = page.getByRole('list', { name: 'Archivos para enviar' });
    expect(await files.innerText()).toMatch(/informe-patologia\.pdf\s+\d+ B/);
    expect(await page.getByRole('button', { name: 'Quitar informe-patologia.pdf' }).count()).toBe(1);
    await form.consent();

    // The honeypot is there for bots only: hidden from people and from the keyboard.
    const honeypot = page.locator('input[name="website"]');
    expect(await honeypot.getAttribute('tabindex')).toBe('-1');
    expect(await honeypot.getAttribute('autocomplete')).toBe('off');
    expect(await page.locator('[aria-hidden="true"]:has(input[name="website"])').count()).toBe(1);

    // The first try loses its connection; the family is told in Spanish that trying again will not send it twice.
    let dropped = false;
    await page.route('**/api/v1/referrals/public', async (route) => {
      if (!dropped) { dropped = true; await route.abort('failed'); } else await route.continue();
    });
    await form.submitButton().click();
    await page.getByText(/No se pudo enviar la referencia: falló la conexión/).waitFor();

    // Nothing overflows the phone's width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: '.tmp/ref-story-phone-form.png', fullPage: true });

    await form.submitButton().dblclick();
    await page.waitForURL(/\/refer\/thanks\?/);
    await page.getByRole('heading', { level: 1, name: 'Gracias: hemos recibido su referencia' }).waitFor();
    reference = (await page.getByTestId('reference').innerText()).trim();
    expect(reference).toMatch(/^REF-\d{4}-[0-9A-Z]{6}$/);
    await page.getByTestId('program-contacts').waitFor();
    expect(await page.getByTestId('program-contacts').innerText()).toMatch(/\+1 410-555-0100/);
    await page.screenshot({ path: '.tmp/ref-story-phone-thanks.png', fullPage: true });

    // Every try carried the same idempotency key.
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    // The only console error is the dropped connection we caused.
    expect(problems.filter((p) => !/ERR_FAILED|Failed to load resource/.test(p))).toEqual([]);
    await context.close();
  }, 120_000);

  test('the coordinator finds one referral, triages it, completes the records, plans the travel and schedules it', async () => {
    expect(reference).not.toBe('');
    const { page, problems } = await signedIn('coordinator');
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Referrals', exact: true }).click();
    const inbox = new ReferralInbox(page);
    await inbox.table().waitFor();
    await inbox.search(familyName);
    await inbox.row(reference).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.getByTestId('referral-row').count()).toBe(1); // the double click and the retry made one referral
    const row = await inbox.row(reference).innerText();
    expect(row).toMatch(/Family/);
    expect(row).toMatch(/International/);
    expect(row).toMatch(/Received/);
    await inbox.open(reference);

    // The attachment downloads as the PDF that was sent.
    const link = page.getByRole('link', { name: /informe-patologia\.pdf/ });
    const res = await page.request.get(new URL((await link.getAttribute('href'))!, story.server.url).toString());
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toMatch(/application\/pdf/);
    expect((await res.body()).subarray(0, 5).toString()).toBe('%PDF-');

    const detail = new ReferralDetailPage(page);
    expect(await page.getByText('No existing patient looks like this one.').count()).toBe(1);
    await detail.triage({ urgency: 'Urgent', family: 'Osteosarcoma', createMrn: mrn });
    expect(await detail.status().innerText()).toBe('Triaged');
    await page.getByRole('link', { name: 'Patient record' }).waitFor();

    const items = await detail.recordLabels();
    expect(items.length).toBeGreaterThan(2);
    expect(await detail.readiness().innerText()).toMatch(new RegExp(`^0 of ${items.length} complete — waiting for: `));
    await detail.setRecord(items[0]!, 'Requested');
    await page.getByTestId('referral-status').filter({ hasText: 'Records requested' }).first().waitFor();
    for (const item of items) await detail.completeRecord(item);
    await detail.readiness().filter({ hasText: `${items.length} of ${items.length} complete` }).waitFor();
    // The last record in moves the referral to records complete by itself.
    await page.getByTestId('referral-status').filter({ hasText: 'Records complete' }).first().waitFor();

    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    await detail.fillTravel({
      arrivalDate: day(45), departureDate: day(75), interpreterLanguage: 'Spanish', lodging: 'Family house near the hospital, room 12',
      lodgingConfirmed: true, visaLetter: 'Needed', insuranceLetter: 'Sent', escortName: 'Ana Ramírez', escortPhone: '+52 33 1234 5678',
    });
    await detail.saveTravel();
    expect(await page.getByTestId('travel-next-due').innerText()).toMatch(/Next due: send the visa support letter — \d{4}-\d{2}-\d{2}/);

    await detail.moveTo('Schedule for conference', 'Scheduled');
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    expect(await page.getByRole('region', { name: 'Timeline' }).innerText()).toMatch(/Received[\s\S]*Triaged[\s\S]*Records requested[\s\S]*Records complete[\s\S]*Scheduled/);
    await page.screenshot({ path: '.tmp/ref-story-scheduled.png', fullPage: true });

    // The family shows up on the travel worklist with the interpreter language and the next task.
    await page.getByRole('link', { name: 'Travel', exact: true }).click();
    const travelRow = page.getByTestId('travel-row').filter({ hasText: reference });
    await travelRow.waitFor();
    expect(await travelRow.innerText()).toMatch(/México[\s\S]*Spanish[\s\S]*send the visa support letter/);
    expect(problems).toEqual([]);
  }, 180_000);
});
