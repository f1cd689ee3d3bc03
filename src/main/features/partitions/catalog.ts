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
  // Driven from pg_partitioned_table (one row per partitioned table) and indexes only: pg_class has
  // no index on relnamespace, and a scan of it per chunk would grow with every relation of every tenant.
  return `WITH ts AS MATERIALIZED (
  SELECT n.oid, n.nspname::text AS schema FROM pg_catalog.pg_namespace n
   WHERE starts_with(n.nspname, $1::text)
     AND ($2::text[] IS NULL OR n.nspname = ANY ($2::text[]))
     AND ($3::text IS NULL OR n.nspname > $3::text)
     AND ($4::text IS NULL OR n.nspname <= $4::text)
),
partitioned AS MATERIALIZED (
  SELECT pt.partrelid AS oid, p.relname::text AS tbl, p.relnamespace, pt.partstrat::text AS strategy, pt.partdefid, pt.partnatts, pt.partattrs[0] AS keynum
    FROM pg_catalog.pg_partitioned_table pt
    CROSS JOIN LATERAL (SELECT c.relname, c.relnamespace FROM pg_catalog.pg_class c WHERE c.oid = pt.partrelid AND NOT c.relispartition OFFSET 0) p
),
parents AS MATERIALIZED (
  SELECT ts.schema, ts.oid AS nsp, pp.oid, pp.tbl, pp.strategy, pp.partdefid,
         CASE WHEN pp.partnatts = 1 THEN (SELECT a.attname::text FROM pg_catalog.pg_attribute a WHERE a.attrelid = pp.oid AND a.attnum = pp.keynum) END AS key_column,
         CASE WHEN pp.partnatts = 1 THEN (SELECT a.atttypid::regtype::text FROM pg_catalog.pg_attribute a WHERE a.attrelid = pp.oid AND a.attnum = pp.keynum) END AS key_type
    FROM partitioned pp JOIN ts ON ts.oid = pp.relnamespace
),
names AS MATERIALIZED (SELECT DISTINCT tbl FROM parents),
-- Names like a monthly partition of a table of this chunk: read from the (relname, relnamespace)
-- index alone, then kept for this chunk's schemas by a hash join.
named AS MATERIALIZED (
  SELECT c.relname, c.relnamespace, names.tbl
    FROM names
    CROSS JOIN LATERAL (
      SELECT c.relname, c.relnamespace FROM pg_catalog.pg_class c
       WHERE c.relname >= (names.tbl || '_y')::name AND c.relname < (names.tbl || '_z')::name OFFSET 0
    ) c
   WHERE c.relnamespace IN (SELECT oid FROM ts)
  UNION ALL
  SELECT (pa.tbl || '_default')::name, pa.nsp, pa.tbl FROM parents pa
),
loose AS MATERIALIZED (
  SELECT c.oid, c.relname::text AS relname, c.relnamespace, c.reltuples, c.relpages, named.tbl
    FROM named
    CROSS JOIN LATERAL (
      SELECT c.oid, c.relname, c.relnamespace, c.reltuples, c.relpages FROM pg_catalog.pg_class c
       WHERE c.relname = named.relname AND c.relnamespace = named.relnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition OFFSET 0
    ) c
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
       l.relname, NULL, greatest(l.reltuples, 0)::float8, (l.relpages::float8 * current_setting('block_size')::float8),
       'detached', l.relname = pa.tbl || '_default'
  FROM parents pa
  JOIN loose l ON l.relnamespace = pa.nsp AND l.tbl = pa.tbl
 WHERE (substr(l.relname, length(pa.tbl) + 2) ~ '^y[0-9]{4}m(0[1-9]|1[0-2])$' OR l.relname = pa.tbl || '_default')
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits x WHERE x.inhrelid = l.oid)
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
