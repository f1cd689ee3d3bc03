import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AppError } from '@shared/errors';
import { RedisEndpoint } from '@shared/model/workspace';
import { murima2025, scopeFor } from '@shared/tenancy';
import type { RedisLayout } from '@shared/tenancy/key-families';
import { createTenantsService, redisLayoutOf, type TenantsCallContext } from '../../src/main/features/tenants/service';
import { buildNamespaceMap } from '../../src/main/features/tenants/redis/namespace-map';
import type { RedisCommand, RedisReader, RedisReply } from '../../src/main/stores/redis/pipe';
import { redisReadsOver } from '../../src/main/stores/redis/reads';
import { RedisStore } from '../../src/main/stores/redis/store';
import { FAMILY_KEYS, redisClient, redisReader, tenantIds, writeTenantKeys } from './tenants-fixtures';

const DB = 13;
const layout = redisLayoutOf(murima2025) as RedisLayout;

/** The read pipeline of the fixture, recording each round trip's commands. */
function recording(client: Redis): RedisReader & { trips: RedisCommand[][] } {
  const real = redisReader(client);
  const trips: RedisCommand[][] = [];
  return {
    trips,
    pipeline: async (commands, options): Promise<RedisReply[]> => {
      trips.push([...commands]);
      return real.pipeline(commands, options);
    },
  };
}

const context = (): TenantsCallContext => ({ signal: new AbortController().signal, emit: () => undefined });

describe('Redis walks with lookups riding on the SCAN pages', () => {
  let client: Redis;
  const tenants = tenantIds(12);
  const PER_FAMILY = 6;

  beforeAll(async () => {
    client = redisClient(inject('redis').url, DB);
    await client.flushdb();
    for (const id of tenants) await writeTenantKeys(client, id, PER_FAMILY);
  });

  afterAll(async () => {
    await client.flushdb();
    client.disconnect();
  });

  it('builds the map in the walk’s own round trips: lookups travel with a SCAN page, never alone until the end', async () => {
    const reader = recording(client);
    const map = await buildNamespaceMap(redisReadsOver(reader), layout, { scanCount: 50, memorySamplePerFamily: 4 });
    const [dbsize, ...walk] = reader.trips;
    expect(dbsize).toEqual([['DBSIZE']]);
    const withScan = walk.filter((trip) => trip.some(([name]) => name === 'SCAN'));
    expect(withScan).toHaveLength(map.scanCalls);
    // Only the last page's lookups may need round trips of their own.
    expect(walk.length - withScan.length).toBeLessThanOrEqual(2);
    expect(walk.slice(0, withScan.length).every((trip) => trip.at(-1)?.[0] === 'SCAN')).toBe(true);
    // Only reads of single keys besides SCAN: the TTLs of a page in one read-only script, memory per key.
    const names = new Set(walk.flat().map(([name]) => name));
    expect([...names].sort()).toEqual(['EVAL_RO', 'MEMORY', 'SCAN']);
    const scripted = walk.flat().filter(([name]) => name === 'EVAL_RO');
    expect(scripted.every((command) => Number(command[2]) <= 200)).toBe(true);
    expect(map.ttlIsEstimate).toBe(false);
    expect(map.ttlSampled).toBe(map.totalKeys);
  });

  it('scales TTL buckets from a sample over a big keyspace, says so and from how many keys', async () => {
    const exact = await buildNamespaceMap(redisReader(client), layout);
    const sampled = await buildNamespaceMap(redisReader(client), layout, { ttlSampleTarget: 100 });
    expect(sampled.totalKeys).toBe(exact.totalKeys);
    expect(sampled.ttlIsEstimate).toBe(true);
    // Every n-th key plus each tenant's and family's first: far fewer than all, at least one per tenant.
    expect(sampled.ttlSampled).toBeLessThan(sampled.totalKeys / 2);
    expect(sampled.ttlSampled).toBeGreaterThanOrEqual(tenants.length);
    // Counts stay exact; every tenant's buckets add up to its keys.
    for (const tenant of sampled.tenants) {
      expect(tenant.keys).toBe(exact.tenants.find((t) => t.id === tenant.id)?.keys);
      expect(Object.values(tenant.ttl).reduce((sum, n) => sum + n, 0)).toBe(tenant.keys);
    }
    // Each family here has one TTL, so a family's scaled buckets land exactly on its keys.
    const session = sampled.families.find((f) => f.name === 'session');
    expect(session?.ttl).toEqual({ none: 0, under_1m: 0, under_1h: 0, under_1d: tenants.length * PER_FAMILY, longer: 0 });
    const online = sampled.families.find((f) => f.name === 'online_users');
    expect(online?.ttl.none).toBe(tenants.length);
  });

  it('lists a tenant’s keys with their types and TTLs in the walk’s round trips plus at most two', async () => {
    const reader = recording(client);
    const service = createTenantsService({ openStores: async () => ({ preset: murima2025, redis: redisReadsOver(reader) }) });
    const page = await service.keys({ workspaceId: 'w', tenantId: tenants[0] as string, cursor: '0', pageSize: 1_000 }, context());
    expect(page.cursor).toBe('0');
    expect(page.keys).toHaveLength(FAMILY_KEYS.length * PER_FAMILY + 1);
    expect(page.keys.every((k) => k.type !== 'none')).toBe(true);
    expect(reader.trips.length).toBeLessThanOrEqual(page.scanCalls + 2);
    // The store built the MATCH from the tenant's scope: the feature only named no family.
    const scan = reader.trips.flat().find(([name]) => name === 'SCAN');
    expect(scan?.[3]).toBe(`${tenants[0]}:*`);
  });
});

