import { Alert, Button, Card, CloseButton, Group, NativeSelect, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError, fieldErrors } from '../api/client.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { onSubmit, unplacedErrors, useFormErrors } from '../lib/forms.js';
import type { Errors } from '../lib/forms.js';
import { DISCIPLINES, conferenceKey, fetchConference, useSaveRecommendation } from './api.js';
import type { AgendaItem, Conference, Discipline } from './api.js';
import { disciplineLabel } from './labels.js';
import { RecommendationView, TEXT_FIELDS, sameDraft, toBody, toDraft } from './recommendation.js';
import type { Draft, TextKey } from './recommendation.js';

const KNOWN = (k: string) => TEXT_FIELDS.some((f) => f.key === k) || /^dissent\.\d+\.(discipline|note)$/.test(k);

interface Base { draft: Draft; version: number }
interface Conflict { theirs: Draft; version: number }

/**
 * The coordinator records the recommendation during the meeting. Saved with If-Match = the agenda item's version;
 * when someone else saved in between (412), both versions are shown side by side to keep one or the other.
 */
export function RecommendationEditor({ conferenceId, item, onDirtyChange }: {
  conferenceId: string; item: AgendaItem; onDirtyChange?: (dirty: boolean) => void;
}) {
  const qc = useQueryClient();
  const save = useSaveRecommendation(conferenceId);
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const [base, setBase] = useState<Base>(() => ({ draft: toDraft(item.recommendation), version: item.version }));
  const [draft, setDraft] = useState<Draft>(base.draft);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [status, setStatus] = useState('');
  const dirty = !sameDraft(draft, base.draft);
  // The meeting controls ask before moving on from unsaved changes.
  useEffect(() => onDirtyChange?.(dirty), [dirty]);
  useEffect(() => () => onDirtyChange?.(false), []);

  // Someone else saved while this editor had no unsaved changes: follow their version quietly.
  useEffect(() => {
    if (item.version === base.version || dirty || conflict || save.isPending) return;
    const next = { draft: toDraft(item.recommendation), version: item.version };
    setBase(next);
    setDraft(next.draft);
  }, [item.version]);

  const setText = (k: TextKey, v: string) => { setDraft((d) => ({ ...d, [k]: v })); clearError(k); setStatus(''); };
  const setDissent = (n: number, patch: Partial<Draft['dissent'][number]>) => {
    setDraft((d) => ({ ...d, dissent: d.dissent.map((x, i) => (i === n ? { ...x, ...patch } : x)) }));
    for (const f of ['discipline', 'note']) clearError(`dissent.${n}.${f}`);
  };

  const put = (version: number) => {
    setStatus('');
    save.mutate({ itemId: item.id, version, recommendation: toBody(draft) }, {
      onSuccess: (saved: Conference) => {
        const mine = saved.items.find((i) => i.id === item.id);
        const next = { draft: toDraft(mine?.recommendation ?? toBody(draft)), version: mine?.version ?? version + 1 };
        setBase(next);
        setDraft(next.draft);
        setConflict(null);
        setStatus('Recommendation saved.');
      },
      onError: async (err) => {
        if (err instanceof ApiError && err.isStale) {
          try {
            const fresh = await fetchConference(conferenceId);
            qc.setQueryData(conferenceKey(conferenceId), fresh);
            const theirs = fresh.items.find((i) => i.id === item.id);
            if (theirs) setConflict({ theirs: toDraft(theirs.recommendation), version: theirs.version });
          } catch {
            // the stale error below still tells the user to reload
          }
          return;
        }
        setErrors(fieldErrors(err));
      },
    });
  };

  const submit = () => {
    const e: Errors = {};
    draft.dissent.forEach((x, n) => {
      if (!x.discipline && !x.note.trim()) return;
      if (!x.discipline) e[`dissent.${n}.discipline`] = 'Choose the dissenting group';
      if (!x.note.trim()) e[`dissent.${n}.note`] = 'Say what the group disagrees with';
    });
    setErrors(e);
    if (Object.keys(e).length > 0) return;
    put(base.version);
  };

  const useTheirs = () => {
    if (!conflict) return;
    setBase({ draft: conflict.theirs, version: conflict.version });
    setDraft(conflict.theirs);
    setConflict(null);
    save.reset();
    setStatus('Their version is loaded; your changes were discarded.');
  };

  return (
    <Card component="section" aria-labelledby="rec-editor-heading">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4" id="rec-editor-heading">Recommendation</Title>
        <Text size="xs" c={dirty ? 'orange.9' : 'dimmed'} fw={dirty ? 600 : undefined}>{dirty ? 'Unsaved changes' : 'All changes saved'}</Text>
      </Group>
      <div aria-live="polite">
        {conflict ? (
          <Alert color="yellow" title="Someone else changed this recommendation" role="alert" mb="md" data-testid="rec-conflict"
            styles={{ title: { color: 'var(--mantine-color-dark-7)' } }} icon={<span aria-hidden="true">⚠</span>}>
            <Text size="sm" mb="sm">They saved while you were editing. Compare the two versions, then keep one.</Text>
            <div className="tb-side-by-side">
              <div aria-labelledby="rec-mine-heading" role="group">
                <Text fw={700} size="sm" id="rec-mine-heading" mb={4}>Your version</Text>
                <RecommendationView rec={draft} compare={conflict.theirs} testId="rec-mine" />
              </div>
              <div aria-labelledby="rec-theirs-heading" role="group">
                <Text fw={700} size="sm" id="rec-theirs-heading" mb={4}>Their version</Text>
                <RecommendationView rec={conflict.theirs} compare={draft} testId="rec-theirs" />
              </div>
            </div>
            <Group mt="md" gap="sm">
              <Button color="yellow" onClick={() => put(conflict.version)} loading={save.isPending}>Keep mine (overwrite)</Button>
              <Button variant="default" onClick={useTheirs} disabled={save.isPending}>Use theirs</Button>
            </Group>
          </Alert>
        ) : save.error && !(save.error instanceof ApiError && save.error.isStale) ? (
          <ErrorAlert error={save.error} title="The recommendation was not saved" extra={unplacedErrors(errors, KNOWN)} />
        ) : null}
      </div>
      <form ref={formRef} onSubmit={onSubmit(submit)} noValidate aria-label="Recommendation">
        <Stack gap="sm">
          {TEXT_FIELDS.map((f) => f.long ? (
            <Textarea key={f.key} label={f.label} autosize minRows={f.key === 'planOfCare' ? 3 : 2} maxRows={14} maxLength={f.max}
              value={draft[f.key]} error={errors[f.key]} onChange={(e) => setText(f.key, e.currentTarget.value)} />
          ) : (
            <TextInput key={f.key} label={f.label} maxLength={f.max} value={draft[f.key]} error={errors[f.key]}
              description={f.key === 'trialToOffer' ? 'Trial matching is not available yet: name the trial by hand' : undefined}
              onChange={(e) => setText(f.key, e.currentTarget.value)} />
          ))}
          <fieldset style={{ border: 0, margin: 0, padding: 0 }}>
            <Text component="legend" size="sm" fw={500} mb={4}>Dissent</Text>
            {draft.dissent.length === 0 ? <Text size="xs" c="dimmed" mb={4}>No group has dissented.</Text> : null}
            <Stack gap="xs">
              {draft.dissent.map((x, n) => (
                <Group key={n} align="flex-start" gap="xs" wrap="nowrap" data-testid="dissent-row">
                  <NativeSelect aria-label={`Dissenting group ${n + 1}`} value={x.discipline} error={errors[`dissent.${n}.discipline`]} w={220}
                    data={[{ value: '', label: 'Choose a group' }, ...DISCIPLINES.map((d) => ({ value: d, label: disciplineLabel(d) }))]}
                    onChange={(e) => setDissent(n, { discipline: e.currentTarget.value as Discipline | '' })} />
                  <Textarea aria-label={`Dissent note ${n + 1}`} autosize minRows={1} maxLength={2000} value={x.note} style={{ flex: 1 }}
                    error={errors[`dissent.${n}.note`]} placeholder="What the group disagrees with, and why"
                    onChange={(e) => setDissent(n, { note: e.currentTarget.value })} />
                  <CloseButton aria-label={`Remove dissent ${n + 1}`} mt={6}
                    onClick={() => setDraft((d) => ({ ...d, dissent: d.dissent.filter((_, i) => i !== n) }))} />
                </Group>
              ))}
            </Stack>
            <Button variant="subtle" size="xs" mt={6} disabled={draft.dissent.length >= DISCIPLINES.length}
              onClick={() => setDraft((d) => ({ ...d, dissent: [...d.dissent, { discipline: '', note: '' }] }))}>
              Add dissent
            </Button>
          </fieldset>
          <Group justify="space-between">
            <Text size="sm" c="teal.9" fw={600} role="status" data-testid="rec-status">{status}</Text>
            <Button type="submit" loading={save.isPending && !conflict} disabled={!!conflict}>Save recommendation</Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
