import type { MongoIndex } from '@shared/tenancy';
import type { ExecutionOptions } from '../stores/execution';
import { fromExtendedJson } from '../stores/mongo/extended-json';
import type { MongoStore } from '../stores/mongo/store';
import type { DemoMongo } from './ports';

type MongoSlice = Pick<MongoStore, 'insertExtendedJson' | 'createIndexes'>;
/** The driver's IndexDescription, named through the store so this room never imports the driver. */
export type MongoIndexSpec = Parameters<MongoStore['createIndexes']>[1][number];

/** Documents per insertMany: a few MB of BSON per round trip, and a bounded copy on the heap. */
const INSERT_CHUNK = 5000;

/**
 * A blueprint index as the driver's index description. The key is a Map so the order of a compound
 * key is kept whatever its field names; text options use the server's names (default_language).
 */
export function mongoIndexSpec(index: MongoIndex): MongoIndexSpec {
  return {
    name: index.name,
    key: new Map(index.key),
    ...(index.unique !== undefined && { unique: index.unique }),
    ...(index.expireAfterSeconds !== undefined && { expireAfterSeconds: index.expireAfterSeconds }),
    // A partial filter may name dates or ObjectIds, written in Extended JSON like the documents.
    ...(index.partialFilterExpression !== undefined && { partialFilterExpression: fromExtendedJson(index.partialFilterExpression) }),
    ...(index.defaultLanguage !== undefined && { default_language: index.defaultLanguage }),
    ...(index.weights !== undefined && { weights: { ...index.weights } }),
  };
}

/** DemoMongo over the MongoDB data service: Extended JSON inserts in chunks, blueprint indexes as driver specs. */
export function mongoForDemo(store: MongoSlice): DemoMongo {
  return {
    async insertMany(database, collection, documents, options?: ExecutionOptions) {
      let inserted = 0;
      for (let i = 0; i < documents.length; i += INSERT_CHUNK) {
        const result = await store.insertExtendedJson({ database, collection }, documents.slice(i, i + INSERT_CHUNK), undefined, options);
        inserted += result.insertedCount;
      }
      return inserted;
    },
    async createIndexes(database, collection, indexes, options?: ExecutionOptions) {
      await store.createIndexes({ database, collection }, indexes.map(mongoIndexSpec), options);
    },
  };
}
