import { AppError } from '@shared/errors';
import type { CatalogEntry, WorkbenchTarget } from '@shared/model/workbench';
import type { TenantScope } from '@shared/model/tenant-scope';
import { STORE_LABELS } from '@shared/model/workspace';
import type { TenancyPreset } from '@shared/tenancy';
import type { ExecutionOptions } from '../../stores/execution';
import type { ElasticFace } from '../../stores/elastic/face';
import type { MongoFace, MongoUserRequest } from '../../stores/mongo/face';
import type { PostgresFace } from '../../stores/postgres/face';
import type { RedisFace } from '../../stores/redis/face';
import type { UserQueryOptions, UserQueryPart } from '../../stores/user-query';

/**
 * What the workbench needs of each store: its runner and its catalog, nothing else, so the
 * service's tests hand it small fakes of exactly this.
 */
export type UserRows = AsyncGenerator<UserQueryPart, void, undefined>;
export type WorkbenchPostgres = Pick<PostgresFace, 'runUser' | 'userCatalog'>;
export type WorkbenchRedis = Pick<RedisFace, 'runUser'>;
export type WorkbenchMongo = Pick<MongoFace, 'runUser' | 'userCatalog'>;
export type WorkbenchElastic = Pick<ElasticFace, 'runUser' | 'userCatalog'>;

/** One workspace's stores as the workbench sees them; MongoDB with the tenant database it reads. */
export interface WorkbenchStores {
  preset: TenancyPreset;
  postgres?: WorkbenchPostgres;
  redis?: WorkbenchRedis;
  mongo?: { runner: WorkbenchMongo; database: string };
  elastic?: WorkbenchElastic;
}

export type OpenWorkbenchStores = (workspaceId: string, signal: AbortSignal) => Promise<WorkbenchStores>;

function missing(engine: WorkbenchTarget['engine']): AppError {
  return new AppError('unreachable', `This workspace has no ${STORE_LABELS[engine]} endpoint; add one in the workspace editor.`);
}

/** The store's runner for one target: the scope and the options go to the store, which applies them. */
export function openRunner(stores: WorkbenchStores, target: WorkbenchTarget, text: string, scope: TenantScope, options: UserQueryOptions): UserRows {
  switch (target.engine) {
    case 'postgres':
      if (!stores.postgres) throw missing('postgres');
      return stores.postgres.runUser(text, scope, options);
    case 'redis':
      if (!stores.redis) throw missing('redis');
      return stores.redis.runUser(text, scope, options);
    case 'mongo': {
      if (!stores.mongo) throw missing('mongo');
      const request: MongoUserRequest = { operation: target.operation, text, ...(target.options !== undefined && { options: target.options }) };
      return stores.mongo.runner.runUser({ database: stores.mongo.database, collection: target.collection }, request, scope, options);
    }
    case 'elastic':
      if (!stores.elastic) throw missing('elastic');
      return stores.elastic.runUser(target.index, text, scope, options);
  }
}

/** What the editor completes for one tenant; Redis has keys, not a schema, so it has nothing to list. */
export async function catalogOf(stores: WorkbenchStores, engine: WorkbenchTarget['engine'], scope: TenantScope, options: ExecutionOptions, collection?: string): Promise<CatalogEntry[]> {
  switch (engine) {
    case 'postgres':
      if (!stores.postgres) throw missing('postgres');
      return stores.postgres.userCatalog(scope, options);
    case 'mongo':
      if (!stores.mongo) throw missing('mongo');
      return stores.mongo.runner.userCatalog(stores.mongo.database, scope, collection, options);
    case 'elastic':
      if (!stores.elastic) throw missing('elastic');
      return stores.elastic.userCatalog(scope, options);
    case 'redis':
      if (!stores.redis) throw missing('redis');
      return [];
  }
}
