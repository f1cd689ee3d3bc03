/**
 * The catalog SQL of the partitions capability, one pass over the tenant schemas in two kinds of
 * statement, both through the catalogs' indexes only (pg_class has no index on relnamespace: a scan
 * of it per chunk would grow with every relation of every tenant):
 *
 * - `PARENTS_SQL` ($1 the schema prefix, $2 a text[] of schemas or null for all): every partitioned
 *   table of the tenant schemas, with its key column and type, ordered by schema. One statement.
 * - `partitionsSql` ($1 an oid[] of parents, $2 their names, $3 their schemas' oids): each
 *   parent's partitions, then tables named like its partitions that are no partition (detached).
 *   Run per chunk of parents, so one statement never holds a snapshot over 10,000 tenants.
 *
 * Bounds come from `pg_get_expr(relpartbound, 0)`: a bound holds constants only, and with no
 * relation named the function opens none, so a tenant whose table another session holds locked
 * does not stall the pass over every other tenant. Rows are `reltuples` and sizes `relpages`
 * (kept by VACUUM and ANALYZE): 80,000 partitions cost no file-system call.
 */

export const PARENTS_SQL = `
SELECT n.nspname::text AS schema, n.oid AS nsp, pp.oid, pp.tbl, pp.strategy, pp.partdefid,
       CASE WHEN pp.partnatts = 1 THEN (SELECT a.attname::text FROM pg_catalog.pg_attribute a WHERE a.attrelid = pp.oid AND a.attnum = pp.keynum) END AS key_column,
       CASE WHEN pp.partnatts = 1 THEN (SELECT a.atttypid::regtype::text FROM pg_catalog.pg_attribute a WHERE a.attrelid = pp.oid AND a.attnum = pp.keynum) END AS key_type
  FROM (
    SELECT pt.partrelid AS oid, p.relname::text AS tbl, p.relnamespace, pt.partstrat::text AS strategy, pt.partdefid, pt.partnatts, pt.partattrs[0] AS keynum
      FROM pg_catalog.pg_partitioned_table pt
      CROSS JOIN LATERAL (SELECT c.relname, c.relnamespace FROM pg_catalog.pg_class c WHERE c.oid = pt.partrelid AND NOT c.relispartition OFFSET 0) p
  ) pp
  JOIN pg_catalog.pg_namespace n ON n.oid = pp.relnamespace
 WHERE starts_with(n.nspname, $1::text) AND ($2::text[] IS NULL OR n.nspname = ANY ($2::text[]))
 ORDER BY n.nspname, pp.tbl`;

export function partitionsSql(detachPending: boolean): string {
  // inhdetachpending came with PostgreSQL 14 (DETACH … CONCURRENTLY).
  const pending = detachPending ? 'i.inhdetachpending' : 'false AS inhdetachpending';
  return `WITH parents AS MATERIALIZED (
  SELECT u.oid, u.tbl, u.nsp FROM unnest($1::oid[], $2::text[], $3::oid[]) AS u(oid, tbl, nsp)
),
names AS MATERIALIZED (SELECT DISTINCT tbl FROM parents),
-- Names like a monthly partition of a table of this chunk: read from the (relname, relnamespace)
-- index alone and kept for this chunk's schemas by a hash join; attached ones are dropped below.
named AS MATERIALIZED (
  SELECT c.relname, c.relnamespace, names.tbl
    FROM names
    CROSS JOIN LATERAL (
      SELECT c.relname, c.relnamespace FROM pg_catalog.pg_class c
       WHERE c.relname >= (names.tbl || '_y')::name AND c.relname < (names.tbl || '_z')::name OFFSET 0
    ) c
   WHERE c.relnamespace IN (SELECT nsp FROM parents)
  UNION ALL
  SELECT (pa.tbl || '_default')::name, pa.nsp, pa.tbl FROM parents pa
),
attached AS MATERIALIZED (
  SELECT pa.oid AS parent, c.oid, c.relname, c.relnamespace, c.relpartbound, c.reltuples, c.relpages, i.inhdetachpending
    FROM parents pa
    CROSS JOIN LATERAL (SELECT i.inhrelid, ${pending} FROM pg_catalog.pg_inherits i WHERE i.inhparent = pa.oid OFFSET 0) i
    JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
),
loose AS MATERIALIZED (
  SELECT n.relname, n.relnamespace, n.tbl FROM named n
   WHERE NOT EXISTS (SELECT 1 FROM attached x WHERE x.relname = n.relname AND x.relnamespace = n.relnamespace)
)
SELECT a.parent, a.oid, a.relname::text AS name, pg_catalog.pg_get_expr(a.relpartbound, 0) AS bound,
       greatest(a.reltuples, 0)::float8 AS rows, (a.relpages::float8 * current_setting('block_size')::float8) AS bytes,
       CASE WHEN a.inhdetachpending THEN 'detach_pending' ELSE 'attached' END AS state
  FROM attached a
UNION ALL
SELECT pa.oid, c.oid, c.relname::text, NULL, greatest(c.reltuples, 0)::float8, (c.relpages::float8 * current_setting('block_size')::float8), 'detached'
  FROM loose l
  JOIN parents pa ON pa.nsp = l.relnamespace AND pa.tbl = l.tbl
  CROSS JOIN LATERAL (
    SELECT c.oid, c.relname, c.reltuples, c.relpages FROM pg_catalog.pg_class c
     WHERE c.relname = l.relname AND c.relnamespace = l.relnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition OFFSET 0
  ) c
 WHERE (substr(c.relname::text, length(pa.tbl) + 2) ~ '^y[0-9]{4}m(0[1-9]|1[0-2])$' OR c.relname::text = pa.tbl || '_default')
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits x WHERE x.inhrelid = c.oid)`;
}

/** Every tenant schema's name, in order. */
export const SCHEMA_NAMES_SQL = `
SELECT n.nspname::text AS schema FROM pg_catalog.pg_namespace n
 WHERE starts_with(n.nspname, $1::text) AND ($2::text[] IS NULL OR n.nspname = ANY ($2::text[]))
 ORDER BY n.nspname`;

export const SERVER_VERSION_SQL = "SELECT current_setting('server_version_num')::int AS version";
