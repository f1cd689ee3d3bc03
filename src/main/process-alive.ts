/**
 * Whether a process with this pid exists. EPERM means it exists but belongs to another user, which
 * still counts: a lock or a job owned by someone else's live process is not free to take over.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
