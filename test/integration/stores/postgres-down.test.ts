import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../../src/main/stores/postgres/store';
import type { RedisStore } from '../../../src/main/stores/redis/store';
import { PostgresEndpoint } from '../../../src/shared/model/workspace';
import { startPostgres, type ThrowawayPostgres } from '../../support/postgres-server';
import { errorOf, waitFor } from './postgres-helpers';
import { redisStore } from './redis-helpers';
import { settlesWithoutWaiting } from '../../support/settles';

describe('a PostgreSQL that goes away', () => {
  let server: ThrowawayPostgres;
  let postgres: PostgresStore;
  let redis: RedisStore;

  beforeAll(async () => {
    server = await startPostgres();
    const endpoint = PostgresEndpoint.parse({ host: server.host, port: server.port, database: server.database, username: server.user, poolSize: 2 });
    postgres = new PostgresStore(endpoint, { password: server.password }, { connectTimeoutMs: 1000, backoff: { attempts: 2, baseDelayMs: 50, maxDelayMs: 200 } });
    redis = redisStore();
    await Promise.all([postgres.connect(), redis.connect()]);
  });

  afterAll(async () => {
    await Promise.all([postgres.close(), redis.close()]);
    await server.stop();
  });

  it('interrupts a running statement with unreachable, marks the store down and then fails fast, while Redis answers', async () => {
    const running = errorOf(postgres.query('select pg_sleep(30)'));
    // Stop the server only once the statement runs on it, however long the machine takes to get there.
    const watcher = new pg.Client({ connectionString: server.url });
    await watcher.connect();
    try {
      const sleeping = async () =>
        ((await watcher.query("select 1 from pg_stat_activity where state = 'active' and query = 'select pg_sleep(30)'")).rowCount ?? 0) > 0;
      expect(await waitFor(sleeping, 30_000)).toBe(true);
    } finally {
      await watcher.end();
    }
    await server.stop();
    expect(await running).toMatchObject({ code: 'unreachable' });
    expect(await waitFor(async () => postgres.status().state === 'down', 30_000)).toBe(true);
    expect(postgres.status().reason).toBeTruthy();

    const next = postgres.query('select 1');
    expect(await settlesWithoutWaiting(next)).toBe(true);
    expect(await errorOf(next)).toMatchObject({ code: 'unreachable', message: expect.stringMatching(/is down .*keeps trying to reconnect/) });

    await redis.set('pgdown:check', 'still here');
    expect(await redis.get('pgdown:check')).toBe('still here');
    await redis.del(['pgdown:check']);
  });
});
