import { z } from 'zod';
import type { SectionName } from '@shared/contract';
import { AppError } from '@shared/errors';
import { Role } from '@shared/model/session';
import { WorkspaceId } from '@shared/model/workspace';
import type { JobKind, StartRequest } from '../jobs';
import { eraseKind, type RegisteredKind } from '../jobs/kind';
import { classOf, type JustificationStore } from '../security/policy';
import type { PostgresFace, PostgresSession, SessionWork } from '../stores/postgres/face';
import type { ExecutionOptions } from '../stores/execution';
import type { Writer } from './workspace-stores';

/**
 * Write-class work on a prod workspace runs on the registry's writable stores, and only there:
 * services get them for their write and schema-change methods alone, jobs for a run started under
 * an operator's prod unlock, and only while that unlock lives.
 */

const WRITE_CLASSES = new Set(['write', 'schema-change']);

/**
 * The section's service with its write and schema-change methods (as the contract classes them)
 * answered by a service built for the caller's writes; every other method by `read`, whose stores
 * stay read-only on prod even while it is unlocked.
 */
export function routeWrites<S extends object>(section: SectionName, read: S, writableFor: (writer: Writer) => S): S {
  const routed: Record<string, unknown> = { ...(read as Record<string, unknown>) };
  for (const name of Object.keys(read)) {
    const methodClass = classOf(`${section}.${name}`);
    if (!methodClass || !WRITE_CLASSES.has(methodClass)) continue;
    routed[name] = (args: unknown, context: { session: Writer }) => {
      const method = (writableFor(context.session) as Record<string, (args: unknown, context: unknown) => unknown>)[name];
      if (!method) throw new AppError('internal', `${section}.${name} has no writable counterpart.`);
      return method(args, context);
    };
  }
  return routed as S;
}

/** The prod unlock a job was started under, recorded in its parameters (and so in its file and audit entry). */
export const StartUnlock = z
  .object({
    id: z.string().min(1).max(64),
    workspaceId: WorkspaceId,
    operator: z.object({ name: z.string().min(1).max(200), email: z.string().max(320).optional() }).strict(),
    role: Role,
    expiresAt: z.iso.datetime(),
  })
  .strict();
export type StartUnlock = z.infer<typeof StartUnlock>;

/**
 * A job start with the starter's live prod unlock recorded in its parameters; whatever a caller put
 * there under that name is dropped, so a run never trusts an unlock it was merely told about.
 */
export function withStartUnlock(request: StartRequest, unlocks: Pick<JustificationStore, 'find'>): StartRequest {
  if (typeof request.params !== 'object' || request.params === null) return request;
  const { unlock: _dropped, ...params } = request.params as Record<string, unknown>;
  const found = unlocks.find(request.session, { kind: 'prod-unlock', workspaceId: request.workspaceId });
  if (!found) return { ...request, params };
  const { operator, role } = request.session;
  const unlock: StartUnlock = {
    id: found.id,
    workspaceId: request.workspaceId,
    operator: { name: operator.name, ...(operator.email ? { email: operator.email } : {}) },
    role,
    expiresAt: new Date(found.expiresAt).toISOString(),
  };
  return { ...request, params: { ...params, unlock } };
}

interface KindTable {
  register<P, S>(kind: JobKind<P, S>): void;
}

/** How the kinds of one feature are made over a store opener, read-only or writable. */
export interface WriteJobKinds<O> {
  register(table: KindTable, openStores: O): void;
  /** The workspace's stores as every reader gets them: a start's check and the cleanup after a crash use these. */
  read: O;
  /** The writable stores of a run under `writer`'s unlock; `stop` ends the run when the unlock is gone. */
  writeAs(writer: Writer, stop: (error: AppError) => void): O;
}

function kindsOver<O>(kinds: WriteJobKinds<O>, openStores: O): Map<string, RegisteredKind> {
  const found = new Map<string, RegisteredKind>();
  kinds.register({ register: (kind) => found.set(kind.name, eraseKind(kind)) }, openStores);
  return found;
}

type WriteJobParams = Record<string, unknown> & { unlock?: StartUnlock };

const withoutUnlock = (params: WriteJobParams): Record<string, unknown> => {
  const { unlock: _unlock, ...rest } = params;
  return rest;
};

