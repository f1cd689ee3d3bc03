import { access, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@shared/errors';
import type { JobSummary } from '@shared/model/job';
import type { Session } from '@shared/model/session';
import { STORE_LABELS, type StoreKind } from '@shared/model/workspace';
import { scopeFor } from '@shared/tenancy';
import type { SectionService } from '../../services/section';
import { newBundleId } from './bundle-files';
import { checkWritable, LEGAL_HOLD_FILE, listBundles, planRetention, readBundle, setLegalHold, type BackupFolders } from './catalog';
import type { OpenBackupStores, Operator } from './stores';

export interface BackupsServiceDeps {
  folders: BackupFolders;
  openStores: OpenBackupStores;
  /** Hands a job to the jobs room, started by the caller's session (with its prod unlock, where one is live). */
  startJob(request: { workspaceId: string; kind: string; params: unknown; session: Pick<Session, 'operator' | 'role'> }): Promise<JobSummary>;
}

const operatorOf = (session: Pick<Session, 'operator' | 'role'>): Operator => ({
  id: session.operator.email ?? session.operator.name,
  name: session.operator.name,
  role: session.role,
});

/**
 * The backups section. Long work (bundles, restores, verifies, whole-database dumps) goes to the
 * jobs room, which audits each job once with its outcome; the catalog, legal hold and retention
 * work on the bundle folders directly. Access was checked by the router.
 */
export function createBackupsService(deps: BackupsServiceDeps): SectionService<'backups'> {
  const { folders } = deps;

  async function existingBundle(workspaceId: string, bundleId: string): Promise<Awaited<ReturnType<typeof readBundle>>> {
    const folder = await folders.workspaceFolder(workspaceId);
    try {
      await access(join(folder, bundleId));
    } catch {
      throw new AppError('not_found', `There is no bundle ${bundleId} in ${folder}.`);
    }
    return readBundle(folder, bundleId);
  }

  return {
    async catalog(args) {
      const folder = await folders.workspaceFolder(args.workspaceId, args.folder);
      return { folder, bundles: (await listBundles(folder)).map((b) => b.entry) };
    },

    async bundle(args) {
      const read = await existingBundle(args.workspaceId, args.bundleId);
      return { entry: read.entry, manifest: read.manifest };
    },

    async backupTenant(args, { signal, session }) {
      const stores = await deps.openStores(args.workspaceId, signal);
      // The preset's own tenant id pattern, before anything is queued.
      scopeFor(stores.preset, args.tenantId);
      const available = Object.keys(stores.parts) as StoreKind[];
      for (const store of args.stores ?? []) {
        if (!available.includes(store)) throw new AppError('invalid_argument', `This workspace has no ${STORE_LABELS[store]} to back up (it has ${available.join(', ') || 'none'}).`);
      }
      const folder = await folders.workspaceFolder(args.workspaceId);
      await checkWritable(folder);
      return deps.startJob({
        workspaceId: args.workspaceId,
        kind: 'backups.tenant-bundle',
        session,
        params: {
          bundleId: newBundleId(args.tenantId),
          tenantId: args.tenantId,
          folder,
          ...(args.stores ? { stores: [...new Set(args.stores)] } : {}),
          pgFormat: args.pgFormat,
          jobs: args.jobs,
          ...(args.justification ? { justification: args.justification } : {}),
          operator: operatorOf(session),
        },
      });
    },

    async restore(args, { session }) {
      const read = await existingBundle(args.workspaceId, args.bundleId);
      if (!read.manifest) throw new AppError('conflict', `Bundle ${args.bundleId} is incomplete (${read.entry.problem ?? 'no manifest'}): it cannot be restored.`);
      if (args.mode === 'replace' && args.confirm !== read.manifest.tenantId) {
        throw new AppError('invalid_argument', `Type the tenant id ${read.manifest.tenantId} exactly to confirm a restore over its live data.`);
      }
      return deps.startJob({
        workspaceId: args.workspaceId,
        kind: 'backups.restore',
        session,
        params: {
          bundleId: args.bundleId,
          folder: await folders.workspaceFolder(args.workspaceId),
          mode: args.mode,
          ...(args.mode === 'rename' && args.targetName ? { targetName: args.targetName } : {}),
          replaceExisting: args.replaceExisting,
        },
      });
    },

    async verify(args, { session }) {
      const read = await existingBundle(args.workspaceId, args.bundleId);
      if (!read.manifest) throw new AppError('conflict', `Bundle ${args.bundleId} is incomplete (${read.entry.problem ?? 'no manifest'}): there is nothing to verify.`);
      return deps.startJob({
        workspaceId: args.workspaceId,
        kind: 'backups.verify',
        session,
        params: { bundleId: args.bundleId, folder: await folders.workspaceFolder(args.workspaceId) },
      });
    },

    async setLegalHold(args, { session }) {
      const read = await existingBundle(args.workspaceId, args.bundleId);
      const folder = await folders.workspaceFolder(args.workspaceId);
      await setLegalHold(folder, args.bundleId, args.hold ? { reason: args.reason, at: new Date().toISOString(), operator: session.operator.name } : null);
      return (await readBundle(folder, read.entry.bundleId)).entry;
    },

    async retention(args) {
      const folder = await folders.workspaceFolder(args.workspaceId);
      const bundles = (await listBundles(folder)).map((b) => b.entry);
      const plan = planRetention(bundles, args.keepDaily, args.keepWeekly);
      const sizes = new Map(bundles.map((b) => [b.bundleId, b.sizeBytes]));
      if (args.dryRun) return { dryRun: true, kept: plan.kept, deleted: plan.deleted, freedBytes: plan.deleted.reduce((sum, d) => sum + (sizes.get(d.bundleId) ?? 0), 0) };
      const deleted: typeof plan.deleted = [];
      const kept = [...plan.kept];
      for (const decision of plan.deleted) {
        // A hold put on after the listing still wins: the sidecar is looked at again just before the delete.
        const held = await access(join(folder, decision.bundleId, LEGAL_HOLD_FILE)).then(() => true, () => false);
        if (held) {
          kept.push({ ...decision, reason: 'held' });
          continue;
        }
        await rm(join(folder, decision.bundleId), { recursive: true, force: true });
        deleted.push(decision);
      }
      return { dryRun: false, kept, deleted, freedBytes: deleted.reduce((sum, d) => sum + (sizes.get(d.bundleId) ?? 0), 0) };
    },

    backupFolder: (args) => folders.setting(args.workspaceId),

    setBackupFolder: (args) => folders.choose(args.workspaceId, args.folder),

    async dumpDatabase(args, { signal, session }) {
      const stores = await deps.openStores(args.workspaceId, signal);
      if (!stores.postgres) throw new AppError('invalid_argument', 'This workspace has no PostgreSQL to dump.');
      const folder = await folders.workspaceFolder(args.workspaceId);
      await checkWritable(folder);
      return deps.startJob({
        workspaceId: args.workspaceId,
        kind: 'backups.database-dump',
        session,
        params: {
          folder,
          format: args.format,
          jobs: args.jobs,
          ...(args.justification ? { justification: args.justification } : {}),
          operator: operatorOf(session),
        },
      });
    },
  };
}
