import type { Lane, LaneCell, Month } from '@shared/model/lifecycle';
import type { FleetHorizonSource, LifecycleLaneSource, PartitionHorizon } from '../../services/lifecycle-lanes';
import { coverOf, postgresOf, readInventory, type ReadTable } from './inventory';
import { readDefaultRows } from './move';
import { addMonths, monthStartMs } from './months';
import { analyseTable, keepFromOf, prescribedTables } from './plans';
import type { PartitionsStores } from './service';
import { coverage, retentionOf } from './views';
import { AppError } from '@shared/errors';

/**
 * PostgreSQL's part of the lifecycle time view: one lane per partitioned table of a tenant, and
 * the fleet heatmap's partition coverage per tenant and month, both from the catalog pass.
 */

export type OpenPartitionStores = (workspaceId: string, signal: AbortSignal) => Promise<PartitionsStores>;

/** The keep-ahead window the lanes mark missing months in (pg_partman's premake). */
export const LANE_KEEP_AHEAD = 4;

function needPostgres(stores: PartitionsStores) {
  if (!stores.postgres) throw new AppError('unreachable', 'This workspace has no PostgreSQL endpoint; add one in the workspace editor.');
  return stores.postgres;
}

function cellOf(table: ReadTable, month: Month, now: Month, keepFrom: Month | null, span: { first: Month; last: Month } | null, defaults: Map<Month, number>): LaneCell {
  const { covered, overlapping } = coverOf(table, monthStartMs(month), monthStartMs(addMonths(month, 1)));
  const inDefault = defaults.get(month);
  if (covered) {
    const figures = { object: covered.name, count: covered.rows, bytes: covered.bytes };
    if (keepFrom !== null && covered.lastMonth !== null && covered.lastMonth < keepFrom) return { month, state: 'expired', ...figures, detail: `older than the retention (kept from ${keepFrom})` };
    return { month, state: 'present', ...figures, detail: 'rows are the planner’s estimate' };
  }
  if (inDefault) return { month, state: 'default_rows', object: table.defaultPartition?.name ?? `${table.table}_default`, count: inDefault, detail: `${inDefault} row(s) of ${month} in the default partition` };
  if (overlapping) return { month, state: 'error', object: overlapping.name, detail: `${overlapping.name} covers part of ${month} only` };
  const ahead = month >= now && month <= addMonths(now, LANE_KEEP_AHEAD);
  const hole = span !== null && month > span.first && month < span.last;
  if (ahead || hole) return { month, state: 'missing', detail: ahead ? 'inside the keep-ahead window: writes would go to the default partition' : 'a hole between partitions' };
  return { month, state: 'none' };
}

export function partitionLanes(openStores: OpenPartitionStores): LifecycleLaneSource {
  return {
    store: 'postgres',
    async tenantLanes({ workspaceId, tenantId, months, now }, signal) {
      const stores = await openStores(workspaceId, signal);
      const pg = needPostgres(stores);
      const prescribed = prescribedTables(postgresOf(stores.preset).blueprint);
      const { tenants } = await readInventory(pg, stores.preset, { tenantIds: [tenantId] }, { signal });
      const tenant = tenants[0];
      if (!tenant) return [];
      const lanes: Lane[] = [];
      for (const table of tenant.tables.filter((t) => t.monthly)) {
        const retention = retentionOf(table.table, prescribed);
        const analysed = analyseTable(table, { now, keepAhead: LANE_KEEP_AHEAD }, prescribed.has(table.table), retention);
        const defaults = new Map<Month, number>();
        if (table.defaultPartition && table.defaultPartition.state !== 'detached') {
          const counted = await readDefaultRows(pg, stores.preset, tenantId, table.table, { signal });
          for (const m of counted.months) defaults.set(m.month, m.rows);
        }
        const attached = table.partitions.filter((p) => p.state === 'attached' && p.firstMonth && p.lastMonth);
        const span = attached.length > 0 ? { first: attached.map((p) => p.firstMonth as Month).sort()[0]!, last: attached.map((p) => p.lastMonth as Month).sort().at(-1)! } : null;
        const keepFrom = keepFromOf(now, retention);
        lanes.push({
          store: 'postgres',
          kind: 'partition',
          name: table.table,
          cells: months.map((m) => cellOf(table, m, now, keepFrom, span, defaults)),
          horizon: analysed.horizon,
          rule: analysed.rule,
          ...(analysed.missingAhead.length > 0 ? { note: `${analysed.missingAhead.length} month(s) of the next ${LANE_KEEP_AHEAD + 1} have no partition` } : {}),
        });
      }
      return lanes;
    },
  };
}

export function fleetHorizons(openStores: OpenPartitionStores): FleetHorizonSource {
  return {
    async partitionHorizons({ workspaceId, months }, signal) {
      const stores = await openStores(workspaceId, signal);
      const pg = needPostgres(stores);
      const out = new Map<string, PartitionHorizon>();
      await readInventory(pg, stores.preset, { all: true }, {
        signal,
        onChunk: (tenants) => {
          for (const tenant of tenants) out.set(tenant.tenantId, coverage(tenant, months));
        },
      });
      return out;
    },
  };
}
