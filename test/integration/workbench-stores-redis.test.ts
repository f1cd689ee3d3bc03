import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTenantScope } from '../../src/shared/model/tenant-scope';
import type { RedisStore } from '../../src/main/stores/redis/store';
import type { UserQueryOptions, UserQueryPart } from '../../src/main/stores/user-query';
import { redisStore, withRedisAdmin } from './stores/redis-helpers';
import { errorOf, waitFor } from './stores/postgres-helpers';

/**
 * The Redis workbench runner against a real server: tenants A and B with keys under their own
 * prefixes and one key with no tenant; every way out of A is tried and must send nothing.
 */

const A = defaultTenantScope('wbrun-a');
const read = (rowLimit = 1000): UserQueryOptions => ({ rowLimit, write: false });
const write = (rowLimit = 1000): UserQueryOptions => ({ rowLimit, write: true });

async function collect(parts: AsyncGenerator<UserQueryPart, void, undefined>): Promise<UserQueryPart[]> {
  const out: UserQueryPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

function rowsOf(parts: UserQueryPart[]): unknown[][] {
  return parts.flatMap((p) => (p.kind === 'rows' ? p.rows : []));
}

/** Whether CLIENT LIST shows one of the store's dedicated connections blocked in BLPOP. */
async function blocked(): Promise<boolean> {
  return withRedisAdmin(async (admin) => {
    const list = String(await admin.call('client', ['list']));
    return list.split('\n').some((line) => line.includes('cmd=blpop') && line.includes('name=tenantscope-command'));
  });
}

/** Every command the server received while `work` ran, seen through MONITOR. */
async function monitored(work: () => Promise<unknown>): Promise<string[]> {
  return withRedisAdmin(async (admin) => {
    const monitor = await admin.monitor();
    const seen: string[] = [];
    monitor.on('monitor', (_time: string, args: string[]) => seen.push(args.join(' ').toLowerCase()));
    try {
      await work();
      // A marker after the work: once MONITOR shows it, everything before it has been shown too.
      await admin.duplicate().echo('wbrun-monitor-end');
      await waitFor(async () => seen.some((c) => c.includes('wbrun-monitor-end')), 5000);
    } finally {
      monitor.disconnect();
    }
    return seen;
  });
}

describe('RedisStore.runUser', () => {
  let store: RedisStore;
  let prod: RedisStore;

  beforeAll(async () => {
    store = redisStore();
    prod = redisStore({ readOnly: true });
    await withRedisAdmin(async (admin) => {
      const old = await admin.keys('wbrun-*');
      if (old.length > 0) await admin.del(...old);
      await admin.del('wbrun-shared');
      await admin.set('wbrun-a:greeting', 'hello');
      await admin.hset('wbrun-a:user:1', { name: 'Ada', plan: 'pro' });
      await admin.rpush('wbrun-a:queue', 'one', 'two', 'three');
      await admin.zadd('wbrun-a:scores', 1, 'x', 2.5, 'y');
      for (let i = 0; i < 30; i++) await admin.set(`wbrun-a:item:${i}`, String(i));
      await admin.set('wbrun-b:greeting', 'secret-of-b');
      await admin.set('wbrun-shared', 'no tenant');
    });
  });

  afterAll(async () => {
    await Promise.all([store.close(), prod.close()]);
    await withRedisAdmin(async (admin) => {
      const keys = await admin.keys('wbrun-*');
      if (keys.length > 0) await admin.del(...keys);
    });
  });

  it('runs the lines and gives one row per element: line, command, item, reply', async () => {
    const parts = await collect(store.runUser('GET wbrun-a:greeting\n\n# a comment\nHGETALL wbrun-a:user:1\nLRANGE wbrun-a:queue 0 -1\nZRANGE wbrun-a:scores 0 -1 WITHSCORES\nGET "wbrun-a:missing"', A, read()));
    expect(parts[0]).toMatchObject({ kind: 'columns', columns: [{ name: 'line' }, { name: 'command' }, { name: 'item' }, { name: 'reply' }] });
    expect(rowsOf(parts)).toEqual([
      [1, 'GET', null, 'hello'],
      [4, 'HGETALL', 'name', 'Ada'],
      [4, 'HGETALL', 'plan', 'pro'],
      [5, 'LRANGE', '1', 'one'],
      [5, 'LRANGE', '2', 'two'],
      [5, 'LRANGE', '3', 'three'],
      [6, 'ZRANGE', 'x', '1'],
      [6, 'ZRANGE', 'y', '2.5'],
      [7, 'GET', null, null],
    ]);
  });

  it.each([
    ['a key outside the prefix', 'GET wbrun-b:greeting'],
    ['a key of no tenant', 'GET wbrun-shared'],
    ['a second key outside the prefix', 'MGET wbrun-a:greeting wbrun-b:greeting'],
    ['RANDOMKEY', 'RANDOMKEY'],
    ['DBSIZE', 'DBSIZE'],
    ['FLUSHALL', 'FLUSHALL'],
    ['CONFIG GET', 'CONFIG GET *'],
    ['CLIENT KILL', 'CLIENT KILL TYPE normal'],
    ['EVAL with a key in the prefix', "EVAL \"return redis.call('get', 'wbrun-b:greeting')\" 1 wbrun-a:greeting"],
    ['SCRIPT FLUSH', 'SCRIPT FLUSH'],
    ['SELECT', 'SELECT 1'],
    ['SORT with a foreign GET pattern', 'SORT wbrun-a:queue BY nosort GET wbrun-b:*'],
    ['MONITOR', 'MONITOR'],
    ['PUBLISH', 'PUBLISH wbrun-a:channel hello'],
    ['INFO keyspace', 'INFO keyspace'],
  ])('refuses %s, and nothing of tenant B comes back', async (_name, text) => {
    const error = await errorOf(collect(store.runUser(text, A, write())));
    expect(error.code).toBe('forbidden');
    expect(error.message).not.toContain('secret-of-b');
  });

  it('a pipeline that touches another tenant on its last line sends none of its lines', async () => {
    let error: { code?: string } | undefined;
    const seen = await monitored(async () => {
      error = await errorOf(collect(store.runUser('INCR wbrun-a:counter\nSET wbrun-a:flag 1\nGET wbrun-b:greeting', A, write())));
    });
    expect(error).toMatchObject({ code: 'forbidden' });
    expect(seen.filter((c) => /^(incr|set|get) /.test(c))).toEqual([]);
    expect(await withRedisAdmin((admin) => admin.exists('wbrun-a:counter', 'wbrun-a:flag'))).toBe(0);
  });

  it('KEYS * lists only the tenant’s keys, through SCAN, and a pattern with the prefix means the same', async () => {
    let keys: unknown[] = [];
    const seen = await monitored(async () => {
      keys = rowsOf(await collect(store.runUser('KEYS *', A, read()))).map((r) => r[3]);
    });
    expect(keys).toHaveLength(34);
    expect(keys.every((k) => typeof k === 'string' && k.startsWith('wbrun-a:'))).toBe(true);
    expect(seen.some((c) => c.startsWith('keys'))).toBe(false);
    expect(seen.some((c) => c.startsWith('scan') && c.includes('match wbrun-a:*'))).toBe(true);
    const items = rowsOf(await collect(store.runUser('SCAN 0 MATCH wbrun-a:item:1* COUNT 10', A, read()))).map((r) => r[3]);
    expect([...items].sort()).toEqual(['wbrun-a:item:1', ...Array.from({ length: 10 }, (_, i) => `wbrun-a:item:1${i}`)].sort());
  });

  it('stops at the row limit and says so', async () => {
    const parts = await collect(store.runUser('KEYS item:*', A, { ...read(12), batchSize: 5 }));
    expect(rowsOf(parts)).toHaveLength(12);
    expect(parts[parts.length - 1]).toEqual({ kind: 'truncated' });
    const exact = await collect(store.runUser('LRANGE wbrun-a:queue 0 -1', A, read(3)));
    expect(rowsOf(exact)).toHaveLength(3);
    expect(exact.some((p) => p.kind === 'truncated')).toBe(false);
  });

  it('refuses a write without write, and always on a read-only store; nothing is written', async () => {
    expect(await errorOf(collect(store.runUser('SET wbrun-a:written 1', A, read())))).toMatchObject({ code: 'read_only' });
    expect(await errorOf(collect(prod.runUser('SET wbrun-a:written 1', A, write())))).toMatchObject({ code: 'read_only' });
    expect(await errorOf(collect(prod.runUser('GET wbrun-a:greeting\nDEL wbrun-a:greeting', A, write())))).toMatchObject({ code: 'read_only' });
    expect(await withRedisAdmin((admin) => admin.exists('wbrun-a:written'))).toBe(0);
    expect(await withRedisAdmin((admin) => admin.get('wbrun-a:greeting'))).toBe('hello');
    expect(rowsOf(await collect(prod.runUser('GET wbrun-a:greeting', A, read())))).toEqual([[1, 'GET', null, 'hello']]);
  });

  it('a write runs with write; an error reply is its line’s answer and the next lines still run', async () => {
    const parts = await collect(store.runUser('SET wbrun-a:written 1\nHGET wbrun-a:greeting x\nINCR wbrun-a:written', A, write()));
    expect(rowsOf(parts)).toEqual([
      [1, 'SET', null, 'OK'],
      [2, 'HGET', null, expect.stringMatching(/^\(error\) WRONGTYPE/)],
      [3, 'INCR', null, 2],
    ]);
  });

  it('refuses text that does not split, with the line', async () => {
    expect(await errorOf(collect(store.runUser('GET wbrun-a:greeting\nGET "wbrun-a:open', A, read())))).toMatchObject({ code: 'invalid_argument', message: expect.stringMatching(/^Line 2/) });
    expect(await errorOf(collect(store.runUser('NOSUCHCOMMAND wbrun-a:x', A, read())))).toMatchObject({ code: 'invalid_argument' });
    expect(await errorOf(collect(store.runUser('GET', A, read())))).toMatchObject({ code: 'invalid_argument' });
  });

  it('cancel drops a blocking BLPOP’s connection: CLIENT LIST no longer shows it', async () => {
    const controller = new AbortController();
    const run = collect(store.runUser('BLPOP wbrun-a:never 0', A, { ...write(), signal: controller.signal }));
    expect(await waitFor(blocked, 5000)).toBe(true);
    controller.abort();
    expect(await errorOf(run)).toMatchObject({ code: 'cancelled' });
    expect(await waitFor(async () => !(await blocked()), 5000)).toBe(true);
  });

  it('a timeout drops the blocking connection too', async () => {
    const run = collect(store.runUser('BLPOP wbrun-a:never 0', A, { ...write(), timeoutMs: 2000 }));
    const failed = errorOf(run);
    expect(await waitFor(blocked, 1500)).toBe(true);
    expect(await failed).toMatchObject({ code: 'timeout' });
    expect(await waitFor(async () => !(await blocked()), 5000)).toBe(true);
  });
});
