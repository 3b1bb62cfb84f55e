import { describe, expect, test } from 'vitest';
import { recordsReadiness } from '../referrals/records.js';
import { caseReadiness, isBlockingMissing, type CaseReadinessInput, type ReadinessKey } from './readiness.js';

const REQUIRED = ['pediatric_oncology', 'pathology', 'radiology', 'radiation_oncology', 'orthopedic_oncology'];
const ready = (o: Partial<CaseReadinessInput> = {}): CaseReadinessInput => ({
  requiredGroups: REQUIRED,
  inputs: REQUIRED.map((discipline) => ({ discipline, stance: 'recommendation' })),
  attendance: [],
  records: { complete: true, outstanding: [] },
  assessment: { missing: [] },
  question: 'Limb salvage or amputation after induction?',
  ...o,
});
const item = (input: CaseReadinessInput, key: ReadinessKey) => caseReadiness(input).items.find((i) => i.key === key)!;

describe('caseReadiness', () => {
  test('a case with every item in place is ready, trial screening not counted', () => {
    const r = caseReadiness(ready());
    expect(r.ready).toBe(true);
    expect(r.items.map((i) => [i.key, i.ok])).toEqual([
      ['groups', true], ['records', true], ['staging', true], ['question', true], ['trials', null],
    ]);
  });

  describe('groups (R-CONF)', () => {
    test('a required group with neither input nor attendance is named, and the case is not ready', () => {
      const r = caseReadiness(ready({ inputs: ready().inputs.filter((i) => i.discipline !== 'radiation_oncology' && i.discipline !== 'pathology') }));
      const groups = r.items.find((i) => i.key === 'groups')!;
      expect(r.ready).toBe(false);
      expect(groups).toMatchObject({ ok: false, rules: ['R-CONF'] });
      expect(groups.detail).toBe('no input or attendance yet from pathology, radiation oncology');
    });

    test('a group that has checked in counts although it posted no input', () => {
      const input = ready({ inputs: [], attendance: REQUIRED.map((discipline) => ({ discipline })) });
      expect(item(input, 'groups').ok).toBe(true);
    });

    test('input and attendance together cover the required groups', () => {
      const input = ready({
        inputs: [{ discipline: 'pathology', stance: 'no_direct_role_comment' }, { discipline: 'radiology', stance: 'needs_more_information' }],
        attendance: [{ discipline: 'pediatric_oncology' }, { discipline: 'radiation_oncology' }, { discipline: 'orthopedic_oncology' }],
      });
      expect(item(input, 'groups').ok).toBe(true);
    });

    test('input from a group that is not required does not stand in for one that is', () => {
      const input = ready({ inputs: [...ready().inputs.filter((i) => i.discipline !== 'radiology'), { discipline: 'neurosurgery', stance: 'recommendation' }] });
      expect(item(input, 'groups')).toMatchObject({ ok: false, detail: 'no input or attendance yet from radiology' });
    });

    test('with no required groups given, the groups every case needs are required', () => {
      const g = item(ready({ requiredGroups: [], inputs: [{ discipline: 'pathology', stance: 'recommendation' }] }), 'groups');
      expect(g.ok).toBe(false);
      expect(g.detail).toContain('pediatric oncology, radiology, radiation oncology');
    });
  });

  describe('records', () => {
    test('lists the outstanding records', () => {
      const records = recordsReadiness([
        { item: 'pathology_slides_blocks', required: true, status: 'received' },
        { item: 'chest_ct', required: true, status: 'requested' },
        { item: 'mri_primary', required: true, status: 'reviewed' },
      ]);
      expect(item(ready({ records }), 'records')).toMatchObject({ ok: false, detail: 'outstanding: Pathology slides/blocks, Chest CT' });
    });

    test('a case without a records checklist is not ready', () => {
      expect(item(ready({ records: null }), 'records')).toMatchObject({ ok: false, detail: 'no records checklist' });
      expect(caseReadiness(ready({ records: null })).ready).toBe(false);
    });
  });

  describe('staging', () => {
    test.each([
      ['ajcc.T', true], ['ajcc.stageGroup', true], ['enneking.stage', true], ['rms.stage', true],
      ['rms.clinicalGroup', true], ['ewing.metastaticCategory', true], ['osteosarcoma.metastaticCategory', true],
      ['nrsts.arst0332RiskGroup', true], ['treatmentTemplate', true],
      ['osteosarcoma.huvosGrade', false], ['nrsts.arst0332Arm', false], ['rms.oberlinCategory', false],
      ['survivorship.echo', false], ['flags.GROWTH_REMAINING_LIMB_SALVAGE_OPTIONS', false], ['conferenceDisciplines.neurosurgery', false],
    ] as const)('a fact missing for %s blocks the discussion: %s', (needed_for, blocks) => {
      expect(isBlockingMissing({ field: 'x', needed_for })).toBe(blocks);
      expect(item(ready({ assessment: { missing: [{ field: 'x', needed_for }] } }), 'staging').ok).toBe(!blocks);
    });

    test('lists each blocking missing fact once with what it is needed for', () => {
      const assessment = { missing: [
        { field: 'sizeCm', needed_for: 'ajcc.T' }, { field: 'sizeCm', needed_for: 'treatmentTemplate' },
        { field: 'sizeCm', needed_for: 'ajcc.T' }, { field: 'metastases', needed_for: 'ewing.metastaticCategory' },
        { field: 'sex', needed_for: 'flags.GROWTH_REMAINING_LIMB_SALVAGE_OPTIONS' },
      ] };
      expect(item(ready({ assessment }), 'staging').detail)
        .toBe('missing: tumour size, for AJCC T and treatment template; metastatic work-up (sites, or none), for Ewing metastatic category');
    });

    test('a case without an assessment is not ready', () => {
      expect(item(ready({ assessment: null }), 'staging')).toMatchObject({ ok: false, detail: 'no assessment yet' });
    });

    test('fact errors are reported even when an earlier assessment exists', () => {
      expect(item(ready({ assessmentErrors: ['ageMonths: must be ≥ 0'] }), 'staging'))
        .toMatchObject({ ok: false, detail: 'the case facts have errors: ageMonths: must be ≥ 0' });
    });
  });

  describe('question', () => {
    test.each([[null], [''], ['   ']])('a question of %j is not stated', (question) => {
      expect(item(ready({ question }), 'question')).toMatchObject({ ok: false, detail: 'no question for the conference stated' });
    });

    test('a stated question is shown', () => {
      expect(item(ready({ question: '  Role of RT?  ' }), 'question')).toMatchObject({ ok: true, detail: 'Role of RT?' });
    });
  });

  describe('trials', () => {
    test.each([
      [undefined, null, true], ['not_available', null, true], ['done', true, true], ['pending', false, false],
    ] as const)('trial screening %s gives ok %s, and the case is ready: %s', (trialScreening, ok, isReady) => {
      const input = trialScreening === undefined ? ready() : ready({ trialScreening });
      expect(item(input, 'trials').ok).toBe(ok);
      expect(caseReadiness(input).ready).toBe(isReady);
    });

    test('without trials in the registry it says so and does not hold the case back', () => {
      expect(item(ready({ trialScreening: 'not_available' }), 'trials').detail).toBe('no trials in the registry yet');
    });
  });
});
