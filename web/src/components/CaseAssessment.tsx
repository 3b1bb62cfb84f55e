import { Alert, Button, Code, List, Text } from '@mantine/core';
import { useNavigate } from 'react-router';
import { useCaseAssessment } from '../api/hooks.js';
import { AssessmentPanel } from './AssessmentPanel.js';
import { QueryState } from './QueryState.js';

/**
 * A registry case's assessment, or why there is none yet (no tumour, or facts the rules engine cannot accept).
 * Used on the case page and in the live meeting.
 */
export function CaseAssessment({ caseId, canTry = false, headingOrder, stacked }: {
  caseId: string; canTry?: boolean; headingOrder?: 2 | 3; stacked?: boolean;
}) {
  const navigate = useNavigate();
  const query = useCaseAssessment(caseId);
  return (
    <QueryState isPending={query.isPending} error={query.error} label="assessment">
      {query.data && query.data.assessment === null ? (
        <Alert color="yellow" title="No assessment yet" role="status">
          <Text size="sm">The rules engine cannot assess this case until these are fixed:</Text>
          <List size="sm" mt={4}>
            {query.data.errors.map((e) => <List.Item key={e.field}><Code>{e.field}</Code>: {e.message}</List.Item>)}
          </List>
        </Alert>
      ) : query.data?.assessment ? (
        <AssessmentPanel
          assessment={query.data.assessment}
          {...(headingOrder ? { headingOrder } : {})}
          {...(stacked ? { stacked } : {})}
          actions={canTry && (
            <Button size="xs" variant="light" onClick={() => navigate('/assessment', { state: { facts: query.data.facts } })}>
              Try changes in Assessment
            </Button>
          )}
        />
      ) : null}
    </QueryState>
  );
}
