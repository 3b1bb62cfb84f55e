import { Button, Card, Grid, Group, List, NativeSelect, Stack, Text, Textarea, Title } from '@mantine/core';
import { useRef, useState } from 'react';
import { useLocation } from 'react-router';
import { ApiError, normalizeField } from '../api/client.js';
import { useAssess } from '../api/hooks.js';
import type { CaseFacts } from '../api/types.js';
import { AssessmentPanel } from '../components/AssessmentPanel.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { PageHeader } from '../components/Layout.js';
import { onSubmit } from '../lib/forms.js';
import { EXAMPLES } from '../lib/examples.js';
import { usePageTitle } from '../lib/usePageTitle.js';

const pretty = (facts: unknown) => JSON.stringify(facts, null, 2);

function initialFacts(state: unknown): string {
  const facts = (state as { facts?: unknown } | null)?.facts;
  return pretty(facts && typeof facts === 'object' ? facts : EXAMPLES[0]?.facts ?? {});
}

/** Where a JSON.parse error points, as "line L, column C" (engines report a character position). */
function describeJsonError(text: string, err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const pos = /position (\d+)/.exec(msg);
  if (!pos) return msg;
  const before = text.slice(0, Number(pos[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${msg.replace(/\s*\(line \d+ column \d+\)/, '')} (line ${line}, column ${column})`;
}

export function AssessmentPage() {
  usePageTitle('Assessment');
  const location = useLocation();
  const assess = useAssess();
  const textRef = useRef<HTMLTextAreaElement>(null);
  const [text, setText] = useState(() => initialFacts(location.state));
  const [example, setExample] = useState('');
  const [jsonError, setJsonError] = useState<string | null>(null);
  const fromCase = !!(location.state as { facts?: unknown } | null)?.facts;

  const run = () => {
    let facts: CaseFacts;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('Case facts must be one JSON object');
      facts = parsed as CaseFacts;
    } catch (e) {
      setJsonError(describeJsonError(text, e));
      assess.reset();
      textRef.current?.focus();
      return;
    }
    setJsonError(null);
    assess.mutate(facts, { onError: () => textRef.current?.focus() });
  };

  const err = assess.error;
  const issues = err instanceof ApiError ? err.issues : [];
  const fieldError = jsonError ?? (issues.length > 0 ? `${issues.length} fact${issues.length === 1 ? '' : 's'} invalid (listed below)` : undefined);

  return (
    <>
      <PageHeader title="Assessment" subtitle="Paste or edit the case facts as JSON, as the API takes them, and see stage, risk, team and treatment template with the rules behind them" />
      <Grid gutter="lg">
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Card component="section" aria-labelledby="facts-heading">
            <Title order={2} size="h4" id="facts-heading" mb="sm">Case facts</Title>
            {fromCase ? <Text size="sm" c="dimmed" mb="sm">Loaded from a case. Changes here are not saved to the record.</Text> : null}
            <form onSubmit={onSubmit(run)} noValidate aria-labelledby="facts-heading">
              <Stack gap="sm">
                <Group align="flex-end" gap="xs">
                  <NativeSelect
                    label="Start from an example"
                    value={example}
                    style={{ flex: 1 }}
                    data={[{ value: '', label: 'Choose an example…' }, ...EXAMPLES.map((e) => ({ value: e.id, label: e.label }))]}
                    onChange={(e) => {
                      const id = e.currentTarget.value;
                      setExample(id);
                      const ex = EXAMPLES.find((x) => x.id === id);
                      if (ex) { setText(pretty(ex.facts)); setJsonError(null); assess.reset(); }
                    }}
                  />
                  <Button variant="default" onClick={() => {
                    try { setText(pretty(JSON.parse(text))); setJsonError(null); } catch (e) { setJsonError(describeJsonError(text, e)); }
                  }}>Format JSON</Button>
                </Group>
                <Textarea
                  ref={textRef}
                  label="Case facts JSON"
                  description="Age in months, sizes in cm. Only age, sex, morphology, topography and site category are required."
                  autosize
                  minRows={16}
                  maxRows={36}
                  spellCheck={false}
                  autoCapitalize="off"
                  autoCorrect="off"
                  value={text}
                  error={fieldError}
                  onChange={(e) => { setText(e.currentTarget.value); setJsonError(null); }}
                  styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13, lineHeight: 1.45, color: 'var(--mantine-color-text)' } }}
                />
                {issues.length > 0 ? (
                  <List size="sm" c="red.8" spacing={2} aria-label="Invalid facts">
                    {issues.map((i) => (
                      <List.Item key={`${i.field}-${i.message}`}>
                        <Text span ff="monospace" size="sm">{normalizeField(i.field) || '(facts)'}</Text>: {i.message}
                      </List.Item>
                    ))}
                  </List>
                ) : null}
                <Group justify="flex-end">
                  <Button type="submit" loading={assess.isPending}>Assess</Button>
                </Group>
              </Stack>
            </form>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <div aria-live="polite">
            {err && issues.length === 0 ? <ErrorAlert error={err} title="Assessment failed" /> : null}
            {err && issues.length > 0 ? (
              <ErrorAlert error={null} title="The facts were not accepted" extra={[`${err.message} — see the list under the facts.`]} />
            ) : null}
          </div>
          {assess.data ? (
            <AssessmentPanel assessment={assess.data.assessment} stacked />
          ) : !err ? (
            <Card>
              <Text c="dimmed" size="sm">Press <strong>Assess</strong> to see the result here.</Text>
            </Card>
          ) : null}
        </Grid.Col>
      </Grid>
    </>
  );
}
