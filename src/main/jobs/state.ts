import { AppError } from '@shared/errors';
import type { JobState } from '@shared/model/job';

/** The moves a job may make; the final states have none. */
const NEXT: Readonly<Record<JobState, readonly JobState[]>> = {
  // A queued job fails only when the console stopped before its turn came.
  queued: ['running', 'cancelled', 'failed'],
  running: ['succeeded', 'failed', 'cancelled'],
  succeeded: [],
  failed: [],
  cancelled: [],
};

export function canMove(from: JobState, to: JobState): boolean {
  return NEXT[from].includes(to);
}

/** Refuses a move the state machine does not have, so no bug can turn a finished job back into a running one. */
export function assertMove(jobId: string, from: JobState, to: JobState): void {
  if (!canMove(from, to)) throw new AppError('conflict', `Job ${jobId} is ${from} and cannot become ${to}.`);
}
