import type { StoreKind } from '@shared/model/workspace';
import type { BundlePart } from '@shared/model/backup';

/**
 * One store's share of a tenant bundle. The bundle job runs a part per store the preset uses,
 * each writing only inside its own folder of the bundle; the job hashes nothing itself and trusts
 * nothing a part did not list. Parts never see the manifest being written: it comes last.
 */

export interface PartContext {
  signal: AbortSignal;
  /** The part's own folder inside the bundle (created, empty). Every path a part lists is relative to the bundle. */
  folder: string;
  /** The folder's path relative to the bundle, to prefix the files a part lists: `postgres`, `redis`. */
  relativeFolder: string;
  progress(done: number, total: number | null, phase: string): void;
  log(line: string): void;
}

/**
 * Where a restore writes. `scratch` is verify's throwaway copy (dropped after the comparison);
 * `rename` restores beside the live data under a new name (schema, key prefix, database, index
 * prefix); `replace` puts the bundle over the tenant's live data, swapping in at the end so a
 * failure leaves the live data as it was.
 */
export interface RestoreTarget {
  mode: 'scratch' | 'rename' | 'replace';
  /** The new schema / key prefix / database / index rename; required for `scratch` and `rename`. */
  name?: string;
  /** Redis: overwrite keys that already exist (`RESTORE … REPLACE`) instead of failing on them. */
  replaceExisting?: boolean;
}

export interface RestoredPart {
  /** Where the data now is (schema name, key prefix, database, index names), for the job's result and the UI. */
  target: string;
  /** The same keys as the part's manifest counts, read back from the store after the restore. */
  counts: Record<string, number>;
}

export interface BackupPart {
  store: StoreKind;
  /**
   * Checks before anything is written: the tool is there (`tool_missing`, naming it and how to
   * install it), its version can read and write this server (`version_mismatch`, naming both).
   */
  preflight(tenantId: string, signal: AbortSignal): Promise<{ server: string; tool?: { name: string; version: string } }>;
  /** Writes the tenant's data into `context.folder` and lists what it wrote, with counts and SHA-256 digests. */
  backup(tenantId: string, context: PartContext): Promise<Omit<BundlePart, 'startedAt' | 'endedAt'>>;
  /** Restores a part read from `context.folder` (files already checked against their digests). */
  restore(part: BundlePart, tenantId: string, target: RestoreTarget, context: PartContext): Promise<RestoredPart>;
  /** Removes a scratch restore (verify's copy, or what a failed rename left). Idempotent. */
  dropRestored(target: string, signal: AbortSignal): Promise<void>;
}
