import { codeLabel } from '../lib/clinicalLabels.js';
import { Badge, Code, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { Assessment } from '../api/types.js';
import { formatNumber, humanize } from '../lib/format.js';
import { Fact } from './PatientSections.js';

/** Treatment template, planned cumulative doses and exposure summaries. */
export function AssessmentTreatment({ assessment: a }: { assessment: Assessment }) {
  const doses = Object.entries(a.plannedCumulativeMgM2 ?? {});
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm" verticalSpacing="sm">
        <Fact label="Treatment template">{a.treatmentTemplate ? <Code fz="sm">{a.treatmentTemplate}</Code> : <Text span c="dimmed" size="sm">None chosen</Text>}</Fact>
        <Fact label="Echo frequency">{a.echoFrequency ? humanize(a.echoFrequency) : 'Unknown'}</Fact>
        <Fact label="Doxorubicin equivalent">{formatNumber(a.doxorubicinEquivalentMgM2, 'mg/m²')}</Fact>
        <Fact label="Cyclophosphamide equivalent">{formatNumber(a.cedMgM2, 'mg/m²')}</Fact>
        {a.radiation ? (
          <Fact label="Radiation to primary">
            {formatNumber(a.radiation.primaryGy, 'Gy')}
            {a.radiation.situation ? ` (${codeLabel(a.radiation.situation)})` : ''}
            {a.radiation.wholeLungGy !== undefined && a.radiation.wholeLungGy !== null ? `; whole lung ${a.radiation.wholeLungGy} Gy` : ''}
          </Fact>
        ) : null}
      </SimpleGrid>
      <div>
        <Title order={4} size="h6" mb={4}>Planned cumulative doses</Title>
        {doses.length === 0 ? <Text size="sm" c="dimmed">No planned chemotherapy doses.</Text> : (
          <Table withTableBorder verticalSpacing={2} fz="sm" aria-label="Planned cumulative doses">
            <Table.Thead>
              <Table.Tr><Table.Th scope="col">Agent</Table.Th><Table.Th scope="col" ta="right">mg/m²</Table.Th></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {doses.map(([agent, dose]) => (
                <Table.Tr key={agent}>
                  <Table.Td>{humanize(agent)}</Table.Td>
                  <Table.Td ta="right" ff="monospace">{dose.toLocaleString('en-US')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </div>
      {a.fertilityOptions.length > 0 ? (
        <div>
          <Title order={4} size="h6" mb={4}>Fertility preservation options</Title>
          <Group gap={6}>
            {a.fertilityOptions.map((f) => <Badge key={f} variant="light" color="grape" c="grape.9">{humanize(f)}</Badge>)}
          </Group>
        </div>
      ) : null}
      {a.survivorship && a.survivorship.items.length > 0 ? (
        <div>
          <Title order={4} size="h6" mb={4}>Survivorship screening</Title>
          <Table withTableBorder verticalSpacing={2} fz="sm" aria-label="Survivorship screening">
            <Table.Thead>
              <Table.Tr><Table.Th scope="col">Test</Table.Th><Table.Th scope="col">How often</Table.Th><Table.Th scope="col">Because</Table.Th></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {a.survivorship.items.map((s) => (
                <Table.Tr key={`${s.test}-${s.because}`}>
                  <Table.Td>{s.test}</Table.Td><Table.Td>{s.frequency}</Table.Td><Table.Td>{s.because}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      ) : null}
    </Stack>
  );
}
