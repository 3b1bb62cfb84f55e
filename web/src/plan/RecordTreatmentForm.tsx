import { Button, Checkbox, CloseButton, Group, NativeSelect, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useState } from 'react';
import { fieldErrors } from '../api/client.js';
import { DateField } from '../components/DateField.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { humanize } from '../lib/format.js';
import { isValidDate, onSubmit, unplacedErrors, useFormErrors } from '../lib/forms.js';
import type { Errors } from '../lib/forms.js';
import { DEVIATION_REASONS, NON_RESECTION_SURGERY, RADIATION_FIELDS, SIDES, SURGERY_TYPES, useRecordAdministration } from './api.js';
import type { Administration, DeviationReason, PlanContent, RadiationField, Side, SurgeryType } from './api.js';
import { NOT_A_NUMBER, parseNumber, unitOf } from './draft.js';
import { agentLabel } from './labels.js';

type Kind = 'chemo' | 'surgery' | 'radiation';
interface GivenAgent { agent: string; dose: string; unit: 'doseMgM2' | 'doseMg'; administrations: string }

const KNOWN = [/^(date|startDate|endDate|surgeryType|margin|procedure|field|side|doseGy|boostGy|fractions|bsaM2|note|deviation\.(reason|note)|agents)$/, /^agents\.\d+\.(agent|doseMgM2|doseMg|administrations)$/];
const known = (k: string) => KNOWN.some((re) => re.test(k));
const options = (values: readonly string[], empty: string) => [{ value: '', label: empty }, ...values.map((v) => ({ value: v, label: humanize(v) }))];

/** The plan's cycle groups, for "which cycle is this". */
function cycleChoices(plan: PlanContent) {
  return plan.phases.flatMap((p) => p.cycles.map((c) => ({ value: `${p.id}|${c.id}`, label: `${p.name} › ${c.regimen}`, phase: p, cycle: c })));
}

/** The agents of a planned cycle, with their planned dose where its unit can be recorded (mg/m² or mg). */
function plannedAgents(plan: PlanContent, value: string): GivenAgent[] {
  const found = cycleChoices(plan).find((x) => x.value === value);
  if (!found) return [{ agent: '', dose: '', unit: 'doseMgM2', administrations: '1' }];
  return found.cycle.agents.map((a) => {
    const unit = unitOf(a);
    return unit === 'doseMgKg'
      ? { agent: a.agent, dose: '', unit: 'doseMgM2', administrations: String(a.administrations) }
      : { agent: a.agent, dose: String(a[unit] ?? ''), unit, administrations: String(a.administrations) };
  });
}

/**
 * Records what was given against the plan: a chemotherapy cycle (agents and doses given), an operation (type and
 * margin) or a radiation course. A departure from the plan can carry its reason. The server checks doses against the
 * same table as the plan and refuses dates in the future.
 */
