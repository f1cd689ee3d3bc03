import { z } from 'zod';
import type { BundleEntry } from '@shared/contract/backups';
import { RestoreSchemaName } from '@shared/contract/backups';
import type { BundleStatus } from '@shared/model/backup';
import { StoreKind } from '@shared/model/workspace';

/** A bundle's status as the catalog and the bundle screen colour it. */
export const STATUS_COLORS: Record<BundleStatus, string> = {
  complete: 'blue',
  incomplete: 'orange',
  verified: 'teal',
  verify_failed: 'red',
};

export const STATUS_LABELS: Record<BundleStatus, string> = {
  complete: 'complete',
  incomplete: 'incomplete',
  verified: 'verified',
  verify_failed: 'verify failed',
};

export interface BundleFilter {
  tenantId: string | null;
  status: BundleStatus | null;
}

const startOf = (entry: BundleEntry): string => entry.startedAt ?? '';

/**
 * The bundles a filter keeps, newest first. Bundle ids start with their UTC time, so they break ties
 * between equal start times (and order incomplete bundles whose time could not be read).
 */
export function visibleBundles(bundles: readonly BundleEntry[], filter: BundleFilter): BundleEntry[] {
  return bundles
    .filter((b) => (filter.tenantId === null || b.tenantId === filter.tenantId) && (filter.status === null || b.status === filter.status))
    .sort((a, b) => startOf(b).localeCompare(startOf(a)) || b.bundleId.localeCompare(a.bundleId));
}

/** The tenants that have bundles, for the filter. */
export function tenantsWithBundles(bundles: readonly BundleEntry[]): string[] {
  return [...new Set(bundles.map((b) => b.tenantId).filter((t): t is string => t !== null))].sort();
}

/** A SHA-256 as a dense table shows it: enough to compare by eye, the whole digest on hover. */
export function shortDigest(sha256: string): string {
  return `${sha256.slice(0, 12)}…`;
}

/** `2 h 05 min`, `41 s`: how long a backup or a part took. */
export function formatDuration(fromIso: string | null, toIso: string | null): string {
  if (!fromIso || !toIso) return '—';
  const ms = Date.parse(toIso) - Date.parse(fromIso);
  if (Number.isNaN(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/**
 * A new schema name for a rename restore: `restored_`, the start of the tenant id and the bundle's
 * date and time, so two restores of different bundles never collide and the name says where it came
 * from. It deliberately does not start with the tenant schema prefix, so the copy is not listed as
 * another tenant. Always a valid `RestoreSchemaName`.
 */
export function suggestedRestoreName(bundleId: string, tenantId: string | null): string {
  const stamp = /^(\d{8})T(\d{4})/.exec(bundleId);
  const tenant = (tenantId ?? 'tenant')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 24)
    .replace(/^_+|_+$/g, '');
  const name = ['restored', tenant || 'tenant', stamp ? `${stamp[1]}_${stamp[2]}` : null].filter(Boolean).join('_');
  return RestoreSchemaName.safeParse(name).success ? name : 'restored_tenant';
}

/** Why a typed schema name cannot be restored into, or null when it can. */
export function restoreNameProblem(name: string): string | null {
  const parsed = RestoreSchemaName.safeParse(name);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'not a schema name');
}

/** One part of a finished restore: the store, where its data went, and the counts read back from there. */
export interface RestoredPart {
  store: StoreKind;
  target: string;
  counts: Record<string, number>;
}

// What `backups.restore` reports: per store, where the data went and the counts read back from there.
const RestoreResult = z.object({
  targets: z.record(z.string(), z.string()),
  counts: z.record(z.string(), z.record(z.string(), z.number())),
});

/** The parts a finished restore job reports, in the console's store order; none from a result of another shape. */
export function restoredPartsOf(result: unknown): RestoredPart[] {
  const parsed = RestoreResult.safeParse(result);
  if (!parsed.success) return [];
  const { targets, counts } = parsed.data;
  return StoreKind.options.flatMap((store) => {
    const target = targets[store];
    return target === undefined ? [] : [{ store, target, counts: counts[store] ?? {} }];
  });
}

/** The sum of a part's counts: rows, documents, keys or hits. */
export function totalOf(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}
