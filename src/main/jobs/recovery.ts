import { processAlive } from '../process-alive';

export interface JobOwner {
  pid: number;
  /** Random per console start: the same pid after a restart is another console. */
  bootId: string;
}

/**
 * A job whose console is gone: started by an earlier run of this console, or by a process that no
 * longer exists. A job of another console still running on the same data directory is left alone.
 */
export function isOrphaned(owner: JobOwner, self: JobOwner, alive: (pid: number) => boolean = processAlive): boolean {
  if (owner.bootId === self.bootId) return false;
  return owner.pid === self.pid || !alive(owner.pid);
}
