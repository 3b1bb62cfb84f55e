import { Button, Group, NativeSelect, PasswordInput, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { fieldErrors } from '../api/client.js';
import { useCreateUser, useVocabularies } from '../api/hooks.js';
import { ROLES } from '../api/types.js';
import type { NewUserInput, Role } from '../api/types.js';
import { onSubmit, unplacedErrors, useFormErrors } from '../lib/forms.js';
import type { Errors } from '../lib/forms.js';
import { humanize } from '../lib/format.js';
import { ErrorAlert } from './ErrorAlert.js';

const MIN_PASSWORD = 12;
const KNOWN = new Set(['username', 'displayName', 'role', 'discipline', 'password']);

export function NewUserForm({ onDone }: { onDone: () => void }) {
  const vocab = useVocabularies();
  const create = useCreateUser();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('clinician');
  const [discipline, setDiscipline] = useState('');
  const [password, setPassword] = useState('');
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const roles = (vocab.data?.roles as Role[] | undefined) ?? [...ROLES];
  const disciplines = vocab.data?.disciplines ?? [];

  const submit = () => {
    const e: Errors = {};
    if (!/^[a-z0-9._-]{3,40}$/i.test(username.trim())) e.username = 'Use 3–40 letters, digits, dots, dashes or underscores';
    if (!displayName.trim()) e.displayName = 'Enter the name shown to other users';
    if (role === 'clinician' && !discipline) e.discipline = 'Choose the clinician’s discipline';
    if (password.length < MIN_PASSWORD) e.password = `Use at least ${MIN_PASSWORD} characters`;
    else if (username.trim().length >= 3 && password.toLowerCase().includes(username.trim().toLowerCase())) e.password = 'The password must not contain the username';
    setErrors(e);
    if (Object.keys(e).length > 0) return;
    const input: NewUserInput = { username: username.trim(), displayName: displayName.trim(), role, password };
    if (discipline) input.discipline = discipline as NonNullable<NewUserInput['discipline']>;
    create.mutate(input, { onSuccess: onDone, onError: (err) => setErrors(passwordAsSentence(fieldErrors(err))) });
  };

  return (
    <form ref={formRef} onSubmit={onSubmit(submit)} noValidate aria-label="Add user">
      <Stack gap="md">
        <div aria-live="polite">
          {create.error ? <ErrorAlert error={create.error} title="The user was not created" extra={unplacedErrors(errors, (k) => KNOWN.has(k))} /> : null}
        </div>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <TextInput label="Username" withAsterisk autoComplete="off" value={username} error={errors.username}
            onChange={(ev) => { setUsername(ev.currentTarget.value); clearError('username'); }} />
          <TextInput label="Display name" withAsterisk autoComplete="off" value={displayName} error={errors.displayName}
            onChange={(ev) => { setDisplayName(ev.currentTarget.value); clearError('displayName'); }} />
          <NativeSelect label="Role" withAsterisk value={role} error={errors.role}
            data={roles.map((r) => ({ value: r, label: humanize(r) }))}
            onChange={(ev) => { setRole(ev.currentTarget.value as Role); clearError('role'); clearError('discipline'); }} />
          {disciplines.length > 0 ? (
            <NativeSelect label="Discipline" withAsterisk={role === 'clinician'} value={discipline} error={errors.discipline}
              data={[{ value: '', label: role === 'clinician' ? 'Choose…' : 'None' }, ...disciplines.map((d) => ({ value: d, label: humanize(d) }))]}
              onChange={(ev) => { setDiscipline(ev.currentTarget.value); clearError('discipline'); }} />
          ) : (
            <TextInput label="Discipline" withAsterisk={role === 'clinician'} value={discipline} error={errors.discipline}
              description="e.g. orthopedic_oncology" onChange={(ev) => { setDiscipline(ev.currentTarget.value); clearError('discipline'); }} />
          )}
          <PasswordInput label="Initial password" withAsterisk autoComplete="new-password" value={password}
            description={`At least ${MIN_PASSWORD} characters, not containing the username, not a common password; the user should change it`} error={errors.password}
            onChange={(ev) => { setPassword(ev.currentTarget.value); clearError('password'); }} />
        </SimpleGrid>
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>Cancel</Button>
          <Button type="submit" loading={create.isPending}>Create user</Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The server's password policy says "must not…" / "is on the list…": shown under the field as a sentence. */
function passwordAsSentence(errors: Record<string, string>): Record<string, string> {
  const p = errors.password;
  return p && /^(must|is) /.test(p) ? { ...errors, password: `The password ${p}` } : errors;
}
