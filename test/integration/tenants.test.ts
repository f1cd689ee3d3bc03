import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { Redis as RedisClient } from 'ioredis';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AppError } from '@shared/errors';
import { quoteIdent } from '@shared/sql/identifiers';
import { murima2025, tenantSchemaName } from '@shared/tenancy';
import type { RedisReader } from '../../src/main/stores/redis/pipe';
import { redisReadsOver } from '../../src/main/stores/redis/reads';
import type { TenantStores } from '../../src/main/features/tenants/service';
import { createTenantsService, type TenantsCallContext } from '../../src/main/features/tenants/service';
import {
  createBlueprintSchema,
  createRegistry,
  createScratchDatabase,
  currentMonth,
  pgLayout,
  postgresReader,
  redisClient,
  redisReader,
  registerTenant,
  tenantIds,
  writeTenantKeys,
} from './tenants-fixtures';

interface Emitted {
  name: string;
  payload: unknown;
}

function callContext(signal = new AbortController().signal): TenantsCallContext & { events: Emitted[] } {
  const events: Emitted[] = [];
  return { signal, events, emit: (name, payload) => void events.push({ name, payload }) };
}

const monthsAgo = (n: number): string => {
  const now = new Date();
  return currentMonth(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - n, 1)));
};

describe('Tenant list and summary across PostgreSQL and Redis', () => {
  let db: { pool: pg.Pool; drop(): Promise<void> };
  let redis: Redis;
  // healthy[0..5]: registry row, schema, users, Redis keys.
  const healthy = tenantIds(6);
  const [dropped, rowOnly, ghost, stranger] = tenantIds(4) as [string, string, string, string];
  let stores: TenantStores;

  beforeAll(async () => {
    db = await createScratchDatabase(inject('postgres').url, 'tenants_it');
    await createRegistry(db.pool);
    for (const [i, id] of healthy.entries()) {
      await registerTenant(db.pool, id, `Tenant ${String.fromCharCode(65 + i)}`, i === 5 ? 'suspended' : 'active');
      await createBlueprintSchema(db.pool, id, monthsAgo(1), currentMonth());
      const schema = quoteIdent(tenantSchemaName(pgLayout, id));
      await db.pool.query(
        `INSERT INTO ${schema}.users (tenant_id, username, email, password_hash, role)
         SELECT $1, 'user' || g, 'user' || g || '@example.test', 'x', 'agent' FROM generate_series(1, $2::int) g`,
        [id, (i + 1) * 3],
      );
    }
    // Injected inconsistencies: a schema dropped under a registered tenant, a registry row that
    // never had a schema, a schema with no registry row, and Redis keys of an unknown tenant.
    await registerTenant(db.pool, dropped, 'Dropped Ltd');
    await createBlueprintSchema(db.pool, dropped, currentMonth(), currentMonth());
    await db.pool.query(`DROP SCHEMA ${quoteIdent(tenantSchemaName(pgLayout, dropped))} CASCADE`);
    await registerTenant(db.pool, rowOnly, 'Row Only');
    await createBlueprintSchema(db.pool, ghost, currentMonth(), currentMonth());
    await db.pool.query('ANALYZE');

    redis = redisClient(inject('redis').url, 5);
    await redis.flushdb();
    for (const [i, id] of healthy.entries()) await writeTenantKeys(redis, id, i + 1);
    await writeTenantKeys(redis, stranger, 1);
    await redis.set('orphan-without-prefix', '1');
    stores = { preset: murima2025, postgres: postgresReader(db.pool), redis: redisReader(redis) };
  });

  afterAll(async () => {
    await redis?.flushdb();
    redis?.disconnect();
    await db?.drop();
  });

  /** Leaf tables and their exact row counts, straight from the schema. */
  async function directSchemaCounts(id: string): Promise<{ tables: number; rows: number }> {
    const schema = tenantSchemaName(pgLayout, id);
    const { rows: tables } = await db.pool.query<{ relname: string; relkind: string; relispartition: boolean }>(
      `SELECT c.relname, c.relkind, c.relispartition FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')`,
      [schema],
    );
    let rows = 0;
    for (const table of tables.filter((t) => t.relkind === 'r')) {
      const { rows: counted } = await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdent(schema)}.${quoteIdent(table.relname)}`);
      rows += Number(counted[0]?.n);
    }
    return { tables: tables.filter((t) => !t.relispartition).length, rows };
  }

  it('lists every registered tenant, every tenant schema and every Redis prefix once, with the stores’ own counts', async () => {
    const service = createTenantsService({ openStores: async () => stores });
    const list = await service.list({ workspaceId: 'demo' }, callContext());

    const { rows: registry } = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM public.tenants');
    const { rows: schemas } = await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM pg_namespace WHERE nspname LIKE 'tenant\\_%'");
    expect(list.tenants.filter((t) => t.registered)).toHaveLength(Number(registry[0]?.n));
    expect(list.tenants.filter((t) => t.footprint.postgres?.schema)).toHaveLength(Number(schemas[0]?.n));
    expect(list.tenants.map((t) => t.id).sort()).toEqual([...healthy, dropped, rowOnly, ghost, stranger].sort());
    expect(list.stores).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ store: 'postgres', state: 'ok' }),
        expect.objectContaining({ store: 'redis', state: 'ok' }),
        expect.objectContaining({ store: 'mongo', state: 'not_configured' }),
        expect.objectContaining({ store: 'elastic', state: 'not_configured' }),
      ]),
    );

    for (const [i, id] of healthy.entries()) {
      const tenant = list.tenants.find((t) => t.id === id);
      const direct = await directSchemaCounts(id);
      expect(tenant).toMatchObject({ name: `Tenant ${String.fromCharCode(65 + i)}`, status: i === 5 ? 'suspended' : 'active', registered: true });
      expect(tenant?.footprint.postgres?.tables).toBe(direct.tables);
      expect(tenant?.footprint.postgres?.rowsEstimate).toBe(direct.rows);
      expect(tenant?.footprint.postgres?.bytesEstimate).toBeGreaterThan(0);
      expect(tenant?.footprint.redis?.keys).toBe((await redis.keys(`${id}:*`)).length);
      expect(tenant?.lastActivity).not.toBeNull();
      expect(tenant?.inconsistencies).toEqual([]);
    }
  });

  it('reports each injected inconsistency on the tenant it concerns', async () => {
    const service = createTenantsService({ openStores: async () => stores });
    const { tenants } = await service.list({ workspaceId: 'demo' }, callContext());
    const kinds = (id: string) => tenants.find((t) => t.id === id)?.inconsistencies.map((i) => i.kind);
    expect(kinds(dropped)).toEqual(['tenant_without_schema']);
    expect(kinds(rowOnly)).toEqual(['tenant_without_schema']);
    expect(kinds(ghost)).toEqual(['schema_without_tenant']);
    expect(kinds(stranger)).toEqual(['keys_of_unknown_tenant']);
    expect(tenants.find((t) => t.id === stranger)?.inconsistencies[0]?.message).toContain('9 Redis keys');
    expect(tenants.filter((t) => t.inconsistencies.length > 0)).toHaveLength(4);
  });

  it('streams each store’s rows as soon as it answers', async () => {
    const service = createTenantsService({ openStores: async () => stores });
    const context = callContext();
    const list = await service.list({ workspaceId: 'demo', requestId: 'r1' }, context);
    const footprints = context.events.filter((e) => e.name === 'tenants.footprints').map((e) => e.payload as { store: string; requestId: string; rows: unknown[] });
    expect(footprints.map((f) => f.store).sort()).toEqual(['elastic', 'mongo', 'postgres', 'redis']);
    expect(footprints.every((f) => f.requestId === 'r1')).toBe(true);
    expect(footprints.find((f) => f.store === 'postgres')?.rows).toHaveLength(list.tenants.filter((t) => t.footprint.postgres).length);
    expect(footprints.find((f) => f.store === 'redis')?.rows).toHaveLength(healthy.length + 1);
    const progress = context.events.filter((e) => e.name === 'tenants.namespaceProgress');
    expect(progress.at(-1)?.payload).toMatchObject({ done: true, workspaceId: 'demo', requestId: 'r1' });
  });

  it('reports a down store with its reason while the others still answer', async () => {
    const dead = new RedisClient({ host: '127.0.0.1', port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      const service = createTenantsService({ openStores: async () => ({ ...stores, redis: redisReader(dead) }) });
      const list = await service.list({ workspaceId: 'down' }, callContext());
      const redisAnswer = list.stores.find((s) => s.store === 'redis');
      expect(redisAnswer?.state).toBe('down');
      expect(redisAnswer?.reason).toBeTruthy();
      expect(list.tenants.filter((t) => t.footprint.postgres)).toHaveLength(healthy.length + 3);
      expect(list.tenants.some((t) => t.footprint.redis)).toBe(false);
    } finally {
      dead.disconnect();
    }
  });

  it('reports a slow store after its timeout without holding up the others', async () => {
    const hanging: RedisReader = { pipeline: () => new Promise(() => undefined) };
    const service = createTenantsService({ openStores: async () => ({ ...stores, redis: redisReadsOver(hanging) }), storeTimeoutMs: 300 });
    const list = await service.list({ workspaceId: 'slow' }, callContext());
    expect(list.stores.find((s) => s.store === 'redis')).toMatchObject({ state: 'timeout' });
    expect(list.stores.find((s) => s.store === 'postgres')).toMatchObject({ state: 'ok' });
    expect(list.tenants.filter((t) => t.registered)).toHaveLength(healthy.length + 2);
  });

  it('keeps walking a keyspace too slow for the deadline and serves the finished map to the next listing', async () => {
    const real = redisReader(redis);
    const slow: RedisReader = { pipeline: async (commands) => (await sleep(150), real.pipeline(commands)) };
    const service = createTenantsService({ openStores: async () => ({ ...stores, redis: redisReadsOver(slow) }), storeTimeoutMs: 200 });
    const first = await service.list({ workspaceId: 'slow-walk' }, callContext());
    expect(first.stores.find((s) => s.store === 'redis')).toMatchObject({ state: 'timeout', reason: expect.stringContaining('still being built') });
    await sleep(1_500);
    const second = await service.list({ workspaceId: 'slow-walk' }, callContext());
    expect(second.stores.find((s) => s.store === 'redis')?.state).toBe('ok');
    expect(second.tenants.find((t) => t.id === healthy[0])?.footprint.redis?.keys).toBe((await redis.keys(`${healthy[0]}:*`)).length);
  });

  it('refuses to list once the caller has cancelled', async () => {
    const service = createTenantsService({ openStores: async () => stores });
    const controller = new AbortController();
    controller.abort();
    await expect(service.list({ workspaceId: 'demo' }, callContext(controller.signal))).rejects.toSatisfy((e) => AppError.is(e, 'cancelled'));
  });

  it('summarises one tenant with no drift when its schema is the blueprint', async () => {
    const service = createTenantsService({ openStores: async () => stores });
    const summary = await service.get({ workspaceId: 'demo', tenantId: healthy[0] as string }, callContext());
    expect(summary.tenant).toMatchObject({ id: healthy[0], name: 'Tenant A', registered: true, inconsistencies: [] });
    expect(summary.tenant.footprint.redis?.keys).toBe((await redis.keys(`${healthy[0]}:*`)).length);
    expect(summary.drift).toEqual([]);
  });

  it('lists missing and extra indexes, policies and partitions as drift', async () => {
    const id = healthy[1] as string;
    const schema = quoteIdent(tenantSchemaName(pgLayout, id));
    const droppedIndex = murima2025.blueprint.postgres!.indexes[0]!;
    const droppedPolicy = murima2025.blueprint.postgres!.policies[0]!;
    await db.pool.query(`DROP INDEX ${schema}.${quoteIdent(droppedIndex.name)}`);
    await db.pool.query(`DROP POLICY ${quoteIdent(droppedPolicy.name)} ON ${schema}.${quoteIdent(droppedPolicy.table)}`);
    await db.pool.query(`CREATE INDEX idx_users_extra ON ${schema}.users (last_login)`);
    await db.pool.query(`DROP TABLE ${schema}.interactions_default`);
    await db.pool.query(`CREATE TABLE ${schema}.scratch (id int)`);

    const service = createTenantsService({ openStores: async () => stores });
    const { drift } = await service.get({ workspaceId: 'demo', tenantId: id }, callContext());
    expect(drift).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'index', change: 'missing', name: droppedIndex.name, table: droppedIndex.table }),
        expect.objectContaining({ kind: 'policy', change: 'missing', name: droppedPolicy.name, table: droppedPolicy.table }),
        expect.objectContaining({ kind: 'index', change: 'extra', name: 'idx_users_extra', table: 'users' }),
        expect.objectContaining({ kind: 'partition', change: 'missing', name: 'interactions_default', table: 'interactions' }),
        expect.objectContaining({ kind: 'table', change: 'extra', name: 'scratch' }),
      ]),
    );
    expect(drift).toHaveLength(5);
  });

  it('summarises a registered tenant without a schema: the inconsistency, and every blueprint table missing', async () => {
    const service = createTenantsService({ openStores: async () => stores });
    const summary = await service.get({ workspaceId: 'demo', tenantId: rowOnly }, callContext());
    expect(summary.tenant.inconsistencies.map((i) => i.kind)).toEqual(['tenant_without_schema']);
    const missingTables = summary.drift?.filter((d) => d.kind === 'table' && d.change === 'missing').map((d) => d.name);
    expect(missingTables?.sort()).toEqual(murima2025.blueprint.postgres!.tables.map((t) => t.name).sort());
  });

  it('refuses a hostile tenant id and answers not_found for a tenant no store knows', async () => {
    const service = createTenantsService({ openStores: async () => stores });
    await expect(service.get({ workspaceId: 'demo', tenantId: 'x"; drop schema public; --' }, callContext())).rejects.toSatisfy((e) =>
      AppError.is(e, 'invalid_argument'),
    );
    await expect(service.get({ workspaceId: 'demo', tenantId: tenantIds(1)[0] as string }, callContext())).rejects.toSatisfy((e) =>
      AppError.is(e, 'not_found'),
    );
    const { rows } = await db.pool.query("SELECT count(*) AS n FROM pg_namespace WHERE nspname = 'public'");
    expect(Number(rows[0]?.n)).toBe(1);
  });
});
