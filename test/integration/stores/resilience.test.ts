import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresStore } from '../../../src/main/stores/postgres/store';
import type { RedisStore } from '../../../src/main/stores/redis/store';
import { startRedis, type ThrowawayRedis } from '../../support/redis-server';
import { errorOf, postgresStore, waitFor } from './postgres-helpers';
import { redisStore } from './redis-helpers';
import { settlesWithoutWaiting } from '../../support/settles';

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** redis-server may not have written its pid file yet when it already listens; kill until the port is closed. */
async function killForSure(server: ThrowawayRedis): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    await server.kill();
    if (!(await portOpen(server.port))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server on ${server.port} did not die`);
}

describe('a store that goes down never takes the others with it', () => {
  let redisServer: ThrowawayRedis;
  let redis: RedisStore;
  let postgres: PostgresStore;

  beforeAll(async () => {
    redisServer = await startRedis();
    redis = redisStore({ backoff: { attempts: 3, baseDelayMs: 100, maxDelayMs: 500 } }, redisServer);
    postgres = postgresStore();
    await Promise.all([redis.connect(), postgres.connect()]);
  });

  afterAll(async () => {
    await Promise.all([redis.close(), postgres.close()]);
    await redisServer.stop();
  });

  it('Redis calls fail fast with unreachable while PostgreSQL keeps working, and Redis comes back by itself', async () => {
    await redis.set('t1:before', 'x');
    expect(await redis.command('ping')).toBe('PONG');
    const states: string[] = [];
    redis.onStatus((status) => states.push(status.state));

    await killForSure(redisServer);
    expect(await waitFor(async () => redis.status().state === 'down', 30_000)).toBe(true);

    for (const call of [() => redis.get('t1:before'), () => redis.command('ping')]) {
      const work = call();
      expect(await settlesWithoutWaiting(work)).toBe(true);
      expect(await errorOf(work)).toMatchObject({ code: 'unreachable' });
    }
    expect(redis.status().reason).toBeTruthy();

    const pg = await postgres.query('select 41 + 1 as answer');
    expect(pg.rows).toEqual([[42]]);
    expect(postgres.status().state).toBe('connected');

    await redisServer.restart();
    expect(await waitFor(async () => redis.status().state === 'connected', 5000)).toBe(true);
    await redis.set('t1:after', 'y');
    expect(await redis.get('t1:after')).toBe('y');
    // The restarted server is empty: the store talks to the new one.
    expect(await redis.get('t1:before')).toBeNull();
    // The command line's idle connection died with the old server; a fresh one is used.
    expect(await redis.command('ping')).toBe('PONG');
    expect(states).toContain('down');
    expect(states[states.length - 1]).toBe('connected');
  });

  it('a Redis that is not there at connect time is down with the reason, and PostgreSQL is not held up', async () => {
    const absent = await startRedis();
    await killForSure(absent);
    const store = redisStore({ backoff: { attempts: 2, baseDelayMs: 50, maxDelayMs: 100 }, connectTimeoutMs: 500 }, absent);
    try {
      const [redisOutcome, pgOutcome] = await Promise.allSettled([store.connect(), postgres.query('select 1')]);
      expect(redisOutcome.status).toBe('rejected');
      expect(pgOutcome.status).toBe('fulfilled');
      expect(store.status()).toMatchObject({ state: 'down' });
      expect(await errorOf(store.get('k'))).toMatchObject({ code: 'unreachable' });
      await absent.restart();
      expect(await waitFor(async () => store.status().state === 'connected', 5000)).toBe(true);
      expect(await store.dbsize()).toBe(0);
    } finally {
      await store.close();
      await absent.stop();
    }
  });
});
