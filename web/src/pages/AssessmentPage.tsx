import { Button, Card, Grid, Group, List, NativeSelect, SegmentedControl, Stack, Text, Textarea, Title } from '@mantine/core';
import { useRef, useState } from 'react';
import { useLocation } from 'react-router';
import { ApiError, normalizeField } from '../api/client.js';
import { useAssess } from '../api/hooks.js';
import type { CaseFacts } from '../api/types.js';
import { AssessmentPanel } from '../components/AssessmentPanel.js';
import { CaseFactsForm } from '../components/CaseFactsForm.js';
import { draftToFacts, factsToDraft, formErrorKey } from '../lib/caseFactsDraft.js';
import type { CaseFactsDraft } from '../lib/caseFactsDraft.js';
import { isPlacedFactError } from '../lib/tumorFacts.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { PageHeader } from '../components/Layout.js';
import { onSubmit, unplacedErrors, useFormErrors } from '../lib/forms.js';
import { EXAMPLES } from '../lib/examples.js';
import { usePageTitle } from '../lib/usePageTitle.js';

const pretty = (facts: unknown) => JSON.stringify(facts, null, 2);

function initialFacts(state: unknown): Record<string, unknown> {
  const facts = (state as { facts?: unknown } | null)?.facts;
  return (facts && typeof facts === 'object' ? facts : EXAMPLES[0]?.facts ?? {}) as Record<string, unknown>;
}

/** Basics the form places at their field; structured facts are placed by the tumour facts fields. */
const BASIC_FIELDS = new Set(['ageYears', 'ageMonths', 'sex', 'morphology', 'topography', 'siteCategory', 'primarySite', 'laterality', 'sizeCm']);

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
  const [text, setText] = useState(() => pretty(initialFacts(location.state)));
  const [draft, setDraft] = useState<CaseFactsDraft>(() => factsToDraft(initialFacts(location.state)));
  // The form by default; the JSON (DESIGN §4, as `tumorboard assess` and the API take it) for what the form lacks.
  const [mode, setMode] = useState<'form' | 'json'>('form');
  const [example, setExample] = useState('');
  const [jsonError, setJsonError] = useState<string | null>(null);
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const fromCase = !!(location.state as { facts?: unknown } | null)?.facts;

  /** Switching keeps the facts: the form's become the JSON, the JSON's fill the form (if it parses). */
  const switchTo = (next: 'form' | 'json') => {
    if (next === mode) return;
    if (next === 'json') {
      const { facts, errors: e } = draftToFacts(draft);
      if (!facts) { setErrors(e); return; }
      setText(pretty(facts));
    } else {
      try {
        const parsed: unknown = JSON.parse(text);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('Case facts must be one JSON object');
        setDraft(factsToDraft(parsed as Record<string, unknown>));
      } catch (e) {
        setJsonError(describeJsonError(text, e));
        textRef.current?.focus();
        return;
      }
    }
    setJsonError(null);
    setErrors({});
    assess.reset();
    setMode(next);
  };

  const runForm = () => {
    const { facts, errors: e } = draftToFacts(draft);
    setErrors(e);
    if (!facts) return;
    assess.mutate(facts as CaseFacts, {
      onError: (err) => {
        if (!(err instanceof ApiError)) return;
        const placed: Record<string, string> = {};
        for (const i of err.issues) placed[formErrorKey(normalizeField(i.field))] ??= i.message;
        setErrors(placed);
      },
    });
  };

  const run = () => {
    if (mode === 'form') { runForm(); return; }
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
      <PageHeader title="Assessment" subtitle="Try case facts, in the form or as JSON, and see stage, risk, team and treatment template with the rules behind them. Nothing here is saved to a record." />
      <Grid gutter="lg">
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Card component="section" aria-labelledby="facts-heading">
            <Title order={2} size="h4" id="facts-heading" mb="sm">Case facts</Title>
            {fromCase ? <Text size="sm" c="dimmed" mb="sm">Loaded from a case. Changes here are not saved to the record.</Text> : null}
            <form ref={formRef} onSubmit={onSubmit(run)} noValidate aria-labelledby="facts-heading">
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
                      if (ex) {
                        setText(pretty(ex.facts)); setDraft(factsToDraft(ex.facts as Record<string, unknown>));
                        setJsonError(null); setErrors({}); assess.reset();
                      }
                    }}
                  />
                  {mode === 'json' ? (
                    <Button variant="default" onClick={() => {
                      try { setText(pretty(JSON.parse(text))); setJsonError(null); } catch (e) { setJsonError(describeJsonError(text, e)); }
                    }}>Format JSON</Button>
                  ) : null}
                </Group>
                <SegmentedControl aria-label="Edit the facts as" value={mode} onChange={(v) => switchTo(v as 'form' | 'json')}
                  data={[{ value: 'form', label: 'Form' }, { value: 'json', label: 'JSON' }]} />
                {mode === 'form' ? (
                  <>
                    <CaseFactsForm value={draft} onChange={setDraft} errors={errors} clearError={clearError} />
                    {unplacedErrors(errors, (k) => BASIC_FIELDS.has(k) || isPlacedFactError(k)).length > 0 ? (
                      <List size="sm" c="red.8" spacing={2} aria-label="Invalid facts">
                        {unplacedErrors(errors, (k) => BASIC_FIELDS.has(k) || isPlacedFactError(k)).map((m) => <List.Item key={m}>{m}</List.Item>)}
                      </List>
                    ) : null}
                  </>
                ) : null}
                {mode === 'json' ? <Textarea
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
                /> : null}
                {mode === 'json' && issues.length > 0 ? (
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
              <ErrorAlert error={null} title="The facts were not accepted" extra={[`${err.message} — ${mode === 'form' ? 'see the fields marked in the form' : 'see the list under the facts'}.`]} />
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
