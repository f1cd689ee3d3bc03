import type { DriftItem } from '@shared/model/tenant';
import type { PostgresBlueprint } from '@shared/tenancy';
import type { ExecutionOptions } from '../../stores/execution';
import { recordsOf } from '../../reading/stores';
import type { PostgresFace } from '../../stores/postgres/face';

/**
 * What one tenant schema actually holds, from the catalogs in one query. The schema name is a
 * parameter. Indexes that back a primary key, unique or exclusion constraint are left out (the
 * blueprint lists those as constraints), and so are the per-partition copies of an index.
 */
const LIVE_SCHEMA_SQL = `
SELECT
  (SELECT coalesce(jsonb_agg(jsonb_build_object('name', c.relname, 'rls', c.relrowsecurity,
            'partitioned', c.relkind = 'p', 'parent', p.relname)), '[]'::jsonb)
     FROM pg_catalog.pg_class c
     LEFT JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid
     LEFT JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
    WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p')) AS tables,
  (SELECT coalesce(jsonb_agg(jsonb_build_object('name', ci.relname, 'table', ct.relname)), '[]'::jsonb)
     FROM pg_catalog.pg_index x
     JOIN pg_catalog.pg_class ci ON ci.oid = x.indexrelid
     JOIN pg_catalog.pg_class ct ON ct.oid = x.indrelid
    WHERE ci.relnamespace = n.oid AND NOT ci.relispartition
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k
                       WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x'))) AS indexes,
  (SELECT coalesce(jsonb_agg(jsonb_build_object('name', pol.polname, 'table', pc.relname)), '[]'::jsonb)
     FROM pg_catalog.pg_policy pol JOIN pg_catalog.pg_class pc ON pc.oid = pol.polrelid
    WHERE pc.relnamespace = n.oid) AS policies
FROM pg_catalog.pg_namespace n
WHERE n.nspname = $1`;

interface LiveTable {
  name: string;
  rls: boolean;
  partitioned: boolean;
  parent: string | null;
}
interface LiveNamed {
  name: string;
  table: string;
}
export interface LiveSchema {
  tables: LiveTable[];
  indexes: LiveNamed[];
  policies: LiveNamed[];
}

export async function readLiveSchema(pg: Pick<PostgresFace, 'query'>, schema: string, options: ExecutionOptions): Promise<LiveSchema | undefined> {
  const rows = recordsOf(await pg.query(LIVE_SCHEMA_SQL, [schema], undefined, options));
  const row = rows[0];
  if (!row) return undefined;
  return { tables: row.tables as LiveTable[], indexes: row.indexes as LiveNamed[], policies: row.policies as LiveNamed[] };
}

/** `interactions_y2026m11` for a table and a month (UTC), as the blueprint's nameFormat says. */
export function monthlyPartitionName(table: string, month: Date): string {
  return `${table}_y${month.getUTCFullYear()}m${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * Compares a live tenant schema with the preset's blueprint: missing or extra tables, indexes,
 * policies and RLS switches; for monthly-partitioned tables, the default partition and the
 * partition of the current month (rows of this month land in the default one without it), and
 * partitions whose names the blueprint's format does not produce.
 */
export function compareWithBlueprint(live: LiveSchema, blueprint: PostgresBlueprint, now: Date): DriftItem[] {
  const drift: DriftItem[] = [];
  const partitions = live.tables.filter((t) => t.parent !== null);
  const tables = new Map(live.tables.filter((t) => t.parent === null).map((t) => [t.name, t]));
  const prescribed = new Set(blueprint.tables.map((t) => t.name));

  for (const table of blueprint.tables) {
    const found = tables.get(table.name);
    if (!found) {
      drift.push({ kind: 'table', change: 'missing', name: table.name, source: table.source });
      continue;
    }
    if (table.rowLevelSecurity !== found.rls) {
      drift.push({ kind: 'row_level_security', change: table.rowLevelSecurity ? 'missing' : 'extra', name: table.name, table: table.name, source: table.source });
    }
    if (table.partitioning) {
      const own = partitions.filter((p) => p.parent === table.name).map((p) => p.name);
      const expected = [monthlyPartitionName(table.name, now)];
      if (table.partitioning.withDefault) expected.push(`${table.name}_default`);
      for (const name of expected) {
        if (!own.includes(name)) drift.push({ kind: 'partition', change: 'missing', name, table: table.name, source: table.source });
      }
      const format = new RegExp(`^${table.name}_(y\\d{4}m\\d{2}|default)$`);
      for (const name of own) if (!format.test(name)) drift.push({ kind: 'partition', change: 'extra', name, table: table.name });
    }
  }
  for (const name of tables.keys()) if (!prescribed.has(name)) drift.push({ kind: 'table', change: 'extra', name });

  const liveIndexes = new Set(live.indexes.map((i) => i.name));
  const prescribedIndexes = new Set(blueprint.indexes.map((i) => i.name));
  for (const index of blueprint.indexes) {
    if (!liveIndexes.has(index.name)) drift.push({ kind: 'index', change: 'missing', name: index.name, table: index.table, source: index.source });
  }
  for (const index of live.indexes) if (!prescribedIndexes.has(index.name)) drift.push({ kind: 'index', change: 'extra', name: index.name, table: index.table });

  const policyKey = (p: { name: string; table: string }): string => `${p.table}\u0000${p.name}`;
  const livePolicies = new Set(live.policies.map(policyKey));
  const prescribedPolicies = new Set(blueprint.policies.map(policyKey));
  for (const policy of blueprint.policies) {
    if (!livePolicies.has(policyKey(policy))) drift.push({ kind: 'policy', change: 'missing', name: policy.name, table: policy.table, source: policy.source });
  }
  for (const policy of live.policies) {
    if (!prescribedPolicies.has(policyKey(policy))) drift.push({ kind: 'policy', change: 'extra', name: policy.name, table: policy.table });
  }
  return drift;
}
