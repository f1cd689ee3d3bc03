import { AppError } from '@shared/errors';
import type { TenantScope } from '@shared/model/tenant-scope';
import { assertIndexExpression, scopedIndex } from './scope';

/**
 * The index a workbench search runs on: the store's confinement to the tenant's pattern, with a
 * name outside it answered `forbidden` (it reaches outside the tenant) rather than the
 * `invalid_argument` of a name that is not an index expression at all.
 */
export function tenantIndex(index: string, scope: TenantScope): string {
  assertIndexExpression(index);
  if (!scope.elastic) throw new AppError('invalid_argument', `The tenant scope of ${scope.tenantId} says nothing about Elasticsearch.`);
  try {
    return scopedIndex(index, scope);
  } catch (error) {
    if (AppError.is(error, 'invalid_argument')) throw new AppError('forbidden', error.message);
    throw error;
  }
}
