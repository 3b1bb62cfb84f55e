import { Badge, Button, Card, Group, NativeSelect, Progress, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { RECORD_STATUSES, useUpdateRecord } from './api.js';
import type { RecordItem, RecordStatus, Records } from './api.js';
import { RECORD_STATUS_LABELS } from './labels.js';

/** The checklist in the order a coordinator works through it (the server's order is not guaranteed). */
const ORDER = ['outside_pathology_report', 'pathology_slides_blocks', 'bone_marrow', 'csf_cytology', 'x_ray_primary', 'mri_primary',
  'chest_ct', 'pet_or_bone_scan', 'brain_mri', 'labs'];
const CATEGORY_ORDER = ['pathology', 'imaging', 'labs'];
const rank = (i: RecordItem) => {
  const k = ORDER.indexOf(i.item);
  if (k >= 0) return k;
  const c = CATEGORY_ORDER.indexOf(i.category);
  return 100 + (c >= 0 ? c : CATEGORY_ORDER.length) * 100;
};
export function orderedItems(items: readonly RecordItem[]): RecordItem[] {
  return [...items].sort((a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label));
}

/** Counted against the required items (all items when none is marked required). */
export function readiness(records: Records): { done: number; total: number; waiting: string[] } {
  const open = new Set(records.outstanding.map((o) => o.item));
  const relevant = records.items.some((i) => i.required) ? records.items.filter((i) => i.required) : records.items;
  const done = relevant.filter((i) => !open.has(i.item)).length;
  const byKey = new Map(records.items.map((i) => [i.item, i]));
  const order = new Map(orderedItems(records.items).map((i, n) => [i.item, n]));
  const outstanding = [...records.outstanding].sort((a, b) => (order.get(a.item) ?? 999) - (order.get(b.item) ?? 999));
  const waiting = outstanding.map((o) => `${o.label} (${needsText(o.needs, byKey.get(o.item)?.reviewedBy ?? null) || RECORD_STATUS_LABELS[o.status] || o.status})`);
  return { done, total: relevant.length, waiting };
}

/** 'request' → "to request"; 'review' → "review by radiology". */
function needsText(needs: string, reviewedBy: string | null): string {
  if (needs === 'request') return 'to request';
  if (needs === 'receive') return 'to arrive';
  if (needs === 'review') return reviewedBy ? `review by ${reviewedBy}` : 'review';
  return needs;
}

/** "Reviewed" exists only for items our pathology or radiology reviews; the others are done when received. */
function statusOptions(item: RecordItem) {
  return RECORD_STATUSES.filter((s) => s !== 'reviewed' || item.reviewedBy || item.status === 'reviewed').map((s) => ({
    value: s,
    label: s === 'reviewed' && item.reviewedBy ? `Reviewed by ${item.reviewedBy}` : RECORD_STATUS_LABELS[s] ?? s,
  }));
}

function isDone(item: RecordItem): boolean {
  if (item.status === 'not_applicable') return true;
  return item.reviewedBy ? item.status === 'reviewed' : item.status === 'received' || item.status === 'reviewed';
}

function RecordRow({ item, referralId, caseId, canEdit, onReload }: { item: RecordItem; referralId: string; caseId: string; canEdit: boolean; onReload: () => void }) {
  const update = useUpdateRecord(referralId, caseId);
  const [note, setNote] = useState(item.note ?? '');
  const noteDirty = note.trim() !== (item.note ?? '').trim();
  const save = (status: RecordStatus) => update.mutate({ item: item.item, version: item.version, status, note: note.trim() || undefined });
  const done = isDone(item);
  return (
    <Table.Tr data-testid="record-row" data-item={item.item}>
      <Table.Td>
        <Text size="sm" fw={600} data-testid="record-label">{item.label}</Text>
        <Group gap={6} mt={2}>
          {done ? <Text size="xs" c="teal.9" fw={600}><span aria-hidden="true">✓ </span>Done</Text> : null}
          {item.required ? <Text size="xs" c="dimmed">Required</Text> : <Text size="xs" c="dimmed">Optional</Text>}
          {item.reviewedBy ? (
            <Text size="xs" c={item.status === 'reviewed' ? 'teal.9' : 'orange.9'}>
              {item.status === 'reviewed' ? `Reviewed by ${item.reviewedBy}` : `Needs review by ${item.reviewedBy}`}
            </Text>
          ) : null}
        </Group>
        {update.error ? <ErrorAlert error={update.error} title={`${item.label} was not saved`} onReload={onReload} /> : null}
      </Table.Td>
      <Table.Td>
        <NativeSelect
          aria-label={`Status of ${item.label}`}
          value={item.status}
          data={statusOptions(item)}
          disabled={!canEdit || update.isPending}
          onChange={(e) => save(e.currentTarget.value as RecordStatus)}
          w={220}
        />
      </Table.Td>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <TextInput aria-label={`Note for ${item.label}`} value={note} maxLength={2000} disabled={!canEdit || update.isPending}
            onChange={(e) => setNote(e.currentTarget.value)}
            onKeyDown={(e) => { if (e.key === 'Enter' && noteDirty) { e.preventDefault(); save(item.status); } }}
            style={{ flex: 1 }} miw={140} />
          {canEdit && noteDirty ? (
            <Button size="xs" variant="default" aria-label={`Save note for ${item.label}`} loading={update.isPending} onClick={() => save(item.status)}>
              Save note
            </Button>
          ) : null}
        </Group>
        <Text size="xs" c="dimmed" role="status" mt={2}>{update.isPending ? 'Saving…' : update.isSuccess ? 'Saved' : ''}</Text>
      </Table.Td>
    </Table.Tr>
  );
}

/** The records a case needs before conference, each with its state, and what the case is still waiting for. */
export function RecordsChecklist({ referralId, caseId, records, canEdit, onReload }: {
  referralId: string; caseId: string | null; records: Records; canEdit: boolean; onReload: () => void;
}) {
  const { done, total, waiting } = readiness(records);
  return (
    <Card component="section" aria-labelledby="records-heading">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="records-heading">Records checklist</Title>
        {records.complete ? <Badge color="teal" variant="light" radius="sm">Records complete</Badge> : null}
      </Group>
      {total === 0 ? (
        // No checklist (a referral not yet triaged, or one closed before checklists were kept): say so, not "0 of 0".
        <Text size="sm" c="gray.7" data-testid="records-readiness" role="status">
          No records are listed for this referral{records.complete ? '; its records were marked complete' : caseId ? ' yet' : ' yet: the checklist is set at triage'}.
        </Text>
      ) : (
        <>
          <Text size="sm" fw={600} data-testid="records-readiness" role="status">
            {done} of {total} complete{records.complete || waiting.length === 0 ? ' — nothing outstanding' : ` — waiting for: ${waiting.join(', ')}`}
          </Text>
          <Progress value={total ? (done / total) * 100 : 0} mt={6} mb="md" aria-hidden color={records.complete ? 'teal' : 'indigo'} />
          {!caseId ? <Text size="sm" c="dimmed">The checklist can be edited once the referral is linked to a case.</Text> : null}
          <Table.ScrollContainer minWidth={620}>
            <Table aria-label="Records checklist" verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Record</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Note</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {orderedItems(records.items).map((item) => (
                  <RecordRow key={item.item} item={item} referralId={referralId} caseId={caseId ?? ''}
                    canEdit={canEdit && !!caseId} onReload={onReload} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Card>
  );
}
