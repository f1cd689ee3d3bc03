import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import type { RedisPersistence } from '../../stores/redis/face';
import { redisSaveKind, type SaveRedis } from './redis-save';

const state = (over: Partial<RedisPersistence>): RedisPersistence => ({
  lastSave: 1_000,
  bgsaveInProgress: false,
  lastBgsaveStatus: 'ok',
  changesSinceLastSave: 10,
  currentBgsaveSeconds: -1,
  serverTime: 1_005,
  ...over,
});

/** A server whose INFO persistence answers the given states in turn (the last one repeats). */
function server(states: RedisPersistence[]): SaveRedis & { calls: string[] } {
  const calls: string[] = [];
  let at = 0;
  return {
    calls,
    persistence: async () => {
      calls.push('persistence');
      return states[Math.min(at++, states.length - 1)] as RedisPersistence;
    },
    bgsave: async () => {
      calls.push('bgsave');
      return 'Background saving started';
    },
  };
}

const run = (redis: SaveRedis, phases: string[] = []) =>
  redisSaveKind(async () => redis, { pollMs: 1 }).run({ workspaceId: 'w' }, { jobId: 'j', signal: new AbortController().signal, stores: redis, progress: (_d, _t, p) => phases.push(p), log: () => undefined });

describe('the BGSAVE job', () => {
  it('reports the save in progress until LASTSAVE moves', async () => {
    const redis = server([state({}), state({ bgsaveInProgress: true, currentBgsaveSeconds: 0 }), state({ bgsaveInProgress: true, currentBgsaveSeconds: 1 }), state({ lastSave: 1_007, serverTime: 1_007 })]);
    const phases: string[] = [];
    const result = await run(redis, phases);
    expect(result).toMatchObject({ lastSave: new Date(1_007_000).toISOString(), previousSave: new Date(1_000_000).toISOString() });
    expect(phases).toEqual(['Saving for 0 s', 'Saving for 1 s', 'Saved']);
    expect(redis.calls.indexOf('bgsave')).toBe(1);
  });

  it('fails when the save ends with rdb_last_bgsave_status:err and LASTSAVE stays', async () => {
    const redis = server([state({}), state({ bgsaveInProgress: true }), state({ lastBgsaveStatus: 'err' })]);
    const error = await run(redis).catch((e: unknown) => e);
    expect(AppError.is(error, 'internal')).toBe(true);
    expect((error as Error).message).toContain('rdb_last_bgsave_status:err');
  });

  it('waits for the server clock to pass LASTSAVE before saving, so a save in the same second is still seen', async () => {
    const redis = server([state({ serverTime: 1_000 }), state({ serverTime: 1_000 }), state({ serverTime: 1_001 }), state({ lastSave: 1_001, serverTime: 1_001 })]);
    await run(redis);
    expect(redis.calls.slice(0, 4)).toEqual(['persistence', 'persistence', 'persistence', 'bgsave']);
  });
});
