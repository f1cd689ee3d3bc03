import { z } from 'zod';
import { Environment, StoreKind, WorkspaceId } from './workspace';
import { TenantId } from './tenant-id';

/**
 * A tenant bundle: one folder per backup holding a part per store and, written last, the
 * manifest. A folder without a manifest is an incomplete bundle by construction (a crash, a
 * cancel, a full disk): it is listed as such and never restored as if it were good.
 */

/** `20261203T021500Z-acme-7f3a`: sortable by time, unique, safe as a folder name. */
export const BundleId = z.string().regex(/^\d{8}T\d{6}Z-[A-Za-z0-9_-]{1,64}-[a-z0-9]{4,12}$/, 'a bundle id');
export type BundleId = z.infer<typeof BundleId>;

/** A file of a part, by its path inside the bundle folder, with the digest verify recomputes. */
export const BundleFile = z.object({
  path: z.string().regex(/^[A-Za-z0-9._/-]+$/).refine((p) => !p.split('/').includes('..') && !p.startsWith('/'), 'a relative path inside the bundle'),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type BundleFile = z.infer<typeof BundleFile>;

export const ToolVersion = z.object({ name: z.string(), version: z.string() });

/** One store's part of a bundle, recorded with the time it was taken. */
export const BundlePart = z.object({
  store: StoreKind,
  startedAt: z.string(),
  endedAt: z.string(),
  /** `pg_dump custom`, `pg_dump directory`, `extended-json.gz`, `redis dump+pttl`, `elasticsearch snapshot`. */
  format: z.string(),
  server: z.object({ version: z.string() }),
  tool: ToolVersion.optional(),
  /** Counts per table, collection, key family or index: what verify compares after a scratch restore. */
  counts: z.record(z.string(), z.number().int().nonnegative()),
  files: z.array(BundleFile),
  /** Store-specific facts a restore needs: the dumped schema's name, the snapshot's repository and name. */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])).default({}),
});
export type BundlePart = z.infer<typeof BundlePart>;

export const MANIFEST_FILE = 'manifest.json';

export const BundleManifest = z.object({
  formatVersion: z.literal(1),
  bundleId: BundleId,
  workspaceId: WorkspaceId,
  workspaceName: z.string(),
  environment: Environment,
  tenantId: TenantId,
  preset: z.string(),
  stores: z.array(StoreKind),
  parts: z.array(BundlePart),
  startedAt: z.string(),
  endedAt: z.string(),
  operator: z.object({ id: z.string(), name: z.string(), role: z.string() }),
  justification: z.string().optional(),
  /** The job that wrote the bundle, so the audit entry and the bundle point at each other. */
  jobId: z.string(),
});
export type BundleManifest = z.infer<typeof BundleManifest>;

/** What the last verify of a bundle found; kept beside the manifest, which never changes. */
export const BundleVerification = z.object({
  at: z.string(),
  jobId: z.string(),
  ok: z.boolean(),
  /** Each problem names its file or its count: `postgres/tenant.dump: sha256 differs`, `cases: 120 restored, 121 in the manifest`. */
  problems: z.array(z.string()),
});
export type BundleVerification = z.infer<typeof BundleVerification>;

export const BundleStatus = z.enum(['complete', 'incomplete', 'verified', 'verify_failed']);
export type BundleStatus = z.infer<typeof BundleStatus>;
