import type { Month } from '@shared/model/lifecycle';
import type { FleetPartitionRow, PartitionedTable, PremakePlan, PremakeTenantPlan, RetentionPlan } from '@shared/model/partitions';
import type { TenantInventory } from './inventory';
import { addMonths, monthRange, monthStartMs } from './months';
import { coverOf } from './inventory';
import { analyseTable, keepFromOf, premakeTenant, retireTable, type Horizon } from './plans';

/** The shapes the section answers with, made from the inventory. Pure. */

/** The retention a table follows: the override, else the blueprint's for a table it prescribes, else none. */
export function retentionOf(table: string, prescribed: ReadonlyMap<string, number | null>, override?: number): number | null {
  return override ?? prescribed.get(table) ?? null;
}

export function tenantTables(tenant: TenantInventory, horizon: Horizon, prescribed: ReadonlyMap<string, number | null>): PartitionedTable[] {
  return tenant.tables.map((t) => analyseTable(t, horizon, prescribed.has(t.table), retentionOf(t.table, prescribed)));
}

export function fleetRow(tenant: TenantInventory, horizon: Horizon, prescribed: ReadonlyMap<string, number | null>): FleetPartitionRow {
  const tables = tenantTables(tenant, horizon, prescribed);
  const monthly = tables.filter((t, i) => tenant.tables[i]?.monthly);
  const horizons = monthly.map((t) => t.horizon);
  const earliest = horizons.includes(null) ? null : (horizons as Month[]).reduce<Month | null>((a, b) => (a === null || b < a ? b : a), null);
  return {
    tenantId: tenant.tenantId,
    tables: tables.length,
    partitions: tables.reduce((s, t) => s + t.partitions.filter((p) => p.state !== 'detached').length, 0),
    detached: tables.reduce((s, t) => s + t.partitions.filter((p) => p.state !== 'attached').length, 0),
    horizon: monthly.length === 0 ? null : earliest,
    monthsShort: Math.max(0, ...monthly.map((t) => t.missingAhead.length)),
    defaultRows: tables.reduce((s, t) => s + (t.defaultPartition && t.defaultPartition.state !== 'detached' ? t.defaultPartition.rows : 0), 0),
    expired: tables.reduce((s, t) => s + t.expired.length, 0),
    bytes: tables.reduce((s, t) => s + t.partitions.reduce((b, p) => b + p.bytes, 0) + (t.defaultPartition?.bytes ?? 0), 0),
  };
}

/** Share of a tenant's monthly tables with an attached partition for each month, and the earliest horizon. */
export function coverage(tenant: TenantInventory, months: readonly Month[]): { coverage: number[]; horizon: Month | null; defaultRows: number } {
  const monthly = tenant.tables.filter((t) => t.monthly);
  const cover = months.map((m) => {
    if (monthly.length === 0) return 0;
    const start = monthStartMs(m);
    const end = monthStartMs(addMonths(m, 1));
    return monthly.filter((t) => coverOf(t, start, end).covered !== null).length / monthly.length;
  });
  let horizon: Month | null = null;
  let none = monthly.length === 0;
  for (const t of monthly) {
    const last = t.partitions.filter((p) => p.state === 'attached' && p.lastMonth).map((p) => p.lastMonth as Month).sort().at(-1) ?? null;
    if (last === null) none = true;
    else if (horizon === null || last < horizon) horizon = last;
  }
  const defaultRows = tenant.tables.reduce((s, t) => s + (t.defaultPartition && t.defaultPartition.state !== 'detached' ? t.defaultPartition.rows : 0), 0);
  return { coverage: cover, horizon: none ? null : horizon, defaultRows };
}

export function premakePlanOf(
  tenants: TenantInventory[],
  prescribed: ReadonlyMap<string, number | null>,
  horizon: Horizon,
  only: string | undefined,
  missingTenants: string[],
): PremakePlan {
  const months = monthRange(horizon.now, addMonths(horizon.now, horizon.keepAhead));
  const plans: PremakeTenantPlan[] = [];
  let ready = 0;
  let toCreate = 0;
  for (const tenant of tenants) {
    const plan = premakeTenant(tenant, prescribed, months, only);
    // Present months are listed for one tenant, where they read as the answer; across many they are only counted.
    const conflicts = tenants.length === 1 ? plan.conflicts : plan.conflicts.filter((c) => c.kind !== 'present');
    if (plan.create.length === 0) ready += 1;
    toCreate += plan.create.length;
    if (plan.create.length > 0 || conflicts.length > 0) plans.push({ tenantId: tenant.tenantId, schema: tenant.schema, create: plan.create, conflicts });
  }
  return { now: horizon.now, keepAhead: horizon.keepAhead, months, tenants: plans, tenantsReady: ready, partitionsToCreate: toCreate, missingTenants };
}

export function retentionPlanOf(
  tenants: TenantInventory[],
  prescribed: ReadonlyMap<string, number | null>,
  request: { now: Month; table?: string | undefined; retentionMonths?: number | undefined; drop: boolean; version: number },
  missingTenants: string[],
): RetentionPlan {
  const out: RetentionPlan['tenants'] = [];
  let count = 0;
  let concurrently = false;
  for (const tenant of tenants) {
    const partitions = tenant.tables.flatMap((table) => {
      if (request.table !== undefined && table.table !== request.table) return [];
      const keepFrom = keepFromOf(request.now, retentionOf(table.table, prescribed, request.retentionMonths));
      return keepFrom ? retireTable(tenant.schema, table, { keepFrom, drop: request.drop, concurrentDetach: request.version >= 140_000 }) : [];
    });
    if (partitions.length === 0) continue;
    concurrently ||= partitions.some((p) => p.statements.some((s) => s.endsWith(' CONCURRENTLY')));
    count += partitions.length;
    out.push({ tenantId: tenant.tenantId, schema: tenant.schema, partitions });
  }
  const blueprintRetention = request.table !== undefined ? (prescribed.get(request.table) ?? null) : ([...prescribed.values()].find((v) => v !== null) ?? null);
  const retentionMonths = request.retentionMonths ?? blueprintRetention;
  return {
    now: request.now,
    retentionMonths,
    keepFrom: keepFromOf(request.now, retentionMonths),
    drop: request.drop,
    concurrently,
    tenants: out,
    partitionsToRetire: count,
    confirmText: confirmTextOf(count),
    missingTenants,
  };
}

export const confirmTextOf = (count: number): string => `drop ${count} partition${count === 1 ? '' : 's'}`;
