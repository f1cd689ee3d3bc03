import { BSON, MongoClient, type Document } from 'mongodb';
import type { DemoMongo } from '../../src/main/demo/ports';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

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
