import { AppError } from '@shared/errors';
import type { StatsReset } from '@shared/model/indexes';
import { validateTenantId } from '@shared/model/tenant-id';
import { tenantSchemaName, type PostgresBlueprint, type PostgresLayout, type TenancyPreset } from '@shared/tenancy';
import { recordsOf } from '../../reading/stores';
import type { ExecutionOptions } from '../../stores/execution';
import type { PostgresFace } from '../../stores/postgres/face';
import { BUSY_SCHEMAS_SQL, REGISTRY_PRESENT_SQL, SCHEMA_NAMES_SQL, STATS_RESET_SQL } from './catalog';
import type { DriftRow } from './drift';
import { driftSql } from './drift-sql';
import type { ReferenceObject } from './reference';

export type Reader = Pick<PostgresFace, 'query'>;

/** Tenant schemas per drift statement. */
const DRIFT_CHUNK = 1_000;

/** The tenants a call covers: some, or every tenant schema of the database. */
export type TenantTarget = { tenantIds: string[] } | { all: true };

export function targetOf(args: { tenantId?: string | undefined; tenantIds?: string[] | undefined; allTenants?: true | undefined }): TenantTarget {
  if (args.allTenants) return { all: true };
  return { tenantIds: args.tenantIds ?? (args.tenantId ? [args.tenantId] : []) };
}

/** The PostgreSQL half of a preset, or a clear refusal. */
export function postgresOf(preset: TenancyPreset): { layout: PostgresLayout; blueprint: PostgresBlueprint } {
  const layout = preset.layout.postgres;
  const blueprint = preset.blueprint.postgres;
  if (!layout || !blueprint) throw new AppError('invalid_argument', `The ${preset.title} preset keeps no tenant schemas in PostgreSQL.`);
  return { layout, blueprint };
}

export async function registryPresent(pg: Reader, layout: PostgresLayout, options: ExecutionOptions): Promise<boolean> {
  const { rows } = await pg.query(REGISTRY_PRESENT_SQL, [`${layout.registry.schema}.${layout.registry.table}`], undefined, options);
  return rows[0]?.[0] === true;
}

/** The schema names a target names (tenant ids checked against the preset's pattern), or null for all. */
export function schemasOf(preset: TenancyPreset, layout: PostgresLayout, target: TenantTarget): Map<string, string> | null {
  if ('all' in target) return null;
  return new Map(target.tenantIds.map((id) => [tenantSchemaName(layout, validateTenantId(id, preset.tenantId.pattern)), id]));
}

/** The tenant schemas present, in order: all of them, or those of the target that exist. */
export async function schemaNames(pg: Reader, layout: PostgresLayout, schemas: Map<string, string> | null, options: ExecutionOptions): Promise<string[]> {
  const { rows } = await pg.query(SCHEMA_NAMES_SQL, [layout.schemaPrefix, schemas ? [...schemas.keys()] : null], undefined, options);
  return rows.map((row) => String(row[0]));
}

export async function statsReset(pg: Reader, options: ExecutionOptions): Promise<StatsReset> {
  const row = recordsOf(await pg.query(STATS_RESET_SQL, [], undefined, options))[0];
  const at = row?.reset_at;
  return {
    at: at instanceof Date ? at.toISOString() : typeof at === 'string' ? new Date(at).toISOString() : null,
    ageDays: Math.max(0, Number(row?.age_days ?? 0)),
  };
}

export interface DriftRead {
  rows: DriftRow[];
  /** Schemas compared: present, and not busy. */
  compared: string[];
  missingTenants: string[];
  /** Tenants left out because another session holds or waits for an ACCESS EXCLUSIVE lock there. */
  busyTenants: string[];
}

const tenantOfSchema = (layout: PostgresLayout, schemas: Map<string, string> | null, schema: string): string =>
  schemas?.get(schema) ?? schema.slice(layout.schemaPrefix.length).replaceAll('_', '-');

/** Drift of the target against the reference: one statement over every covered schema. */
export async function readDrift(
  pg: Reader,
  preset: TenancyPreset,
  target: TenantTarget,
  reference: readonly ReferenceObject[],
  options: ExecutionOptions,
  chunkSize = DRIFT_CHUNK,
): Promise<DriftRead> {
  const { layout } = postgresOf(preset);
  const schemas = schemasOf(preset, layout, target);
  const present = await schemaNames(pg, layout, schemas, options);
  const found = new Set(present);
  const missingTenants = schemas ? [...schemas.entries()].filter(([schema]) => !found.has(schema)).map(([, id]) => id) : [];
  const busy = new Set((await pg.query(BUSY_SCHEMAS_SQL, [layout.schemaPrefix, schemas ? present : null], undefined, options)).rows.map((r) => String(r[0])));
  const busyTenants = [...busy].sort().map((schema) => tenantOfSchema(layout, schemas, schema));
  const compared = present.filter((schema) => !busy.has(schema));
  if (compared.length === 0) return { rows: [], compared, missingTenants, busyTenants };
  const registry = await registryPresent(pg, layout, options);
  const sql = driftSql(layout, registry);
  const referenceJson = JSON.stringify(reference);
  const rows: DriftRow[] = [];
  // Ranges of schema names: each statement reads its own slice of the catalogs once, so memory and
  // the time one statement holds its snapshot stay bounded however many tenants there are.
  for (let start = 0; start < present.length; start += chunkSize) {
    const after = start === 0 ? null : (present[start - 1] ?? null);
    const last = present[Math.min(start + chunkSize, present.length) - 1] ?? null;
    const result = await pg.query(sql, [layout.schemaPrefix, schemas ? compared : null, after, last, referenceJson], undefined, options);
    for (const [tenantId, schema, object, tbl, name, change, def] of result.rows) {
      rows.push({
        tenantId: String(tenantId),
        schema: String(schema),
        object: object as DriftRow['object'],
        tbl: String(tbl),
        name: String(name),
        change: change as DriftRow['change'],
        def: def === null ? null : String(def),
      });
    }
  }
  return { rows, compared, missingTenants, busyTenants };
}
