import type { Redis } from 'ioredis';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PostgresEndpoint, RedisEndpoint } from '@shared/model/workspace';
import { murima2025 } from '@shared/tenancy';
import { buildNamespaceMap } from '../../src/main/features/tenants/redis/namespace-map';
import { createTenantsService, redisLayoutOf, type TenantsCallContext } from '../../src/main/features/tenants/service';
import type { RedisLayout } from '@shared/tenancy/key-families';
import { PostgresStore } from '../../src/main/stores/postgres/store';
import { RedisStore } from '../../src/main/stores/redis/store';
import {
  createBlueprintSchema,
  createRegistry,
  createScratchDatabase,
  currentMonth,
  postgresReader,
  redisClient,
  redisReader,
  registerTenant,
  tenantIds,
  writeTenantKeys,
} from './tenants-fixtures';

const context = (): TenantsCallContext => ({ signal: new AbortController().signal, emit: () => undefined });
const layout = redisLayoutOf(murima2025) as RedisLayout;

/**
 * The tenant browser over the console's own data services, in a read-only (prod) workspace: the
 * same answers as over the bare drivers, and nothing refused, because every call is a read.
 */
describe('Tenant browser over PostgresStore and RedisStore, read-only', () => {
  let db: { pool: pg.Pool; drop(): Promise<void> };
  let redis: Redis;
  let postgresStore: PostgresStore;
  let redisStore: RedisStore;
  const ids = tenantIds(4);
  const [unregistered] = tenantIds(1) as [string];

  /** Only this suite's keys: database 0 is shared with other suites. */
  async function removeFixtureKeys(): Promise<void> {
    for (const id of [...ids, unregistered]) {
      const keys = await redis.keys(`${id}:*`);
      if (keys.length > 0) await redis.del(...keys);
    }
  }

  beforeAll(async () => {
    const server = inject('postgres');
    db = await createScratchDatabase(server.url, 'tenants_stores_it');
    await createRegistry(db.pool);
    for (const [i, id] of ids.entries()) {
      await registerTenant(db.pool, id, `Store tenant ${i}`);
      if (i > 0) await createBlueprintSchema(db.pool, id, currentMonth(), currentMonth());
    }
    // Database 0: RedisStore does not select the endpoint's db yet (reported), so the fixture lives where it looks.
    redis = redisClient(inject('redis').url, 0);
    await removeFixtureKeys();
    for (const [i, id] of ids.entries()) await writeTenantKeys(redis, id, i + 2);
    await writeTenantKeys(redis, unregistered, 1);

    const endpoint = PostgresEndpoint.parse({ host: server.host, port: server.port, database: 'tenants_stores_it', username: server.user });
    postgresStore = new PostgresStore(endpoint, { password: server.password }, { readOnly: true });
    const redisServer = inject('redis');
    redisStore = new RedisStore(RedisEndpoint.parse({ host: redisServer.host, port: redisServer.port, db: 0 }), { password: redisServer.password }, { readOnly: true });
  });

  afterAll(async () => {
    await postgresStore?.close();
    await redisStore?.close();
    await removeFixtureKeys();
    redis?.disconnect();
    await db?.drop();
  });

  it('builds the same namespace map through the Redis data service as over the driver', async () => {
    const direct = await buildNamespaceMap(redisReader(redis), layout);
    const viaStore = await buildNamespaceMap(redisStore, layout);
    expect(viaStore.totalKeys).toBe(direct.totalKeys);
    const summary = (map: typeof direct) => map.tenants.map((t) => [t.id, t.keys, t.families]).sort();
    expect(summary(viaStore)).toEqual(summary(direct));
    expect(viaStore.families.find((f) => f.name === 'online_users')?.ttl.none).toBe(ids.length + 1);
    expect(viaStore.families.find((f) => f.name === 'session')?.meanBytes).toBeGreaterThan(0);

    // A writable store runs the TTL script (EVAL_RO); the read-only one fell back to PTTL: same buckets.
    const redisServer = inject('redis');
    const writable = new RedisStore(RedisEndpoint.parse({ host: redisServer.host, port: redisServer.port, db: 0 }), { password: redisServer.password });
    try {
      const viaScript = await buildNamespaceMap(writable, layout);
      const buckets = (map: typeof direct) => map.tenants.map((t) => [t.id, t.ttl]).sort();
      expect(buckets(viaScript)).toEqual(buckets(direct));
      // inspectKeys gives TTLs in whole seconds, so a key a hair under a bucket edge may land one
      // bucket up; the keys without TTL and the total are exact.
      const coarse = (map: typeof direct) =>
        map.tenants.map((t) => [t.id, t.ttl.none, Object.values(t.ttl).reduce((a, b) => a + b, 0)]).sort();
      expect(coarse(viaStore)).toEqual(coarse(direct));
    } finally {
      await writable.close();
    }
  });

  it('lists the same tenants and inconsistencies through the data services as over the drivers', async () => {
    const overStores = createTenantsService({
      openStores: async () => ({ preset: murima2025, postgres: postgresStore, redis: redisStore }),
    });
    const overDrivers = createTenantsService({
      openStores: async () => ({ preset: murima2025, postgres: postgresReader(db.pool), redis: redisReader(redis) }),
    });
    const [a, b] = await Promise.all([overStores.list({ workspaceId: 'prod' }, context()), overDrivers.list({ workspaceId: 'prod' }, context())]);
    expect(a.stores.filter((s) => s.state !== 'not_configured').map((s) => s.state)).toEqual(['ok', 'ok']);
    const shape = (list: typeof a) =>
      list.tenants.map((t) => ({ id: t.id, name: t.name, tables: t.footprint.postgres?.tables, keys: t.footprint.redis?.keys, kinds: t.inconsistencies.map((i) => i.kind) }));
    expect(shape(a)).toEqual(shape(b));
    expect(a.tenants.find((t) => t.id === ids[0])?.inconsistencies.map((i) => i.kind)).toEqual(['tenant_without_schema']);
    expect(a.tenants.find((t) => t.id === unregistered)?.inconsistencies.map((i) => i.kind)).toEqual(['keys_of_unknown_tenant']);
  });

  it('reads a tenant’s keys, a value and the drift through the data services', async () => {
    const service = createTenantsService({
      openStores: async () => ({ preset: murima2025, postgres: postgresStore, redis: redisStore }),
    });
    const id = ids[1] as string;
    const page = await service.keys({ workspaceId: 'prod', tenantId: id, family: 'session', cursor: '0', pageSize: 100 }, context());
    // A session id is a credential: the names come back masked, the keys open by their refs.
    expect(page.keys.map((k) => k.key)).toEqual([`${id}:session:••••`, `${id}:session:••••`, `${id}:session:••••`]);
    expect(page.keys.every((k) => k.type === 'hash' && (k.ttlMs ?? 0) > 0)).toBe(true);
    const value = await service.keyValue({ workspaceId: 'prod', tenantId: id, keyRef: page.keys[0]!.keyRef, limit: 10 }, context());
    expect(value).toMatchObject({ type: 'hash', length: 3 });
    const summary = await service.get({ workspaceId: 'prod', tenantId: id }, context());
    expect(summary.drift).toEqual([]);
  });
});
