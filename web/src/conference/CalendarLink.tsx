import { Anchor, Button, CopyButton, Group, Popover, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { calendarUrl } from './api.js';

/**
 * Calendar apps cannot sign in, so "Subscribe" issues a personal secret link (a new one revokes the old). The
 * plain .ics download uses the session.
 */
export function CalendarLink({ seriesId, seriesName }: { seriesId: string; seriesName: string }) {
  const issue = useMutation({ mutationFn: () => api.post<{ token: string; path: string }>(`/conference-series/${encodeURIComponent(seriesId)}/feed-token`) });
  const [opened, setOpened] = useState(false);
  const url = issue.data ? new URL(issue.data.path, window.location.origin).href : '';
  return (
    <Group gap="sm" wrap="nowrap">
      <Anchor href={calendarUrl(seriesId)} size="sm" aria-label={`Download calendar file: ${seriesName}`} style={{ whiteSpace: 'nowrap' }}>Download .ics</Anchor>
      <Popover width={420} position="bottom-end" withArrow trapFocus opened={opened} onChange={setOpened}>
        <Popover.Target>
          <Button size="compact-sm" variant="light" aria-label={`Subscribe in a calendar app: ${seriesName}`} aria-expanded={opened}
            onClick={() => { setOpened((o) => !o); if (!issue.data && !issue.isPending) issue.mutate(); }}>Subscribe</Button>
        </Popover.Target>
        <Popover.Dropdown>
          <Stack gap="xs">
            <Text size="sm" fw={600}>Your personal calendar link</Text>
            <Text size="xs" c="dimmed">Paste it into your calendar app (“subscribe to calendar” or “add from URL”). It shows meeting times and rooms only, no patient data. Keep it private; getting a new link turns the old one off.</Text>
            {issue.error ? <ErrorAlert error={issue.error} title="Could not create the link" /> : null}
            <TextInput readOnly value={url} placeholder={issue.isPending ? 'Creating link…' : ''} label="Calendar link" aria-label="Calendar link" onFocus={(e) => e.currentTarget.select()} data-testid="calendar-feed-url" />
            <Group justify="space-between">
              <Button size="compact-sm" variant="subtle" onClick={() => issue.mutate()} loading={issue.isPending}>New link</Button>
              <CopyButton value={url}>
                {({ copied, copy }) => <Button size="compact-sm" onClick={copy} disabled={!url}>{copied ? 'Copied' : 'Copy link'}</Button>}
              </CopyButton>
            </Group>
          </Stack>
        </Popover.Dropdown>
      </Popover>
    </Group>
  );
}
