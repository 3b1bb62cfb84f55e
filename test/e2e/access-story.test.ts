import { beforeAll, describe, expect, test } from 'vitest';
import { type RunningServer, useStory } from './harness.js';

const RIVERSIDE = "Riverside Children's Medical Center";
const LAKESHORE = "Lakeshore Children's Hospital";

async function apiAs(server: RunningServer, username: string) {
  const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'tumorboard-demo' }) });
  const cookie = /tb_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
  return async <T>(url: string): Promise<T> => (await (await fetch(`${server.url}/api/v1${url}`, { headers: { cookie } })).json()) as T;
}

describe('a case shared for a second opinion, and emergency access', () => {
  const story = useStory();
  let caseId = '';
  let patient = { id: '', mrn: '' };

  beforeAll(async () => {
    const get = await apiAs(story.server, 'oncologist');
    // A case the demo has not shared yet, with facts enough to match trials, and another patient for the emergency access.
    const cases = (await get<{ items: Array<{ id: string; patientId: string }> }>('/cases?limit=20')).items;
    for (const c of cases) {
      if ((await get<{ items: unknown[] }>(`/cases/${c.id}/shares`)).items.length > 0) continue;
      if ((await get<{ available: boolean }>(`/cases/${c.id}/trial-matches`)).available) { caseId = c.id; break; }
    }
    const sharedPatient = cases.find((c) => c.id === caseId)!.patientId;
    const patients = (await get<{ items: Array<{ id: string; mrn: string }> }>('/patients?limit=20')).items;
    patient = patients.find((p) => p.id !== sharedPatient)!;
  });

  test('the oncologist shares a case with Riverside; its clinician finds it under Shared with us and comments; the oncologist reads the comment and replies', async () => {
    const owner = await story.signedIn('oncologist');
    await owner.page.goto(`${story.server.url}/cases/${caseId}`);
    const form = owner.page.getByRole('form', { name: 'Share for second opinion' });
    await form.getByLabel('Share with institution').selectOption({ label: RIVERSIDE });
    await form.getByLabel('Purpose').fill('Second opinion on local control after induction chemotherapy.');
    await form.getByRole('button', { name: 'Share case' }).click();
    const shares = owner.page.getByRole('table', { name: 'Shares of this case' });
    await shares.getByRole('cell', { name: new RegExp(`^${RIVERSIDE} by `) }).waitFor();
    expect(await shares.innerText()).toMatch(/active/);

    const reviewer = await story.signedIn('riverside-onc');
    await reviewer.page.getByRole('link', { name: 'Shared with us' }).click();
    const incoming = reviewer.page.getByRole('table', { name: 'Cases shared with us' });
    await incoming.getByText('Second opinion on local control after induction chemotherapy.').waitFor();
    await incoming.getByRole('row').filter({ hasText: 'Second opinion on local control after induction chemotherapy.' }).getByRole('link').click();
    await reviewer.page.getByText(`Shared for second opinion by ${LAKESHORE} until`).waitFor();
    const comment = reviewer.page.getByRole('form', { name: 'Add a second-opinion comment' });
    await comment.getByRole('button', { name: 'Add comment' }).click();
    await comment.getByText('Write your second opinion first').waitFor();
    await comment.getByLabel('Your second opinion').fill('We agree with limb-salvage surgery; margins look achievable on the MRI.');
    await comment.getByRole('button', { name: 'Add comment' }).click();
    await reviewer.page.getByRole('list', { name: 'Comments' }).getByText('We agree with limb-salvage surgery', { exact: false }).waitFor();
    // Read-only: no status change; trial matches to read, without the owner's screening log.
    expect(await reviewer.page.getByRole('heading', { name: 'Change status' }).count()).toBe(0);
    const trials = reviewer.page.getByTestId('trial-matches');
    await trials.getByTestId('matches-read-only').waitFor();
    expect(await trials.getByTestId('trial-match').count()).toBeGreaterThan(0);
    expect(await trials.getByRole('button', { name: /^Log a screening step/ }).count()).toBe(0);
    expect(await trials.getByTestId('screening').count()).toBe(0);

    await owner.page.reload();
    const discussion = owner.page.getByRole('list', { name: `Discussion with ${RIVERSIDE}` });
    await discussion.getByText('We agree with limb-salvage surgery', { exact: false }).waitFor();
    // The oncologist replies on the thread; Riverside's clinician reads the reply on the case page.
    const reply = owner.page.getByRole('form', { name: `Reply to ${RIVERSIDE}` });
    await reply.getByRole('button', { name: 'Send reply' }).click();
    await reply.getByText('Write your reply first').waitFor();
    await reply.getByLabel(`Reply to ${RIVERSIDE}`).fill('Thank you. Could one of your surgeons join our conference by video?');
    await reply.getByRole('button', { name: 'Send reply' }).click();
    await discussion.getByText('Could one of your surgeons join', { exact: false }).waitFor();
    expect(await reply.getByLabel(`Reply to ${RIVERSIDE}`).inputValue()).toBe('');
    await reviewer.page.reload();
    const thread = reviewer.page.getByRole('list', { name: 'Comments' });
    await thread.getByText('Could one of your surgeons join', { exact: false }).waitFor();
    expect(await thread.getByRole('listitem').last().innerText()).toContain(`${LAKESHORE}, reply`);
    await reviewer.page.getByRole('link', { name: 'Shared with us' }).click();
    await reviewer.page.getByRole('table', { name: 'Cases shared with us' }).getByRole('row')
      .filter({ hasText: 'Second opinion on local control after induction chemotherapy.' }).getByText('Reply received').waitFor();

    // The overview of the institution's requests shows where this one stands, and leads back to the case.
    await owner.page.getByRole('link', { name: 'Second opinions' }).click();
    const request = owner.page.getByRole('table', { name: 'Second-opinion requests' }).getByRole('row')
      .filter({ hasText: 'Second opinion on local control after induction chemotherapy.' });
    await request.getByText('Replied').waitFor();
    expect(await request.innerText()).toContain('1 from the reviewers, 1 from us');
    await request.getByRole('link').first().click();
    await owner.page.waitForURL(`**/cases/${caseId}`);
    await owner.page.getByRole('button', { name: `Revoke share with ${RIVERSIDE}` }).click();
    await owner.page.getByRole('table', { name: 'Shares of this case' }).getByText('revoked').waitFor();
    expect(owner.problems).toEqual([]);
    expect(reviewer.problems).toEqual([]);
  });

  test('a Riverside clinician opens a Lakeshore patient with emergency access; the Lakeshore admin reviews it', async () => {
    const clinician = await story.signedIn('riverside-onc');
    await clinician.page.getByRole('link', { name: 'Emergency access' }).click();
    const form = clinician.page.getByRole('form', { name: 'Emergency access' });
    await form.getByLabel('Institution').selectOption({ label: LAKESHORE });
    await form.getByLabel('MRN').fill(patient.mrn);
    await form.getByLabel('Reason').selectOption('emergency-care');
    await form.getByLabel('Justification').fill('Too short');
    await form.getByLabel('Your password').fill('tumorboard-demo');
    await form.getByRole('button', { name: 'Open record' }).click();
    await form.getByText('Explain the emergency in at least 20 characters').waitFor();
    await form.getByLabel('Justification').fill('Presented to our emergency department febrile during chemotherapy.');
    await form.getByRole('button', { name: 'Open record' }).click();
    await clinician.page.getByText('Emergency access: every view is recorded and reviewed').waitFor();
    expect(clinician.page.url()).toContain(`/patients/${patient.id}`);
    // Read-only: no controls that would change the record.
    await clinician.page.getByRole('heading', { name: 'Tumours' }).waitFor();
    expect(await clinician.page.getByRole('button', { name: 'Add tumour' }).count()).toBe(0);
    expect(await clinician.page.getByRole('button', { name: 'Edit demographics' }).count() + await clinician.page.getByRole('link', { name: 'Edit demographics' }).count()).toBe(0);
    expect(await clinician.page.getByRole('heading', { level: 1 }).innerText()).not.toBe('');

    const admin = await story.signedIn('admin');
    await admin.page.getByRole('link', { name: 'Emergency access review' }).click();
    const event = admin.page.getByRole('article').filter({ hasText: patient.mrn }).filter({ hasText: 'Awaiting review' }).first();
    await event.getByText('Presented to our emergency department febrile during chemotherapy.').waitFor();
    await event.getByRole('table', { name: 'Read during the grant' }).getByText('Patient').first().waitFor();
    await event.getByLabel('Review note').fill('Confirmed with the emergency department: appropriate.');
    await event.getByRole('button', { name: 'Review' }).click();
    await admin.page.getByText('Confirmed with the emergency department: appropriate.').waitFor();
    expect(clinician.problems).toEqual([]);
    expect(admin.problems).toEqual([]);
  });
});
