import { Button, Card, Group, NativeSelect, Radio, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { fieldErrors } from '../api/client.js';
import { useMe } from '../api/hooks.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { onSubmit, unplacedErrors, useFormErrors } from '../lib/forms.js';
import type { Errors } from '../lib/forms.js';
import { formatAge, formatDate, patientName } from '../lib/format.js';
import { TUMOR_FAMILIES, useAssignees, useTriage } from './api.js';
import type { DuplicateCandidate, Referral, TriageInput, TumorFamily, Urgency } from './api.js';
import { FAMILY_LABELS } from './labels.js';

const MRN_RE = /^[A-Za-z0-9-]{3,32}$/;
const KNOWN = new Set(['urgency', 'assignedTo', 'suspectedFamily', 'patient', 'patient.mrn', 'patient.sex', 'patient.patientId', 'note']);

/** "Link to GARCIA, Lucía, MRN 1001, DOB 2014-03-09" (what the coordinator is choosing between). */
export function duplicateLabel(d: DuplicateCandidate): string {
  return `Link to ${patientName(d)}, MRN ${d.mrn}, DOB ${formatDate(d.birthDate)}`;
}

/** The first decision on a referral: how urgent, who handles it, what it probably is, and which patient it is. */
export function TriageForm({ referral, onReload }: { referral: Referral; onReload: () => void }) {
  const me = useMe().data;
  const assignees = useAssignees();
  const triage = useTriage(referral);
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const [urgency, setUrgency] = useState<Urgency>(referral.urgency);
  const [assignedTo, setAssignedTo] = useState<string>(referral.assignedTo ?? me?.id ?? '');
  const [family, setFamily] = useState<string>(referral.suspectedFamily ?? '');
  const [choice, setChoice] = useState<string>(referral.duplicates.length === 0 ? 'create' : '');
  const [mrn, setMrn] = useState(referral.patient.mrn ?? '');
  const [note, setNote] = useState('');
  // Creating a patient needs the sex; ask only when the referral did not give it.
  const [sex, setSex] = useState<'' | 'male' | 'female'>('');
  const needSex = !referral.patient.sex;

  const options = assignees.data?.items ?? [];
  const assigneeData = [
    { value: '', label: 'Unassigned' },
    ...options.map((a) => ({ value: a.id, label: a.id === me?.id ? `${a.displayName} (me)` : a.displayName })),
  ];
  // Keep a current assignee who is not in the list (e.g. deactivated) visible rather than silently dropping them.
  if (assignedTo && !options.some((a) => a.id === assignedTo) && assignees.data) {
    assigneeData.push({ value: assignedTo, label: referral.assignedToName ?? assignedTo });
  }

  const submit = () => {
    const e: Errors = {};
    if (!choice) e.patient = 'Choose an existing patient or create a new one';
    if (choice === 'create' && !MRN_RE.test(mrn.trim())) e['patient.mrn'] = 'Enter the new MRN: 3–32 letters, digits or dashes';
    if (choice === 'create' && needSex && !sex) e['patient.sex'] = 'Choose the sex for the new patient record';
    setErrors(e);
    if (Object.keys(e).length > 0) return;
    const input: TriageInput = {
      urgency,
      assignedTo: assignedTo || undefined,
      suspectedFamily: (family || undefined) as TumorFamily | undefined,
      patient: choice === 'create'
        ? { action: 'create', mrn: mrn.trim(), ...(needSex && sex ? { sex } : {}) }
        : { action: 'link', patientId: choice.slice('link:'.length) },
      note: note.trim() || undefined,
    };
    triage.mutate(input, { onError: (err) => setErrors(fieldErrors(err)) });
  };

  const patientError = errors.patient ?? errors['patient.patientId'];
  return (
    <Card component="section" aria-labelledby="triage-heading">
      <Title order={2} size="h4" id="triage-heading" mb={4}>Triage</Title>
      <Text size="sm" c="dimmed" mb="md">Set the urgency, assign a coordinator and link the referral to a patient record.</Text>
      <form ref={formRef} onSubmit={onSubmit(submit)} noValidate aria-label="Triage referral">
        <Stack gap="md">
          <div aria-live="polite">
            {triage.error ? (
              <ErrorAlert error={triage.error} title="The referral was not triaged" onReload={onReload}
                extra={unplacedErrors(errors, (k) => KNOWN.has(k))} />
            ) : null}
          </div>
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
            <Radio.Group label="Urgency" value={urgency} onChange={(v) => setUrgency(v as Urgency)} error={errors.urgency}>
              <Group gap="md" mt={8}>
                <Radio value="routine" label="Routine" />
                <Radio value="urgent" label="Urgent" />
              </Group>
            </Radio.Group>
            <NativeSelect label="Assign coordinator" value={assignedTo} data={assigneeData} error={errors.assignedTo}
              disabled={assignees.isPending}
              description={assignees.error ? 'The list of coordinators could not be loaded' : undefined}
              onChange={(e) => { setAssignedTo(e.currentTarget.value); clearError('assignedTo'); }} />
            <NativeSelect label="Suspected tumour family" value={family} error={errors.suspectedFamily}
              data={[{ value: '', label: 'Not known yet' }, ...TUMOR_FAMILIES.map((f) => ({ value: f, label: FAMILY_LABELS[f] ?? f }))]}
              onChange={(e) => { setFamily(e.currentTarget.value); clearError('suspectedFamily'); }} />
          </SimpleGrid>
          <Radio.Group
            label="Patient record"
            description={referral.duplicates.length
              ? `${referral.duplicates.length} existing ${referral.duplicates.length === 1 ? 'patient looks' : 'patients look'} like this one. Link to the same child, or create a new record.`
              : 'No existing patient looks like this one.'}
            withAsterisk
            value={choice}
            error={patientError}
            onChange={(v) => { setChoice(v); clearError('patient'); clearError('patient.patientId'); }}
          >
            <Stack gap="sm" mt="xs">
              {referral.duplicates.map((d, i) => (
                <Radio
                  key={d.patientId}
                  value={`link:${d.patientId}`}
                  label={duplicateLabel(d)}
                  aria-invalid={i === 0 && patientError ? true : undefined}
                  description={
                    <>
                      Age {formatAge(d.birthDate)} · match {Math.round(d.score * (d.score <= 1 ? 100 : 1))}%
                      {d.reasons.length ? ` — ${d.reasons.join('; ')}` : ''}
                    </>
                  }
                  data-testid="duplicate-option"
                />
              ))}
              <Group gap="sm" align="center" wrap="wrap">
                <Radio value="create" label="Create new patient with MRN" aria-invalid={referral.duplicates.length === 0 && patientError ? true : undefined} />
                <TextInput
                  aria-label="MRN for the new patient"
                  value={mrn}
                  w={200}
                  autoComplete="off"
                  placeholder="e.g. MRN-2041"
                  error={errors['patient.mrn']}
                  onFocus={() => { if (choice !== 'create') setChoice('create'); }}
                  onChange={(e) => { setMrn(e.currentTarget.value); setChoice('create'); clearError('patient.mrn'); clearError('patient'); }}
                />
                {needSex && choice === 'create' ? (
                  <NativeSelect
                    aria-label="Sex of the new patient"
                    value={sex}
                    w={200}
                    error={errors['patient.sex']}
                    data={[{ value: '', label: 'Sex (not in the referral)' }, { value: 'female', label: 'Female' }, { value: 'male', label: 'Male' }]}
                    onChange={(e) => { setSex(e.currentTarget.value as '' | 'male' | 'female'); clearError('patient.sex'); }}
                  />
                ) : null}
              </Group>
            </Stack>
          </Radio.Group>
          <Textarea label="Note for the timeline" description="Optional" autosize minRows={2} maxLength={2000} value={note}
            error={errors.note} onChange={(e) => setNote(e.currentTarget.value)} />
          <Group justify="flex-end">
            <Button type="submit" loading={triage.isPending}>Triage referral</Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
