import type { EventPayload } from '@shared/contract';
import type { JobLogLine, JobSummary } from '@shared/model/job';

/** The jobs a panel shows, by id; the newest first when listed. */
export type JobsById = ReadonlyMap<string, JobSummary>;

export function jobsFromList(list: readonly JobSummary[], seen: JobsById): JobsById {
  const next = new Map(seen);
  // What an event already told is newer than a list answer that was on its way meanwhile.
  for (const job of list) if (!next.has(job.id)) next.set(job.id, job);
  return next;
}

export function withState(jobs: JobsById, job: JobSummary): JobsById {
  return new Map(jobs).set(job.id, job);
}

export function withProgress(jobs: JobsById, event: EventPayload<'jobs.progress'>): JobsById {
  const job = jobs.get(event.jobId);
  if (!job || job.state !== 'running') return jobs;
  return new Map(jobs).set(job.id, { ...job, progress: event.progress });
}

export function newestFirst(jobs: JobsById): JobSummary[] {
  return [...jobs.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** A log as the detail shows it: lines in order, each once, whether it came by `jobs.get` or by event. */
export function withLogLine(log: readonly JobLogLine[], entry: JobLogLine): JobLogLine[] {
  const last = log.at(-1);
  if (last && last.at === entry.at && last.line === entry.line) return [...log];
  return [...log, entry];
}

export function isActive(job: JobSummary): boolean {
  return job.state === 'queued' || job.state === 'running';
}

/** `0.42` of the way, or null when the total is not known yet. */
export function fractionDone(job: JobSummary): number | null {
  if (job.state === 'succeeded') return 1;
  const { done, total } = job.progress;
  if (total === null || total === 0) return null;
  return Math.min(1, done / total);
}
