import { Group, Radio, Stack, Text, Textarea } from '@mantine/core';
import type { Errors } from '../lib/forms.js';
import { humanize } from '../lib/format.js';
import { CHECKLIST_ANSWERS } from './api.js';
import type { ChecklistAnswer, ChecklistItem } from './api.js';
import type { Draft } from './draft.js';
import { ANSWER_LABELS, RuleIds } from './labels.js';

/**
 * The tailoring checklist: one question per flag the case raised (age, site, exposure), each with the rule IDs it
 * comes from. Every question must be answered (yes, no or not applicable) before the plan can be signed.
 */
export function ChecklistEditor({ items, draft, errors, readOnly, onAnswer, onNote }: {
  items: readonly ChecklistItem[];
  draft: Draft['checklist'];
  errors: Errors;
  readOnly: boolean;
  onAnswer: (i: number, answer: ChecklistAnswer) => void;
  onNote: (i: number, note: string) => void;
}) {
  if (items.length === 0) return <Text size="sm" c="dimmed">The case raised no flag that needs a team decision.</Text>;
  return (
    <Stack gap="md" component="ol" className="tb-plain-list" aria-label="Tailoring questions">
      {items.map((q, i) => {
        const f = draft[i];
        if (!f) return null;
        const open = f.answer === null;
        return (
          <li key={q.flag} className="tb-question" data-testid="checklist-item" data-flag={q.flag} data-answered={open ? 'false' : 'true'}>
            <Radio.Group
              value={f.answer ?? ''}
              onChange={(v) => onAnswer(i, v as ChecklistAnswer)}
              error={errors[`checklist.${i}.answer`]}
              label={<Text span size="sm" fw={600}>{q.question}</Text>}
              description={
                <Group gap={6} component="span" mt={2} wrap="wrap">
                  <Text span size="xs" c="dimmed">{humanize(q.flag)}</Text>
                  <RuleIds rules={q.rules} />
                  {open ? <Text span size="xs" fw={700} c="orange.9" data-testid="not-answered">Not answered</Text> : null}
                </Group>
              }
              withAsterisk
            >
              <Group gap="lg" mt={6}>
                {CHECKLIST_ANSWERS.map((a) => <Radio key={a} value={a} label={ANSWER_LABELS[a]} disabled={readOnly} />)}
              </Group>
            </Radio.Group>
            <Textarea mt={6} size="xs" autosize minRows={1} maxRows={6} maxLength={2000} placeholder="Note (optional): what the team decided and why"
              aria-label={`Note on: ${q.question}`} value={f.note} disabled={readOnly} error={errors[`checklist.${i}.note`]}
              onChange={(e) => onNote(i, e.currentTarget.value)} />
          </li>
        );
      })}
    </Stack>
  );
}
