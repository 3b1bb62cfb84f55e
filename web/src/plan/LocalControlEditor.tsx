import { Badge, Button, CloseButton, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { Errors } from '../lib/forms.js';
import { formatNumber, humanize } from '../lib/format.js';
import {
  RADIATION_FIELDS, RADIATION_TECHNIQUES, RADIATION_TIMINGS, SELECTED_LOCAL_CONTROL_KINDS, SIDES, SURGERY_TYPES,
} from './api.js';
import type { ConsideredOption, SelectedKind } from './api.js';
import { ORGANS, emptySelected, selectedKey } from './draft.js';
import type { Organ, SelectedForm, TriState } from './draft.js';
import { RuleIds, Unverified } from './labels.js';

const options = (values: readonly string[], empty: string) => [{ value: '', label: empty }, ...values.map((v) => ({ value: v, label: humanize(v) }))];
const ORGAN_LABELS: Record<Organ, string> = {
  heartInField: 'Heart in field', breastInField: 'Breast in field', gonadsInField: 'Gonads in field', bladderInField: 'Bladder in field', kidneyInField: 'Kidney in field',
};
const TRI = [{ value: '', label: 'Unknown' }, { value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }];

/** What choosing a considered option selects: surgery followed by RT is two entries. */
function fromOption(o: ConsideredOption): SelectedForm[] {
  const common = (kind: SelectedKind): SelectedForm => ({ ...emptySelected(kind), description: o.description, rules: [...o.rules] });
  const rt = (): SelectedForm => ({ ...common('radiation'), doseGy: o.doseGy !== undefined ? String(o.doseGy) : '' });
  switch (o.kind) {
    case 'surgery_and_radiation': return [common('surgery'), rt()];
    case 'radiation': return [rt()];
    default: return [common(o.kind)];
  }
}

function SelectedEntry({ s, i, errors, readOnly, onChange, onRemove }: {
  s: SelectedForm; i: number; errors: Errors; readOnly: boolean; onChange: (patch: Partial<SelectedForm>) => void; onRemove: () => void;
}) {
  const key = selectedKey(i);
  const n = i + 1;
  return (
    <div className="tb-selected" data-testid="selected-local-control" data-kind={s.kind}>
      <Group justify="space-between" mb={6} wrap="nowrap">
        <Group gap={6}>
          <Text fw={700} size="sm">{n}. {humanize(s.kind)}</Text>
          <RuleIds rules={s.rules} />
        </Group>
        {!readOnly ? <CloseButton aria-label={`Remove local control ${n} (${humanize(s.kind)})`} onClick={onRemove} /> : null}
      </Group>
      <Stack gap="xs">
        <TextInput size="xs" label="Description" value={s.description} disabled={readOnly} maxLength={1000}
          aria-label={`Description of local control ${n}`} onChange={(e) => onChange({ description: e.currentTarget.value })} />
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
          {s.kind === 'surgery' || s.kind === 'curettage' ? (
            <NativeSelect size="xs" label="Operation" withAsterisk={s.kind === 'surgery'} value={s.surgeryType} disabled={readOnly}
              data={options(SURGERY_TYPES, s.kind === 'surgery' ? 'Choose the operation' : 'Not specified')} error={errors[`${key}.surgeryType`]}
              aria-label={`Operation for local control ${n}`} onChange={(e) => onChange({ surgeryType: e.currentTarget.value as SelectedForm['surgeryType'] })} />
          ) : null}
          <TextInput size="xs" label="Planned week" value={s.plannedWeek} disabled={readOnly} inputMode="numeric" placeholder="phase start"
            error={errors[`${key}.plannedWeek`]} aria-label={`Planned week of local control ${n}`} onChange={(e) => onChange({ plannedWeek: e.currentTarget.value })} />
        </SimpleGrid>
        {s.kind === 'radiation' ? (
          <>
            <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
              <NativeSelect size="xs" label="Field" withAsterisk value={s.field} disabled={readOnly} data={options(RADIATION_FIELDS, 'Choose the field')}
                error={errors[`${key}.radiation.field`]} aria-label={`Radiation field of local control ${n}`}
                onChange={(e) => onChange({ field: e.currentTarget.value as SelectedForm['field'] })} />
              <NativeSelect size="xs" label="Side" value={s.side} disabled={readOnly} data={options(SIDES, 'Not specified')}
                aria-label={`Side of local control ${n}`} onChange={(e) => onChange({ side: e.currentTarget.value })} />
              <NativeSelect size="xs" label="Timing" value={s.timing} disabled={readOnly} data={options(RADIATION_TIMINGS, 'Not specified')}
                aria-label={`Timing of local control ${n}`} onChange={(e) => onChange({ timing: e.currentTarget.value })} />
              <NativeSelect size="xs" label="Technique" value={s.technique} disabled={readOnly} data={options(RADIATION_TECHNIQUES, 'Not specified')}
                aria-label={`Technique of local control ${n}`} onChange={(e) => onChange({ technique: e.currentTarget.value })} />
              <TextInput size="xs" label="Dose (Gy)" withAsterisk value={s.doseGy} disabled={readOnly} inputMode="decimal" description="before any boost"
                error={errors[`${key}.radiation.doseGy`]} aria-label={`Radiation dose in Gy of local control ${n}`}
                onChange={(e) => onChange({ doseGy: e.currentTarget.value })} />
              <TextInput size="xs" label="Boost (Gy)" value={s.boostGy} disabled={readOnly} inputMode="decimal" placeholder="none"
                error={errors[`${key}.radiation.boostGy`]} aria-label={`Boost in Gy of local control ${n}`}
                onChange={(e) => onChange({ boostGy: e.currentTarget.value })} />
              <TextInput size="xs" label="Fractions" value={s.fractions} disabled={readOnly} inputMode="numeric"
                error={errors[`${key}.radiation.fractions`]} aria-label={`Fractions of local control ${n}`}
                onChange={(e) => onChange({ fractions: e.currentTarget.value })} />
              <TextInput size="xs" label="Heart dose (Gy)" value={s.heartDoseGy} disabled={readOnly} inputMode="decimal" placeholder="unknown"
                error={errors[`${key}.radiation.heartDoseGy`]} aria-label={`Heart dose in Gy of local control ${n}`}
                onChange={(e) => onChange({ heartDoseGy: e.currentTarget.value })} />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="xs">
              {ORGANS.map((o) => (
                <NativeSelect key={o} size="xs" label={ORGAN_LABELS[o]} value={s.organs[o]} disabled={readOnly} data={TRI}
                  aria-label={`${ORGAN_LABELS[o]} for local control ${n}`}
                  onChange={(e) => onChange({ organs: { ...s.organs, [o]: e.currentTarget.value as TriState } })} />
              ))}
            </SimpleGrid>
            <Text size="xs" c="dimmed">Organs in the field decide late-effect screening (heart: echo frequency; gonads: fertility). Leave “Unknown” when it is not known.</Text>
          </>
        ) : null}
      </Stack>
    </div>
  );
}

/**
 * Local control: the options the template offers (with their rule IDs and [K] markers), and what the team selects.
 * Until something is selected, planned radiation stays unknown in the exposure.
 */
export function LocalControlEditor({ considered, selected, errors, readOnly, onChange }: {
  considered: readonly ConsideredOption[]; selected: SelectedForm[]; errors: Errors; readOnly: boolean; onChange: (next: SelectedForm[]) => void;
}) {
  const [kind, setKind] = useState<SelectedKind>('surgery');
  return (
    <Stack gap="sm">
      <div>
        <Title order={3} size="h6" mb={4}>Options the template gives</Title>
        {considered.length === 0 ? <Text size="sm" c="dimmed">The template lists no local-control options.</Text> : (
          <Stack gap={6} component="ul" aria-label="Local-control options" className="tb-plain-list">
            {considered.map((o, i) => (
              <li key={`${o.description}-${i}`} className="tb-option" data-testid="considered-option">
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <div>
                    <Group gap={6} wrap="wrap">
                      <Badge size="sm" variant="light" color="gray" c="gray.9" radius="sm">{humanize(o.kind)}</Badge>
                      <Text size="sm">{o.description}</Text>
                      {o.doseGy !== undefined ? <Text size="sm" c="gray.7">({formatNumber(o.doseGy, 'Gy')})</Text> : null}
                    </Group>
                    <Group gap={6} mt={2}><RuleIds rules={o.rules} />{o.unverified ? <Unverified /> : null}</Group>
                    {o.disagreement ? <Text size="xs" c="orange.9">Sources disagree: {o.disagreement}</Text> : null}
                  </div>
                  {!readOnly ? (
                    <Button size="compact-xs" variant="light" style={{ flexShrink: 0 }} aria-label={`Select: ${o.description}`}
                      onClick={() => onChange([...selected, ...fromOption(o)])}>Select</Button>
                  ) : null}
                </Group>
              </li>
            ))}
          </Stack>
        )}
      </div>
      <div>
        <Title order={3} size="h6" mb={4}>Selected local control</Title>
        {selected.length === 0 ? (
          // Mirrors planExposure (src/domain/plan/plan-exposure.ts): radiation is unknown only while it is one of the options.
          considered.some((o) => o.kind === 'radiation' || o.kind === 'surgery_and_radiation') ? (
            <Text size="sm" c="orange.9" data-testid="no-local-control">Nothing selected yet: planned radiation stays unknown in the exposure until the team selects local control.</Text>
          ) : (
            <Text size="sm" c="gray.7" data-testid="no-local-control">
              Nothing selected yet. {considered.length ? 'None of the options is radiation' : 'The template gives no local control options'}, so the exposure counts no radiation.
            </Text>
          )
        ) : (
          <Stack gap="sm">
            {selected.map((s, i) => (
              <SelectedEntry key={i} s={s} i={i} errors={errors} readOnly={readOnly}
                onChange={(patch) => onChange(selected.map((x, j) => (j === i ? { ...x, ...patch } : x)))}
                onRemove={() => onChange(selected.filter((_, j) => j !== i))} />
            ))}
          </Stack>
        )}
        {!readOnly ? (
          <Group gap="xs" mt="sm" align="flex-end">
            <NativeSelect size="xs" label="Add local control" value={kind} data={SELECTED_LOCAL_CONTROL_KINDS.map((k) => ({ value: k, label: humanize(k) }))}
              onChange={(e) => setKind(e.currentTarget.value as SelectedKind)} />
            <Button size="xs" variant="default" onClick={() => onChange([...selected, emptySelected(kind)])}>Add</Button>
          </Group>
        ) : null}
      </div>
    </Stack>
  );
}
