import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '@shared/errors';

/** Waits between two polls; a cancel ends the wait at once as `cancelled`. */
export async function pause(ms: number, signal: AbortSignal, what: string): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    throw new AppError('cancelled', `${what} was cancelled.`);
  }
}
