import { mkdir, readFile, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AuditJustification } from '@shared/model/audit';
import { Job, type JobSummary } from '@shared/model/job';
import { writeFileAtomic } from '../security/vault/files';

/**
 * A job as it sits on disk: the job, the console process that ran it (so the next start can tell
 * a job a crash interrupted from one another console is running), and whether its audit entry was
 * written (so a crash between finishing and auditing still leaves one entry).
 */
export const PersistedJob = Job.extend({
  version: z.literal(1),
  owner: z.object({ pid: z.number().int().min(0), bootId: z.string().min(1).max(64) }),
  audited: z.boolean(),
  /** Interrupted by a crash, and its kind has not yet looked for the server work it left behind. */
  cleanupPending: z.boolean().optional(),
  /** The reason or unlock the call that started it was allowed on, for its audit entry. */
  justification: AuditJustification.optional(),
});
export type PersistedJob = z.infer<typeof PersistedJob>;

/** What a list shows of a job: everything but its log and its bookkeeping. */
export function summaryOf(job: PersistedJob): JobSummary {
  const { log: _log, droppedLogLines: _dropped, version: _version, owner: _owner, audited: _audited, cleanupPending: _cleanup, justification: _why, ...summary } = job;
  return structuredClone(summary);
}

/** A job as `jobs.get` answers: with its log, without its bookkeeping. */
export function jobOf(job: PersistedJob): Job {
  const { version: _version, owner: _owner, audited: _audited, cleanupPending: _cleanup, justification: _why, ...rest } = job;
  return structuredClone(rest);
}

const FILE_NAME = /^(job_[A-Za-z0-9_-]{20})\.json$/;
// writeFileAtomic's temporary files (`.<name>.<hex>.tmp`), and the bare form earlier consoles wrote.
const TEMPORARY = /^\.?job_[A-Za-z0-9_-]{20}\.json\.[0-9a-f]{12}\.tmp$/;

export interface ReadJobs {
  jobs: PersistedJob[];
  /** Files that are not jobs (damaged, or from a newer console), left in place and named for the log. */
  unreadable: string[];
}

/**
 * One JSON file per job in `<dataDir>/jobs`, each replaced atomically (temp file, fsync, rename,
 * directory fsync): a crash leaves the previous version or the new one, never half a file. Writes of
 * one job run one after another, so an older snapshot never lands after a newer one.
 */
export class JobFiles {
  readonly #directory: string;
  readonly #chains = new Map<string, Promise<void>>();
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(directory: string) {
    this.#directory = directory;
  }

  get directory(): string {
    return this.#directory;
  }

  async readAll(): Promise<ReadJobs> {
    await mkdir(this.#directory, { recursive: true, mode: 0o700 });
    const jobs: PersistedJob[] = [];
    const unreadable: string[] = [];
    for (const name of await readdir(this.#directory)) {
      // A temporary file is a write a crash cut short; the job's previous version is still in place.
      if (TEMPORARY.test(name)) await unlink(join(this.#directory, name)).catch(() => undefined);
      if (!FILE_NAME.test(name)) continue;
      const file = join(this.#directory, name);
      try {
        const parsed = PersistedJob.safeParse(JSON.parse(await readFile(file, 'utf8')));
        if (parsed.success && `${parsed.data.id}.json` === name) jobs.push(parsed.data);
        else unreadable.push(file);
      } catch {
        unreadable.push(file);
      }
    }
    return { jobs, unreadable };
  }

  /**
   * Writes the job within `delayMs`, as it stands then: progress and log lines come many a second,
   * and one write covers them all.
   */
  saveSoon(job: PersistedJob, delayMs: number, onError: (error: unknown) => void): void {
    if (this.#timers.has(job.id)) return;
    const timer = setTimeout(() => {
      this.#timers.delete(job.id);
      this.save(job).catch(onError);
    }, delayMs);
    timer.unref?.();
    this.#timers.set(job.id, timer);
  }

  /** Queues a write of this snapshot after the job's earlier writes; resolves once it is on disk. */
  save(job: PersistedJob): Promise<void> {
    const timer = this.#timers.get(job.id);
    if (timer) clearTimeout(timer);
    this.#timers.delete(job.id);
    const text = `${JSON.stringify(job, null, 1)}\n`;
    return this.#chain(job.id, () => writeFileAtomic(join(this.#directory, `${job.id}.json`), text));
  }

  remove(jobId: string): Promise<void> {
    return this.#chain(jobId, async () => {
      await unlink(join(this.#directory, `${jobId}.json`)).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      });
    });
  }

  /** Stops waiting writes and waits for every write queued so far. */
  async flush(): Promise<void> {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    await Promise.allSettled([...this.#chains.values()]);
  }

  #chain(jobId: string, write: () => Promise<void>): Promise<void> {
    const previous = this.#chains.get(jobId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(write);
    this.#chains.set(jobId, next);
    const forget = (): void => {
      if (this.#chains.get(jobId) === next) this.#chains.delete(jobId);
    };
    next.then(forget, forget);
    return next;
  }
}
