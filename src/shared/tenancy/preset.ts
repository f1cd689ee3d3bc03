import { tenantIdProblem } from '../model/tenant-id';
import type { Blueprint } from './blueprint';

/** How a preset's tenants are found and laid out in PostgreSQL: a registry table plus one schema each. */
export interface PostgresLayout {
  registry: { schema: string; table: string; idColumn: string; nameColumn: string; schemaColumn: string };
  /** A tenant's schema is `<schemaPrefix><id>` with the id's dashes turned into underscores. */
  schemaPrefix: string;
  /** The setting RLS policies read the current tenant from (`set_config(…, $1, true)`). */
  tenantSetting: string;
  tenantColumn: string;
}

/** MongoDB database names are templates over `{prefix}` and `{env}`. */
export interface MongoDatabases {
  customer?: string;
  shared?: string;
  admin?: string;
  /** The single database of a layout that prefixes collections instead. */
  tenant?: string;
}

export type MongoLayout =
  | {
      /** Every document of a tenant-scoped collection carries the tenant field. */
      mode: 'field';
      field: string;
      fieldType: 'objectId' | 'string';
      databases: MongoDatabases;
      /** Where tenants themselves are listed. */
      registry: { database: keyof MongoDatabases; collection: string; idField: string; nameField: string };
    }
  | {
      /** Each tenant has its own collections, `<collectionPrefix><id>_<name>`. */
      mode: 'collection-prefix';
      collectionPrefix: string;
      /** The field each document still carries, as a second guard. */
      field: string;
      fieldType: 'objectId' | 'string';
      databases: MongoDatabases;
    };

export interface RedisLayout {
  /** Keys are `<id><separator><entity>…`. */
  separator: string;
}

export interface ElasticLayout {
  /** `tenant-{id}-{entity}-{YYYY-MM}` */
  indexFormat: string;
  /** Every index of one tenant: `tenant-{id}-*`. */
  tenantPattern: string;
}

export interface TenancyPreset {
  name: string;
  title: string;
  /** The seed document the preset was modelled on, under seeds/. */
  seed: string;
  /** What a tenant id looks like; a scope for any other string is refused. */
  tenantId: { pattern: string; example: string; description: string };
  layout: {
    postgres?: PostgresLayout;
    mongo?: MongoLayout;
    redis?: RedisLayout;
    elastic?: ElasticLayout;
  };
  blueprint: Blueprint;
}

export function tenantIdPattern(preset: TenancyPreset): RegExp {
  return new RegExp(preset.tenantId.pattern);
}

/** Whether a value is a tenant id under the one rule and this preset's pattern. */
export function isTenantId(preset: TenancyPreset, value: unknown): value is string {
  return tenantIdProblem(value) === undefined && tenantIdPattern(preset).test(value as string);
}

/** `tenant_0f8fad5b_d9cb_…`: underscores keep the name a plain identifier for people typing SQL. */
export function tenantSchemaName(layout: PostgresLayout, tenantId: string): string {
  return `${layout.schemaPrefix}${tenantId.replaceAll('-', '_')}`;
}

export function mongoDatabaseName(template: string, prefix: string, env: string): string {
  return template.replaceAll('{prefix}', prefix).replaceAll('{env}', env);
}

/** `tenant-<id>-*`: the indices of one tenant, as its scope confines a store to them. */
export function tenantIndexPattern(layout: ElasticLayout, tenantId: string): string {
  return layout.tenantPattern.replaceAll('{id}', tenantId);
}

export function tenantCollectionName(layout: MongoLayout, tenantId: string, name: string): string {
  return layout.mode === 'collection-prefix' ? `${layout.collectionPrefix}${tenantId}_${name}` : name;
}

/** `tenant-<id>-<entity>-<YYYY-MM>` for a month given as a Date (UTC). */
export function tenantIndexName(layout: ElasticLayout, tenantId: string, entity: string, month: Date): string {
  const yyyyMm = `${month.getUTCFullYear()}-${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
  return layout.indexFormat.replaceAll('{id}', tenantId).replaceAll('{entity}', entity).replaceAll('{YYYY-MM}', yyyyMm);
}
