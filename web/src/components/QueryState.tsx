import { Center, Loader, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ApiError } from '../api/client.js';
import { ErrorAlert } from './ErrorAlert.js';

interface Props {
  isPending: boolean;
  error: unknown;
  label: string;
  children: ReactNode;
}

/** Loading spinner, a readable error (404/403 explained), or the content. */
export function QueryState({ isPending, error, label, children }: Props) {
  if (error) {
    if (error instanceof ApiError && error.status === 404) {
      return <ErrorAlert error={null} title="Not found" extra={[`This ${label} does not exist or is not shared with your institution.`]} />;
    }
    return <ErrorAlert error={error} title={`Could not load ${label}`} />;
  }
  if (isPending) {
    return (
      <Center py="xl" role="status" aria-live="polite">
        <Stack align="center" gap="xs">
          <Loader size="sm" aria-hidden />
          <Text size="sm" c="dimmed">Loading {label}…</Text>
        </Stack>
      </Center>
    );
  }
  return <>{children}</>;
}
