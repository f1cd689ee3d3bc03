import { describe, expect, it } from 'vitest';
import type { FamilyTtlSample, NamespaceMap } from '@shared/model/tenant';
import { murima2025 } from '@shared/tenancy';
import { redisRetention } from './redis-retention';

const buckets = (none: number, under_1d: number) => ({ none, under_1m: 0, under_1h: 0, under_1d, longer: 0 });
const sample = (sampled: number, none: number, over: number): FamilyTtlSample => ({ sampled, none, over, maxTtlMs: 90_000_000, ttl: buckets(none, sampled - none) });
const A = '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f';
const B = '4f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f';

/** A map of a keyspace too big to read every TTL: one key in ten was read. */
const SAMPLED: NamespaceMap = {
  builtAt: '2026-12-03T00:00:00.000Z',
  durationMs: 10,
  scanCalls: 3,
  totalKeys: 2_000,
  memoryIsEstimate: true,
  ttlIsEstimate: true,
  ttlSampled: 200,
  families: [
    { name: 'session', keys: 1_000, ttl: buckets(300, 700), ttlSample: sample(100, 30, 5), sampled: 64, meanBytes: 100, bytesEstimate: 100_000 },
    { name: 'online_users', keys: 1_000, ttl: buckets(1_000, 0), ttlSample: { ...sample(100, 100, 0), maxTtlMs: 0 }, sampled: 64, meanBytes: 50, bytesEstimate: 50_000 },
  ],
  tenants: [
    { id: A, keys: 1_500, families: { session: 800, online_users: 700 }, ttl: buckets(500, 1_000), familyTtl: { session: sample(80, 30, 5), online_users: sample(70, 70, 0) }, bytesEstimate: 0 },
    { id: B, keys: 500, families: { session: 200, online_users: 300 }, ttl: buckets(300, 200), familyTtl: { session: sample(20, 0, 0), online_users: sample(30, 30, 0) }, bytesEstimate: 0 },
  ],
  orphans: { keys: 0, sample: [] },
};

describe('Redis families against the blueprint from a sampled namespace map', () => {
  it('scales the sampled findings to the family’s keys and counts no TTL only where one is prescribed', () => {
    const view = redisRetention(SAMPLED, murima2025.blueprint.redis?.families ?? [], { limit: 10 });
    if (!view.available) throw new Error('unavailable');
    expect(view.ttlIsEstimate).toBe(true);
    expect(view.families.find((f) => f.family === 'session')).toMatchObject({ noTtl: 300, overPrescribed: 50, state: 'both', tenantsAffected: 1, maxTtlSeconds: 90_000 });
    expect(view.families.find((f) => f.family === 'online_users')).toMatchObject({ noTtl: 0, state: 'ok', tenantsAffected: 0 });
    expect(view.tenants.map((t) => [t.tenantId, t.noTtl, t.overPrescribed])).toEqual([[A, 300, 50]]);
    const session = view.tenants[0]?.families.find((f) => f.family === 'session');
    expect(session?.ttl).toEqual({ none: 300, under_1m: 0, under_1h: 0, under_1d: 500, longer: 0 });
  });

  it('lists one tenant asked for even without findings', () => {
    const view = redisRetention(SAMPLED, murima2025.blueprint.redis?.families ?? [], { tenantId: B, limit: 10 });
    if (!view.available) throw new Error('unavailable');
    expect(view.tenants.map((t) => t.tenantId)).toEqual([B]);
    expect(view.tenantsWithFindings).toBe(0);
  });
});
