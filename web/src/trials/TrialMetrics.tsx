import { Card, Table, Text, Title } from '@mantine/core';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { TableStatusRows } from '../components/TableStatusRows.js';
import { humanize } from '../lib/format.js';
import { useTrialMetrics } from './api.js';
import type { MetricsRow } from './api.js';

const FAMILY_LABELS: Record<string, string> = {
  osteosarcoma: 'Osteosarcoma',
  ewing: 'Ewing sarcoma',
  rhabdomyosarcoma: 'Rhabdomyosarcoma',
  nrsts: 'Non-rhabdomyosarcoma soft-tissue sarcoma',
  other_bone_malignant: 'Other malignant bone tumors',
  benign_bone: 'Benign bone tumors',
  intermediate_soft_tissue: 'Intermediate soft-tissue tumors',
  unknown: 'Tumor family not coded',
};
export const familyLabel = (f: string) => FAMILY_LABELS[f] ?? humanize(f);

/** "12 (44.9%)"; a share of no children is a dash, not 0%. */
function Share({ n, percent }: { n: number; percent: number | null }) {
  if (percent === null) return <Text span size="sm" c="dimmed">—</Text>;
  return (
    <div className="tb-trials-share">
      <Text span size="sm" style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>{n} ({percent}%)</Text>
      <span className="tb-trials-bar" aria-hidden="true"><span style={{ width: `${Math.min(100, percent)}%` }} /></span>
    </div>
  );
}

function Row({ label, m, strong }: { label: string; m: MetricsRow; strong?: boolean }) {
  return (
    <Table.Tr data-testid="metrics-row" fw={strong ? 600 : undefined}>
      <Table.Th scope="row" fw={strong ? 700 : 500}>{label}</Table.Th>
      <Table.Td style={{ fontVariantNumeric: 'tabular-nums' }}>{m.presented}</Table.Td>
      <Table.Td><Share n={m.offered} percent={m.offeredPercent} /></Table.Td>
      <Table.Td><Share n={m.enrolled} percent={m.enrolledPercent} /></Table.Td>
    </Table.Tr>
  );
}

/**
 * Program figures (issue 7 §6): of the children presented at conference, the share offered a trial and the share
 * enrolled, by tumor family. Counts only; the definition is the server's.
 */
export function TrialMetrics() {
  const metrics = useTrialMetrics();
  const m = metrics.data;
  return (
    <Card component="section" aria-labelledby="trial-metrics-heading" data-testid="trial-metrics">
      <Title order={2} size="h4" id="trial-metrics-heading" mb={4}>Trial offers and enrollment</Title>
      {m ? (
        <Text size="sm" mb="sm" data-testid="metrics-summary">
          {m.total.presented === 0
            ? 'No children have been presented at conference yet.'
            : `Of ${m.total.presented} children presented at conference, ${m.total.offered} (${m.total.offeredPercent}%) were offered a trial and ${m.total.enrolled} (${m.total.enrolledPercent}%) enrolled.`}
        </Text>
      ) : null}
      <div aria-live="polite">{metrics.error ? <ErrorAlert error={metrics.error} title="Could not load the trial figures" /> : null}</div>
      <Table.ScrollContainer minWidth={480}>
        <Table aria-label="Trial offers and enrollment by tumor family" fz="sm" verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Tumor family</Table.Th>
              <Table.Th>Presented</Table.Th>
              <Table.Th>Offered a trial</Table.Th>
              <Table.Th>Enrolled</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {m?.byFamily.map((f) => <Row key={f.family} label={familyLabel(f.family)} m={f} />)}
            {m && m.byFamily.length > 0 ? <Row label="All presented children" m={m.total} strong /> : null}
            <TableStatusRows colSpan={4} pending={metrics.isPending} empty={!!m && m.byFamily.length === 0} loading="Loading trial figures…" emptyText="No children presented yet." />
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {m ? <Text size="xs" c="dimmed" mt="xs">{m.definition}</Text> : null}
    </Card>
  );
}
