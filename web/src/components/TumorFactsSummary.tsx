import { Text } from '@mantine/core';
import { useId } from 'react';
import type { Details, FactsContext } from '../lib/tumorFacts.js';
import { knownFacts, notRecorded } from '../lib/tumorFactsSummary.js';

/**
 * The structured tumour facts as a compact definition list in plain words, then the relevant facts not yet
 * recorded (muted), so a coordinator sees what to fill in before the conference.
 */
export function TumorFactsSummary({ details, context }: { details: Details; context: FactsContext }) {
  const headingId = useId();
  const known = knownFacts(details);
  const missing = notRecorded(details, context);
  return (
    <div data-testid="tumour-facts">
      <Text id={headingId} size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: 0.4 }} mb={4}>Clinical facts</Text>
      {known.length === 0 ? (
        <Text size="sm" c="dimmed">No clinical facts recorded yet.</Text>
      ) : (
        <dl className="facts-list" aria-labelledby={headingId}>
          {known.map((f) => (
            <div key={f.label} className="facts-list__item">
              <dt>{f.label}</dt>
              <dd>{f.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {missing.length > 0 ? (
        <Text size="sm" c="gray.7" mt={8} data-testid="facts-not-recorded">
          <Text span inherit fw={600}>Not recorded:</Text> {missing.join(', ')}
        </Text>
      ) : null}
    </div>
  );
}
