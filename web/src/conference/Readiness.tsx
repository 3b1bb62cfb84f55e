import { Group, Text } from '@mantine/core';
import type { AgendaItem, ReadinessItem } from './api.js';
import { ReadyMark, listedName } from './labels.js';

function mark(ok: boolean | null) {
  if (ok === true) return { icon: '✓', word: 'Done', color: 'teal.9' };
  if (ok === false) return { icon: '✗', word: 'Missing', color: 'orange.9' };
  return { icon: '–', word: 'Not available yet', color: 'dimmed' };
}

function Line({ item }: { item: ReadinessItem }) {
  const m = mark(item.ok);
  return (
    <li data-testid="readiness-item" data-key={item.key} data-ok={String(item.ok)}>
      <Text span size="xs" c={m.color} fw={700} aria-hidden="true">{m.icon}</Text>
      <Text span size="xs" c={item.ok === null ? 'dimmed' : undefined}>
        <span className="visually-hidden">{m.word}: </span>
        <Text span inherit fw={item.ok === false ? 600 : undefined}>{item.label}</Text>
        {item.ok === null && !item.detail ? <Text span inherit c="dimmed"> (not available yet)</Text> : null}
        {item.detail ? <Text span inherit c={item.ok === false ? 'gray.8' : 'dimmed'}> — {item.detail}</Text> : null}
      </Text>
    </li>
  );
}

/** A case's readiness for conference: the overall mark, then every checklist item with what is missing. */
export function ReadinessChecklist({ item, compact = false }: { item: Pick<AgendaItem, 'readiness' | 'patientName'>; compact?: boolean }) {
  const { ready, items } = item.readiness;
  const open = items.filter((i) => i.ok === false).length;
  return (
    <div data-testid="readiness">
      <Group gap={6} mb={4} wrap="nowrap">
        <ReadyMark ready={ready} />
        {!ready && open > 0 ? <Text span size="xs" c="dimmed">{open} of {items.length} open</Text> : null}
      </Group>
      {compact && ready ? null : (
        <ul className="tb-readiness" aria-label={`Readiness of ${listedName(item.patientName)}`}>
          {items.map((i) => <Line key={i.key} item={i} />)}
        </ul>
      )}
    </div>
  );
}
