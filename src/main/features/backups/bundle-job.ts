import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '@shared/errors';
import { BundleId, MANIFEST_FILE, type BundleManifest, type BundlePart } from '@shared/model/backup';
import { TenantId } from '@shared/model/tenant-id';
import { StoreKind } from '@shared/model/workspace';
import type { JobKind, JobResult } from '../../jobs';
import { fileFailure, sha256File, writeJsonDurably } from './bundle-files';
import { applicationNameOf, errorText, Operator, partFor, type BackupStores, type OpenBackupStores } from './stores';

export const BundleParams = z
  .object({
    bundleId: BundleId,
    tenantId: TenantId,
    /** `<backup folder>/<workspaceId>`, resolved when the job was started. */
    folder: z.string().min(1).max(1100),
    stores: z.array(StoreKind).min(1).max(4).optional(),
    pgFormat: z.enum(['custom', 'directory']),
    jobs: z.number().int().min(1).max(16),
    justification: z.string().max(500).optional(),
    operator: Operator,
  })
  .strict();
export type BundleParams = z.infer<typeof BundleParams>;

/**
 * Re-reads every file a part listed and compares its digest, and refuses a file on disk that no
 * part listed: the manifest describes exactly what is there.
 */
async function checkListed(bundleFolder: string, parts: BundlePart[], signal: AbortSignal): Promise<void> {
  const listed = new Map(parts.flatMap((p) => p.files).map((f) => [f.path, f.sha256]));
  for (const [path, digest] of listed) {
    const actual = await sha256File(join(bundleFolder, ...path.split('/')), signal);
    if (actual !== digest) throw new AppError('internal', `${path} changed after its part wrote it (SHA-256 differs); the bundle is not kept.`);
  }
  const entries = await readdir(bundleFolder, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name).slice(bundleFolder.length + 1).split('\\').join('/');
    if (!listed.has(path)) throw new AppError('internal', `${path} is in the bundle but no part listed it; the bundle is not kept.`);
  }
}

/**
 * `backups.tenant-bundle`: every part is checked first (a missing tool or a version that cannot
 * read the server fails the job before anything is written), then each part writes into its own
 * folder with progress, every listed file is hashed again, and `manifest.json` is written last
 * (temp name, fsync, rename). Any failure or cancel removes the bundle folder; if even that fails,
 * the folder has no manifest and lists as incomplete. Never a manifest over a broken part.
 */
export function bundleKind(openStores: OpenBackupStores): JobKind<BundleParams, BackupStores> {
  return {
    name: 'backups.tenant-bundle',
    store: 'postgres',
    params: BundleParams,
    describe: (p) => ({ title: `Back up tenant ${p.tenantId}${p.stores ? ` (${p.stores.join(', ')})` : ''}`, tenantIds: [p.tenantId] }),
    openStores,
    async run(params, { jobId, signal, stores, progress, log }) {
      const options = { pgFormat: params.pgFormat, jobs: params.jobs, applicationName: applicationNameOf(jobId) };
      const kinds = params.stores ?? (Object.keys(stores.parts) as StoreKind[]);
      if (kinds.length === 0) throw new AppError('invalid_argument', `Workspace ${stores.workspaceId} has no store to back up.`);
      const parts = kinds.map((kind) => partFor(stores, kind, options));
      progress(0, null, 'checking tools and servers');
      for (const part of parts) {
        const checked = await part.preflight(params.tenantId, signal);
        log(`${part.store}: server ${checked.server}${checked.tool ? `, ${checked.tool.name} ${checked.tool.version}` : ''}.`);
      }
      const bundleFolder = join(params.folder, params.bundleId);
      const startedAt = new Date().toISOString();
      try {
        await mkdir(bundleFolder, { recursive: true }).catch((error: unknown) => {
          throw fileFailure(error, `The bundle folder ${bundleFolder} cannot be created`);
        });
        const written: BundlePart[] = [];
        for (const [index, part] of parts.entries()) {
          const folder = join(bundleFolder, part.store);
          await mkdir(folder).catch((error: unknown) => {
            throw fileFailure(error, `The part folder ${folder} cannot be created`);
          });
          const partStarted = new Date().toISOString();
          const result = await part
            .backup(params.tenantId, {
              signal,
              folder,
              relativeFolder: part.store,
              progress: (done, total, phase) => progress(done, total, `${index + 1}/${parts.length} ${part.store}: ${phase}`),
              log: (line) => log(`${part.store}: ${line}`),
            })
            .catch((error: unknown) => {
              throw signal.aborted ? new AppError('cancelled', 'The backup was cancelled.') : fileFailure(error, `The ${part.store} part failed`);
            });
          written.push({ ...result, startedAt: partStarted, endedAt: new Date().toISOString() });
          const bytes = result.files.reduce((sum, f) => sum + f.bytes, 0);
          log(`${part.store}: ${result.files.length} file(s), ${bytes} bytes, ${Object.keys(result.counts).length} count(s).`);
        }
        progress(0, null, 'checking the SHA-256 of every file');
        await checkListed(bundleFolder, written, signal);
        if (signal.aborted) throw new AppError('cancelled', 'The backup was cancelled.');
        const manifest: BundleManifest = {
          formatVersion: 1,
          bundleId: params.bundleId,
          workspaceId: stores.workspaceId,
          workspaceName: stores.workspace.name,
          environment: stores.workspace.environment,
          tenantId: params.tenantId,
          preset: stores.preset.name,
          stores: written.map((p) => p.store),
          parts: written,
          startedAt,
          endedAt: new Date().toISOString(),
          operator: params.operator,
          ...(params.justification ? { justification: params.justification } : {}),
          jobId,
        };
        await writeJsonDurably(bundleFolder, MANIFEST_FILE, manifest).catch((error: unknown) => {
          throw fileFailure(error, 'The manifest cannot be written');
        });
        const files = written.reduce((sum, p) => sum + p.files.length, 0);
        const bytes = written.reduce((sum, p) => sum + p.files.reduce((s, f) => s + f.bytes, 0), 0);
        progress(parts.length, parts.length, 'manifest written');
        log(`Manifest written: ${bundleFolder}/${MANIFEST_FILE}.`);
        const result: JobResult = { bundleId: params.bundleId, folder: bundleFolder, stores: manifest.stores, files, bytes };
        return result;
      } catch (error) {
        // Nothing of a failed bundle is kept; a folder that cannot be removed has no manifest and lists as incomplete.
        await rm(bundleFolder, { recursive: true, force: true }).then(
          () => log(`The partial bundle was removed (${errorText(error)}).`),
          (removal: unknown) => log(`The partial bundle could not be removed (${errorText(removal)}); it has no manifest and lists as incomplete.`),
        );
        throw error;
      }
    },
  };
}
