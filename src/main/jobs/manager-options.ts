import type { EventPayload } from '@shared/contract';
import type { AuditEntryDraft, AuditJustification } from '@shared/model/audit';
import type { Session } from '@shared/model/session';
import type { StoreKind } from '@shared/model/workspace';

export type JobEventName = 'jobs.state' | 'jobs.progress' | 'jobs.log';
export type JobEmit = <E extends JobEventName>(name: E, payload: EventPayload<E>) => void;

export interface JobManagerOptions {
  /** `<dataDir>/jobs`: one file per job. */
  directory: string;
  /** Jobs running at once per store of a workspace; the rest wait their turn. */
  limits?: Partial<Record<StoreKind, number>>;
  /** Finished jobs kept per workspace; older ones are forgotten once audited. Default 100. */
  historyLimit?: number;
  /** Log lines kept per job; older lines are dropped and counted. Default 500. */
  logLimit?: number;
  /** How long progress and log lines may wait before they are written to disk. Default 500 ms. */
  flushMs?: number;
  /** Progress events per job are at least this far apart; the latest value always goes out. Default 100 ms. */
  progressIntervalMs?: number;
  /** Appends one audit entry to a workspace's journal and resolves once it is on disk. */
  record(journalId: string, draft: AuditEntryDraft): Promise<unknown>;
  /** Where job events go: every connected renderer. */
  emit?: JobEmit;
  /** Problems that fail no call: a file that could not be written, an audit entry that waits. */
  onError?(message: string): void;
}

export interface StartRequest {
  workspaceId: string;
  kind: string;
  params: unknown;
  session: Pick<Session, 'operator' | 'role'>;
  /** The reason or unlock the starting call was allowed on; the job's audit entry carries it. */
  justification?: AuditJustification;
}

/** What the options default to: 100 finished jobs per workspace, 500 log lines per job, disk within 500 ms, 10 progress events a second. */
export const JOB_DEFAULTS = { historyLimit: 100, logLimit: 500, flushMs: 500, progressIntervalMs: 100 } as const;
