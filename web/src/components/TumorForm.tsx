import { Button, Divider, Group, SimpleGrid, Stack, Textarea } from '@mantine/core';
import { useState } from 'react';
import { fieldErrors } from '../api/client.js';
import { useCreateTumor, useUpdateTumor } from '../api/hooks.js';
import type { Tumor, TumorInput } from '../api/types.js';
import { isValidDate, onSubmit, unplacedErrors, useFormErrors } from '../lib/forms.js';
import type { Errors } from '../lib/forms.js';
import { tumorCodeErrors } from '../lib/tumorCodes.js';
import { detailsToDraft, draftToDetails, isPlacedFactError } from '../lib/tumorFacts.js';
import type { Details } from '../lib/tumorFacts.js';
import { DateField } from './DateField.js';
import { ErrorAlert } from './ErrorAlert.js';
import { TumorCodeFields, useMorphologyFamily } from './TumorCodeFields.js';
import { TumorFactsFields } from './TumorFactsFields.js';

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
  const size = d.sizeCm.trim() === '' ? undefined : Number(d.sizeCm);
  Object.assign(errors, tumorCodeErrors(d, size, { primarySiteRequired: true }));
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

  const family = useMorphologyFamily(draft.morphology);
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
          <TumorCodeFields values={draft} errors={errors} onChange={set} primarySiteRequired />
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
