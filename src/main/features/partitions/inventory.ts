import { AppError } from '@shared/errors';
import type { DefaultPartition, Partition } from '@shared/model/partitions';
import { validateTenantId } from '@shared/model/tenant-id';
import { tenantIdOfSchema, tenantIdPattern, tenantSchemaName, type PostgresBlueprint, type PostgresLayout, type TenancyPreset } from '@shared/tenancy';
import type { ExecutionOptions } from '../../stores/execution';
import type { PostgresFace } from '../../stores/postgres/face';
import { PARENTS_SQL, partitionsSql, SCHEMA_NAMES_SQL, SERVER_VERSION_SQL } from './catalog';
import { monthOfPartitionName, monthsOfRange, parseRangeBound, type BoundRange } from './months';

export type Reader = Pick<PostgresFace, 'query'>;

/** Tenant schemas per catalog statement. */
export const INVENTORY_CHUNK = 1_000;

const TIME_TYPES = new Set(['date', 'timestamp without time zone', 'timestamp with time zone']);

/** A partition as read, with its bounds in milliseconds for overlap checks. */
export interface ReadPartition extends Partition {
  range: BoundRange | null;
}

/** A partitioned table as the catalog has it, before any window or retention is applied. */
export interface ReadTable {
  table: string;
  strategy: 'range' | 'list' | 'hash';
  keyColumn: string | null;
  keyType: string | null;
  /** Range on one date or timestamp column: the shape monthly partitions can be kept for. */
  monthly: boolean;
  partitions: ReadPartition[];
  defaultPartition: DefaultPartition | null;
}

export interface TenantInventory {
  tenantId: string;
  schema: string;
  tables: ReadTable[];
}

/** The PostgreSQL half of a preset, or a clear refusal. */
export function postgresOf(preset: TenancyPreset): { layout: PostgresLayout; blueprint: PostgresBlueprint } {
  const layout = preset.layout.postgres;
  const blueprint = preset.blueprint.postgres;
  if (!layout || !blueprint) throw new AppError('invalid_argument', `The ${preset.title} preset keeps no tenant schemas in PostgreSQL.`);
  return { layout, blueprint };
}

/** The tenants a call covers: some (schema → tenant id, ids checked against the preset), or every tenant schema. */
export type TenantTarget = { tenantIds: string[] } | { all: true };

export function targetOf(args: { tenantId?: string | undefined; tenantIds?: string[] | undefined; allTenants?: true | boolean | undefined }): TenantTarget {
  if (args.allTenants) return { all: true };
  return { tenantIds: args.tenantIds ?? (args.tenantId ? [args.tenantId] : []) };
}

export function schemasOf(preset: TenancyPreset, target: TenantTarget): Map<string, string> | null {
  if ('all' in target) return null;
  const { layout } = postgresOf(preset);
  return new Map(target.tenantIds.map((id) => [tenantSchemaName(layout, validateTenantId(id, preset.tenantId.pattern)), id]));
}

export async function schemaNames(pg: Reader, layout: PostgresLayout, schemas: Map<string, string> | null, options: ExecutionOptions): Promise<string[]> {
  const { rows } = await pg.query(SCHEMA_NAMES_SQL, [layout.schemaPrefix, schemas ? [...schemas.keys()] : null], undefined, options);
  return rows.map((row) => String(row[0]));
}

export async function serverVersion(pg: Reader, options: ExecutionOptions): Promise<number> {
  const { rows } = await pg.query(SERVER_VERSION_SQL, [], undefined, options);
  return Number(rows[0]?.[0] ?? 0);
}

const STRATEGIES = { r: 'range', l: 'list', h: 'hash' } as const;

/**
 * Bounds read once per distinct text: every tenant's partitions share a handful of month bounds, so
 * a pass over 80,000 partitions parses a few dozen. Bounded, so odd bounds cannot grow it for ever.
 */
const BOUNDS = new Map<string, { range: BoundRange | null; months: ReturnType<typeof monthsOfRange> }>();
const NO_BOUND = { range: null, months: monthsOfRange(null) };

function boundOf(text: string | null): { range: BoundRange | null; months: ReturnType<typeof monthsOfRange> } {
  if (text === null) return NO_BOUND;
  let known = BOUNDS.get(text);
  if (!known) {
    if (BOUNDS.size >= 10_000) BOUNDS.clear();
    const range = parseRangeBound(text);
    known = { range, months: monthsOfRange(range) };
    BOUNDS.set(text, known);
  }
  return known;
}

/**
 * Groups the rows of one inventory statement by schema and table. Columns, in order: schema, tbl,
 * strategy, key_column, key_type, name, bound, rows, bytes, state, is_default.
 */
