import { NativeSelect, Select, TextInput } from '@mantine/core';
import { useVocabularies } from '../api/hooks.js';
import type { TumorInput } from '../api/types.js';
import type { SiteCategory } from '../../../src/domain/facts/case-facts.js';
import type { Errors } from '../lib/forms.js';
import { humanize } from '../lib/format.js';

/** Used when /meta/vocabularies is unavailable (rules.md §3.9); checked against the server's list. */
const FALLBACK_SITES = [
  'bone_extremity', 'bone_pelvis', 'bone_spine', 'bone_chest_wall', 'bone_skull_face', 'other',
  'soft_tissue_extremity', 'soft_tissue_trunk', 'retroperitoneum_abdomen', 'hn_orbit', 'hn_parameningeal',
  'hn_nonparameningeal', 'gu_paratesticular', 'gu_bladder_prostate', 'gu_gynecologic', 'perineum', 'biliary',
] as const satisfies readonly SiteCategory[];
const LATERALITIES = ['left', 'right', 'bilateral', 'midline', 'not_applicable'] as const satisfies readonly NonNullable<TumorInput['laterality']>[];

export type TumorCodeField = 'morphology' | 'topography' | 'siteCategory' | 'primarySite' | 'laterality' | 'sizeCm';

/** The tumour family of a morphology code, from the server's vocabulary (decides which structured facts apply). */
export function useMorphologyFamily(morphology: string): string | undefined {
  return useVocabularies().data?.morphologies.find((m) => m.code === morphology.trim())?.family;
}

/**
 * The tumour's codes and site as typed text: morphology (searchable, from the server's vocabulary), topography, site
 * category, primary site, laterality and size. One set of fields for the tumour form and the assessment form; each
 * is a grid cell of the caller's grid.
 */
export function TumorCodeFields({ values, errors, onChange, primarySiteRequired }: {
  values: Record<TumorCodeField, string>; errors: Errors; onChange: (field: TumorCodeField, value: string) => void; primarySiteRequired: boolean;
}) {
  const vocab = useVocabularies();
  const morphologies = vocab.data?.morphologies ?? [];
  const morphData = morphologies.map((m) => ({ value: m.code, label: `${m.code} ${m.term}` }));
  if (values.morphology && !morphData.some((m) => m.value === values.morphology)) morphData.unshift({ value: values.morphology, label: values.morphology });
  const sites = vocab.data?.siteCategories ?? FALLBACK_SITES;
  return (
    <>
      {morphologies.length > 0 ? (
        <Select label="Morphology (ICD-O-3)" withAsterisk searchable data={morphData} value={values.morphology || null}
          nothingFoundMessage="No matching morphology" error={errors.morphology} comboboxProps={{ withinPortal: true }}
          onChange={(v) => onChange('morphology', v ?? '')} />
      ) : (
        <TextInput label="Morphology (ICD-O-3)" description="e.g. 9180/3" withAsterisk value={values.morphology}
          error={errors.morphology} onChange={(e) => onChange('morphology', e.currentTarget.value)} />
      )}
      <TextInput label="Topography (ICD-O-3)" description="e.g. C40.2" withAsterisk value={values.topography}
        error={errors.topography} onChange={(e) => onChange('topography', e.currentTarget.value)} />
      <NativeSelect label="Site category" withAsterisk value={values.siteCategory} error={errors.siteCategory}
        data={[{ value: '', label: 'Choose…' }, ...sites.map((s) => ({ value: s, label: humanize(s) }))]}
        onChange={(e) => onChange('siteCategory', e.currentTarget.value)} />
      <TextInput label="Primary site" description="e.g. distal femur" withAsterisk={primarySiteRequired} value={values.primarySite}
        error={errors.primarySite} onChange={(e) => onChange('primarySite', e.currentTarget.value)} />
      <NativeSelect label="Laterality" value={values.laterality} error={errors.laterality}
        data={[{ value: '', label: 'Unknown' }, ...LATERALITIES.map((s) => ({ value: s, label: humanize(s) }))]}
        onChange={(e) => onChange('laterality', e.currentTarget.value)} />
      <TextInput label="Size (cm)" description="Largest dimension at diagnosis" inputMode="decimal" value={values.sizeCm}
        error={errors.sizeCm} onChange={(e) => onChange('sizeCm', e.currentTarget.value)} />
    </>
  );
}
