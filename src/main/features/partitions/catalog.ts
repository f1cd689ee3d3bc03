/**
 * The catalog SQL of the partitions capability: every partitioned table of the tenant schemas a
 * chunk covers, with each partition, in one statement. Parameters:
 *
 *   $1 the schema prefix (`tenant_`), $2 a text[] of schemas or null for all of them,
 *   $3 the schema after which the chunk starts (exclusive) or null, $4 the chunk's last schema or null.
 *
 * Bounds come from `pg_get_expr(relpartbound, 0)`: a bound holds constants only, and with no
 * relation named the function opens none, so a tenant whose table another session holds locked
 * does not stall the pass over every other tenant. Rows are `reltuples` and sizes `relpages`
 * (kept by VACUUM and ANALYZE): 80,000 partitions cost no file-system call.
 *
 * A detached partition is a plain table of the schema named like one of the table's monthly
 * partitions (`<table>_yYYYYmMM`) or its default (`<table>_default`) that is no partition of anything.
 */
export function inventorySql(detachPending: boolean): string {
  const pending = detachPending ? 'i.inhdetachpending' : 'false';
  return `WITH ts AS MATERIALIZED (
  SELECT n.oid, n.nspname::text AS schema FROM pg_catalog.pg_namespace n
   WHERE starts_with(n.nspname, $1::text)
     AND ($2::text[] IS NULL OR n.nspname = ANY ($2::text[]))
     AND ($3::text IS NULL OR n.nspname > $3::text)
     AND ($4::text IS NULL OR n.nspname <= $4::text)
),
parents AS MATERIALIZED (
  SELECT ts.schema, ts.oid AS nsp, p.oid, p.relname::text AS tbl, pt.partstrat::text AS strategy, pt.partdefid,
         CASE WHEN pt.partnatts = 1 THEN (SELECT a.attname::text FROM pg_catalog.pg_attribute a WHERE a.attrelid = p.oid AND a.attnum = pt.partattrs[0]) END AS key_column,
         CASE WHEN pt.partnatts = 1 THEN (SELECT a.atttypid::regtype::text FROM pg_catalog.pg_attribute a WHERE a.attrelid = p.oid AND a.attnum = pt.partattrs[0]) END AS key_type
    FROM ts
    JOIN pg_catalog.pg_class p ON p.relnamespace = ts.oid AND p.relkind = 'p' AND NOT p.relispartition
    JOIN pg_catalog.pg_partitioned_table pt ON pt.partrelid = p.oid
)
SELECT pa.schema, pa.tbl, pa.strategy, pa.key_column, pa.key_type,
       c.relname::text AS name, pg_catalog.pg_get_expr(c.relpartbound, 0) AS bound,
       greatest(c.reltuples, 0)::float8 AS rows, (c.relpages::float8 * current_setting('block_size')::float8) AS bytes,
       CASE WHEN ${pending} THEN 'detach_pending' ELSE 'attached' END AS state,
       c.oid = pa.partdefid AS is_default
  FROM parents pa
  JOIN pg_catalog.pg_inherits i ON i.inhparent = pa.oid
  JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
UNION ALL
SELECT pa.schema, pa.tbl, pa.strategy, pa.key_column, pa.key_type,
       c.relname::text, NULL, greatest(c.reltuples, 0)::float8, (c.relpages::float8 * current_setting('block_size')::float8),
       'detached', c.relname = pa.tbl || '_default'
  FROM parents pa
  JOIN pg_catalog.pg_class c ON c.relnamespace = pa.nsp AND c.relkind IN ('r', 'p') AND NOT c.relispartition
   AND starts_with(c.relname::text, pa.tbl || '_')
   AND (substr(c.relname::text, length(pa.tbl) + 2) ~ '^y[0-9]{4}m(0[1-9]|1[0-2])$' OR c.relname::text = pa.tbl || '_default')
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits x WHERE x.inhrelid = c.oid)
UNION ALL
SELECT pa.schema, pa.tbl, pa.strategy, pa.key_column, pa.key_type, NULL, NULL, 0, 0, NULL, false
  FROM parents pa
 WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhparent = pa.oid)`;
}

/** Every tenant schema's name, in order: the boundaries of the chunks a pass is cut into. */
export const SCHEMA_NAMES_SQL = `
SELECT n.nspname::text AS schema FROM pg_catalog.pg_namespace n
 WHERE starts_with(n.nspname, $1::text) AND ($2::text[] IS NULL OR n.nspname = ANY ($2::text[]))
 ORDER BY n.nspname`;

export const SERVER_VERSION_SQL = "SELECT current_setting('server_version_num')::int AS version";
