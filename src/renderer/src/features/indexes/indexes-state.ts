import type { DriftGroup, FindingKind, FleetIndex, IndexFinding, StatsReset, TableIndex } from '@shared/model/indexes';
import { FINDING_KINDS } from '@shared/model/indexes';

/** What each kind of finding is called, in the order the findings tab lists them. */
export const FINDING_TITLES: Record<FindingKind, string> = {
  unused: 'Unused',
  duplicate: 'Duplicate',
  redundant: 'Redundant',
  invalid: 'Invalid',
  not_tenant_prefixed: 'Not prefixed by the tenant key',
  missing_fk_index: 'Missing foreign-key index',
};

/** Findings by kind, every kind present (an empty list says "none found", not "not looked at"). */
export function findingsByKind(findings: readonly IndexFinding[]): Array<{ kind: FindingKind; findings: IndexFinding[] }> {
  return FINDING_KINDS.map((kind) => ({ kind, findings: findings.filter((f) => f.kind === kind) }));
}

/** Rows whose table, name or definition holds the filter text; case does not matter. */
export function filterFleet(rows: readonly FleetIndex[], filter: string): FleetIndex[] {
  const needle = filter.trim().toLowerCase();
  if (!needle) return [...rows];
  return rows.filter((row) => `${row.table} ${row.name} ${row.definition}`.toLowerCase().includes(needle));
}

/** "since 2026-11-20 (12 d)", or "since the server started (3 d)" when the statistics were never reset. */
export function statsResetLabel(reset: StatsReset): string {
  const days = `${Math.floor(reset.ageDays)} d`;
  return reset.at ? `since ${reset.at.slice(0, 10)} (${days})` : `since the server started (${days})`;
}

/**
 * An index's last scan as the table shows it: the time (16+), "never since …" when the server keeps
 * the time and has none, and — before PostgreSQL 16, which keeps no time — "unknown", with the scans
 * counted since the reset instead, so a missing time is never read as "never".
 */
export function lastScanLabel(index: Pick<TableIndex, 'lastScanAt' | 'lastScanKnown' | 'scans'>, reset: StatsReset): string {
  if (!index.lastScanKnown) return `unknown · ${index.scans} ${index.scans === 1 ? 'scan' : 'scans'} ${statsResetLabel(reset)}`;
  if (index.lastScanAt) return `${index.lastScanAt.slice(0, 16).replace('T', ' ')} UTC`;
  return `never ${statsResetLabel(reset)}`;
}

/** "missing idx_cases_status_priority: 37 tenants". */
export function driftGroupLabel(group: DriftGroup): string {
  return `${group.title}: ${group.tenantCount} ${group.tenantCount === 1 ? 'tenant' : 'tenants'}`;
}

/** Which tenants a drift, plan or fix covers, as the contract takes them. */
export type TenantTarget = { tenantId: string } | { tenantIds: string[] } | { allTenants: true };

export type TargetChoice = { mode: 'one'; tenantId: string | null } | { mode: 'some'; tenantIds: string[] } | { mode: 'all' };

/** The contract's target for a choice, or null while the choice names no tenant. */
export function targetOf(choice: TargetChoice): TenantTarget | null {
  switch (choice.mode) {
    case 'one':
      return choice.tenantId ? { tenantId: choice.tenantId } : null;
    case 'some':
      return choice.tenantIds.length === 1 ? { tenantId: choice.tenantIds[0] as string } : choice.tenantIds.length > 1 ? { tenantIds: choice.tenantIds } : null;
    case 'all':
      return { allTenants: true };
  }
}

/** A job's result as the fix-drift job writes it; anything it lacks reads as empty. */
export interface FixOutcome {
  dryRun: boolean;
  compared: number;
  tenants: number;
  statements: number;
  repairedTenants: string[];
  planned: string[];
  skipped: Array<{ tenantId: string; reason: string }>;
  failed: Array<{ tenantId: string; reason: string }>;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const reasons = (value: unknown): Array<{ tenantId: string; reason: string }> =>
  Array.isArray(value)
    ? value.filter(isRecord).map((v) => ({ tenantId: String(v.tenantId ?? ''), reason: String(v.reason ?? '') }))
    : [];
const count = (value: unknown): number => (typeof value === 'number' ? value : 0);

/** Reads the fix job's result defensively: it is plain JSON from the jobs room, typed there as any record. */
export function fixOutcomeOf(result: unknown): FixOutcome | null {
  if (!isRecord(result)) return null;
  return {
    dryRun: result.dryRun === true,
    compared: count(result.compared),
    tenants: count(result.tenants),
    statements: count(result.statements),
    repairedTenants: strings(result.repairedTenants),
    planned: strings(result.planned),
    skipped: reasons(result.skipped),
    failed: reasons(result.failed),
  };
}
