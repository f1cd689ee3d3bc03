import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AppError } from '@shared/errors';
import { murima2025, scopeFor } from '@shared/tenancy';
import { listTenantKeys } from '../../src/main/features/tenants/redis/key-list';
import { KeyClassifier, type RedisLayout } from '@shared/tenancy/key-families';
import { buildNamespaceMap } from '../../src/main/features/tenants/redis/namespace-map';
import type { RedisReader } from '../../src/main/stores/redis/pipe';
import { redisReadsOver } from '../../src/main/stores/redis/reads';
import { redisLayoutOf } from '../../src/main/features/tenants/service';
import { FAMILY_KEYS, redisClient, redisReader, tenantIds, writeTenantKeys } from './tenants-fixtures';

const layout = redisLayoutOf(murima2025) as RedisLayout;
const classifier = new KeyClassifier(layout);
const ORPHANS = ['celery-task-meta-1', 'stray', 'global:config:x'];

/** Keys per tenant prefix counted straight from a SCAN walk with the driver. */
async function directCounts(client: Redis): Promise<{ total: number; byPrefix: Map<string, number> }> {
  const byPrefix = new Map<string, number>();
  let total = 0;
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      total += 1;
      const prefix = key.split(':')[0] as string;
      byPrefix.set(prefix, (byPrefix.get(prefix) ?? 0) + 1);
    }
  } while (cursor !== '0');
  return { total, byPrefix };
}

