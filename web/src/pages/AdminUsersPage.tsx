import { Alert, Badge, Button, Card, Group, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useAdminUsers, useMe, useResetUserMfa, useUnlockUser } from '../api/hooks.js';
import type { ManagedUser } from '../api/hooks.js';
import { EditUserForm } from '../components/EditUserForm.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { PageHeader } from '../components/Layout.js';
import { NewUserForm } from '../components/NewUserForm.js';
import { QueryState } from '../components/QueryState.js';
import { compareBy, SortableTh } from '../components/SortableTh.js';
import type { SortOrder } from '../components/SortableTh.js';
import { formatDate, formatDateTime, humanize } from '../lib/format.js';
import { usePageTitle } from '../lib/usePageTitle.js';

type SortKey = 'username' | 'displayName' | 'role' | 'discipline' | 'active' | 'createdAt';
type Confirmable = { kind: 'unlock' | 'mfa-reset'; user: ManagedUser };
type Dialog = { kind: 'edit'; user: ManagedUser } | Confirmable;

/** Unlock or reset two-step sign-in, after the administrator confirms. */
function ConfirmAction({ dialog, onClose, onDone }: { dialog: Confirmable; onClose: () => void; onDone: (message: string) => void }) {
  const unlock = useUnlockUser();
  const reset = useResetUserMfa();
  const { kind, user } = dialog;
  const action = kind === 'unlock' ? unlock : reset;
  const confirm = () => {
    if (kind === 'unlock') {
      unlock.mutate(user.id, { onSuccess: () => onDone(`${user.displayName} is unlocked and can sign in again.`) });
    } else {
      reset.mutate(user.id, { onSuccess: () => onDone(`Two-step sign-in is reset for ${user.displayName}: they are signed out and set it up again when they next sign in.`) });
    }
  };
  return (
    <Stack gap="md">
      <div aria-live="polite">{action.error ? <ErrorAlert error={action.error} title="Nothing was changed" /> : null}</div>
      <Text size="sm">
        {kind === 'unlock'
          ? `${user.displayName} (${user.username}) is locked after repeated wrong passwords${user.lockedUntil ? ` until ${formatDateTime(user.lockedUntil)}` : ''}. Unlock only if you know it was them.`
          : `This removes the authenticator app and recovery codes of ${user.displayName} (${user.username}) and signs them out. Do this only after checking who is asking, for example when their phone was lost.`}
      </Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>Cancel</Button>
        <Button color={kind === 'unlock' ? undefined : 'red'} loading={action.isPending} onClick={confirm} data-autofocus>
          {kind === 'unlock' ? 'Unlock account' : 'Reset two-step sign-in'}
        </Button>
      </Group>
    </Stack>
  );
}

function StatusBadges({ u }: { u: ManagedUser }) {
  return (
    <Group gap={4}>
      {u.active ? <Badge color="green" c="green.9" variant="light">Active</Badge> : <Badge color="gray" c="gray.8" variant="light">Inactive</Badge>}
      {u.lockedUntil ? <Badge color="red" c="red.9" variant="light" title={`Locked until ${formatDateTime(u.lockedUntil)}`}>Locked</Badge> : null}
    </Group>
  );
}

