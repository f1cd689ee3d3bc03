import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { postgresFixture } from './fixtures.test-support';
import { normalisePlan, normalisePostgresPlan, walkPlan, type PlanNode } from './index';

const nodes = (root: PlanNode): PlanNode[] => {
  const out: PlanNode[] = [];
  walkPlan(root, (n) => out.push(n));
  return out;
};

describe('PostgreSQL plans (captured from PostgreSQL 15)', () => {
  it('reads a sequential scan: target, rows, loops, filter with rows removed, buffers, times', () => {
    const plan = normalisePlan(postgresFixture('seqScan'));
    expect(plan.engine).toBe('postgres');
    expect(plan.analyzed).toBe(true);
    const scan = plan.root;
    expect(scan).toMatchObject({ id: '0', operation: 'Seq Scan', target: 'cases', alias: 'cases', loops: 1 });
    expect(scan.rowsActual).toBeGreaterThan(0);
    expect(scan.rowsEstimated).toBeGreaterThan(0);
    expect(scan.conditions?.[0]).toMatchObject({ kind: 'filter' });
    expect(scan.conditions?.[0]?.text).toContain("status = 'escalated'");
    // Every row of the 200,000 is either kept or removed by the filter.
    expect(scan.rowsActual! + scan.rowsRemoved!.byFilter!).toBe(200_000);
    expect(scan.buffers!.sharedHit + scan.buffers!.sharedRead).toBeGreaterThan(1000);
    expect(scan.timeSelfMs).toBe(scan.timeTotalMs);
    // Captured with track_io_timing on.
    expect(scan.io).toEqual({ readMs: expect.any(Number), writeMs: expect.any(Number) });
    expect(plan.executionMs).toBeGreaterThan(0);
    expect(plan.totalMs).toBe(plan.executionMs);
    expect(plan.planningMs).toBeGreaterThan(0);
    expect(plan.settings?.['max_parallel_workers_per_gather']).toBe('0');
    expect(plan.root.raw).not.toHaveProperty('Plans');
  });

  it('computes exclusive time as inclusive less the children, per loop × loops', () => {
    const plan = normalisePlan(postgresFixture('nestedLoop'));
    const [loop, outer, inner] = [plan.root, plan.root.children[0]!, plan.root.children[1]!];
    expect(loop.operation).toBe('Nested Loop');
    expect(inner).toMatchObject({ operation: 'Index Scan', index: 'users_pkey', relationship: 'Inner' });
    const raw = inner.raw as { 'Actual Total Time': number; 'Actual Loops': number };
    expect(inner.loops).toBe(raw['Actual Loops']);
    expect(inner.timeTotalMs).toBeCloseTo(raw['Actual Total Time'] * raw['Actual Loops'], 6);
    expect(loop.timeSelfMs).toBeCloseTo(Math.max(0, loop.timeTotalMs! - outer.timeTotalMs! - inner.timeTotalMs!), 6);
    expect(inner.conditions).toEqual([{ kind: 'index', text: '(id = c.assigned_to)' }]);
  });

  it('spreads time under a Gather over the leader and its workers, as pev2 does', () => {
    const plan = normalisePlan(postgresFixture('parallelSeqScan'));
    const gather = nodes(plan.root).find((n) => n.operation === 'Gather')!;
    expect(nodes(plan.root).map((n) => n.operation)).toEqual(['Finalize Aggregate', 'Gather', 'Partial Aggregate', 'Parallel Seq Scan']);
    const scan = nodes(plan.root).find((n) => n.operation === 'Parallel Seq Scan')!;
    const launched = gather.workers!.launched!;
    expect(launched).toBeGreaterThan(0);
    const raw = scan.raw as { 'Actual Total Time': number; 'Actual Loops': number };
    expect(scan.loops).toBe(launched + 1);
    expect(scan.timeTotalMs).toBeCloseTo((raw['Actual Total Time'] * raw['Actual Loops']) / (launched + 1), 6);
    // Rows removed are printed per loop; the model keeps the total over all processes.
    expect(scan.rowsRemoved!.byFilter).toBeGreaterThan((scan.raw as { 'Rows Removed by Filter': number })['Rows Removed by Filter']);
  });

  it('reads sort and hash spills, heap fetches, index recheck and JIT', () => {
    const sort = normalisePlan(postgresFixture('sortSpill')).root;
    expect(sort.sort).toMatchObject({ method: 'external merge', spaceType: 'Disk' });
    expect(sort.sort!.spaceUsedKb).toBeGreaterThan(1024);
    expect(sort.buffersSelf!.tempWritten).toBeGreaterThan(0);
    const hash = nodes(normalisePlan(postgresFixture('hashSpill')).root).find((n) => n.operation === 'Hash')!;
    expect(hash.hash!.batches).toBeGreaterThan(1);
    expect(hash.hash!.peakMemoryKb).toBeGreaterThan(0);
    const ios = normalisePlan(postgresFixture('indexOnlyScan')).root;
    expect(ios.operation).toBe('Index Only Scan');
    expect(ios.heapFetches).toBe(ios.rowsActual);
    const bitmap = normalisePlan(postgresFixture('bitmapHeapScan'));
    expect(bitmap.root.operation).toBe('Bitmap Heap Scan');
    expect(bitmap.root.children[0]).toMatchObject({ operation: 'Bitmap Index Scan', index: 'cases_assigned_to' });
    expect(bitmap.root.conditions?.some((c) => c.kind === 'recheck')).toBe(true);
    const jit = normalisePlan(postgresFixture('jit'));
    expect(jit.jit!.totalMs).toBeGreaterThan(0);
    expect(jit.jit!.functions).toBeGreaterThan(0);
    expect(jit.jit!.inliningMs).toBeDefined();
  });

  it('reads partition pruning: only the matching partitions remain, run-time pruning counts removed subplans', () => {
    const pruning = normalisePlan(postgresFixture('partitionPruning'));
    expect(pruning.root.operation).toBe('HashAggregate');
    const pruned = nodes(pruning.root).filter((n) => n.target?.startsWith('activity_logs_'));
    expect(pruned.map((n) => n.target)).toEqual(['activity_logs_y2024m06']);
    const runtime = nodes(normalisePlan(postgresFixture('runtimePruning')).root).find((n) => n.operation === 'Append')!;
    expect(runtime.subplansRemoved).toBeGreaterThan(0);
    expect(runtime.children.length + runtime.subplansRemoved!).toBe(24);
    expect(runtime.detail).toBe(`${runtime.subplansRemoved} partitions pruned at run time`);
  });

  it('reads plain EXPLAIN: estimates and costs only, no actual rows or times', () => {
    const plan = normalisePlan(postgresFixture('plainExplain'));
    expect(plan.analyzed).toBe(false);
    expect(plan.executionMs).toBeUndefined();
    for (const n of nodes(plan.root)) {
      expect(n.rowsActual).toBeUndefined();
      expect(n.timeTotalMs).toBeUndefined();
      expect(n.costTotal).toBeGreaterThanOrEqual(0);
    }
    expect(plan.root.operation).toBe('Hash Join');
  });

  it('marks nodes that never ran', () => {
    const raw = [{ Plan: { 'Node Type': 'Append', 'Actual Loops': 1, 'Actual Rows': 0, 'Actual Total Time': 0.1, 'Plan Rows': 2, Plans: [
      { 'Node Type': 'Seq Scan', 'Relation Name': 'a', 'Actual Loops': 0, 'Actual Rows': 0, 'Actual Total Time': 0, 'Plan Rows': 1 },
    ] }, 'Execution Time': 0.2 }];
    const plan = normalisePostgresPlan(raw);
    expect(plan.root.children[0]!.neverExecuted).toBe(true);
    expect(plan.root.neverExecuted).toBeUndefined();
  });

  it('refuses a document that is not a PostgreSQL plan, with invalid_argument', () => {
    expect(() => normalisePostgresPlan({ hello: 1 })).toThrowError(AppError);
    try {
      normalisePostgresPlan([{ Planned: {} }]);
    } catch (error) {
      expect(AppError.is(error, 'invalid_argument')).toBe(true);
    }
    expect(() => normalisePlan({ something: 'else' })).toThrow(/not a plan Tenantscope reads/);
  });

  it('builds a deep plan without recursion', () => {
    let raw: Record<string, unknown> = { 'Node Type': 'Seq Scan', 'Relation Name': 't', 'Plan Rows': 1 };
    for (let i = 0; i < 20_000; i++) raw = { 'Node Type': 'Limit', 'Plan Rows': 1, Plans: [raw] };
    const plan = normalisePostgresPlan([{ Plan: raw }]);
    let depth = 0;
    walkPlan(plan.root, (_n, _p, d) => (depth = Math.max(depth, d)));
    expect(depth).toBe(20_000);
  });
});
