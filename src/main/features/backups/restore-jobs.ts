import { join } from 'node:path';
import { z } from 'zod';
import { RestoreSchemaName } from '@shared/contract/backups';
import { AppError } from '@shared/errors';
import { BundleId, type BundleManifest, type BundleVerification } from '@shared/model/backup';
import type { JobKind, JobResult } from '../../jobs';
import { sha256File, writeJsonDurably } from './bundle-files';
import { readBundle, VERIFICATION_FILE } from './catalog';
import { scratchSchemaName } from './parts/postgres';
import { applicationNameOf, errorText, partFor, type BackupStores, type OpenBackupStores } from './stores';

export const RestoreParams = z
  .object({
    bundleId: BundleId,
    folder: z.string().min(1).max(1100),
    mode: z.enum(['rename', 'replace']),
    targetName: RestoreSchemaName.optional(),
    replaceExisting: z.boolean(),
  })
  .strict();
export type RestoreParams = z.infer<typeof RestoreParams>;

export const VerifyParams = z.object({ bundleId: BundleId, folder: z.string().min(1).max(1100) }).strict();
export type VerifyParams = z.infer<typeof VerifyParams>;

async function manifestOf(folder: string, bundleId: string): Promise<{ manifest: BundleManifest; bundleFolder: string }> {
  const read = await readBundle(folder, bundleId);
  if (!read.manifest) throw new AppError('conflict', `Bundle ${bundleId} is incomplete (${read.entry.problem ?? 'no manifest'}): it cannot be restored or verified.`);
  return { manifest: read.manifest, bundleFolder: read.folder };
}

/** Every file of the manifest hashed again; each problem names its file. */
async function fileProblems(bundleFolder: string, manifest: BundleManifest, signal: AbortSignal, progress: (done: number, total: number) => void): Promise<string[]> {
  const files = manifest.parts.flatMap((p) => p.files);
  const problems: string[] = [];
  for (const [index, file] of files.entries()) {
    progress(index, files.length);
    try {
      const digest = await sha256File(join(bundleFolder, ...file.path.split('/')), signal);
      if (digest !== file.sha256) problems.push(`${file.path}: SHA-256 differs from the manifest (the file was changed or damaged)`);
    } catch (error) {
      if (signal.aborted) throw new AppError('cancelled', 'Cancelled while checking the files.');
      problems.push(`${file.path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? errorText(error)})`);
    }
  }
  progress(files.length, files.length);
  return problems;
}

function countProblems(store: string, expected: Record<string, number>, actual: Record<string, number>): string[] {
  const problems: string[] = [];
  for (const [name, count] of Object.entries(expected)) {
    const got = actual[name];
    if (got === undefined) problems.push(`${store} ${name}: missing after the restore (${count} in the manifest)`);
    else if (got !== count) problems.push(`${store} ${name}: ${got} restored, ${count} in the manifest`);
  }
  return problems;
}

/**
 * `backups.restore`: the manifest's files are checked first (a changed file stops the restore before
 * anything is written), then each part restores under the new name (`rename`) or over the tenant's
 * live data (`replace`, swapped in at the end so a failure leaves it as it was).
 */
