import { describe, expect, it } from 'vitest';
import { mongoFixture, postgresFixture } from './fixtures.test-support';
import { comparePlans, normalisePlan, normalisePostgresPlan } from './index';

describe('comparing two plans', () => {
  it('matches a Seq Scan that became an Index Scan of the same table, with deltas', () => {
    const before = normalisePlan(postgresFixture('seqScan'));
    const after = normalisePlan(postgresFixture('indexScan'));
    const result = comparePlans(before, after);
    expect(result.matched).toHaveLength(1);
    const [pair] = result.matched;
    expect(pair!.before).toEqual({ id: '0', operation: 'Seq Scan', target: 'cases' });
    expect(pair!.after).toEqual({ id: '0', operation: 'Index Scan', target: 'cases' });
    expect(pair!.timeSelfMs.delta).toBeCloseTo(after.root.timeSelfMs! - before.root.timeSelfMs!, 9);
    expect(pair!.timeSelfMs.delta).toBeLessThan(0);
    expect(pair!.sharedBlocks.delta).toBeLessThan(0);
    expect(result.executionMs.delta).toBeCloseTo(after.executionMs! - before.executionMs!, 9);
    expect(result.onlyBefore).toEqual([]);
    expect(result.onlyAfter).toEqual([]);
  });

  it('matches along the tree and lists nodes found on one side only', () => {
    const before = normalisePlan(postgresFixture('hashJoin'));
    const after = normalisePlan(postgresFixture('misestimate'));
    const result = comparePlans(before, after);
    // Hash Join → Nested Loop at the root is not the same node; the scans of the same tables are.
    const pairs = result.matched.map((m) => `${m.before.operation}:${m.before.target ?? ''} → ${m.after.operation}:${m.after.target ?? ''}`);
    expect(pairs).toContain('Seq Scan:cases → Seq Scan:cases');
    expect(pairs).toContain('Seq Scan:case_notes → Index Scan:case_notes');
    expect(result.onlyBefore.map((n) => n.operation)).toEqual(expect.arrayContaining(['Hash Join', 'Hash']));
    expect(result.onlyAfter.map((n) => n.operation)).toContain('Nested Loop');
  });

  it('finds a node that moved under a new parent (a Gather added above the scan)', () => {
    const scan = { 'Node Type': 'Seq Scan', 'Relation Name': 'cases', 'Plan Rows': 10, 'Actual Rows': 10, 'Actual Loops': 1, 'Actual Total Time': 50 };
    const before = normalisePostgresPlan([{ Plan: { 'Node Type': 'Aggregate', 'Plan Rows': 1, 'Actual Rows': 1, 'Actual Loops': 1, 'Actual Total Time': 60, Plans: [scan] }, 'Execution Time': 60 }]);
    const after = normalisePostgresPlan([{ Plan: { 'Node Type': 'Aggregate', 'Plan Rows': 1, 'Actual Rows': 1, 'Actual Loops': 1, 'Actual Total Time': 30, Plans: [
      { 'Node Type': 'Gather', 'Workers Launched': 2, 'Plan Rows': 10, 'Actual Rows': 10, 'Actual Loops': 1, 'Actual Total Time': 25, Plans: [{ ...scan, 'Actual Loops': 3, 'Actual Total Time': 20 }] },
    ] }, 'Execution Time': 30 }]);
    const result = comparePlans(before, after);
    const scanPair = result.matched.find((m) => m.before.operation === 'Seq Scan')!;
    expect(scanPair.after.id).toBe('0.0.0');
    expect(scanPair.rows).toEqual({ before: 10, after: 30, delta: 20 });
    expect(result.onlyAfter).toEqual([{ id: '0.0', operation: 'Gather' }]);
  });

  it('compares MongoDB plans the same way: a COLLSCAN replaced by an index read of the same collection', () => {
    const before = normalisePlan(mongoFixture('findCollscan'));
    const after = normalisePlan(mongoFixture('findIxscan'));
    const result = comparePlans(before, after);
    expect(result.matched.map((m) => `${m.before.operation} → ${m.after.operation}`)).toEqual(['COLLSCAN → FETCH']);
    expect(result.matched[0]!.rows).toEqual({ before: 120, after: 120, delta: 0 });
    expect(result.matched[0]!.timeTotalMs.delta).toBe(0 - 45);
    expect(result.onlyAfter).toEqual([{ id: '0.0', operation: 'IXSCAN', target: 'cases' }]);
    expect(result.executionMs).toEqual({ before: 48, after: 1, delta: -47 });
  });
});
