import { describe, expect, it } from 'vitest';
import { postgresFixture } from './fixtures.test-support';
import { collapsePartitions, normalisePlan, planNodeRows, sortPlanNodeRows } from './index';

describe('the node table', () => {
  it('has one row per node in tree order, with signed misestimates and own buffers', () => {
    const plan = normalisePlan(postgresFixture('misestimate'));
    const rows = planNodeRows(plan);
    expect(rows.map((r) => [r.id, r.depth, r.operation])).toEqual([['0', 0, 'Nested Loop'], ['0.0', 1, 'Seq Scan'], ['0.1', 1, 'Index Scan']]);
    const scan = rows[1]!;
    expect(scan.misestimate).toBeGreaterThan(10);
    expect(scan.rowsRemoved).toBe(198_000);
    expect(scan.sharedHit! + scan.sharedRead!).toBeGreaterThan(0);
    expect(rows[2]!.rowsActual).toBe(rows[2]!.loops! * 2);
    const over = planNodeRows(normalisePlan([{ Plan: { 'Node Type': 'Seq Scan', 'Relation Name': 't', 'Plan Rows': 500, 'Actual Rows': 5, 'Actual Loops': 1, 'Actual Total Time': 1 }, 'Execution Time': 1 }]));
    expect(over[0]!.misestimate).toBe(-100);
  });

  it('sorts by any column, numbers as numbers, missing values last either way', () => {
    const rows = planNodeRows(normalisePlan(postgresFixture('hashJoin')));
    const bySelf = sortPlanNodeRows(rows, 'timeSelfMs', 'desc');
    expect(bySelf.map((r) => r.timeSelfMs)).toEqual([...rows.map((r) => r.timeSelfMs!)].sort((a, b) => b - a));
    const byTargetAsc = sortPlanNodeRows(rows, 'target', 'asc').map((r) => r.target);
    expect(byTargetAsc.slice(0, 2)).toEqual(['case_notes', 'cases']);
    expect(byTargetAsc.slice(2).every((t) => t === undefined)).toBe(true);
    const byTargetDesc = sortPlanNodeRows(rows, 'target', 'desc').map((r) => r.target);
    expect(byTargetDesc.slice(0, 2)).toEqual(['cases', 'case_notes']);
    expect(byTargetDesc.slice(2).every((t) => t === undefined)).toBe(true);
  });

  it('lists folded partitions as their members', () => {
    const plan = collapsePartitions(normalisePlan(postgresFixture('manyPartitions')));
    const rows = planNodeRows(plan);
    expect(rows).toHaveLength(2001);
    expect(rows[1]).toMatchObject({ depth: 1, operation: 'Seq Scan', target: 'events_p0000' });
  });
});
