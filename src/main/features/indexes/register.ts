import { AppError } from '@shared/errors';
import type { JobKind } from '../../jobs';
import { buildKind, fixDriftKind, rebuildKind, type IndexJobStores } from './jobs';
import { mongoBuildKind } from './mongo';
import type { IndexesStores } from './service';
import { ReferenceCache } from './reference-cache';

interface KindTable {
  register<P, S>(kind: JobKind<P, S>): void;
}

/** Registers the index job kinds (fix-drift, build, rebuild, mongo-build) over a workspace's stores. */
export function registerIndexJobs(jobs: KindTable, openStores: (workspaceId: string, signal: AbortSignal) => Promise<IndexesStores & { workspaceId: string }>, references = new ReferenceCache()): void {
  const postgres = async (workspaceId: string, signal: AbortSignal): Promise<IndexJobStores> => {
    const stores = await openStores(workspaceId, signal);
    if (!stores.postgres) throw new AppError('invalid_argument', `Workspace ${workspaceId} has no PostgreSQL for this job to run on.`);
    return { workspaceId, preset: stores.preset, postgres: stores.postgres };
  };
  const mongo = async (workspaceId: string, signal: AbortSignal) => {
    const stores = await openStores(workspaceId, signal);
    if (!stores.mongo) throw new AppError('invalid_argument', `Workspace ${workspaceId} has no MongoDB for this job to run on.`);
    return { preset: stores.preset, mongo: stores.mongo };
  };
  jobs.register(fixDriftKind(postgres, references));
  jobs.register(buildKind(postgres));
  jobs.register(rebuildKind(postgres));
  jobs.register(mongoBuildKind(mongo));
}
