import { Anchor, Badge, Button, Card, Group, NativeSelect, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { QueryState } from '../components/QueryState.js';
import { formatDateTime } from '../lib/format.js';
import { usePlanVersions } from './api.js';
import { NO_CLIP, disciplineLabel } from './labels.js';

export const compareUrl = (caseId: string, a: number, b: number) => `/cases/${caseId}/plan/compare?a=${a}&b=${b}`;

/** Every saved version, newest first, who signed each, and a way to compare any two. */
export function VersionsPanel({ caseId, current }: { caseId: string; current: number }) {
  const query = usePlanVersions(caseId);
  const navigate = useNavigate();
  const [a, setA] = useState(String(Math.max(1, current - 1)));
  const [b, setB] = useState(String(current));
  useEffect(() => { setA(String(Math.max(1, current - 1))); setB(String(current)); }, [current]);
  const items = query.data?.items ?? [];
  const choices = items.map((v) => ({ value: String(v.version), label: `Version ${v.version}` }));
  return (
    <Card component="section" aria-labelledby="versions-heading">
      <Group justify="space-between" mb="sm" wrap="wrap" align="flex-end">
        <Title order={2} size="h4" id="versions-heading">Versions</Title>
        {items.length > 1 ? (
          <Group gap="xs" align="flex-end" component="form" aria-label="Compare versions"
            onSubmit={(e) => { e.preventDefault(); navigate(compareUrl(caseId, Number(a), Number(b))); }}>
            <NativeSelect size="xs" label="Compare" data={choices} value={a} onChange={(e) => setA(e.currentTarget.value)} />
            <NativeSelect size="xs" label="with" data={choices} value={b} onChange={(e) => setB(e.currentTarget.value)} />
            <Button size="xs" type="submit" variant="default" disabled={a === b}>Compare</Button>
          </Group>
        ) : null}
      </Group>
      <QueryState isPending={query.isPending} error={query.error} label="versions">
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="xs" fz="sm" aria-label="Plan versions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Version</Table.Th>
                <Table.Th scope="col">Saved</Table.Th>
                <Table.Th scope="col">By</Table.Th>
                <Table.Th scope="col">What changed</Table.Th>
                <Table.Th scope="col">Signed by</Table.Th>
                <Table.Th scope="col"><span className="visually-hidden">Compare</span></Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((v) => (
                <Table.Tr key={v.version} data-testid="version-row" data-version={v.version}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" fw={700}>{v.version}</Text>
                      {v.version === query.data?.current ? <Badge size="xs" variant="light" radius="sm" styles={NO_CLIP}>Current</Badge> : null}
                    </Group>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v.createdAt)}</Table.Td>
                  <Table.Td>{v.author ?? '—'}</Table.Td>
                  <Table.Td>{v.note ?? <Text span c="dimmed" size="sm">—</Text>}</Table.Td>
                  <Table.Td>{v.signedBy.length ? v.signedBy.map(disciplineLabel).join(', ') : <Text span c="dimmed" size="sm">Nobody</Text>}</Table.Td>
                  <Table.Td>
                    {v.version > 1 ? (
                      <Anchor component={Link} to={compareUrl(caseId, v.version - 1, v.version)} size="sm" style={{ whiteSpace: 'nowrap' }}
                        aria-label={`Compare version ${v.version} with version ${v.version - 1}`}>
                        Changes from {v.version - 1}
                      </Anchor>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </QueryState>
    </Card>
  );
}
