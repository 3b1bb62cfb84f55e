import { Checkbox, Group, NativeSelect, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import type { AgeBound, Comparator, Expr } from './api.js';
import { ruleTree } from './expr.js';

/**
 * The structured rule editor (E.7 step 3, "edit a proposed leaf"): the rule's shape stays as drafted (All of, Any of,
 * If … then …) and each leaf's values are edited in fields — age limits, lab thresholds, performance cut-offs, sexes,
 * disease statuses, metastatic status, codes and days. Changing the shape itself is done in the JSON view. The server
 * checks the result and names any wrong field.
 */

const YEAR = 365.25;
const CMP_OPTIONS: Array<{ value: Comparator; label: string }> = [
  { value: '>=', label: '≥' }, { value: '>', label: '>' }, { value: '<=', label: '≤' }, { value: '<', label: '<' },
];
const DISEASE_STATUSES = ['newly_diagnosed', 'relapsed', 'refractory', 'progressive'] as const;
const STATUS_LABEL: Record<string, string> = { newly_diagnosed: 'Newly diagnosed', relapsed: 'Relapsed', refractory: 'Refractory', progressive: 'Progressive' };

type Path = readonly (string | number)[];

/** A copy of `expr` with the node at `path` replaced. */
function setAt(expr: Expr, path: Path, node: Expr): Expr {
  if (path.length === 0) return node;
  const [head, ...rest] = path;
  const e = expr as unknown as Record<string, unknown>;
  if (typeof head !== 'string') throw new Error('path must name a key first');
  const child = e[head];
  if (Array.isArray(child)) {
    const [i, ...more] = rest as [number, ...Path];
    return { ...e, [head]: child.map((c, k) => (k === i ? setAt(c as Expr, more, node) : c)) } as unknown as Expr;
  }
  return { ...e, [head]: setAt(child as Expr, rest, node) } as unknown as Expr;
}

/** Years as a curator types them (may be fractional) ↔ the stored days. */
const toYears = (b: AgeBound | undefined) => (b ? Number((b.days / YEAR).toFixed(2)) : '');
const num = (v: string | number): number | undefined => (v === '' || v === null || Number.isNaN(Number(v)) ? undefined : Number(v));

function AgeFields({ label, min, max, onChange }: { label: string; min?: AgeBound | undefined; max?: AgeBound | undefined; onChange: (min: AgeBound | undefined, max: AgeBound | undefined) => void }) {
  const bound = (years: number | undefined, inclusive: boolean): AgeBound | undefined => (years === undefined ? undefined : { days: Number((years * YEAR).toFixed(4)), inclusive });
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <NumberInput size="xs" w={130} min={0} decimalScale={2} label={`${label}: minimum age (years)`} value={toYears(min)}
        onChange={(v) => onChange(bound(num(v), min?.inclusive ?? true), max)} />
      <Checkbox size="xs" label="minimum allowed" checked={min?.inclusive ?? true} disabled={!min} onChange={(e) => onChange(min && { ...min, inclusive: e.currentTarget.checked }, max)} />
      <NumberInput size="xs" w={130} min={0} decimalScale={2} label={`${label}: maximum age (years)`} value={toYears(max)}
        onChange={(v) => onChange(min, bound(num(v), max?.inclusive ?? false))} />
      <Checkbox size="xs" label="maximum itself allowed" checked={max?.inclusive ?? false} disabled={!max} onChange={(e) => onChange(min, max && { ...max, inclusive: e.currentTarget.checked })} />
    </Group>
  );
}

/** A comma-separated list field (codes, risk groups, study numbers). */
function ListField({ label, value, onChange }: { label: string; value: readonly (string | number)[]; onChange: (v: string[]) => void }) {
  return <TextInput size="xs" label={label} description="Separate with commas" defaultValue={value.join(', ')}
    onBlur={(e) => onChange(e.currentTarget.value.split(',').map((x) => x.trim()).filter(Boolean))} />;
}

