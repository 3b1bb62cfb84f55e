import { Badge, Button, Card, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useAdminUsers } from '../api/hooks.js';
import type { AdminUser } from '../api/types.js';
import { PageHeader } from '../components/Layout.js';
import { NewUserForm } from '../components/NewUserForm.js';
import { QueryState } from '../components/QueryState.js';
import { compareBy, SortableTh } from '../components/SortableTh.js';
import type { SortOrder } from '../components/SortableTh.js';
import { formatDate, humanize } from '../lib/format.js';
import { usePageTitle } from '../lib/usePageTitle.js';

type SortKey = 'username' | 'displayName' | 'role' | 'discipline' | 'active' | 'createdAt';

export function AdminUsersPage() {
  usePageTitle('Users');
  const users = useAdminUsers();
  const [adding, setAdding] = useState(false);
  const [sort, setSort] = useState<{ key: SortKey; order: SortOrder }>({ key: 'displayName', order: 'asc' });
  const rows = useMemo(
    () => [...(users.data?.items ?? [])].sort(compareBy<AdminUser>((u) => (sort.key === 'active' ? (u.active ? 0 : 1) : u[sort.key]), sort.order)),
    [users.data, sort],
  );
  const th = (key: SortKey, label: string) => (
    <SortableTh column={key} sort={sort.key} order={sort.order} onSort={(k, o) => setSort({ key: k, order: o })}>{label}</SortableTh>
  );

  return (
    <>
      <PageHeader title="Users" subtitle="Accounts at your institution">
        {!adding ? <Button onClick={() => setAdding(true)}>Add user</Button> : null}
      </PageHeader>
      <Stack gap="lg">
        {adding ? (
          <Paper withBorder p="lg" component="section" aria-labelledby="new-user-heading">
            <Title order={2} size="h4" id="new-user-heading" mb="md">New user</Title>
            <NewUserForm onDone={() => setAdding(false)} />
          </Paper>
        ) : null}
        <Card>
          <QueryState isPending={users.isPending} error={users.error} label="users">
            <Table.ScrollContainer minWidth={640}>
              <Table striped aria-label="Users">
                <Table.Thead>
                  <Table.Tr>
                    {th('displayName', 'Name')}{th('username', 'Username')}{th('role', 'Role')}
                    {th('discipline', 'Discipline')}{th('active', 'Status')}{th('createdAt', 'Created')}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((u) => (
                    <Table.Tr key={u.id}>
                      <Table.Td fw={600}>{u.displayName}</Table.Td>
                      <Table.Td ff="monospace">{u.username}</Table.Td>
                      <Table.Td>{humanize(u.role)}</Table.Td>
                      <Table.Td>{u.discipline ? humanize(u.discipline) : '—'}</Table.Td>
                      <Table.Td>{u.active ? <Badge color="green" c="green.9" variant="light">Active</Badge> : <Badge color="gray" c="gray.8" variant="light">Inactive</Badge>}</Table.Td>
                      <Table.Td>{formatDate(u.createdAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Text size="sm" c="dimmed" mt="sm">{users.data?.total ?? 0} users</Text>
          </QueryState>
        </Card>
      </Stack>
    </>
  );
}
