import type { PostgresLayout } from '@shared/tenancy';
import { tenantSchemasCte } from './catalog';

/**
 * Blueprint drift by definition, in SQL. `live` lists every object of the covered tenant schemas
 * that the blueprint speaks of — indexes that back no constraint, constraints, RLS policies, the
 * RLS switch of each table, user triggers — with a normalised definition: the schema name taken
 * out of what PostgreSQL deparses, and a tenant's own id (in its tenant_check constraint) replaced
 * by `$tenant`. The same text is read from a reference schema the blueprint builds in a
 * transaction that is rolled back, so the server's own deparser decides what "the same" means.
 *
 * Policy definitions are `command \x01 USING \x01 WITH CHECK \x01 permissive`, so a report can say
 * which part differs.
 */
const LIVE_OBJECTS_CTE = `live AS MATERIALIZED (
  SELECT ts.tenant_id, ts.schema, 'index'::text AS object, t.relname::text AS tbl, i.relname::text AS name,
         (CASE WHEN x.indisunique THEN 'UNIQUE ' ELSE '' END) ||
           substring(replace(pg_catalog.pg_get_indexdef(x.indexrelid), quote_ident(ts.schema) || '.', '') FROM ' (USING .*)$') AS def
    FROM ts
    JOIN pg_catalog.pg_class t ON t.relnamespace = ts.oid AND t.relkind IN ('r', 'p') AND NOT t.relispartition
    JOIN pg_catalog.pg_index x ON x.indrelid = t.oid
    JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
   WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x'))
  UNION ALL
  SELECT ts.tenant_id, ts.schema, 'constraint', t.relname::text, k.conname::text,
         replace(replace(pg_catalog.pg_get_constraintdef(k.oid), quote_ident(ts.schema) || '.', ''), ts.tenant_id, '$tenant')
    FROM ts
    JOIN pg_catalog.pg_class t ON t.relnamespace = ts.oid AND t.relkind IN ('r', 'p') AND NOT t.relispartition
    JOIN pg_catalog.pg_constraint k ON k.conrelid = t.oid
  UNION ALL
  SELECT ts.tenant_id, ts.schema, 'policy', t.relname::text, p.polname::text,
         p.polcmd::text || E'\\x01' ||
           coalesce(replace(pg_catalog.pg_get_expr(p.polqual, p.polrelid), quote_ident(ts.schema) || '.', ''), '') || E'\\x01' ||
           coalesce(replace(pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid), quote_ident(ts.schema) || '.', ''), '') || E'\\x01' ||
           p.polpermissive::text
    FROM ts
    JOIN pg_catalog.pg_class t ON t.relnamespace = ts.oid AND t.relkind IN ('r', 'p') AND NOT t.relispartition
    JOIN pg_catalog.pg_policy p ON p.polrelid = t.oid
  UNION ALL
  SELECT ts.tenant_id, ts.schema, 'row_level_security', t.relname::text, t.relname::text, t.relrowsecurity::text
    FROM ts
    JOIN pg_catalog.pg_class t ON t.relnamespace = ts.oid AND t.relkind IN ('r', 'p') AND NOT t.relispartition
  UNION ALL
  SELECT ts.tenant_id, ts.schema, 'trigger', t.relname::text, g.tgname::text,
         replace(pg_catalog.pg_get_triggerdef(g.oid), quote_ident(ts.schema) || '.', '')
    FROM ts
    JOIN pg_catalog.pg_class t ON t.relnamespace = ts.oid AND t.relkind IN ('r', 'p') AND NOT t.relispartition
    JOIN pg_catalog.pg_trigger g ON g.tgrelid = t.oid AND NOT g.tgisinternal AND g.tgparentid = 0
)`;

/**
 * The raw catalog read drift needs: every object of every covered schema with its normalised
 * definition, nothing compared. The reference is read with it; the benchmark measures it as the baseline.
 */
export function liveObjectsSql(layout: PostgresLayout, registryPresent: boolean): string {
  return `WITH ${tenantSchemasCte(layout, registryPresent)}, ${LIVE_OBJECTS_CTE}
SELECT tenant_id, schema, object, tbl, name, def FROM live`;
}

/**
 * Drift in one statement: $5 is the reference as JSON (`[{object, tbl, name, def}]`). Returns only
 * what differs — a blueprint object a schema lacks (`missing`), one it holds with another
 * definition (`different`), and one on a blueprint table the blueprint does not name (`extra`).
 */
export function driftSql(layout: PostgresLayout, registryPresent: boolean): string {
  return `WITH ${tenantSchemasCte(layout, registryPresent)}, ${LIVE_OBJECTS_CTE},
ref AS MATERIALIZED (SELECT * FROM jsonb_to_recordset($5::jsonb) AS r(object text, tbl text, name text, def text)),
ref_tables AS (SELECT DISTINCT tbl FROM ref)
SELECT ts.tenant_id, ts.schema, r.object, r.tbl, r.name, 'missing'::text AS change, NULL::text AS def
  FROM ts CROSS JOIN ref r
 WHERE NOT EXISTS (SELECT 1 FROM live l WHERE l.schema = ts.schema AND l.object = r.object AND l.tbl = r.tbl AND l.name = r.name)
UNION ALL
SELECT l.tenant_id, l.schema, l.object, l.tbl, l.name, CASE WHEN r.def IS NULL THEN 'extra' ELSE 'different' END, l.def
  FROM live l
  LEFT JOIN ref r ON r.object = l.object AND r.tbl = l.tbl AND r.name = l.name
 WHERE r.def IS DISTINCT FROM l.def AND l.tbl IN (SELECT tbl FROM ref_tables)`;
}
