import { Button, Card, Group, NativeSelect, Radio, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { fieldErrors } from '../api/client.js';
import { useMe } from '../api/hooks.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatDateTime } from '../lib/format.js';
import { onSubmit, unplacedErrors, useFormErrors } from '../lib/forms.js';
import type { Errors } from '../lib/forms.js';
import { DISCIPLINES, INPUT_STANCES, useSaveInput } from './api.js';
import type { AgendaItem, Discipline, DisciplineInputView, InputStance } from './api.js';
import { STANCE_LABELS, disciplineLabel, stanceLabel } from './labels.js';

const KNOWN = new Set(['discipline', 'stance', 'findings', 'recommendation']);

/** Every group's input so far, then the groups not heard from. */
export function InputsList({ inputs, headingOrder = 2, headingId = 'inputs-heading' }: {
  inputs: readonly DisciplineInputView[]; headingOrder?: 2 | 3; headingId?: string;
}) {
  const byGroup = new Map(inputs.map((i) => [i.discipline, i]));
  const silent = DISCIPLINES.filter((d) => !byGroup.has(d));
  const given = DISCIPLINES.filter((d) => byGroup.has(d)).map((d) => byGroup.get(d)!);
  return (
    <section aria-labelledby={headingId}>
      <Title order={headingOrder} size="h5" id={headingId} mb="xs">Input from the groups ({given.length} of {DISCIPLINES.length})</Title>
      {given.length === 0 ? <Text size="sm" c="dimmed">No group has given input yet.</Text> : null}
      <Stack gap="sm" component="ul" aria-label="Discipline inputs" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {given.map((i) => (
          <li key={i.discipline} data-testid="discipline-input" data-discipline={i.discipline}
            style={{ borderLeft: '3px solid var(--mantine-color-indigo-3)', paddingLeft: 10 }}>
            <Group gap={8} justify="space-between" wrap="wrap">
              <Text size="sm" fw={700}>{disciplineLabel(i.discipline)}</Text>
              <Text size="xs" c="dimmed">{i.authorName} · {formatDateTime(i.updatedAt)}</Text>
            </Group>
            <Text size="xs" fw={600} c={i.stance === 'needs_more_information' ? 'orange.9' : 'indigo.9'}>{stanceLabel(i.stance)}</Text>
            {i.findings ? <Text size="sm" className="tb-pre"><Text span inherit fw={600}>Findings: </Text>{i.findings}</Text> : null}
            {i.recommendation ? <Text size="sm" className="tb-pre"><Text span inherit fw={600}>Recommends: </Text>{i.recommendation}</Text> : null}
          </li>
        ))}
      </Stack>
      {silent.length > 0 && given.length > 0 ? (
        <Text size="xs" c="dimmed" mt="sm">No input yet from: {silent.map(disciplineLabel).join(', ')}.</Text>
      ) : null}
    </section>
  );
}

/** One group's input before the conference; choosing a group loads what it said so far. */
export function DisciplineInputForm({ conferenceId, item, locked }: { conferenceId: string; item: AgendaItem; locked: boolean }) {
  const me = useMe().data;
  const save = useSaveInput(conferenceId);
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  // A clinician records for their own group; anyone else (a coordinator scribing) chooses the group: never a guess.
  const own: Discipline | '' = (DISCIPLINES as readonly string[]).includes(me?.discipline ?? '') ? (me!.discipline as Discipline) : '';
  const existing = (d: Discipline | '') => (d ? item.inputs.find((i) => i.discipline === d) : undefined);
  const [discipline, setDiscipline] = useState<Discipline | ''>(own);
  const [stance, setStance] = useState<InputStance>(existing(own)?.stance ?? 'recommendation');
  const [findings, setFindings] = useState(existing(own)?.findings ?? '');
  const [recommendation, setRecommendation] = useState(existing(own)?.recommendation ?? '');
  const [saved, setSaved] = useState('');

  const pick = (d: Discipline | '') => {
    const e = existing(d);
    setDiscipline(d);
    setStance(e?.stance ?? 'recommendation');
    setFindings(e?.findings ?? '');
    setRecommendation(e?.recommendation ?? '');
    setErrors({});
    setSaved('');
  };

  const submit = () => {
    const e: Errors = {};
    if (!discipline) e.discipline = 'Choose the group this input is for';
    if (stance === 'recommendation' && !recommendation.trim()) e.recommendation = 'Say what the group recommends';
    if (stance === 'needs_more_information' && !findings.trim() && !recommendation.trim()) e.findings = 'Say what information the group needs';
    setErrors(e);
    setSaved('');
    if (Object.keys(e).length > 0 || !discipline) return;
    save.mutate({
      caseId: item.caseId,
      input: { discipline, stance, findings: findings.trim() || undefined, recommendation: recommendation.trim() || undefined },
    }, {
      onSuccess: () => setSaved(`Input saved for ${disciplineLabel(discipline)}.`),
      onError: (err) => setErrors(fieldErrors(err)),
    });
  };

  return (
    <Card component="section" aria-labelledby="input-form-heading">
      <Title order={2} size="h4" id="input-form-heading" mb={4}>Your group’s input</Title>
      <Text size="sm" c="dimmed" mb="md">
        {existing(discipline) ? `Updating the input ${disciplineLabel(discipline)} gave earlier.` : 'Before the conference: what your group found and recommends.'}
      </Text>
      <form ref={formRef} onSubmit={onSubmit(submit)} noValidate aria-label="Discipline input">
        <Stack gap="md">
          <div aria-live="polite">
            {save.error ? <ErrorAlert error={save.error} title="The input was not saved" extra={unplacedErrors(errors, (k) => KNOWN.has(k))} /> : null}
          </div>
          <NativeSelect label="Discipline" withAsterisk value={discipline} error={errors.discipline} disabled={locked}
            description={me?.discipline ? `Yours: ${disciplineLabel(me.discipline)}` : undefined}
            data={[
              ...(own ? [] : [{ value: '', label: 'Choose the group you record for' }]),
              ...DISCIPLINES.map((d) => ({ value: d, label: `${disciplineLabel(d)}${existing(d) ? ' (has input)' : ''}` })),
            ]}
            onChange={(e) => pick(e.currentTarget.value as Discipline | '')} />
          <Radio.Group label="Stance" value={stance} error={errors.stance} withAsterisk
            onChange={(v) => { setStance(v as InputStance); clearError('stance'); clearError('recommendation'); }}>
            <Stack gap={6} mt={6}>
              {INPUT_STANCES.map((s) => <Radio key={s} value={s} label={STANCE_LABELS[s]} disabled={locked} />)}
            </Stack>
          </Radio.Group>
          <Textarea label="Findings" autosize minRows={3} maxRows={12} maxLength={5000} value={findings} error={errors.findings} disabled={locked}
            description={stance === 'needs_more_information' ? 'What the group needs before it can recommend' : 'What the group found on review'}
            onChange={(e) => { setFindings(e.currentTarget.value); clearError('findings'); }} />
          <Textarea label="Recommendation" withAsterisk={stance === 'recommendation'} autosize minRows={3} maxRows={12} maxLength={5000}
            value={recommendation} error={errors.recommendation} disabled={locked}
            onChange={(e) => { setRecommendation(e.currentTarget.value); clearError('recommendation'); }} />
          <Group justify="space-between">
            <Text size="sm" c="teal.9" fw={600} role="status" data-testid="input-saved">{saved}</Text>
            <Button type="submit" loading={save.isPending} disabled={locked}>Save input</Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
