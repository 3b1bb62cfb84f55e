import { describe, expect, test } from 'vitest';
import { draftToFacts, factsToDraft, formErrorKey } from './caseFactsDraft.js';
import { EXAMPLES } from './examples.js';

/** The form drops a site count of 0 beside "no metastases" (the tumour form does the same): nothing else changes. */
function normalized(facts: Record<string, unknown>): Record<string, unknown> {
  const { metastaticSiteCount, ...rest } = facts;
  return Array.isArray(facts.metastases) && facts.metastases.length === 0 ? rest : { ...rest, metastaticSiteCount };
}

describe('case facts as the assessment form edits them', () => {
  test.each(EXAMPLES.map((e) => [e.label, e.facts] as const))('%s goes through the form unchanged', (_label, facts) => {
    const back = draftToFacts(factsToDraft(facts as Record<string, unknown>));
    expect(back.errors).toEqual({});
    expect(back.facts).toEqual(normalized(facts as Record<string, unknown>));
  });

  test('facts the form has no field for are carried through untouched', () => {
    const facts = { ...EXAMPLES[0]!.facts, exposures: { agents: [{ agent: 'doxorubicin', cumulativeMgM2: 375 }] }, priorTherapy: { kinds: [] } } as Record<string, unknown>;
    const draft = factsToDraft(facts);
    expect(Object.keys(draft.rest).sort()).toEqual(['exposures', 'priorTherapy']);
    expect(draftToFacts(draft).facts).toMatchObject({ exposures: facts.exposures, priorTherapy: facts.priorTherapy });
  });

  test('the age is years and months in the form and months in the facts', () => {
    const draft = factsToDraft({ ...EXAMPLES[0]!.facts, ageMonths: 62 } as Record<string, unknown>);
    expect([draft.basics.ageYears, draft.basics.ageMonths]).toEqual(['5', '2']);
    expect(draftToFacts({ ...draft, basics: { ...draft.basics, ageYears: '0', ageMonths: '7' } }).facts?.ageMonths).toBe(7);
  });

  test('what is missing or malformed is named at its field, and nothing is assessed', () => {
    const draft = factsToDraft(EXAMPLES[0]!.facts as Record<string, unknown>);
    const bad = draftToFacts({
      ...draft,
      basics: { ...draft.basics, ageYears: '', ageMonths: '', sex: '', morphology: '9180', sizeCm: '0' },
      details: { ...draft.details, performance: { value: '80' } },
    });
    expect(bad.facts).toBeUndefined();
    expect(Object.keys(bad.errors).sort()).toEqual(['ageYears', 'details.performance.scale', 'morphology', 'sex', 'sizeCm']);
    expect(draftToFacts({ ...draft, basics: { ...draft.basics, ageMonths: '12' } }).errors).toEqual({ ageMonths: 'Enter months from 0 to 11' });
  });

  test('a server error about a fact lands on its field', () => {
    expect(formErrorKey('ageMonths')).toBe('ageYears');
    expect(formErrorKey('sizeCm')).toBe('sizeCm');
    expect(formErrorKey('bone.compartment')).toBe('details.bone.compartment');
  });
});
