import { z } from 'zod';
import { AppError } from '@shared/errors';
import type { JobKind } from '../../jobs';
import type { RedisFace, RedisPersistence } from '../../stores/redis/face';
import { pause } from './pause';

export type SaveRedis = Pick<RedisFace, 'persistence' | 'bgsave'>;

export const REDIS_SAVE_KIND = 'store-backups.redis-bgsave';

export interface RedisSaveOptions {
  /** Between two reads of INFO persistence. Default 250 ms. */
  pollMs?: number;
}

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

/**
 * BGSAVE as a job. LASTSAVE has a resolution of one second, so the job first waits until the
 * server's clock is past the last save: any save that ends afterwards moves LASTSAVE, and a save
 * that ends without moving it failed. While the fork writes, `rdb_bgsave_in_progress` is 1.
 */
export function redisSaveKind(openStores: (workspaceId: string, signal: AbortSignal) => Promise<SaveRedis>, options: RedisSaveOptions = {}): JobKind<{ workspaceId: string }, SaveRedis> {
  const pollMs = options.pollMs ?? 250;
  return {
    name: REDIS_SAVE_KIND,
    store: 'redis',
    params: z.object({ workspaceId: z.string() }).strict(),
    describe: () => ({ title: 'Redis BGSAVE (RDB snapshot of the whole server)' }),
    openStores: (workspaceId, signal) => openStores(workspaceId, signal),
    async run(_params, { signal, stores, progress, log }) {
      const exec = { signal, timeoutMs: 10_000 };
      let before: RedisPersistence = await stores.persistence(exec);
      while (before.serverTime <= before.lastSave) {
        await pause(pollMs, signal, 'The save');
        before = await stores.persistence(exec);
      }
      log(`LASTSAVE before: ${iso(before.lastSave)}; ${before.changesSinceLastSave} changes since.`);
      const reply = await stores.bgsave(exec);
      log(`BGSAVE: ${reply}`);
      const started = performance.now();
      for (;;) {
        await pause(pollMs, signal, 'Watching the save');
        const now = await stores.persistence(exec);
        if (now.lastSave > before.lastSave && !now.bgsaveInProgress) {
          progress(1, 1, 'Saved');
          log(`LASTSAVE moved to ${iso(now.lastSave)}; rdb_last_bgsave_status:${now.lastBgsaveStatus}.`);
          return { lastSave: iso(now.lastSave), previousSave: iso(before.lastSave), seconds: Math.round((performance.now() - started) / 100) / 10 };
        }
        if (!now.bgsaveInProgress && now.lastBgsaveStatus === 'err') {
          throw new AppError('internal', 'The background save failed (rdb_last_bgsave_status:err) and LASTSAVE did not move; the Redis log says why (often the disk or the fork).');
        }
        progress(0, 1, now.bgsaveInProgress ? `Saving for ${Math.max(0, now.currentBgsaveSeconds)} s` : 'Waiting for the save to start');
      }
    },
  };
}
