import { validateTenantId } from '../model/tenant-id';
import { parseTenantScope, type TenantScope } from '../model/tenant-scope';
import { tenantIndexPattern, tenantSchemaName, type TenancyPreset } from './preset';

export type { TenantScope };

/**
 * The scope of one tenant under a preset. The id is checked against the preset's pattern (and the
 * characters no tenant id may hold); the result is validated like any scope before a store uses it.
 */
export function scopeFor(preset: TenancyPreset, tenantId: string): TenantScope {
  const id = validateTenantId(tenantId, preset.tenantId.pattern);
  const { postgres, mongo, redis, elastic } = preset.layout;
  const scoped = (preset.blueprint.mongo?.collections ?? []).filter((c) => c.tenantScoped).map((c) => c.name);
  return parseTenantScope({
    tenantId: id,
    ...(postgres && {
      postgres: { schema: tenantSchemaName(postgres, id), setting: postgres.tenantSetting, tenantColumn: postgres.tenantColumn },
    }),
    ...(mongo && {
      mongo:
        mongo.mode === 'field'
          ? { mode: 'field', field: mongo.field, valueType: mongo.fieldType, collections: scoped }
          : { mode: 'collection-prefix', collectionPrefix: `${mongo.collectionPrefix}${id}_`, field: mongo.field, valueType: mongo.fieldType },
    }),
    ...(redis && { redis: { keyPrefix: `${id}${redis.separator}` } }),
    ...(elastic && { elastic: { indexPattern: tenantIndexPattern(elastic, id) } }),
  });
}
