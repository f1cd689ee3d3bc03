import { AppError } from '@shared/errors';
import type { JobFailure, JobState } from '@shared/model/job';

/** An error as a job records it: stable codes pass through; anything else is `internal` without driver text. */
export function failureOf(error: unknown): JobFailure {
  if (AppError.is(error)) return { code: error.code, message: error.message.slice(0, 2000) };
  return { code: 'internal', message: 'The job failed unexpectedly; the console log has the details.' };
}

/**
 * Why an unfinished job was marked failed. `crashed`: found on start-up, its console having died
 * (crash, kill, power cut). `closed`: the console was shut down while the job waited or ran.
 */
export function interruptedFailure(state: JobState, how: 'crashed' | 'closed'): JobFailure {
  const stopped = how === 'crashed' ? 'The console stopped (it crashed or was killed)' : 'The console was closed';
  const message =
    state === 'queued'
      ? `${stopped} before this job's turn came; it never ran.`
      : `${stopped} while this job was running, so it did not finish. Check what it had done before running it again.`;
  return { code: 'interrupted', message };
}
