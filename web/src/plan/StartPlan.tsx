import { Alert, Button, Card, Code, Group, List, NativeSelect, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { fieldErrors } from '../api/client.js';
import { useCaseAssessment } from '../api/hooks.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { QueryState } from '../components/QueryState.js';
import { onSubmit, useFormErrors } from '../lib/forms.js';
import type { Errors } from '../lib/forms.js';
import { TEMPLATE_IDS, useCreatePlan } from './api.js';
import type { PlanAccess, TemplateId } from './api.js';
import { parseNumber } from './draft.js';
import { RuleIds } from './labels.js';

/**
 * A case without a plan: the template its assessment proposes (with the rules that chose it), and starting the plan
 * from it (or from another template the team picks). The plan starts as version 1, unsigned, with its tailoring
 * checklist unanswered.
 */
export function StartPlan({ caseId, access }: { caseId: string; access: PlanAccess }) {
  const assessment = useCaseAssessment(caseId);
  const create = useCreatePlan(caseId);
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const proposed = (assessment.data?.assessment?.treatmentTemplate ?? null) as TemplateId | null;
  const [templateId, setTemplateId] = useState<string>('');
  const [bsa, setBsa] = useState('');
  const [weight, setWeight] = useState('');
  useEffect(() => { if (proposed && !templateId) setTemplateId(proposed); }, [proposed]);
  const why = (assessment.data?.assessment?.explanations ?? []).filter((e) => e.output === 'treatmentTemplate');

  const submit = () => {
    const e: Errors = {};
    const b = parseNumber(bsa);
    const w = parseNumber(weight);
    if (b !== undefined && Number.isNaN(b)) e.bsaM2 = 'Enter a number, like 1.2';
    if (w !== undefined && Number.isNaN(w)) e.weightKg = 'Enter a number, like 38.5';
    if (!templateId) e.templateId = 'Choose a template';
    setErrors(e);
    if (Object.keys(e).length > 0) return;
    create.mutate({
      ...(templateId && templateId !== proposed ? { templateId: templateId as TemplateId } : {}),
      ...(b !== undefined ? { bsaM2: b } : {}), ...(w !== undefined ? { weightKg: w } : {}),
    }, { onError: (err) => setErrors(fieldErrors(err)) });
  };

  return (
    <Card component="section" aria-labelledby="start-plan-heading" maw={760}>
      <Title order={2} size="h4" id="start-plan-heading" mb="xs">No treatment plan yet</Title>
      <QueryState isPending={assessment.isPending} error={assessment.error} label="assessment">
        {assessment.data?.assessment === null ? (
          <Alert color="yellow" title="The case has no assessment" mb="md">
            <Text size="sm">A plan is built from the case's assessment. The rules engine cannot assess this case until these are fixed:</Text>
            <List size="sm" mt={4}>
              {assessment.data.errors.map((e) => <List.Item key={e.field}><Code>{e.field}</Code>: {e.message}</List.Item>)}
            </List>
          </Alert>
        ) : (
          <Stack gap="sm">
            <Text size="sm" data-testid="proposed-template">
              {proposed ? <>The assessment proposes template <Code fz="sm">{proposed}</Code>.</> : 'The assessment proposes no treatment template for this case: choose one.'}
            </Text>
            {why.length > 0 ? (
              <List size="xs" spacing={2}>
                {why.map((e, i) => <List.Item key={i}>{e.text} <RuleIds rules={e.rules} /></List.Item>)}
              </List>
            ) : null}
            {access.write ? (
              <form ref={formRef} onSubmit={onSubmit(submit)} noValidate aria-label="Start the treatment plan">
                <Stack gap="sm">
                  <div aria-live="polite">{create.error ? <ErrorAlert error={create.error} title="The plan was not started" /> : null}</div>
                  <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
                    <NativeSelect label="Template" withAsterisk value={templateId} error={errors.templateId}
                      data={[{ value: '', label: 'Choose a template' }, ...TEMPLATE_IDS.map((t) => ({ value: t, label: t === proposed ? `${t} (proposed)` : t }))]}
                      onChange={(e) => { setTemplateId(e.currentTarget.value); clearError('templateId'); }} />
                    <TextInput label="Body surface area (m²)" value={bsa} inputMode="decimal" error={errors.bsaM2} placeholder="not given"
                      description="optional: converts mg doses" onChange={(e) => { setBsa(e.currentTarget.value); clearError('bsaM2'); }} />
                    <TextInput label="Weight (kg)" value={weight} inputMode="decimal" error={errors.weightKg} placeholder="not given"
                      description="optional: converts mg/kg doses" onChange={(e) => { setWeight(e.currentTarget.value); clearError('weightKg'); }} />
                  </SimpleGrid>
                  <Text size="xs" c="dimmed">The plan starts as version 1 with the template's phases and doses, its local-control options and a tailoring checklist for the team to answer. Nothing is signed.</Text>
                  <Group>
                    <Button type="submit" loading={create.isPending}>Start the plan{templateId ? ` from ${templateId}` : ''}</Button>
                  </Group>
                </Stack>
              </form>
            ) : (
              <Text size="sm" c="dimmed">A clinician or coordinator can start the plan.</Text>
            )}
          </Stack>
        )}
      </QueryState>
    </Card>
  );
}
