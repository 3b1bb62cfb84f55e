import { Alert, Badge, Card, Code, Group, List, SimpleGrid, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { formatNumber, humanize } from '../lib/format.js';
import type { Derived, SurvivorshipPlan } from './api.js';
import { Provenance, RuleIds, agentLabel } from './labels.js';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: 0.4 }}>{label}</Text>
      <Text size="sm" fw={600}>{children}</Text>
    </div>
  );
}

const known = (n: number | null, unit: string) => (n === null ? <Text span c="orange.9" inherit>Unknown</Text> : formatNumber(n, unit));

/**
 * After the end of therapy: the late-effect screening schedule built by the server from the RECEIVED exposure
 * (rules.md §4): each test, how often, when it is next due and whether it is overdue, with its rule IDs and the
 * exposure that triggers it. Unknown doses stay unknown and say why.
 */
export function SurvivorshipPanel({ survivorship, endedOn }: { survivorship: Derived<SurvivorshipPlan> | null; endedOn: string | null }) {
  const s = survivorship?.value ?? null;
  return (
    <Card component="section" aria-labelledby="survivorship-heading" data-testid="survivorship">
      <Title order={2} size="h4" id="survivorship-heading">Survivorship care plan</Title>
      <Text size="xs" c="dimmed" mb="sm">Late-effect screening from the treatment received, computed by the server from the clinical rules (late effects, COG long-term follow-up).</Text>
      {!s ? (
        <Alert color="orange" variant="light">
          <Text size="sm">Unknown: the schedule could not be built{endedOn ? '' : ' (therapy has not ended)'}; the case facts may be incomplete.</Text>
          {survivorship ? <Provenance d={survivorship} /> : null}
        </Alert>
      ) : (
        <>
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm" mb="md">
            <Fact label="End of therapy">{s.endOfTherapyDate}</Fact>
            <Fact label="Long-term follow-up from">{s.ltfuEntryDate}</Fact>
            <Fact label="Age at treatment">{s.ageAtTreatmentMonths === null ? <Text span c="orange.9" inherit>Unknown</Text> : `${Math.floor(s.ageAtTreatmentMonths / 12)} y ${s.ageAtTreatmentMonths % 12} mo`}</Fact>
            <Fact label="Doxorubicin equivalent">{known(s.doxorubicinEquivalentMgM2, 'mg/m²')}</Fact>
            <Fact label="CED">{known(s.cedMgM2, 'mg/m²')}</Fact>
            <Fact label="Echocardiogram">{s.echoFrequency ? humanize(s.echoFrequency) : <Text span c="orange.9" inherit>Unknown</Text>}</Fact>
          </SimpleGrid>
          {s.items.length === 0 ? <Text size="sm" c="dimmed">The treatment received calls for no late-effect screening in the clinical rules.</Text> : (
            <Table.ScrollContainer minWidth={820}>
              <Table withTableBorder verticalSpacing="xs" fz="sm" aria-label="Screening schedule" data-testid="screening-schedule">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Test</Table.Th>
                    <Table.Th scope="col">How often</Table.Th>
                    <Table.Th scope="col">Next due</Table.Th>
                    <Table.Th scope="col">Rules</Table.Th>
                    <Table.Th scope="col">Because</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {s.items.map((i) => (
                    <Table.Tr key={i.id} data-testid="screening-row" data-item={i.id} data-overdue={i.overdue ? 'true' : 'false'} className={i.overdue ? 'tb-overdue-row' : undefined}>
                      <Table.Td>
                        <Text size="sm" fw={600}>{i.test}</Text>
                        <Text size="xs" c="gray.7">{humanize(i.system)}</Text>
                      </Table.Td>
                      <Table.Td>{i.frequency}</Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        {i.nextDue ?? <Text span size="sm" c="orange.9">Not datable</Text>}
                        {i.overdue ? <Badge ml={6} size="sm" color="red" variant="filled" radius="sm"><span aria-hidden="true">⚠ </span>Overdue</Badge> : null}
                      </Table.Td>
                      <Table.Td><RuleIds rules={i.rules} /></Table.Td>
                      <Table.Td>
                        <Text size="sm">{i.reason}</Text>
                        {i.caveats.map((c) => <Text key={c} size="xs" c="orange.9">{c}</Text>)}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {s.unknown.length > 0 ? (
            <div>
              <Text size="sm" fw={700} mt="md" c="orange.9">Exposure of unknown dose</Text>
              <List size="xs" spacing={2}>
                {s.unknown.map((u) => <List.Item key={u.agent}>{agentLabel(u.agent)}: {u.reason}</List.Item>)}
              </List>
            </div>
          ) : null}
          {survivorship && survivorship.missing.length > 0 ? (
            <Group gap={6} mt="sm">
              <Text size="xs" c="orange.9">Missing facts:</Text>
              {survivorship.missing.map((m) => <Code key={`${m.field}-${m.needed_for}`} fz="xs">{m.field}</Code>)}
            </Group>
          ) : null}
          {survivorship ? (
            <details className="tb-why" style={{ marginTop: 8 }}>
              <summary>How each item was derived</summary>
              <Provenance d={survivorship} />
            </details>
          ) : null}
        </>
      )}
    </Card>
  );
}
