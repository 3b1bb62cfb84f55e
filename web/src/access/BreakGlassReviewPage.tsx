import { Badge, Button, Card, Group, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { PageHeader } from '../components/Layout.js';
import { QueryState } from '../components/QueryState.js';
import { formatDateTime, humanize } from '../lib/format.js';
import { onSubmit, useFormErrors } from '../lib/forms.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { reasonLabel, useBreakGlassEvents, useReviewBreakGlass, type BreakGlassEvent } from './api.js';

function ReviewForm({ event }: { event: BreakGlassEvent }) {
  const review = useReviewBreakGlass();
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const [note, setNote] = useState('');
  const submit = () => {
    if (!note.trim()) { setErrors({ note: 'Say what the review found' }); return; }
    review.mutate({ id: event.id, note: note.trim() });
  };
  return (
    <form ref={formRef} onSubmit={onSubmit(submit)} aria-label={`Review emergency access by ${event.user.name}`} noValidate>
      <Stack gap="xs">
        <Textarea label="Review note" withAsterisk autosize minRows={2} maxLength={2000} value={note} error={errors.note}
          onChange={(ev) => { setNote(ev.currentTarget.value); clearError('note'); }} />
        <ErrorAlert error={review.error} title="Not saved" />
        <Group><Button type="submit" size="sm" loading={review.isPending}>Review</Button></Group>
      </Stack>
    </form>
  );
}

function EventCard({ e }: { e: BreakGlassEvent }) {
  return (
    <Card component="article" aria-label={`Emergency access by ${e.user.name} on ${formatDateTime(e.createdAt)}`}>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5">{e.user.name} <Text span size="sm" c="gray.7">({e.user.institution})</Text></Title>
        {e.reviewedAt ? <Badge color="green" c="green.9" variant="light">Reviewed</Badge> : <Badge color="red" c="red.9" variant="light">Awaiting review</Badge>}
      </Group>
      <Text size="sm"><Text span fw={600}>Patient: </Text>{e.patient ? `${e.patient.name} (MRN ${e.patient.mrn})` : e.patientId}</Text>
      <Text size="sm"><Text span fw={600}>When: </Text>{formatDateTime(e.createdAt)} to {formatDateTime(e.until)} ({e.status})</Text>
      <Text size="sm"><Text span fw={600}>Reason: </Text>{reasonLabel(e.reasonCategory)}</Text>
      <Text size="sm" mb="sm"><Text span fw={600}>Justification: </Text>{e.justification}</Text>
      <Title order={3} size="h6" mb={4}>Read during the grant</Title>
      {e.reads.length === 0 ? <Text size="sm" c="gray.7">Nothing was read.</Text> : (
        <Table aria-label="Read during the grant">
          <Table.Thead><Table.Tr><Table.Th>When</Table.Th><Table.Th>Action</Table.Th><Table.Th>Record</Table.Th><Table.Th>Outcome</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {e.reads.map((r, i) => (
              <Table.Tr key={`${r.at}-${i}`}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.at)}</Table.Td>
                <Table.Td>{humanize(r.action)}</Table.Td>
                <Table.Td>{humanize(r.recordType)}</Table.Td>
                <Table.Td>{r.outcome}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {e.reviewedAt
        ? <Text size="sm" mt="sm"><Text span fw={600}>Review ({e.reviewedBy ?? '—'}, {formatDateTime(e.reviewedAt)}): </Text>{e.reviewNote}</Text>
        : <Stack mt="sm"><ReviewForm event={e} /></Stack>}
    </Card>
  );
}

/** /admin/break-glass: emergency access to this institution's patients, with what was read, for review. */
export function BreakGlassReviewPage() {
  usePageTitle('Emergency access review');
  const q = useBreakGlassEvents();
  const items = q.data?.items ?? [];
  return (
    <>
      <PageHeader title="Emergency access review" subtitle="Break-the-glass access to your institution's patients by other institutions' clinicians." />
      <QueryState isPending={q.isPending} error={q.error} label="emergency access events">
        <Stack gap="md">
          {items.length === 0 ? <Card><Text size="sm" c="gray.7">No emergency access to your patients has been recorded.</Text></Card> : items.map((e) => <EventCard key={e.id} e={e} />)}
        </Stack>
      </QueryState>
    </>
  );
}
