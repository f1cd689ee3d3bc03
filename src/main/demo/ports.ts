import type { MongoIndex } from '@shared/tenancy';
import type { PostgresStore } from '../stores/postgres/store';
import type { RedisStore } from '../stores/redis/store';
import type { ExecutionOptions } from '../stores/execution';

/** What the generator needs of each store: the narrow slice, so tests and the app pass the real ones. */
export type DemoPostgres = Pick<PostgresStore, 'execute' | 'copyRows' | 'query'>;
export type DemoRedis = Pick<RedisStore, 'writeBatch'>;

/** MongoDB: bulk inserts and index creation from the blueprint's index specs. */
export interface DemoMongo {
  insertMany(database: string, collection: string, documents: ReadonlyArray<Record<string, unknown>>, options?: ExecutionOptions): Promise<number>;
  createIndexes(database: string, collection: string, indexes: readonly MongoIndex[], options?: ExecutionOptions): Promise<void>;
}

/** Elasticsearch: the template, the ILM policy, monthly indices and `_bulk`. */
export interface DemoElastic {
  putIlmPolicy(name: string, policy: Record<string, unknown>, options?: ExecutionOptions): Promise<void>;
  putIndexTemplate(name: string, body: Record<string, unknown>, options?: ExecutionOptions): Promise<void>;
  createIndex(name: string, body: Record<string, unknown>, options?: ExecutionOptions): Promise<void>;
  bulkIndex(documents: ReadonlyArray<{ index: string; id: string; body: Record<string, unknown> }>, options?: ExecutionOptions): Promise<number>;
}

export interface DemoStores {
  postgres?: DemoPostgres;
  redis?: DemoRedis;
  mongo?: DemoMongo;
  elastic?: DemoElastic;
}
