import { Alert, Badge, Button, Card, Group, List, Modal, Radio, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { fieldErrors } from '../api/client.js';
import { DateField } from '../components/DateField.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { QueryState } from '../components/QueryState.js';
import { humanize } from '../lib/format.js';
import { isValidDate, onSubmit, useFormErrors } from '../lib/forms.js';
import { useEndTherapy, useProgress } from './api.js';
import type { PlanAccess, PlanView, Progress, TimelineEntry } from './api.js';
import { ExposurePanel } from './ExposurePanel.js';
import { ConcordanceBadge, NO_CLIP, TIMELINE_STATUS_LABELS, agentLabel } from './labels.js';
import { RecordTreatmentForm } from './RecordTreatmentForm.js';

const STATUS_COLORS: Record<TimelineEntry['status'], string> = { given: 'teal', planned: 'gray', off_plan: 'red' };

function days(n: number | null): string {
  if (n === null) return '';
  if (n === 0) return 'on the planned day';
  return `${Math.abs(n)} ${Math.abs(n) === 1 ? 'day' : 'days'} ${n > 0 ? 'later' : 'earlier'} than planned`;
}

/** The plan against what was given, in date order. */
function TimelineTable({ entries }: { entries: readonly TimelineEntry[] }) {
  if (entries.length === 0) return <Text size="sm" c="dimmed">The timeline starts with the first treatment recorded.</Text>;
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table withTableBorder verticalSpacing="xs" fz="sm" aria-label="Plan against what was given" data-testid="timeline">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Planned</Table.Th>
            <Table.Th scope="col">What</Table.Th>
            <Table.Th scope="col">Given</Table.Th>
            <Table.Th scope="col">Dose against plan</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((e, i) => (
            <Table.Tr key={`${e.label}-${i}`} data-testid="timeline-row" data-status={e.status} data-kind={e.kind} className={e.status === 'given' ? 'tb-given-row' : undefined}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {e.plannedWeek !== null ? <Text size="sm">Week {e.plannedWeek}</Text> : <Text size="sm" c="dimmed">Not scheduled</Text>}
                {e.plannedDate ? <Text size="xs" c="gray.7">{e.plannedDate}</Text> : null}
              </Table.Td>
              <Table.Td>
                <Text size="sm" fw={600}>{e.label}</Text>
                {e.phaseName && e.phaseName !== entries[i - 1]?.phaseName ? <Text size="xs" c="gray.7">{e.phaseName}</Text> : null}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {e.givenDate ? <Text size="sm" data-testid="given-date">{e.givenDate}</Text> : <Text size="sm" c="dimmed">—</Text>}
                {e.daysFromPlan !== null ? <Text size="xs" c="gray.7">{days(e.daysFromPlan)}</Text> : null}
              </Table.Td>
              <Table.Td>
                {e.dosePercent !== null ? <Text size="sm" fw={600}>{e.dosePercent}% of plan (lowest comparable agent)</Text> : e.givenDate ? <Text size="sm" c="dimmed">Not comparable</Text> : null}
                {e.agents.length > 0 ? (
                  <List size="xs" spacing={0} listStyleType="none" ml={0}>
                    {e.agents.map((a) => (
                      <List.Item key={a.agent}>
                        {agentLabel(a.agent)}: {a.given ?? 'not given'} of {a.planned}
                        {a.percent !== null ? ` (${a.percent}%)` : a.why ? <Text span size="xs" c="orange.9"> — {a.why}</Text> : null}
                      </List.Item>
                    ))}
                  </List>
                ) : null}
              </Table.Td>
              <Table.Td>
                <Badge size="sm" variant={e.status === 'planned' ? 'outline' : 'light'} color={STATUS_COLORS[e.status]} c={`${STATUS_COLORS[e.status]}.9`} radius="sm" styles={NO_CLIP}>
                  {TIMELINE_STATUS_LABELS[e.status]}
                </Badge>
                {e.deviation ? <Text size="xs" c="orange.9">Deviation: {humanize(e.deviation.reason)} — {e.deviation.note}</Text> : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Concordance({ p }: { p: Progress }) {
  const c = p.concordance;
  const reasons = c.reasons;
  return (
    <section aria-labelledby="concordance-heading" data-testid="concordance">
      <Group gap="sm" mb={4} wrap="wrap">
        <Title order={3} size="h5" id="concordance-heading">Was the plan carried out?</Title>
        <ConcordanceBadge status={c.status} />
      </Group>
      <Text size="sm" c="gray.7">
        {c.progress.chemoGiven} chemotherapy {c.progress.chemoGiven === 1 ? 'cycle' : 'cycles'} recorded
        {c.progress.plannedCycles === null ? ' (the number of planned cycles is not set)'
          : c.progress.plannedCycles === 0 ? '; the plan has no chemotherapy cycles'
            : `, ${c.progress.matchedCycles} of ${c.progress.plannedCycles} planned cycles carried out`}.
      </Text>
      {reasons.length > 0 ? (
        <List size="sm" spacing={2} mt={6} data-testid="concordance-reasons">
          {reasons.map((r, i) => (
            <List.Item key={`${r.code}-${i}`}>
              <Text span size="sm" fw={600} c={r.kind === 'not_followed' ? 'red.9' : r.kind === 'deviation' ? 'orange.9' : 'gray.8'}>
                {r.kind === 'not_followed' ? 'Not followed' : r.kind === 'deviation' ? 'Deviation' : 'Note'}:
              </Text>{' '}
              {r.text}{r.reason ? ` (recorded reason: ${humanize(r.reason)})` : ''}
            </List.Item>
          ))}
        </List>
      ) : <Text size="sm" c="dimmed" mt={4}>No deviations so far.</Text>}
    </section>
  );
}

function EndTherapy({ plan }: { plan: PlanView }) {
  const end = useEndTherapy(plan.caseId);
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const [endedOn, setEndedOn] = useState('');
  const [outcome, setOutcome] = useState<'completed' | 'stopped'>('completed');
  const [confirming, setConfirming] = useState(false);
  const check = () => {
    const d = endedOn.trim();
    if (!d) { setErrors({ endedOn: 'Give the last day of therapy' }); return; }
    if (!isValidDate(d)) { setErrors({ endedOn: 'Use a date like 2026-03-09' }); return; }
    setErrors({});
    setConfirming(true);
  };
  const confirm = () => end.mutate({ endedOn: endedOn.trim(), outcome }, {
    onSuccess: () => setConfirming(false),
    onError: (err) => { setConfirming(false); setErrors(fieldErrors(err)); },
  });
  return (
    <form ref={formRef} onSubmit={onSubmit(check)} noValidate aria-label="End therapy">
      <Stack gap="sm">
        <div aria-live="polite">{end.error ? <ErrorAlert error={end.error} title="Therapy was not ended" /> : null}</div>
        <Group align="flex-start" gap="lg" wrap="wrap">
          <DateField label="Last day of therapy" withAsterisk value={endedOn} error={errors.endedOn} w={200}
            onChange={(e) => { setEndedOn(e.currentTarget.value); clearError('endedOn'); }} />
          <Radio.Group label="Outcome" value={outcome} onChange={(v) => setOutcome(v as 'completed' | 'stopped')}>
            <Group gap="md" mt={8}>
              <Radio value="completed" label="Completed as planned" />
              <Radio value="stopped" label="Stopped early" />
            </Group>
          </Radio.Group>
        </Group>
        <Group><Button type="submit" variant="default" color="violet">End therapy…</Button></Group>
      </Stack>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={<Text fw={700}>End therapy on {endedOn.trim()}?</Text>} centered>
        <Text size="sm">
          The plan will be {outcome === 'completed' ? 'completed' : 'stopped'} and can no longer be edited or have treatment added.
          The survivorship screening schedule starts from this date.
        </Text>
        <Group justify="flex-end" mt="md" gap="sm">
          <Button variant="default" onClick={() => setConfirming(false)}>Cancel</Button>
          <Button color="violet" onClick={confirm} loading={end.isPending}>End therapy</Button>
        </Group>
      </Modal>
    </form>
  );
}

/**
 * Treatment given against the plan: recording (chemotherapy, surgery, radiation), the plan-against-actual timeline,
 * concordance with its reasons, the received exposure, and ending therapy.
 */
export function TreatmentPanel({ plan, access }: { plan: PlanView; access: PlanAccess }) {
  const progress = useProgress(plan.caseId);
  const p = progress.data;
  const canRecord = access.record && (plan.status === 'agreed' || plan.status === 'active');
  return (
    <Card component="section" aria-labelledby="treatment-heading" data-testid="treatment">
      <Title order={2} size="h4" id="treatment-heading" mb="xs">Treatment given</Title>
      {plan.status === 'draft' ? (
        <Alert color="gray" variant="light" mb="md" p="xs">
          <Text size="sm">Treatment is recorded against an agreed plan: this version is a draft until every required group has signed it.</Text>
        </Alert>
      ) : null}
      <QueryState isPending={progress.isPending} error={progress.error} label="treatment progress">
        {p ? (
          <Stack gap="lg">
            {p.administrations.length > 0 || plan.status !== 'draft' ? <Concordance p={p} /> : null}
            {p.received && p.administrations.length > 0 ? (
              <ExposurePanel exposure={p.received} headingId="received-heading" headingOrder={3} wide />
            ) : null}
            <section aria-labelledby="timeline-heading">
              <Group gap="sm" mb={6}>
                <Title order={3} size="h5" id="timeline-heading">Timeline</Title>
                {p.startedOn ? <Text size="xs" c="dimmed">Started {p.startedOn}{p.endedOn ? ` · ended ${p.endedOn}` : ''}</Text> : null}
              </Group>
              <TimelineTable entries={p.timeline} />
            </section>
            {canRecord ? (
              <section aria-labelledby="record-heading" className="tb-subsection">
                <Title order={3} size="h5" id="record-heading" mb="xs">Record treatment given</Title>
                <RecordTreatmentForm caseId={plan.caseId} plan={plan.content} />
              </section>
            ) : null}
            {access.record && plan.status === 'active' ? (
              <section aria-labelledby="end-heading" className="tb-subsection">
                <Title order={3} size="h5" id="end-heading" mb="xs">End of therapy</Title>
                <EndTherapy plan={plan} />
              </section>
            ) : null}
          </Stack>
        ) : null}
      </QueryState>
    </Card>
  );
}
