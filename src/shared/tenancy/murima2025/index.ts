import type { TenancyPreset } from '../preset';
import { murimaPostgres } from './postgres';
import { murimaElastic, murimaMongo, murimaRedis } from './stores';

export const murima2025: TenancyPreset = {
  name: 'murima2025',
  title: 'Murima2025',
  seed: '003_eff76be78dff6f3c.txt',
  tenantId: {
    pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
    example: '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f',
    description: 'a lower-case UUID (public.tenants.id)',
  },
  layout: {
    postgres: {
      registry: { schema: 'public', table: 'tenants', idColumn: 'id', nameColumn: 'name', schemaColumn: 'schema_name' },
      schemaPrefix: 'tenant_',
      tenantSetting: 'app.current_tenant_id',
      tenantColumn: 'tenant_id',
    },
    mongo: {
      mode: 'collection-prefix',
      collectionPrefix: 'tenant_',
      field: 'tenant_id',
      fieldType: 'string',
      databases: { tenant: 'murima2025' },
    },
    redis: { separator: ':' },
    elastic: { indexFormat: 'tenant-{id}-{entity}-{YYYY-MM}', tenantPattern: 'tenant-{id}-*' },
  },
  blueprint: { postgres: murimaPostgres, mongo: murimaMongo, redis: murimaRedis, elastic: murimaElastic },
};
