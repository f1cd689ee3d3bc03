import type { Redis } from 'ioredis';
import { AppError } from '@shared/errors';

/**
 * Resolves when the client is ready. Gives up after `attempts` closed connection attempts (ioredis
 * keeps retrying by itself afterwards), after `budgetMs`, at once on refused credentials, or on abort.
 */
export function waitReady(
  client: Redis,
  options: { attempts: number; budgetMs: number; signal?: AbortSignal; server: string; lastError: () => AppError | undefined },
): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    let failures = 0;
    const cleanup = (): void => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('close', onClose);
      options.signal?.removeEventListener('abort', onAbort);
    };
    const onReady = (): void => {
      cleanup();
      resolve();
    };
    const fail = (error: AppError): void => {
      cleanup();
      reject(error);
    };
    const onClose = (): void => {
      failures += 1;
      if (failures >= options.attempts || options.lastError()?.code === 'auth_failed') {
        fail(options.lastError() ?? new AppError('unreachable', `${options.server} could not be reached.`));
      }
    };
    const onAbort = (): void => fail(new AppError('cancelled', `Connecting to ${options.server} was cancelled.`));
    const timer = setTimeout(() => fail(options.lastError() ?? new AppError('timeout', `${options.server} did not become ready within ${options.budgetMs} ms.`)), options.budgetMs);
    client.on('ready', onReady);
    client.on('close', onClose);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (client.status === 'wait' || client.status === 'end') client.connect().catch(() => undefined);
  });
}
