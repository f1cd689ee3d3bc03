import { z } from 'zod';
import { method, section } from './define';
import { StoreKind, WorkspaceId } from '../model/workspace';
import { TenantId } from '../model/tenant-id';
import { JobSummary } from '../model/job';
import { BundleId, BundleManifest, BundleStatus, BundleVerification } from '../model/backup';

/**
 * An absolute folder on the machine that runs the console: no `..` segment, no control
 * characters. Whether it exists and can be written is checked by main (`invalid_argument`).
 */
export const BackupFolder = z
  .string()
  .min(1)
  .max(1024)
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'an absolute folder path')
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'a folder path without ".." segments')
  .refine((p) => ![...p].some((c) => c.charCodeAt(0) < 0x20), 'a folder path without control characters');

/** A PostgreSQL schema name a restore may create: letters, digits and `_`, starting with a letter, at most 63 bytes. */
export const RestoreSchemaName = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a schema name: lower-case letters, digits and _, starting with a letter or _, at most 63 characters')
  .refine((name) => !name.startsWith('pg_'), 'a schema name that does not start with pg_ (reserved by PostgreSQL)');

/** The legal hold on a bundle: while it is there, retention never deletes the bundle. */
export const LegalHold = z.object({
  reason: z.string().max(500),
  at: z.string(),
  operator: z.string().max(200),
});
export type LegalHold = z.infer<typeof LegalHold>;

/** One bundle as the catalog lists it: read from the manifest when there is one, from the folder otherwise. */
export const BundleEntry = z.object({
  bundleId: z.string(),
  /** From the manifest; for an incomplete bundle read from its folder name (`<time>-<tenant>-<suffix>`). */
  tenantId: z.string().nullable(),
  status: BundleStatus,
  /** Stores in the bundle (the manifest's list; the part folders present for an incomplete one). */
  stores: z.array(StoreKind),
  /** When the backup started (the manifest's time, else the time in the folder name). */
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  /** Every file of the bundle folder, manifest and sidecars included. */
  sizeBytes: z.number().int().nonnegative(),
  operator: z.string().nullable(),
  justification: z.string().nullable(),
  /** Counts per store, summed over its tables, collections, key families or indices. */
  totals: z.record(z.string(), z.number().int().nonnegative()),
  legalHold: LegalHold.nullable(),
  /** The last verify's time and outcome, when the bundle was verified. */
  verification: BundleVerification.nullable(),
  /** Why an incomplete bundle is incomplete: no manifest, or a manifest that does not parse. */
  problem: z.string().nullable(),
});
export type BundleEntry = z.infer<typeof BundleEntry>;

export const FolderSetting = z.object({
  workspaceId: WorkspaceId,
  /** The folder bundles of this workspace are written under (`<folder>/<workspaceId>/<bundleId>/`). */
  folder: z.string(),
  /** False while the console's default (`<dataDir>/backups`) is used. */
  chosen: z.boolean(),
  writable: z.boolean(),
  /** Free bytes on the folder's file system, when it exists. */
  freeBytes: z.number().nonnegative().nullable(),
});
export type FolderSetting = z.infer<typeof FolderSetting>;

/** What retention kept or deleted, and why. */
export const RetentionDecision = z.object({
  bundleId: z.string(),
  tenantId: z.string().nullable(),
  startedAt: z.string().nullable(),
  /** `daily` / `weekly`: kept as the newest bundle of its day / week; `held`: under legal hold; `incomplete`: never deleted by retention. */
  reason: z.enum(['daily', 'weekly', 'held', 'incomplete', 'expired']),
});
export type RetentionDecision = z.infer<typeof RetentionDecision>;

const Justification = z.string().trim().min(3).max(500);

/**
 * Tenant bundles: one job backs up a tenant across every store its preset uses into a folder with a
 * manifest written last; restore, verify, the catalog, retention and legal hold. Running backups is
 * `backup` (support never; prod allowed, since a backup only reads), restoring is `write` (prod only
 * with an unlock), listing is `read`. Every job is audited once with its outcome.
 */
