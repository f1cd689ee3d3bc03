import { describe, expect, it } from 'vitest';
import { documentedSources, mongoFixture } from './fixtures.test-support';
import { normaliseMongoPlan, normalisePlan, walkPlan, type PlanNode } from './index';

const ops = (root: PlanNode): string[] => {
  const out: string[] = [];
  walkPlan(root, (n) => out.push(n.operation));
  return out;
};

describe('MongoDB explain (shapes from the MongoDB manual)', () => {
  it('every MongoDB and Elasticsearch fixture says which documentation page it follows', () => {
    for (const source of documentedSources()) expect(source).toMatch(/^https:\/\/(www\.)?(mongodb\.com|elastic\.co)\//);
  });

  it('reads a find: executionStages with keys and documents examined, the collection as target', () => {
    const plan = normalisePlan(mongoFixture('findIxscan'));
    expect(plan).toMatchObject({ engine: 'mongo', analyzed: true, namespace: 'client_management.cases', executionMs: 1 });
    expect(ops(plan.root)).toEqual(['FETCH', 'IXSCAN']);
    const ixscan = plan.root.children[0]!;
    expect(ixscan).toMatchObject({ target: 'cases', index: 'tenantId_1_status_1', rowsActual: 120, examined: { keys: 120 } });
    expect(ixscan.detail).toBe('{"tenantId":1,"status":1}');
    expect(plan.root.examined).toEqual({ documents: 120 });
  });

  it('reads a COLLSCAN with its filter and the documents it threw away', () => {
    const scan = normalisePlan(mongoFixture('findCollscan')).root;
    expect(scan).toMatchObject({ operation: 'COLLSCAN', rowsActual: 120, examined: { documents: 50_000 }, rowsRemoved: { byFilter: 49_880 } });
    expect(scan.conditions?.[0]?.kind).toBe('filter');
    expect(scan.timeSelfMs).toBe(45);
  });

  it('reads an in-memory SORT with its pattern and size', () => {
    const sort = normalisePlan(mongoFixture('findSortInMemory')).root;
    expect(sort.operation).toBe('SORT');
    expect(sort.sort).toEqual({ keys: ['updatedAt'], spaceType: 'Memory', spaceUsedKb: 6400 });
    expect(sort.timeSelfMs).toBe(28 - 9);
  });

  it('reads an aggregate as a chain: $sort ← $group ← the $cursor query tree', () => {
    const plan = normalisePlan(mongoFixture('aggregateCursor'));
    expect(ops(plan.root)).toEqual(['$sort', '$group', 'PROJECTION_SIMPLE', 'FETCH', 'IXSCAN']);
    expect(plan.root).toMatchObject({ rowsActual: 40, sort: { keys: ['open'], spaceType: 'Memory' } });
    expect(plan.root.children[0]).toMatchObject({ operation: '$group', rowsActual: 40, timeTotalMs: 18, timeSelfMs: 10 });
    expect(plan.namespace).toBe('client_management.cases');
  });

  it('reads a sharded find: one SHARD node per shard, each with its own stages; shards overlap in time', () => {
    const plan = normalisePlan(mongoFixture('findSharded'));
    expect(plan.root.operation).toBe('SHARD_MERGE');
    expect(plan.root.children.map((c) => [c.operation, c.target, c.rowsActual])).toEqual([['SHARD', 'shard-a', 180], ['SHARD', 'shard-b', 120]]);
    expect(ops(plan.root.children[0]!)).toEqual(['SHARD', 'SHARDING_FILTER', 'FETCH', 'IXSCAN']);
    expect(plan.root.timeSelfMs).toBe(7 - 5);
    const ixscan = plan.root.children[1]!.children[0]!.children[0]!.children[0]!;
    expect(ixscan).toMatchObject({ target: 'cases', index: 'tenantId_1_status_1' });
  });

  it('reads the slot-based engine: the tree from queryPlan, the totals on its root', () => {
    const plan = normalisePlan(mongoFixture('findSbe'));
    expect(ops(plan.root)).toEqual(['FETCH', 'IXSCAN']);
    expect(plan.root).toMatchObject({ rowsActual: 6000, timeTotalMs: 9, examined: { keys: 6000, documents: 6000 } });
  });

  it('reads queryPlanner-only explain as not analyzed', () => {
    const full = mongoFixture('findIxscan') as { queryPlanner: unknown };
    const plan = normaliseMongoPlan({ queryPlanner: full.queryPlanner });
    expect(plan.analyzed).toBe(false);
    expect(plan.root.rowsActual).toBeUndefined();
    expect(ops(plan.root)).toEqual(['FETCH', 'IXSCAN']);
  });

  it('reads a sharded aggregate: one SHARD node per shard over its own pipeline, merged by mongos', () => {
    const plan = normalisePlan(mongoFixture('aggregateSharded'));
    expect(plan.root.operation).toBe('MERGE (mongos)');
    expect(plan.root.children.map((c) => [c.target, c.rowsActual, c.timeTotalMs])).toEqual([['shard-a', 4, 9], ['shard-b', 4, 7]]);
    expect(ops(plan.root.children[0]!)).toEqual(['SHARD', '$group', 'PROJECTION_SIMPLE', 'FETCH', 'IXSCAN']);
    expect(plan.root).toMatchObject({ rowsActual: 8, timeTotalMs: 9, timeSelfMs: 0 });
    expect(plan.namespace).toBe('client_management.cases');
  });
});
