import { z } from 'zod';
import { Role } from './session';
import { StoreKind, WorkspaceId } from './workspace';

/**
 * Long work (index builds, drift fixes, partition maintenance, backups, restores, demo sweeps) runs
 * as a job: persisted in the data directory, cancellable, with progress, a log and one audit entry.
 */

/** `job_` and 20 characters of base64url: random, so ids never collide across restarts. */
export const JobId = z.string().regex(/^job_[A-Za-z0-9_-]{20}$/, 'a job id from jobs.start or jobs.list');
export type JobId = z.infer<typeof JobId>;

/** `section.name` in lower case: `demo.sleep`, `indexes.build`, `backups.tenant`. */
export const JobKindName = z.string().min(3).max(64).regex(/^[a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)+$/, 'a job kind is section.name in lower case');

/**
 * queued → running → succeeded | failed | cancelled; queued → cancelled when cancelled before its
 * turn, queued → failed when the console stopped before it ran. The last three are final.
 */
export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export const JobState = z.enum(JOB_STATES);
export type JobState = z.infer<typeof JobState>;

export const FINAL_JOB_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];

export function isFinalJobState(state: JobState): boolean {
  return FINAL_JOB_STATES.includes(state);
}

/** How far a job is: `done` of `total` units (null when the total is not known yet) in a named phase. */
export const JobProgress = z.object({
  done: z.number().int().min(0),
  total: z.number().int().min(0).nullable(),
  phase: z.string().max(200),
});
export type JobProgress = z.infer<typeof JobProgress>;

/** Why a job failed or stopped: a stable error code (or `interrupted`, for a console that died mid-job) and words. */
export const JobFailure = z.object({
  code: z.string().min(1).max(64),
  message: z.string().max(2000),
});
export type JobFailure = z.infer<typeof JobFailure>;

export const JobLogLine = z.object({
  at: z.string().datetime({ offset: true }),
  line: z.string().max(2000),
});
export type JobLogLine = z.infer<typeof JobLogLine>;

/** What a list shows: everything about a job but its log. */
export const JobSummary = z.object({
  id: JobId,
  kind: JobKindName,
  workspaceId: WorkspaceId,
  /** The store whose concurrency limit the job counts against. */
  store: StoreKind,
  /** One line for people: "Sleep 10 × 1 s on PostgreSQL". */
  title: z.string().max(300),
  /** The tenants it touches; `['*']` for all of them. */
  tenantIds: z.array(z.string().max(128)).max(1000),
  state: JobState,
  operator: z.object({ name: z.string().max(200), email: z.string().max(320).optional() }),
  role: Role,
  /** The kind's parameters as validated when it was started; never secrets. */
  params: z.record(z.string(), z.json()),
  createdAt: z.string().datetime({ offset: true }),
  startedAt: z.string().datetime({ offset: true }).optional(),
  finishedAt: z.string().datetime({ offset: true }).optional(),
  /** Set when a cancel was asked for; the state turns `cancelled` once the runner has stopped. */
  cancelRequestedAt: z.string().datetime({ offset: true }).optional(),
  progress: JobProgress,
  failure: JobFailure.optional(),
  /** What the job reports on success, in JSON: counts, names, sizes. */
  result: z.record(z.string(), z.json()).optional(),
});
export type JobSummary = z.infer<typeof JobSummary>;

/** A job with its log: the newest lines, and how many older ones were dropped to keep it bounded. */
export const Job = JobSummary.extend({
  log: z.array(JobLogLine),
  droppedLogLines: z.number().int().min(0),
});
export type Job = z.infer<typeof Job>;
