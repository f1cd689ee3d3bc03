import { AppError } from '@shared/errors';
import { STORE_KINDS, type StoreKind } from '@shared/model/workspace';

/**
 * How many jobs may work one store of one workspace at once. PostgreSQL and Elasticsearch take two
 * (one heavy statement each, leaving the pool to the screens); Redis is single-threaded, so one;
 * MongoDB two.
 */
export const DEFAULT_STORE_LIMITS: Readonly<Record<StoreKind, number>> = { postgres: 2, mongo: 2, redis: 1, elastic: 2 };

export interface SlotKey {
  workspaceId: string;
  store: StoreKind;
}

/** Gives the slot back; calling it twice gives it back once. */
export type ReleaseSlot = () => void;

interface Waiter {
  grant: (release: ReleaseSlot) => void;
}

interface Line {
  busy: number;
  waiting: Waiter[];
}

/**
 * A per-store concurrency limit with a first-come, first-served queue. Jobs hold a slot while they
 * run; fan-out work (one step per tenant) takes a slot per step under the same limit.
 */
export class StoreSlots {
  readonly #limits: Record<StoreKind, number>;
  readonly #lines = new Map<string, Line>();

  constructor(limits: Partial<Record<StoreKind, number>> = {}) {
    const merged = { ...DEFAULT_STORE_LIMITS };
    for (const store of STORE_KINDS) {
      const limit = limits[store];
      if (limit === undefined) continue;
      if (!Number.isInteger(limit) || limit < 1 || limit > 64) {
        throw new AppError('invalid_argument', `The job limit for ${store} must be a whole number from 1 to 64, not ${String(limit)}.`);
      }
      merged[store] = limit;
    }
    this.#limits = merged;
  }

  limitOf(store: StoreKind): number {
    return this.#limits[store];
  }

  /** How many hold a slot and how many wait, for one store. */
  usage(key: SlotKey): { busy: number; waiting: number } {
    const line = this.#lines.get(keyOf(key));
    return { busy: line?.busy ?? 0, waiting: line?.waiting.length ?? 0 };
  }

  /** Resolves with a release once a slot is free; rejects with `cancelled` if the signal fires first. */
  acquire(key: SlotKey, signal?: AbortSignal): Promise<ReleaseSlot> {
    if (signal?.aborted) return Promise.reject(new AppError('cancelled', 'Cancelled while waiting for its turn.'));
    const id = keyOf(key);
    const line = this.#lines.get(id) ?? { busy: 0, waiting: [] };
    this.#lines.set(id, line);
    if (line.busy < this.#limits[key.store]) {
      line.busy += 1;
      return Promise.resolve(this.#releaseFor(id, line));
    }
    return new Promise<ReleaseSlot>((resolve, reject) => {
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      const onAbort = (): void => {
        const index = line.waiting.indexOf(waiter);
        if (index >= 0) line.waiting.splice(index, 1);
        this.#forgetIfIdle(id, line);
        reject(new AppError('cancelled', 'Cancelled while waiting for its turn.'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      line.waiting.push(waiter);
    });
  }

  /** Runs `work` holding a slot: the way fan-out steps share a store's limit with jobs. */
  async run<T>(key: SlotKey, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    const release = await this.acquire(key, signal);
    try {
      return await work();
    } finally {
      release();
    }
  }

  #releaseFor(id: string, line: Line): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = line.waiting.shift();
      // The slot passes straight to the next in line, so a newcomer cannot overtake it.
      if (next) next.grant(this.#releaseFor(id, line));
      else {
        line.busy -= 1;
        this.#forgetIfIdle(id, line);
      }
    };
  }

  #forgetIfIdle(id: string, line: Line): void {
    if (line.busy === 0 && line.waiting.length === 0 && this.#lines.get(id) === line) this.#lines.delete(id);
  }
}

function keyOf(key: SlotKey): string {
  return `${key.workspaceId}\u0000${key.store}`;
}
