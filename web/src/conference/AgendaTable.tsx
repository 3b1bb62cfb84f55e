import { ActionIcon, Anchor, Badge, Button, Group, Modal, Paper, Stack, Table, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { DragEvent } from 'react';
import { Link } from 'react-router';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { useReorderAgenda, useRemoveAgendaItem } from './api.js';
import type { AgendaItem, Conference } from './api.js';
import { ITEM_STATUS_LABELS, KindBadge, listedName } from './labels.js';
import { ReadinessChecklist } from './Readiness.js';
import { formatZonedTime } from './time.js';

type Drop = { id: string; where: 'before' | 'after' } | null;

/** Moves `id` to just before/after `target` (or by one step), returning the new order of ids. */
export function reorder(ids: readonly string[], id: string, target: string, where: 'before' | 'after'): string[] {
  const rest = ids.filter((x) => x !== id);
  const at = rest.indexOf(target);
  if (at < 0) return [...ids];
  rest.splice(where === 'before' ? at : at + 1, 0, id);
  return rest;
}

function RemoveItem({ conference, item, onResult }: { conference: Conference; item: AgendaItem; onResult: (m: string) => void }) {
  const [open, setOpen] = useState(false);
  const remove = useRemoveAgendaItem(conference);
  return (
    <>
      <Button size="compact-xs" variant="subtle" color="red" aria-label={`Remove ${listedName(item.patientName)} from the agenda`} onClick={() => setOpen(true)}>
        Remove
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Remove from the agenda" centered>
        <Stack gap="md">
          <Text size="sm">Remove {listedName(item.patientName)} (MRN {item.mrn}) from this conference? The groups’ input for the case is kept.</Text>
          <div aria-live="polite">{remove.error ? <ErrorAlert error={remove.error} title="Not removed" /> : null}</div>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)} data-autofocus>Keep it</Button>
            <Button color="red" variant="light" loading={remove.isPending}
              onClick={() => remove.mutate(item.id, { onSuccess: () => { setOpen(false); onResult(`${listedName(item.patientName)} removed from the agenda.`); } })}>
              Remove case
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

interface Props {
  conference: Conference;
  /** Coordinators reorder and remove. */
  canArrange: boolean;
}

/**
 * The agenda in order: drag a row by its handle, or use the Move up / Move down buttons (keyboard). Every case
 * shows its readiness; cases that are not ready are marked with an icon and words as well as a bar, never hidden.
 */
export function AgendaTable({ conference: c, canArrange }: Props) {
  const reorderMut = useReorderAgenda(c.id);
  const [dragging, setDragging] = useState<string | null>(null);
  const [drop, setDrop] = useState<Drop>(null);
  const [announce, setAnnounce] = useState('');
  const [refocus, setRefocus] = useState<{ id: string; dir: 'up' | 'down' } | null>(null);
  const tableRef = useRef<HTMLTableElement>(null);
  const items = c.items;
  const ids = items.map((i) => i.id);
  const arrange = canArrange && (c.status === 'scheduled' || c.status === 'live');

  // After a keyboard move the row is re-rendered elsewhere: put focus back on the same button (or its twin at an end).
  useEffect(() => {
    if (!refocus) return;
    const q = (dir: string) => tableRef.current?.querySelector<HTMLButtonElement>(`button[data-move="${dir}"][data-item="${refocus.id}"]`);
    const btn = q(refocus.dir);
    (btn && btn.getAttribute('aria-disabled') !== 'true' ? btn : q(refocus.dir === 'up' ? 'down' : 'up') ?? btn)?.focus();
    setRefocus(null);
  }, [refocus, items]);

  const save = (next: string[], movedId: string) => {
    if (next.join() === ids.join()) return;
    const moved = items.find((i) => i.id === movedId);
    const name = moved ? listedName(moved.patientName) : 'Case';
    reorderMut.mutate({ version: c.version, itemIds: next }, {
      onSuccess: () => setAnnounce(`${name} moved to position ${next.indexOf(movedId) + 1} of ${next.length}.`),
      onError: () => setAnnounce(''),
    });
  };
  const step = (item: AgendaItem, dir: 'up' | 'down') => {
    if (reorderMut.isPending) return;
    const at = ids.indexOf(item.id);
    const to = dir === 'up' ? at - 1 : at + 1;
    if (to < 0 || to >= ids.length) return;
    setRefocus({ id: item.id, dir });
    save(reorder(ids, item.id, ids[to]!, dir === 'up' ? 'before' : 'after'), item.id);
  };

  const onDragStart = (e: DragEvent<HTMLElement>, id: string) => {
    e.dataTransfer.effectAllowed = 'move';
    e.dataTransfer.setData('text/plain', id);
    const row = (e.currentTarget as HTMLElement).closest('tr');
    if (row) e.dataTransfer.setDragImage(row, 16, 16);
    setDragging(id);
  };
  const onDragOver = (e: DragEvent<HTMLTableRowElement>, id: string) => {
    if (!dragging) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    const r = e.currentTarget.getBoundingClientRect();
    const where = e.clientY < r.top + r.height / 2 ? 'before' : 'after';
    if (drop?.id !== id || drop.where !== where) setDrop({ id, where });
  };
  const onDrop = (e: DragEvent<HTMLTableRowElement>) => {
    e.preventDefault();
    const moved = dragging ?? e.dataTransfer.getData('text/plain');
    if (moved && drop && drop.id !== moved && !reorderMut.isPending) save(reorder(ids, moved, drop.id, drop.where), moved);
    setDragging(null);
    setDrop(null);
  };
  const endDrag = () => { setDragging(null); setDrop(null); };

  if (items.length === 0) return <Text size="sm" c="dimmed" py="md">No cases on this agenda yet.</Text>;
  return (
    <>
      <div aria-live="polite" className="visually-hidden" data-testid="agenda-announce">{announce}</div>
      <div aria-live="polite">{reorderMut.error ? <ErrorAlert error={reorderMut.error} title="The order was not saved" /> : null}</div>
      {/* On a phone the agenda reads as cards (order, patient, time, readiness, input); arranging it is for wider screens. */}
      <Stack gap="xs" hiddenFrom="sm" component="ol" aria-label="Agenda" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {items.map((item, n) => (
          <Paper key={item.id} component="li" withBorder p="sm" radius="md" data-testid="agenda-card"
            className={item.readiness.ready || c.status === 'finished' ? undefined : 'tb-not-ready'}>
            <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
              <Text size="sm" fw={600}>{n + 1}. {listedName(item.patientName)}</Text>
              <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{formatZonedTime(item.plannedStart, c.timeZone)}</Text>
            </Group>
            <Group gap={4} mt={4}>
              <KindBadge kind={item.kind} />
              {item.status !== 'pending' ? <Text size="xs" c="dimmed">{ITEM_STATUS_LABELS[item.status]}</Text> : null}
            </Group>
            <Text size="sm" mt={4}>{item.diagnosis ?? <Text span inherit c="dimmed">Diagnosis not recorded</Text>}</Text>
            <Text size="xs" c="dimmed">{item.presenterName ? `Presenter: ${item.presenterName}` : 'Presenter not set'} · {item.estimatedMinutes} min</Text>
            <div style={{ marginTop: 6 }}><ReadinessChecklist item={item} /></div>
            <Anchor component={Link} to={`/conferences/${c.id}/cases/${item.caseId}/input`} size="sm" mt={4} display="inline-block"
              aria-label={`Discipline input: ${listedName(item.patientName)}`}>
              Discipline input ({item.inputs.length})
            </Anchor>
          </Paper>
        ))}
      </Stack>
      <Table.ScrollContainer minWidth={980} visibleFrom="sm">
        <Table ref={tableRef} aria-label="Agenda" aria-busy={reorderMut.isPending} fz="sm" verticalSpacing="sm" highlightOnHover={false}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={arrange ? 64 : 40}>#</Table.Th>
              <Table.Th>Patient</Table.Th>
              <Table.Th>Diagnosis and presenter</Table.Th>
              <Table.Th>Time</Table.Th>
              <Table.Th miw={300}>Readiness</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((item, n) => (
              <Table.Tr key={item.id} data-testid="agenda-row" data-item-id={item.id} data-ready={String(item.readiness.ready)}
                className={`tb-agenda-row${item.readiness.ready || c.status === 'finished' ? '' : ' tb-not-ready'}`}
                data-dragging={dragging === item.id ? 'true' : undefined} data-drop={drop?.id === item.id && dragging !== item.id ? drop.where : undefined}
                onDragOver={arrange ? (e) => onDragOver(e, item.id) : undefined} onDrop={arrange ? onDrop : undefined}>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    {arrange ? (
                      <span className="tb-drag-handle" draggable aria-hidden="true" title="Drag to reorder" data-testid="drag-handle"
                        onDragStart={(e) => onDragStart(e, item.id)} onDragEnd={endDrag}>⠿</span>
                    ) : null}
                    <Text span fw={700} data-testid="agenda-position">{n + 1}</Text>
                  </Group>
                  {item.status !== 'pending' ? <Text size="xs" c="dimmed">{ITEM_STATUS_LABELS[item.status]}</Text> : null}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" fw={600} data-testid="agenda-patient">{listedName(item.patientName)}</Text>
                  <Text size="xs" c="dimmed">MRN <Text span inherit ff="monospace">{item.mrn}</Text></Text>
                  <Group gap={4} mt={4}>
                    <KindBadge kind={item.kind} />
                    {item.proposed ? <Badge size="sm" variant="outline" color="gray" c="gray.8" radius="sm">Proposed</Badge> : null}
                  </Group>
                </Table.Td>
                <Table.Td maw={240}>
                  <Text size="sm">{item.diagnosis ?? <Text span inherit c="dimmed">Diagnosis not recorded</Text>}</Text>
                  <Text size="xs" c="dimmed" mt={2}>{item.presenterName ? `Presenter: ${item.presenterName}` : 'Presenter not set'}</Text>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text size="sm">{formatZonedTime(item.plannedStart, c.timeZone)}</Text>
                  <Text size="xs" c="dimmed">{item.estimatedMinutes} min</Text>
                </Table.Td>
                <Table.Td><ReadinessChecklist item={item} /></Table.Td>
                <Table.Td>
                  <Stack gap={6} align="flex-start">
                    <Anchor component={Link} to={`/conferences/${c.id}/cases/${item.caseId}/input`} size="sm"
                      aria-label={`Discipline input: ${listedName(item.patientName)}`} style={{ whiteSpace: 'nowrap' }}>
                      Discipline input ({item.inputs.length})
                    </Anchor>
                    {arrange ? (
                      <Group gap={4} wrap="nowrap">
                        {(['up', 'down'] as const).map((dir) => {
                          const end = dir === 'up' ? n === 0 : n === items.length - 1;
                          return (
                            <ActionIcon key={dir} variant="default" size="md" data-move={dir} data-item={item.id}
                              aria-label={`Move ${listedName(item.patientName)} ${dir}`} title={dir === 'up' ? 'Move up' : 'Move down'}
                              aria-disabled={end || reorderMut.isPending ? 'true' : undefined} data-disabled={end || undefined}
                              onClick={() => { if (!end) step(item, dir); }}>
                              <span aria-hidden="true">{dir === 'up' ? '↑' : '↓'}</span>
                            </ActionIcon>
                          );
                        })}
                        {c.status === 'scheduled' ? <RemoveItem conference={c} item={item} onResult={setAnnounce} /> : null}
                      </Group>
                    ) : null}
                  </Stack>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}
