import type { Contract, EventName, EventPayload, SectionName } from '@shared/contract';
import type { MethodSpec, ParsedArgsOf, ResultOf } from '@shared/contract/define';
import type { AuditJustification } from '@shared/model/audit';
import type { Session } from '@shared/model/session';

/**
 * The shape of a service as the contract defines it. Features implement sections against these
 * types alone, so a feature never needs the router (or anything else in core) to be written.
 */

/** What every service method receives beside its validated arguments. */
export interface CallContext {
  signal: AbortSignal;
  session: Session;
  /** Sends an event to the caller's connection only (row batches of this call, say). */
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  /**
   * Resolves once the caller's connection can take more (the web-mode WebSocket has less than ~4 MB
   * queued); at once over Electron IPC and in memory. A call that streams many events awaits it
   * before reading more from a store, so main's memory stays flat whatever the client's pace.
   */
  whenWritable?(): Promise<void>;
  /**
   * The reason or prod unlock the access policy allowed the call on. A method journaled by the job
   * it starts (`journal: 'job'`) passes it to that job, whose one audit entry then carries it.
   */
  justification?: AuditJustification;
}

type ServiceOf<S extends Record<string, MethodSpec>> = {
  [M in keyof S]: (args: ParsedArgsOf<S[M]>, context: CallContext) => Promise<ResultOf<S[M]>>;
};

/** The implementation of one contract section. */
export type SectionService<S extends SectionName> = ServiceOf<Contract[S]>;

/** Every section implemented: the router cannot be built with a method missing. */
export type Services = { [S in SectionName]: SectionService<S> };
