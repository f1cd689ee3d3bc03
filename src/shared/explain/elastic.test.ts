import { describe, expect, it } from 'vitest';
import { elasticFixture } from './fixtures.test-support';
import { normaliseElasticProfile, normalisePlan } from './index';
import { fieldOf } from './elastic';

describe('Elasticsearch profile (shape from the Profile API reference)', () => {
  it('puts each shard under one Search root, with its query tree, collectors, aggregations and rewrite', () => {
    const plan = normalisePlan(elasticFixture('profileMatch'));
    expect(plan).toMatchObject({ engine: 'elastic', analyzed: true, namespace: 'tenant-acme-cases-2025.01', executionMs: 12 });
    expect(plan.root.children.map((s) => [s.operation, s.target, s.detail])).toEqual([
      ['Shard', 'tenant-acme-cases-2025.01', '[q2aE02wS1R8q][tenant-acme-cases-2025.01][0]'],
      ['Shard', 'tenant-acme-cases-2025.01', '[b7UFx9kTQ3uR][tenant-acme-cases-2025.01][1]'],
    ]);
    const shard = plan.root.children[0]!;
    expect(shard.children.map((c) => [c.operation, c.relationship])).toEqual([
      ['BooleanQuery', 'query'], ['QueryPhaseCollector', 'collector'], ['GlobalOrdinalsStringTermsAggregator', 'aggregation'], ['Fetch', 'fetch'], ['Rewrite', 'rewrite'],
    ]);
    expect(shard.children[3]!.children.map((c) => c.operation)).toEqual(['FetchSourcePhase']);
    const bool = shard.children[0]!;
    expect(bool.children.map((c) => [c.operation, c.detail, c.target])).toEqual([
      ['TermQuery', 'tenant_id:acme', 'tenant_id'],
      ['BooleanQuery', 'title:refund title:delay', 'title'],
    ]);
    expect(bool.breakdown?.['create_weight']).toBe(300_000);
  });

  it('turns nanoseconds into inclusive and exclusive milliseconds, and shares against the shards\' summed work', () => {
    const plan = normalisePlan(elasticFixture('profileMatch'));
    const bool = plan.root.children[0]!.children[0]!;
    expect(bool.timeTotalMs).toBeCloseTo(1.894, 9);
    expect(bool.timeSelfMs).toBeCloseTo(1.894 - 0.4 - 0.744, 9);
    const shardSum = plan.root.children.reduce((s, c) => s + c.timeTotalMs!, 0);
    expect(plan.totalMs).toBeCloseTo(shardSum, 9);
    expect(plan.root.children[0]!.timeTotalMs).toBeCloseTo(1.894 + 0.42 + 1.21 + 0.66 + 0.017, 9);
    expect(plan.root.children[1]!.timeTotalMs).toBeCloseTo(1.894 + 0.39 + 1.21 + 0.017, 9);
  });

  it('accepts the profile object alone and refuses a response without one', () => {
    const response = elasticFixture('profileRegexp') as { profile: unknown };
    expect(normaliseElasticProfile(response.profile).root.children).toHaveLength(1);
    expect(() => normaliseElasticProfile({ hits: {} })).toThrow(/not an Elasticsearch profile/);
  });

  it('names the single field a Lucene description is about', () => {
    expect(fieldOf('message:get')).toBe('message');
    expect(fieldOf('#tenant_id:acme #title:*refund')).toBeUndefined();
    expect(fieldOf('title:refund title:delay')).toBe('title');
    expect(fieldOf('*:*')).toBeUndefined();
  });
});
