import type { FleetHorizonRow, Month } from '@shared/model/lifecycle';
import { addMonths } from '@shared/model/lifecycle-months';
import type { PartitionHorizon } from '../../services/lifecycle-lanes';

export interface FleetRowsInput {
  months: readonly Month[];
  now: Month;
  keepAhead: number;
  /** Partition figures per tenant; undefined when they could not be read (the view then has a gap). */
  horizons: ReadonlyMap<string, PartitionHorizon> | undefined;
  ilmErrors: ReadonlyMap<string, number> | undefined;
}

/**
 * The keep-ahead window — the current month and `keepAhead` months after it, as pg_partman's
 * premake counts — as positions in the view's months (the view always holds the whole window).
 */
export function windowPositions(months: readonly Month[], now: Month, keepAhead: number): number[] {
  return Array.from({ length: keepAhead + 1 }, (_, i) => months.indexOf(addMonths(now, i))).filter((position) => position >= 0);
}

/**
 * One heatmap row per tenant, tenants running out first on top. A tenant with partition figures
 * counts the months of the keep-ahead window not every partitioned table is ready for; a tenant the
 * partitions did not report (ILM errors only, or partitions unreadable) has no coverage at all and
 * goes below the others, since nothing can be said about its horizon.
 */
export function fleetRows(input: FleetRowsInput): FleetHorizonRow[] {
  const window = windowPositions(input.months, input.now, input.keepAhead);
  const rows = new Map<string, FleetHorizonRow>();
  for (const [tenantId, horizon] of input.horizons ?? []) {
    rows.set(tenantId, {
      tenantId,
      coverage: horizon.coverage.map((share) => Math.min(1, Math.max(0, share))),
      horizon: horizon.horizon,
      monthsShort: window.filter((position) => (horizon.coverage[position] ?? 0) < 1).length,
      defaultRows: Math.max(0, horizon.defaultRows),
      ilmErrors: 0,
    });
  }
  for (const [tenantId, errors] of input.ilmErrors ?? []) {
    if (errors <= 0) continue;
    const row = rows.get(tenantId);
    if (row) row.ilmErrors = errors;
    else rows.set(tenantId, { tenantId, coverage: [], horizon: null, monthsShort: 0, defaultRows: 0, ilmErrors: errors });
  }
  return [...rows.values()].sort(runningOutFirst);
}

/** Known coverage first; then the earliest horizon (none at all is the earliest), most months short, most default rows. */
function runningOutFirst(a: FleetHorizonRow, b: FleetHorizonRow): number {
  const known = Number(b.coverage.length > 0) - Number(a.coverage.length > 0);
  if (known !== 0) return known;
  if (a.horizon !== b.horizon) {
    if (a.horizon === null) return -1;
    if (b.horizon === null) return 1;
    return a.horizon < b.horizon ? -1 : 1;
  }
  return b.monthsShort - a.monthsShort || b.defaultRows - a.defaultRows || b.ilmErrors - a.ilmErrors || (a.tenantId < b.tenantId ? -1 : a.tenantId > b.tenantId ? 1 : 0);
}
