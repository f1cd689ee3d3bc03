import { describe, expect, it } from 'vitest';
import { elasticFixture, mongoFixture, postgresFixture } from './fixtures.test-support';
import { groupPlansByShape, normalisePlan, normalisePostgresPlan, planShape, planStatistics } from './index';

describe('plan shapes (fleet explain grouping)', () => {
  it('gives runs of the same plan one shape whatever the numbers, and another plan another', () => {
    const a = planShape(normalisePlan(postgresFixture('seqScan')));
    const doubled = JSON.parse(JSON.stringify(postgresFixture('seqScan')).replace(/"Actual Total Time": ?[\d.]+/g, '"Actual Total Time": 999')) as unknown;
    expect(planShape(normalisePlan(doubled)).key).toBe(a.key);
    const b = planShape(normalisePlan(postgresFixture('indexScan')));
    expect(b.key).not.toBe(a.key);
    expect(a.text).toBe('Seq Scan cases');
    expect(b.text).toBe('Index Scan cases using cases_case_number');
  });

  it('keeps one shape for tenants with a different number of partitions', () => {
    const plan = (n: number) => normalisePostgresPlan([{ Plan: { 'Node Type': 'Append', 'Plan Rows': n, Plans: Array.from({ length: n }, (_, i) => ({ 'Node Type': 'Seq Scan', 'Parent Relationship': 'Member', 'Relation Name': `logs_y2024m${String(i + 1).padStart(2, '0')}`, Alias: `logs_${i + 1}`, 'Plan Rows': 1 })) } }]);
    expect(planShape(plan(11)).key).toBe(planShape(plan(12)).key);
    expect(planShape(plan(12)).text).toBe('Append\n  Seq Scan logs (partitions: Seq Scan) as Member');
  });

  it('groups 50 tenants: the 3 without the index form the outlier group, slowest first', () => {
    const entries = Array.from({ length: 50 }, (_, i) => ({
      item: `tenant_${String(i).padStart(2, '0')}`,
      plan: normalisePlan(postgresFixture([7, 19, 42].includes(i) ? 'seqScan' : 'indexScan')),
    }));
    const grouping = groupPlansByShape(entries, 5);
    expect(grouping.groups.map((g) => g.members.length)).toEqual([47, 3]);
    expect(grouping.outliers.map((o) => o.item).sort()).toEqual(['tenant_07', 'tenant_19', 'tenant_42']);
    expect(grouping.outliers[0]!.shape.text).toBe('Seq Scan cases');
    expect(grouping.slowest.slice(0, 3).map((s) => s.item).sort()).toEqual(['tenant_07', 'tenant_19', 'tenant_42']);
    expect(grouping.slowest).toHaveLength(5);
  });
});

describe('plan statistics', () => {
  it('sums time, rows and buffers per table and per node type', () => {
    const plan = normalisePlan(postgresFixture('hashJoin'));
    const stats = planStatistics(plan);
    expect(stats.byTarget.map((s) => s.name).sort()).toEqual(['case_notes', 'cases']);
    const cases = stats.byTarget.find((s) => s.name === 'cases')!;
    expect(cases.breakdown).toEqual({ 'Seq Scan': 1 });
    const scanNode = plan.root.children.flatMap((c) => [c, ...c.children]).find((n) => n.target === 'cases')!;
    expect(cases.timeSelfMs).toBeCloseTo(scanNode.timeSelfMs!, 9);
    expect(cases.share).toBeCloseTo(scanNode.timeSelfMs! / plan.totalMs!, 9);
    const totalSelf = stats.byOperation.reduce((s, o) => s + o.timeSelfMs, 0);
    expect(totalSelf).toBeCloseTo(plan.root.timeTotalMs!, 6);
    expect(stats.byOperation.map((s) => s.timeSelfMs)).toEqual([...stats.byOperation.map((s) => s.timeSelfMs)].sort((a, b) => b - a));
  });

  it('counts folded partitions as their members', () => {
    const plan = normalisePlan(postgresFixture('manyPartitions'));
    const stats = planStatistics(plan);
    expect(stats.byOperation.find((s) => s.name === 'Seq Scan')!.nodes).toBe(2000);
    expect(stats.byTarget).toHaveLength(2000);
  });

  it('works for MongoDB and Elasticsearch plans too', () => {
    expect(planStatistics(normalisePlan(mongoFixture('findSortInMemory'))).byOperation.map((s) => s.name)).toEqual(['SORT', 'FETCH', 'IXSCAN']);
    expect(planStatistics(normalisePlan(elasticFixture('profileRegexp'))).byOperation[0]!.name).toBe('RegexpQuery');
  });
});
