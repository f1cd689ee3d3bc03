import { MongoClient } from 'mongodb';
import { Redis } from 'ioredis';
import pg from 'pg';
import { MongoEndpoint, PostgresEndpoint, RedisEndpoint } from '../../src/shared/model/workspace';
import { MongoStore } from '../../src/main/stores/mongo/store';
import { PostgresStore } from '../../src/main/stores/postgres/store';
import { RedisStore } from '../../src/main/stores/redis/store';
import { freePort } from '../support/ports';
import { measureInterleaved, writeReport, type CaseResult } from './harness';

/**
 * What a call costs once its store is down: the data service answers `unreachable` from its own
 * state, without touching the network. Timed against the raw driver's own attempt on the same
 * closed loopback port (a refused connect for pg and ioredis; server selection, bounded at
 * 100 ms, for the MongoDB driver). The tests prove the order (the call settles before any I/O);
 * the figures live here.
 */
const options = { iterations: 200, warmup: 20 };
const mongoOptions = { iterations: 20, warmup: 2 };
const port = await freePort();
const once = { attempts: 1, baseDelayMs: 60_000, maxDelayMs: 60_000 };

const postgres = new PostgresStore(PostgresEndpoint.parse({ host: '127.0.0.1', port, database: 'none', username: 'none' }), {}, { connectTimeoutMs: 500, backoff: once });
const redis = new RedisStore(RedisEndpoint.parse({ host: '127.0.0.1', port }), {}, { connectTimeoutMs: 500, backoff: once });
const mongo = new MongoStore(MongoEndpoint.parse({ hosts: `127.0.0.1:${port}` }), {}, { connectTimeoutMs: 100, backoff: once });

/** Runs `work`, which must fail with `code`: a success or another failure means the case measures something else. */
async function failsWith(code: string, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const actual = (error as { code?: unknown }).code;
    if (actual === code || (code === 'any' && error instanceof Error)) return;
    throw new Error(`expected ${code}, got ${String(actual)}: ${String(error)}`, { cause: error });
  }
  throw new Error(`expected ${code}, and the call succeeded`);
}

const rawPostgres = async (): Promise<void> => {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'none', database: 'none', connectionTimeoutMillis: 500 });
  try {
    await client.connect();
  } finally {
    await client.end().catch(() => undefined);
  }
};
const rawRedis = async (): Promise<void> => {
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } finally {
    client.disconnect();
  }
};
const rawMongo = async (): Promise<void> => {
  const client = new MongoClient(`mongodb://127.0.0.1:${port}`, { serverSelectionTimeoutMS: 100, connectTimeoutMS: 100 });
  try {
    await client.connect();
  } finally {
    await client.close().catch(() => undefined);
  }
};

try {
  // Down first: the first connect fails, and later calls are the fail-fast path being measured.
  await Promise.allSettled([postgres.connect(), redis.connect(), mongo.find({ database: 'none', collection: 'none' })]);
  for (const store of [postgres, redis, mongo]) {
    if (store.status().state !== 'down') throw new Error(`${store.status().store} is ${store.status().state}, not down`);
  }
  const target = { database: 'none', collection: 'none' };
  const cases: CaseResult[] = [
    ...(await measureInterleaved(
      [
        { name: 'PostgreSQL down: store query', run: () => failsWith('unreachable', () => postgres.query('select 1')) },
        { name: 'PostgreSQL down: raw pg connect', run: () => failsWith('any', rawPostgres) },
        { name: 'Redis down: store get', run: () => failsWith('unreachable', () => redis.get('k')) },
        { name: 'Redis down: raw ioredis connect', run: () => failsWith('any', rawRedis) },
      ],
      options,
    )),
    ...(await measureInterleaved(
      [
        { name: 'MongoDB down: store find', run: () => failsWith('unreachable', () => mongo.find(target)) },
        { name: 'MongoDB down: raw driver connect (100 ms selection)', run: () => failsWith('any', rawMongo) },
      ],
      mongoOptions,
    )),
  ];
  const median = (name: string): number => cases.find((c) => c.name === name)?.medianMs ?? Number.NaN;
  const ratio = (raw: string, store: string): number => Math.round((median(raw) / median(store)) * 10) / 10;
  const path = await writeReport({
    bench: 'store-down',
    at: new Date().toISOString(),
    machine: { node: process.version, platform: process.platform, cpus: (await import('node:os')).availableParallelism() },
    cases,
    summary: {
      postgresRawOverStore: ratio('PostgreSQL down: raw pg connect', 'PostgreSQL down: store query'),
      redisRawOverStore: ratio('Redis down: raw ioredis connect', 'Redis down: store get'),
      mongoRawOverStore: ratio('MongoDB down: raw driver connect (100 ms selection)', 'MongoDB down: store find'),
    },
  });
  console.log(`wrote ${path}`);
} finally {
  await Promise.allSettled([postgres.close(), redis.close(), mongo.close()]);
}
