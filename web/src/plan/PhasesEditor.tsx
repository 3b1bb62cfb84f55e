import { Badge, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { Errors } from '../lib/forms.js';
import { humanize } from '../lib/format.js';
import { DOSE_FIELDS } from './api.js';
import type { DoseField, PlanAgent, PlanContent } from './api.js';
import { agentKey, doseError } from './draft.js';
import type { AgentForm, Draft } from './draft.js';
import { RuleIds, Unverified, agentLabel } from './labels.js';

const UNITS = (Object.keys(DOSE_FIELDS) as DoseField[]).map((f) => ({ value: f, label: DOSE_FIELDS[f] }));

function Modification({ a }: { a: PlanAgent }) {
  const m = a.doseModification;
  if (!m) return null;
  return (
    <Text size="xs" c="grape.9">
      {m.percent}% of the full dose {m.fullDose} ({m.reason}) <RuleIds rules={m.rules} />
    </Text>
  );
}

/**
 * Phases, cycles and agents as the template built them: the team sets the dose per administration and its unit,
 * administrations per cycle, the cap, the number of cycles and the schedule. Errors and warnings from the server
 * appear under the field they name.
 */
export function PhasesEditor({ base, draft, errors, warnings, readOnly, onAgent, onCycleCount, onPhase }: {
  base: PlanContent;
  draft: Draft;
  errors: Errors;
  warnings: Errors;
  readOnly: boolean;
  onAgent: (p: number, c: number, a: number, patch: Partial<AgentForm>) => void;
  onCycleCount: (p: number, c: number, value: string) => void;
  onPhase: (p: number, patch: { startWeek?: string; cycleIntervalDays?: string }) => void;
}) {
  if (base.phases.length === 0) return <Text size="sm" c="dimmed">This plan has no treatment phases.</Text>;
  return (
    <Stack gap="lg">
      {base.phases.map((phase, p) => {
        const pf = draft.phases[p];
        if (!pf) return null;
        const headingId = `phase-${p}-heading`;
        return (
          <section key={phase.id} aria-labelledby={headingId} className="tb-phase" data-testid="plan-phase" data-phase={phase.id}>
            <Group gap="xs" mb={4} wrap="wrap">
              <Title order={3} size="h5" id={headingId}>{phase.name}</Title>
              <Badge variant="light" color="gray" c="gray.9" radius="sm">{humanize(phase.kind)}</Badge>
              {phase.order === 'alternating' ? <Badge variant="light" color="blue" c="blue.9" radius="sm">Alternating</Badge> : null}
              {phase.unverified ? <Unverified /> : null}
            </Group>
            {phase.note ? <Text size="xs" c="gray.7" mb="xs">{phase.note}</Text> : null}
            <Group gap="md" mb="sm" align="flex-start">
              <TextInput label="Start week" size="xs" w={110} value={pf.startWeek} disabled={readOnly} placeholder="not set"
                error={errors[`phases.${p}.startWeek`]} inputMode="numeric" aria-label={`Start week of ${phase.name}`}
                onChange={(e) => onPhase(p, { startWeek: e.currentTarget.value })} />
              {phase.cycles.length > 0 ? (
                <TextInput label="Days between cycles" size="xs" w={150} value={pf.cycleIntervalDays} disabled={readOnly} placeholder="not set"
                  error={errors[`phases.${p}.cycleIntervalDays`]} inputMode="numeric" aria-label={`Days between cycles of ${phase.name}`}
                  onChange={(e) => onPhase(p, { cycleIntervalDays: e.currentTarget.value })} />
              ) : null}
            </Group>
            {phase.cycles.length === 0 ? <Text size="sm" c="dimmed">No chemotherapy in this phase.</Text> : null}
            <Stack gap="md">
              {phase.cycles.map((cycle, c) => {
                const cf = pf.cycles[c];
                if (!cf) return null;
                const countKey = `phases.${p}.cycles.${c}.count`;
                return (
                  <div key={cycle.id} className="tb-cycle" data-testid="plan-cycle" data-cycle={cycle.id}>
                    <Group gap="sm" align="flex-end" mb={6} wrap="wrap">
                      <Text fw={700} size="sm">{cycle.regimen}</Text>
                      {cycle.unverified ? <Unverified /> : null}
                      <TextInput size="xs" w={120} label="Number of cycles" value={cf.count} disabled={readOnly} inputMode="numeric"
                        placeholder="not set" error={errors[countKey]} aria-label={`Number of ${cycle.regimen} cycles in ${phase.name}`}
                        onChange={(e) => onCycleCount(p, c, e.currentTarget.value)} />
                      {cf.count.trim() === '' ? <Text size="xs" c="orange.9" fw={600}>Open item: the template gives no number</Text> : null}
                    </Group>
                    {cycle.note ? <Text size="xs" c="gray.7" mb={4}>{cycle.note}</Text> : null}
                    <Table.ScrollContainer minWidth={520}>
                      <Table withTableBorder verticalSpacing={4} fz="sm" aria-label={`${cycle.regimen} agents (${phase.name})`}>
                        <Table.Thead>
                          <Table.Tr>
                            <Table.Th scope="col">Agent</Table.Th>
                            <Table.Th scope="col" w={220}>Dose per administration</Table.Th>
                            <Table.Th scope="col" w={104}>Administrations per cycle</Table.Th>
                            <Table.Th scope="col" w={92}>Cap (mg)</Table.Th>
                          </Table.Tr>
                        </Table.Thead>
                        <Table.Tbody>
                          {cycle.agents.map((agent, a) => {
                            const af = cf.agents[a];
                            if (!af) return null;
                            const key = agentKey(p, c, a);
                            const where = `${agentLabel(agent.agent)} in ${cycle.regimen} (${phase.name})`;
                            const doseErr = doseError(errors, key) ?? errors[`${key}.agent`];
                            const doseWarn = doseError(warnings, key) ?? warnings[`${key}.agent`];
                            return (
                              <Table.Tr key={`${agent.agent}-${a}`} data-testid="agent-row" data-agent={agent.agent} data-cycle={cycle.id}>
                                <Table.Td>
                                  <Text size="sm" fw={600}>{agentLabel(agent.agent)}</Text>
                                  {agent.route ? <Text size="xs" c="dimmed">{agent.route.toUpperCase()}</Text> : null}
                                  {agent.note ? <Text size="xs" c="gray.7">{agent.note}</Text> : null}
                                  <Modification a={agent} />
                                  {agent.unverified ? <Unverified /> : null}
                                </Table.Td>
                                <Table.Td>
                                  <TextInput size="xs" value={af.dose} disabled={readOnly} inputMode="decimal" placeholder="not set"
                                    aria-label={`Dose of ${where}`} error={doseErr}
                                    description={!doseErr && doseWarn ? <Text span size="xs" c="orange.9">{doseWarn}</Text> : undefined}
                                    inputWrapperOrder={['label', 'input', 'description', 'error']}
                                    rightSectionWidth={82}
                                    rightSectionPointerEvents="all"
                                    rightSection={
                                      <select className="tb-unit" value={af.unit} disabled={readOnly} aria-label={`Unit of the dose of ${where}`}
                                        onChange={(e) => onAgent(p, c, a, { unit: e.currentTarget.value as DoseField })}>
                                        {UNITS.map((u) => <option key={u.value} value={u.value}>{u.label}</option>)}
                                      </select>
                                    }
                                    onChange={(e) => onAgent(p, c, a, { dose: e.currentTarget.value })} />
                                </Table.Td>
                                <Table.Td>
                                  <TextInput size="xs" value={af.administrations} disabled={readOnly} inputMode="numeric"
                                    aria-label={`Administrations per cycle of ${where}`} error={errors[`${key}.administrations`]}
                                    onChange={(e) => onAgent(p, c, a, { administrations: e.currentTarget.value })} />
                                </Table.Td>
                                <Table.Td>
                                  <TextInput size="xs" value={af.maxMg} disabled={readOnly} inputMode="decimal" placeholder="none"
                                    aria-label={`Cap in mg per administration of ${where}`} error={errors[`${key}.maxMg`]}
                                    onChange={(e) => onAgent(p, c, a, { maxMg: e.currentTarget.value })} />
                                </Table.Td>
                              </Table.Tr>
                            );
                          })}
                        </Table.Tbody>
                      </Table>
                    </Table.ScrollContainer>
                  </div>
                );
              })}
            </Stack>
          </section>
        );
      })}
    </Stack>
  );
}