export function AdminUsersPage() {
  usePageTitle('Users');
  const users = useAdminUsers();
  const me = useMe();
  const qc = useQueryClient();
  const [adding, setAdding] = useState(false);
  // The dialog's content stays while it closes (the modal fades out), so only `open` changes on close.
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [open, setOpen] = useState(false);
  // Each opening starts a fresh form (no values or errors left from the last one).
  const [opening, setOpening] = useState(0);
  const show = (d: Dialog) => { setDialog(d); setOpen(true); setOpening((n) => n + 1); };
  const [message, setMessage] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; order: SortOrder }>({ key: 'displayName', order: 'asc' });
  const rows = useMemo(
    () => [...(users.data?.items ?? [])].sort(compareBy<ManagedUser>((u) => (sort.key === 'active' ? (u.active ? 0 : 1) : u[sort.key]), sort.order)),
    [users.data, sort],
  );
  const th = (key: SortKey, label: string) => (
    <SortableTh column={key} sort={sort.key} order={sort.order} onSort={(k, o) => setSort({ key: k, order: o })}>{label}</SortableTh>
  );
  const close = () => setOpen(false);
  const done = (msg: string) => { setOpen(false); setMessage(msg); };
  const reload = () => { void qc.invalidateQueries({ queryKey: ['admin', 'users'] }).then(close); };
  const title = !dialog ? '' : dialog.kind === 'edit' ? `Edit ${dialog.user.displayName}` : dialog.kind === 'unlock' ? 'Unlock account' : 'Reset two-step sign-in';

  return (
    <>
      <PageHeader title="Users" subtitle="Accounts at your institution">
        {!adding ? <Button onClick={() => setAdding(true)}>Add user</Button> : null}
      </PageHeader>
      <Stack gap="lg">
        <div aria-live="polite">
          {message ? <Alert color="teal" variant="light" role="status" title={message} withCloseButton closeButtonLabel="Dismiss" onClose={() => setMessage('')} /> : null}
        </div>
        {adding ? (
          <Paper withBorder p="lg" component="section" aria-labelledby="new-user-heading">
            <Title order={2} size="h4" id="new-user-heading" mb="md">New user</Title>
            <NewUserForm onDone={() => setAdding(false)} />
          </Paper>
        ) : null}
        <Card>
          <QueryState isPending={users.isPending} error={users.error} label="users">
            <Table.ScrollContainer minWidth={900}>
              <Table striped aria-label="Users">
                <Table.Thead>
                  <Table.Tr>
                    {th('displayName', 'Name')}{th('username', 'Username')}{th('role', 'Role')}
                    {th('discipline', 'Discipline')}{th('active', 'Status')}
                    <Table.Th>Two-step sign-in</Table.Th>
                    {th('createdAt', 'Created')}
                    <Table.Th><span className="visually-hidden">Actions</span></Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((u) => (
                    <Table.Tr key={u.id}>
                      <Table.Td fw={600}>{u.displayName}</Table.Td>
                      <Table.Td ff="monospace">{u.username}</Table.Td>
                      <Table.Td>{humanize(u.role)}</Table.Td>
                      <Table.Td>{u.discipline ? humanize(u.discipline) : '—'}</Table.Td>
                      <Table.Td miw={100}><StatusBadges u={u} /></Table.Td>
                      <Table.Td>{u.mfaEnabled ? 'On' : 'Off'}</Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(u.createdAt)}</Table.Td>
                      <Table.Td>
                        <Group gap={6} wrap="nowrap">
                          <Button size="xs" variant="default" aria-label={`Edit ${u.username}`} onClick={() => show({ kind: 'edit', user: u })}>Edit</Button>
                          {u.lockedUntil ? (
                            <Button size="xs" variant="light" aria-label={`Unlock ${u.username}`} onClick={() => show({ kind: 'unlock', user: u })}>Unlock</Button>
                          ) : null}
                          {u.mfaEnabled ? (
                            <Button size="xs" variant="subtle" color="red" aria-label={`Reset two-step sign-in of ${u.username}`} onClick={() => show({ kind: 'mfa-reset', user: u })}>Reset two-step sign-in</Button>
                          ) : null}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Text size="sm" c="dimmed" mt="sm">{users.data?.total ?? 0} users</Text>
          </QueryState>
        </Card>
      </Stack>
      <Modal opened={open} onClose={close} title={title} centered>
        {dialog?.kind === 'edit' ? (
          <EditUserForm key={opening} user={dialog.user} isSelf={dialog.user.id === me.data?.id}
            onCancel={close} onDone={done} onReload={reload} />
        ) : dialog ? <ConfirmAction key={opening} dialog={dialog} onClose={close} onDone={done} /> : null}
      </Modal>
    </>
  );
}
