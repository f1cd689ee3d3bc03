import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { Deadline } from '../execution';
import { expireWhereMissing } from './expire-missing';

type Call = [string, ...unknown[]];

/**
 * A pipeline that answers as a Redis before 7.0 does: `EXPIRE key s NX` is a syntax error, and the
 * script runs. The keys' TTLs live in a map, so the fallback's effect can be read back.
 */
function redisSix(ttls: Map<string, number>): { client: Redis; sent: Call[][] } {
  const sent: Call[][] = [];
  const client = {
    pipeline() {
      const calls: Call[] = [];
      const pipeline = {
        call(...args: Call) {
          calls.push(args);
          return pipeline;
        },
        async exec() {
          sent.push(calls);
          return calls.map(([name, ...args]): [Error | null, unknown] => {
            if (name === 'EXPIRE') return [new Error('ERR wrong number of arguments for \'expire\' command'), null];
            const key = String(args[2]);
            if (!ttls.has(key)) return [null, 0];
            if (ttls.get(key) !== -1) return [null, 0];
            ttls.set(key, Number(args[3]));
            return [null, 1];
          });
        },
      };
      return pipeline;
    },
  };
  return { client: client as unknown as Redis, sent };
}

describe('EXPIRE … NX where the server refuses NX', () => {
  it('falls back to the one-key script and still sets only the keys without a TTL', async () => {
    const ttls = new Map([
      ['t:session:a', -1],
      ['t:session:b', 500],
      ['t:session:c', -1],
    ]);
    const { client, sent } = redisSix(ttls);
    const deadline = new Deadline({});
    const outcome = await expireWhereMissing(client, ['t:session:a', 't:session:b', 't:session:c', 't:session:gone'], 86_400, deadline);
    deadline.dispose();
    expect(outcome).toEqual({ set: 2, setKeys: ['t:session:a', 't:session:c'], kept: 2, failed: [] });
    expect([...ttls.values()]).toEqual([86_400, 500, 86_400]);
    // The NX pipeline once, then the same keys as scripts.
    expect(sent.map((calls) => calls.map((c) => c[0]))).toEqual([['EXPIRE', 'EXPIRE', 'EXPIRE', 'EXPIRE'], ['EVAL', 'EVAL', 'EVAL', 'EVAL']]);
  });

  it('refuses a TTL that is not a whole number of seconds above 0 before sending anything', async () => {
    const { client, sent } = redisSix(new Map());
    await expect(expireWhereMissing(client, ['k'], 0, new Deadline({}))).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(expireWhereMissing(client, ['k'], 1.5, new Deadline({}))).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(sent).toEqual([]);
  });
});
