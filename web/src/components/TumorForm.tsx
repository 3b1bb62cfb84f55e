import { Button, Divider, Group, NativeSelect, Select, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import { fieldErrors } from '../api/client.js';
import { useCreateTumor, useUpdateTumor, useVocabularies } from '../api/hooks.js';
import type { Tumor, TumorInput } from '../api/types.js';
import { isValidDate, onSubmit, unplacedErrors, useFormErrors } from '../lib/forms.js';
import type { Errors } from '../lib/forms.js';
import { humanize } from '../lib/format.js';
import { detailsToDraft, draftToDetails, isPlacedFactError } from '../lib/tumorFacts.js';
import type { Details } from '../lib/tumorFacts.js';
import { DateField } from './DateField.js';
import { ErrorAlert } from './ErrorAlert.js';
import { TumorFactsFields } from './TumorFactsFields.js';

/** Used when /meta/vocabularies is unavailable (rules.md §3.9). */
const FALLBACK_SITES = [
  'bone_extremity', 'bone_pelvis', 'bone_spine', 'bone_chest_wall', 'bone_skull_face', 'other',
  'soft_tissue_extremity', 'soft_tissue_trunk', 'retroperitoneum_abdomen', 'hn_orbit', 'hn_parameningeal',
  'hn_nonparameningeal', 'gu_paratesticular', 'gu_bladder_prostate', 'gu_gynecologic', 'perineum', 'biliary',
];
const LATERALITIES = ['left', 'right', 'bilateral', 'midline', 'not_applicable'];

interface Draft {
  diagnosisDate: string; morphology: string; topography: string; siteCategory: string; primarySite: string;
  laterality: string; sizeCm: string; pathologySummary: string; imagingSummary: string;
}
type Field = keyof Draft;

function toDraft(t?: Tumor): Draft {
  return {
    diagnosisDate: t?.diagnosisDate ?? '', morphology: t?.morphology ?? '', topography: t?.topography ?? '',
    siteCategory: t?.siteCategory ?? '', primarySite: t?.primarySite ?? '', laterality: t?.laterality ?? '',
    sizeCm: t?.sizeCm === undefined || t.sizeCm === null ? '' : String(t.sizeCm),
    pathologySummary: t?.pathologySummary ?? '', imagingSummary: t?.imagingSummary ?? '',
  };
}

function parse(d: Draft, facts: Details): { input?: TumorInput; errors: Errors } {
  const errors: Errors = {};
  if (!isValidDate(d.diagnosisDate)) errors.diagnosisDate = 'Enter the diagnosis date as YYYY-MM-DD';
  if (!/^\d{4}\/\d$/.test(d.morphology.trim())) errors.morphology = 'Choose an ICD-O-3 morphology code like 9180/3';
  if (!/^C\d{2}(\.\d)?$/.test(d.topography.trim())) errors.topography = 'Enter an ICD-O-3 topography code like C40.2';
  if (!d.siteCategory) errors.siteCategory = 'Choose the site category';
  if (!d.primarySite.trim()) errors.primarySite = 'Describe the primary site, e.g. distal femur';
  const size = d.sizeCm.trim() === '' ? undefined : Number(d.sizeCm);
  if (size !== undefined && (!Number.isFinite(size) || size <= 0 || size > 100)) errors.sizeCm = 'Enter the largest dimension in cm (0–100)';
  const { details, errors: factErrors } = draftToDetails(facts);
  Object.assign(errors, factErrors);
  if (Object.keys(errors).length > 0 || !details) return { errors };
  const input: TumorInput = {
    diagnosisDate: d.diagnosisDate, morphology: d.morphology.trim(), topography: d.topography.trim(),
    // The selects offer only the server's site categories and lateralities; the server validates the value.
    siteCategory: d.siteCategory as TumorInput['siteCategory'], primarySite: d.primarySite.trim(), details,
  };
  if (d.laterality) input.laterality = d.laterality as NonNullable<TumorInput['laterality']>;
  if (size !== undefined) input.sizeCm = size;
  if (d.pathologySummary.trim()) input.pathologySummary = d.pathologySummary.trim();
  if (d.imagingSummary.trim()) input.imagingSummary = d.imagingSummary.trim();
  return { input, errors };
}

const KNOWN = new Set<string>(['diagnosisDate', 'morphology', 'topography', 'siteCategory', 'primarySite', 'laterality', 'sizeCm', 'pathologySummary', 'imagingSummary']);

interface Props {
  patientId: string;
  tumor?: Tumor;
  onDone: () => void;
}

/** Add or edit a tumour: the registry columns, then the structured clinical facts the rules engine reads. */
export function TumorForm({ patientId, tumor, onDone }: Props) {
  const vocab = useVocabularies();
  const create = useCreateTumor(patientId);
  const update = useUpdateTumor(patientId);
  const mutation = tumor ? update : create;
  const [draft, setDraft] = useState<Draft>(() => toDraft(tumor));
  const [facts, setFacts] = useState<Details>(() => detailsToDraft(tumor?.details));
  const { formRef, errors, setErrors, clearError } = useFormErrors();

  const set = (field: Field, value: string) => {
    setDraft((d) => ({ ...d, [field]: value }));
    clearError(field);
  };

  const submit = () => {
    const { input, errors: local } = parse(draft, facts);
    setErrors(local);
    if (!input) return;
    const opts = { onSuccess: onDone, onError: (err: unknown) => setErrors(fieldErrors(err)) };
    if (tumor) update.mutate({ id: tumor.id, version: tumor.version, input }, opts);
    else create.mutate(input, opts);
  };

  const morphologies = vocab.data?.morphologies ?? [];
  const morphData = morphologies.map((m) => ({ value: m.code, label: `${m.code} ${m.term}` }));
  if (draft.morphology && !morphData.some((m) => m.value === draft.morphology)) morphData.unshift({ value: draft.morphology, label: draft.morphology });
  const sites = vocab.data?.siteCategories ?? FALLBACK_SITES;
  const family = morphologies.find((m) => m.code === draft.morphology.trim())?.family;
  const context = { topography: draft.topography, siteCategory: draft.siteCategory, family };

  return (
    <form ref={formRef} onSubmit={onSubmit(submit)} noValidate aria-label={tumor ? 'Edit tumour' : 'Add tumour'}>
      <Stack gap="md">
        <div aria-live="polite">
          {mutation.error ? (
            <ErrorAlert error={mutation.error} title="The tumour was not saved" onReload={onDone}
              extra={unplacedErrors(errors, (k) => KNOWN.has(k) || isPlacedFactError(k))} />
          ) : null}
        </div>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <DateField label="Diagnosis date" description="YYYY-MM-DD" withAsterisk value={draft.diagnosisDate}
            error={errors.diagnosisDate} onChange={(e) => set('diagnosisDate', e.currentTarget.value)} />
          {morphologies.length > 0 ? (
            <Select label="Morphology (ICD-O-3)" withAsterisk searchable data={morphData} value={draft.morphology || null}
              nothingFoundMessage="No matching morphology" error={errors.morphology} comboboxProps={{ withinPortal: true }}
              onChange={(v) => set('morphology', v ?? '')} />
          ) : (
            <TextInput label="Morphology (ICD-O-3)" description="e.g. 9180/3" withAsterisk value={draft.morphology}
              error={errors.morphology} onChange={(e) => set('morphology', e.currentTarget.value)} />
          )}
          <TextInput label="Topography (ICD-O-3)" description="e.g. C40.2" withAsterisk value={draft.topography}
            error={errors.topography} onChange={(e) => set('topography', e.currentTarget.value)} />
          <NativeSelect label="Site category" withAsterisk value={draft.siteCategory} error={errors.siteCategory}
            data={[{ value: '', label: 'Choose…' }, ...sites.map((s) => ({ value: s, label: humanize(s) }))]}
            onChange={(e) => set('siteCategory', e.currentTarget.value)} />
          <TextInput label="Primary site" description="e.g. distal femur" withAsterisk value={draft.primarySite}
            error={errors.primarySite} onChange={(e) => set('primarySite', e.currentTarget.value)} />
          <NativeSelect label="Laterality" value={draft.laterality} error={errors.laterality}
            data={[{ value: '', label: 'Unknown' }, ...LATERALITIES.map((s) => ({ value: s, label: humanize(s) }))]}
            onChange={(e) => set('laterality', e.currentTarget.value)} />
          <TextInput label="Size (cm)" description="Largest dimension at diagnosis" inputMode="decimal" value={draft.sizeCm}
            error={errors.sizeCm} onChange={(e) => set('sizeCm', e.currentTarget.value)} />
        </SimpleGrid>
        <Textarea label="Pathology summary" autosize minRows={2} value={draft.pathologySummary} error={errors.pathologySummary}
          onChange={(e) => set('pathologySummary', e.currentTarget.value)} />
        <Textarea label="Imaging summary" autosize minRows={2} value={draft.imagingSummary} error={errors.imagingSummary}
          onChange={(e) => set('imagingSummary', e.currentTarget.value)} />
        <Divider />
        <TumorFactsFields value={facts} onChange={setFacts} context={context} errors={errors} clearError={clearError} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>Cancel</Button>
          <Button type="submit" loading={mutation.isPending}>{tumor ? 'Save tumour' : 'Save new tumour'}</Button>
        </Group>
      </Stack>
    </form>
  );
}
