import { AppError } from '../errors';
import { isTenantId, tenantSchemaName, type TenancyPreset } from './preset';

/**
 * How one tenant is scoped in each store its preset uses. The stores apply it; nothing here is
 * ever pasted into a query text: the schema is quoted as an identifier, the tenant id is a value.
 */
export interface TenantScope {
  tenantId: string;
  postgres?: { schema: string; setting: string; tenantColumn: string };
  mongo?:
    | { mode: 'field'; field: string; valueType: 'objectId' | 'string' }
    | { mode: 'collection-prefix'; collectionPrefix: string; field: string; valueType: 'objectId' | 'string' };
  redis?: { keyPrefix: string };
  elastic?: { indexPattern: string };
}

/** The scope of one tenant under a preset; an id that does not match the preset's pattern is refused. */
export function scopeFor(preset: TenancyPreset, tenantId: string): TenantScope {
  if (!isTenantId(preset, tenantId)) {
    throw new AppError(
      'invalid_argument',
      `Not a ${preset.title} tenant id: expected ${preset.tenantId.description}, like ${preset.tenantId.example}.`,
    );
  }
  const { postgres, mongo, redis, elastic } = preset.layout;
  const scope: TenantScope = { tenantId };
  if (postgres) {
    scope.postgres = { schema: tenantSchemaName(postgres, tenantId), setting: postgres.tenantSetting, tenantColumn: postgres.tenantColumn };
  }
  if (mongo) {
    scope.mongo =
      mongo.mode === 'field'
        ? { mode: 'field', field: mongo.field, valueType: mongo.fieldType }
        : { mode: 'collection-prefix', collectionPrefix: `${mongo.collectionPrefix}${tenantId}_`, field: mongo.field, valueType: mongo.fieldType };
  }
  if (redis) scope.redis = { keyPrefix: `${tenantId}${redis.separator}` };
  if (elastic) scope.elastic = { indexPattern: elastic.tenantPattern.replaceAll('{id}', tenantId) };
  return scope;
}
