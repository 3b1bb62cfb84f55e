import { Alert, Button, Card, Divider, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Dispatch, SetStateAction } from 'react';
import { ApiError, fieldErrors, normalizeField } from '../api/client.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { humanize } from '../lib/format.js';
import { onSubmit, unplacedErrors, useFormErrors } from '../lib/forms.js';
import type { Errors } from '../lib/forms.js';
import { PLAN_INTENTS, fetchPlan, planKey, useSavePlan } from './api.js';
import type { PlanIntent, PlanView } from './api.js';
import { ChecklistEditor } from './ChecklistEditor.js';
import { toContent } from './draft.js';
import type { AgentForm, Draft } from './draft.js';
import { LocalControlEditor } from './LocalControlEditor.js';
import { PhasesEditor } from './PhasesEditor.js';

/** Field keys the form shows (anything else a server error names is listed in the alert). */
const KNOWN = [
  /^(title|intent|bsaM2|weightKg|trialNctId|notes)$/,
  /^phases\.\d+\.(startWeek|cycleIntervalDays)$/,
  /^phases\.\d+\.cycles\.\d+\.count$/,
  /^phases\.\d+\.cycles\.\d+\.agents\.\d+\.(agent|doseMgM2|doseMgKg|doseMg|doseModification|administrations|maxMg)$/,
  /^localControl\.selected\.\d+\.(surgeryType|plannedWeek|radiation\.(field|doseGy|boostGy|fractions|heartDoseGy))$/,
  /^checklist\.\d+\.(answer|note)$/,
];
const known = (k: string) => KNOWN.some((re) => re.test(k));

/** The version being edited: the draft started from it, and a save sends its number as If-Match. */
export interface Base { view: PlanView; draft: Draft }

/**
 * The plan editor: phases, cycles and doses, local control, the tailoring checklist and notes. A save is a new
 * version (If-Match = the version edited). When someone else saved first (412), the edits stay on screen and the
 * person chooses: save them on top of the other version, or load it and drop them.
 */
