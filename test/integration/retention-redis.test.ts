import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { monthOf, shiftMonth } from '@shared/model/retention';
import { RedisEndpoint } from '@shared/model/workspace';
import { murima2025 } from '@shared/tenancy';
import { createConsole, type ConsoleCore } from '../../src/main/core/console';
import { redisTtlKind } from '../../src/main/features/retention/redis-ttl-job';
import { RedisStore } from '../../src/main/stores/redis/store';
import { apiOf, until } from '../support/job-database';
import { redisClient } from './tenants-fixtures';

const REDIS_DB = 14;
const SESSION_TTL = 86_400;

/** Keys whose prefix is no tenant's, with glob characters in it: no job may touch them. */
const HOSTILE = ['*:session:x', '[ab]:session:y', 'a*b:session:z', '\\*:session:w', '?:session:v'];

/**
 * Redis key families against the blueprint's TTLs, through the console's router on a real Redis:
 * the families and tenants whose keys lack a prescribed TTL are found exactly, the fix job gives the
 * blueprint's TTL to exactly the keys without one, a cancelled run leaves the keys it did not reach
 * as they were, hostile names are refused or left alone, and support is refused the change.
 */
describe('retention: Redis key families against the blueprint TTLs', () => {
  const server = inject('redis');
  let core: ConsoleCore;
  let dataDir: string;
  let connection: ReturnType<typeof apiOf>;
  let client: Redis;
  let workspaceId: string;
  const [alpha, beta, crowd] = [randomUUID(), randomUUID(), randomUUID()];
  const CROWD = 3_000;
  const api = () => connection.api;
  const ttlOf = (key: string) => client.ttl(key);
  const settled = async (jobId: string) => {
    await until(async () => ['succeeded', 'failed', 'cancelled'].includes((await api().jobs.get({ workspaceId, jobId })).state), 60_000);
    return api().jobs.get({ workspaceId, jobId });
  };
  const errorOf = (work: Promise<unknown>): Promise<{ code?: string; message?: string }> =>
    work.then(
      () => {
        throw new Error('expected a refusal');
      },
      (error: unknown) => error as { code?: string; message?: string },
    );
  /** Keys of `pattern` in the database by whether they have a TTL. */
  async function byTtl(pattern: string): Promise<{ with: string[]; without: string[] }> {
    const out = { with: [] as string[], without: [] as string[] };
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) ((await client.ttl(key)) === -1 ? out.without : out.with).push(key);
    } while (cursor !== '0');
    return out;
  }

  beforeAll(async () => {
    client = redisClient(server.url, REDIS_DB);
    await client.flushdb();
    const p = client.pipeline();
    // alpha: 5 sessions with a short TTL, 4 without, 1 over the blueprint's 24 h; 2 cases and a viewers set without.
    for (let i = 0; i < 5; i++) p.hset(`${alpha}:session:ok${i}`, { u: 'x' }).expire(`${alpha}:session:ok${i}`, 5_000);
    for (let i = 0; i < 4; i++) p.hset(`${alpha}:session:bare${i}`, { u: 'x' });
    p.hset(`${alpha}:session:long`, { u: 'x' }).expire(`${alpha}:session:long`, 200_000);
    p.hset(`${alpha}:case:c1`, { t: 'x' }).hset(`${alpha}:case:c2`, { t: 'x' });
    p.sadd(`${alpha}:case:c1:viewers`, 'u1');
    p.zadd(`${alpha}:online_users`, 1, 'u1');
    // beta: everything as prescribed.
    for (let i = 0; i < 3; i++) p.hset(`${beta}:session:s${i}`, { u: 'x' }).expire(`${beta}:session:s${i}`, SESSION_TTL);
    p.set(`${beta}:locks:r1`, '1', 'EX', 30);
    // crowd: many sessions without a TTL, for the cancel.
    for (let i = 0; i < CROWD; i++) p.hset(`${crowd}:session:n${i}`, { u: 'x' });
    for (const key of HOSTILE) p.hset(key, { u: 'x' });
    await p.exec();
    dataDir = await mkdtemp(join(tmpdir(), 'tenantscope-retention-redis-'));
    core = await createConsole({ dataDir, mode: 'web', version: 'test' });
    connection = apiOf(core);
    const endpoints = { redis: { host: server.host, port: server.port, db: REDIS_DB, password: server.password } };
    ({ id: workspaceId } = await api().workspaces.create({ workspace: { name: 'Retention Redis', environment: 'dev', preset: 'murima2025', endpoints } }));
  }, 120_000);

  afterAll(async () => {
    connection?.close();
    await core?.close();
    await client?.flushdb();
    client?.disconnect();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('finds exactly the families and tenants whose keys lack the prescribed TTL or exceed it', async () => {
    const view = await api().retention.redis({ workspaceId, refresh: true });
    if (!view.available) throw new Error(view.reason);
    expect(view.ttlIsEstimate).toBe(false);
    const family = (name: string) => view.families.find((f) => f.family === name);
    expect(family('session')).toMatchObject({ prescribedSeconds: SESSION_TTL, keys: 5 + 4 + 1 + 3 + CROWD, noTtl: 4 + CROWD, overPrescribed: 1, state: 'both', tenantsAffected: 2 });
    expect(family('case')).toMatchObject({ keys: 2, noTtl: 2, overPrescribed: 0, state: 'missing_ttl', tenantsAffected: 1 });
    expect(family('case_viewers')).toMatchObject({ keys: 1, noTtl: 1, state: 'missing_ttl' });
    // online_users lives until removed (§2.3.2): no TTL is no finding.
    expect(family('online_users')).toMatchObject({ prescribedSeconds: null, keys: 1, noTtl: 0, state: 'ok' });
    expect(family('locks')).toMatchObject({ keys: 1, noTtl: 0, overPrescribed: 0, state: 'ok' });
    // The hostile keys are no tenant's: counted under `other`, never a tenant's finding.
    expect(family('other')?.keys).toBe(HOSTILE.length);
    expect(view.tenantsWithFindings).toBe(2);
    expect(view.tenants.map((t) => [t.tenantId, t.noTtl, t.overPrescribed])).toEqual([
      [crowd, CROWD, 0],
      [alpha, 4 + 2 + 1, 1],
    ]);
    // The lanes the console hands the time view come from the same map: alpha's sessions and cases are errors now.
    const now = monthOf(new Date());
    const months = [shiftMonth(now, -1), now, shiftMonth(now, 1)];
    const source = core.laneSources.find((s) => s.store === 'redis');
    const lanes = await source?.tenantLanes({ workspaceId, tenantId: alpha, months, now }, new AbortController().signal);
    const lane = (name: string) => lanes?.find((l) => l.name === name);
    expect(lane('session:{session_id}')?.cells.slice(0, 2).map((c) => c.state)).toEqual(['none', 'error']);
    // Its reach is the longest TTL read: the one session kept for 200,000 s.
    expect(lane('session:{session_id}')?.horizon).toBe(monthOf(new Date(Date.now() + 200_000_000)));
    expect(lane('session:{session_id}')?.note).toContain('4 key(s) without the prescribed TTL of 86400 s');
    expect(lane('case:{case_id}')?.cells[1]?.state).toBe('error');
    expect(lane('online_users')?.cells.map((c) => c.state)).toEqual(['none', 'none', 'none']);
    const one = await api().retention.redis({ workspaceId, tenantId: beta });
    if (!one.available) throw new Error(one.reason);
    expect(one.tenants).toHaveLength(1);
    expect(one.tenants[0]).toMatchObject({ tenantId: beta, keys: 4, noTtl: 0, overPrescribed: 0 });
    expect(one.tenants[0]?.families.find((f) => f.family === 'session')?.ttl).toEqual({ none: 0, under_1m: 0, under_1h: 0, under_1d: 3, longer: 0 });
  });

  it('gives exactly the keys without a TTL the blueprint TTL, in one tenant, and leaves every other key as it was', async () => {
    const before = await Promise.all([`${alpha}:session:ok0`, `${alpha}:session:long`].map(ttlOf));
    const job = await api().retention.fixRedisTtl({ workspaceId, family: 'session', tenantId: alpha });
    const done = await settled(job.id);
    expect(done.state).toBe('succeeded');
    expect(done.result).toMatchObject({ family: 'session', ttlSeconds: SESSION_TTL, keys: 10, set: 4, kept: 6 });
    for (let i = 0; i < 4; i++) {
      const ttl = await ttlOf(`${alpha}:session:bare${i}`);
      expect(ttl).toBeGreaterThan(SESSION_TTL - 60);
      expect(ttl).toBeLessThanOrEqual(SESSION_TTL);
    }
    // Keys that had a TTL keep theirs (shorter or longer than the blueprint's).
    const after = await Promise.all([`${alpha}:session:ok0`, `${alpha}:session:long`].map(ttlOf));
    expect(after[0]).toBeLessThanOrEqual(before[0] ?? 0);
    expect(after[0]).toBeLessThan(5_001);
    expect(after[1]).toBeGreaterThan(SESSION_TTL);
    // Another family of the tenant, other tenants and keys of no tenant are untouched.
    expect(await Promise.all([`${alpha}:case:c1`, `${alpha}:case:c1:viewers`, `${alpha}:online_users`].map(ttlOf))).toEqual([-1, -1, -1]);
    expect((await byTtl(`${crowd}:session:*`)).without).toHaveLength(CROWD);
    expect(await Promise.all(HOSTILE.map(ttlOf))).toEqual(HOSTILE.map(() => -1));
    // The job's outcome is in the workspace's audit journal.
    const journal = await api().audit.query({ workspaceId, limit: 50 });
    expect(JSON.stringify(journal)).toContain(job.id);
    // The map was forgotten after the change: the next view reads the keyspace again.
    const view = await api().retention.redis({ workspaceId });
    if (!view.available) throw new Error(view.reason);
    expect(view.tenants.find((t) => t.tenantId === alpha)).toMatchObject({ noTtl: 2 + 1, overPrescribed: 1 });
  });

  it('a cancelled run over every tenant leaves the keys it had not reached without a TTL; a second run finishes them', async () => {
    const parsed = new URL(server.url);
    const store = new RedisStore(RedisEndpoint.parse({ host: parsed.hostname, port: Number(parsed.port), db: REDIS_DB }), { password: server.password });
    await store.connect();
    try {
      const kind = redisTtlKind(async () => ({ workspaceId: 'w', preset: murima2025, redis: store }));
      const controller = new AbortController();
      const lines: string[] = [];
      const context = {
        jobId: 'job_retentionredistest01',
        signal: controller.signal,
        stores: { workspaceId: 'w', preset: murima2025, redis: store },
        // The first page that gave keys a TTL is the last: cancel as its progress is told.
        progress: (_done: number, _total: number | null, phase: string) => {
          if (/^[1-9]\d* key/.test(phase)) controller.abort();
        },
        log: (line: string) => lines.push(line),
      };
      await expect(kind.run(kind.params.parse({ family: 'session', allTenants: true }), context)).rejects.toMatchObject({ code: 'cancelled' });
      const cancelLine = lines.find((l) => l.startsWith('Cancelled'));
      const given = Number(/(\d+) key\(s\) were given a TTL/.exec(cancelLine ?? '')?.[1]);
      const crowdKeys = await byTtl(`${crowd}:session:*`);
      expect(given).toBeGreaterThan(0);
      expect(crowdKeys.with.length).toBe(given);
      expect(crowdKeys.without.length).toBe(CROWD - given);
      for (const key of crowdKeys.with.slice(0, 20)) expect(await ttlOf(key)).toBeGreaterThan(SESSION_TTL - 60);
      expect(await Promise.all(HOSTILE.map(ttlOf))).toEqual(HOSTILE.map(() => -1));

      const again = await kind.run(kind.params.parse({ family: 'session', allTenants: true }), { ...context, signal: new AbortController().signal, progress: () => undefined });
      expect(again).toMatchObject({ set: CROWD - given, tenants: 1 });
      expect((await byTtl(`${crowd}:session:*`)).without).toHaveLength(0);
      expect(await Promise.all(HOSTILE.map(ttlOf))).toEqual(HOSTILE.map(() => -1));
    } finally {
      await store.close();
    }
  });

  it('refuses hostile tenant ids and family names before any job starts', async () => {
    const before = (await api().jobs.list({ workspaceId })).jobs.length;
    for (const tenantId of ['*', 'a*b', '[ab]', '..', 'x:y', `${alpha}*`]) {
      expect(await errorOf(api().retention.fixRedisTtl({ workspaceId, family: 'session', tenantId }))).toMatchObject({ code: 'invalid_argument' });
    }
    // A tenant id of the right characters that is no UUID is no Murima2025 tenant.
    expect(await errorOf(api().retention.fixRedisTtl({ workspaceId, family: 'session', tenantId: 'abc' }))).toMatchObject({ code: 'invalid_argument' });
    expect(await errorOf(api().retention.fixRedisTtl({ workspaceId, family: 'session:*', tenantId: alpha }))).toMatchObject({ code: 'invalid_argument' });
    expect(await errorOf(api().retention.fixRedisTtl({ workspaceId, family: 'sessions', tenantId: alpha }))).toMatchObject({ code: 'not_found' });
    expect(await errorOf(api().retention.fixRedisTtl({ workspaceId, family: 'online_users', tenantId: alpha }))).toMatchObject({ code: 'invalid_argument' });
    expect(await errorOf(api().retention.redis({ workspaceId, tenantId: '*' }))).toMatchObject({ code: 'invalid_argument' });
    // Export-then-drop: the typed confirmation and the months are checked before the workspace is looked at.
    const drop = { workspaceId, tenantId: alpha, family: 'audit_logs', months: ['2024-01', '2024-02'] };
    expect(await errorOf(api().retention.exportDrop({ ...drop, confirm: 'drop 1 audit_logs' }))).toMatchObject({ code: 'invalid_argument' });
    expect(await errorOf(api().retention.exportDrop({ ...drop, months: ['2024-01', '2024-01'], confirm: 'drop 2 audit_logs' }))).toMatchObject({ code: 'invalid_argument' });
    expect(await errorOf(api().retention.exportDrop({ ...drop, months: ['2024-13'], confirm: 'drop 1 audit_logs' }))).toMatchObject({ code: 'invalid_argument' });
    expect(await errorOf(api().retention.exportDrop({ ...drop, tenantId: 'a*b', confirm: 'drop 2 audit_logs' }))).toMatchObject({ code: 'invalid_argument' });
    // Months inside the retention are refused by name; confirmed as asked, it still needs a MongoDB, which this workspace does not have.
    const current = monthOf(new Date());
    expect(await errorOf(api().retention.exportDrop({ ...drop, months: [current], confirm: 'drop 1 audit_logs' }))).toMatchObject({ code: 'conflict', message: expect.stringContaining(current) });
    expect(await errorOf(api().retention.exportDrop({ ...drop, confirm: 'drop 2 audit_logs' }))).toMatchObject({ code: 'unreachable' });
    expect(await api().retention.mongo({ workspaceId })).toEqual({ available: false, reason: 'This workspace has no MongoDB endpoint; add one in the workspace editor.' });
    expect((await api().jobs.list({ workspaceId })).jobs.length).toBe(before);
  });

  it('lets support read the view and refuses it the fix; prod refuses it without an unlock', async () => {
    await api().access.setOperator({ workspaceId, name: 'Sam', email: 'sam@example.com', role: 'support' });
    try {
      const view = await api().retention.redis({ workspaceId });
      expect(view.available).toBe(true);
      expect(await errorOf(api().retention.fixRedisTtl({ workspaceId, family: 'case', tenantId: alpha }))).toMatchObject({ code: 'forbidden' });
    } finally {
      await api().access.setOperator({ workspaceId, name: 'Ada', email: 'ada@example.com', role: 'platform_admin' });
    }
    const endpoints = { redis: { host: server.host, port: server.port, db: REDIS_DB, password: server.password } };
    const { id: prod } = await api().workspaces.create({ workspace: { name: 'Retention Redis prod', environment: 'prod', preset: 'murima2025', endpoints } });
    expect(await errorOf(api().retention.fixRedisTtl({ workspaceId: prod, family: 'case', tenantId: alpha }))).toMatchObject({ code: 'read_only' });
    expect(await Promise.all([`${alpha}:case:c1`, `${alpha}:case:c2`].map(ttlOf))).toEqual([-1, -1]);
    // With an audited unlock the job writes through the unlock's writable store.
    await api().access.justify({ workspaceId: prod, scope: 'prod-unlock', reason: 'RET-9: cached cases without their TTL', minutes: 5 });
    const job = await api().retention.fixRedisTtl({ workspaceId: prod, family: 'case', tenantId: alpha });
    const done = await until(async () => ['succeeded', 'failed', 'cancelled'].includes((await api().jobs.get({ workspaceId: prod, jobId: job.id })).state), 60_000).then(() =>
      api().jobs.get({ workspaceId: prod, jobId: job.id }),
    );
    expect(done).toMatchObject({ state: 'succeeded', result: { set: 2 } });
    expect(done.log.map((l) => l.line).join('\n')).toContain('prod unlock');
    for (const ttl of await Promise.all([`${alpha}:case:c1`, `${alpha}:case:c2`].map(ttlOf))) expect(ttl).toBeGreaterThan(1_700);
    expect(await ttlOf(`${alpha}:case:c1:viewers`)).toBe(-1);
  });
});
