import { AppError } from '@shared/errors';
import type { StoreTenantRow } from '@shared/model/tenant';
import { tenantIdOfSchema, type PostgresLayout } from '@shared/tenancy';
import { quoteIdent } from '@shared/sql/identifiers';
import type { ExecutionOptions } from '../../stores/execution';
import { recordsOf } from '../../reading/stores';
import type { PostgresFace } from '../../stores/postgres/face';

/** Registry columns read when present, beside the layout's id, name and schema columns. */
const STATUS_COLUMN = 'status';
const ACTIVITY_COLUMNS = ['last_activity_at', 'updated_at', 'created_at'];

/**
 * The PostgreSQL side of the tenant list in ONE catalog query: the registry (`public.tenants`)
 * full-outer-joined with the `tenant_%` schemas, and per-schema table counts, row and byte
 * estimates aggregated from `pg_class` in SQL (reltuples, relpages), never one size call per
 * relation. `registryColumns` are the registry's columns (from the catalog): a column the registry
 * lacks (status, updated_at) is read as null instead of failing the query.
 */
export function tenantCatalogSql(layout: PostgresLayout, registryColumns: readonly string[] | undefined, oneTenant: boolean): string {
  const { registry } = layout;
  const has = (column: string): boolean => registryColumns?.includes(column) ?? false;
  const text = (column: string): string => (has(column) ? `t.${quoteIdent(column)}::text` : 'NULL::text');
  const activity = ACTIVITY_COLUMNS.filter(has).map((c) => `t.${quoteIdent(c)}::timestamptz`);
  // $1 schema prefix, $2 the one tenant's id, $3 its schema.
  const registrySource = registryColumns
    ? `SELECT ${text(registry.idColumn)} AS id, ${text(registry.nameColumn)} AS name, ${text(STATUS_COLUMN)} AS status,
              ${activity.length > 0 ? `greatest(${activity.join(', ')})` : 'NULL::timestamptz'} AS last_activity,
              ${has(registry.schemaColumn) ? `coalesce(${text(registry.schemaColumn)}, $1::text || replace(${text(registry.idColumn)}, '-', '_'))` : `$1::text || replace(${text(registry.idColumn)}, '-', '_')`} AS schema_name
         FROM ${quoteIdent(registry.schema)}.${quoteIdent(registry.table)} t`
    : 'SELECT NULL::text AS id, NULL::text AS name, NULL::text AS status, NULL::timestamptz AS last_activity, NULL::text AS schema_name WHERE false';
  const only = oneTenant ? 'WHERE r.id = $2 OR s.nspname = $3' : '';
  return `
WITH registry AS MATERIALIZED (${registrySource}),
schemas AS MATERIALIZED (
  SELECT n.oid, n.nspname::text AS nspname FROM pg_catalog.pg_namespace n WHERE starts_with(n.nspname, $1::text)
),
sizes AS (
  SELECT c.relnamespace AS oid,
         count(*) FILTER (WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition) AS tables,
         coalesce(sum(greatest(c.reltuples, 0)) FILTER (WHERE c.relkind = 'r'), 0) AS rows,
         coalesce(sum(c.relpages::bigint) FILTER (WHERE c.relkind IN ('r', 'i', 'm', 't')), 0)
           * current_setting('block_size')::bigint AS bytes
    FROM pg_catalog.pg_class c
   WHERE c.relnamespace IN (SELECT oid FROM schemas)
   GROUP BY c.relnamespace
)
SELECT r.id,
       r.id IS NOT NULL AS registered,
       r.name,
       r.status,
       r.last_activity,
       s.nspname AS schema,
       coalesce(z.tables, 0)::int AS tables,
       coalesce(z.rows, 0)::float8 AS rows,
       coalesce(z.bytes, 0)::float8 AS bytes
  FROM registry r
  FULL OUTER JOIN schemas s ON s.nspname = r.schema_name
  LEFT JOIN sizes z ON z.oid = s.oid
  ${only}`;
}

/** The registry's column names, or undefined when the preset's registry table does not exist. */
export const REGISTRY_COLUMNS_SQL = `
SELECT to_regclass($1) IS NOT NULL AS present,
       coalesce((SELECT array_agg(a.attname::text) FROM pg_catalog.pg_attribute a
                  WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped), '{}') AS columns`;

// Shared with the tenant roster: one reading of a schema name.
export { tenantIdOfSchema };

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
export async function listPostgresTenants(pg: Pick<PostgresFace, 'query'>, layout: PostgresLayout, options: PostgresTenantsOptions): Promise<StoreTenantRow[]> {
  const exec: ExecutionOptions = { signal: options.signal, timeoutMs: options.timeoutMs };
  const registryName = `${quoteIdent(layout.registry.schema)}.${quoteIdent(layout.registry.table)}`;
  const [registry] = recordsOf(await pg.query(REGISTRY_COLUMNS_SQL, [registryName], undefined, exec));
  const columns = registry?.present === true && Array.isArray(registry.columns) ? registry.columns.map(String) : undefined;
  const oneTenant = options.tenantId !== undefined;
  const params: unknown[] = [layout.schemaPrefix];
  if (oneTenant) params.push(options.tenantId, options.schemaOfTenant ?? '');
  const rows = recordsOf(await pg.query(tenantCatalogSql(layout, columns, oneTenant), params, undefined, exec));
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
