import { Alert, Button, Group, Text } from '@mantine/core';
import { ApiError, errorMessage } from '../api/client.js';

interface Props {
  error: unknown;
  title?: string;
  /** Offered as a "Reload" button (e.g. after a 412 stale write). */
  onReload?: () => void;
  extra?: string[];
}

/** An error announced to screen readers (role=alert is an assertive live region). */
export function ErrorAlert({ error, title, onReload, extra = [] }: Props) {
  if (!error && extra.length === 0) return null;
  const stale = error instanceof ApiError && error.isStale;
  const heading = title ?? (stale ? 'Not saved' : error instanceof ApiError && error.status === 403 ? 'Not allowed' : 'Something went wrong');
  return (
    <Alert color={stale ? 'yellow' : 'red'} title={heading} role="alert" variant="light">
      {error ? <Text size="sm">{errorMessage(error)}</Text> : null}
      {extra.map((m) => (
        <Text size="sm" key={m}>{m}</Text>
      ))}
      {stale && onReload ? (
        <Group mt="xs">
          <Button size="xs" variant="white" color="yellow" onClick={onReload}>Reload</Button>
        </Group>
      ) : null}
    </Alert>
  );
}
