import { z } from 'zod';
import { events, method, section } from './define';
import { WorkspaceId } from '../model/workspace';
import { Job, JobId, JobLogLine, JobProgress, JobSummary } from '../model/job';
import { DemoSleepParams, DemoTenantSweepParams } from '../model/job-demo';

/** The kinds `jobs.start` accepts, each with its own parameters. */
export const StartableJob = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('demo.sleep'), params: DemoSleepParams.default({ steps: 10, secondsPerStep: 1 }) }).strict(),
  z.object({ kind: z.literal('demo.tenant-sweep'), params: DemoTenantSweepParams.default({ secondsPerTenant: 0.5, maxTenants: 1_000 }) }).strict(),
]);
export type StartableJob = z.infer<typeof StartableJob>;

/** The jobs room: long work of a workspace, persisted, with progress, cancel and a log. */
export const jobs = section('jobs', {
  list: method({
    access: 'read',
    summary: 'The workspace’s jobs, newest first: running and queued ones and a bounded history of finished ones.',
    args: z.object({ workspaceId: WorkspaceId, limit: z.number().int().min(1).max(500).default(100) }).strict(),
    result: z.object({ jobs: z.array(JobSummary) }),
  }),
  get: method({
    access: 'read',
    summary: 'One job with its log.',
    args: z.object({ workspaceId: WorkspaceId, jobId: JobId }).strict(),
    result: Job,
  }),
  start: method({
    // Not audited as a call: each job writes one entry with its outcome.
    access: 'job-control',
    summary:
      'Queues a job of a kind the jobs room starts itself (the demo kinds); it runs when its store has a free slot. ' +
      'Progress, log lines and state changes stream as `jobs.progress`, `jobs.log` and `jobs.state`.',
    args: z.object({ workspaceId: WorkspaceId, job: StartableJob }).strict(),
    result: JobSummary,
  }),
  cancel: method({
    access: 'job-control',
    summary:
      'Cancels a job: a queued one never runs, a running one has its work stopped on the server and turns `cancelled` ' +
      'once it has stopped. A finished job is left as it is.',
    args: z.object({ workspaceId: WorkspaceId, jobId: JobId }).strict(),
    result: JobSummary,
  }),
});

export const jobEvents = events({
  /** Every change of state (queued, running, finished) and of a cancel request, with the whole summary. */
  'jobs.state': z.object({ job: JobSummary }),
  'jobs.progress': z.object({ workspaceId: WorkspaceId, jobId: JobId, progress: JobProgress }),
  'jobs.log': z.object({ workspaceId: WorkspaceId, jobId: JobId, entry: JobLogLine }),
});
