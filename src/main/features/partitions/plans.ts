import type { Month } from '@shared/model/lifecycle';
import type { PartitionConflict, PartitionedTable, PlannedPartition, RetiredPartition } from '@shared/model/partitions';
import { qualified } from '@shared/sql/identifiers';
import type { PostgresBlueprint } from '@shared/tenancy';
import { monthlyPartitionName } from '@shared/tenancy/postgres-sql';
import { coverOf, type ReadTable, type TenantInventory } from './inventory';
import { addMonths, boundLiteral, monthRange, monthStartMs } from './months';

/**
 * What a table's partitions are against the keep-ahead window and the retention, and the
 * statements premake and retention run. Pure: the inventory in, plans out.
 */

export interface Horizon {
  now: Month;
  keepAhead: number;
}

/** Monthly tables the blueprint prescribes, by name, with their retention (null: kept for ever). */
export function prescribedTables(blueprint: PostgresBlueprint): Map<string, number | null> {
  return new Map(blueprint.tables.filter((t) => t.partitioning).map((t) => [t.name, t.partitioning?.retentionMonths ?? null]));
}

const covers = (table: ReadTable, month: Month) => coverOf(table, monthStartMs(month), monthStartMs(addMonths(month, 1)));

function attachedSpan(table: ReadTable): { first: Month; last: Month } | null {
  let first: Month | null = null;
  let last: Month | null = null;
  for (const p of table.partitions) {
    if (p.state !== 'attached' || !p.firstMonth || !p.lastMonth) continue;
    if (first === null || p.firstMonth < first) first = p.firstMonth;
    if (last === null || p.lastMonth > last) last = p.lastMonth;
  }
  return first && last ? { first, last } : null;
}

/** The oldest month a retention keeps (the current month is the retention's last). */
export const keepFromOf = (now: Month, retentionMonths: number | null): Month | null => (retentionMonths === null ? null : addMonths(now, -(retentionMonths - 1)));

function ruleOf(table: ReadTable, prescribed: boolean, keepAhead: number, retentionMonths: number | null): string {
  if (!table.monthly) return `${table.strategy} partitions on ${table.keyColumn ?? 'several columns'}: not kept by month`;
  const kept = retentionMonths === null ? 'kept for ever' : `kept ${retentionMonths} months`;
  return `monthly on ${table.keyColumn ?? '?'}, ${keepAhead} months ahead, ${kept}${prescribed ? '' : ' (not in the blueprint)'}`;
}

export function analyseTable(table: ReadTable, horizon: Horizon, prescribed: boolean, retentionMonths: number | null): PartitionedTable {
  const span = attachedSpan(table);
  const monthly = table.monthly;
  const ahead = monthly ? monthRange(horizon.now, addMonths(horizon.now, horizon.keepAhead)) : [];
  const keepFrom = monthly ? keepFromOf(horizon.now, retentionMonths) : null;
  return {
    table: table.table,
    key: table.keyColumn ?? '',
    strategy: table.strategy,
    prescribed,
    partitions: table.partitions.map(({ range: _range, ...p }) => p),
    defaultPartition: table.defaultPartition,
    horizon: monthly ? (span?.last ?? null) : null,
    missingAhead: ahead.filter((m) => !covers(table, m).covered),
    holes: monthly && span ? monthRange(span.first, span.last).filter((m) => !covers(table, m).covered) : [],
    expired: keepFrom ? expiredOf(table, keepFrom).filter((p) => p.state === 'attached').map((p) => p.month ?? p.lastMonth ?? '') : [],
    rule: ruleOf(table, prescribed, horizon.keepAhead, retentionMonths),
  };
}

/** Partitions whose last month is before `keepFrom`: attached, pending detach, or detached by name. */
function expiredOf(table: ReadTable, keepFrom: Month) {
  return table.partitions.filter((p) => p.lastMonth !== null && p.lastMonth < keepFrom);
}

