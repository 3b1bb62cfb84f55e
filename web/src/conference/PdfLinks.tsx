import { Anchor, Group } from '@mantine/core';
import { conferencePdfUrl } from './api.js';
import type { Conference } from './api.js';

/**
 * "Download agenda (PDF)" and "Download minutes (PDF)": the minutes are a draft until the meeting is finished (the
 * PDF then carries a DRAFT watermark); a cancelled meeting has an agenda but no minutes.
 */
export function PdfLinks({ c }: { c: Conference }) {
  return (
    <Group gap="md" wrap="wrap" data-testid="pdf-links">
      <Anchor href={conferencePdfUrl(c.id, 'agenda')} size="sm" fw={600}>Download agenda (PDF)</Anchor>
      {c.status !== 'cancelled' ? (
        <Anchor href={conferencePdfUrl(c.id, 'minutes')} size="sm" fw={600}>
          {c.status === 'finished' && c.minutesLockedAt ? 'Download minutes (PDF)' : 'Download draft minutes (PDF)'}
        </Anchor>
      ) : null}
    </Group>
  );
}