function Leaf({ e, id, onChange }: { e: Expr; id: string; onChange: (e: Expr) => void }) {
  switch (e.op) {
    case 'age':
      return <AgeFields label={`${id} age`} min={e.min} max={e.max} onChange={(min, max) => { const { min: _a, max: _b, ...rest } = e; onChange({ ...rest, ...(min ? { min } : {}), ...(max ? { max } : {}) }); }} />;
    case 'sex':
      return (
        <Checkbox.Group label={`${id}: sexes allowed`} value={[...e.anyOf]} onChange={(v) => onChange({ ...e, anyOf: v as Array<'male' | 'female'> })}>
          <Group gap="md" mt={4}><Checkbox size="xs" value="female" label="Female" /><Checkbox size="xs" value="male" label="Male" /></Group>
        </Checkbox.Group>
      );
    case 'diseaseStatus':
      return (
        <Checkbox.Group label={`${id}: disease status`} value={[...e.anyOf]} onChange={(v) => onChange({ ...e, anyOf: v as typeof e.anyOf })}>
          <Group gap="md" mt={4}>{DISEASE_STATUSES.map((s) => <Checkbox key={s} size="xs" value={s} label={STATUS_LABEL[s]} />)}</Group>
        </Checkbox.Group>
      );
    case 'metastatic':
      return (
        <NativeSelect size="xs" w={260} label={`${id}: metastatic disease`} value={e.present ? 'yes' : 'no'}
          data={[{ value: 'yes', label: 'Required (metastatic)' }, { value: 'no', label: 'Not allowed (localized)' }]}
          onChange={(x) => onChange({ ...e, present: x.currentTarget.value === 'yes' })} />
      );
    case 'lab': {
      const kind = e.xUln !== undefined ? 'uln' : 'absolute';
      const { absolute: _a, xUln: _x, withinDays: _w, ...rest } = e;
      const value = kind === 'uln' ? e.xUln : e.absolute;
      const build = (k: string, v: number | undefined, within: number | undefined) =>
        onChange({ ...rest, ...(k === 'uln' ? { xUln: v ?? 1 } : { absolute: v ?? 0 }), ...(within !== undefined ? { withinDays: within } : {}) });
      return (
        <Group gap="sm" align="flex-end" wrap="wrap">
          <NativeSelect size="xs" w={80} label={`${id}: comparison`} value={e.cmp} data={CMP_OPTIONS} onChange={(x) => onChange({ ...e, cmp: x.currentTarget.value as Comparator })} />
          <NumberInput size="xs" w={130} min={0} decimalScale={3} label={`${id}: threshold`} value={value ?? ''} onChange={(v) => build(kind, num(v), e.withinDays)} />
          <NativeSelect size="xs" w={170} label={`${id}: threshold is`} value={kind}
            data={[{ value: 'absolute', label: 'an absolute value' }, { value: 'uln', label: '× upper limit of normal' }]}
            onChange={(x) => build(x.currentTarget.value, value, e.withinDays)} />
          <NumberInput size="xs" w={150} min={0} max={365} label={`${id}: drawn within (days)`} value={e.withinDays ?? ''} onChange={(v) => build(kind, value, num(v))} />
        </Group>
      );
    }
    case 'performance':
      return (
        <Stack gap={4}>
          {e.rules.map((r, i) => (
            <Group key={i} gap="sm" align="flex-end" wrap="wrap">
              <Text size="xs" fw={600} w={80}>{r.scale === 'lansky' ? 'Lansky' : r.scale === 'karnofsky' ? 'Karnofsky' : 'ECOG'}</Text>
              <NumberInput size="xs" w={110} min={0} max={100} label={`${id} ${r.scale}: minimum`} value={r.min ?? ''}
                onChange={(v) => { const { min: _m, ...rr } = r; const m = num(v); onChange({ ...e, rules: e.rules.map((x, k) => (k === i ? { ...rr, ...(m !== undefined ? { min: m } : {}) } : x)) }); }} />
              {r.appliesIf ? (
                <AgeFields label={`${id} ${r.scale} applies`} min={r.appliesIf.min} max={r.appliesIf.max}
                  onChange={(min, max) => onChange({ ...e, rules: e.rules.map((x, k) => (k === i ? { ...r, appliesIf: { ...(min ? { min } : {}), ...(max ? { max } : {}) } } : x)) })} />
              ) : null}
            </Group>
          ))}
        </Stack>
      );
    case 'stageRisk':
      return <ListField label={`${id}: ${e.measure} is one of`} value={e.anyOf} onChange={(v) => onChange({ ...e, anyOf: v.map((x) => (/^\d+$/.test(x) ? Number(x) : x)) })} />;
    case 'molecular':
      return <ListField label={`${id}: ${e.marker} is one of`} value={e.anyOf} onChange={(v) => onChange({ ...e, anyOf: v })} />;
    case 'diagnosis':
      return <ListField label={`${id}: ICD-O-3 morphology codes included`} value={e.anyOf?.codes ?? []} onChange={(v) => onChange({ ...e, anyOf: { ...e.anyOf, codes: v } })} />;
    case 'labsRecent':
      return <NumberInput size="xs" w={160} min={0} max={365} label={`${id}: labs within (days)`} value={e.withinDays} onChange={(v) => onChange({ ...e, withinDays: num(v) ?? e.withinDays })} />;
    case 'enrolledOnStudy':
      return <ListField label={`${id}: studies`} value={e.studies} onChange={(v) => onChange({ ...e, studies: v })} />;
    case 'manual':
      return <TextInput size="xs" label={`${id}: what the clinician checks`} defaultValue={e.note ?? ''} onBlur={(x) => { const { note: _n, ...rest } = e; const note = x.currentTarget.value.trim(); onChange({ ...rest, ...(note ? { note } : {}) }); }} />;
    default:
      return <Text size="xs" c="dimmed">{ruleTree(e).text}: no fields to edit here (use the JSON view).</Text>;
  }
}

