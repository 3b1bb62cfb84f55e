import { Anchor, Card, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { PageHeader } from '../components/Layout.js';
import { QueryState } from '../components/QueryState.js';
import { formatDate, patientName } from '../lib/format.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { GrantStatusBadge } from './GrantStatusBadge.js';
import { useOutgoingShares } from './api.js';
import { ThreadBadge } from './ThreadBadge.js';
import { caseReference } from '../../../src/domain/registry/case-reference.js';

/** /second-opinions: the institution's second-opinion requests (active, and ended in the last 30 days) and where each stands. */
export function SecondOpinionsPage() {
  usePageTitle('Second opinions');
  const q = useOutgoingShares();
  const items = q.data?.items ?? [];
  return (
    <>
      <PageHeader title="Second opinions" subtitle="Cases your institution has shared with another for a second opinion: active requests first, then those ended in the last 30 days." />
      <QueryState isPending={q.isPending} error={q.error} label="second-opinion requests">
        <Card>
          {items.length === 0 ? <Text size="sm" c="gray.7">No case has been shared for a second opinion in the last 30 days. Share one from its case page.</Text> : (
            <Table.ScrollContainer minWidth={900}>
              <Table aria-label="Second-opinion requests" verticalSpacing="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Patient</Table.Th><Table.Th>Shared with</Table.Th><Table.Th>Purpose</Table.Th><Table.Th>Until</Table.Th>
                    <Table.Th>Share</Table.Th><Table.Th>Discussion</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((s) => (
                    <Table.Tr key={s.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/cases/${s.caseId}`}>{patientName(s.patient)}</Anchor>
                        <Text size="xs" c="gray.7">MRN <Text span ff="monospace" inherit>{s.patient.mrn}</Text> · <Text span ff="monospace" inherit>{caseReference(s.caseId)}</Text>{s.diagnosis ? ` · ${s.diagnosis}` : ''}</Text>
                      </Table.Td>
                      <Table.Td>{s.institution.name}<Text size="xs" c="gray.7">by {s.createdBy}, {formatDate(s.createdAt)}</Text></Table.Td>
                      <Table.Td maw={320}>{s.purpose}</Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(s.until)}</Table.Td>
                      <Table.Td miw={96}><GrantStatusBadge status={s.status} /></Table.Td>
                      <Table.Td miw={190}>
                        <ThreadBadge side="owner" thread={s} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Card>
      </QueryState>
    </>
  );
}
