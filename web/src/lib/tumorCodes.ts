/**
 * The tumour's codes, site and size as the tumour form and the assessment form check them before sending (the
 * server checks again and names the field). `size` is the number the caller read from its text, undefined when blank.
 */
export function tumorCodeErrors(
  v: { morphology: string; topography: string; siteCategory: string; primarySite: string },
  size: number | undefined,
  { primarySiteRequired }: { primarySiteRequired: boolean },
): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!/^\d{4}\/\d$/.test(v.morphology.trim())) errors.morphology = 'Choose an ICD-O-3 morphology code like 9180/3';
  if (!/^C\d{2}(\.\d)?$/.test(v.topography.trim())) errors.topography = 'Enter an ICD-O-3 topography code like C40.2';
  if (!v.siteCategory) errors.siteCategory = 'Choose the site category';
  if (primarySiteRequired && !v.primarySite.trim()) errors.primarySite = 'Describe the primary site, e.g. distal femur';
  if (size !== undefined && (!Number.isFinite(size) || size <= 0 || size > 100)) errors.sizeCm = 'Enter the largest dimension in cm (0–100)';
  return errors;
}
