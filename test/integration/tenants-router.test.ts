import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AppError } from '@shared/errors';
import { contract } from '@shared/contract';
import type { WorkspaceView } from '@shared/model/workspace';
import { murima2025 } from '@shared/tenancy';
import { createConsole, type ConsoleCore } from '../../src/main/core/console';
import {
  createBlueprintSchema,
  createRegistry,
  createScratchDatabase,
  currentMonth,
  redisClient,
  registerTenant,
  tenantIds,
  writeTenantKeys,
} from './tenants-fixtures';

/**
 * The tenant browser as a renderer reaches it: through the console's router, with arguments
 * validated by the contract, the workspace's stores opened from its saved endpoints and the
 * vault, and events streamed to the caller.
 */
describe('tenants.* through the console router', () => {
  let core: ConsoleCore;
  let dataDir: string;
  let db: { pool: pg.Pool; drop(): Promise<void> };
  let redis: Redis;
  let workspaceId: string;
  const ids = tenantIds(3);
  const session = { connectionId: 'test', operator: { name: 'tester' }, role: 'platform_admin' as const };

  beforeAll(async () => {
    const pgServer = inject('postgres');
    const redisServer = inject('redis');
    db = await createScratchDatabase(pgServer.url, 'tenants_router_it');
    await createRegistry(db.pool);
    for (const [i, id] of ids.entries()) {
      await registerTenant(db.pool, id, `Router tenant ${i}`);
      await createBlueprintSchema(db.pool, id, currentMonth(), currentMonth());
    }
    redis = redisClient(redisServer.url, 0);
    for (const id of ids) await writeTenantKeys(redis, id, 1);

    dataDir = await mkdtemp(join(tmpdir(), 'tenantscope-tenants-router-'));
    core = await createConsole({ dataDir, mode: 'web', version: 'test' });
    const created = (await core.router.invoke(
      'workspaces.create',
      {
        workspace: {
          name: 'Router test',
          environment: 'prod',
          preset: 'murima2025',
          endpoints: {
            postgres: { host: pgServer.host, port: pgServer.port, database: 'tenants_router_it', username: pgServer.user, password: pgServer.password },
            redis: { host: redisServer.host, port: redisServer.port, password: redisServer.password },
          },
        },
      },
      session,
    )) as WorkspaceView;
    workspaceId = created.id;
  });

  afterAll(async () => {
    await core?.close();
    for (const id of ids) {
      const keys = await redis.keys(`${id}:*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    redis?.disconnect();
    await db?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('lists the workspace’s tenants with a valid result, streaming each store’s rows', async () => {
    const events: Array<{ name: string; payload: unknown }> = [];
    const result = await core.router.invoke('tenants.list', { workspaceId, requestId: 'req-1' }, session, undefined, (name, payload) =>
      events.push({ name, payload }),
    );
    const list = contract.tenants.list.result.parse(result);
    for (const id of ids) {
      const tenant = list.tenants.find((t) => t.id === id);
      expect(tenant?.registered).toBe(true);
      expect(tenant?.footprint.postgres?.tables).toBe(murima2025.blueprint.postgres?.tables.length);
      expect(tenant?.footprint.redis?.keys).toBe(9);
      expect(tenant?.inconsistencies).toEqual([]);
    }
    const streamed = events.filter((e) => e.name === 'tenants.footprints').map((e) => contract.tenants.list.result.shape.stores.element.parse((e.payload as { answer: unknown }).answer));
    expect(streamed.map((a) => a.store).sort()).toEqual(['elastic', 'mongo', 'postgres', 'redis']);
  });

  it('validates arguments before any store is touched', async () => {
    await expect(core.router.invoke('tenants.get', { workspaceId, tenantId: "x'; drop table public.tenants; --" }, session)).rejects.toSatisfy((e) =>
      AppError.is(e, 'invalid_argument'),
    );
    await expect(core.router.invoke('tenants.keys', { workspaceId, tenantId: ids[0], cursor: '*' }, session)).rejects.toSatisfy((e) =>
      AppError.is(e, 'invalid_argument'),
    );
    const { rows } = await db.pool.query('SELECT count(*) AS n FROM public.tenants');
    expect(Number(rows[0]?.n)).toBe(ids.length);
  });

  it('answers a tenant summary, its keys and a value in a read-only (prod) workspace', async () => {
    const id = ids[0] as string;
    const summary = contract.tenants.get.result.parse(await core.router.invoke('tenants.get', { workspaceId, tenantId: id }, session));
    expect(summary.tenant.name).toBe('Router tenant 0');
    expect(summary.drift).toEqual([]);
    const page = contract.tenants.keys.result.parse(await core.router.invoke('tenants.keys', { workspaceId, tenantId: id, family: 'case_viewers' }, session));
    expect(page.keys.map((k) => k.key)).toEqual([`${id}:case:c0:viewers`]);
    const value = contract.tenants.keyValue.result.parse(
      await core.router.invoke('tenants.keyValue', { workspaceId, tenantId: id, key: `${id}:case:c0:viewers` }, session),
    );
    expect(value).toMatchObject({ type: 'set', length: 2 });
    const map = contract.tenants.namespaceMap.result.parse(await core.router.invoke('tenants.namespaceMap', { workspaceId }, session));
    expect(map.tenants.filter((t) => ids.includes(t.id))).toHaveLength(ids.length);
  });
});
