import type { z } from 'zod';
import type { StoreKind } from '@shared/model/workspace';

/** JSON a job may report on success: counts, names, sizes. */
export type JobResultValue = z.core.util.JSONType;
export type JobResult = Record<string, JobResultValue>;

/** What a runner gets besides its parameters. */
export interface JobContext<S> {
  /** The job's id: a runner tags its server work with it, so work a crash orphaned can be found later. */
  jobId: string;
  /** Aborted when the job is cancelled or the console closes: pass it to every store call. */
  signal: AbortSignal;
  /** The stores the kind asked for, opened for the job's workspace. */
  stores: S;
  /** `done` of `total` units (null while the total is unknown) in a phase people can read. */
  progress(done: number, total: number | null, phase: string): void;
  /** One line of the job's log; long lines are cut, old lines dropped past the job's bound. */
  log(line: string): void;
}

/**
 * A kind of long work. It declares the store whose concurrency limit it counts against and how to
 * open the stores it needs; the jobs room queues it, runs it, persists it, and audits its outcome.
 * Index builds, drift fixes, partition maintenance, backups and restores are each one of these.
 */
export interface JobKind<P, S> {
  /** `section.name`: `demo.sleep`, `indexes.build`. */
  name: string;
  store: StoreKind;
  /** Validates parameters handed to `start`; the parsed value is what the runner and the audit entry see. */
  params: z.ZodType<P>;
  /** A title for people and the tenants the job touches (`['*']` for all), for the list and the audit entry. */
  describe(params: P): { title: string; tenantIds?: string[] };
  /**
   * The stores the runner needs in this workspace. Called when a job is started (so a workspace
   * without the store is refused at once) and again when it runs (stores may have been rebuilt meanwhile).
   */
  openStores(workspaceId: string, signal: AbortSignal): Promise<S>;
  run(params: P, context: JobContext<S>): Promise<JobResult | void>;
  /**
   * Runs once on the next start for a job a crash interrupted: stops server work the dead console
   * left behind (a statement still running, a lock still held) and says in the job's log what it
   * found. The job stays failed whatever this finds.
   */
  afterInterruption?(params: P, context: Omit<JobContext<S>, 'progress'>): Promise<void>;
}

/** A kind with its types erased, so kinds of any parameters and stores share one table. */
export interface RegisteredKind {
  name: string;
  store: StoreKind;
  parse(params: unknown): unknown;
  describe(params: unknown): { title: string; tenantIds?: string[] };
  openStores(workspaceId: string, signal: AbortSignal): Promise<unknown>;
  run(params: unknown, context: JobContext<unknown>): Promise<JobResult | void>;
  afterInterruption?(params: unknown, context: Omit<JobContext<unknown>, 'progress'>): Promise<void>;
}

/** The parameters a kind sees are the ones its own schema parsed, so the casts below hold. */
export function eraseKind<P, S>(kind: JobKind<P, S>): RegisteredKind {
  const after = kind.afterInterruption?.bind(kind);
  return {
    name: kind.name,
    store: kind.store,
    parse: (params) => kind.params.parse(params),
    describe: (params) => kind.describe(params as P),
    openStores: (workspaceId, signal) => kind.openStores(workspaceId, signal),
    run: (params, context) => kind.run(params as P, context as JobContext<S>),
    ...(after && {
      afterInterruption: (params: unknown, context: Omit<JobContext<unknown>, 'progress'>) => after(params as P, context as Omit<JobContext<S>, 'progress'>),
    }),
  };
}
