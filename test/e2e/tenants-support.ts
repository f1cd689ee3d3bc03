import { Redis } from 'ioredis';
import { BSON, MongoClient, type Document } from 'mongodb';
import type pg from 'pg';
import { inject } from 'vitest';
import { PostgresEndpoint, RedisEndpoint } from '@shared/model/workspace';
import type { DemoMongo } from '../../src/main/demo/ports';
import { seedDemoPlatform } from '../../src/main/demo/seed';
import { PostgresStore } from '../../src/main/stores/postgres/store';
import { RedisStore } from '../../src/main/stores/redis/store';
import { createScratchDatabase } from '../integration/tenants-fixtures';
import type { WebApp } from '../support/web-app';
import { connectApi } from '../support/web-client';


/** The demo seeder's MongoDB port over a plain client: documents arrive as Extended JSON. */
export function demoMongo(client: MongoClient): DemoMongo {
  return {
    async insertMany(database, collection, documents) {
      if (documents.length === 0) return 0;
      const prepared = documents.map((d) => BSON.EJSON.deserialize(d as Document, { relaxed: false }) as Document);
      const result = await client.db(database).collection(collection).insertMany(prepared);
      return result.insertedCount;
    },
    async createIndexes(database, collection, indexes) {
      if (indexes.length === 0) return;
      await client
        .db(database)
        .collection(collection)
        .createIndexes(
          indexes.map((index) => ({
            name: index.name,
            key: Object.fromEntries(index.key),
            ...(index.unique !== undefined && { unique: index.unique }),
            ...(index.expireAfterSeconds !== undefined && { expireAfterSeconds: index.expireAfterSeconds }),
            ...(index.partialFilterExpression && { partialFilterExpression: index.partialFilterExpression }),
            ...(index.defaultLanguage && { default_language: index.defaultLanguage }),
            ...(index.weights && { weights: index.weights }),
          })),
        );
    },
  };
}

/**
 * Creates, through the app's own API, a dev Murima2025 workspace on the throwaway PostgreSQL (the
 * given database) and Redis (the given db), as the browser journeys start from.
 */
export async function createMurimaWorkspace(app: WebApp, name: string, target: { database: string; redisDb: number }): Promise<void> {
  const postgres = inject('postgres');
  const redis = inject('redis');
  const { api, socket } = connectApi(app.origin, app.token);
  try {
    await api.workspaces.create({
      workspace: {
        name,
        environment: 'dev',
        preset: 'murima2025',
        endpoints: {
          postgres: { host: postgres.host, port: postgres.port, database: target.database, username: postgres.user, password: postgres.password },
          redis: { host: redis.host, port: redis.port, db: target.redisDb, password: redis.password },
        },
      },
    });
  } finally {
    socket()?.close();
  }
}

/** A seeded Murima2025 platform on the throwaway servers, with plain clients to check what the browser shows. */
export interface SeededMurima {
  db: { pool: pg.Pool; drop(): Promise<void> };
  redis: Redis;
  /** The registry, ordered by name. */
  tenants: Array<{ id: string; name: string; schema: string }>;
  drop(): Promise<void>;
}

/**
 * Seeds `tenants` Murima2025 tenants through the demo generator into a database of its own and a
 * Redis database of its own (other suites flush theirs), as the browser journeys start from.
 */
export async function seedMurima(options: { database: string; redisDb: number; tenants: number; seed: string }): Promise<SeededMurima> {
  const postgres = inject('postgres');
  const redisServer = inject('redis');
  const db = await createScratchDatabase(postgres.url, options.database);
  const redis = new Redis({ host: redisServer.host, port: redisServer.port, password: redisServer.password, db: options.redisDb });
  await redis.flushdb();
  const pgStore = new PostgresStore(
    PostgresEndpoint.parse({ host: postgres.host, port: postgres.port, database: options.database, username: postgres.user, poolSize: 4 }),
    { password: postgres.password },
  );
  const redisStore = new RedisStore(RedisEndpoint.parse({ host: redisServer.host, port: redisServer.port, db: options.redisDb }), { password: redisServer.password });
  try {
    await seedDemoPlatform({ postgres: pgStore, redis: redisStore }, { preset: 'murima2025', tenants: options.tenants, seed: options.seed });
  } finally {
    await Promise.all([pgStore.close(), redisStore.close()]);
  }
  const tenants = (
    await db.pool.query<{ id: string; name: string; schema: string }>('SELECT id::text AS id, name, schema_name AS schema FROM public.tenants ORDER BY name')
  ).rows;
  return {
    db,
    redis,
    tenants,
    async drop() {
      await redis.flushdb();
      redis.disconnect();
      await db.drop();
    },
  };
}
