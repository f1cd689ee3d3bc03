import { quoteIdent } from '@shared/sql/identifiers';
import type { PostgresLayout } from '@shared/tenancy';

/**
 * The catalog SQL of the indexes capability. Every statement reads all the tenant schemas it
 * covers in one pass — never one query per tenant — and takes the same first parameters:
 *
 *   $1 the schema prefix (`tenant_`), $2 a text[] of schemas or null for all of them,
 *   $3 the schema after which a chunk starts (exclusive) or null, $4 the last schema of the chunk or null.
 *
 * Sizes come from `relpages` (kept by VACUUM, ANALYZE and CREATE INDEX) and scans from the
 * `pg_stat_get_*` functions the `pg_stat_user_indexes` view is made of, so 300,000 indexes cost no
 * file-system call and no view over the whole database.
 */

/** The registry, when the database has one, gives each schema its tenant id; otherwise the name does. */
function registrySource(layout: PostgresLayout, registryPresent: boolean): string {
  const { registry } = layout;
  if (!registryPresent) return 'SELECT NULL::text AS id, NULL::text AS schema_name WHERE false';
  return `SELECT ${quoteIdent(registry.idColumn)}::text AS id, ${quoteIdent(registry.schemaColumn)}::text AS schema_name
            FROM ${quoteIdent(registry.schema)}.${quoteIdent(registry.table)}`;
}

/**
 * Schemas where another session holds or waits for an ACCESS EXCLUSIVE lock on a relation. The
 * deparse functions (pg_get_indexdef, pg_get_expr, pg_get_constraintdef) take ACCESS SHARE on the
 * table, so one migration holding a tenant's table would stall a pass over all 10,000: such a
 * schema is left out of the pass and reported as busy instead.
 */
const BUSY_CTE = `busy AS MATERIALIZED (
  SELECT DISTINCT c.relnamespace AS oid
    FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_class c ON c.oid = l.relation
   WHERE l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock' AND l.pid <> pg_backend_pid()
     AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
)`;

/** Tenant schemas of the target ($1, $2) that are busy now, by name. */
export const BUSY_SCHEMAS_SQL = `WITH ${BUSY_CTE}
SELECT n.nspname::text FROM busy JOIN pg_catalog.pg_namespace n ON n.oid = busy.oid
 WHERE starts_with(n.nspname, $1::text) AND ($2::text[] IS NULL OR n.nspname = ANY ($2::text[]))`;

/** `ts`: the tenant schemas of this pass with their tenant ids, busy ones left out. */
export function tenantSchemasCte(layout: PostgresLayout, registryPresent: boolean): string {
  return `${BUSY_CTE},
ts AS MATERIALIZED (
  SELECT n.oid, n.nspname::text AS schema,
         coalesce(r.id, replace(substr(n.nspname, length($1::text) + 1), '_', '-')) AS tenant_id
    FROM pg_catalog.pg_namespace n
    LEFT JOIN (${registrySource(layout, registryPresent)}) r ON r.schema_name = n.nspname
   WHERE starts_with(n.nspname, $1::text)
     AND ($2::text[] IS NULL OR n.nspname = ANY ($2::text[]))
     AND ($3::text IS NULL OR n.nspname > $3::text)
     AND ($4::text IS NULL OR n.nspname <= $4::text)
     AND n.oid NOT IN (SELECT oid FROM busy)
)`;
}

/** Every tenant schema's name, in order: the boundaries of the chunks a long pass is cut into. */
export const SCHEMA_NAMES_SQL = `
SELECT n.nspname::text AS schema FROM pg_catalog.pg_namespace n
 WHERE starts_with(n.nspname, $1::text) AND ($2::text[] IS NULL OR n.nspname = ANY ($2::text[]))
 ORDER BY n.nspname`;

/** When the counters were last reset, and how old they are (from the server start when never reset). */
export const STATS_RESET_SQL = `
SELECT d.stats_reset AS reset_at,
       extract(epoch FROM now() - coalesce(d.stats_reset, pg_postmaster_start_time())) / 86400 AS age_days
  FROM pg_catalog.pg_stat_database d WHERE d.datname = current_database()`;

/** Whether the preset's registry table exists here. */
export const REGISTRY_PRESENT_SQL = 'SELECT to_regclass($1::text) IS NOT NULL AS present';

/**
 * Whether the server keeps the time of an index's last scan: `pg_stat_get_lastscan` (the
 * `last_idx_scan` of `pg_stat_user_indexes`) exists from PostgreSQL 16 on.
 */
export const LAST_SCAN_KEPT_SQL = "SELECT current_setting('server_version_num')::int >= 160000 AS kept";

/**
 * `ix`: every index on a tenant schema's own tables (not on partitions). A partitioned table's
 * index has no storage or scans of its own: its partitions' indexes are summed into it.
 * `display` is `pg_get_indexdef` from `USING` on, with the schema taken out, so tenants compare alike.
 * `last_scan` is read only where the server keeps it (16+, `lastScan`); otherwise it is null.
 */