describe('One count of a tenant’s Redis keys', () => {
  let client: Redis;
  const [tenant] = tenantIds(1) as [string];

  beforeAll(async () => {
    client = redisClient(inject('redis').url, DB + 1);
    await client.flushdb();
    await writeTenantKeys(client, tenant, 2);
  });

  afterAll(async () => {
    await client.flushdb();
    client.disconnect();
  });

  it('the card and the map count the same keys; the list counts what is left after a key expired, until the map is refreshed', async () => {
    const service = createTenantsService({ openStores: async () => ({ preset: murima2025, redis: redisReader(client) }) });
    const listAll = async () => {
      const page = await service.keys({ workspaceId: 'w', tenantId: tenant, cursor: '0', pageSize: 1_000 }, context());
      expect(page.cursor).toBe('0');
      return new Set(page.keys.map((k) => k.keyRef)).size;
    };
    const written = FAMILY_KEYS.length * 2 + 1;
    const map = await service.namespaceMap({ workspaceId: 'w' }, context());
    const card = await service.get({ workspaceId: 'w', tenantId: tenant }, context());
    expect(map.tenants.find((t) => t.id === tenant)?.keys).toBe(written);
    expect(card.tenant.footprint.redis?.keys).toBe(written);
    expect(await listAll()).toBe(written);

    // A lock lives 30 s in the seed; here one goes while the map is cached, as on the demo.
    await client.pexpire(`${tenant}:locks:r0`, 1);
    await sleep(20);
    expect(await listAll()).toBe(written - 1);
    expect((await service.namespaceMap({ workspaceId: 'w' }, context())).tenants.find((t) => t.id === tenant)?.keys).toBe(written);

    const refreshed = await service.namespaceMap({ workspaceId: 'w', refresh: true }, context());
    expect(refreshed.tenants.find((t) => t.id === tenant)?.keys).toBe(written - 1);
    expect((await service.get({ workspaceId: 'w', tenantId: tenant }, context())).tenant.footprint.redis?.keys).toBe(written - 1);
  });
});

describe('RedisStore scoped reads', () => {
  let client: Redis;
  let store: RedisStore;
  const [tenant, other] = tenantIds(2) as [string, string];

  beforeAll(async () => {
    const server = inject('redis');
    client = redisClient(server.url, DB + 2);
    await client.flushdb();
    await writeTenantKeys(client, tenant, 1);
    await writeTenantKeys(client, other, 1);
    store = new RedisStore(RedisEndpoint.parse({ host: server.host, port: server.port, db: DB + 2 }), { password: server.password }, { readOnly: true });
  });

  afterAll(async () => {
    await store?.close();
    await client.flushdb();
    client.disconnect();
  });

  it('walks only the scope’s keys and reads a value on a read-only store, and refuses another tenant’s key as forbidden', async () => {
    const seen: string[] = [];
    await store.walkKeys({}, scopeFor(murima2025, tenant), ({ keys }) => void seen.push(...keys));
    expect(seen.length).toBe(FAMILY_KEYS.length + 1);
    expect(seen.every((key) => key.startsWith(`${tenant}:`))).toBe(true);
    expect(await store.readValue(`${tenant}:config:k0`, scopeFor(murima2025, tenant), { limit: 10 })).toMatchObject({ type: 'string', value: 'value-0' });
    await expect(store.readValue(`${other}:config:k0`, scopeFor(murima2025, tenant), { limit: 10 })).rejects.toSatisfy((e) => AppError.is(e, 'forbidden'));
    await expect(store.readValue(`${tenant}:config:k0`, scopeFor(murima2025, tenant), { limit: 0 })).rejects.toSatisfy((e) => AppError.is(e, 'invalid_argument'));
  });
});
