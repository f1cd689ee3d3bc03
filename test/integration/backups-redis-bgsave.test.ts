import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AppError } from '@shared/errors';
import { RedisEndpoint } from '@shared/model/workspace';
import { redisSaveKind } from '../../src/main/features/store-backups/redis-save';
import { RedisStore } from '../../src/main/stores/redis/store';
import { redisClient } from './tenants-fixtures';

const DB = 12;

describe('Redis BGSAVE job on a real Redis', () => {
  let client: Redis;
  let store: RedisStore;
  let readOnly: RedisStore;

  beforeAll(async () => {
    const server = inject('redis');
    client = redisClient(server.url, DB);
    const pipeline = client.pipeline();
    for (let i = 0; i < 50_000; i++) pipeline.set(`bgsave:k${i}`, `value-${i}`);
    await pipeline.exec();
    store = new RedisStore(RedisEndpoint.parse({ host: server.host, port: server.port, db: DB }), { password: server.password });
    // BGSAVE changes no data: a prod (read-only) store runs it as well.
    readOnly = new RedisStore(RedisEndpoint.parse({ host: server.host, port: server.port, db: DB }), { password: server.password }, { readOnly: true });
  });

  afterAll(async () => {
    await client.flushdb();
    client.disconnect();
    await store.close();
    await readOnly.close();
  });

  it('starts BGSAVE and succeeds once LASTSAVE moves, on a read-only store too', async () => {
    for (const target of [store, readOnly]) {
      const before = Number(await client.lastsave());
      const kind = redisSaveKind(async () => target, { pollMs: 50 });
      const phases: string[] = [];
      const log: string[] = [];
      const result = (await kind.run({ workspaceId: 'w' }, {
        jobId: 'job-1',
        signal: new AbortController().signal,
        stores: target,
        progress: (_done, _total, phase) => phases.push(phase),
        log: (line) => log.push(line),
      })) as { lastSave: string; previousSave: string };
      const after = Number(await client.lastsave());
      expect(after).toBeGreaterThan(before);
      expect(result.lastSave).toBe(new Date(after * 1000).toISOString());
      expect(result.previousSave).toBe(new Date(before * 1000).toISOString());
      expect(phases.at(-1)).toBe('Saved');
      expect(log.some((line) => line.startsWith('BGSAVE:'))).toBe(true);
      const info = await client.info('persistence');
      expect(info).toContain('rdb_last_bgsave_status:ok');
    }
  });

  it('a cancelled watch stops with cancelled', async () => {
    const controller = new AbortController();
    const kind = redisSaveKind(async () => store, { pollMs: 50 });
    const run = kind.run({ workspaceId: 'w' }, { jobId: 'job-2', signal: controller.signal, stores: store, progress: () => undefined, log: () => undefined });
    controller.abort();
    const error = await run.catch((e: unknown) => e);
    expect(AppError.is(error, 'cancelled')).toBe(true);
  });
});
