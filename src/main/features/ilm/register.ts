import { AppError } from '@shared/errors';
import type { JobKind } from '../../jobs';
import { putPolicyKind, retryKind, rolloverKind, type IlmJobStores } from './jobs';
import type { IlmStores } from './service';

interface KindTable {
  register<P, S>(kind: JobKind<P, S>): void;
}

type JobLifecycle = IlmJobStores['ilm'];

/** Registers the ILM job kinds (put-policy, retry, rollover) over a workspace's Elasticsearch. */
export function registerIlmJobs(jobs: KindTable, openStores: (workspaceId: string, signal: AbortSignal) => Promise<Omit<IlmStores, 'elastic'> & { elastic?: { ilm: JobLifecycle } }>): void {
  const elastic = async (workspaceId: string, signal: AbortSignal): Promise<IlmJobStores> => {
    const stores = await openStores(workspaceId, signal);
    if (!stores.elastic) throw new AppError('invalid_argument', `Workspace ${workspaceId} has no Elasticsearch for this job to run on.`);
    return { ilm: stores.elastic.ilm };
  };
  jobs.register(putPolicyKind(elastic));
  jobs.register(retryKind(elastic));
  jobs.register(rolloverKind(elastic));
}
