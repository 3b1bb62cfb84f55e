import { Alert, Badge, Button, Card, Checkbox, Group, NativeSelect, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { fieldErrors, normalizeField } from '../api/client.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { onSubmit, useFormErrors } from '../lib/forms.js';
import { CURATED_STATUSES, useSaveDefinition } from './api.js';
import type { Criterion, CurationStatus, Scope, TrialDefinition, TrialDetail } from './api.js';
import { ruleTree } from './expr.js';
import { RuleForm } from './RuleForm.js';
import type { RuleNode } from './expr.js';
import { CriterionStatusBadge, plural } from './labels.js';

/** A curator's choices for one criterion; everything else in the definition is sent back as it came. */
/** `exprText`: the rule as JSON when the curator rewrote it (null = the drafted rule unchanged). */
interface Edit { status: CurationStatus; note: string; assumeMet: boolean; exprText: string | null }
/** A scope without its criteria (which live in `placement`): arms and cohorts can be added, closed and removed. */
type ScopeShape = Omit<Scope, 'criteria'>;
/**
 * The curator's edits and the version they started from (what "saved" means, and what If-Match sends): per-criterion
 * decisions, the scopes (whole trial, steps, arms, cohorts) and which scope each criterion applies to.
 */
interface Draft { base: TrialDetail; edits: Record<string, Edit>; curationNote: string; scopes: ScopeShape[]; placement: Record<string, string> }

const editOf = (c: Criterion): Edit => ({ status: c.status, note: c.note ?? '', assumeMet: c.policy === 'assume_met', exprText: null });

function draftFrom(t: TrialDetail): Draft {
  const edits: Record<string, Edit> = {};
  const placement: Record<string, string> = {};
  for (const s of t.definition.scopes) for (const c of s.criteria) { edits[c.id] = editOf(c); placement[c.id] = s.id; }
  const scopes = t.definition.scopes.map(({ criteria: _c, ...shape }) => shape);
  return { base: t, edits, curationNote: t.definition.curation.note ?? '', scopes, placement };
}

/** How the scope structure differs from the saved one: a count for the "N changes not saved" line. */
function structureChanges(d: Draft): number {
  const saved = draftFrom(d.base);
  const key = (x: ScopeShape) => `${x.id}|${x.kind}|${x.label}|${x.open}`;
  const was = new Set(saved.scopes.map(key));
  const now = new Set(d.scopes.map(key));
  return [...now].filter((k) => !was.has(k)).length + [...was].filter((k) => !now.has(k)).length
    + Object.keys(d.placement).filter((id) => d.placement[id] !== saved.placement[id]).length;
}

const changed = (a: Edit, b: Edit) => a.status !== b.status || a.note.trim() !== b.note.trim() || a.assumeMet !== b.assumeMet || a.exprText !== b.exprText;

/** The rewritten rule, or undefined when its JSON does not parse (the card says so and saving waits). */
function parsedExpr(e: Edit): unknown {
  if (e.exprText === null) return null;
  try { return JSON.parse(e.exprText); } catch { return undefined; }
}

/** The definition to save: the server's, with the curator's statuses, notes and policies. */
function definitionFrom(d: Draft): TrialDefinition {
  const def = d.base.definition;
  const note = d.curationNote.trim();
  const { note: _old, ...curation } = def.curation;
  return {
    ...def,
    curation: note ? { ...curation, note } : curation,
    // Criteria keep their drafted order within the scope the curator placed them in.
    scopes: d.scopes.map((s) => ({
      ...s,
      criteria: def.scopes.flatMap((x) => x.criteria).filter((c) => (d.placement[c.id] ?? 'trial') === s.id).map((c) => {
        const e = d.edits[c.id] ?? editOf(c);
        const { note: _n, policy: _p, ...rest } = c;
        const expr = parsedExpr(e);
        return {
          ...rest,
          ...(expr ? { expr: expr as Criterion['expr'] } : {}),
          status: e.status,
          ...(e.note.trim() ? { note: e.note.trim() } : {}),
          ...(e.assumeMet ? { policy: 'assume_met' as const } : {}),
        };
      }),
    })),
  };
}

/** A rule typed as JSON may not have the right shape yet: say so instead of failing to draw it (the server names the field). */
function safeTree(expr: unknown): RuleNode {
  try {
    return ruleTree(expr as Criterion['expr']);
  } catch {
    return { text: 'This rule cannot be read in words yet; saving shows what is wrong with it.' };
  }
}

/** The expression as nested lists ("All of", "Any of" …). */
export function RuleTree({ node, label }: { node: RuleNode; label?: string }) {
  const render = (n: RuleNode, key: number | string) => (
    <li key={key}>
      <span>{n.text}</span>
      {n.children ? <ul>{n.children.map((c, i) => render(c, i))}</ul> : null}
    </li>
  );
  return <ul className="tb-trials-rule" aria-label={label}>{render(node, 'root')}</ul>;
}

const DECISIONS = [
  { status: 'accepted', label: 'Accept', color: 'teal' },
  { status: 'rejected', label: 'Reject', color: 'red' },
  { status: 'needs_review', label: 'Needs review', color: 'grape' },
] as const;

function CriterionCard({ c, edit, original, canCurate, error, onChange, placement }: {
  c: Criterion; edit: Edit; original: Edit; canCurate: boolean; error: string | undefined; onChange: (e: Edit) => void;
  /** Where the criterion applies, when the trial has more than one scope (arms, cohorts, steps). */
  placement?: { value: string; options: Array<{ value: string; label: string }>; onChange: (scopeId: string) => void } | undefined;
}) {
  const dirty = changed(edit, original);
  const [asJson, setAsJson] = useState(false);
  const accepted = edit.status === 'accepted' || edit.status === 'edited';
  const edited = edit.exprText === null ? null : parsedExpr(edit);
  const decide = (status: CurationStatus) => {
    // A changed policy changes what the rule means: accepting it then is an edit, not a plain acceptance.
    const next: CurationStatus = status === 'accepted' && (edit.assumeMet !== original.assumeMet || original.status === 'edited') ? 'edited' : status;
    onChange({ ...edit, status: next });
  };
  const headingId = `criterion-${c.id}-heading`;
  return (
    <li className="tb-trials-criterion" data-status={edit.status} data-testid="curation-criterion" data-criterion={c.id} aria-labelledby={headingId}>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs" mb={6}>
        <Group gap={8} align="center">
          <Text fw={700} size="sm" id={headingId} ff="monospace">{c.id}</Text>
          <Badge size="sm" variant="outline" color={c.kind === 'exclusion' ? 'orange' : 'indigo'} radius="sm">
            {c.kind === 'exclusion' ? 'Exclusion' : 'Inclusion'}
          </Badge>
          <CriterionStatusBadge status={edit.status} />
          {dirty ? <Text span size="xs" fw={600} c="indigo.9" data-testid="criterion-dirty">Changed, not saved</Text> : null}
        </Group>
        {c.draftRules?.length ? <Text size="xs" c="dimmed">Drafted automatically by rules {c.draftRules.join(', ')}</Text> : null}
      </Group>
      <Text size="xs" c="dimmed" fw={600}>Source text{c.source.field ? ` (registry field ${c.source.field})` : ''}</Text>
      <blockquote className="tb-trials-source" data-testid="criterion-source">{c.source.text || <Text span c="dimmed" inherit>No text</Text>}</blockquote>
      <Text size="xs" c="dimmed" fw={600} mt={6}>{edited ? 'Rule as edited' : 'Proposed rule'}{c.kind === 'exclusion' ? ' — excludes the child when this holds' : ''}</Text>
      <RuleTree node={edited ? safeTree(edited) : ruleTree(c.expr)} label={`${edited ? 'Edited' : 'Proposed'} rule of ${c.id}`} />
      <Group gap="md" mt={4}>
        {c.recoverable !== undefined ? (
          <Text size="xs" c="dimmed">{c.recoverable ? 'Can change with time or treatment (e.g. labs, washout)' : 'Does not change with time (e.g. histology)'}</Text>
        ) : null}
        {c.source.childItemIds.length ? <Text size="xs" c="dimmed">Includes sub-items {c.source.childItemIds.join(', ')}</Text> : null}
      </Group>
      {canCurate ? (
        <Stack gap={6} mt="sm">
          <Group gap={6} role="group" aria-label={`Decision on ${c.id}`}>
            {DECISIONS.map((d) => {
              const pressed = d.status === 'accepted' ? accepted : edit.status === d.status;
              return (
                <Button key={d.status} size="xs" color={d.color} variant={pressed ? 'filled' : 'default'} aria-pressed={pressed}
                  aria-label={`${d.label} ${c.id}`} onClick={() => decide(d.status)}>
                  {pressed ? <span aria-hidden="true">✓&nbsp;</span> : null}{d.label}
                </Button>
              );
            })}
            {dirty ? <Button size="xs" variant="subtle" color="gray" aria-label={`Undo changes to ${c.id}`} onClick={() => onChange(original)}>Undo</Button> : null}
          </Group>
          {placement ? (
            <NativeSelect size="xs" w={320} label={`${c.id} applies to`} data={placement.options} value={placement.value}
              data-testid="criterion-scope" onChange={(e) => placement.onChange(e.currentTarget.value)} />
          ) : null}
          <Checkbox size="xs" label="Assume met (an explicit curator policy, shown with every match — e.g. consent obtained at enrollment)"
            checked={edit.assumeMet}
            onChange={(e) => {
              const assumeMet = e.currentTarget.checked;
              const status: CurationStatus = (edit.status === 'accepted' || edit.status === 'edited') ? (assumeMet !== original.assumeMet ? 'edited' : original.status === 'edited' ? 'edited' : 'accepted') : edit.status;
              onChange({ ...edit, assumeMet, status });
            }} />
          {edit.exprText === null ? (
            <Button size="xs" variant="subtle" w="fit-content" aria-label={`Edit the rule of ${c.id}`}
              onClick={() => onChange({ ...edit, exprText: JSON.stringify(c.expr, null, 2), status: 'edited' })}>Edit the rule</Button>
          ) : asJson || parsedExpr(edit) === undefined ? (
            <Textarea size="xs" ff="monospace" label={`Rule of ${c.id} (JSON; the server checks it and names any wrong field)`} autosize minRows={3} maxRows={14}
              value={edit.exprText} data-testid="criterion-expr"
              error={parsedExpr(edit) === undefined ? 'Not valid JSON yet' : undefined}
              onChange={(e) => onChange({ ...edit, exprText: e.currentTarget.value, status: 'edited' })} />
          ) : (
            <>
              <RuleForm expr={parsedExpr(edit) as Criterion['expr']} criterionId={c.id}
                onChange={(next) => onChange({ ...edit, exprText: JSON.stringify(next, null, 2), status: 'edited' })} />
              <Button size="xs" variant="subtle" w="fit-content" aria-label={`Edit ${c.id} as JSON`} onClick={() => setAsJson(true)}>Change the rule's shape (JSON)</Button>
            </>
          )}
          <Textarea size="xs" label={`Curator note on ${c.id}`} autosize minRows={1} maxRows={4} maxLength={2000} value={edit.note} error={error}
            onChange={(e) => onChange({ ...edit, note: e.currentTarget.value })} />
        </Stack>
      ) : (
        <>
          {edit.assumeMet ? <Text size="xs" mt={4} fw={600}>Assumed met by curator policy</Text> : null}
          {edit.note ? <Text size="xs" mt={4}><Text span inherit fw={600}>Curator note: </Text>{edit.note}</Text> : null}
        </>
      )}
    </li>
  );
}

/**
 * Arms and cohorts (E.3): a trial whose cohorts admit different children (e.g. one per histology) is evaluated per
 * cohort; the best open one gives the trial's verdict and a closed one never makes a child eligible. The curator adds
 * a scope for a registry arm (or a cohort the record does not list), closes it when it stops accruing, and places
 * the criteria that apply only to it. Randomized arms share the trial's criteria and need no scope of their own.
 */
function ArmsPanel({ draft, registryArms, onChange }: { draft: Draft; registryArms: string[]; onChange: (scopes: ScopeShape[], placement: Record<string, string>) => void }) {
  const [label, setLabel] = useState('');
  const alternatives = draft.scopes.filter((s) => s.kind === 'arm' || s.kind === 'cohort');
  const unused = registryArms.filter((a) => !draft.scopes.some((s) => s.label === a));
  const add = (name: string, kind: 'arm' | 'cohort') => {
    const taken = new Set(draft.scopes.map((s) => s.id));
    let n = 1;
    while (taken.has(`${kind}-${n}`)) n++;
    onChange([...draft.scopes, { id: `${kind}-${n}`, kind, label: name, parent: 'trial', open: true }], draft.placement);
  };
  const update = (id: string, patch: Partial<ScopeShape>) => onChange(draft.scopes.map((s) => (s.id === id ? { ...s, ...patch } : s)), draft.placement);
  const remove = (id: string) => {
    // Its criteria go back to the whole trial: nothing the curator reviewed is dropped.
    const placement = Object.fromEntries(Object.entries(draft.placement).map(([c, sc]) => [c, sc === id ? 'trial' : sc]));
    onChange(draft.scopes.filter((s) => s.id !== id), placement);
  };
  return (
    <section aria-labelledby="arms-heading" className="tb-trials-arms" data-testid="curation-arms">
      <Title order={3} size="h5" id="arms-heading" mt="sm">Arms and cohorts</Title>
      <Text size="xs" c="dimmed" mb={6}>
        Add a scope only for arms or cohorts that admit different children; each is evaluated on its own and the best open one counts. Then choose, on each criterion, what it applies to.
      </Text>
      {alternatives.length ? (
        <Stack gap={6} mb="xs">
          {alternatives.map((s) => (
            <Group key={s.id} gap="sm" align="flex-end" wrap="wrap" data-testid="arm-scope" data-scope={s.id}>
              <TextInput size="xs" label={`Name of ${s.id}`} value={s.label} w={280} onChange={(e) => update(s.id, { label: e.currentTarget.value })} />
              <NativeSelect size="xs" label={`Kind of ${s.id}`} w={120} value={s.kind} data={[{ value: 'arm', label: 'Arm' }, { value: 'cohort', label: 'Cohort' }]}
                onChange={(e) => update(s.id, { kind: e.currentTarget.value as 'arm' | 'cohort' })} />
              <Checkbox size="xs" label={`${s.label || s.id} open to accrual`} checked={s.open} onChange={(e) => update(s.id, { open: e.currentTarget.checked })} />
              <Button size="xs" variant="subtle" color="red" onClick={() => remove(s.id)} aria-label={`Remove ${s.label || s.id}`}>Remove</Button>
            </Group>
          ))}
        </Stack>
      ) : <Text size="xs" mb="xs">None: every criterion applies to the whole trial.</Text>}
      <Group gap="xs" align="flex-end" wrap="wrap">
        {unused.map((a) => (
          <Button key={a} size="xs" variant="light" onClick={() => add(a, 'arm')} aria-label={`Evaluate arm ${a} separately`}>+ Arm “{a}”</Button>
        ))}
        <TextInput size="xs" label="Another cohort" placeholder="e.g. Cohort B: Ewing sarcoma" value={label} w={260} onChange={(e) => setLabel(e.currentTarget.value)} />
        <Button size="xs" variant="default" disabled={!label.trim()} onClick={() => { add(label.trim(), 'cohort'); setLabel(''); }}>Add cohort</Button>
      </Group>
    </section>
  );
}

function Progress({ edits }: { edits: Edit[] }) {
  const count = (s: CurationStatus[]) => edits.filter((e) => s.includes(e.status)).length;
  const reviewed = edits.filter((e) => CURATED_STATUSES.has(e.status)).length;
  return (
    <Text size="sm" data-testid="curation-progress">
      <Text span inherit fw={600}>{reviewed} of {edits.length} reviewed</Text>
      {' — '}{count(['accepted', 'edited'])} accepted, {count(['rejected'])} rejected, {count(['needs_review'])} need clinician review, {count(['proposed'])} not reviewed yet.
    </Text>
  );
}

/**
 * The curation screen (E.7 step 3: a human accepts every leaf): each criterion with its source text, kind and the
 * proposed rule in words, and Accept / Reject / Needs review. The whole definition is saved with If-Match on the
 * version the curator started from, so a colleague's save in between is never overwritten.
 */
export function CurationEditor({ trial, canCurate, onReload }: { trial: TrialDetail; canCurate: boolean; onReload: () => Promise<TrialDetail | undefined> }) {
  const save = useSaveDefinition(trial.id);
  const { formRef, errors, setErrors } = useFormErrors();
  const [draft, setDraft] = useState<Draft>(() => draftFrom(trial));
  const [message, setMessage] = useState('');
  const base = draft.base;
  const criteria = base.definition.scopes.flatMap((s) => s.criteria);
  const original = (c: Criterion) => editOf(c);
  const current = (c: Criterion) => draft.edits[c.id] ?? editOf(c);
  const dirtyCount = criteria.filter((c) => changed(current(c), original(c))).length
    + (draft.curationNote.trim() !== (base.definition.curation.note ?? '').trim() ? 1 : 0) + structureChanges(draft);
  const dirty = dirtyCount > 0;

  // A newer version from the server replaces an untouched draft (nothing of the curator's is lost).
  useEffect(() => {
    if (trial.version !== draft.base.version && !dirty) setDraft(draftFrom(trial));
  }, [trial.version]);

  useEffect(() => {
    if (!dirty) return undefined;
    const warn = (e: BeforeUnloadEvent) => { e.preventDefault(); };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  // Server errors name positions in the definition as sent: map them through the draft's structure.
  const scopeOf = new Map<string, { si: number; ci: number }>();
  definitionFrom(draft).scopes.forEach((s, si) => s.criteria.forEach((c, ci) => scopeOf.set(c.id, { si, ci })));
  const errorFor = (id: string) => {
    const at = scopeOf.get(id);
    if (!at) return undefined;
    const prefix = `scopes.${at.si}.criteria.${at.ci}`;
    const hit = Object.entries(errors).find(([k]) => k === prefix || k.startsWith(`${prefix}.`));
    return hit ? hit[1] : undefined;
  };
  const unplaced = Object.entries(errors)
    .filter(([k]) => !/^scopes\.\d+\.criteria\.\d+/.test(k) && k !== 'curation.note')
    .map(([k, m]) => (k ? `${k}: ${m}` : m));

  const submit = () => {
    setMessage('');
    setErrors({});
    const broken = criteria.find((c) => parsedExpr(current(c)) === undefined);
    if (broken) { setMessage(`The rule of ${broken.id} is not valid JSON: fix it before saving.`); return; }
    save.mutate({ version: base.version, definition: definitionFrom(draft) }, {
      onSuccess: (saved) => {
        setDraft(draftFrom(saved));
        const waiting = saved.pendingReview;
        setMessage(`Saved as version ${saved.version}. ${saved.curation === 'curated'
          ? 'Curation complete: every criterion reviewed.'
          : `${plural(waiting, 'criterion', 'criteria')} still waiting for review.`} Open cases were re-matched.`);
      },
      onError: (err) => {
        const fe = fieldErrors(err);
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(fe)) out[normalizeField(k)] = v;
        setErrors(out);
      },
    });
  };

  const reload = async () => {
    save.reset();
    setErrors({});
    const fresh = await onReload();
    if (fresh) setDraft(draftFrom(fresh));
    setMessage('Reloaded the latest version; make your changes again.');
  };

  const edits = criteria.map(current);
  const stale = base.curation === 'stale' || base.definition.curation.stale;
  const multiScope = draft.scopes.length > 1;
  const scopeOptions = draft.scopes.map((s) => ({ value: s.id, label: s.kind === 'trial' ? 'Whole trial' : `${s.label || s.id} (${s.kind})` }));
  const inScope = (s: ScopeShape) => criteria.filter((c) => (draft.placement[c.id] ?? 'trial') === s.id);

  const criterionList = (s: ScopeShape) => (
    <ul className="tb-trials-criteria" aria-label={multiScope ? `Criteria of ${s.label}` : 'Criteria'}>
      {inScope(s).map((c) => (
        <CriterionCard key={c.id} c={c} canCurate={canCurate} edit={current(c)} original={original(c)}
          error={errorFor(c.id)} onChange={(e) => { setMessage(''); setDraft((d) => ({ ...d, edits: { ...d.edits, [c.id]: e } })); }}
          placement={multiScope ? { value: draft.placement[c.id] ?? 'trial', options: scopeOptions, onChange: (to) => { setMessage(''); setDraft((d) => ({ ...d, placement: { ...d.placement, [c.id]: to } })); } } : undefined} />
      ))}
      {inScope(s).length === 0 ? <li><Text size="xs" c="dimmed">No criteria of its own yet: the whole trial's criteria apply.</Text></li> : null}
    </ul>
  );

  return (
    <Card component="section" aria-labelledby="curation-heading" data-testid="curation">
      <Group justify="space-between" align="flex-start" mb={4} wrap="wrap">
        <Title order={2} size="h4" id="curation-heading">Criteria curation</Title>
        <Text size="sm" c="dimmed" data-testid="curation-version">
          Version {base.version} · {base.definition.curation.state === 'curated' ? 'curated' : base.definition.curation.state === 'in_review' ? 'in review' : 'draft'}
        </Text>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        Each criterion was drafted from the registry text. Accept the rule if it says what the text says, reject it if it does not (a rejected
        criterion is not evaluated), or mark it for clinician review. Only accepted and rejected criteria count as curated; until then matches stay “possible”.
      </Text>
      {stale ? (
        <Alert color="orange" variant="light" mb="sm" title="Criteria changed — review pending" data-testid="curation-stale">
          <Text size="sm">The registry text changed after this trial was curated. Check each criterion against the current text and save to approve the curation again; until then no child is shown as eligible for this trial.</Text>
        </Alert>
      ) : null}
      {trial.version !== base.version ? (
        <Alert color="yellow" variant="light" mb="sm" title="Someone else saved a newer version" data-testid="curation-newer">
          <Text size="sm">Version {trial.version} was saved while you were editing version {base.version}. Saving your changes will be refused; reload to start from the newer version.</Text>
          <Button size="xs" mt="xs" variant="white" color="yellow" onClick={() => void reload()}>Reload</Button>
        </Alert>
      ) : null}
      <Progress edits={edits} />
      <form ref={formRef} onSubmit={onSubmit(submit)} noValidate aria-label="Criteria curation">
        {criteria.length === 0 ? <Text size="sm" c="dimmed" mt="sm">No criteria were drafted: the record has no eligibility text.</Text> : null}
        {canCurate && criteria.length ? (
          <ArmsPanel draft={draft} registryArms={trial.registry.arms.map((a) => a.label)}
            onChange={(scopes, placement) => { setMessage(''); setDraft((d) => ({ ...d, scopes, placement })); }} />
        ) : null}
        {multiScope ? draft.scopes.map((s) => (
          <section key={s.id} aria-labelledby={`scope-${s.id}`} style={{ marginTop: 12 }} data-testid="curation-scope" data-scope={s.id}>
            <Title order={3} size="h5" id={`scope-${s.id}`}>{s.kind === 'trial' ? 'Whole trial' : s.label || s.id} <Text span size="xs" c="dimmed">({s.kind}{s.open ? '' : ', closed'})</Text></Title>
            {criterionList(s)}
          </section>
        )) : draft.scopes[0] ? criterionList(draft.scopes[0]) : null}
        {canCurate ? (
          <div className="tb-trials-savebar">
            <Textarea label="Curation note" description="Shown with the trial; e.g. what was checked against the protocol" autosize minRows={1} maxRows={4} maxLength={2000}
              value={draft.curationNote} error={errors['curation.note']} mb="sm"
              onChange={(e) => { const v = e.currentTarget.value; setDraft((d) => ({ ...d, curationNote: v })); }} />
            <div aria-live="polite">
              {save.error ? <ErrorAlert error={save.error} title="Curation not saved" onReload={() => void reload()} extra={unplaced} /> : null}
            </div>
            <Group justify="space-between" wrap="wrap" mt="xs">
              <Text size="sm" role="status" data-testid="curation-message" fw={message ? 600 : undefined} c={message ? 'teal.9' : 'dimmed'}>
                {message || (dirty ? `${plural(dirtyCount, 'change')} not saved.` : 'No unsaved changes.')}
              </Text>
              <Group gap="sm">
                <Button variant="default" disabled={!dirty || save.isPending} onClick={() => { setDraft(draftFrom(trial)); setErrors({}); save.reset(); }}>Discard changes</Button>
                <Button type="submit" loading={save.isPending} disabled={!dirty && !stale}>Save curation</Button>
              </Group>
            </Group>
          </div>
        ) : (
          <Text size="xs" c="dimmed" mt="sm">Only research coordinators curate criteria.</Text>
        )}
      </form>
    </Card>
  );
}
