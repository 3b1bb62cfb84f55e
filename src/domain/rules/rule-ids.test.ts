import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { TEMPLATE_IDS } from '../plan/templates.js';
import { PENDING_RULE_IDS, RULE_IDS, isRuleId } from './rule-ids.js';

// Present in a development checkout next to the shared design files; absent in CI, where the sync check is skipped.
const RULES_MD = path.resolve(import.meta.dirname, '../../../../shared/clinical/rules.md');
const haveRulesMd = fs.existsSync(RULES_MD);

describe('the rule ID list', () => {
  test('has no duplicates', () => {
    expect(new Set(RULE_IDS).size).toBe(RULE_IDS.length);
  });

  test('contains every template ID of the template library', () => {
    for (const id of TEMPLATE_IDS) expect(isRuleId(id), id).toBe(true);
  });

  test('does not also list the pending IDs that rules.md lacks', () => {
    for (const id of Object.keys(PENDING_RULE_IDS)) expect(isRuleId(id)).toBe(false);
  });

  test.skipIf(!haveRulesMd)('matches the R-… and T-… IDs in clinical/rules.md (family wildcards such as T-EWS-* excluded)', () => {
    const text = fs.readFileSync(RULES_MD, 'utf8');
    const found = new Set<string>();
    for (const m of text.matchAll(/\b([RT]-[A-Z0-9]+(?:-[A-Z0-9]+)*)(-\*)?/g)) {
      if (m[2] === undefined) found.add(m[1]!);
    }
    // `T-EWS-*` style wildcards: the prefix before "-*" is a heading, not an ID.
    expect([...found].sort()).toEqual([...RULE_IDS].sort());
  });
});