export function createPartitionSql(schema: string, table: string, month: Month): { partition: string; sql: string } {
  const partition = monthlyPartitionName(table, month);
  const sql =
    `CREATE TABLE ${qualified(schema, partition)} PARTITION OF ${qualified(schema, table)} ` +
    `FOR VALUES FROM ('${boundLiteral(month)}') TO ('${boundLiteral(addMonths(month, 1))}')`;
  return { partition, sql };
}

export interface TablePremake {
  create: PlannedPartition[];
  conflicts: PartitionConflict[];
}

/**
 * The months of the window a table lacks, each with its statement; a month that is present, cut
 * into by another partition, or whose scheme name a detached table holds is a conflict (done).
 */
export function premakeTable(schema: string, table: ReadTable, months: readonly Month[]): TablePremake {
  const create: PlannedPartition[] = [];
  const conflicts: PartitionConflict[] = [];
  const detachedNames = new Set(table.partitions.filter((p) => p.state === 'detached').map((p) => p.name));
  for (const month of months) {
    const { covered, overlapping } = covers(table, month);
    const { partition, sql } = createPartitionSql(schema, table.table, month);
    if (covered) conflicts.push({ table: table.table, month, kind: 'present', partition: covered.name });
    else if (overlapping) conflicts.push({ table: table.table, month, kind: 'overlap', partition: overlapping.name });
    else if (detachedNames.has(partition)) conflicts.push({ table: table.table, month, kind: 'name_taken', partition });
    else create.push({ table: table.table, month, partition, sql });
  }
  return { create, conflicts };
}

/** The monthly tables premake keeps for a tenant: the one named, else those the blueprint prescribes. */
export function premakeTables(tenant: TenantInventory, prescribed: ReadonlyMap<string, number | null>, only?: string): ReadTable[] {
  return tenant.tables.filter((t) => t.monthly && (only !== undefined ? t.table === only : prescribed.has(t.table)));
}

export function premakeTenant(tenant: TenantInventory, prescribed: ReadonlyMap<string, number | null>, months: readonly Month[], only?: string): TablePremake {
  const out: TablePremake = { create: [], conflicts: [] };
  for (const table of premakeTables(tenant, prescribed, only)) {
    const plan = premakeTable(tenant.schema, table, months);
    out.create.push(...plan.create);
    out.conflicts.push(...plan.conflicts);
  }
  return out;
}

export interface RetireOptions {
  keepFrom: Month;
  drop: boolean;
  /** PostgreSQL 14 and later detach CONCURRENTLY (never while the table has a default partition). */
  concurrentDetach: boolean;
}

/**
 * The partitions a table retires: attached ones older than `keepFrom` are detached (a pending
 * detach is finished), and with `drop` they — and tables detached earlier — are dropped.
 */
export function retireTable(schema: string, table: ReadTable, options: RetireOptions): RetiredPartition[] {
  if (!table.monthly) return [];
  const parent = qualified(schema, table.table);
  // PostgreSQL refuses DETACH … CONCURRENTLY while the table has a default partition.
  const concurrently = options.concurrentDetach && !(table.defaultPartition && table.defaultPartition.state !== 'detached');
  const out: RetiredPartition[] = [];
  for (const p of expiredOf(table, options.keepFrom)) {
    const target = qualified(schema, p.name);
    const statements: string[] = [];
    if (p.state === 'attached') statements.push(`ALTER TABLE ${parent} DETACH PARTITION ${target}${concurrently ? ' CONCURRENTLY' : ''}`);
    else if (p.state === 'detach_pending') statements.push(`ALTER TABLE ${parent} DETACH PARTITION ${target} FINALIZE`);
    else if (!options.drop) continue;
    if (options.drop) statements.push(`DROP TABLE ${target}`);
    out.push({ table: table.table, month: p.month ?? p.lastMonth ?? options.keepFrom, partition: p.name, rows: p.rows, bytes: p.bytes, statements });
  }
  return out;
}
