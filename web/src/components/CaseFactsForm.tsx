import { Divider, Group, NativeSelect, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useVocabularies } from '../api/hooks.js';
import type { Basics, CaseFactsDraft } from '../lib/caseFactsDraft.js';
import type { Errors } from '../lib/forms.js';
import { humanize } from '../lib/format.js';
import { TumorFactsFields } from './TumorFactsFields.js';

const LATERALITIES = ['left', 'right', 'bilateral', 'midline', 'not_applicable'];

/**
 * The Assessment page's case facts as a form: the child (age at diagnosis, sex), the tumour's codes and site, and the
 * same structured facts the tumour form records. Facts it has no field for stay in the JSON, untouched.
 */
export function CaseFactsForm({ value, onChange, errors, clearError }: {
  value: CaseFactsDraft; onChange: (next: CaseFactsDraft) => void; errors: Errors; clearError: (key: string) => void;
}) {
  const vocab = useVocabularies();
  const b = value.basics;
  const set = (field: keyof Basics, v: string) => {
    onChange({ ...value, basics: { ...b, [field]: v } });
    clearError(field);
  };
  const morphologies = vocab.data?.morphologies ?? [];
  const morphData = morphologies.map((m) => ({ value: m.code, label: `${m.code} ${m.term}` }));
  if (b.morphology && !morphData.some((m) => m.value === b.morphology)) morphData.unshift({ value: b.morphology, label: b.morphology });
  const sites = vocab.data?.siteCategories ?? [];
  const family = morphologies.find((m) => m.code === b.morphology.trim())?.family;
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
        {morphologies.length > 0 ? (
          <Select label="Morphology (ICD-O-3)" withAsterisk searchable data={morphData} value={b.morphology || null}
            nothingFoundMessage="No matching morphology" error={errors.morphology} comboboxProps={{ withinPortal: true }}
            onChange={(v) => set('morphology', v ?? '')} />
        ) : (
          <TextInput label="Morphology (ICD-O-3)" description="e.g. 9180/3" withAsterisk value={b.morphology}
            error={errors.morphology} onChange={(e) => set('morphology', e.currentTarget.value)} />
        )}
        <TextInput label="Topography (ICD-O-3)" description="e.g. C40.2" withAsterisk value={b.topography}
          error={errors.topography} onChange={(e) => set('topography', e.currentTarget.value)} />
        <NativeSelect label="Site category" withAsterisk value={b.siteCategory} error={errors.siteCategory}
          data={[{ value: '', label: 'Choose…' }, ...sites.map((s) => ({ value: s, label: humanize(s) }))]}
          onChange={(e) => set('siteCategory', e.currentTarget.value)} />
        <TextInput label="Primary site" description="e.g. distal femur" value={b.primarySite} error={errors.primarySite}
          onChange={(e) => set('primarySite', e.currentTarget.value)} />
        <NativeSelect label="Laterality" value={b.laterality} error={errors.laterality}
          data={[{ value: '', label: 'Unknown' }, ...LATERALITIES.map((s) => ({ value: s, label: humanize(s) }))]}
          onChange={(e) => set('laterality', e.currentTarget.value)} />
        <TextInput label="Size (cm)" description="Largest dimension at diagnosis" inputMode="decimal" value={b.sizeCm}
          error={errors.sizeCm} onChange={(e) => set('sizeCm', e.currentTarget.value)} />
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
