import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { defaultTenantScope } from '../../../src/shared/model/tenant-scope';
import type { RedisStore } from '../../../src/main/stores/redis/store';
import { errorOf, waitFor } from './postgres-helpers';
import { redisStore, withRedisAdmin } from './redis-helpers';

const acme = defaultTenantScope('acme01');

async function blockedClients(): Promise<number> {
  return withRedisAdmin(async (admin) => {
    const list = String(await admin.call('client', ['list']));
    return list.split('\n').filter((line) => / cmd=blpop /.test(line)).length;
  });
}

describe('RedisStore', () => {
  let store: RedisStore;
  let prod: RedisStore;

  beforeAll(async () => {
    store = redisStore();
    prod = redisStore({ readOnly: true });
    await withRedisAdmin((admin) => admin.flushdb());
  });

  afterAll(async () => {
    await Promise.all([store.close(), prod.close()]);
  });

  it('connects idempotently and reports the server version', async () => {
    const [a, b] = await Promise.all([store.connect(), store.connect()]);
    expect(a.state).toBe('connected');
    expect(b.state).toBe('connected');
    expect(a.serverVersion).toMatch(/^\d+\.\d+/);
  });

  it('writes in pipelines and reads every type back through the typed commands', async () => {
    const result = await store.writeBatch([
      { op: 'set', key: 'acme01:session:1', value: 's1', ttlSeconds: 900 },
      { op: 'hset', key: 'acme01:case:7', fields: { title: 'Leak', status: 'open' }, ttlSeconds: 3600 },
      { op: 'sadd', key: 'acme01:online', members: ['u1', 'u2'] },
      { op: 'zadd', key: 'acme01:queue', entries: [{ score: 2, member: 'b' }, { score: 1, member: 'a' }] },
      { op: 'rpush', key: 'acme01:events', values: ['e1', 'e2', 'e3'] },
    ]);
    expect(result.failed).toEqual([]);
    expect(await store.get('acme01:session:1', acme)).toBe('s1');
    expect(await store.hgetall('acme01:case:7', acme)).toEqual({ title: 'Leak', status: 'open' });
    expect((await store.smembers('acme01:online', acme)).sort()).toEqual(['u1', 'u2']);
    expect(await store.zrangeWithScores('acme01:queue', 0, -1, acme)).toEqual([{ member: 'a', score: 1 }, { member: 'b', score: 2 }]);
    expect(await store.lrange('acme01:events', 0, -1, acme)).toEqual(['e1', 'e2', 'e3']);
    const ttl = await store.ttl('acme01:case:7', acme);
    expect(ttl).toBeGreaterThan(3500);
    expect(ttl).toBeLessThanOrEqual(3600);
    const [info] = await store.inspectKeys(['acme01:case:7'], acme);
    expect(info).toMatchObject({ key: 'acme01:case:7', type: 'hash' });
    expect(info?.memoryBytes).toBeGreaterThan(0);
    expect(await store.type('acme01:nothing', acme)).toBe('none');
  });

  it('walks only the tenant keys with SCAN, in batches', async () => {
    const writes = Array.from({ length: 3000 }, (_, i) => ({ op: 'set' as const, key: `${i % 2 ? 'acme01' : 'other02'}:k:${i}`, value: String(i) }));
    await store.writeBatch(writes);
    const seen: string[] = [];
    let batches = 0;
    for await (const batch of store.scanKeys({ match: 'k:*', count: 200 }, acme)) {
      batches += 1;
      seen.push(...batch);
    }
    expect(new Set(seen).size).toBe(1500);
    expect(seen.every((key) => key.startsWith('acme01:k:'))).toBe(true);
    expect(batches).toBeGreaterThan(1);
  });

  it('refuses keys outside the tenant prefix before sending anything', async () => {
    expect(await errorOf(store.get('other02:k:0', acme))).toMatchObject({ code: 'invalid_argument' });
    expect(await errorOf(store.del(['acme01:k:1', 'other02:k:0'], acme))).toMatchObject({ code: 'invalid_argument' });
    expect(await errorOf(store.command('get', ['other02:k:0'], acme))).toMatchObject({ code: 'invalid_argument' });
    expect(await errorOf(store.command('keys', ['*'], acme))).toMatchObject({ code: 'invalid_argument' });
    expect(await errorOf(store.command('flushdb', [], acme))).toMatchObject({ code: 'invalid_argument' });
    expect(await store.command('get', ['acme01:k:1'], acme)).toBe('1');
    expect(await withRedisAdmin((admin) => admin.get('other02:k:0'))).toBe('0');
  });

  it('keeps a few command connections open between commands instead of reconnecting each time', async () => {
    for (let i = 0; i < 20; i++) expect(await store.command('get', ['acme01:session:1'])).toBe('s1');
    const open = await withRedisAdmin(async (admin) => String(await admin.call('client', ['list'])).split('\n').filter((line) => line.includes('name=tenantscope-command')).length);
    expect(open).toBeGreaterThanOrEqual(1);
    expect(open).toBeLessThanOrEqual(4);
  });

  it('refuses a command name that is not one', async () => {
    expect(await errorOf(store.command('get\r\nflushall', ['x']))).toMatchObject({ code: 'invalid_argument' });
    expect(await errorOf(store.command('nosuchcommand', []))).toMatchObject({ code: 'invalid_argument' });
  });

  it('drops a blocking command from the server when it is cancelled', async () => {
    const controller = new AbortController();
    const running = store.command('blpop', ['acme01:never', 30], undefined, { signal: controller.signal });
    expect(await waitFor(async () => (await blockedClients()) === 1, 3000)).toBe(true);
    controller.abort();
    expect(await errorOf(running)).toMatchObject({ code: 'cancelled' });
    expect(await waitFor(async () => (await blockedClients()) === 0, 1000)).toBe(true);
  });

  it('maps a timeout to `timeout` and frees the server too', async () => {
    expect(await errorOf(store.command('blpop', ['acme01:never', 30], undefined, { timeoutMs: 300 }))).toMatchObject({ code: 'timeout' });
    expect(await waitFor(async () => (await blockedClients()) === 0, 1000)).toBe(true);
    expect(await store.get('acme01:session:1')).toBe('s1');
  });

  it('a prod store reads but refuses every write with read_only, and nothing was written', async () => {
    const before = await withRedisAdmin(async (admin) => ({ size: await admin.dbsize(), value: await admin.get('acme01:session:1') }));
    expect(await prod.get('acme01:session:1')).toBe('s1');
    expect(await prod.command('hget', ['acme01:case:7', 'title'])).toBe('Leak');
    expect(await errorOf(prod.set('acme01:session:1', 'changed'))).toMatchObject({ code: 'read_only' });
    expect(await errorOf(prod.del(['acme01:session:1']))).toMatchObject({ code: 'read_only' });
    expect(await errorOf(prod.expire('acme01:session:1', 1))).toMatchObject({ code: 'read_only' });
    expect(await errorOf(prod.writeBatch([{ op: 'set', key: 'acme01:new', value: 'x' }]))).toMatchObject({ code: 'read_only' });
    for (const [name, args] of [['set', ['acme01:new', 'x']], ['FLUSHALL', []], ['config', ['set', 'maxmemory', '1']], ['hset', ['acme01:case:7', 'title', 'x']], ['eval', ["return redis.call('set','acme01:lua','x')", 0]]] as const) {
      expect(await errorOf(prod.command(name, [...args])), name).toMatchObject({ code: 'read_only' });
    }
    const after = await withRedisAdmin(async (admin) => ({ size: await admin.dbsize(), value: await admin.get('acme01:session:1'), maxmemory: await admin.config('GET', 'maxmemory') }));
    expect({ size: after.size, value: after.value }).toEqual(before);
    expect(after.maxmemory).toEqual(['maxmemory', '0']);
    expect(await withRedisAdmin((admin) => admin.exists('acme01:new', 'acme01:lua'))).toBe(0);
  });

  it('refuses to connect with a wrong password, with auth_failed', async () => {
    const wrong = redisStore({ connectTimeoutMs: 2000 }, { ...inject('redis'), password: 'wrong' });
    try {
      expect(await errorOf(wrong.connect())).toMatchObject({ code: 'auth_failed' });
      expect(wrong.status()).toMatchObject({ state: 'down' });
    } finally {
      await wrong.close();
    }
  });
});