export const backups = section('backups', {
  catalog: method({
    access: 'read',
    summary:
      'Every bundle of the workspace in the backup folder (or `folder`, another folder to look in), newest first, ' +
      'with its status (complete, incomplete, verified, verify_failed), size, counts, legal hold and last verification.',
    args: z.object({ workspaceId: WorkspaceId, folder: BackupFolder.optional() }).strict(),
    result: z.object({ folder: z.string(), bundles: z.array(BundleEntry) }),
  }),
  bundle: method({
    access: 'read',
    summary: 'One bundle: its catalog entry, its manifest (null while incomplete) and the last verification.',
    args: z.object({ workspaceId: WorkspaceId, bundleId: BundleId }).strict(),
    result: z.object({ entry: BundleEntry, manifest: BundleManifest.nullable() }),
  }),
  backupTenant: method({
    access: 'backup',
    summary:
      'Starts the `backups.tenant-bundle` job: checks every part first (tools and versions), then writes each store’s ' +
      'part with progress, the SHA-256 of every file, and the manifest last. A failure or cancel leaves no manifest.',
    args: z
      .object({
        workspaceId: WorkspaceId,
        tenantId: TenantId,
        /** The stores to include; all the stores the workspace has for the preset when left out. */
        stores: z.array(StoreKind).min(1).max(4).optional(),
        /** `custom` (one file, the default) or `directory` (one file per table, dumped by `jobs` workers). */
        pgFormat: z.enum(['custom', 'directory']).default('custom'),
        /** pg_dump workers for the directory format. */
        jobs: z.number().int().min(1).max(16).default(2),
        justification: Justification.optional(),
      })
      .strict(),
    result: JobSummary,
  }),
  restore: method({
    access: 'write',
    summary:
      'Starts the `backups.restore` job. `rename`: into new names beside the live data (a new schema `targetName`). ' +
      '`replace`: over the tenant’s live data, restored under a scratch name first and swapped in at the end in one ' +
      'transaction, so a failure leaves the live data untouched; `confirm` must be the tenant id (and prod needs an unlock).',
    args: z
      .object({
        workspaceId: WorkspaceId,
        bundleId: BundleId,
        mode: z.enum(['rename', 'replace']),
        /** The new PostgreSQL schema for `rename`; also the Redis key prefix / MongoDB database / index prefix base. */
        targetName: RestoreSchemaName.optional(),
        /** Redis: overwrite keys that exist under the target prefix. */
        replaceExisting: z.boolean().default(false),
        /** `replace` only: the bundle’s tenant id, typed. */
        confirm: z.string().max(200).optional(),
      })
      .strict()
      .superRefine((a, ctx) => {
        if (a.mode === 'rename' && !a.targetName) ctx.addIssue({ code: 'custom', path: ['targetName'], message: 'a rename restore needs targetName, the new schema' });
        if (a.mode === 'replace' && !a.confirm) ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'type the tenant id to confirm a restore over live data' });
      }),
    result: JobSummary,
  }),
  verify: method({
    // It writes: each part is restored into scratch names on the live servers (prod needs an unlock).
    access: 'write',
    summary:
      'Starts the `backups.verify` job: the SHA-256 of every file (a changed file is named), each part restored into ' +
      'scratch names, counts compared with the manifest, the scratch dropped; the outcome is kept beside the manifest.',
    args: z.object({ workspaceId: WorkspaceId, bundleId: BundleId }).strict(),
    result: JobSummary,
  }),
  setLegalHold: method({
    access: 'backup',
    summary: 'Puts a bundle under legal hold (retention never deletes it) or lifts the hold; the reason is kept with the hold.',
    args: z.object({ workspaceId: WorkspaceId, bundleId: BundleId, hold: z.boolean(), reason: Justification }).strict(),
    result: BundleEntry,
  }),
  retention: method({
    access: 'backup',
    summary:
      'Keeps the newest complete bundle of each of the last `keepDaily` days and `keepWeekly` ISO weeks per tenant and ' +
      'deletes the other complete bundles — never one under legal hold, never an incomplete one. A dry run (the default) deletes nothing.',
    args: z
      .object({
        workspaceId: WorkspaceId,
        keepDaily: z.number().int().min(0).max(366),
        keepWeekly: z.number().int().min(0).max(520),
        dryRun: z.boolean().default(true),
      })
      .strict(),
    result: z.object({ dryRun: z.boolean(), kept: z.array(RetentionDecision), deleted: z.array(RetentionDecision), freedBytes: z.number().int().nonnegative() }),
  }),
  backupFolder: method({
    access: 'workspace.read',
    summary: 'The folder the workspace’s bundles go to, whether it can be written, and the free space there.',
    args: z.object({ workspaceId: WorkspaceId }).strict(),
    result: FolderSetting,
  }),
  setBackupFolder: method({
    access: 'workspace.manage',
    summary: 'Chooses the workspace’s backup folder: an absolute folder that exists (or can be created) and can be written, else `invalid_argument`.',
    args: z.object({ workspaceId: WorkspaceId, folder: BackupFolder }).strict(),
    result: FolderSetting,
  }),
  dumpDatabase: method({
    access: 'backup',
    summary:
      'Starts the `backups.database-dump` job: `pg_dump` of the whole database (every tenant) into ' +
      '`<folder>/<workspaceId>/database/<time>/` with a SHA-256 of each file; the whole-store counterpart of a bundle.',
    args: z
      .object({
        workspaceId: WorkspaceId,
        format: z.enum(['custom', 'directory']).default('custom'),
        jobs: z.number().int().min(1).max(16).default(2),
        justification: Justification.optional(),
      })
      .strict(),
    result: JobSummary,
  }),
});
