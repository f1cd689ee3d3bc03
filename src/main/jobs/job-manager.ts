import { randomBytes } from 'node:crypto';
import { AppError } from '@shared/errors';
import type { EventPayload } from '@shared/contract';
import { isFinalJobState, type Job, type JobFailure, type JobState, type JobSummary } from '@shared/model/job';
import type { Session } from '@shared/model/session';
import { auditDraftOf } from './job-audit';
import { JobFiles, jobOf, summaryOf, type PersistedJob } from './job-files';
import { eraseKind, type JobContext, type JobKind, type JobResult, type RegisteredKind } from './kind';
import { JOB_DEFAULTS, type JobEventName, type JobManagerOptions, type StartRequest } from './manager-options';
import { ProgressPacer } from './progress-pacer';
import { failureOf, interruptedFailure } from './failures';
import { isOrphaned } from './recovery';
import { assertMove } from './state';
import { StoreSlots, type ReleaseSlot } from './store-slots';

interface Active {
  controller: AbortController;
  settled: Promise<void>;
}

const nowIso = (): string => new Date().toISOString();

const wholeCount = (value: number): number => (Number.isFinite(value) ? Math.max(0, Math.floor(value)) : 0);

/**
 * The jobs room. Queues jobs per store under a concurrency limit, runs them with a signal, streams
 * their progress, log and state, keeps every job in the data directory, and writes one audit entry
 * per job with its outcome. On open it marks the jobs a crash interrupted as failed, with the reason.
 */
export class JobManager {
  readonly #options: JobManagerOptions;
  readonly #files: JobFiles;
  readonly #slots: StoreSlots;
  readonly #kinds = new Map<string, RegisteredKind>();
  readonly #jobs = new Map<string, PersistedJob>();
  readonly #active = new Map<string, Active>();
  readonly #cleanups = new Set<Promise<void>>();
  readonly #pacer: ProgressPacer;
  /** Aborted on close: a cleanup after an interruption does not hold the console open. */
  readonly #closed = new AbortController();
  readonly #owner = { pid: process.pid, bootId: randomBytes(9).toString('base64url') };
  #closing = false;

  private constructor(options: JobManagerOptions, files: JobFiles) {
    this.#options = options;
    this.#files = files;
    this.#slots = new StoreSlots(options.limits);
    this.#pacer = new ProgressPacer(options.progressIntervalMs ?? JOB_DEFAULTS.progressIntervalMs);
  }

  /** Reads the persisted jobs, fails the ones a crash interrupted, audits what was not yet audited, trims history. */
  static async open(options: JobManagerOptions): Promise<JobManager> {
    const manager = new JobManager(options, new JobFiles(options.directory));
    await manager.#recover();
    return manager;
  }

  /** The per-store limit, shared with fan-out work that runs one step per tenant. */
  get slots(): StoreSlots {
    return this.#slots;
  }