describe('Redis namespace map', () => {
  let client: Redis;
  const tenants = tenantIds(5);

  beforeAll(async () => {
    client = redisClient(inject('redis').url, 3);
    await client.flushdb();
    for (const [i, id] of tenants.entries()) await writeTenantKeys(client, id, i + 1);
    for (const key of ORPHANS) await client.set(key, 'x');
    // A few milliseconds pass so a 60 s TTL reads below one minute.
    await sleep(20);
  });

  afterAll(async () => {
    await client.flushdb();
    client.disconnect();
  });

  it('counts every key by tenant and family, as a direct SCAN walk does', async () => {
    const map = await buildNamespaceMap(redisReader(client), layout);
    const direct = await directCounts(client);
    expect(map.totalKeys).toBe(direct.total);
    expect(map.totalKeys).toBe(await client.dbsize());
    expect(map.tenants.map((t) => t.id).sort()).toEqual([...tenants].sort());
    for (const [i, id] of tenants.entries()) {
      const tenant = map.tenants.find((t) => t.id === id);
      expect(tenant?.keys).toBe(direct.byPrefix.get(id));
      const expected: Record<string, number> = { online_users: 1 };
      for (const spec of FAMILY_KEYS) expected[spec.family] = i + 1;
      expect(tenant?.families).toEqual(expected);
    }
    const sessions = map.families.find((f) => f.name === 'session');
    expect(sessions?.keys).toBe(1 + 2 + 3 + 4 + 5);
    expect(map.orphans.keys).toBe(ORPHANS.length);
    expect([...map.orphans.sample].sort()).toEqual([...ORPHANS].sort());
  });

  it('buckets every key by the TTL it has left', async () => {
    const map = await buildNamespaceMap(redisReader(client), layout);
    const n = 3;
    const tenant = map.tenants.find((t) => t.id === tenants[n - 1]);
    // online_users: none; locks (30 s) and rate_limit (60 s): under a minute; permissions, case,
    // case viewers, config: under an hour; session (24 h): under a day; notifications (30 days): longer.
    expect(tenant?.ttl).toEqual({ none: 1, under_1m: 2 * n, under_1h: 4 * n, under_1d: n, longer: n });
    const orphanFamily = map.families.find((f) => f.name === 'other');
    expect(orphanFamily?.ttl.none).toBe(ORPHANS.length);
  });

  it('reads TTLs with PTTL commands where the server or the store refuses scripts', async () => {
    const real = redisReader(client);
    const refusingReplies: RedisReader = {
      pipeline: async (commands) => {
        const replies = await real.pipeline(commands.map((c) => (c[0] === 'EVAL_RO' ? (['EVAL_NOPE'] as const) : c)));
        return replies;
      },
    };
    const refusingBeforeSending: RedisReader = {
      pipeline: async (commands) => {
        if (commands.some((c) => c[0] === 'EVAL_RO')) throw new AppError('read_only', 'scripts are refused in a read-only workspace');
        return real.pipeline(commands);
      },
    };
    const expected = await buildNamespaceMap(real, layout);
    for (const reader of [refusingReplies, refusingBeforeSending]) {
      const map = await buildNamespaceMap(redisReadsOver(reader), layout);
      expect(map.totalKeys).toBe(expected.totalKeys);
      expect(map.tenants.map((t) => [t.id, t.ttl]).sort()).toEqual(expected.tenants.map((t) => [t.id, t.ttl]).sort());
    }
  });

  it('estimates memory from a bounded sample per family and says it is an estimate', async () => {
    const map = await buildNamespaceMap(redisReader(client), layout, { memorySamplePerFamily: 4 });
    expect(map.memoryIsEstimate).toBe(true);
    const sessions = map.families.find((f) => f.name === 'session');
    expect(sessions?.sampled).toBe(4);
    let exact = 0;
    for (const id of tenants) {
      for (const key of await client.keys(`${id}:session:*`)) exact += Number(await client.memory('USAGE', key));
    }
    // Every session hash of the fixture has the same shape, so the extrapolation lands close.
    expect(sessions?.bytesEstimate).toBeGreaterThan(exact * 0.8);
    expect(sessions?.bytesEstimate).toBeLessThan(exact * 1.2);
    const tenant = map.tenants[0];
    expect(tenant?.bytesEstimate).toBeGreaterThan(0);
  });

  it('reports progress while walking and stops between SCAN calls when cancelled', async () => {
    const big = redisClient(inject('redis').url, 4);
    try {
      await big.flushdb();
      const pipeline = big.pipeline();
      for (let i = 0; i < 20_000; i++) pipeline.set(`${tenants[i % 5]}:config:k${i}`, '1');
      await pipeline.exec();
      const reader = redisReader(big);
      const controller = new AbortController();
      let tripsAtCancel = -1;
      const walk = buildNamespaceMap(reader, layout, {
        signal: controller.signal,
        scanCount: 100,
        progressEveryMs: 0,
        onProgress: (progress) => {
          if (progress.scanCalls >= 3 && tripsAtCancel < 0) {
            expect(progress.keysTotal).toBe(20_000);
            tripsAtCancel = reader.roundTrips;
            controller.abort();
          }
        },
      });
      await expect(walk).rejects.toSatisfy((error) => AppError.is(error, 'cancelled'));
      await sleep(100);
      expect(tripsAtCancel).toBeGreaterThan(0);
      expect(reader.roundTrips).toBe(tripsAtCancel);

      const full = await buildNamespaceMap(reader, layout, { scanCount: 100 });
      expect(full.totalKeys).toBe(20_000);
      expect(full.scanCalls).toBeGreaterThan(100);
    } finally {
      await big.flushdb();
      big.disconnect();
    }
  });
});

