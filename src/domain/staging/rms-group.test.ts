import { describe, expect, test } from 'vitest';
import { caseFactsSchema, type CaseFacts } from '../facts/case-facts.js';
import { rmsClinicalGroup } from './rms-group.js';

const rms = (o: Partial<CaseFacts> = {}): CaseFacts => caseFactsSchema.parse({
  ageMonths: 60, sex: 'male', morphology: '8910/3', topography: 'C49.2', siteCategory: 'soft_tissue_trunk', metastases: [], ...o,
});
type Surgery = NonNullable<CaseFacts['surgery']>;

describe('R-RMS-GROUP', () => {
  test.each([
    ['biopsy only', { status: 'biopsy' }, 'N0', 'III'],
    ['no operation', { status: 'none' }, undefined, 'III'],
    ['biopsy only, even with a margin recorded', { status: 'biopsy', margin: 'R0' }, 'N0', 'III'],
    ['a partial resection (R2)', { status: 'resected', margin: 'R2' }, 'N1', 'III'],
    ['R0, nodes clinically N0', { status: 'resected', margin: 'R0' }, 'N0', 'I'],
    ['R0, clinical N1 but sampled nodes negative', { status: 'resected', margin: 'R0', nodesSampled: true, nodesPositive: false }, 'N1', 'I'],
    ['R1, nodes N0', { status: 'resected', margin: 'R1' }, 'N0', 'IIA'],
    ['R1, sampled nodes negative', { status: 'resected', margin: 'R1', nodesPositive: false }, 'NX', 'IIA'],
    ['R0, involved nodes resected, most distal node clear', { status: 'resected', margin: 'R0', nodesPositive: true, mostDistalNodePositive: false }, 'N1', 'IIB'],
    ['R0, involved nodes resected, most distal node involved', { status: 'resected', margin: 'R0', nodesPositive: true, mostDistalNodePositive: true }, 'N1', 'IIC'],
    ['R1, involved nodes resected', { status: 'resected', margin: 'R1', nodesPositive: true }, 'N1', 'IIC'],
    ['R1, involved nodes resected, most distal node clear', { status: 'resected', margin: 'R1', nodesPositive: true, mostDistalNodePositive: false }, 'N0', 'IIC'],
    ['R0, clinically involved nodes never sampled', { status: 'resected', margin: 'R0', nodesSampled: false }, 'N1', 'III'],
  ] as [string, Surgery, CaseFacts['regionalNodes'], string][])('an M0 RMS after %s is group %s', (_d, surgery, regionalNodes, group) => {
    const d = rmsClinicalGroup(rms({ surgery, regionalNodes }));
    expect(d.value).toBe(group);
    expect(d.missing).toEqual([]);
    expect(d.explanations[0]).toMatchObject({ output: 'rms.clinicalGroup', rules: ['R-RMS-GROUP'] });
  });

  test.each([
    ['no surgery facts', undefined],
    ['biopsy only', { status: 'biopsy' }],
    ['a complete resection', { status: 'resected', margin: 'R0', nodesPositive: false }],
  ] as [string, Surgery | undefined][])('a metastatic RMS with %s is group IV', (_d, surgery) => {
    const d = rmsClinicalGroup(rms({ metastases: ['bone_marrow'], surgery }));
    expect(d.value).toBe('IV');
    expect(d.missing).toEqual([]);
  });

  test('group III from unsampled clinically involved nodes is marked [K]', () => {
    const d = rmsClinicalGroup(rms({ regionalNodes: 'N1', surgery: { status: 'resected', margin: 'R0', nodesSampled: false } }));
    expect(d.explanations[0]?.unverified).toBe(true);
  });

  test.each([
    [119, { status: 'resected', margin: 'R0' }, 'N0', 'I', []],
    [120, { status: 'resected', margin: 'R0' }, 'N0', null, ['surgery.nodesPositive']],
    [180, { status: 'resected', margin: 'R0', nodesPositive: false }, 'N0', 'I', []],
    [180, { status: 'resected', margin: 'R0', nodesPositive: true, mostDistalNodePositive: false }, 'N0', 'IIB', []],
    [180, { status: 'biopsy' }, 'N0', 'III', []],
  ] as [number, Surgery, CaseFacts['regionalNodes'], string | null, string[]][])(
    'a paratesticular RMS at %d months after %o with %s is group %s',
    (ageMonths, surgery, regionalNodes, group, fields) => {
      const d = rmsClinicalGroup(rms({ siteCategory: 'gu_paratesticular', ageMonths, surgery, regionalNodes }));
      expect(d.value).toBe(group);
      expect(d.missing.map((m) => m.field)).toEqual(fields);
    },
  );

  test.each([
    ['metastases unknown after a biopsy', { metastases: undefined, surgery: { status: 'biopsy' } }, ['metastases']],
    ['no surgery facts', { regionalNodes: 'N0' }, ['surgery.status', 'surgery.margin']],
    ['a resection without a margin', { regionalNodes: 'N0', surgery: { status: 'resected' } }, ['surgery.margin']],
    ['a margin without a surgery status', { regionalNodes: 'N0', surgery: { margin: 'R0' } }, ['surgery.status']],
    ['R0 and nodes NX', { regionalNodes: 'NX', surgery: { status: 'resected', margin: 'R0' } }, ['surgery.nodesPositive']],
    ['R0 and clinical N1 without node pathology', { regionalNodes: 'N1', surgery: { status: 'resected', margin: 'R0' } }, ['surgery.nodesPositive']],
    ['R0 and no node facts', { surgery: { status: 'resected', margin: 'R0' } }, ['regionalNodes', 'surgery.nodesPositive']],
    ['R0 with involved nodes and the most distal node unknown', { surgery: { status: 'resected', margin: 'R0', nodesPositive: true } }, ['surgery.mostDistalNodePositive']],
    ['nothing but the required facts', { metastases: undefined }, ['metastases', 'surgery.status', 'surgery.margin', 'regionalNodes', 'surgery.nodesPositive']],
  ] as [string, Partial<CaseFacts>, string[]][])('an RMS with %s has no group and says what is missing', (_d, o, fields) => {
    const d = rmsClinicalGroup(rms(o));
    expect(d.value).toBeNull();
    expect(d.missing).toEqual(fields.map((field) => ({ field, needed_for: 'rms.clinicalGroup' })));
  });
});
