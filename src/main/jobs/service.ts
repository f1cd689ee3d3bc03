import type { Contract, MethodParsedArgs, MethodResult } from '@shared/contract';
import type { Session } from '@shared/model/session';
import type { JobManager } from './job-manager';

type JobsMethod = keyof Contract['jobs'] & string;

/** The `jobs` section of the contract, over the job manager. Access was checked by the router. */
export type JobsService = {
  [M in JobsMethod]: (args: MethodParsedArgs<`jobs.${M}`>, context: { session: Session; signal: AbortSignal }) => Promise<MethodResult<`jobs.${M}`>>;
};

export function createJobsService(manager: JobManager): JobsService {
  return {
    list: async ({ workspaceId, limit }) => ({ jobs: manager.list(workspaceId, limit) }),
    get: async ({ workspaceId, jobId }) => manager.get(workspaceId, jobId),
    start: async ({ workspaceId, job }, { session }) => manager.start({ workspaceId, kind: job.kind, params: job.params, session }),
    cancel: async ({ workspaceId, jobId }, { session }) => manager.cancel(workspaceId, jobId, session),
  };
}