describe('Tenant key browser', () => {
  let client: Redis;
  const [tenant, other] = tenantIds(2) as [string, string];

  beforeAll(async () => {
    client = redisClient(inject('redis').url, 3);
    await client.flushdb();
    await writeTenantKeys(client, tenant, 7);
    await writeTenantKeys(client, other, 7);
  });

  afterAll(async () => {
    await client.flushdb();
    client.disconnect();
  });

  it('lists one family of a tenant page by page, with types and TTLs, and nothing of another tenant', async () => {
    const reader = redisReader(client);
    const seen: string[] = [];
    let cursor = '0';
    let pages = 0;
    do {
      const page = await listTenantKeys(reader, classifier, { scope: scopeFor(murima2025, tenant), family: 'session', cursor, pageSize: 2, scanCount: 5 });
      for (const key of page.keys) {
        expect(key.family).toBe('session');
        expect(key.type).toBe('hash');
        expect(key.ttlMs).toBeGreaterThan(0);
        expect(key.ttlMs).toBeLessThanOrEqual(86_400_000);
      }
      seen.push(...page.keys.map((k) => k.key));
      cursor = page.cursor;
      pages += 1;
    } while (cursor !== '0');
    expect(pages).toBeGreaterThan(1);
    expect([...new Set(seen)].sort()).toEqual(Array.from({ length: 7 }, (_, i) => `${tenant}:session:s${i}`).sort());
  });

  it('lists all of a tenant’s keys with their families', async () => {
    const page = await listTenantKeys(redisReader(client), classifier, { scope: scopeFor(murima2025, tenant), cursor: '0', pageSize: 1000, budgetMs: 5_000 });
    expect(page.cursor).toBe('0');
    const keys = [...new Map(page.keys.map((k) => [k.key, k])).values()];
    expect(keys).toHaveLength(FAMILY_KEYS.length * 7 + 1);
    expect(keys.every((k) => k.key.startsWith(`${tenant}:`))).toBe(true);
    expect(keys.find((k) => k.key === `${tenant}:case:c1:viewers`)?.family).toBe('case_viewers');
    expect(keys.find((k) => k.key === `${tenant}:online_users`)).toMatchObject({ family: 'online_users', type: 'zset', ttlMs: null });
  });

  it('shows a hash with its TTL and each other type of value', async () => {
    const reader = redisReader(client);
    const read = (key: string, limit = 500) => reader.readValue(key, scopeFor(murima2025, tenant), { limit });
    const session = await read(`${tenant}:session:s1`);
    expect(session).toMatchObject({ type: 'hash', length: 3, truncated: false });
    if (session.type !== 'hash') throw new Error('not a hash');
    expect(Object.fromEntries(session.fields)).toEqual({ user_id: 'u1', role: 'agent', last_activity: '2026-11-01T10:00:00Z' });
    expect(session.ttlMs).toBeGreaterThan(86_000_000);
    expect(await read(`${tenant}:config:k2`)).toMatchObject({ type: 'string', value: 'value-2', bytes: 7, truncated: false });
    expect(await read(`${tenant}:rate_limit:10.0.0.3`)).toMatchObject({ type: 'zset', members: [{ member: 'call-3', score: 1_700_000_003 }] });
    const viewers = await read(`${tenant}:case:c4:viewers`);
    expect(viewers.type === 'set' && [...viewers.members].sort()).toEqual(['u4', 'u5']);
    expect(await read(`${tenant}:notifications:u0`)).toMatchObject({ type: 'list', items: ['note 0', 'note 1'], length: 2 });
  });

  it('bounds large values and gives their full size', async () => {
    const reader = redisReader(client);
    await client.set(`${tenant}:config:big`, 'x'.repeat(100_000));
    await client.rpush(`${tenant}:notifications:many`, ...Array.from({ length: 2_000 }, (_, i) => `n${i}`));
    await client.hset(`${tenant}:session:wide`, Object.fromEntries(Array.from({ length: 3_000 }, (_, i) => [`f${i}`, String(i)])));
    const big = await reader.readValue(`${tenant}:config:big`, scopeFor(murima2025, tenant), { limit: 500 });
    expect(big).toMatchObject({ type: 'string', bytes: 100_000, truncated: true });
    expect(big.type === 'string' && big.value.length).toBe(65_536);
    const list = await reader.readValue(`${tenant}:notifications:many`, scopeFor(murima2025, tenant), { limit: 100 });
    expect(list).toMatchObject({ type: 'list', length: 2_000, truncated: true });
    expect(list.type === 'list' && list.items).toHaveLength(100);
    const wide = await reader.readValue(`${tenant}:session:wide`, scopeFor(murima2025, tenant), { limit: 50 });
    expect(wide).toMatchObject({ type: 'hash', length: 3_000, truncated: true });
    expect(wide.type === 'hash' && wide.fields).toHaveLength(50);
  });

  it('refuses a key outside the tenant’s prefix and says when a key is gone', async () => {
    const reader = redisReader(client);
    await expect(reader.readValue(`${other}:session:s1`, scopeFor(murima2025, tenant), { limit: 10 })).rejects.toSatisfy((e) =>
      AppError.is(e, 'forbidden'),
    );
    await expect(reader.readValue(`${tenant}:session:nope`, scopeFor(murima2025, tenant), { limit: 10 })).rejects.toSatisfy((e) =>
      AppError.is(e, 'not_found'),
    );
  });
});
