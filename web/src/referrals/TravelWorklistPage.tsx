import { Anchor, Card, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { PageHeader } from '../components/Layout.js';
import { SortableTh } from '../components/SortableTh.js';
import { formatDate, listedName } from '../lib/format.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { useTravelWorklist } from './api.js';
import type { TravelWorkItem } from './api.js';
import { OverdueBadge } from './labels.js';
import './referrals.css';
import { TableStatusRows } from '../components/TableStatusRows.js';
import { useSortedRows } from '../lib/useSortedRows.js';

type SortKey = 'nextDue' | 'patient' | 'reference' | 'homeCountry' | 'arrivalDate';
const SORTS: Record<SortKey, (r: TravelWorkItem) => string | null> = {
  nextDue: (r) => r.nextDue,
  patient: (r) => r.patientName,
  reference: (r) => r.reference,
  homeCountry: (r) => r.homeCountry,
  arrivalDate: (r) => r.arrivalDate,
};

/** /travel: families whose travel needs arranging, the soonest due first. */
export function TravelWorklistPage() {
  usePageTitle('Travel');
  const list = useTravelWorklist();
  const { items, sort, order, onSort } = useSortedRows(list.data?.items, SORTS, 'nextDue', 'asc');
  const th = (column: SortKey, label: string) => <SortableTh column={column} sort={sort} order={order} onSort={onSort}>{label}</SortableTh>;

  return (
    <>
      <PageHeader title="Travel" subtitle="Families travelling to the program: arrivals, interpreters and what is due next" />
      <Card>
        <div aria-live="polite">{list.error ? <ErrorAlert error={list.error} title="Could not load the travel worklist" /> : null}</div>
        <Table.ScrollContainer minWidth={860}>
          <Table striped aria-label="Travel worklist" aria-busy={list.isFetching}>
            <Table.Thead>
              <Table.Tr>
                {th('patient', 'Patient')}
                {th('reference', 'Reference')}
                {th('homeCountry', 'Home country')}
                {th('arrivalDate', 'Arrival')}
                <Table.Th>Interpreter</Table.Th>
                {th('nextDue', 'Next due')}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((r) => (
                <Table.Tr key={r.referralId} data-testid="travel-row" data-overdue={r.overdue ? 'true' : 'false'} className={r.overdue ? 'tb-overdue-row' : undefined}>
                  <Table.Td fw={600}>{listedName(r.patientName)}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/referrals/${r.referralId}`} ff="monospace" aria-label={`Referral ${r.reference} for ${listedName(r.patientName)}`}>
                      {r.reference}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{r.homeCountry ?? '—'}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.arrivalDate ? formatDate(r.arrivalDate) : <Text span c="dimmed" size="sm">Not set</Text>}</Table.Td>
                  <Table.Td>{r.interpreterLanguage ?? <Text span c="dimmed" size="sm">None</Text>}</Table.Td>
                  <Table.Td>
                    {r.nextDue ? (
                      <div>
                        <Text size="sm" fw={r.overdue ? 600 : undefined} c={r.overdue ? 'red.9' : undefined}>{r.nextDueWhat ?? 'Due'}</Text>
                        <Text size="xs" c={r.overdue ? 'red.9' : 'dimmed'} component="span" mr={6}>{formatDate(r.nextDue)}</Text>
                        {r.overdue ? <OverdueBadge size="xs" /> : null}
                      </div>
                    ) : <Text span c="dimmed" size="sm">Nothing due</Text>}
                  </Table.Td>
                </Table.Tr>
              ))}
              <TableStatusRows colSpan={6} pending={list.isPending} empty={!list.error && items.length === 0} loading="Loading the travel worklist…" emptyText={<>No travel to arrange.</>} />
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
    </>
  );
}
