import { BSON, type Document } from 'mongodb';
import type { TenantScope } from '@shared/model/tenant-scope';
import type { ExecutionOptions } from '../execution';
import type { FindOptions, MongoStore, MongoTarget } from './store';

/**
 * Feature code never imports the driver, so its filters write ObjectIds and dates in canonical
 * Extended JSON (`{ $oid: … }`, `{ $date: … }`). This reader turns them into driver values before
 * the store runs the query, so `{ _id: { $oid } }` matches the ObjectId it names.
 */
export function extendedJsonReader(store: Pick<MongoStore, 'find'>): {
  find(target: MongoTarget, filter: Record<string, unknown>, findOptions: FindOptions, scope: TenantScope, options: ExecutionOptions): Promise<Document[]>;
} {
  return {
    find: (target, filter, findOptions, scope, options) =>
      store.find(target, BSON.EJSON.deserialize(filter, { relaxed: false }) as Document, findOptions, scope, options),
  };
}
