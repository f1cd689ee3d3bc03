import { describe, expect, it } from 'vitest';
import { murima2025 } from '@shared/tenancy';
import { IlmPolicyBody, policyProblems, timeValueMs } from './ilm';

const seedPolicy = murima2025.blueprint.elastic?.ilmPolicies[0]?.policy;

describe('ILM policy schema', () => {
  it('accepts a policy that follows the reference', () => {
    const policy = {
      phases: {
        hot: { actions: { rollover: { max_age: '30d', max_primary_shard_size: '50gb' }, set_priority: { priority: 100 } } },
        warm: { min_age: '30d', actions: { shrink: { number_of_shards: 1 }, forcemerge: { max_num_segments: 1 }, allocate: { number_of_replicas: 0 } } },
        cold: { min_age: '90d', actions: { searchable_snapshot: { snapshot_repository: 'backups' } } },
        frozen: { min_age: '180d', actions: { searchable_snapshot: { snapshot_repository: 'backups' } } },
        delete: { min_age: '365d', actions: { wait_for_snapshot: { policy: 'nightly' }, delete: {} } },
      },
      _meta: { owner: 'platform' },
    };
    expect(policyProblems(policy)).toEqual([]);
  });

  it('refuses an action its phase does not allow, naming the action’s path and the phases that allow it', () => {
    const problems = policyProblems({ phases: { warm: { actions: { rollover: { max_age: '1d' } } } } });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('phases.warm.actions.rollover');
    expect(problems[0]?.message).toContain('only in hot');
  });

  it('refuses an unknown option with the option’s own path', () => {
    expect(policyProblems({ phases: { warm: { actions: { shrink: { number_of_shard: 1 } } } } }).map((p) => p.path)).toContain('phases.warm.actions.shrink.number_of_shard');
    expect(policyProblems({ phases: { hot: { actions: {} } }, owner: 'x' }).map((p) => p.path)).toEqual(['owner']);
    expect(policyProblems({ phases: { lukewarm: {} } }).map((p) => p.path)).toEqual(['phases.lukewarm']);
  });

  it('refuses bad values and a rollover without a max condition', () => {
    expect(policyProblems({ phases: { hot: { actions: { rollover: { max_size: '50 gigs' } } } } }).map((p) => p.path)).toEqual(['phases.hot.actions.rollover.max_size']);
    expect(policyProblems({ phases: { hot: { actions: { rollover: { min_docs: 1 } } } } }).map((p) => p.path)).toEqual(['phases.hot.actions.rollover']);
    expect(policyProblems({ phases: { warm: { actions: { shrink: { number_of_shards: 1, max_primary_shard_size: '5gb' } } } } }).map((p) => p.path)).toEqual(['phases.warm.actions.shrink']);
    expect(policyProblems({ phases: { delete: { min_age: 'soon', actions: { delete: {} } } } }).map((p) => p.path)).toEqual(['phases.delete.min_age']);
  });

  it('refuses minimum ages that go down from one phase to the next', () => {
    const problems = policyProblems({ phases: { warm: { min_age: '30d', actions: {} }, cold: { min_age: '7d', actions: {} } } });
    expect(problems).toEqual([expect.objectContaining({ path: 'phases.cold.min_age' })]);
    expect(policyProblems({ phases: { warm: { min_age: '24h', actions: {} }, cold: { min_age: '1d', actions: {} } } })).toEqual([]);
  });

  it('says the seed’s freeze action was removed in 8.0', () => {
    const problems = policyProblems(seedPolicy);
    expect(problems.map((p) => p.path)).toEqual(['phases.cold.actions.freeze']);
    expect(problems[0]?.message).toContain('removed in Elasticsearch 8.0');
  });

  it('reads time values in milliseconds', () => {
    expect(timeValueMs('30d')).toBe(30 * 86_400_000);
    expect(timeValueMs('0ms')).toBe(0);
    expect(timeValueMs('1.5h')).toBe(5_400_000);
    expect(timeValueMs('thirty')).toBeUndefined();
    expect(IlmPolicyBody.safeParse({ phases: {} }).success).toBe(true);
  });
});
