import { Button, Card, Group, NativeSelect, Radio, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { ApiError } from '../api/client.js';
import { useMe } from '../api/hooks.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatZonedTime } from './time.js';
import { DISCIPLINES, useCheckIn } from './api.js';
import type { AttendanceMode, Conference, Discipline } from './api.js';
import { MODE_LABELS, disciplineLabel } from './labels.js';

function CheckInForm({ c }: { c: Conference }) {
  const me = useMe().data;
  const checkIn = useCheckIn(c.id);
  const own = (DISCIPLINES as readonly string[]).includes(me?.discipline ?? '') ? (me!.discipline as Discipline) : DISCIPLINES[0];
  const [discipline, setDiscipline] = useState<Discipline>(own);
  const [mode, setMode] = useState<AttendanceMode>('in_person');
  const mine = c.attendance.find((a) => a.userId === me?.id);
  if (mine) {
    return (
      <Text size="sm" role="status" c="teal.9" fw={600} data-testid="checked-in">
        <span aria-hidden="true">✓ </span>You checked in at {formatZonedTime(mine.checkedInAt, c.timeZone)} for {disciplineLabel(mine.discipline)}, {MODE_LABELS[mine.mode]?.toLowerCase()}.
      </Text>
    );
  }
  const already = checkIn.error instanceof ApiError && checkIn.error.status === 409;
  return (
    <form aria-label="Check in" onSubmit={(e) => { e.preventDefault(); checkIn.mutate({ discipline, mode }); }}>
      <Stack gap="xs">
        <div aria-live="polite">
          {already ? <Text size="sm" role="status">You are already checked in.</Text>
            : checkIn.error ? <ErrorAlert error={checkIn.error} title="Not checked in" /> : null}
        </div>
        <NativeSelect label="Attending for" value={discipline} data={DISCIPLINES.map((d) => ({ value: d, label: disciplineLabel(d) }))}
          onChange={(e) => setDiscipline(e.currentTarget.value as Discipline)} />
        <Radio.Group label="How" value={mode} onChange={(v) => setMode(v as AttendanceMode)}>
          <Group gap="md" mt={4}>
            <Radio value="in_person" label="In person" />
            <Radio value="remote" label="Remote" />
          </Group>
        </Radio.Group>
        <Group justify="flex-end"><Button type="submit" loading={checkIn.isPending}>Check in</Button></Group>
      </Stack>
    </form>
  );
}

/** Who is here, by group, and the groups not represented yet; clinicians check themselves in. */
export function Attendance({ c, canCheckIn }: { c: Conference; canCheckIn: boolean }) {
  const byGroup = DISCIPLINES.map((d) => ({ d, people: c.attendance.filter((a) => a.discipline === d) }));
  const present = byGroup.filter((g) => g.people.length > 0);
  const missing = byGroup.filter((g) => g.people.length === 0).map((g) => disciplineLabel(g.d));
  const open = c.status === 'scheduled' || c.status === 'live';
  return (
    <Card component="section" aria-labelledby="attendance-heading">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="attendance-heading">Attendance</Title>
        <Text size="sm" c="dimmed" data-testid="attendance-count">{c.attendance.length} checked in · {present.length} of {DISCIPLINES.length} groups</Text>
      </Group>
      {canCheckIn && open ? <div style={{ marginBottom: 12 }}><CheckInForm c={c} /></div> : null}
      {present.length === 0 ? <Text size="sm" c="dimmed">Nobody has checked in yet.</Text> : (
        <Stack gap={6} component="ul" aria-label="Attendance by group" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {present.map(({ d, people }) => (
            <li key={d} data-testid="attendance-group" data-discipline={d}>
              <Text size="sm" fw={600}>{disciplineLabel(d)}</Text>
              {people.map((p) => (
                <Text key={p.userId} size="xs">
                  {p.displayName} · {MODE_LABELS[p.mode] ?? p.mode} · {formatZonedTime(p.checkedInAt, c.timeZone)}
                </Text>
              ))}
            </li>
          ))}
        </Stack>
      )}
      {missing.length > 0 ? <Text size="xs" c="dimmed" mt="sm">Not represented: {missing.join(', ')}.</Text> : null}
    </Card>
  );
}
