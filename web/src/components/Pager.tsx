import { Button, Group, Text } from '@mantine/core';

interface Props {
  total: number;
  limit: number;
  offset: number;
  onChange: (offset: number) => void;
  /** What the rows are, e.g. "patients". */
  noun: string;
}

/** "Showing 26–50 of 112 patients" with Previous / Next page buttons. */
export function Pager({ total, limit, offset, onChange, noun }: Props) {
  const page = Math.floor(offset / limit) + 1;
  const pages = Math.max(1, Math.ceil(total / limit));
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + limit, total);
  return (
    <nav aria-label={`Pages of ${noun}`}>
    <Group justify="space-between" mt="sm">
      <Text size="sm" c="dimmed" aria-live="polite">
        {total === 0 ? `No ${noun}` : `Showing ${first}–${last} of ${total} ${noun}`}
      </Text>
      <Group gap="xs">
        <Button variant="default" size="xs" disabled={page <= 1} onClick={() => onChange(Math.max(0, offset - limit))}>
          Previous page
        </Button>
        <Text size="sm">Page {page} of {pages}</Text>
        <Button variant="default" size="xs" disabled={page >= pages} onClick={() => onChange(offset + limit)}>
          Next page
        </Button>
      </Group>
    </Group>
    </nav>
  );
}
