import { AppError } from '@shared/errors';
import type { StoreTenantRow } from '@shared/model/tenant';
import type { PostgresLayout } from '@shared/tenancy';
import { quoteIdent } from '@shared/sql/identifiers';
import type { ExecutionOptions } from '../../stores/execution';
import { recordsOf, type TenantsPostgres } from './ports';

/**
 * The PostgreSQL side of the tenant list in ONE catalog query: the registry (`public.tenants`)
 * full-outer-joined with the `tenant_%` schemas, and per-schema table counts, row and byte
 * estimates aggregated from `pg_class` in SQL (reltuples, relpages), never one size call per
 * relation. Registry columns are read through `to_jsonb(row)` so a registry that lacks a column
 * (status, updated_at) answers null instead of failing.
 */
export function tenantCatalogSql(layout: PostgresLayout, withRegistry: boolean, oneTenant: boolean): string {
  const { registry } = layout;
  const registrySource = withRegistry
    ? `SELECT to_jsonb(t) AS doc FROM ${quoteIdent(registry.schema)}.${quoteIdent(registry.table)} t`
    : 'SELECT NULL::jsonb AS doc WHERE false';
  // $1 schema prefix, $2 id column, $3 name column, $4 schema column, $5 the one tenant's id, $6 its schema.
  const only = oneTenant ? 'WHERE r.doc ->> $2 = $5 OR s.nspname = $6' : '';
  return `
WITH registry AS (${registrySource}),
schemas AS (
  SELECT n.oid, n.nspname::text AS nspname FROM pg_catalog.pg_namespace n WHERE starts_with(n.nspname, $1::text)
),
sizes AS (
  SELECT c.relnamespace AS oid,
         count(*) FILTER (WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition) AS tables,
         coalesce(sum(greatest(c.reltuples, 0)) FILTER (WHERE c.relkind = 'r'), 0) AS rows,
         coalesce(sum(c.relpages::bigint) FILTER (WHERE c.relkind IN ('r', 'i', 'm', 't')), 0)
           * current_setting('block_size')::bigint AS bytes
    FROM pg_catalog.pg_class c JOIN schemas s ON s.oid = c.relnamespace
   GROUP BY c.relnamespace
)
SELECT r.doc ->> $2::text AS id,
       r.doc IS NOT NULL AS registered,
       r.doc ->> $3::text AS name,
       r.doc ->> 'status' AS status,
       coalesce(r.doc ->> 'last_activity_at', r.doc ->> 'updated_at', r.doc ->> 'created_at') AS last_activity,
       s.nspname AS schema,
       coalesce(z.tables, 0)::int AS tables,
       coalesce(z.rows, 0)::float8 AS rows,
       coalesce(z.bytes, 0)::float8 AS bytes
  FROM registry r
  FULL OUTER JOIN schemas s
    ON s.nspname = coalesce(r.doc ->> $4::text, $1::text || replace(r.doc ->> $2::text, '-', '_'))
  LEFT JOIN sizes z ON z.oid = s.oid
  ${only}`;
}

/** `tenant_0f8fad5b_d9cb_…` back to the id it was made from (UUID dashes were turned into underscores). */
export function tenantIdOfSchema(layout: PostgresLayout, schema: string, idPattern: RegExp): string {
  const suffix = schema.slice(layout.schemaPrefix.length);
  if (idPattern.test(suffix)) return suffix;
  const dashed = suffix.replaceAll('_', '-');
  return idPattern.test(dashed) ? dashed : suffix;
}

const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

function isoOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const date = new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export interface PostgresTenantsOptions extends ExecutionOptions {
  idPattern: RegExp;
  /** Only this tenant (by registry id or by its schema). */
  tenantId?: string;
  schemaOfTenant?: string;
}

/** Every tenant PostgreSQL knows of: registry rows and tenant schemas, matched in SQL. */
export async function listPostgresTenants(pg: TenantsPostgres, layout: PostgresLayout, options: PostgresTenantsOptions): Promise<StoreTenantRow[]> {
  const exec: ExecutionOptions = { signal: options.signal, timeoutMs: options.timeoutMs };
  const registryName = `${quoteIdent(layout.registry.schema)}.${quoteIdent(layout.registry.table)}`;
  const found = recordsOf(await pg.query('SELECT to_regclass($1) IS NOT NULL AS present', [registryName], undefined, exec));
  const withRegistry = found[0]?.present === true;
  const oneTenant = options.tenantId !== undefined;
  const params: unknown[] = [layout.schemaPrefix, layout.registry.idColumn, layout.registry.nameColumn, layout.registry.schemaColumn];
  if (oneTenant) params.push(options.tenantId, options.schemaOfTenant ?? '');
  const rows = recordsOf(await pg.query(tenantCatalogSql(layout, withRegistry, oneTenant), params, undefined, exec));
  return rows.map((row) => {
    const schema = text(row.schema);
    const id = text(row.id) ?? (schema ? tenantIdOfSchema(layout, schema, options.idPattern) : null);
    if (id === null) throw new AppError('internal', 'The tenant catalog query returned a row with neither id nor schema.');
    return {
      id,
      registered: row.registered === true,
      name: text(row.name),
      status: text(row.status),
      lastActivity: isoOrNull(row.last_activity),
      footprint: {
        store: 'postgres' as const,
        schema,
        tables: Number(row.tables ?? 0),
        rowsEstimate: Number(row.rows ?? 0),
        bytesEstimate: Number(row.bytes ?? 0),
      },
    };
  });
}
