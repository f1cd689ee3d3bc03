import { describe, expect, it } from 'vitest';
import { Lane } from '@shared/model/lifecycle';
import type { MongoBucketFamily, RedisFamilyTtl, TtlIndexCheck } from '@shared/model/retention';
import { bucketLane, redisLane, ttlLane } from './lanes';

const TENANT = '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f';
const MONTHS = ['2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04'];
const NOW = new Date('2026-02-10T12:00:00Z');

describe('retention lanes for the time view', () => {
  it('draws a bucketed family as present, expired and missing months, with its newest month as horizon', () => {
    const family: MongoBucketFamily = {
      tenantId: TENANT,
      family: 'audit_logs',
      retentionMonths: 3,
      keepFrom: '2025-12',
      buckets: [
        { collection: 'b_2025_11', month: '2025-11', documents: 4, bytes: 900, expired: true },
        { collection: 'b_2025_12', month: '2025-12', documents: 2, bytes: 400, expired: false },
        { collection: 'b_2026_02', month: '2026-02', documents: null, bytes: null, expired: false },
      ],
      missingMonths: ['2026-01'],
      expiredCount: 1,
      source: '003 §5.2.2',
    };
    const lane = Lane.parse(bucketLane(family, MONTHS));
    expect(lane.cells.map((c) => c.state)).toEqual(['expired', 'present', 'missing', 'present', 'none', 'none']);
    expect(lane.cells[0]).toMatchObject({ object: 'b_2025_11', count: 4, bytes: 900 });
    expect(lane).toMatchObject({ store: 'mongo', kind: 'bucket', name: 'audit_logs', horizon: '2026-02', note: '1 bucket(s) past retention' });
  });

  it('draws a Redis family to now plus its longest TTL, with an error now when keys lack the prescribed TTL', () => {
    const family: RedisFamilyTtl = {
      family: 'notifications',
      pattern: 'notifications:{user_id}',
      prescribedSeconds: 2_592_000,
      keys: 10,
      sampled: 10,
      ttl: { none: 2, under_1m: 0, under_1h: 0, under_1d: 0, longer: 8 },
      noTtl: 2,
      overPrescribed: 0,
      maxTtlSeconds: 2_500_000,
      state: 'missing_ttl',
      tenantsAffected: 1,
      source: '003 §2.3.2',
    };
    const lane = Lane.parse(redisLane(family, MONTHS, NOW));
    expect(lane.horizon).toBe('2026-03');
    expect(lane.cells.map((c) => c.state)).toEqual(['none', 'none', 'none', 'error', 'present', 'none']);
    expect(lane.cells[3]?.detail).toContain('2 key(s) without the prescribed TTL of 2592000 s');
    const clean = Lane.parse(redisLane({ ...family, noTtl: 0, state: 'ok' }, MONTHS, NOW));
    expect(clean.cells.map((c) => c.state)).toEqual(['none', 'none', 'none', 'present', 'present', 'none']);
  });

  it('draws a TTL index to the latest expiry date when documents name their own moment, and marks wrong seconds', () => {
    const check: TtlIndexCheck = { tenantId: TENANT, family: 'ai_results_cache', collection: 'c', index: 'expires_at_1', field: 'expires_at', prescribedSeconds: 0, liveSeconds: 0, state: 'ok', source: '003 §4.2.3' };
    const lane = Lane.parse(ttlLane(check, MONTHS, NOW, new Date('2026-04-02T00:00:00Z')));
    expect(lane).toMatchObject({ kind: 'ttl', name: 'ai_results_cache.expires_at', horizon: '2026-04' });
    expect(lane.cells.map((c) => c.state)).toEqual(['none', 'none', 'none', 'present', 'present', 'present']);
    const wrong = Lane.parse(ttlLane({ ...check, liveSeconds: 3600, state: 'wrong_seconds' }, MONTHS, NOW, null));
    expect(wrong.horizon).toBe('2026-02');
    expect(wrong.cells[3]).toMatchObject({ state: 'error' });
    expect(wrong.note).toContain('prescribed 0, found 3600');
  });
});