const indexRowsCte = (lastScan: boolean): string => `ix AS (
  SELECT ts.tenant_id, ts.schema, t.relname::text AS tbl, i.relname::text AS name,
         (CASE WHEN x.indisunique THEN 'UNIQUE ' ELSE '' END) ||
           substring(replace(pg_catalog.pg_get_indexdef(x.indexrelid), quote_ident(ts.schema) || '.', '') FROM ' (USING .*)$') AS display,
         am.amname::text AS method, x.indisunique AS is_unique, x.indisprimary AS is_primary, x.indisvalid AS valid,
         con.conname::text AS constraint_name,
         ARRAY(SELECT pg_catalog.pg_get_indexdef(x.indexrelid, k, true) || CASE WHEN x.indoption[k - 1] & 1 = 1 THEN ' DESC' ELSE '' END
                 FROM generate_series(1, x.indnkeyatts) k ORDER BY k) AS keys,
         ARRAY(SELECT pg_catalog.pg_get_indexdef(x.indexrelid, k, true) FROM generate_series(x.indnkeyatts + 1, x.indnatts) k ORDER BY k) AS include,
         pg_catalog.pg_get_expr(x.indpred, x.indrelid, true) AS predicate,
         ((i.relpages::bigint + coalesce(part.pages, 0)) * current_setting('block_size')::bigint)::float8 AS size_bytes,
         (pg_catalog.pg_stat_get_numscans(x.indexrelid) + coalesce(part.scans, 0))::float8 AS scans,
         (pg_catalog.pg_stat_get_tuples_returned(x.indexrelid) + coalesce(part.tup_read, 0))::float8 AS tup_read,
         (pg_catalog.pg_stat_get_tuples_fetched(x.indexrelid) + coalesce(part.tup_fetch, 0))::float8 AS tup_fetch,
         ${lastScan ? 'greatest(pg_catalog.pg_stat_get_lastscan(x.indexrelid), part.last_scan)' : 'NULL::timestamptz'} AS last_scan
    FROM ts
    JOIN pg_catalog.pg_class t ON t.relnamespace = ts.oid AND t.relkind IN ('r', 'p') AND NOT t.relispartition
    JOIN pg_catalog.pg_index x ON x.indrelid = t.oid
    JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
    JOIN pg_catalog.pg_am am ON am.oid = i.relam
    LEFT JOIN pg_catalog.pg_constraint con ON con.conindid = x.indexrelid AND con.conrelid = x.indrelid AND con.contype IN ('p', 'u', 'x')
    LEFT JOIN LATERAL (
      SELECT sum(c.relpages)::bigint AS pages, sum(pg_catalog.pg_stat_get_numscans(h.inhrelid))::bigint AS scans,
             sum(pg_catalog.pg_stat_get_tuples_returned(h.inhrelid))::bigint AS tup_read,
             sum(pg_catalog.pg_stat_get_tuples_fetched(h.inhrelid))::bigint AS tup_fetch,
             ${lastScan ? 'max(pg_catalog.pg_stat_get_lastscan(h.inhrelid))' : 'NULL::timestamptz'} AS last_scan
        FROM pg_catalog.pg_inherits h JOIN pg_catalog.pg_class c ON c.oid = h.inhrelid
       WHERE h.inhparent = x.indexrelid
    ) part ON t.relkind = 'p'
)`;

/** Every index of the covered schemas, one row each (`table` narrows it to one table name). */
export function indexRowsSql(layout: PostgresLayout, registryPresent: boolean, lastScan = false): string {
  return `WITH ${tenantSchemasCte(layout, registryPresent)}, ${indexRowsCte(lastScan)}
SELECT * FROM ix WHERE $5::text IS NULL OR tbl = $5::text ORDER BY schema, tbl, name`;
}

/**
 * One chunk of the fleet view: per logical index (table, name) and definition, the tenants that
 * hold it, sizes and scans summed, used / never used / invalid counts and the five busiest tenants.
 */
export function fleetChunkSql(layout: PostgresLayout, registryPresent: boolean): string {
  return `WITH ${tenantSchemasCte(layout, registryPresent)}, ${indexRowsCte(false)}
SELECT tbl, name, display,
       count(*)::int AS tenants, sum(size_bytes)::float8 AS size_bytes, sum(scans)::float8 AS scans,
       (count(*) FILTER (WHERE scans > 0))::int AS used_in, (count(*) FILTER (WHERE scans = 0))::int AS never_used_in,
       (count(*) FILTER (WHERE NOT valid))::int AS invalid_in,
       (array_agg(jsonb_build_object('tenantId', tenant_id, 'scans', scans) ORDER BY scans DESC, schema))[1:5] AS top
  FROM ix WHERE $5::text IS NULL OR tbl = $5::text
 GROUP BY tbl, name, display`;
}

/** Foreign keys of the covered schemas' own tables with their columns in key order, for the missing-index finding. */
export function foreignKeysSql(layout: PostgresLayout, registryPresent: boolean): string {
  return `WITH ${tenantSchemasCte(layout, registryPresent)}
SELECT ts.tenant_id, ts.schema, t.relname::text AS tbl, k.conname::text AS name,
       ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY AS c(attnum, ord)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = c.attnum ORDER BY c.ord) AS columns,
       k.confrelid::regclass::text AS referenced
  FROM ts
  JOIN pg_catalog.pg_class t ON t.relnamespace = ts.oid AND t.relkind IN ('r', 'p') AND NOT t.relispartition
  JOIN pg_catalog.pg_constraint k ON k.conrelid = t.oid AND k.contype = 'f'
 WHERE $5::text IS NULL OR t.relname = $5::text
 ORDER BY ts.schema, t.relname, k.conname`;
}
