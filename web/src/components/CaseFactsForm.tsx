import { Divider, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import type { Basics, CaseFactsDraft } from '../lib/caseFactsDraft.js';
import type { Errors } from '../lib/forms.js';
import { TumorCodeFields, useMorphologyFamily } from './TumorCodeFields.js';
import { TumorFactsFields } from './TumorFactsFields.js';

/**
 * The Assessment page's case facts as a form: the child (age at diagnosis, sex), the tumour's codes and site, and the
 * same structured facts the tumour form records. Facts it has no field for stay in the JSON, untouched.
 */
export function CaseFactsForm({ value, onChange, errors, clearError }: {
  value: CaseFactsDraft; onChange: (next: CaseFactsDraft) => void; errors: Errors; clearError: (key: string) => void;
}) {
  const b = value.basics;
  const set = (field: keyof Basics, v: string) => {
    onChange({ ...value, basics: { ...b, [field]: v } });
    clearError(field);
  };
  const family = useMorphologyFamily(b.morphology);
  const others = Object.keys(value.rest);

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <Group grow align="flex-start" gap="xs">
          <TextInput label="Age at diagnosis: years" withAsterisk inputMode="numeric" value={b.ageYears} error={errors.ageYears}
            onChange={(e) => set('ageYears', e.currentTarget.value)} />
          <TextInput label="and months" inputMode="decimal" value={b.ageMonths} error={errors.ageMonths}
            onChange={(e) => set('ageMonths', e.currentTarget.value)} />
        </Group>
        <NativeSelect label="Sex" withAsterisk value={b.sex} error={errors.sex}
          data={[{ value: '', label: 'Choose…' }, { value: 'female', label: 'Female' }, { value: 'male', label: 'Male' }]}
          onChange={(e) => set('sex', e.currentTarget.value)} />
        <TumorCodeFields values={b} errors={errors} onChange={set} primarySiteRequired={false} />
      </SimpleGrid>
      <Divider />
      <TumorFactsFields value={value.details} onChange={(details) => onChange({ ...value, details })}
        context={{ topography: b.topography, siteCategory: b.siteCategory, family }} errors={errors} clearError={clearError}
        columns={{ base: 1, sm: 2 }} />
      {others.length > 0 ? (
        <Text size="sm" c="gray.7" data-testid="other-facts">
          Also in these facts, kept as they are (edit them in the JSON): {others.join(', ')}.
        </Text>
      ) : null}
    </Stack>
  );
}
