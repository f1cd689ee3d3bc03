import { z } from 'zod';
import { AppError, type SerializedError } from '@shared/errors';
import { isMethodName, methodSpec, type EventName, type EventPayload, type MethodName, type SectionName } from '@shared/contract';
import { isClientMessage, type Connection, type ServerMessage } from '@shared/contract/protocol';
import type { AuditJustification } from '@shared/model/audit';
import type { Session } from '@shared/model/session';
import type { CallContext, Services } from '../services/section';

export type { CallContext, SectionService, Services } from '../services/section';

/**
 * Checked before any service runs; throws `forbidden` (or another AppError) to refuse. May resolve
 * to the justification the call was allowed on, which the service then finds in its context.
 */
export type Authorize = (method: MethodName, args: unknown, session: Session) => void | Authorized | Promise<void | Authorized>;

export interface Authorized {
  justification?: AuditJustification | null;
}

export interface RouterOptions {
  authorize?: Authorize;
  /**
   * The session a call runs as, from the connection's session and the validated arguments: the
   * operator of the workspace the call names. Authorize and the service both see the result.
   */
  sessionFor?: (method: MethodName, args: unknown, session: Session) => Session | Promise<Session>;
  /** Told when an authorized call then fails (cancelled included), so the journal does not claim it happened. */
  onCallFailed?: (method: MethodName, args: unknown, session: Session, error: unknown) => void | Promise<void>;
  /** Called for failures that are not AppErrors, so they reach the log with their stack. */
  onInternalError?: (method: string, error: unknown) => void;
}

/** One connected renderer as the router sees it. */
export interface RouterConnection {
  /** Hands over one raw, untrusted message from the transport. */
  receive(message: unknown): void;
  /** Aborts everything the connection still has running. */
  close(): void;
}

export interface Router {
  connect(connection: Connection, session: Session): RouterConnection;
  /** Runs one method directly, as a transport would: validation, policy, errors. */
  invoke(
    method: string,
    args: unknown,
    session: Session,
    signal?: AbortSignal,
    emit?: CallContext['emit'],
    whenWritable?: CallContext['whenWritable'],
  ): Promise<unknown>;
  broadcast<E extends EventName>(name: E, payload: EventPayload<E>): void;
}

export function toSerializedError(error: unknown, method: string, options: RouterOptions = {}): SerializedError {
  if (error instanceof AppError) return error.toJSON();
  if (error instanceof z.ZodError) {
    return { code: 'invalid_argument', message: `Invalid arguments for ${method}`, details: { issues: error.issues } };
  }
  options.onInternalError?.(method, error);
  return { code: 'internal', message: `${method} failed unexpectedly` };
}

export function createRouter(services: Services, options: RouterOptions = {}): Router {
  const connections = new Set<Connection>();

  async function invoke(
    method: string,
    rawArgs: unknown,
    session: Session,
    signal: AbortSignal = new AbortController().signal,
    emit: CallContext['emit'] = () => undefined,
    whenWritable: CallContext['whenWritable'] = () => Promise.resolve(),
  ): Promise<unknown> {
    if (!isMethodName(method)) throw new AppError('not_found', `There is no method ${JSON.stringify(method.slice(0, 128))}`);
    const spec = methodSpec(method);
    const parsed = spec.args.safeParse(rawArgs);
    if (!parsed.success) {
      throw new AppError('invalid_argument', `Invalid arguments for ${method}: ${z.prettifyError(parsed.error)}`, {
        issues: parsed.error.issues,
      });
    }
    const caller = options.sessionFor ? await options.sessionFor(method, parsed.data, session) : session;
    const authorized = await options.authorize?.(method, parsed.data, caller);
    const justification = authorized?.justification;
    if (signal.aborted) throw new AppError('cancelled', `${method} was cancelled`);
    const [sectionName, methodName] = method.split('.') as [SectionName, string];
    const handler = (services[sectionName] as Record<string, (a: unknown, c: CallContext) => Promise<unknown>>)[methodName];
    if (!handler) throw new AppError('not_found', `${method} has no implementation`);
    try {
      return await handler(parsed.data, { signal, session: caller, emit, whenWritable, ...(justification ? { justification } : {}) });
    } catch (error) {
      // Work stopped by its signal reports `cancelled`, whatever the driver threw on the way out.
      const failure = signal.aborted && !AppError.is(error, 'cancelled') ? new AppError('cancelled', `${method} was cancelled`) : error;
      // Recording the failure must not replace the error the caller gets.
      try {
        await options.onCallFailed?.(method, parsed.data, caller, failure);
      } catch (recordError) {
        options.onInternalError?.(method, recordError);
      }
      throw failure;
    }
  }

  function connect(connection: Connection, session: Session): RouterConnection {
    connections.add(connection);
    const running = new Map<string, AbortController>();
    let closed = false;

    const send = (message: ServerMessage): void => {
      if (!closed) connection.send(message);
    };

    return {
      receive(message: unknown): void {
        if (closed) return;
        if (!isClientMessage(message)) return; // not ours to answer: there is no callId to answer to
        if (message.kind === 'cancel') {
          running.get(message.callId)?.abort();
          return;
        }
        if (running.has(message.callId)) {
          send({
            kind: 'result',
            callId: message.callId,
            ok: false,
            error: { code: 'conflict', message: 'A call with this id is already running' },
          });
          return;
        }
        const controller = new AbortController();
        running.set(message.callId, controller);
        const emit: CallContext['emit'] = (name, payload) => send({ kind: 'event', name, payload });
        // A closed connection takes nothing more: waiting on it would hold a call that is being aborted.
        const whenWritable = (): Promise<void> => (closed ? Promise.resolve() : (connection.whenWritable?.() ?? Promise.resolve()));
        invoke(message.method, message.args, session, controller.signal, emit, whenWritable)
          .then(
            (value) => send({ kind: 'result', callId: message.callId, ok: true, value }),
            (error: unknown) =>
              send({ kind: 'result', callId: message.callId, ok: false, error: toSerializedError(error, message.method, options) }),
          )
          .finally(() => running.delete(message.callId));
      },
      close(): void {
        closed = true;
        connections.delete(connection);
        for (const controller of running.values()) controller.abort();
        running.clear();
      },
    };
  }

  return {
    connect,
    invoke,
    broadcast(name, payload) {
      for (const connection of connections) connection.send({ kind: 'event', name, payload });
    },
  };
}
