import { Button, Checkbox, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { fieldErrors } from '../api/client.js';
import { useUpdateUser, useVocabularies } from '../api/hooks.js';
import type { ManagedUser, UserUpdateInput } from '../api/hooks.js';
import { ROLES } from '../api/types.js';
import type { Role } from '../api/types.js';
import { onSubmit, unplacedErrors, useFormErrors } from '../lib/forms.js';
import type { Errors } from '../lib/forms.js';
import { humanize } from '../lib/format.js';
import { ErrorAlert } from './ErrorAlert.js';

const KNOWN = new Set(['displayName', 'role', 'discipline', 'active']);

interface Props {
  user: ManagedUser;
  /** The signed-in administrator's own account: they cannot deactivate it or give up the admin role here. */
  isSelf: boolean;
  onCancel: () => void;
  /** Called with a sentence saying what was saved. */
  onDone: (message: string) => void;
  /** After a version conflict: reload the list and close. */
  onReload: () => void;
}

/** An administrator's edit of an account: display name, role, discipline and whether it may sign in. */
export function EditUserForm({ user, isSelf, onCancel, onDone, onReload }: Props) {
  const vocab = useVocabularies();
  const update = useUpdateUser();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [role, setRole] = useState<Role>(user.role as Role);
  const [discipline, setDiscipline] = useState(user.discipline ?? '');
  const [active, setActive] = useState(user.active);
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const roles = (vocab.data?.roles as Role[] | undefined) ?? [...ROLES];
  const disciplines = vocab.data?.disciplines ?? (user.discipline ? [user.discipline] : []);
  const selfAdmin = isSelf && user.role === 'admin';

  const submit = () => {
    const e: Errors = {};
    if (!displayName.trim()) e.displayName = 'Enter the name shown to other users';
    if (role === 'clinician' && !discipline) e.discipline = 'Choose the clinician’s discipline';
    setErrors(e);
    if (Object.keys(e).length > 0) return;
    const input: UserUpdateInput = {
      displayName: displayName.trim(), role,
      discipline: discipline ? discipline as NonNullable<UserUpdateInput['discipline']> : null, active,
    };
    update.mutate({ id: user.id, version: user.version, input }, {
      onSuccess: (saved) => onDone(
        user.active && !saved.active ? `${saved.displayName} is deactivated: signed out everywhere and can no longer sign in.`
          : !user.active && saved.active ? `${saved.displayName} is active again and can sign in.`
            : `Saved the changes to ${saved.displayName}.`,
      ),
      onError: (err) => setErrors(fieldErrors(err)),
    });
  };

  const signsOut = (user.active && !active) || role !== user.role;
  return (
    <form ref={formRef} onSubmit={onSubmit(submit)} noValidate aria-label={`Edit ${user.username}`}>
      <Stack gap="md">
        <Text size="sm">Username <Text span ff="monospace">{user.username}</Text> (cannot be changed).</Text>
        <div aria-live="polite">
          {update.error ? <ErrorAlert error={update.error} title="The changes were not saved" onReload={onReload} extra={unplacedErrors(errors, (k) => KNOWN.has(k))} /> : null}
        </div>
        <TextInput label="Display name" withAsterisk autoComplete="off" value={displayName} error={errors.displayName} data-autofocus
          onChange={(ev) => { setDisplayName(ev.currentTarget.value); clearError('displayName'); }} />
        <NativeSelect label="Role" withAsterisk value={role} error={errors.role} disabled={selfAdmin}
          description={selfAdmin ? 'You cannot remove your own administrator role; another administrator can.' : undefined}
          data={roles.map((r) => ({ value: r, label: humanize(r) }))}
          onChange={(ev) => { setRole(ev.currentTarget.value as Role); clearError('role'); clearError('discipline'); }} />
        <NativeSelect label="Discipline" withAsterisk={role === 'clinician'} value={discipline} error={errors.discipline}
          data={[{ value: '', label: role === 'clinician' ? 'Choose…' : 'None' }, ...disciplines.map((d) => ({ value: d, label: humanize(d) }))]}
          onChange={(ev) => { setDiscipline(ev.currentTarget.value); clearError('discipline'); }} />
        <Checkbox label="Active: the account can sign in" checked={active} error={errors.active} disabled={isSelf}
          description={isSelf ? 'You cannot deactivate your own account; another administrator can.' : 'Clear this when someone leaves.'}
          onChange={(ev) => { setActive(ev.currentTarget.checked); clearError('active'); }} />
        {signsOut ? (
          <Text size="sm" c="orange.9" role="note">
            {user.active && !active
              ? 'Saving signs this user out on every device at once, and they can no longer sign in.'
              : 'Saving signs this user out; they sign in again with the new role.'}
          </Text>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>Cancel</Button>
          <Button type="submit" loading={update.isPending}>Save changes</Button>
        </Group>
      </Stack>
    </form>
  );
}
