import { createApiClient } from '@shared/contract/client';
import { isMethodName, methodSpec, type Api, type MethodName, type MethodParsedArgs, type MethodResult } from '@shared/contract';
import type { ClientMessage, ClientTransport, ServerMessage } from '@shared/contract/protocol';
import { AppError } from '@shared/errors';

type Handlers = { [N in MethodName]?: (args: MethodParsedArgs<N>) => Promise<MethodResult<N>> | MethodResult<N> };

export interface FakeApi {
  api: Api;
  /** Every call that reached a handler, with the arguments as the schema parsed them. */
  calls: { method: MethodName; args: unknown }[];
  /** Sends an event to the renderer, as the main process would. */
  emit(name: string, payload: unknown): void;
}

/**
 * The renderer's API over an in-memory transport, answered by the handlers given: arguments are
 * validated with the contract's schemas exactly as the router does, so a view that sends what
 * the contract refuses fails here too. Methods without a handler answer `not_found`.
 */
export function createFakeApi(handlers: Handlers): FakeApi {
  const listeners = new Set<(message: ServerMessage) => void>();
  const calls: FakeApi['calls'] = [];
  const deliver = (message: ServerMessage): void => {
    queueMicrotask(() => listeners.forEach((listener) => listener(structuredClone(message))));
  };

  async function answer(method: string, rawArgs: unknown): Promise<unknown> {
    if (!isMethodName(method)) throw new AppError('not_found', `There is no method ${method}`);
    const parsed = methodSpec(method).args.safeParse(rawArgs);
    if (!parsed.success) throw new AppError('invalid_argument', `Invalid arguments for ${method}`, { issues: parsed.error.issues });
    const handler = handlers[method] as ((args: unknown) => unknown) | undefined;
    if (!handler) throw new AppError('not_found', `${method} has no fake`);
    calls.push({ method, args: parsed.data });
    return handler(parsed.data);
  }

  const transport: ClientTransport = {
    send(message: ClientMessage) {
      if (message.kind !== 'call') return;
      const { callId, method, args } = structuredClone(message);
      answer(method, args).then(
        (value) => deliver({ kind: 'result', callId, ok: true, value }),
        (error: unknown) =>
          deliver({
            kind: 'result',
            callId,
            ok: false,
            error: AppError.is(error) ? error.toJSON() : { code: 'internal', message: String(error) },
          }),
      );
    },
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };

  return { api: createApiClient(transport), calls, emit: (name, payload) => deliver({ kind: 'event', name, payload }) };
}