export function restoreKind(openStores: OpenBackupStores): JobKind<RestoreParams, BackupStores> {
  return {
    name: 'backups.restore',
    store: 'postgres',
    params: RestoreParams,
    describe: (p) => ({
      title: p.mode === 'replace' ? `Restore bundle ${p.bundleId} over the live data` : `Restore bundle ${p.bundleId} as ${p.targetName ?? ''}`,
      tenantIds: [p.bundleId.replace(/^\d{8}T\d{6}Z-/, '').replace(/-[a-z0-9]{4,12}$/, '')],
    }),
    openStores,
    async run(params, { jobId, signal, stores, progress, log }) {
      const { manifest, bundleFolder } = await manifestOf(params.folder, params.bundleId);
      const problems = await fileProblems(bundleFolder, manifest, signal, (done, total) => progress(done, total, 'checking the SHA-256 of every file'));
      if (problems.length > 0) throw new AppError('conflict', `The bundle is damaged, nothing was restored: ${problems.join('; ')}`);
      const options = { pgFormat: 'custom' as const, jobs: 1, applicationName: applicationNameOf(jobId) };
      const parts = manifest.parts.map((part) => ({ recorded: part, part: partFor(stores, part.store, options) }));
      const targets: Record<string, string> = {};
      const counts: Record<string, Record<string, number>> = {};
      for (const [index, { recorded, part }] of parts.entries()) {
        const restored = await part.restore(
          recorded,
          manifest.tenantId,
          { mode: params.mode, ...(params.targetName ? { name: params.targetName } : {}), replaceExisting: params.replaceExisting },
          {
            signal,
            folder: join(bundleFolder, recorded.store),
            relativeFolder: recorded.store,
            progress: (done, total, phase) => progress(done, total, `${index + 1}/${parts.length} ${recorded.store}: ${phase}`),
            log: (line) => log(`${recorded.store}: ${line}`),
          },
        );
        targets[recorded.store] = restored.target;
        counts[recorded.store] = restored.counts;
        for (const problem of countProblems(recorded.store, recorded.counts, restored.counts)) log(`Note: ${problem}.`);
        log(`${recorded.store}: restored into ${restored.target}.`);
      }
      const result: JobResult = { bundleId: params.bundleId, tenantId: manifest.tenantId, mode: params.mode, targets, counts };
      return result;
    },
  };
}

/**
 * `backups.verify`: every file's SHA-256, then each part restored into scratch names, its counts
 * compared with the manifest and the scratch dropped whatever happened. The outcome is written
 * beside the manifest (`verification.json`); a problem fails the job, naming the file or the count.
 */
export function verifyKind(openStores: OpenBackupStores): JobKind<VerifyParams, BackupStores> {
  return {
    name: 'backups.verify',
    store: 'postgres',
    params: VerifyParams,
    describe: (p) => ({ title: `Verify bundle ${p.bundleId}`, tenantIds: [p.bundleId.replace(/^\d{8}T\d{6}Z-/, '').replace(/-[a-z0-9]{4,12}$/, '')] }),
    openStores,
    async run(params, { jobId, signal, stores, progress, log }) {
      const { manifest, bundleFolder } = await manifestOf(params.folder, params.bundleId);
      const problems = await fileProblems(bundleFolder, manifest, signal, (done, total) => progress(done, total, 'checking the SHA-256 of every file'));
      for (const problem of problems) log(problem);
      const options = { pgFormat: 'custom' as const, jobs: 1, applicationName: applicationNameOf(jobId) };
      if (problems.length === 0) {
        const scratch = scratchSchemaName();
        for (const [index, recorded] of manifest.parts.entries()) {
          const part = partFor(stores, recorded.store, options);
          let target: string | undefined;
          try {
            const restored = await part.restore(recorded, manifest.tenantId, { mode: 'scratch', name: scratch }, {
              signal,
              folder: join(bundleFolder, recorded.store),
              relativeFolder: recorded.store,
              progress: (done, total, phase) => progress(done, total, `${index + 1}/${manifest.parts.length} ${recorded.store}: ${phase}`),
              log: (line) => log(`${recorded.store}: ${line}`),
            });
            target = restored.target;
            problems.push(...countProblems(recorded.store, recorded.counts, restored.counts));
            log(`${recorded.store}: restored into scratch ${restored.target}; ${Object.keys(restored.counts).length} count(s) compared.`);
          } catch (error) {
            if (signal.aborted) throw error;
            problems.push(`${recorded.store}: the scratch restore failed (${errorText(error)})`);
          } finally {
            // Always dropped, even after a cancel: the signal may be aborted, so the drop runs on its own.
            await part.dropRestored(target ?? scratch, AbortSignal.timeout(60_000)).catch((error: unknown) => log(`${recorded.store}: the scratch copy ${target ?? scratch} could not be dropped: ${errorText(error)}`));
          }
        }
      }
      const verification: BundleVerification = { at: new Date().toISOString(), jobId, ok: problems.length === 0, problems };
      await writeJsonDurably(bundleFolder, VERIFICATION_FILE, verification);
      if (problems.length > 0) throw new AppError('conflict', `Bundle ${params.bundleId} failed verification: ${problems.join('; ')}`);
      progress(1, 1, 'verified');
      return { bundleId: params.bundleId, ok: true, files: manifest.parts.reduce((sum, p) => sum + p.files.length, 0) };
    },
  };
}
