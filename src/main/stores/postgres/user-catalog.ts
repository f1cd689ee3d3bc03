import type pg from 'pg';
import type { CatalogEntry } from '@shared/model/workbench';

/**
 * The workbench's completion source: one catalog query for the tenant schema's tables (plain and
 * foreign), views (plain and materialised) and partitioned tables, each with its columns in order
 * and their declared types. Partitions are left out: a person queries the parent.
 */
const CATALOG_SQL = `
  select c.relname as name, c.relkind as kind,
         coalesce(json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod)) order by a.attnum)
                  filter (where a.attnum is not null), '[]') as fields
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
   where n.nspname = $1 and c.relkind in ('r', 'p', 'v', 'm', 'f') and not c.relispartition
   group by c.oid, c.relname, c.relkind
   order by c.relname`;

const KINDS: Record<string, CatalogEntry['kind']> = { r: 'table', f: 'table', p: 'partitioned-table', v: 'view', m: 'view' };

export async function readUserCatalog(client: pg.ClientBase, schema: string): Promise<CatalogEntry[]> {
  const result = await client.query<{ name: string; kind: string; fields: { name: string; type: string }[] }>(CATALOG_SQL, [schema]);
  return result.rows.map((row) => ({ name: row.name, kind: KINDS[row.kind] ?? 'table', fields: row.fields }));
}
