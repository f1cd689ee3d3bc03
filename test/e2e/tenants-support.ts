import { BSON, MongoClient, type Document } from 'mongodb';
import { inject } from 'vitest';
import type { DemoMongo } from '../../src/main/demo/ports';
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