export function PlanEditor({ base, draft, setDraft, dirty, readOnly, onSaved }: {
  base: Base;
  draft: Draft;
  setDraft: Dispatch<SetStateAction<Draft>>;
  dirty: boolean;
  readOnly: boolean;
  onSaved: (saved: PlanView) => void;
}) {
  const qc = useQueryClient();
  const caseId = base.view.caseId;
  const save = useSavePlan(caseId);
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const [note, setNote] = useState('');
  const [status, setStatus] = useState('');
  const [conflict, setConflict] = useState<PlanView | null>(null);
  const content = base.view.content;

  const warnings = useMemo(() => {
    const w: Errors = {};
    for (const x of base.view.warnings) w[normalizeField(x.field)] = x.message;
    return w;
  }, [base.view.warnings]);

  const edit = (fn: (d: Draft) => void, clear: string[] = []) => {
    setDraft((d) => { const next = structuredClone(d); fn(next); return next; });
    for (const k of clear) clearError(k);
    setStatus('');
    // The refusal was about what is being changed now: it no longer describes the form.
    if (save.error && !conflict) save.reset();
  };
  const onAgent = (p: number, c: number, a: number, patch: Partial<AgentForm>) => {
    const key = `phases.${p}.cycles.${c}.agents.${a}`;
    edit((d) => { Object.assign(d.phases[p]!.cycles[c]!.agents[a]!, patch); },
      [`${key}.doseMgM2`, `${key}.doseMgKg`, `${key}.doseMg`, `${key}.doseModification`, `${key}.agent`, `${key}.administrations`, `${key}.maxMg`]);
  };

  const put = (version: number) => {
    const { content: next, errors: local } = toContent(content, draft);
    setErrors(local);
    setStatus('');
    if (Object.keys(local).length > 0) return;
    save.mutate({ version, content: next, note: note.trim() || undefined }, {
      onSuccess: (saved) => {
        setConflict(null);
        setNote('');
        setStatus(saved.version === base.view.version ? 'Nothing changed: the plan is as saved.' : `Saved as version ${saved.version}.`);
        onSaved(saved);
      },
      onError: async (err) => {
        if (err instanceof ApiError && err.isStale) {
          try {
            const fresh = await fetchPlan(caseId);
            setConflict(fresh);
          } catch {
            setConflict(base.view);
          }
          return;
        }
        setErrors(fieldErrors(err));
      },
    });
  };

  const loadTheirs = () => {
    if (!conflict) return;
    qc.setQueryData(planKey(caseId), conflict);
    void qc.invalidateQueries({ queryKey: planKey(caseId), predicate: (q) => q.queryKey.length > 2 });
    onSaved(conflict);
    setConflict(null);
    save.reset();
    setErrors({});
    setStatus(`Version ${conflict.version} loaded; your edits were discarded.`);
  };

  const serverError = save.error && !(save.error instanceof ApiError && save.error.isStale) ? save.error : null;
  const localCount = Object.keys(errors).length;

  // A conflict, or a refusal that names no field on screen, is announced at the top of the form: bring it into view
  // from the save bar at the bottom (field errors move the focus to their field instead).
  const alertRef = useRef<HTMLDivElement>(null);
  const unplaced = serverError ? unplacedErrors(fieldErrors(serverError), known) : [];
  const showAlert = !!conflict || (!!serverError && (unplaced.length > 0 || Object.keys(fieldErrors(serverError)).length === 0));
  useEffect(() => {
    if (!showAlert) return;
    alertRef.current?.scrollIntoView({ block: 'center' });
    alertRef.current?.focus({ preventScroll: true });
  }, [showAlert, conflict]);

  return (
    <Card component="section" aria-labelledby="plan-editor-heading" p={0}>
      <form ref={formRef} onSubmit={onSubmit(() => put(base.view.version))} noValidate aria-label="Treatment plan">
        <Stack gap="lg" p="lg">
          <Group justify="space-between" wrap="wrap">
            <Title order={2} size="h4" id="plan-editor-heading">Plan · version {base.view.version}</Title>
            <Text size="xs" c={dirty ? 'orange.9' : 'dimmed'} fw={dirty ? 700 : undefined} data-testid="dirty-state">
              {readOnly ? 'Read only' : dirty ? 'Unsaved changes' : 'All changes saved'}
            </Text>
          </Group>
          <div aria-live="polite" ref={alertRef} tabIndex={-1} className="tb-alert-anchor">
            {conflict ? (
              <Alert color="yellow" role="alert" title="Someone else saved this plan while you were editing" data-testid="plan-conflict"
                styles={{ title: { color: 'var(--mantine-color-dark-7)' } }} icon={<span aria-hidden="true">⚠</span>}>
                <Text size="sm">
                  Version {conflict.version} was saved{conflict.author ? ` by ${conflict.author}` : ''}. Your edits are still on this page and
                  have not been saved. Review version {conflict.version} (reload it, or compare versions), then choose.
                </Text>
                <Group mt="sm" gap="sm">
                  <Button color="yellow" onClick={() => put(conflict.version)} loading={save.isPending}>
                    Save my edits as version {conflict.version + 1}
                  </Button>
                  <Button variant="default" onClick={loadTheirs} disabled={save.isPending}>Reload version {conflict.version} (discard my edits)</Button>
                </Group>
              </Alert>
            ) : serverError ? (
              <ErrorAlert error={serverError} title="The plan was not saved" extra={unplaced} />
            ) : localCount > 0 ? (
              <Alert color="red" variant="light" role="alert" title="The plan was not saved">
                <Text size="sm">{localCount === 1 ? 'One entry needs' : `${localCount} entries need`} fixing: see the marked fields.</Text>
              </Alert>
            ) : null}
          </div>

          <section aria-labelledby="plan-general-heading">
            <Title order={3} size="h5" id="plan-general-heading" mb="xs">General</Title>
            <Stack gap="xs">
              <TextInput label="Title" withAsterisk value={draft.title} disabled={readOnly} maxLength={300} error={errors.title}
                onChange={(e) => { const v = e.currentTarget.value; edit((d) => { d.title = v; }, ['title']); }} />
              <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="xs">
                <NativeSelect label="Intent" value={draft.intent} error={errors.intent}
                  data={PLAN_INTENTS.map((i) => ({ value: i, label: humanize(i) }))}
                  onChange={(e) => { const v = e.currentTarget.value as PlanIntent; edit((d) => { d.intent = v; }, ['intent']); }} />
                <TextInput label="BSA (m²)" value={draft.bsaM2} inputMode="decimal" placeholder="not given" error={errors.bsaM2}
                  onChange={(e) => { const v = e.currentTarget.value; edit((d) => { d.bsaM2 = v; }, ['bsaM2']); }} />
                <TextInput label="Weight (kg)" value={draft.weightKg} inputMode="decimal" placeholder="not given" error={errors.weightKg}
                  onChange={(e) => { const v = e.currentTarget.value; edit((d) => { d.weightKg = v; }, ['weightKg']); }} />
                <TextInput label="Trial (NCT ID)" value={draft.trialNctId} placeholder="NCT01234567" maxLength={11} error={errors.trialNctId}
                  onChange={(e) => { const v = e.currentTarget.value; edit((d) => { d.trialNctId = v; }, ['trialNctId']); }} />
              </SimpleGrid>
              <Text size="xs" c="dimmed">Body surface area and weight convert doses given in mg or mg/kg to mg/m². Leave them empty when not known: totals that need them then stay unknown.</Text>
            </Stack>
          </section>

          <Divider />
          <section aria-labelledby="plan-chemo-heading">
            <Title order={3} size="h5" id="plan-chemo-heading" mb={2}>Phases and chemotherapy</Title>
            <Text size="xs" c="dimmed" mb="sm">Doses are per administration; the unit is the one chosen beside each dose. The server checks every dose against its allowed range.</Text>
            <PhasesEditor base={content} draft={draft} errors={errors} warnings={warnings} readOnly={readOnly}
              onAgent={onAgent}
              onCycleCount={(p, c, v) => edit((d) => { d.phases[p]!.cycles[c]!.count = v; }, [`phases.${p}.cycles.${c}.count`])}
              onPhase={(p, patch) => edit((d) => { Object.assign(d.phases[p]!, patch); }, [`phases.${p}.startWeek`, `phases.${p}.cycleIntervalDays`])} />
          </section>

          <Divider />
          <section aria-labelledby="plan-lc-heading">
            <Title order={3} size="h5" id="plan-lc-heading" mb="xs">Local control</Title>
            <LocalControlEditor considered={content.localControl.considered} selected={draft.selected} errors={errors} readOnly={readOnly}
              onChange={(next) => { edit((d) => { d.selected = next; }); setErrors({}); }} />
          </section>

          <Divider />
          <section aria-labelledby="plan-checklist-heading">
            <Group justify="space-between" mb="xs" wrap="wrap">
              <Title order={3} size="h5" id="plan-checklist-heading">Tailoring checklist</Title>
              <Text size="xs" c={draft.checklist.length === 0 ? 'gray.7' : draft.checklist.some((q) => q.answer === null) ? 'orange.9' : 'teal.9'} fw={600} data-testid="checklist-count">
                {draft.checklist.length === 0
                  ? 'No questions: no flag of this case asks for tailoring'
                  : `${draft.checklist.filter((q) => q.answer !== null).length} of ${draft.checklist.length} answered`}
              </Text>
            </Group>
            <ChecklistEditor items={content.checklist} draft={draft.checklist} errors={errors} readOnly={readOnly}
              onAnswer={(i, a) => edit((d) => { d.checklist[i]!.answer = a; }, [`checklist.${i}.answer`])}
              onNote={(i, v) => edit((d) => { d.checklist[i]!.note = v; })} />
          </section>

          <Divider />
          <Textarea label="Notes" autosize minRows={2} maxRows={12} maxLength={10000} value={draft.notes} disabled={readOnly} error={errors.notes}
            onChange={(e) => { const v = e.currentTarget.value; edit((d) => { d.notes = v; }, ['notes']); }} />
        </Stack>
        {!readOnly ? (
          <div className="tb-savebar">
            <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
              <TextInput label="What changed" placeholder="Saved with the version, e.g. checklist answered" value={note} maxLength={500}
                style={{ flex: 1, minWidth: 220 }} onChange={(e) => setNote(e.currentTarget.value)} />
              <Group gap="sm" align="center">
                <Text size="sm" c={conflict || serverError ? 'red.8' : 'teal.9'} fw={600} role="status" data-testid="plan-save-status">
                  {conflict ? `Not saved: version ${conflict.version} was saved meanwhile (see above).` : serverError ? (showAlert ? 'Not saved: see the message above.' : 'Not saved: see the marked fields.') : status}
                </Text>
                <Button type="submit" loading={save.isPending && !conflict} disabled={!!conflict || !dirty}>
                  Save as version {base.view.version + 1}
                </Button>
              </Group>
            </Group>
          </div>
        ) : null}
      </form>
    </Card>
  );
}
