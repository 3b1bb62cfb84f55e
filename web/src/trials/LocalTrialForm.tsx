import { Alert, Button, Card, Checkbox, Group, NativeSelect, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { ApiError, STALE_MESSAGE } from '../api/client.js';
import { onSubmit, useFormErrors, type Errors } from '../lib/forms.js';
import { LOCAL_TRIAL_PHASES, LOCAL_TRIAL_STATUSES, NETWORKS, type LocalTrialInput, type TrialDetail } from './api.js';
import { networkLabel, overallStatusLabel, phasesLabel } from './labels.js';

/** One criterion (or condition, arm) per line; blank lines are dropped. */
const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

interface Draft {
  localId: string; title: string; sponsor: string; network: string; status: string; phases: string[];
  minimumAge: string; maximumAge: string; sex: string; conditions: string; inclusion: string; exclusion: string; arms: string;
  contactName: string; contactPhone: string; contactEmail: string;
}

function draftOf(v: LocalTrialInput | undefined): Draft {
  return {
    localId: v?.localId ?? '', title: v?.title ?? '', sponsor: v?.sponsor ?? '', network: v?.network ?? 'institutional', status: v?.status ?? 'RECRUITING',
    phases: v?.phases ?? [], minimumAge: v?.minimumAge ?? '', maximumAge: v?.maximumAge ?? '', sex: v?.sex ?? 'ALL',
    conditions: (v?.conditions ?? []).join('\n'), inclusion: (v?.inclusion ?? []).join('\n'), exclusion: (v?.exclusion ?? []).join('\n'),
    arms: (v?.arms ?? []).map((a) => (a.description ? `${a.label}: ${a.description}` : a.label)).join('\n'),
    contactName: v?.contact?.name ?? '', contactPhone: v?.contact?.phone ?? '', contactEmail: v?.contact?.email ?? '',
  };
}

function inputOf(d: Draft): LocalTrialInput {
  const contact = { name: d.contactName.trim() || undefined, phone: d.contactPhone.trim() || undefined, email: d.contactEmail.trim() || undefined };
  return {
    localId: d.localId.trim(), title: d.title.trim(), sponsor: d.sponsor.trim(), network: d.network as LocalTrialInput['network'], status: d.status as LocalTrialInput['status'], phases: d.phases as LocalTrialInput['phases'],
    minimumAge: d.minimumAge.trim() || undefined, maximumAge: d.maximumAge.trim() || undefined, sex: d.sex as LocalTrialInput['sex'],
    conditions: lines(d.conditions), inclusion: lines(d.inclusion), exclusion: lines(d.exclusion),
    // "Label: description" per line; the first colon separates them.
    arms: lines(d.arms).map((l) => {
      const i = l.indexOf(':');
      return i > 0 ? { label: l.slice(0, i).trim(), description: l.slice(i + 1).trim() || undefined } : { label: l };
    }),
    ...(contact.name || contact.phone || contact.email ? { contact } : {}),
  };
}

/** The form field that shows a server issue (`inclusion[2]` → inclusion, `contact.email` → contactEmail). */
function fieldKey(field: string): string {
  const head = field.split(/[.[]/)[0] ?? '';
  if (head === 'contact') return field.includes('phone') ? 'contactPhone' : field.includes('email') ? 'contactEmail' : 'contactName';
  return head;
}

function serverErrors(err: unknown): { fields: Errors; message: string | null } {
  if (!(err instanceof ApiError)) return { fields: {}, message: 'The trial could not be saved. Check your connection and try again.' };
  if (err.isStale) return { fields: {}, message: STALE_MESSAGE };
  const issues = err.issues.length ? err.issues : err.field ? [{ field: err.field, message: err.message.replace(/^[\w.[\]]+: /, '') }] : [];
  const fields: Errors = {};
  for (const i of issues) {
    const key = fieldKey(i.field);
    const line = /\[(\d+)\]/.exec(i.field);
    fields[key] ??= line ? `Line ${Number(line[1]) + 1}: ${i.message}` : i.message;
  }
  return { fields, message: Object.keys(fields).length ? null : err.message };
}

/**
 * A local institutional trial's registry entry (issue 7 §1): what ClinicalTrials.gov would hold, typed by the research
 * coordinator. Criteria go one per line; after saving they are drafted into rules for curation like an import's.
 */
export function LocalTrialForm({ initial, submitLabel, pending, onSave, onCancel }: {
  initial?: TrialDetail | undefined; submitLabel: string; pending: boolean;
  onSave: (input: LocalTrialInput) => Promise<unknown>; onCancel: () => void;
}) {
  const editing = !!initial;
  const [d, setD] = useState<Draft>(() => draftOf(initial?.registry.local));
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const [message, setMessage] = useState<string | null>(null);
  const set = (k: keyof Draft) => (v: string) => { setD((x) => ({ ...x, [k]: v })); clearError(k); };
  const text = (k: keyof Draft) => ({ value: d[k] as string, error: errors[k], onChange: (e: { currentTarget: { value: string } }) => set(k)(e.currentTarget.value) });

  const submit = async () => {
    const local: Errors = {};
    if (!d.localId.trim()) local.localId = 'Enter the protocol number';
    if (d.title.trim().length < 3) local.title = 'Enter the trial title';
    if (d.sponsor.trim().length < 2) local.sponsor = 'Enter the sponsor';
    if (lines(d.inclusion).length === 0) local.inclusion = 'Enter at least one inclusion criterion';
    setMessage(null);
    if (Object.keys(local).length) { setErrors(local); return; }
    try {
      await onSave(inputOf(d));
    } catch (err) {
      const e = serverErrors(err);
      setErrors(e.fields);
      setMessage(e.message ?? `Check the ${Object.keys(e.fields).length === 1 ? 'field' : `${Object.keys(e.fields).length} fields`} marked below.`);
    }
  };

  return (
    <Card component="section" aria-labelledby="local-trial-heading" mb="lg" data-testid="local-trial-form">
      <Title order={2} size="h4" id="local-trial-heading" mb={4}>{editing ? 'Edit the registry entry' : 'Enter a local trial'}</Title>
      <Text size="sm" c="dimmed" mb="md">
        For institutional trials without a ClinicalTrials.gov record. Registered trials are imported instead, so their changes are noticed.
        {editing ? ' Changing the criteria marks a finished curation for review again; a status change does not.' : ' After saving, each criterion is drafted into a rule for a curator to accept, edit or reject.'}
      </Text>
      {message ? <Alert color="red" mb="md" role="alert" title="Not saved" data-testid="local-trial-error">{message}</Alert> : null}
      <form ref={formRef} onSubmit={onSubmit(() => void submit())} noValidate>
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="Protocol number" description="The institution's number, e.g. LCH-SARC-2026-01" required disabled={editing} {...text('localId')} />
            <TextInput label="Sponsor" required {...text('sponsor')} />
          </SimpleGrid>
          <TextInput label="Title" required {...text('title')} />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NativeSelect label="Network" data={NETWORKS.map((n) => ({ value: n, label: networkLabel(n) }))} {...text('network')} />
            <NativeSelect label="Status" data={LOCAL_TRIAL_STATUSES.map((s) => ({ value: s, label: overallStatusLabel(s) }))} {...text('status')} />
            <NativeSelect label="Sex" data={[{ value: 'ALL', label: 'All' }, { value: 'FEMALE', label: 'Female only' }, { value: 'MALE', label: 'Male only' }]} {...text('sex')} />
          </SimpleGrid>
          <Checkbox.Group label="Phases" value={d.phases} onChange={(v) => setD((x) => ({ ...x, phases: v }))} error={errors.phases}>
            <Group gap="md" mt={6}>
              {LOCAL_TRIAL_PHASES.map((p) => <Checkbox key={p} value={p} label={phasesLabel([p])} />)}
            </Group>
          </Checkbox.Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="Minimum age" description='e.g. "12 Months" or "2 Years"; empty = no minimum' {...text('minimumAge')} />
            <TextInput label="Maximum age" description='e.g. "21 Years"; empty = no maximum' {...text('maximumAge')} />
          </SimpleGrid>
          <Textarea label="Conditions" description="One per line" autosize minRows={2} {...text('conditions')} />
          <Textarea label="Inclusion criteria" description="One criterion per line, as the protocol words it" required autosize minRows={4} {...text('inclusion')} />
          <Textarea label="Exclusion criteria" description="One criterion per line" autosize minRows={3} {...text('exclusion')} />
          <Textarea label="Arms or cohorts" description='One per line: "Label: description"' autosize minRows={2} {...text('arms')} />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput label="Contact name" {...text('contactName')} />
            <TextInput label="Contact phone" type="tel" {...text('contactPhone')} />
            <TextInput label="Contact email" type="email" {...text('contactEmail')} />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel} disabled={pending}>Cancel</Button>
            <Button type="submit" loading={pending}>{submitLabel}</Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
