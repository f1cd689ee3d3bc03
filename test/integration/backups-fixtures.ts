import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { murima2025, type PostgresBlueprint } from '../../src/shared/tenancy';
import { renderTenantSchema } from '../../src/shared/tenancy/postgres-sql';

/**
 * The blueprint cut to `cases` and the tenant tables it references, without partitioned tables:
 * a tenant schema with its indexes, constraints, RLS policies and triggers that loads in a tenth
 * of the time (and drops as fast), for a test that needs many schemas rather than full ones.
 */
function casesBlueprint(full: PostgresBlueprint): PostgresBlueprint {
  const keep = new Set<string>(['cases']);
  for (let grew = true; grew; ) {
    grew = false;
    for (const table of full.tables.filter((t) => keep.has(t.name))) {
      for (const c of table.constraints) {
        if (c.kind === 'foreign_key' && c.references.schema === 'tenant' && !keep.has(c.references.table)) {
          keep.add(c.references.table);
          grew = true;
        }
      }
    }
  }
  const triggers = full.triggers.filter((t) => keep.has(t.table));
  return {
    shared: full.shared,
    tables: full.tables.filter((t) => keep.has(t.name) && !t.partitioning),
    indexes: full.indexes.filter((i) => keep.has(i.table)),
    policies: full.policies.filter((p) => keep.has(p.table)),
    functions: full.functions.filter((f) => triggers.some((t) => t.function === f.name)),
    triggers,
  };
}

/**
 * Adds `count` empty Murima2025 tenant schemas to a database the demo seeder already set up, so
 * pg_dump has the catalogs of a large platform to read: the whole blueprint (tables, one month of
 * partitions, indexes, RLS, triggers, guards), or with `cut` the `cases` part of it. Returns their ids.
 */
export async function addTenantSchemas(pool: pg.Pool, count: number, options: { cut?: boolean; log?: (line: string) => void } = {}): Promise<string[]> {
  const full = murima2025.blueprint.postgres;
  const layout = murima2025.layout.postgres;
  if (!full || !layout) throw new Error('The Murima2025 preset has no PostgreSQL blueprint.');
  const blueprint = options.cut ? casesBlueprint(full) : full;
  const log = options.log ?? (() => undefined);
  const ids = Array.from({ length: count }, () => randomUUID());
  const month = new Date().toISOString().slice(0, 7);
  const BATCH = 50;
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      for (const id of batch) {
        const sql = renderTenantSchema(blueprint, layout, id, { firstMonth: month, lastMonth: month });
        await client.query([...sql.skeleton, ...sql.ddl].join(';\n'));
        for (const guard of sql.guards) await client.query(guard.text, guard.values);
      }
      await client.query(
        `INSERT INTO public.tenants (id, slug, name, schema_name)
         SELECT id, 'bulk-' || left(id::text, 8) || '-' || ord, 'Bulk tenant ' || ord, 'tenant_' || replace(id::text, '-', '_')
           FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, ord)`,
        [batch],
      );
      await client.query('COMMIT');
    } finally {
      // A session that created thousands of relations keeps their catalog caches: retire it.
      client.release(true);
    }
    if ((i / BATCH) % 5 === 0) log(`  ${i + batch.length} of ${count} tenant schemas`);
  }
  return ids;
}