export function RecordTreatmentForm({ caseId, plan, onRecorded }: { caseId: string; plan: PlanContent; onRecorded?: (text: string) => void }) {
  const record = useRecordAdministration(caseId);
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const [kind, setKind] = useState<Kind>('chemo');
  const [date, setDate] = useState('');
  const [endDate, setEndDate] = useState('');
  const [cycle, setCycle] = useState('');
  const [agents, setAgents] = useState<GivenAgent[]>([{ agent: '', dose: '', unit: 'doseMgM2', administrations: '1' }]);
  const [bsa, setBsa] = useState(plan.bsaM2 !== undefined ? String(plan.bsaM2) : '');
  const [surgeryType, setSurgeryType] = useState<SurgeryType | ''>('');
  const [margin, setMargin] = useState('');
  const [procedure, setProcedure] = useState('');
  const [field, setField] = useState<RadiationField | ''>('');
  const [side, setSide] = useState('');
  const [doseGy, setDoseGy] = useState('');
  const [boostGy, setBoostGy] = useState('');
  const [fractions, setFractions] = useState('');
  const [deviates, setDeviates] = useState(false);
  const [reason, setReason] = useState<DeviationReason | ''>('');
  const [deviationNote, setDeviationNote] = useState('');
  const [note, setNote] = useState('');
  const [status, setStatus] = useState('');
  // On a phone the three kinds do not fit side by side: they stack, so each stays visible and reachable.
  const phone = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false });

  const reset = () => {
    setDate(''); setEndDate(''); setCycle(''); setAgents([{ agent: '', dose: '', unit: 'doseMgM2', administrations: '1' }]);
    setSurgeryType(''); setMargin(''); setProcedure(''); setField(''); setSide(''); setDoseGy(''); setBoostGy(''); setFractions('');
    setDeviates(false); setReason(''); setDeviationNote(''); setNote('');
  };

  const submit = () => {
    const e: Errors = {};
    const num = (s: string, key: string, required = false) => {
      const n = parseNumber(s);
      if (n === undefined) { if (required) e[key] = 'Required'; return undefined; }
      if (Number.isNaN(n)) { e[key] = NOT_A_NUMBER; return undefined; }
      return n;
    };
    const dateKey = kind === 'radiation' ? 'startDate' : 'date';
    if (!date.trim()) e[dateKey] = 'Give the date';
    else if (!isValidDate(date.trim())) e[dateKey] = 'Use a date like 2026-03-09';
    if (kind === 'radiation' && endDate.trim() && !isValidDate(endDate.trim())) e.endDate = 'Use a date like 2026-03-09';
    const deviation = deviates ? { reason: reason as DeviationReason, note: deviationNote.trim() } : undefined;
    if (deviates && !reason) e['deviation.reason'] = 'Choose the reason';
    if (deviates && !deviationNote.trim()) e['deviation.note'] = 'Say what happened';
    const extra = { ...(deviation ? { deviation } : {}), ...(note.trim() ? { note: note.trim() } : {}) };
    let body: Administration | null = null;
    if (kind === 'chemo') {
      const [phaseId, cycleId] = cycle ? cycle.split('|') : [];
      const given = agents.map((a, i) => {
        if (!a.agent.trim()) e[`agents.${i}.agent`] = 'Name the agent';
        const dose = num(a.dose, `agents.${i}.${a.unit}`, true);
        const admins = num(a.administrations, `agents.${i}.administrations`);
        return { agent: a.agent.trim().toLowerCase(), ...(dose !== undefined ? { [a.unit]: dose } : {}), ...(admins !== undefined && admins !== 1 ? { administrations: admins } : {}) };
      });
      if (given.length === 0) e.agents = 'List at least one agent';
      const bsaM2 = num(bsa, 'bsaM2');
      body = { kind: 'chemo', date: date.trim(), ...(phaseId ? { phaseId } : {}), ...(cycleId ? { cycleId } : {}), agents: given, ...(bsaM2 !== undefined ? { bsaM2 } : {}), ...extra };
    } else if (kind === 'surgery') {
      if (!surgeryType) e.surgeryType = 'Choose the operation';
      if (surgeryType && !NON_RESECTION_SURGERY.includes(surgeryType) && !margin) e.margin = 'A resection needs its margin';
      body = {
        kind: 'surgery', date: date.trim(), surgeryType: surgeryType as SurgeryType, ...(margin ? { margin: margin as 'R0' | 'R1' | 'R2' } : {}),
        ...(procedure.trim() ? { procedure: procedure.trim() } : {}), ...extra,
      };
    } else {
      if (!field) e.field = 'Choose the field';
      const d = num(doseGy, 'doseGy', true);
      const boost = num(boostGy, 'boostGy');
      const fr = num(fractions, 'fractions');
      body = {
        kind: 'radiation', startDate: date.trim(), ...(endDate.trim() ? { endDate: endDate.trim() } : {}), field: field as RadiationField,
        ...(side ? { side: side as Side } : {}), doseGy: d ?? 0, ...(boost !== undefined ? { boostGy: boost } : {}), ...(fr !== undefined ? { fractions: fr } : {}), ...extra,
      };
    }
    setErrors(e);
    setStatus('');
    if (Object.keys(e).length > 0 || !body) return;
    const what = kind === 'chemo' ? 'chemotherapy cycle' : kind === 'surgery' ? `surgery (${humanize(surgeryType)})` : `radiation (${humanize(field)})`;
    record.mutate(body, {
      onSuccess: () => {
        const text = `Recorded: ${what} on ${date.trim()}.`;
        setStatus(text);
        onRecorded?.(text);
        reset();
      },
      onError: (err) => setErrors(fieldErrors(err)),
    });
  };

  const setAgent = (i: number, patch: Partial<GivenAgent>) => {
    setAgents((list) => list.map((a, j) => (j === i ? { ...a, ...patch } : a)));
    for (const k of ['agent', 'doseMgM2', 'doseMg', 'administrations']) clearError(`agents.${i}.${k}`);
  };
  const choices = cycleChoices(plan);

  return (
    <form ref={formRef} onSubmit={onSubmit(submit)} noValidate aria-label="Record treatment">
      <Stack gap="sm">
        <SegmentedControl value={kind} aria-label="Kind of treatment" orientation={phone ? 'vertical' : 'horizontal'} fullWidth={phone} onChange={(v) => { setKind(v as Kind); setErrors({}); setStatus(''); }}
          data={[{ value: 'chemo', label: 'Chemotherapy cycle' }, { value: 'surgery', label: 'Surgery' }, { value: 'radiation', label: 'Radiation course' }]} />
        <div aria-live="polite">
          {record.error ? <ErrorAlert error={record.error} title="Not recorded" extra={unplacedErrors(fieldErrors(record.error), known)} /> : null}
        </div>
        <SimpleGrid cols={{ base: 1, sm: kind === 'radiation' ? 3 : 2 }} spacing="sm">
          <DateField label={kind === 'radiation' ? 'Start date' : 'Date given'} withAsterisk value={date}
            error={errors[kind === 'radiation' ? 'startDate' : 'date']}
            onChange={(e) => { setDate(e.currentTarget.value); clearError('date'); clearError('startDate'); }} />
          {kind === 'radiation' ? (
            <DateField label="End date" value={endDate} error={errors.endDate} onChange={(e) => { setEndDate(e.currentTarget.value); clearError('endDate'); }} />
          ) : null}
          {kind === 'chemo' ? (
            <NativeSelect label="Planned cycle" value={cycle} description="fills in the planned agents and doses: change what differs"
              data={[{ value: '', label: 'Not chosen (matched by agents)' }, ...choices.map((c) => ({ value: c.value, label: c.label }))]}
              onChange={(e) => { const v = e.currentTarget.value; setCycle(v); if (v) setAgents(plannedAgents(plan, v)); }} />
          ) : null}
        </SimpleGrid>

        {kind === 'chemo' ? (
          <>
            <Table.ScrollContainer minWidth={560}>
              <Table withTableBorder verticalSpacing={4} fz="sm" aria-label="Agents given">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Agent</Table.Th>
                    <Table.Th scope="col" w={170}>Dose given per administration</Table.Th>
                    <Table.Th scope="col" w={120}>Unit</Table.Th>
                    <Table.Th scope="col" w={120}>Administrations</Table.Th>
                    <Table.Th scope="col" w={40}><span className="visually-hidden">Remove</span></Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {agents.map((a, i) => {
                    const name = a.agent ? agentLabel(a.agent) : `agent ${i + 1}`;
                    return (
                      <Table.Tr key={i} data-testid="given-agent" data-agent={a.agent}>
                        <Table.Td>
                          <TextInput size="xs" value={a.agent} aria-label={`Agent ${i + 1}`} error={errors[`agents.${i}.agent`]}
                            onChange={(e) => setAgent(i, { agent: e.currentTarget.value })} />
                        </Table.Td>
                        <Table.Td>
                          <TextInput size="xs" value={a.dose} inputMode="decimal" aria-label={`Dose given of ${name}`}
                            error={errors[`agents.${i}.doseMgM2`] ?? errors[`agents.${i}.doseMg`]}
                            onChange={(e) => setAgent(i, { dose: e.currentTarget.value })} />
                        </Table.Td>
                        <Table.Td>
                          <NativeSelect size="xs" miw={96} value={a.unit} aria-label={`Unit of the dose given of ${name}`}
                            data={[{ value: 'doseMgM2', label: 'mg/m²' }, { value: 'doseMg', label: 'mg' }]}
                            onChange={(e) => setAgent(i, { unit: e.currentTarget.value as GivenAgent['unit'] })} />
                        </Table.Td>
                        <Table.Td>
                          <TextInput size="xs" value={a.administrations} inputMode="numeric" aria-label={`Administrations of ${name}`}
                            error={errors[`agents.${i}.administrations`]} onChange={(e) => setAgent(i, { administrations: e.currentTarget.value })} />
                        </Table.Td>
                        <Table.Td>
                          <CloseButton size="sm" aria-label={`Remove ${name}`} disabled={agents.length === 1}
                            onClick={() => setAgents((list) => list.filter((_, j) => j !== i))} />
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {errors.agents ? <Text size="xs" c="red.8">{errors.agents}</Text> : null}
            <Group gap="sm" align="flex-end">
              <Button size="xs" variant="subtle" onClick={() => setAgents((l) => [...l, { agent: '', dose: '', unit: 'doseMgM2', administrations: '1' }])}>Add agent</Button>
              <TextInput size="xs" label="BSA for this cycle (m²)" value={bsa} inputMode="decimal" w={180} error={errors.bsaM2}
                description="converts doses given in mg" onChange={(e) => { setBsa(e.currentTarget.value); clearError('bsaM2'); }} />
            </Group>
          </>
        ) : kind === 'surgery' ? (
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <NativeSelect label="Operation" withAsterisk value={surgeryType} data={options(SURGERY_TYPES, 'Choose the operation')} error={errors.surgeryType}
              onChange={(e) => { setSurgeryType(e.currentTarget.value as SurgeryType | ''); clearError('surgeryType'); clearError('margin'); }} />
            <NativeSelect label="Margin" withAsterisk={!!surgeryType && !NON_RESECTION_SURGERY.includes(surgeryType)} value={margin} error={errors.margin}
              data={[{ value: '', label: 'Not applicable' }, { value: 'R0', label: 'R0 (no residual)' }, { value: 'R1', label: 'R1 (microscopic residual)' }, { value: 'R2', label: 'R2 (gross residual)' }]}
              onChange={(e) => { setMargin(e.currentTarget.value); clearError('margin'); }} />
            <TextInput label="Procedure" value={procedure} maxLength={300} error={errors.procedure} onChange={(e) => setProcedure(e.currentTarget.value)} />
          </SimpleGrid>
        ) : (
          <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="sm">
            <NativeSelect label="Field" withAsterisk value={field} data={options(RADIATION_FIELDS, 'Choose the field')} error={errors.field}
              onChange={(e) => { setField(e.currentTarget.value as RadiationField | ''); clearError('field'); }} />
            <NativeSelect label="Side" value={side} data={options(SIDES, 'Not specified')} onChange={(e) => setSide(e.currentTarget.value)} />
            <TextInput label="Dose (Gy)" withAsterisk value={doseGy} inputMode="decimal" error={errors.doseGy} description="before any boost"
              onChange={(e) => { setDoseGy(e.currentTarget.value); clearError('doseGy'); }} />
            <TextInput label="Boost (Gy)" value={boostGy} inputMode="decimal" error={errors.boostGy} onChange={(e) => { setBoostGy(e.currentTarget.value); clearError('boostGy'); }} />
            <TextInput label="Fractions" value={fractions} inputMode="numeric" error={errors.fractions} onChange={(e) => { setFractions(e.currentTarget.value); clearError('fractions'); }} />
          </SimpleGrid>
        )}

        <Checkbox label="This departs from the plan (record the reason)" checked={deviates} onChange={(e) => setDeviates(e.currentTarget.checked)} />
        {deviates ? (
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <NativeSelect label="Reason" withAsterisk value={reason} data={options(DEVIATION_REASONS, 'Choose the reason')} error={errors['deviation.reason']}
              onChange={(e) => { setReason(e.currentTarget.value as DeviationReason | ''); clearError('deviation.reason'); }} />
            <Textarea label="What happened" withAsterisk autosize minRows={1} maxLength={2000} value={deviationNote} error={errors['deviation.note']}
              style={{ gridColumn: 'span 2' }} onChange={(e) => { setDeviationNote(e.currentTarget.value); clearError('deviation.note'); }} />
          </SimpleGrid>
        ) : null}
        <Textarea label="Note" autosize minRows={1} maxLength={2000} value={note} error={errors.note} onChange={(e) => setNote(e.currentTarget.value)} />
        <Group justify="space-between">
          <Text size="sm" c="teal.9" fw={600} role="status" data-testid="record-status">{status}</Text>
          <Button type="submit" loading={record.isPending}>
            {kind === 'chemo' ? 'Record chemotherapy cycle' : kind === 'surgery' ? 'Record surgery' : 'Record radiation course'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
