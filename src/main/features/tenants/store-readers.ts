import { AppError } from '@shared/errors';
import type { ElasticStore } from '../../stores/elastic/store';
import type { MongoStore } from '../../stores/mongo/store';
import type { TenantsElastic, TenantsMongo } from './ports';

/** The tenant list over MongoStore: unscoped reads of collection names, $collStats and $group. */
export function mongoReaderOf(store: Pick<MongoStore, 'listCollections' | 'aggregate'>): TenantsMongo {
  return {
    async listCollectionNames(database, options) {
      return (await store.listCollections(database, undefined, options)).filter((c) => c.type !== 'view').map((c) => c.name);
    },
    async collectionStats(database, collection, options) {
      const [stats] = await store.aggregate({ database, collection }, [{ $collStats: { storageStats: {} } }], undefined, options);
      const storage = (stats?.storageStats ?? {}) as { count?: unknown; size?: unknown };
      if (stats === undefined) throw new AppError('internal', `MongoDB returned no $collStats for ${database}.${collection}.`);
      return { count: Number(storage.count ?? 0), size: Number(storage.size ?? 0) };
    },
    aggregate: (database, collection, pipeline, options) => store.aggregate({ database, collection }, pipeline, undefined, options),
  };
}

/** The tenant list over ElasticStore: `_cat/indices` with sizes in bytes. */
export function elasticReaderOf(store: Pick<ElasticStore, 'listIndices'>): TenantsElastic {
  return {
    catIndices: async (pattern, options) =>
      (await store.listIndices(pattern, undefined, options)).map(({ index, docsCount, storeSizeBytes }) => ({ index, docsCount, storeSizeBytes })),
  };
}