function Node({ e, id, path, root, onChange }: { e: Expr; id: string; path: Path; root: Expr; onChange: (e: Expr) => void }) {
  const put = (p: Path) => (node: Expr) => onChange(setAt(root, p, node));
  switch (e.op) {
    case 'and': case 'or': case 'atLeast':
      return (
        <div className="tb-trials-ruleform__group">
          <Text size="xs" fw={700}>{e.op === 'and' ? 'All of' : e.op === 'or' ? 'Any of' : `At least ${e.n} of`}</Text>
          {e.args.map((a, i) => <Node key={i} e={a} id={id} path={[...path, 'args', i]} root={root} onChange={onChange} />)}
        </div>
      );
    case 'not':
      return <div className="tb-trials-ruleform__group"><Text size="xs" fw={700}>Not</Text><Node e={e.arg} id={id} path={[...path, 'arg']} root={root} onChange={onChange} /></div>;
    case 'when':
      return (
        <div className="tb-trials-ruleform__group">
          <Text size="xs" fw={700}>If</Text><Node e={e.if} id={id} path={[...path, 'if']} root={root} onChange={onChange} />
          <Text size="xs" fw={700}>then</Text><Node e={e.then} id={id} path={[...path, 'then']} root={root} onChange={onChange} />
        </div>
      );
    case 'ref':
      return (
        <Group gap="sm" align="flex-end">
          <Text size="xs">{ruleTree(e).text}</Text>
          <NumberInput size="xs" w={150} min={0} max={365} label={`${id}: within (days)`} value={e.withinDays ?? ''}
            onChange={(v) => { const { withinDays: _w, ...rest } = e; const d = num(v); put(path)({ ...rest, ...(d !== undefined ? { withinDays: d } : {}) }); }} />
        </Group>
      );
    default:
      return <div className="tb-trials-ruleform__leaf"><Leaf e={e} id={id} onChange={put(path)} /></div>;
  }
}

/** The rule's fields; `onChange` gets the whole new rule. */
export function RuleForm({ expr, criterionId, onChange }: { expr: Expr; criterionId: string; onChange: (e: Expr) => void }) {
  return (
    <div className="tb-trials-ruleform" role="group" aria-label={`Rule fields of ${criterionId}`} data-testid="rule-form">
      <Node e={expr} id={criterionId} path={[]} root={expr} onChange={onChange} />
    </div>
  );
}
