import type { JobFailure, JobState } from '@shared/model/job';

export interface JobOwner {
  pid: number;
  /** Random per console start: the same pid after a restart is another console. */
  bootId: string;
}

/** Whether a process with this pid exists (EPERM: it exists, but belongs to someone else). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A job whose console is gone: started by an earlier run of this console, or by a process that no
 * longer exists. A job of another console still running on the same data directory is left alone.
 */
export function isOrphaned(owner: JobOwner, self: JobOwner, alive: (pid: number) => boolean = processAlive): boolean {
  if (owner.bootId === self.bootId) return false;
  return owner.pid === self.pid || !alive(owner.pid);
}

/**
 * Why an unfinished job was marked failed. `crashed`: found on start-up, its console having died
 * (crash, kill, power cut). `closed`: the console was shut down while the job waited or ran.
 */
export function interruptedFailure(state: JobState, how: 'crashed' | 'closed'): JobFailure {
  const stopped =
    how === 'crashed' ? 'The console stopped (it crashed or was killed)' : 'The console was closed';
  const message =
    state === 'queued'
      ? `${stopped} before this job's turn came; it never ran.`
      : `${stopped} while this job was running, so it did not finish. Check what it had done before running it again.`;
  return { code: 'interrupted', message };
}
