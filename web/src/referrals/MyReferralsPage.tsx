import { Anchor, Button, Card, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { API_BASE } from '../api/client.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { PageHeader } from '../components/Layout.js';
import { SortableTh } from '../components/SortableTh.js';
import { formatDate } from '../lib/format.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { useMyReferrals } from './api.js';
import type { MyReferral } from './api.js';
import { STATUS_FOR_REFERRER } from './labels.js';
import { TableStatusRows } from '../components/TableStatusRows.js';
import { useSortedRows } from '../lib/useSortedRows.js';

type SortKey = 'reference' | 'createdAt' | 'updatedAt';
const SORTS: Record<SortKey, (r: MyReferral) => string> = {
  reference: (r) => r.reference,
  createdAt: (r) => r.createdAt,
  updatedAt: (r) => r.updatedAt,
};

/** /my-referrals: a referring physician's own referrals and where each one stands. */
export function MyReferralsPage() {
  usePageTitle('My referrals');
  const list = useMyReferrals();
  const { items, sort, order, onSort } = useSortedRows(list.data?.items, SORTS, 'createdAt', 'desc');

  return (
    <>
      <PageHeader title="My referrals" subtitle="Referrals you sent to the program. Only initials are shown here to protect the patients’ privacy.">
        <Button component={Link} to="/refer">Refer a patient</Button>
      </PageHeader>
      <Card>
        <div aria-live="polite">{list.error ? <ErrorAlert error={list.error} title="Could not load your referrals" /> : null}</div>
        <Table.ScrollContainer minWidth={620}>
          <Table striped aria-label="My referrals" aria-busy={list.isFetching}>
            <Table.Thead>
              <Table.Tr>
                <SortableTh column="reference" sort={sort} order={order} onSort={onSort}>Reference</SortableTh>
                <Table.Th>Patient</Table.Th>
                <Table.Th>Status</Table.Th>
                <SortableTh column="createdAt" sort={sort} order={order} onSort={onSort}>Submitted</SortableTh>
                <SortableTh column="updatedAt" sort={sort} order={order} onSort={onSort}>Last change</SortableTh>
                <Table.Th>Letter</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((r) => (
                <Table.Tr key={r.id} data-testid="my-referral-row">
                  <Table.Td ff="monospace" fw={600}>{r.reference}</Table.Td>
                  <Table.Td>{r.patientInitials}</Table.Td>
                  <Table.Td>{STATUS_FOR_REFERRER[r.status] ?? r.status}</Table.Td>
                  <Table.Td>{formatDate(r.createdAt)}</Table.Td>
                  <Table.Td>{formatDate(r.updatedAt)}</Table.Td>
                  <Table.Td>
                    {r.status === 'presented'
                      ? <Anchor href={`${API_BASE}/referrals/mine/${encodeURIComponent(r.id)}/letter.pdf`} size="sm" aria-label={`Download the tumor board letter for ${r.reference} (PDF)`}>Download letter (PDF)</Anchor>
                      : <Text span size="sm" c="dimmed">After the tumor board</Text>}
                  </Table.Td>
                </Table.Tr>
              ))}
              <TableStatusRows colSpan={6} pending={list.isPending} empty={!list.error && items.length === 0} loading="Loading your referrals…" emptyText={<>You have not sent any referrals yet.</>} />
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
    </>
  );
}
