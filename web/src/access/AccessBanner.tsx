import { Alert, Text } from '@mantine/core';
import type { GrantAccess } from '../api/types.js';
import { formatDate, formatDateTime } from '../lib/format.js';

/** What the reader must know when a record of another institution is open through a grant (issue #9 item 2). */
export function AccessBanner({ access }: { access: GrantAccess | undefined }) {
  if (!access) return null;
  if (access.basis === 'btg') {
    return (
      <Alert color="red" variant="filled" title="Emergency access: every view is recorded and reviewed" role="status" mb="md">
        <Text size="sm">Read-only access through break-the-glass until {formatDateTime(access.until)}.</Text>
      </Alert>
    );
  }
  return (
    <Alert color="blue" variant="light" title={`Shared for second opinion by ${access.sharedBy ?? 'another institution'} until ${formatDate(access.until)}`} role="status" mb="md">
      <Text size="sm">Read-only; every view is recorded. Add your second opinion below.</Text>
    </Alert>
  );
}
