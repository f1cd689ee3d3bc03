import { hostname } from 'node:os';
import { open, readFile, unlink } from 'node:fs/promises';
import { AppError } from '@shared/errors';
import { processAlive } from '../../process-alive';

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

/**
 * Takes the journal's single-writer lock (`<journal>.lock`): two writers would fork the chain. A
 * lock left by a process that died (a crash) is taken over; one held by a live process is `locked`.
 */
export async function lockJournal(file: string): Promise<() => Promise<void>> {
  const lockFile = `${file}.lock`;
  const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(lockFile, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify(owner));
        await handle.sync();
      } finally {
        await handle.close();
      }
      return async () => {
        await unlink(lockFile).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder: LockOwner | undefined;
    try {
      holder = JSON.parse(await readFile(lockFile, 'utf8')) as LockOwner;
    } catch {
      holder = undefined; // written by a process that died before finishing it
    }
    if (holder && (holder.host !== owner.host || processAlive(holder.pid))) {
      throw new AppError(
        'locked',
        `The audit journal ${file} is open in another Tenantscope process (pid ${holder.pid} on ${holder.host}, since ${holder.since}); close that one first.`,
      );
    }
    await unlink(lockFile).catch(() => undefined);
  }
  throw new AppError('locked', `The audit journal ${file} could not be locked; another process keeps taking it.`);
}
