import { describe, expect, it } from 'vitest';
import { checkPolicyText, locatePaths, policyChanges } from './policy-text';

const text = `{
  "phases": {
    "hot": { "actions": { "rollover": { "max_age": "30d" } } },
    "warm": {
      "min_age": "30d",
      "actions": { "rollover": { "max_age": "1d" } }
    }
  }
}`;

describe('the policy editor’s text', () => {
  it('finds where each key starts', () => {
    const at = locatePaths(text).get('phases.warm.actions.rollover') ?? -1;
    expect(text.slice(at, at + 10)).toBe('"rollover"');
  });

  it('places a schema problem on the line of the key it names', () => {
    const { problems } = checkPolicyText(text);
    expect(problems).toEqual([expect.objectContaining({ path: 'phases.warm.actions.rollover', line: 6 })]);
  });

  it('says where JSON breaks', () => {
    const { problems, policy } = checkPolicyText('{ "phases": { ');
    expect(policy).toBeUndefined();
    expect(problems[0]?.message).toMatch(/^Not JSON/);
  });

  it('lists what saving would change, path by path', () => {
    const stored = { phases: { warm: { min_age: '30d', actions: { forcemerge: { max_num_segments: 1 } } }, delete: { min_age: '365d', actions: { delete: {} } } } };
    const edited = { phases: { warm: { min_age: '45d', actions: { forcemerge: { max_num_segments: 1 }, readonly: {} } } } };
    expect(policyChanges(stored, edited)).toEqual([
      { path: 'phases.warm.min_age', kind: 'changed', before: '30d', after: '45d' },
      { path: 'phases.warm.actions.readonly', kind: 'added', after: {} },
      { path: 'phases.delete', kind: 'removed', before: stored.phases.delete },
    ]);
    expect(policyChanges(stored, structuredClone(stored))).toEqual([]);
  });
});
