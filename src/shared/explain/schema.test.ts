import { describe, expect, it } from 'vitest';
import { elasticFixture, mongoFixture, postgresFixture } from './fixtures.test-support';
import { advise, collapsePartitions, normalisePlan, planSchema, tipSchema } from './index';

describe('plan schemas', () => {
  it('accept every normalised fixture, folded or not, and the tips of each', () => {
    const plans = [
      ...(['seqScan', 'hashSpill', 'parallelSeqScan', 'plainExplain', 'jit', 'runtimePruning'] as const).map((n) => normalisePlan(postgresFixture(n))),
      ...(['aggregateCursor', 'findSharded', 'findSbe'] as const).map((n) => normalisePlan(mongoFixture(n))),
      normalisePlan(elasticFixture('profileMatch')),
    ];
    for (const plan of [...plans, collapsePartitions(normalisePlan(postgresFixture('manyPartitions')))]) {
      expect(planSchema.safeParse(plan).success).toBe(true);
      const tips = advise(plan, { tenantKey: plan.engine === 'mongo' ? 'tenantId' : 'tenant_id' });
      for (const tip of tips) expect(tipSchema.safeParse(tip).success).toBe(true);
    }
  });

  it('refuses a plan whose nodes are malformed deep in the tree', () => {
    const plan = normalisePlan(postgresFixture('hashJoin'));
    const broken = JSON.parse(JSON.stringify(plan)) as { root: { children: { children: { rowsActual: unknown }[] }[] } };
    broken.root.children[1]!.children[0]!.rowsActual = 'many';
    const result = planSchema.safeParse(broken);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues[0]?.path)).toBe('["root","children",1,"children",0,"rowsActual"]');
  });
});