export function groupInventory(rows: unknown[][], tenantOf: (schema: string) => string): TenantInventory[] {
  const tenants = new Map<string, TenantInventory>();
  const tables = new Map<string, ReadTable>();
  for (const [schema, tbl, strategy, keyColumn, keyType, name, bound, rowCount, bytes, state, isDefault] of rows) {
    const schemaName = String(schema);
    let tenant = tenants.get(schemaName);
    if (!tenant) tenants.set(schemaName, (tenant = { tenantId: tenantOf(schemaName), schema: schemaName, tables: [] }));
    const key = `${schemaName}\u0000${String(tbl)}`;
    let table = tables.get(key);
    if (!table) {
      const kind = STRATEGIES[String(strategy) as keyof typeof STRATEGIES] ?? 'range';
      const type = keyType === null ? null : String(keyType);
      table = {
        table: String(tbl),
        strategy: kind,
        keyColumn: keyColumn === null ? null : String(keyColumn),
        keyType: type,
        monthly: kind === 'range' && keyColumn !== null && type !== null && TIME_TYPES.has(type),
        partitions: [],
        defaultPartition: null,
      };
      tables.set(key, table);
      tenant.tables.push(table);
    }
    if (name === null) continue;
    const partitionState = String(state) as Partition['state'];
    const figures = { rows: Number(rowCount ?? 0), bytes: Number(bytes ?? 0) };
    if (isDefault === true) {
      // An attached default wins over a detached table that merely carries the default's name.
      if (!table.defaultPartition || table.defaultPartition.state === 'detached') table.defaultPartition = { name: String(name), ...figures, state: partitionState };
      continue;
    }
    const { range, months } = boundOf(bound === null ? null : String(bound));
    const detachedMonth = partitionState === 'detached' ? monthOfPartitionName(table.table, String(name)) : null;
    table.partitions.push({
      name: String(name),
      month: months.month ?? detachedMonth,
      bound: bound === null ? null : String(bound),
      firstMonth: months.firstMonth ?? detachedMonth,
      lastMonth: months.lastMonth ?? detachedMonth,
      ...figures,
      state: partitionState,
      range,
    });
  }
  for (const table of tables.values()) table.partitions.sort((a, b) => (a.range?.fromMs ?? 0) - (b.range?.fromMs ?? 0) || a.name.localeCompare(b.name));
  return [...tenants.values()];
}

/**
 * The inventory of the target's tenant schemas: one catalog statement per chunk of schema names
 * (a range, so no schema is read twice); `onChunk` gets each chunk's tenants as they come.
 */
export async function readInventory(
  pg: Reader,
  preset: TenancyPreset,
  target: TenantTarget,
  options: ExecutionOptions & { chunkSize?: number; onChunk?: (tenants: TenantInventory[], done: number, total: number) => Promise<void> | void },
): Promise<{ tenants: TenantInventory[]; schemasTotal: number; missingTenants: string[]; version: number }> {
  const { layout } = postgresOf(preset);
  const wanted = schemasOf(preset, target);
  const names = await schemaNames(pg, layout, wanted, options);
  const found = new Set(names);
  const missingTenants = wanted ? [...wanted].filter(([schema]) => !found.has(schema)).map(([, id]) => id) : [];
  const version = await serverVersion(pg, options);
  const sql = partitionsSql(version >= 140_000);
  const pattern = tenantIdPattern(preset);
  const tenantOf = (schema: string): string => wanted?.get(schema) ?? tenantIdOfSchema(layout, schema, pattern);
  const chunk = options.chunkSize ?? INVENTORY_CHUNK;
  const parentsBySchema = new Map<string, unknown[][]>();
  const { rows: parentRows } = await pg.query(PARENTS_SQL, [layout.schemaPrefix, wanted ? names : null], undefined, options);
  for (const row of parentRows) {
    const schema = String(row[0]);
    parentsBySchema.set(schema, [...(parentsBySchema.get(schema) ?? []), row]);
  }
  const tenants: TenantInventory[] = [];
  for (let start = 0; start < names.length; start += chunk) {
    const schemas = names.slice(start, start + chunk);
    const parents = schemas.flatMap((schema) => parentsBySchema.get(schema) ?? []);
    const byOid = new Map(parents.map((p) => [String(p[2]), p]));
    const rows: unknown[][] = [];
    // A parent with no partition still shows, as a table with none.
    for (const [schema, , , tbl, strategy, , keyColumn, keyType] of parents) rows.push([schema, tbl, strategy, keyColumn, keyType, null, null, 0, 0, null, false]);
    if (parents.length > 0) {
      const result = await pg.query(sql, [parents.map((p) => p[2]), parents.map((p) => p[3]), parents.map((p) => p[1])], undefined, options);
      for (const [parent, oid, name, bound, rowCount, bytes, state] of result.rows) {
        const p = byOid.get(String(parent));
        if (!p) continue;
        const [schema, , , tbl, strategy, partdefid, keyColumn, keyType] = p;
        const isDefault = state === 'detached' ? String(name) === `${String(tbl)}_default` : String(oid) === String(partdefid);
        rows.push([schema, tbl, strategy, keyColumn, keyType, name, bound, rowCount, bytes, state, isDefault]);
      }
    }
    const read = groupInventory(rows, tenantOf);
    // Schemas without any partitioned table still count as tenants of the pass.
    const seen = new Set(read.map((t) => t.schema));
    for (const schema of schemas) if (!seen.has(schema)) read.push({ tenantId: tenantOf(schema), schema, tables: [] });
    read.sort((a, b) => (a.schema < b.schema ? -1 : a.schema > b.schema ? 1 : 0));
    if (options.onChunk) await options.onChunk(read, Math.min(start + chunk, names.length), names.length);
    else tenants.push(...read);
  }
  return { tenants, schemasTotal: names.length, missingTenants, version };
}

/**
 * The attached partition that covers a month entirely, or else the partition whose bounds cut into
 * it (an attached one of another shape, or one whose detach is pending: both stop a new partition).
 */
export function coverOf(table: ReadTable, monthStart: number, monthEnd: number): { covered: ReadPartition | null; overlapping: ReadPartition | null } {
  let overlapping: ReadPartition | null = null;
  for (const p of table.partitions) {
    if (p.state === 'detached' || !p.range) continue;
    if (p.state === 'attached' && p.range.fromMs <= monthStart && p.range.toMs >= monthEnd) return { covered: p, overlapping: null };
    if (p.range.fromMs < monthEnd && p.range.toMs > monthStart) overlapping ??= p;
  }
  return { covered: null, overlapping };
}
