import { Button, Fieldset, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { RELATIONSHIPS } from '../api/types.js';
import type { Guardian, Relationship } from '../api/types.js';
import type { Errors } from '../lib/forms.js';
import { humanize } from '../lib/format.js';

export interface GuardianDraft {
  key: string;
  name: string;
  relationship: Relationship;
  phone: string;
  email: string;
  language: string;
}

let nextKey = 0;
export function newGuardianDraft(g?: Guardian): GuardianDraft {
  nextKey += 1;
  return {
    key: `g${nextKey}`,
    name: g?.name ?? '',
    relationship: g?.relationship ?? 'mother',
    phone: g?.phone ?? '',
    email: g?.email ?? '',
    language: g?.language ?? '',
  };
}

export function guardianFromDraft(d: GuardianDraft): Guardian {
  const g: Guardian = { name: d.name.trim(), relationship: d.relationship };
  if (d.phone.trim()) g.phone = d.phone.trim();
  if (d.email.trim()) g.email = d.email.trim();
  if (d.language.trim()) g.language = d.language.trim();
  return g;
}

interface Props {
  value: GuardianDraft[];
  onChange: (next: GuardianDraft[]) => void;
  errors: Errors;
  clearError: (key: string) => void;
}

const relationshipOptions = RELATIONSHIPS.map((r) => ({ value: r, label: humanize(r) }));

/** Parents and guardians: one fieldset each, with add and remove buttons. */
export function GuardiansFields({ value, onChange, errors, clearError }: Props) {
  const set = (i: number, field: keyof Omit<GuardianDraft, 'key'>, v: string) => {
    clearError(`guardians.${i}.${field}`);
    onChange(value.map((g, j) => (j === i ? { ...g, [field]: v } : g)));
  };
  return (
    <Stack gap="sm">
      {value.length === 0 ? <Text size="sm" c="dimmed">No parents or guardians recorded.</Text> : null}
      {errors.guardians ? <Text size="sm" c="red" role="alert">{errors.guardians}</Text> : null}
      {value.map((g, i) => (
        <Fieldset key={g.key} legend={`Parent or guardian ${i + 1}`} variant="filled">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput label="Name" withAsterisk value={g.name} error={errors[`guardians.${i}.name`]}
              onChange={(e) => set(i, 'name', e.currentTarget.value)} />
            <NativeSelect label="Relationship" data={relationshipOptions} value={g.relationship}
              error={errors[`guardians.${i}.relationship`]} onChange={(e) => set(i, 'relationship', e.currentTarget.value)} />
            <TextInput label="Phone" type="tel" autoComplete="off" value={g.phone} error={errors[`guardians.${i}.phone`]}
              onChange={(e) => set(i, 'phone', e.currentTarget.value)} />
            <TextInput label="Email" type="email" autoComplete="off" value={g.email} error={errors[`guardians.${i}.email`]}
              onChange={(e) => set(i, 'email', e.currentTarget.value)} />
            <TextInput label="Language" value={g.language} error={errors[`guardians.${i}.language`]}
              onChange={(e) => set(i, 'language', e.currentTarget.value)} />
          </SimpleGrid>
          <Group justify="flex-end" mt="sm">
            <Button variant="subtle" color="red" size="xs" onClick={() => onChange(value.filter((_, j) => j !== i))}>
              Remove parent or guardian {i + 1}
            </Button>
          </Group>
        </Fieldset>
      ))}
      <Group>
        <Button variant="light" size="sm" onClick={() => onChange([...value, newGuardianDraft()])}>Add parent or guardian</Button>
      </Group>
    </Stack>
  );
}
