import { Alert, Anchor, Button, Card, Group, Menu, Modal, Stack, Text, Textarea, Title, UnstyledButton } from '@mantine/core';
import { useId, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { fieldErrors } from '../api/client.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatDate, formatDateTime } from '../lib/format.js';
import { onSubmit, useFormErrors } from '../lib/forms.js';
import { CURATED_STATUSES, NEEDS_REASON, SCREENING_STATUSES, useCaseTrialMatches, useLogScreening, useTrialAccess } from './api.js';
import type { CriterionMatch, DataRequest, ScreeningEvent, ScreeningStatus, TrialMatch, TrialVerdict } from './api.js';
import {
  CRITERION_STATUS, CriterionVerdictMark, ScreeningBadge, TRIAL_VERDICT, TrialVerdictBadge, factLabel, networkLabel, phasesLabel, plural, screeningLabel,
} from './labels.js';
import './trials.css';

const GROUPS: TrialVerdict[] = ['eligible', 'possible', 'not_eligible'];

const clip = (s: string, n = 140) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** What the server's label map knows (data requests carry the clinician wording). */
function useFactLabels(requests: readonly DataRequest[]) {
  return useMemo(() => new Map(requests.map((r) => [r.fact, r.label])), [requests]);
}

function CriterionRow({ c, labels }: { c: CriterionMatch; labels: ReadonlyMap<string, string> }) {
  const curated = CURATED_STATUSES.has(c.status);
  return (
    <li className="tb-trials-verdict-row" data-testid="criterion-match" data-verdict={c.verdict} data-criterion={c.id}>
      <div><CriterionVerdictMark verdict={c.verdict} size="xs" /></div>
      <div>
        <Text size="xs" c="dimmed">
          {c.kind === 'exclusion' ? 'Exclusion' : 'Inclusion'} <Text span ff="monospace" inherit>{c.id}</Text>
          {c.kind === 'exclusion' && c.condition ? ` · excluding condition ${c.condition === 'unknown' ? 'not known' : c.condition}` : ''}
        </Text>
        <Text size="sm" className="tb-trials-prewrap">{c.text}</Text>
        <Text size="xs" mt={2}><Text span inherit fw={600}>Evidence: </Text>{c.evidence}</Text>
        {c.missing.length ? (
          <Text size="xs" c="orange.9" mt={2} data-testid="criterion-needs"><Text span inherit fw={600}>Needs: </Text>{c.missing.map((f) => factLabel(f, labels)).join('; ')}</Text>
        ) : null}
        <Text size="xs" c="dimmed" mt={2}>Rule: {c.rule}</Text>
        {c.policy === 'assume_met' ? <Text size="xs" fw={600} mt={2}>Assumed met by curator policy — to be confirmed at enrollment</Text> : null}
        {!curated ? <Text size="xs" c="dimmed" mt={2}>Curation: {CRITERION_STATUS[c.status].label.toLowerCase()}</Text> : null}
      </div>
    </li>
  );
}

/** The facts of a trial that would settle it, then the other facts it lacks, then what needs a clinician. */
function WhyLines({ m, labels, compact }: { m: TrialMatch; labels: ReadonlyMap<string, string>; compact: boolean }) {
  const n = (v: CriterionMatch['verdict']) => m.criteria.filter((c) => c.verdict === v).length;
  const uncurated = m.criteria.filter((c) => !CURATED_STATUSES.has(c.status)).length;
  const counts = `${n('met')} met · ${n('not_met')} not met · ${n('unknown')} need data · ${n('needs_review')} need clinician review`;
  if (m.verdict === 'not_eligible') {
    const failed = m.criteria.filter((c) => c.verdict === 'not_met').slice(0, compact ? 1 : 3);
    return (
      <Stack gap={2} mt={4}>
        {failed.map((c) => (
          <Text key={c.id} size="xs" data-testid="failed-criterion">
            <Text span inherit fw={600} c="red.9"><span aria-hidden="true">✗ </span>Not met: </Text>“{clip(c.text, 110)}” — {c.evidence}
          </Text>
        ))}
        {failed.length === 0 ? <Text size="xs">No open arm or cohort.</Text> : null}
      </Stack>
    );
  }
  const other = m.missing.filter((f) => !m.blocking.includes(f));
  const assumed = m.criteria.filter((c) => c.policy === 'assume_met').length;
  return (
    <Stack gap={2} mt={4}>
      <Text size="xs" c="dimmed" data-testid="criteria-counts">{plural(m.criteria.length, 'criterion', 'criteria')}: {counts}</Text>
      {m.blocking.length ? (
        <Text size="xs" data-testid="settled-by"><Text span inherit fw={600}>Would be settled by: </Text>{m.blocking.map((f) => factLabel(f, labels)).join('; ')}</Text>
      ) : null}
      {other.length ? <Text size="xs"><Text span inherit fw={600}>Also needs: </Text>{other.map((f) => factLabel(f, labels)).join('; ')}</Text> : null}
      {uncurated ? <Text size="xs" c="dimmed">{plural(uncurated, 'criterion', 'criteria')} not yet curated: the verdict stays “possible” until a curator reviews them.</Text> : null}
      {m.curation.stale ? <Text size="xs" fw={600} c="orange.9"><span aria-hidden="true">⚠ </span>Criteria changed on the registry — review pending.</Text> : null}
      {assumed ? <Text size="xs" c="dimmed">{plural(assumed, 'criterion', 'criteria')} assumed met by curator policy, to be confirmed.</Text> : null}
    </Stack>
  );
}

function ReasonForm({ status, nct, pending, serverError, onSubmitReason, onCancel }: {
  status: ScreeningStatus; nct: string; pending: boolean; serverError: unknown; onSubmitReason: (reason: string, onError: (e: unknown) => void) => void; onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const what = status === 'declined' ? 'Why was the trial declined?' : 'Why is the child not eligible?';
  const submit = () => {
    if (!reason.trim()) { setErrors({ reason: `Say why (${screeningLabel(status).toLowerCase()})` }); return; }
    setErrors({});
    onSubmitReason(reason.trim(), (err) => setErrors(fieldErrors(err)));
  };
  return (
    <form ref={formRef} onSubmit={onSubmit(submit)} noValidate aria-label={`Reason: ${screeningLabel(status)}`}>
      <Stack gap="md">
        <Text size="sm">Logs <Text span inherit fw={600}>{screeningLabel(status)}</Text> for <Text span ff="monospace" inherit>{nct}</Text> in this case's screening log.</Text>
        <div aria-live="polite">{serverError && !errors.reason ? <ErrorAlert error={serverError} title="Not logged" /> : null}</div>
        <Textarea label="Reason" withAsterisk description={what} autosize minRows={2} maxRows={6} maxLength={1000} value={reason} error={errors.reason} data-autofocus
          onChange={(e) => { setReason(e.currentTarget.value); clearError('reason'); }} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>Cancel</Button>
          <Button type="submit" loading={pending}>Log {screeningLabel(status).toLowerCase()}</Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The screening-log state of one trial for the case, and the menu to log the next step. */
function Screening({ caseId, m, canScreen, history, onLogged }: {
  caseId: string; m: TrialMatch; canScreen: boolean; history: ScreeningEvent[] | undefined; onLogged: (msg: string, history: ScreeningEvent[]) => void;
}) {
  const log = useLogScreening(caseId);
  const [asking, setAsking] = useState<ScreeningStatus | null>(null);
  const s = m.screening;
  const trialId = m.id;
  const send = (status: ScreeningStatus, reason?: string, onError?: (e: unknown) => void) => {
    if (!trialId) return;
    log.mutate({ trialId, status, reason }, {
      onSuccess: (saved) => {
        setAsking(null);
        onLogged(`${m.trialId}: logged ${screeningLabel(status).toLowerCase()}${reason ? ` (${reason})` : ''}.`, saved.history);
      },
      onError: (e) => onError?.(e),
    });
  };
  return (
    <div className="tb-trials-screening" data-testid="screening">
      <Group gap={6} wrap="wrap" align="center">
        <Text span size="xs" c="dimmed">Screening log:</Text>
        {s ? <ScreeningBadge status={s.status as ScreeningStatus} /> : <Text span size="xs" c="dimmed" data-testid="screening-status" data-status="">Nothing logged</Text>}
        {s ? <Text span size="xs" c="dimmed">{formatDate(s.updatedAt)}</Text> : null}
        {canScreen && trialId ? (
          <Menu position="bottom-end" withinPortal shadow="md">
            <Menu.Target>
              <Button size="compact-xs" variant="default" aria-label={`Log a screening step for ${m.trialId}`} loading={log.isPending && !asking}>Log step ▾</Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>Log for {m.trialId}</Menu.Label>
              {SCREENING_STATUSES.map((st) => (
                <Menu.Item key={st} onClick={() => { log.reset(); if (NEEDS_REASON.has(st)) setAsking(st); else send(st); }}>
                  {screeningLabel(st)}{NEEDS_REASON.has(st) ? '… (with reason)' : ''}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        ) : null}
      </Group>
      {s?.reason ? <Text size="xs" mt={2} data-testid="screening-reason"><Text span inherit fw={600}>Reason: </Text>{s.reason}</Text> : null}
      {history?.length ? (
        <ol className="tb-trials-history" aria-label={`Screening history of ${m.trialId}`}>
          {history.map((h) => (
            <li key={h.id}>{screeningLabel(h.status)}{h.reason ? ` — ${h.reason}` : ''} · {h.user_name ?? 'unknown user'} · {formatDateTime(h.at)}</li>
          ))}
        </ol>
      ) : null}
      {!asking && log.error ? <div aria-live="polite"><ErrorAlert error={log.error} title="Not logged" /></div> : null}
      <Modal opened={asking !== null} onClose={() => setAsking(null)} title={asking ? `${screeningLabel(asking)} — ${m.trialId}` : ''} centered>
        {asking ? (
          <ReasonForm status={asking} nct={m.trialId} pending={log.isPending} serverError={log.error}
            onCancel={() => setAsking(null)} onSubmitReason={(reason, onError) => send(asking, reason, onError)} />
        ) : null}
      </Modal>
    </div>
  );
}

function TrialItem({ caseId, m, labels, compact, canScreen, showScreening, history, onLogged }: {
  caseId: string; m: TrialMatch; labels: ReadonlyMap<string, string>; compact: boolean; canScreen: boolean; showScreening: boolean;
  history: ScreeningEvent[] | undefined; onLogged: (msg: string, history: ScreeningEvent[]) => void;
}) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  return (
    <li className="tb-trials-match" data-testid="trial-match" data-nct={m.trialId} data-verdict={m.verdict}>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
        <div style={{ flex: '1 1 320px', minWidth: 0 }}>
          <UnstyledButton className="tb-trials-disclosure" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((o) => !o)}
            data-testid="trial-match-toggle">
            <span aria-hidden="true" className="tb-trials-caret">{open ? '▾' : '▸'}</span>
            <Text span ff="monospace" fw={700} size="sm">{m.trialId}</Text>
            <Text span size="sm" fw={500}> {m.title ?? ''}</Text>
            <span className="visually-hidden">{open ? ' (hide criteria)' : ' (show criteria)'}</span>
          </UnstyledButton>
          <Group gap={6} mt={4} wrap="wrap">
            <TrialVerdictBadge verdict={m.verdict} />
            <Text span size="xs" c="dimmed">{networkLabel(m.network)} · {phasesLabel(m.phases)}</Text>
            {m.id ? <Anchor component={Link} to={`/trials/${m.id}`} size="xs">Trial details<span className="visually-hidden"> for {m.trialId}</span></Anchor> : null}
          </Group>
          <WhyLines m={m} labels={labels} compact={compact} />
        </div>
        {showScreening ? <Screening caseId={caseId} m={m} canScreen={canScreen} history={history} onLogged={onLogged} /> : null}
      </Group>
      {open ? (
        <div id={panelId} className="tb-trials-match-detail">
          {m.scopes?.length ? (
            <Text size="xs" mb={4}>Arms and cohorts: {m.scopes.map((s) => `${s.label} — ${TRIAL_VERDICT[s.verdict].label.toLowerCase()}${s.open ? '' : ' (closed)'}`).join('; ')}</Text>
          ) : null}
          <ul className="tb-trials-verdicts" aria-label={`Criteria of ${m.trialId}`}>
            {m.criteria.map((c) => <CriterionRow key={`${c.scope}-${c.id}`} c={c} labels={labels} />)}
          </ul>
        </div>
      ) : <div id={panelId} hidden />}
    </li>
  );
}

function DataRequests({ requests, compact }: { requests: DataRequest[]; compact: boolean }) {
  const [all, setAll] = useState(false);
  if (requests.length === 0) return null;
  const shown = compact && !all ? requests.slice(0, 3) : requests;
  return (
    <section aria-labelledby="data-requests-heading" className="tb-trials-requests" data-testid="data-requests">
      <Text fw={700} size="sm" id="data-requests-heading">Data that would settle “possible” trials</Text>
      <Text size="xs" c="dimmed" mb={4}>Ranked by how many trials each would settle on its own.</Text>
      <ol>
        {shown.map((r) => (
          <li key={r.fact} data-testid="data-request" data-fact={r.fact}>
            <Text span size="sm"><Text span inherit fw={600}>{r.label.charAt(0).toUpperCase()}{r.label.slice(1)}</Text> would settle {plural(r.unblocks, 'trial')}</Text>
            <Text span size="xs" c="dimmed"> ({r.trials.join(', ')})</Text>
          </li>
        ))}
      </ol>
      {compact && requests.length > 3 ? (
        <Button size="compact-xs" variant="subtle" onClick={() => setAll((a) => !a)} aria-expanded={all}>
          {all ? 'Show fewer' : `Show all ${requests.length}`}
        </Button>
      ) : null}
    </section>
  );
}

/**
 * A case's clinical-trial matches (issue 7), for the case page and the live conference: trials grouped Eligible /
 * Possible / Not eligible, each expandable to per-criterion verdicts with evidence; the facts that would settle the
 * most "possible" trials; and the screening log with an action menu (users with trial.screen).
 */
export function TrialMatchesPanel({ caseId, compact = false, headingOrder = 2 }: { caseId: string; compact?: boolean; headingOrder?: 2 | 3 }) {
  const { read, screen } = useTrialAccess();
  const query = useCaseTrialMatches(read ? caseId : undefined);
  const [announce, setAnnounce] = useState('');
  const [histories, setHistories] = useState<Record<string, ScreeningEvent[]>>({});
  const [showNotEligible, setShowNotEligible] = useState(!compact);
  const d = query.data;
  const labels = useFactLabels(d?.dataRequests ?? []);
  const headingId = useId();
  const by = (v: TrialVerdict) => (d?.matches ?? []).filter((m) => m.verdict === v);
  const onLogged = (trialId: string | null) => (msg: string, history: ScreeningEvent[]) => {
    setAnnounce(msg);
    if (trialId) setHistories((h) => ({ ...h, [trialId]: history }));
  };
  // Without trial.read there is nothing to show (the server would refuse): the host page needs no check of its own.
  if (!read) return null;

  return (
    <Card component="section" aria-labelledby={headingId} data-testid="trial-matches" className="tb-trials-panel">
      <Group justify="space-between" align="baseline" wrap="wrap" mb={4}>
        <Title order={headingOrder} size="h4" id={headingId}>Clinical trials</Title>
        {d?.available ? (
          <Text size="sm" data-testid="match-totals">
            {by('eligible').length} eligible · {by('possible').length} possible · {by('not_eligible').length} not eligible
          </Text>
        ) : null}
      </Group>
      <Text role="status" size="sm" fw={600} c="teal.9" data-testid="screening-announce">{announce}</Text>
      {query.isPending ? <Text size="sm" c="dimmed" role="status">Matching this case against the trials…</Text> : null}
      <div aria-live="polite">{query.error ? <ErrorAlert error={query.error} title="Could not match trials" /> : null}</div>
      {d && !d.available ? (
        <Alert color="yellow" variant="light" title="Trial matching is not available for this case yet" data-testid="matches-unavailable">
          <Text size="sm">{d.reason ?? 'The case facts are incomplete.'}</Text>
        </Alert>
      ) : null}
      {d?.available ? (
        <>
          <Text size="xs" c="dimmed" mb="sm">
            Matched {d.computedAt ? formatDateTime(d.computedAt) : 'now'}{d.ageNote ? `; ${d.ageNote}` : ''}. Verdicts are decision support: each criterion shows its evidence, and
            nothing missing is assumed.
          </Text>
          {d.readOnly ? (
            <Text size="sm" mb="sm" data-testid="matches-read-only">
              Matched for your review against every trial in the registry, your institution's local trials included. The owner
              institution keeps its own screening log, which is not shown here.
            </Text>
          ) : null}
          {d.matches.length === 0 ? <Text size="sm" c="dimmed">No trials in the registry yet.</Text> : null}
          <DataRequests requests={d.dataRequests} compact={compact} />
          {GROUPS.map((v) => {
            const items = by(v);
            if (d.matches.length === 0) return null;
            const collapsed = v === 'not_eligible' && !showNotEligible;
            const gid = `${headingId}-${v}`;
            return (
              <section key={v} aria-labelledby={gid} className="tb-trials-group" data-testid="match-group" data-verdict={v}>
                <Group justify="space-between" align="center" mb={4}>
                  <Title order={headingOrder === 2 ? 3 : 4} size="h5" id={gid} c={`${TRIAL_VERDICT[v].color}.9`}>
                    <span aria-hidden="true">{TRIAL_VERDICT[v].icon} </span>{TRIAL_VERDICT[v].plural} ({items.length})
                  </Title>
                  {v === 'not_eligible' && items.length > 0 ? (
                    <Button size="compact-xs" variant="subtle" aria-expanded={!collapsed} onClick={() => setShowNotEligible((s) => !s)}>
                      {collapsed ? `Show ${items.length}` : 'Hide'}
                    </Button>
                  ) : null}
                </Group>
                {items.length === 0 ? <Text size="sm" c="dimmed">None.</Text> : null}
                {!collapsed && items.length > 0 ? (
                  <ul className="tb-trials-matches" aria-label={TRIAL_VERDICT[v].plural}>
                    {items.map((m) => (
                      <TrialItem key={m.trialId} caseId={caseId} m={m} labels={labels} compact={compact} canScreen={screen && !d.readOnly} showScreening={!d.readOnly}
                        history={(m.id ? histories[m.id] : undefined) ?? m.screening?.history} onLogged={onLogged(m.id)} />
                    ))}
                  </ul>
                ) : null}
              </section>
            );
          })}
        </>
      ) : null}
    </Card>
  );
}
