import { Anchor, Button, Card, Checkbox, Grid, Group, NativeSelect, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { fieldErrors } from '../api/client.js';
import { useCreateCase, useLinkCaseTumor } from '../api/hooks.js';
import type { CaseRecord, Tumor } from '../api/types.js';
import { useAccess } from '../lib/access.js';
import { onSubmit, useFormErrors } from '../lib/forms.js';
import { formatDate, humanize } from '../lib/format.js';
import { CaseStatusControl, CaseTimeline } from './CaseTimeline.js';
import { ErrorAlert } from './ErrorAlert.js';
import { StatusBadge, UrgentBadge } from './StatusBadge.js';

function tumorLabel(t: Tumor): string {
  return `${t.morphology} · ${t.primarySite || humanize(t.siteCategory)} (${formatDate(t.diagnosisDate)})`;
}

function NewCaseForm({ patientId, tumors, onDone }: { patientId: string; tumors: Tumor[]; onDone: () => void }) {
  const create = useCreateCase(patientId);
  const [tumorId, setTumorId] = useState(tumors[0]?.id ?? '');
  const [question, setQuestion] = useState('');
  const [urgent, setUrgent] = useState(false);
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const submit = () => {
    if (!tumorId) return setErrors({ tumorId: 'Choose the tumour this case is about' });
    setErrors({});
    const input = question.trim() ? { tumorId, question: question.trim(), urgent } : { tumorId, urgent };
    create.mutate(input, { onSuccess: onDone, onError: (err) => setErrors(fieldErrors(err)) });
  };
  return (
    <form ref={formRef} onSubmit={onSubmit(submit)} noValidate aria-label="Open a case">
      <Stack gap="sm">
        <div aria-live="polite">{create.error ? <ErrorAlert error={create.error} title="The case was not opened" /> : null}</div>
        <NativeSelect label="Tumour" withAsterisk value={tumorId} error={errors.tumorId}
          data={tumors.map((t) => ({ value: t.id, label: tumorLabel(t) }))}
          onChange={(e) => { setTumorId(e.currentTarget.value); clearError('tumorId'); }} />
        <Textarea label="Question for the conference" autosize minRows={2} value={question} error={errors.question}
          placeholder="e.g. Limb salvage versus amputation?" onChange={(e) => { setQuestion(e.currentTarget.value); clearError('question'); }} />
        <Checkbox label="Urgent" checked={urgent} onChange={(e) => setUrgent(e.currentTarget.checked)} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>Cancel</Button>
          <Button type="submit" loading={create.isPending}>Open case</Button>
        </Group>
      </Stack>
    </form>
  );
}

/** A case opened at referral triage has no tumour yet: link it once the tumour is recorded. */
function LinkTumor({ record, tumors }: { record: CaseRecord; tumors: Tumor[] }) {
  const link = useLinkCaseTumor(record.patientId);
  const [tumorId, setTumorId] = useState(tumors[0]?.id ?? '');
  if (tumors.length === 0) return <Text size="sm" c="gray.7" mt={4}>No tumour recorded yet: add it above, then link it to this case.</Text>;
  return (
    <form onSubmit={onSubmit(() => link.mutate({ id: record.id, version: record.version, tumorId }))} aria-label="Link a tumour to this case">
      <Group gap="xs" align="flex-end" mt={4}>
        <NativeSelect label="Tumour for this case" size="xs" value={tumorId} data={tumors.map((t) => ({ value: t.id, label: tumorLabel(t) }))}
          onChange={(e) => setTumorId(e.currentTarget.value)} />
        <Button type="submit" size="xs" variant="light" loading={link.isPending}>Link tumour</Button>
      </Group>
      <div aria-live="polite">{link.error ? <ErrorAlert error={link.error} title="The tumour was not linked" /> : null}</div>
    </form>
  );
}

function CaseCard({ record, tumor, tumors, onReload, readOnly }: { record: CaseRecord; tumor: Tumor | undefined; tumors: Tumor[]; onReload: () => void; readOnly: boolean }) {
  const headingId = `case-${record.id}-heading`;
  const write = useAccess().write && !readOnly;
  return (
    <Paper withBorder p="md" component="article" aria-labelledby={headingId} data-testid="case">
      <Group justify="space-between" align="flex-start" mb="sm">
        <div>
          <Group gap="xs">
            <Title order={3} size="h5" id={headingId}>Case opened {formatDate(record.createdAt)}</Title>
            <StatusBadge status={record.status} />
            {record.urgent ? <UrgentBadge /> : null}
          </Group>
          {tumor ? <Text size="sm" c="dimmed" mt={4}>{tumorLabel(tumor)}</Text>
            : write && record.tumorId === null ? <LinkTumor record={record} tumors={tumors} />
              : <Text size="sm" c="gray.7" mt={4}>No tumour linked yet</Text>}
          {record.question ? <Text size="sm" mt={4}><Text span fw={600}>Question:</Text> {record.question}</Text> : null}
        </div>
        <Anchor component={Link} to={`/cases/${record.id}`} size="sm" fw={600}>
          Open case page<span className="visually-hidden"> for case opened {formatDate(record.createdAt)}</span>
        </Anchor>
      </Group>
      <Grid gutter="lg">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Title order={4} size="h6" mb="xs">Status history</Title>
          <CaseTimeline record={record} />
        </Grid.Col>
        {write ? (
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Title order={4} size="h6" mb="xs">Change status</Title>
            <CaseStatusControl record={record} onReload={onReload} />
          </Grid.Col>
        ) : null}
      </Grid>
    </Paper>
  );
}

interface Props {
  patientId: string;
  tumors: Tumor[];
  cases: CaseRecord[];
  onReload: () => void;
  /** Another institution's patient opened through a grant (issue #9 item 2): no write controls. */
  readOnly?: boolean;
}

export function PatientCases({ patientId, tumors, cases, onReload, readOnly = false }: Props) {
  const [opening, setOpening] = useState(false);
  const write = useAccess().write && !readOnly;
  return (
    <Card aria-labelledby="cases-heading" component="section">
      <Group justify="space-between" mb="md">
        <Title order={2} size="h4" id="cases-heading">Cases</Title>
        {write && !opening && tumors.length > 0 ? <Button size="xs" variant="light" onClick={() => setOpening(true)}>New case</Button> : null}
      </Group>
      <Stack gap="md">
        {opening ? (
          <Paper withBorder p="md" bg="gray.0">
            <Title order={3} size="h5" mb="sm">New case</Title>
            <NewCaseForm patientId={patientId} tumors={tumors} onDone={() => setOpening(false)} />
          </Paper>
        ) : null}
        {cases.length === 0 && !opening ? (
          <Text size="sm" c="dimmed">{tumors.length === 0 ? 'Add a tumour before opening a case.' : 'No case opened yet.'}</Text>
        ) : null}
        {cases.map((c) => (
          <CaseCard key={c.id} record={c} tumor={tumors.find((t) => t.id === c.tumorId)} tumors={tumors} onReload={onReload} readOnly={readOnly} />
        ))}
      </Stack>
    </Card>
  );
}
