import { Badge, Code, Group, Paper, Stack, Text } from '@mantine/core';
import type { Explanation } from '../api/types.js';
import { codeLabel } from '../lib/clinicalLabels.js';

const capitalize = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);

/**
 * Why each output has its value: the output in words (and its path), the rule IDs from rules.md (as code badges) and the reason.
 * Where sources disagree the entry is highlighted; rules tagged [K] are marked "not re-checked".
 */
export function AssessmentExplanations({ explanations }: { explanations: Explanation[] }) {
  if (explanations.length === 0) return <Text size="sm" c="dimmed">No explanations were returned.</Text>;
  return (
    <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Explanations">
      {explanations.map((e, i) => (
        <Paper
          key={`${e.output}-${i}`}
          component="li"
          withBorder
          p="xs"
          data-testid="explanation"
          bg={e.disagreement ? 'yellow.0' : undefined}
          style={e.disagreement ? { borderLeft: '4px solid var(--mantine-color-yellow-6)' } : undefined}
        >
          <Group gap={6} wrap="wrap" mb={2}>
            <Text size="sm" fw={600}>{capitalize(codeLabel(e.output))}</Text>
            <Text span size="xs" c="gray.7" ff="monospace">{e.output}</Text>
            {e.rules.map((r) => (
              <Code key={r} fz="xs" color="indigo.0" c="indigo.9">{r}</Code>
            ))}
            {e.unverified ? (
              <Badge size="xs" variant="outline" color="gray" c="gray.8" title="Rule tagged [K]: standard knowledge not re-checked against a primary source">
                not re-checked
              </Badge>
            ) : null}
            {e.disagreement ? <Badge size="xs" color="yellow" variant="filled">sources disagree</Badge> : null}
          </Group>
          <Text size="sm">{e.text}</Text>
          {e.disagreement ? (
            <Text size="sm" mt={4}><Text span fw={700} c="orange.9">Sources disagree: </Text>{e.disagreement}</Text>
          ) : null}
        </Paper>
      ))}
    </Stack>
  );
}
