import { describe, expect, it } from 'vitest';
import { postgresFixture } from './fixtures.test-support';
import { collapsePartitions, normalisePlan, normalisePostgresPlan, partitionParentOf, planBadges, walkPlan, type PlanNode } from './index';

const count = (root: PlanNode): number => {
  let n = 0;
  walkPlan(root, () => n++);
  return n;
};

/** EXPLAIN ANALYZE JSON of a scan over `partitions` partitions of `events`, as PostgreSQL prints it. */
function generatedPlan(partitions: number): unknown {
  const plans = Array.from({ length: partitions }, (_, i) => ({
    'Node Type': i % 1000 === 7 ? 'Index Scan' : 'Seq Scan', 'Parent Relationship': 'Member',
    'Relation Name': `events_p${String(i).padStart(5, '0')}`, Alias: `events_${i + 1}`,
    'Plan Rows': 3, 'Actual Rows': 2, 'Actual Loops': 1, 'Actual Total Time': 0.01,
    'Rows Removed by Filter': 1, 'Shared Hit Blocks': 1, 'Shared Read Blocks': 0, 'Temp Read Blocks': 0, 'Temp Written Blocks': 0,
  }));
  return [{ Plan: { 'Node Type': 'Append', 'Plan Rows': partitions * 3, 'Actual Rows': partitions * 2, 'Actual Loops': 1, 'Actual Total Time': partitions * 0.01 + 5, 'Shared Hit Blocks': partitions, Plans: plans }, 'Execution Time': partitions * 0.01 + 6 }];
}

describe('partition scans folded into one group', () => {
  it('finds the partitioned table from PostgreSQL\'s child aliases, partition suffixes or the catalog', () => {
    const node = (target: string, alias?: string): PlanNode => ({ id: '0', engine: 'postgres', operation: 'Seq Scan', target, ...(alias && { alias }), children: [], raw: {} });
    expect(partitionParentOf(node('events_p0001', 'events_2'))).toBe('events');
    expect(partitionParentOf(node('activity_logs_y2024m06', 'activity_logs_y2024m06'))).toBe('activity_logs');
    expect(partitionParentOf(node('odd_name', 'odd_name'), new Map([['odd_name', 'parent_t']]))).toBe('parent_t');
    expect(partitionParentOf(node('cases', 'cases'))).toBeUndefined();
  });

  it('folds the 2,000 captured partition scans into one node carrying their sums', () => {
    const plan = normalisePlan(postgresFixture('manyPartitions'));
    expect(plan.root.children).toHaveLength(2000);
    const folded = collapsePartitions(plan);
    expect(folded.root.children).toHaveLength(1);
    const group = folded.root.children[0]!;
    expect(group).toMatchObject({ operation: 'Seq Scan', target: 'events', detail: '2,000 partitions' });
    expect(group.group!.members).toHaveLength(2000);
    expect(group.group!.operations).toEqual({ 'Seq Scan': 2000 });
    const sum = (pick: (n: PlanNode) => number): number => plan.root.children.reduce((s, n) => s + pick(n), 0);
    expect(group.rowsActual).toBe(sum((n) => n.rowsActual!));
    expect(group.rowsActual).toBe(plan.root.rowsActual);
    expect(group.timeTotalMs).toBeCloseTo(sum((n) => n.timeTotalMs!), 6);
    expect(group.rowsRemoved!.byFilter).toBe(sum((n) => n.rowsRemoved!.byFilter!));
    expect(group.buffers!.sharedHit + group.buffers!.sharedRead).toBe(sum((n) => n.buffers!.sharedHit + n.buffers!.sharedRead));
    // The original plan is untouched: folding returns a copy.
    expect(plan.root.children).toHaveLength(2000);
  });

  it('folds a generated 10,000-partition plan into one group, every member kept on the group', () => {
    const plan = normalisePostgresPlan(generatedPlan(10_000));
    expect(count(plan.root)).toBe(10_001);
    const folded = collapsePartitions(plan);
    expect(count(folded.root)).toBe(2);
    const group = folded.root.children[0]!;
    expect(group.group!.members).toHaveLength(10_000);
    expect(group.group!.operations).toEqual({ 'Seq Scan': 9990, 'Index Scan': 10 });
    expect(group.operation).toBe('Seq Scan (+1 other)');
    expect(group.rowsActual).toBe(20_000);
    expect(group.rowsEstimated).toBe(30_000);
    expect(group.id).toBe('0.partitions:events');
    // Badges still reach folded members, so the view can show them when the group is expanded.
    expect(planBadges(folded).size).toBeGreaterThan(0);
  });

  it('leaves an Append of unrelated tables alone, and respects a minimum group size', () => {
    const plan = normalisePostgresPlan([{ Plan: { 'Node Type': 'Append', 'Plan Rows': 2, Plans: [
      { 'Node Type': 'Seq Scan', 'Relation Name': 'a', Alias: 'a', 'Plan Rows': 1 },
      { 'Node Type': 'Seq Scan', 'Relation Name': 'b', Alias: 'b', 'Plan Rows': 1 },
    ] } }]);
    expect(collapsePartitions(plan).root.children.map((c) => c.target)).toEqual(['a', 'b']);
    const pruned = normalisePlan(postgresFixture('runtimePruning'));
    const append = (p: typeof pruned): PlanNode => p.root.children[0]!;
    const members = append(pruned).children.length;
    expect(append(collapsePartitions(pruned, { minMembers: members + 1 })).children).toHaveLength(members);
    expect(append(collapsePartitions(pruned)).children).toHaveLength(1);
  });
});
