import { describe, expect, test } from 'vitest';
import { AgendaPage, ConferenceListPage, DisciplineInputForm, LiveMeetingPage } from './conference-pages.js';
import { useStory } from './harness.js';

/**
 * Issue 5, as people live it: the coordinator prepares the weekly Tumor Conference (readiness, order), the
 * oncologist gives her group's input beforehand, and on the day the coordinator runs the meeting while a clinician
 * follows it on another screen, in real time, until the minutes are locked.
 */
describe('the coordinator prepares and runs the weekly Tumor Conference while a clinician follows it live', () => {
  const story = useStory();
  let conferenceUrl = '';
  let conferenceId = '';
  let patients: string[] = [];

  const signedIn = (username: string) => story.signedIn(username, { width: 1366, height: 900 });

  test('the coordinator opens the next conference, sees every case\'s readiness and moves a case up with the keyboard', async () => {
    const { page, problems } = await signedIn('coordinator');
    const list = new ConferenceListPage(page);
    await list.openFromNav();
    // A calendar app subscribes with a personal secret link: it works without a session.
    const feed = await list.calendarLink();
    expect(feed).toMatch(/\/calendar\.ics\?token=[\w-]{40,}$/);
    const ics = await fetch(feed);
    expect(ics.status).toBe(200);
    expect(await ics.text()).toMatch(/^BEGIN:VCALENDAR/);
    // Each occurrence says when in the series' zone and in the viewer's, and how many cases are ready.
    const rowText = await list.openNextWithCases();
    expect(rowText).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} E[SD]T/);
    expect(rowText).toMatch(/Your time: |Same as your local time/);
    expect(rowText).toMatch(/\d+ of \d+ ready/);
    conferenceUrl = page.url();
    conferenceId = conferenceUrl.split('/').pop()!;
    expect(conferenceId).toMatch(/^[0-9a-f-]{36}$/);

    const agenda = new AgendaPage(page);
    patients = await agenda.patients();
    expect(patients.length).toBeGreaterThanOrEqual(3);
    // Every case shows its checklist; a case that is not ready says so in words, and is still listed.
    for (const name of patients) {
      const items = await agenda.readiness(name);
      expect(items.map((i) => i.key)).toEqual(expect.arrayContaining(['groups', 'records', 'staging', 'question', 'trials']));
      expect(['true', 'false']).toContain(items.find((i) => i.key === 'trials')?.ok);
      const row = agenda.row(name);
      const ready = await row.getAttribute('data-ready');
      expect(await row.getByTestId('ready-mark').innerText()).toMatch(ready === 'true' ? /Ready/ : /Not ready/);
    }
    const missingGroups = (await agenda.readiness(patients[0]!)).find((i) => i.key === 'groups')!;
    if (missingGroups.ok === 'false') expect(missingGroups.text).toMatch(/pediatric oncology|radiology|pathology/i);

    // The second case goes first: keyboard only, and the focus stays with the moved case.
    const [first, second] = [patients[0]!, patients[1]!];
    await agenda.moveWithKeyboard(second, 'up');
    expect((await agenda.patients()).slice(0, 2)).toEqual([second, first]);
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    expect(focused).toBe(`Move ${second} down`);
    // The order is the server's, not only the screen's.
    await page.reload();
    await agenda.table().waitFor();
    expect((await agenda.patients()).slice(0, 2)).toEqual([second, first]);
    patients = await agenda.patients();
    await page.screenshot({ path: '.tmp/conf-story-agenda.png', fullPage: true });
    expect(problems).toEqual([]);
  }, 120_000);

  test('the oncologist records her group\'s input for a case, defaulting to her discipline', async () => {
    expect(conferenceUrl).not.toBe('');
    const { page, problems } = await signedIn('oncologist');
    await page.goto(conferenceUrl);
    const agenda = new AgendaPage(page);
    await agenda.table().waitFor();
    const patient = patients[0]!;
    await agenda.openInput(patient);
    const input = new DisciplineInputForm(page);
    expect(await input.discipline().inputValue()).toBe('pediatric_oncology');

    // A recommendation stance with no recommendation is refused under the field, which gets the focus.
    await input.fill({ stance: 'Recommendation', findings: '', recommendation: '' });
    await input.save();
    await page.getByText('Say what the group recommends').waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe('true');

    await input.fill({ findings: 'Biopsy reviewed with pathology; staging CT of the chest is clear.', recommendation: 'Start induction chemotherapy per protocol; plan local control at week 12.' });
    await input.save();
    await input.saved().filter({ hasText: 'Input saved for Pediatric oncology.' }).waitFor();
    const mine = input.inputs().filter({ hasText: 'Pediatric oncology' });
    expect(await mine.innerText()).toMatch(/Start induction chemotherapy per protocol/);

    // Back on the agenda, pediatric oncology is no longer missing for that case.
    await page.getByRole('link', { name: 'Back to agenda' }).click();
    await agenda.table().waitFor();
    const groups = (await agenda.readiness(patient)).find((i) => i.key === 'groups')!;
    expect(groups.text).not.toMatch(/pediatric oncology/i);
    expect(problems).toEqual([]);
  }, 120_000);

  test('live: the coordinator starts and advances the meeting, the follower sees each case within a second, then the minutes are locked', async () => {
    expect(conferenceId).not.toBe('');
    const coordinator = await signedIn('coordinator');
    const follower = await signedIn('oncologist');
    const chair = new LiveMeetingPage(coordinator.page);
    const watcher = new LiveMeetingPage(follower.page);
    await chair.open(story.server.url, conferenceId);
    await watcher.open(story.server.url, conferenceId);
    await follower.page.getByText('The meeting has not started').waitFor();
    await watcher.waitForLiveUpdates();
    await chair.waitForLiveUpdates();
    const order = await chair.agendaOrder();
    expect(order.length).toBe(patients.length);

    await chair.start();
    expect(await chair.currentPatient().innerText()).toBe(order[0]);
    await watcher.currentPatient().filter({ hasText: order[0]! }).waitFor({ timeout: 2000 });

    // The follower checks in remotely; the coordinator's attendance list shows her group without a reload.
    await watcher.checkIn('Remote');
    await chair.attendance().getByText('Pediatric oncology', { exact: true }).waitFor({ timeout: 2000 });

    // Next case: the follower's screen follows within a second of the server accepting it.
    await chair.next();
    const shown = Date.now();
    await watcher.currentPatient().filter({ hasText: order[1]! }).waitFor({ timeout: 1000 });
    expect(Date.now() - shown).toBeLessThan(1000);
    expect(await chair.currentPatient().innerText()).toBe(order[1]);
    await follower.page.getByTestId('case-timer').waitFor();

    await chair.recordRecommendation({
      diagnosis: 'Diagnosis confirmed on central review.',
      stage: 'Localized',
      plan: 'Induction chemotherapy, then local control planned by surgery and radiation oncology.',
      dissent: [{ group: 'Radiation oncology', note: 'Prefers definitive radiotherapy for local control.' }],
    });
    await watcher.recordedRecommendation().filter({ hasText: 'Induction chemotherapy, then local control' }).waitFor({ timeout: 2000 });
    expect(await watcher.recordedRecommendation().innerText()).toMatch(/Radiation oncology:\s*Prefers definitive radiotherapy/);
    await coordinator.page.screenshot({ path: '.tmp/conf-story-live-coordinator.png' });
    await follower.page.screenshot({ path: '.tmp/conf-story-live-follower.png' });

    // Finishing lists the cases not discussed (all but the first two) before it locks the minutes.
    const rolling = await chair.openFinish();
    expect(rolling.length).toBe(order.length - 2);
    expect(rolling[0]).toContain(order[2]!);
    await coordinator.page.screenshot({ path: '.tmp/conf-story-finish.png' });
    await chair.confirmFinish();
    await watcher.finished().waitFor({ timeout: 2000 });
    expect(await coordinator.page.getByRole('heading', { level: 1 }).innerText()).toMatch(/minutes$/);
    expect(await coordinator.page.getByTestId('minutes-item').count()).toBe(order.length);

    expect(coordinator.problems).toEqual([]);
    expect(follower.problems).toEqual([]);
  }, 180_000);
});