/**
 * Registers a feature's job kinds so that a run started under a prod unlock writes through the
 * writable stores of its starter's unlock. A run started without one gets the stores every reader
 * gets (read-only on prod: its writes are refused there). When the unlock expires or is revoked
 * mid-run, the statement in flight finishes and the next one is refused: the job stops after the
 * tenant in flight and fails with `read_only`, its log saying why.
 */
export function registerWriteJobs<O>(jobs: KindTable, kinds: WriteJobKinds<O>): void {
  for (const kind of kindsOver(kinds, kinds.read).values()) jobs.register(writeJob(kind, kinds));
}

function writeJob<O>(kind: RegisteredKind, kinds: WriteJobKinds<O>): JobKind<WriteJobParams, unknown> {
  const after = kind.afterInterruption;
  return {
    name: kind.name,
    store: kind.store,
    params: z.record(z.string(), z.unknown()).transform((raw): WriteJobParams => {
      const { unlock, ...rest } = raw;
      return { ...(kind.parse(rest) as Record<string, unknown>), ...(unlock !== undefined && { unlock: StartUnlock.parse(unlock) }) };
    }),
    describe: (params) => kind.describe(withoutUnlock(params)),
    openStores: (workspaceId, signal) => kind.openStores(workspaceId, signal),
    async run(params, context) {
      const { unlock } = params;
      if (!unlock) return kind.run(withoutUnlock(params), context);
      // The run's own signal: the job's cancel still reaches it, and so does the unlock's end.
      const stop = new AbortController();
      const follow = (): void => stop.abort(context.signal.reason);
      if (context.signal.aborted) follow();
      context.signal.addEventListener('abort', follow, { once: true });
      let ended: AppError | undefined;
      const writer: Writer = { operator: unlock.operator, role: unlock.role };
      const writing = kindsOver(kinds, kinds.writeAs(writer, (error) => {
        ended ??= error;
        stop.abort(error);
      })).get(kind.name);
      if (!writing) throw new AppError('internal', `Job kind ${kind.name} has no writable counterpart.`);
      context.log(`Writes under the prod unlock ${unlock.id} of ${unlock.operator.name} (${unlock.role}), given until ${unlock.expiresAt}.`);
      try {
        const stores = await writing.openStores(unlock.workspaceId, stop.signal);
        return await writing.run(withoutUnlock(params), { ...context, signal: stop.signal, stores });
      } catch (error) {
        if (ended) {
          context.log(`Stopped: the prod unlock of ${unlock.operator.name} has expired or was revoked; the work in flight finished and nothing further was sent.`);
          throw ended;
        }
        throw error;
      } finally {
        context.signal.removeEventListener('abort', follow);
      }
    },
    ...(after && { afterInterruption: (params: WriteJobParams, context: Parameters<typeof after>[1]) => after(withoutUnlock(params), context) }),
  };
}

export type WritingPostgres = Pick<PostgresFace, 'query' | 'explain' | 'session'>;

/**
 * A writable PostgreSQL that sends a statement only while `mayWrite` says so. A statement refused
 * on a session (where jobs write) also calls `stop`, so the job ends instead of trying tenant
 * after tenant; the statement in flight when the unlock ended is left to finish.
 */
export function whileUnlocked(postgres: WritingPostgres, mayWrite: () => Promise<boolean>, stop: (error: AppError) => void): WritingPostgres {
  const refusal = (): AppError => new AppError('read_only', 'The prod unlock this work was started under has expired or was revoked: unlock writes again to go on.');
  const check = async (stopping: boolean): Promise<void> => {
    if (await mayWrite()) return;
    const error = refusal();
    if (stopping) stop(error);
    throw error;
  };
  return {
    query: async (...args) => {
      await check(false);
      return postgres.query(...args);
    },
    explain: async (...args) => {
      await check(false);
      return postgres.explain(...args);
    },
    session: <T>(work: SessionWork<T>, options?: ExecutionOptions): Promise<T> =>
      postgres.session((session: PostgresSession) =>
        work({
          pid: session.pid,
          run: async (sql, params) => {
            await check(true);
            return session.run(sql, params);
          },
        }),
      options,
      ),
  };
}
