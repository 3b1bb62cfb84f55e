import { Anchor, Card, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { PageHeader } from '../components/Layout.js';
import { QueryState } from '../components/QueryState.js';
import { formatDate } from '../lib/format.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { useIncomingShares } from './api.js';
import { ThreadBadge } from './ThreadBadge.js';
import { caseReference } from '../../../src/domain/registry/case-reference.js';

/** /shared: cases other institutions shared with this one for a second opinion (active shares only). */
export function SharedWithUsPage() {
  usePageTitle('Shared with us');
  const q = useIncomingShares();
  const items = q.data?.items ?? [];
  return (
    <>
      <PageHeader title="Shared with us" subtitle="Cases other institutions have shared with yours for a second opinion. Every view is recorded." />
      <QueryState isPending={q.isPending} error={q.error} label="shared cases">
        <Card>
          {items.length === 0 ? <Text size="sm" c="gray.7">No case is shared with your institution right now.</Text> : (
            <Table.ScrollContainer minWidth={760}>
              <Table aria-label="Cases shared with us">
                <Table.Thead>
                  <Table.Tr><Table.Th>Case</Table.Th><Table.Th>Shared by</Table.Th><Table.Th>Purpose</Table.Th><Table.Th>Until</Table.Th><Table.Th>Discussion</Table.Th></Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((s) => (
                    <Table.Tr key={s.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/cases/${s.caseId}`}>{s.diagnosis ?? 'Case'}</Anchor>
                        <Text size="xs" c="gray.7" ff="monospace">{caseReference(s.caseId)}</Text>
                      </Table.Td>
                      <Table.Td>{s.ownerInstitution}<Text size="xs" c="gray.7">{s.createdBy}</Text></Table.Td>
                      <Table.Td maw={360}>{s.purpose}</Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(s.until)}</Table.Td>
                      <Table.Td miw={170}><ThreadBadge side="reviewer" thread={s} /></Table.Td>
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
