import { describe, expect, it } from 'vitest';
import { mongoFixture, postgresFixture } from './fixtures.test-support';
import { misestimate, nodeBadges, normalisePlan, normalisePostgresPlan, planBadges, walkPlan, type Badge, type Plan, type PlanNode } from './index';

const find = (plan: Plan, test: (n: PlanNode) => boolean): PlanNode => {
  let found: PlanNode | undefined;
  walkPlan(plan.root, (n) => {
    if (!found && test(n)) found = n;
  });
  if (!found) throw new Error('node not found');
  return found;
};
const kinds = (badges: Badge[]): string[] => badges.map((b) => `${b.kind}:${b.grade}`);

/** A one-node-under-root plan whose child takes `childMs` of `totalMs`, with the given row counts. */
function synthetic(childMs: number, totalMs: number, rows: { estimated: number; actual: number }): Plan {
  return normalisePostgresPlan([{
    Plan: { 'Node Type': 'Limit', 'Plan Rows': rows.estimated, 'Actual Rows': rows.actual, 'Actual Loops': 1, 'Actual Total Time': totalMs, Plans: [
      { 'Node Type': 'Seq Scan', 'Relation Name': 't', 'Plan Rows': rows.estimated, 'Actual Rows': rows.actual, 'Actual Loops': 1, 'Actual Total Time': childMs },
    ] },
    'Execution Time': totalMs,
  }]);
}

describe('badges in pev2 grades', () => {
  it('grades time share over 10, 40 and 90 %', () => {
    const grade = (ms: number): string[] => kinds(nodeBadges(synthetic(ms, 100, { estimated: 1, actual: 1 }), synthetic(ms, 100, { estimated: 1, actual: 1 }).root.children[0]!)).filter((k) => k.startsWith('time'));
    expect(grade(9)).toEqual([]);
    expect(grade(11)).toEqual(['time:1']);
    expect(grade(41)).toEqual(['time:2']);
    expect(grade(91)).toEqual(['time:3']);
  });

  it('grades misestimates over 10, 100 and 1000× with their direction', () => {
    const badge = (estimated: number, actual: number): Badge | undefined => {
      const plan = synthetic(1, 100, { estimated, actual });
      return nodeBadges(plan, plan.root.children[0]!).find((b) => b.kind === 'misestimate');
    };
    expect(badge(10, 90)).toBeUndefined();
    expect(badge(10, 200)).toMatchObject({ grade: 1, direction: 'under' });
    expect(badge(5000, 20)).toMatchObject({ grade: 2, direction: 'over', label: '250× over' });
    expect(badge(1, 5000)).toMatchObject({ grade: 3, direction: 'under' });
    expect(misestimate({ id: '0', engine: 'postgres', operation: 'x', children: [], raw: {}, rowsEstimated: 0, rowsActual: 0 })).toEqual({ factor: 1, direction: 'under' });
  });

  it('flags the captured misestimate: the correlated filter is underestimated 10× or more', () => {
    const plan = normalisePlan(postgresFixture('misestimate'));
    const scan = find(plan, (n) => n.operation === 'Seq Scan');
    const badge = nodeBadges(plan, scan).find((b) => b.kind === 'misestimate')!;
    expect(badge.direction).toBe('under');
    // ANALYZE samples rows, so the estimate varies between captures; 50× and more every time so far.
    expect(badge.grade).toBeGreaterThanOrEqual(1);
    expect(misestimate(scan)!.factor).toBeGreaterThan(10);
  });

  it('flags rows removed by a filter, heap fetches and spills; not on clean nodes', () => {
    const seq = normalisePlan(postgresFixture('seqScan'));
    expect(kinds(nodeBadges(seq, seq.root))).toContain('filter:3');
    const ios = normalisePlan(postgresFixture('indexOnlyScan'));
    expect(nodeBadges(ios, ios.root).find((b) => b.kind === 'heap-fetches')).toMatchObject({ grade: 3 });
    const sort = normalisePlan(postgresFixture('sortSpill'));
    expect(nodeBadges(sort, sort.root).find((b) => b.kind === 'spill')?.title).toMatch(/kB to disk/);
    const hash = normalisePlan(postgresFixture('hashSpill'));
    expect(nodeBadges(hash, find(hash, (n) => n.operation === 'Hash')).find((b) => b.kind === 'spill')?.title).toMatch(/batches/);
    const index = normalisePlan(postgresFixture('indexScan'));
    expect(kinds(nodeBadges(index, index.root)).filter((k) => !k.startsWith('time'))).toEqual([]);
    const mongoSort = normalisePlan(mongoFixture('findSortInMemory'));
    expect(nodeBadges(mongoSort, mongoSort.root).some((b) => b.kind === 'spill')).toBe(false);
  });

  it('grades plain EXPLAIN by cost share, and marks never-executed nodes only as such', () => {
    const plan = normalisePlan(postgresFixture('plainExplain'));
    const badges = planBadges(plan);
    expect([...badges.values()].flat().every((b) => b.kind === 'time' && /cost/.test(b.title))).toBe(true);
    const never = normalisePostgresPlan([{ Plan: { 'Node Type': 'Append', 'Actual Loops': 1, 'Actual Rows': 0, 'Actual Total Time': 1, 'Plan Rows': 1, Plans: [
      { 'Node Type': 'Seq Scan', 'Relation Name': 'a', 'Actual Loops': 0, 'Actual Rows': 0, 'Actual Total Time': 0, 'Plan Rows': 50_000 },
    ] }, 'Execution Time': 1 }]);
    expect(kinds(nodeBadges(never, never.root.children[0]!))).toEqual(['never-executed:0']);
  });
});
