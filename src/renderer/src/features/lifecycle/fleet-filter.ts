import type { FleetHorizonRow } from '@shared/model/lifecycle';

export interface FleetFilter {
  /** Part of a tenant id, case-insensitive. */
  text: string;
  /** Only tenants short of the window or with a mark (default rows, ILM errors). */
  attentionOnly: boolean;
}

/** Whether a tenant needs someone: months short, rows in a default partition, or failed ILM steps. */
export const needsAttention = (row: FleetHorizonRow): boolean => row.monthsShort > 0 || row.defaultRows > 0 || row.ilmErrors > 0;

/** The rows the heatmap shows, in the fleet's order (running out first). */
export function filterFleet(rows: readonly FleetHorizonRow[], filter: FleetFilter): FleetHorizonRow[] {
  const text = filter.text.trim().toLowerCase();
  return rows.filter((row) => (!text || row.tenantId.toLowerCase().includes(text)) && (!filter.attentionOnly || needsAttention(row)));
}

export interface FleetCounts {
  tenants: number;
  /** Tenant ids short of the keep-ahead window, the ones a premake would serve. */
  short: string[];
  withDefaultRows: number;
  withIlmErrors: number;
}

export function fleetCounts(rows: readonly FleetHorizonRow[]): FleetCounts {
  return {
    tenants: rows.length,
    short: rows.filter((r) => r.monthsShort > 0).map((r) => r.tenantId),
    withDefaultRows: rows.filter((r) => r.defaultRows > 0).length,
    withIlmErrors: rows.filter((r) => r.ilmErrors > 0).length,
  };
}
