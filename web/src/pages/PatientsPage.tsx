import { Anchor, Button, Card, Group, Loader, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { Link, useNavigate } from 'react-router';
import { usePatients } from '../api/hooks.js';
import type { PatientListParams } from '../api/hooks.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { PageHeader } from '../components/Layout.js';
import { Pager } from '../components/Pager.js';
import { SortableTh } from '../components/SortableTh.js';
import type { SortOrder } from '../components/SortableTh.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { formatAge, formatDate, formatSex, patientName } from '../lib/format.js';
import { useAccess } from '../lib/access.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { useListParams } from '../lib/useListParams.js';
import { TableStatusRows } from '../components/TableStatusRows.js';

const PAGE_SIZE = 25;

type PatientRow = NonNullable<ReturnType<typeof usePatients>['data']>['items'][number];

/** The patient list on a phone: one card per child, name first, then MRN, age, sex, diagnosis and case status. */
function PatientCards({ items, pending, empty, query }: { items: PatientRow[]; pending: boolean; empty: boolean; query: string }) {
  return (
    <Stack gap="xs" hiddenFrom="sm" component="ul" aria-label="Patients" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {items.map((p) => (
        <Paper key={p.id} component="li" withBorder p="sm" radius="md" data-testid="patient-card">
          <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
            <Anchor component={Link} to={`/patients/${p.id}`} fw={600}>{patientName(p)}</Anchor>
            <StatusBadge status={p.caseStatus} />
          </Group>
          <Text size="xs" c="gray.7" mt={2}>
            MRN <Text span ff="monospace" inherit>{p.mrn}</Text> · {formatAge(p.birthDate)} · {formatSex(p.sex)}
          </Text>
          <Text size="sm" mt={4}>{p.diagnosis ?? <Text span c="dimmed" size="sm">No diagnosis recorded</Text>}</Text>
        </Paper>
      ))}
      {pending ? <Text size="sm" c="dimmed" component="li">Loading patients…</Text> : null}
      {empty ? <Text size="sm" c="dimmed" component="li">{query ? `No patients match “${query}”.` : 'No patients yet.'}</Text> : null}
    </Stack>
  );
}
type SortKey = PatientListParams['sort'];
const SORT_KEYS: SortKey[] = ['name', 'mrn', 'birthDate', 'updatedAt'];

export function PatientsPage() {
  usePageTitle('Patients');
  const navigate = useNavigate();
  const { write } = useAccess();
  const { params, q, offset, search, setSearch, update } = useListParams();
  const sortParam = params.get('sort') as SortKey | null;
  const sort: SortKey = sortParam && SORT_KEYS.includes(sortParam) ? sortParam : 'name';
  const order: SortOrder = params.get('order') === 'desc' ? 'desc' : 'asc';




  const list = usePatients({ q, sort, order, limit: PAGE_SIZE, offset });
  const items = list.data?.items ?? [];

  return (
    <>
      <PageHeader title="Patients" subtitle="Children registered with the tumour program at your institution">
        {write ? <Button component={Link} to="/patients/new">New patient</Button> : null}
      </PageHeader>
      <Card>
        <Group mb="md" align="flex-end">
          <TextInput
            type="search"
            label="Search patients"
            description="Name, MRN or diagnosis"
            placeholder="e.g. Garcia, MRN-1001, osteosarcoma"
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            w={{ base: '100%', sm: 380 }}
            rightSection={list.isFetching ? <Loader size={14} aria-label="Searching" /> : null}
          />
        </Group>
        <div aria-live="polite">{list.error ? <ErrorAlert error={list.error} title="Could not load patients" /> : null}</div>
        {/* On a phone, each patient is a card with what the table's columns say; the table is for wider screens. */}
        <PatientCards items={items} pending={list.isPending} empty={!list.error && items.length === 0} query={q} />
        <Table.ScrollContainer minWidth={760} visibleFrom="sm">
          <Table striped aria-label="Patients" aria-busy={list.isFetching}>
            <Table.Thead>
              <Table.Tr>
                <SortableTh column="name" sort={sort} order={order} onSort={(s, o) => update({ sort: s, order: o, offset: null })}>Name</SortableTh>
                <SortableTh column="mrn" sort={sort} order={order} onSort={(s, o) => update({ sort: s, order: o, offset: null })}>MRN</SortableTh>
                <SortableTh column="birthDate" sort={sort} order={order} onSort={(s, o) => update({ sort: s, order: o, offset: null })}>Birth date</SortableTh>
                <Table.Th>Age</Table.Th>
                <Table.Th>Sex</Table.Th>
                <Table.Th>Diagnosis</Table.Th>
                <Table.Th>Case status</Table.Th>
                <SortableTh column="updatedAt" sort={sort} order={order} onSort={(s, o) => update({ sort: s, order: o, offset: null })}>Updated</SortableTh>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((p) => (
                <Table.Tr key={p.id} className="clickable-row" data-testid="patient-row" onClick={() => navigate(`/patients/${p.id}`)}>
                  <Table.Td>
                    <Anchor component={Link} to={`/patients/${p.id}`} fw={600} onClick={(e) => e.stopPropagation()}>
                      {patientName(p)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>{p.mrn}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(p.birthDate)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatAge(p.birthDate)}</Table.Td>
                  <Table.Td>{formatSex(p.sex)}</Table.Td>
                  <Table.Td>{p.diagnosis ?? <Text span c="dimmed" size="sm">None recorded</Text>}</Table.Td>
                  <Table.Td><StatusBadge status={p.caseStatus} /></Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(p.updatedAt)}</Table.Td>
                </Table.Tr>
              ))}
              <TableStatusRows colSpan={8} pending={list.isPending} empty={!list.error && items.length === 0} loading="Loading patients…" emptyText={<>{q ? `No patients match “${q}”.` : 'No patients yet.'}</>} />
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {list.data ? (
          <Pager total={list.data.total} limit={PAGE_SIZE} offset={offset} noun="patients" onChange={(o) => update({ offset: o ? String(o) : null })} />
        ) : null}
      </Card>
    </>
  );
}
