import { Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { Patient } from '../api/types.js';
import { useAccess } from '../lib/access.js';
import { formatAge, formatDate, formatDateTime, formatSex, humanize } from '../lib/format.js';

export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: 0.4 }}>{label}</Text>
      <Text size="sm" component="div">{children}</Text>
    </div>
  );
}

export function DemographicsCard({ patient }: { patient: Patient }) {
  // Another institution's patient opened through a grant is read-only here (issue #9 item 2).
  const write = useAccess().write && !('access' in patient && patient.access);
  return (
    <Card aria-labelledby="demographics-heading" component="section">
      <Group justify="space-between" mb="md">
        <Title order={2} size="h4" id="demographics-heading">Demographics</Title>
        {write ? <Button size="xs" variant="light" component={Link} to={`/patients/${patient.id}/edit`}>Edit demographics</Button> : null}
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 4 }} spacing="md" verticalSpacing="sm">
        <Fact label="MRN"><Text span ff="monospace" size="sm">{patient.mrn}</Text></Fact>
        <Fact label="Birth date">{formatDate(patient.birthDate)}</Fact>
        <Fact label="Age">{formatAge(patient.birthDate)}</Fact>
        <Fact label="Sex">{formatSex(patient.sex)}</Fact>
        <Fact label="Home country">{patient.homeCountry || '—'}</Fact>
        <Fact label="Preferred language">{patient.preferredLanguage || '—'}</Fact>
        <Fact label="Interpreter">
          {patient.interpreterNeeded ? <Badge color="orange" variant="light" c="orange.9">Needed</Badge> : 'Not needed'}
        </Fact>
        <Fact label="Last updated">{formatDateTime(patient.updatedAt)}</Fact>
      </SimpleGrid>
    </Card>
  );
}

export function GuardiansCard({ patient }: { patient: Patient }) {
  // Another institution's patient opened through a grant is read-only here (issue #9 item 2).
  const write = useAccess().write && !('access' in patient && patient.access);
  return (
    <Card aria-labelledby="guardians-heading" component="section">
      <Title order={2} size="h4" id="guardians-heading" mb="md">Parents and guardians</Title>
      {patient.guardians.length === 0 ? (
        <Text size="sm" c="dimmed">
          None recorded.{write ? <> <Anchor component={Link} to={`/patients/${patient.id}/edit`}>Add one</Anchor>.</> : null}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={520}>
          <Table aria-labelledby="guardians-heading">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th><Table.Th>Relationship</Table.Th><Table.Th>Phone</Table.Th>
                <Table.Th>Email</Table.Th><Table.Th>Language</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {patient.guardians.map((g, i) => (
                <Table.Tr key={`${g.name}-${i}`}>
                  <Table.Td fw={500}>{g.name}</Table.Td>
                  <Table.Td>{humanize(g.relationship)}</Table.Td>
                  <Table.Td>{g.phone ? <Anchor href={`tel:${g.phone}`} size="sm">{g.phone}</Anchor> : '—'}</Table.Td>
                  <Table.Td>{g.email ? <Anchor href={`mailto:${g.email}`} size="sm">{g.email}</Anchor> : '—'}</Table.Td>
                  <Table.Td>{g.language || '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

export function Stacked({ children }: { children: ReactNode }) {
  return <Stack gap="lg">{children}</Stack>;
}
