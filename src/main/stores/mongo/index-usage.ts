import type { Document } from 'mongodb';
import { AppError } from '@shared/errors';
import type { ExecutionOptions } from '../execution';
import type { MongoTarget } from './scope';

/** The one store method the pass needs (the face's `aggregate`, unscoped); the face itself lists this module's types. */
export interface AggregatesUnscoped {
  aggregate(target: MongoTarget, pipeline: readonly Document[], scope?: undefined, options?: ExecutionOptions): Promise<Document[]>;
}

/** One index's accesses on one node since `since` (`$indexStats`: a node restart or a rebuild resets them). */
export interface IndexAccesses {
  host: string;
  /** The shard the node belongs to, on a sharded cluster. */
  shard: string | null;
  ops: number;
  since: string | null;
}

/** One index of one collection: its key, its size summed over the shards, its accesses per node. */
export interface CollectionIndex {
  name: string;
  key: Array<[string, number | string]>;
  /** `spec` of `$indexStats` (4.2.4+) without `key`, `name` and `v`: unique, TTL, partial filter, weights… */
  options: Record<string, unknown>;
  sizeBytes: number;
  accesses: IndexAccesses[];
}

export interface CollectionIndexUsage {
  collection: string;
  indexes: CollectionIndex[];
}

const number = (value: unknown): number => {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  const long = value as { toNumber?: () => number } | null;
  return typeof long?.toNumber === 'function' ? long.toNumber() : Number(value ?? 0) || 0;
};

const isoOf = (value: unknown): string | null =>
  value instanceof Date ? value.toISOString() : typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : null;

const keyOf = (value: unknown): Array<[string, number | string]> =>
  Object.entries((value ?? {}) as Record<string, unknown>).map(([field, kind]) => [field, typeof kind === 'string' ? kind : number(kind)]);

/**
 * Index sizes from `$collStats: { storageStats: {} }`. A sharded collection answers one document
 * per shard, each with its own `indexSizes`: they are summed.
 */
export function indexSizesOf(collStats: readonly Document[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const reply of collStats) {
    const indexSizes = ((reply.storageStats ?? {}) as { indexSizes?: Record<string, unknown> }).indexSizes ?? {};
    for (const [name, size] of Object.entries(indexSizes)) sizes.set(name, (sizes.get(name) ?? 0) + number(size));
  }
  return sizes;
}

/**
 * One collection's indexes from its `$indexStats` documents (one per index per node: a replica set
 * member answers for itself, mongos for a node of each shard) and its `$collStats` sizes. An index
 * being built (`building: true`) is listed like the others; it has no accesses yet.
 */
export function collectionIndexUsage(collection: string, indexStats: readonly Document[], collStats: readonly Document[]): CollectionIndexUsage {
  const sizes = indexSizesOf(collStats);
  const byName = new Map<string, CollectionIndex>();
  for (const doc of indexStats) {
    const name = String(doc.name ?? '');
    if (!name) continue;
    let index = byName.get(name);
    if (!index) {
      const { key: _key, name: _name, v: _v, ...options } = (doc.spec ?? {}) as Record<string, unknown>;
      index = { name, key: keyOf(doc.key), options, sizeBytes: sizes.get(name) ?? 0, accesses: [] };
      byName.set(name, index);
    }
    const accesses = (doc.accesses ?? {}) as { ops?: unknown; since?: unknown };
    index.accesses.push({ host: String(doc.host ?? ''), shard: typeof doc.shard === 'string' ? doc.shard : null, ops: number(accesses.ops), since: isoOf(accesses.since) });
  }
  return { collection, indexes: [...byName.values()] };
}

/** `$indexStats` and `$collStats` of one collection, read unscoped (metadata, no documents). */
export async function readCollectionIndexUsage(store: AggregatesUnscoped, target: MongoTarget, options: ExecutionOptions): Promise<CollectionIndexUsage> {
  const indexStats = await store.aggregate(target, [{ $indexStats: {} }], undefined, options);
  const collStats = await store.aggregate(target, [{ $collStats: { storageStats: {} } }], undefined, options);
  return collectionIndexUsage(target.collection, indexStats, collStats);
}

/**
 * The index usage of many collections of one database, `concurrency` collections at a time.
 * MongoDB keeps index statistics per collection, so there is no catalog to read them from in one
 * statement: this is one `$indexStats` and one `$collStats` per collection, in parallel but
 * bounded. A collection dropped while the pass runs is left out, not a failure.
 */
export async function readIndexUsage(
  store: AggregatesUnscoped,
  database: string,
  collections: readonly string[],
  options: ExecutionOptions & { concurrency?: number },
): Promise<CollectionIndexUsage[]> {
  const out: Array<CollectionIndexUsage | undefined> = new Array<CollectionIndexUsage | undefined>(collections.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < collections.length) {
      if (options.signal?.aborted) throw new AppError('cancelled', 'The index usage pass was cancelled.');
      const at = next;
      next += 1;
      const collection = collections[at] as string;
      try {
        out[at] = await readCollectionIndexUsage(store, { database, collection }, options);
      } catch (error) {
        // NamespaceNotFound: dropped since it was listed.
        if (AppError.is(error, 'not_found')) continue;
        throw error;
      }
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 8, collections.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return out.filter((usage): usage is CollectionIndexUsage => usage !== undefined);
}
