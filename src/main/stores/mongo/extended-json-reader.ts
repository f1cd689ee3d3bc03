import { BSON } from 'mongodb';
import type { TenantScope } from '@shared/model/tenant-scope';
import type { ExecutionOptions } from '../execution';
import type { MongoDocument, MongoFace, MongoFindOptions, MongoTarget } from './face';

/**
 * Feature code never imports the driver, so its filters write ObjectIds and dates in canonical
 * Extended JSON (`{ $oid: … }`, `{ $date: … }`). This reader turns them into driver values before
 * the store runs the query, so `{ _id: { $oid } }` matches the ObjectId it names.
 */
export function extendedJsonReader(store: Pick<MongoFace, 'find'>): {
  find(target: MongoTarget, filter: MongoDocument, findOptions: MongoFindOptions, scope: TenantScope | undefined, options: ExecutionOptions): Promise<MongoDocument[]>;
} {
  return {
    find: (target, filter, findOptions, scope, options) =>
      store.find(target, BSON.EJSON.deserialize(filter, { relaxed: false }) as MongoDocument, findOptions, scope, options),
  };
}