  register<P, S>(kind: JobKind<P, S>): void {
    if (this.#kinds.has(kind.name)) throw new AppError('conflict', `Job kind ${kind.name} is registered twice.`);
    this.#kinds.set(kind.name, eraseKind(kind));
    for (const job of this.#jobs.values()) {
      if (job.kind !== kind.name || !job.cleanupPending) continue;
      const cleanup = this.#cleanUp(job);
      this.#cleanups.add(cleanup);
      void cleanup.finally(() => this.#cleanups.delete(cleanup));
    }
  }

  async start(request: StartRequest): Promise<JobSummary> {
    if (this.#closing) throw new AppError('unreachable', 'The console is closing and starts no more jobs.');
    const kind = this.#kinds.get(request.kind);
    if (!kind) throw new AppError('invalid_argument', `There is no job kind ${JSON.stringify(request.kind.slice(0, 64))}.`);
    const parsed = kind.parse(request.params);
    const { title, tenantIds = [] } = kind.describe(parsed);
    // A workspace without the kind's store is refused now, not after the job waited its turn.
    await kind.openStores(request.workspaceId, new AbortController().signal);
    const job: PersistedJob = {
      version: 1,
      id: `job_${randomBytes(15).toString('base64url')}`,
      kind: request.kind,
      workspaceId: request.workspaceId,
      store: kind.store,
      title: title.slice(0, 300),
      tenantIds,
      state: 'queued',
      operator: { name: request.session.operator.name, ...(request.session.operator.email ? { email: request.session.operator.email } : {}) },
      role: request.session.role,
      params: JSON.parse(JSON.stringify(parsed ?? {})) as PersistedJob['params'],
      createdAt: nowIso(),
      progress: { done: 0, total: null, phase: 'queued' },
      log: [],
      droppedLogLines: 0,
      owner: this.#owner,
      audited: false,
      ...(request.justification ? { justification: { ...request.justification } } : {}),
    };
    const { busy, waiting } = this.#slots.usage({ workspaceId: job.workspaceId, store: job.store });
    this.#appendLog(job, `Queued by ${job.operator.name} (${job.role}).`);
    if (busy >= this.#slots.limitOf(job.store)) {
      this.#appendLog(job, `Waits its turn: ${busy} running and ${waiting} waiting on this ${job.store} store (limit ${this.#slots.limitOf(job.store)}).`);
    }
    this.#jobs.set(job.id, job);
    await this.#saveNow(job);
    this.#emitState(job);
    const controller = new AbortController();
    const settled = this.#run(job, kind, parsed, controller);
    this.#active.set(job.id, { controller, settled });
    return summaryOf(job);
  }

  /**
   * Asks a job to stop. A queued job is cancelled at once; a running one has its signal aborted and
   * becomes `cancelled` when its runner has stopped. A finished job is returned as it is.
   */
  async cancel(workspaceId: string, jobId: string, session: Pick<Session, 'operator'>): Promise<JobSummary> {
    const job = this.#find(workspaceId, jobId);
    if (isFinalJobState(job.state)) return summaryOf(job);
    const active = this.#active.get(job.id);
    if (!job.cancelRequestedAt) {
      job.cancelRequestedAt = nowIso();
      this.#appendLog(job, `Cancel asked for by ${session.operator.name}.`);
      await this.#saveNow(job);
      this.#emitState(job);
    }
    const wasQueued = job.state === 'queued';
    active?.controller.abort();
    if (wasQueued) await active?.settled;
    return summaryOf(job);
  }

  list(workspaceId: string, limit = 100): JobSummary[] {
    return [...this.#jobs.values()]
      .filter((job) => job.workspaceId === workspaceId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, limit)
      .map(summaryOf);
  }

  get(workspaceId: string, jobId: string): Job {
    return jobOf(this.#find(workspaceId, jobId));
  }

  /** Resolves once a job has finished, been audited and written: for tests and for callers that wait. */
  async settled(jobId: string): Promise<void> {
    await this.#active.get(jobId)?.settled;
  }

  /**
   * Stops every job (their runners see the signal; their state becomes failed, `interrupted`, since
   * nobody cancelled them) and waits for their files and audit entries.
   */
  /** Resolves once the cleanups after interruptions started so far have run. */
  async cleanedUp(): Promise<void> {
    await Promise.allSettled([...this.#cleanups]);
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.#closed.abort();
    await this.cleanedUp();
    const active = [...this.#active.values()];
    for (const { controller } of active) controller.abort();
    await Promise.allSettled(active.map(({ settled }) => settled));
    await this.#files.flush();
  }

  #find(workspaceId: string, jobId: string): PersistedJob {
    const job = this.#jobs.get(jobId);
    if (!job || job.workspaceId !== workspaceId) throw new AppError('not_found', `Workspace ${workspaceId} has no job ${jobId}.`);
    return job;
  }

  async #run(job: PersistedJob, kind: RegisteredKind, params: unknown, controller: AbortController): Promise<void> {
    const { signal } = controller;
    let release: ReleaseSlot | undefined;
    try {
      try {
        release = await this.#slots.acquire({ workspaceId: job.workspaceId, store: job.store }, signal);
      } catch {
        await this.#finish(job, this.#stopState(job));
        return;
      }
      try {
        await this.#begin(job);
        const stores = await kind.openStores(job.workspaceId, signal);
        // Stopped while it was being started: the runner never sees a signal that has already fired.
        if (signal.aborted) throw new AppError('cancelled', 'Stopped before it began.');
        const result = await kind.run(params, this.#contextFor(job, signal, stores));
        if (signal.aborted) this.#appendLog(job, 'The work had finished when the cancel arrived.');
        await this.#finish(job, { state: 'succeeded', ...(result ? { result } : {}) });
      } catch (error) {
        const stopped = signal.aborted ? this.#stopState(job) : undefined;
        if (!stopped) this.#reportUnexpected(job, error);
        await this.#finish(job, stopped ?? { state: 'failed', failure: failureOf(error) });
      }
    } finally {
      release?.();
      this.#active.delete(job.id);
    }
  }

  /** What a job whose signal fired becomes: cancelled when someone asked, interrupted when the console closed. */
  #stopState(job: PersistedJob): { state: JobState; failure: JobFailure } {
    if (job.cancelRequestedAt) return { state: 'cancelled', failure: { code: 'cancelled', message: 'Cancelled on request.' } };
    return { state: 'failed', failure: interruptedFailure(job.state, 'closed') };
  }

  #contextFor(job: PersistedJob, signal: AbortSignal, stores: unknown): JobContext<unknown> {
    return {
      jobId: job.id,
      signal,
      stores,
      progress: (done, total, phase) => {
        if (job.state !== 'running') return;
        job.progress = { done: wholeCount(done), total: total === null ? null : wholeCount(total), phase: String(phase).slice(0, 200) };
        this.#pacer.offer(job.id, () => {
          if (job.state === 'running') this.#emit('jobs.progress', { workspaceId: job.workspaceId, jobId: job.id, progress: { ...job.progress } });
        });
        this.#saveSoon(job);
      },
      log: (line) => {
        if (job.state !== 'running') return;
        this.#appendLog(job, line);
        this.#saveSoon(job);
      },
    };
  }

  /** Moves a job to its next state and writes it; announcing it is the caller's part. */
  async #move(job: PersistedJob, to: JobState, change: () => void): Promise<void> {
    assertMove(job.id, job.state, to);
    job.state = to;
    if (to !== 'running') this.#pacer.forget(job.id);
    change();
    const why = job.failure && job.failure.code !== to ? ` (${job.failure.code}: ${job.failure.message})` : '';
    this.#appendLog(job, to === 'running' ? 'Started.' : `Finished: ${to}${why}.`);
    await this.#saveNow(job).catch((error: unknown) => this.#options.onError?.(`Job ${job.id} could not be saved: ${String(error)}`));
  }

  async #begin(job: PersistedJob): Promise<void> {
    await this.#move(job, 'running', () => {
      job.startedAt = nowIso();
      job.progress = { done: 0, total: null, phase: 'starting' };
    });
    this.#emitState(job);
  }

  /**
   * Final state written (not yet audited, so a crash here still gets its entry on the next start),
   * then the one audit entry, then the announcement: whoever sees a job finished finds its entry.
   */
  async #finish(job: PersistedJob, outcome: { state: JobState; failure?: JobFailure; result?: JobResult }): Promise<void> {
    await this.#move(job, outcome.state, () => {
      job.finishedAt = nowIso();
      if (outcome.failure) job.failure = outcome.failure;
      if (outcome.result) job.result = outcome.result;
    });
    await this.#audit(job);
    this.#emitState(job);
    await this.#trimHistory(job.workspaceId);
  }

  async #audit(job: PersistedJob): Promise<void> {
    try {
      await this.#options.record(job.workspaceId, auditDraftOf(job));
    } catch (error) {
      // Left unaudited on disk: the next start writes the entry.
      this.#options.onError?.(`The audit entry of job ${job.id} waits for the next start: ${String(error)}`);
      return;
    }
    job.audited = true;
    await this.#saveNow(job).catch((error: unknown) => this.#options.onError?.(`Job ${job.id} could not be saved: ${String(error)}`));
  }

  async #trimHistory(workspaceId: string): Promise<void> {
    const limit = this.#options.historyLimit ?? JOB_DEFAULTS.historyLimit;
    const finished = [...this.#jobs.values()]
      .filter((job) => job.workspaceId === workspaceId && isFinalJobState(job.state) && job.audited)
      .sort((a, b) => (b.finishedAt ?? b.createdAt).localeCompare(a.finishedAt ?? a.createdAt));
    for (const old of finished.slice(limit)) {
      this.#jobs.delete(old.id);
      await this.#files.remove(old.id).catch((error: unknown) => this.#options.onError?.(`Job file ${old.id} could not be removed: ${String(error)}`));
    }
  }

  async #recover(): Promise<void> {
    const { jobs, unreadable } = await this.#files.readAll();
    for (const file of unreadable) this.#options.onError?.(`${file} is not a job this console can read; it was left in place.`);
    for (const job of jobs) this.#jobs.set(job.id, job);
    for (const job of jobs) {
      if (isFinalJobState(job.state) || !isOrphaned(job.owner, this.#owner)) continue;
      const failure = interruptedFailure(job.state, 'crashed');
      // A job that never left the queue left nothing behind on a server.
      if (job.state === 'running') job.cleanupPending = true;
      job.state = 'failed';
      job.failure = failure;
      job.finishedAt = nowIso();
      job.audited = false;
      this.#appendLog(job, `Marked failed when the console started again: ${failure.message}`);
      await this.#saveNow(job);
    }
    for (const job of jobs) if (isFinalJobState(job.state) && !job.audited) await this.#audit(job);
    for (const workspaceId of new Set(jobs.map((job) => job.workspaceId))) await this.#trimHistory(workspaceId);
  }

  /**
   * Lets the kind of a job a crash interrupted stop what the dead console left running, once. A
   * cleanup that fails is logged and tried again on the next start.
   */
  async #cleanUp(job: PersistedJob): Promise<void> {
    const kind = this.#kinds.get(job.kind);
    const signal = this.#closed.signal;
    try {
      if (kind?.afterInterruption) {
        const stores = await kind.openStores(job.workspaceId, signal);
        const params = kind.parse(job.params);
        await kind.afterInterruption(params, {
          jobId: job.id,
          signal,
          stores,
          log: (line) => this.#appendLog(job, `After the interruption: ${line}`),
        });
      }
      job.cleanupPending = false;
    } catch (error) {
      this.#appendLog(job, `After the interruption: the cleanup could not run (${failureOf(error).message}); it is tried again on the next start.`);
    }
    await this.#saveNow(job).catch((error: unknown) => this.#options.onError?.(`Job ${job.id} could not be saved: ${String(error)}`));
  }

  #appendLog(job: PersistedJob, line: string): void {
    const entry = { at: nowIso(), line: String(line).slice(0, 2000) };
    job.log.push(entry);
    const excess = job.log.length - (this.#options.logLimit ?? JOB_DEFAULTS.logLimit);
    if (excess > 0) {
      job.log.splice(0, excess);
      job.droppedLogLines += excess;
    }
    this.#emit('jobs.log', { workspaceId: job.workspaceId, jobId: job.id, entry });
  }

  #reportUnexpected(job: PersistedJob, error: unknown): void {
    if (AppError.is(error)) return;
    this.#options.onError?.(`Job ${job.id} (${job.kind}) failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }

  /** Progress and log lines reach the disk within `flushMs`; state changes are written before they are announced. */
  #saveSoon(job: PersistedJob): void {
    this.#files.saveSoon(job, this.#options.flushMs ?? JOB_DEFAULTS.flushMs, (error) => this.#options.onError?.(`Job ${job.id} could not be saved: ${String(error)}`));
  }

  #saveNow(job: PersistedJob): Promise<void> {
    return this.#files.save(job);
  }

  #emitState(job: PersistedJob): void {
    this.#emit('jobs.state', { job: summaryOf(job) });
  }

  #emit<E extends JobEventName>(name: E, payload: EventPayload<E>): void {
    try {
      this.#options.emit?.(name, payload);
    } catch (error) {
      this.#options.onError?.(`A ${name} event could not be sent: ${String(error)}`);
    }
  }
}
