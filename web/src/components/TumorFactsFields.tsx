import { Checkbox, Fieldset, Group, NativeSelect, Radio, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import type { Errors } from '../lib/forms.js';
import { FACT_SECTIONS, fieldShown, get, sectionShown, set } from '../lib/tumorFacts.js';
import type { Details, FactField, FactsContext } from '../lib/tumorFacts.js';

interface Props {
  /** The draft details (see detailsToDraft): number fields hold the text being typed. */
  value: Details;
  onChange: (next: Details) => void;
  context: FactsContext;
  errors: Errors;
  clearError: (key: string) => void;
  /** Fields per row by breakpoint; narrower where the form shares the page with another column. */
  columns?: { base: number; sm?: number; lg?: number };
}

interface FieldProps {
  field: FactField;
  value: unknown;
  error: string | undefined;
  onChange: (value: unknown) => void;
}

/** A select whose empty choice "Unknown" removes the fact. */
function SelectFact({ field: f, value, error, onChange }: FieldProps) {
  return (
    <NativeSelect label={f.label} description={f.description} value={value === undefined ? '' : String(value)} error={error}
      data={[{ value: '', label: 'Unknown' }, ...(f.options ?? []).map((o) => ({ value: o.value, label: o.label }))]}
      onChange={(e) => {
        const v = e.currentTarget.value;
        onChange(v === '' ? undefined : f.numeric ? Number(v) : v);
      }} />
  );
}

/** A yes/no fact with an explicit third answer, Unknown (the key is left out). */
function BoolFact({ field: f, value, error, onChange }: FieldProps) {
  const current = value === true ? 'yes' : value === false ? 'no' : 'unknown';
  return (
    <Radio.Group label={f.label} description={f.description} value={current} error={error}
      onChange={(v) => onChange(v === 'yes' ? true : v === 'no' ? false : undefined)}>
      <Group gap="md" mt={6}>
        <Radio value="unknown" label="Unknown" aria-invalid={error ? true : undefined} />
        <Radio value="yes" label="Yes" aria-invalid={error ? true : undefined} />
        <Radio value="no" label="No" aria-invalid={error ? true : undefined} />
      </Group>
    </Radio.Group>
  );
}

function TextFact({ field: f, value, error, onChange }: FieldProps) {
  return (
    <TextInput label={f.label} description={f.description} value={typeof value === 'string' ? value : value === undefined ? '' : String(value)}
      error={error} maxLength={f.maxLength} inputMode={f.kind === 'number' ? (f.integer ? 'numeric' : 'decimal') : undefined}
      rightSection={f.unit ? <Text size="sm" c="dimmed" aria-hidden>{f.unit}</Text> : undefined}
      onChange={(e) => onChange(e.currentTarget.value === '' ? undefined : e.currentTarget.value)} />
  );
}

const LEGEND = { legend: { fontWeight: 600, fontSize: 'var(--mantine-font-size-sm)', paddingInline: 6 } };

type MetState = 'unknown' | 'none' | 'present';

/**
 * Distant metastases: not yet staged (key absent), none ([]), or present with the sites ticked. While no site is
 * ticked the draft holds the marker 'present', which draftToDetails refuses, so "present" never saves as "none".
 */
function MetastasesFact({ field: f, value, error, onChange }: FieldProps) {
  const state: MetState = value === undefined ? 'unknown' : Array.isArray(value) && value.length === 0 ? 'none' : 'present';
  const sites = Array.isArray(value) ? value.map(String) : [];
  const order = (f.options ?? []).map((o) => o.value);
  return (
    <Stack gap="xs">
      <Radio.Group label={f.label} value={state} error={state === 'present' ? undefined : error}
        onChange={(v) => onChange(v === 'none' ? [] : v === 'present' ? (sites.length > 0 ? sites : 'present') : undefined)}>
        <Group gap="lg" mt={6}>
          <Radio value="unknown" label="Unknown (not yet staged)" />
          <Radio value="none" label="No distant metastases" />
          <Radio value="present" label="Metastases present" />
        </Group>
      </Radio.Group>
      {state === 'present' ? (
        <Checkbox.Group label="Metastatic sites" description="Tick every site involved" withAsterisk value={sites} error={error}
          onChange={(next) => onChange(next.length === 0 ? 'present' : order.filter((s) => next.includes(s)))}>
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs" verticalSpacing={6} mt={6}>
            {(f.options ?? []).map((o) => <Checkbox key={o.value} value={o.value} label={o.label} aria-invalid={error ? true : undefined} />)}
          </SimpleGrid>
        </Checkbox.Group>
      ) : null}
    </Stack>
  );
}

function FactInput(props: FieldProps) {
  switch (props.field.kind) {
    case 'select': return <SelectFact {...props} />;
    case 'bool': return <BoolFact {...props} />;
    case 'metastases': return <MetastasesFact {...props} />;
    default: return <TextFact {...props} />;
  }
}

/** First error for a path: `details.metastases` also collects `details.metastases.0` and the like. */
function errorFor(errors: Errors, path: string): string | undefined {
  const key = `details.${path}`;
  if (errors[key]) return errors[key];
  if (path !== 'metastases') return undefined;
  const hit = Object.keys(errors).find((k) => k.startsWith(`${key}.`));
  return hit ? errors[hit] : undefined;
}

/**
 * The structured tumour facts the rules engine reads (case-facts tumour fields), grouped as a clinician thinks of
 * them. Every fact can stay Unknown; sections that do not apply to the site are hidden unless they hold a value.
 */
export function TumorFactsFields({ value, onChange, context, errors, clearError, columns = { base: 1, sm: 2, lg: 3 } }: Props) {
  const update = (path: string, v: unknown) => {
    let next = set(value, path, v);
    // Metastases no longer present: a site count would contradict the answer.
    if (path === 'metastases' && !(Array.isArray(v) && v.length > 0) && v !== 'present') next = set(next, 'metastaticSiteCount', undefined);
    onChange(next);
    for (const k of Object.keys(errors)) if (k === `details.${path}` || k.startsWith(`details.${path}.`)) clearError(k);
    if (path.startsWith('performance.')) { clearError('details.performance.scale'); clearError('details.performance.value'); }
  };
  return (
    <Stack gap="md">
      <div>
        <Text fw={600} size="sm">Clinical facts for staging</Text>
        <Text size="sm" c="dimmed">Leave anything not yet established as Unknown; the assessment lists what it still needs.</Text>
      </div>
      {FACT_SECTIONS.filter((s) => sectionShown(s, value, context)).map((s) => (
        <Fieldset key={s.id} legend={s.legend} data-testid={`facts-${s.id}`} styles={LEGEND}>
          <SimpleGrid cols={columns} spacing="md" verticalSpacing="sm">
            {s.fields.filter((f) => fieldShown(f, value, context)).map((f) => (
              <div key={f.path} style={f.kind === 'metastases' ? { gridColumn: '1 / -1' } : undefined}>
                <FactInput field={f} value={get(value, f.path)} error={errorFor(errors, f.path)} onChange={(v) => update(f.path, v)} />
              </div>
            ))}
          </SimpleGrid>
        </Fieldset>
      ))}
    </Stack>
  );
}
