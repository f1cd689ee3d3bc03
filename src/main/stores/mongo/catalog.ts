import { AppError } from '@shared/errors';
import type { ExecutionOptions } from '../execution';
import type { MongoCollectionStats, MongoFace, MongoTarget } from './face';

/** Collection names of a database, views left out: what the tenant list counts. */
export async function listCollectionNames(store: Pick<MongoFace, 'listCollections'>, database: string, options: ExecutionOptions): Promise<string[]> {
  return (await store.listCollections(database, undefined, options)).filter((c) => c.type !== 'view').map((c) => c.name);
}

/** Count and data size of one collection from its `$collStats` reply, read unscoped. */
export async function collectionStats(store: Pick<MongoFace, 'aggregate'>, target: MongoTarget, options: ExecutionOptions): Promise<MongoCollectionStats> {
  const [stats] = await store.aggregate(target, [{ $collStats: { storageStats: {} } }], undefined, options);
  if (stats === undefined) throw new AppError('internal', `MongoDB returned no $collStats for ${target.database}.${target.collection}.`);
  const storage = (stats.storageStats ?? {}) as { count?: unknown; size?: unknown };
  return { count: Number(storage.count ?? 0), size: Number(storage.size ?? 0) };
}
