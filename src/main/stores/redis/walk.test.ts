import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import type { RedisCommand, RedisReader, RedisReply } from './pipe';
import { walkKeys, type LookupAnswer } from './walk';

const PAGES: Record<string, [string, string[]]> = {
  '0': ['7', ['t1:a', 't1:b']],
  '7': ['9', ['t1:c', 't2:x']],
  '9': ['0', ['t1:d']],
};

/** SCAN over three fixed pages; PTTL answers 1000 × the key's last letter code, scripts per `scripts`. */
function pages(scripts: 'answer' | 'error reply' | 'refuse before sending'): RedisReader & { trips: RedisCommand[][] } {
  const trips: RedisCommand[][] = [];
  const pttl = (key: string): number => key.charCodeAt(key.length - 1) * 1000;
  return {
    trips,
    async pipeline(commands) {
      if (scripts === 'refuse before sending' && commands.some(([name]) => name === 'EVAL_RO')) throw new AppError('read_only', 'no scripts here');
      trips.push([...commands]);
      return commands.map((command): RedisReply => {
        const [name, ...args] = command;
        if (name === 'SCAN') return [null, PAGES[String(args[0])]];
        if (name === 'PTTL') return [null, pttl(String(args[0]))];
        if (name === 'EVAL_RO') return scripts === 'answer' ? [null, args.slice(2).map((key) => pttl(String(key)))] : [new Error('ERR unknown command'), null];
        return [new Error(`unexpected ${name}`), null];
      });
    },
  };
}

describe('walkKeys', () => {
  for (const scripts of ['answer', 'error reply', 'refuse before sending'] as const) {
    it(`reads every asked TTL, riding on the SCAN pages, when the script gets ${scripts === 'answer' ? 'an answer' : `an ${scripts}`}`, async () => {
      const reader = pages(scripts);
      const answers: LookupAnswer[] = [];
      const seen: string[] = [];
      const result = await walkKeys(reader, {}, undefined, (step) => {
        answers.push(...step.answers.filter((a) => a.pttl !== undefined));
        seen.push(...step.keys);
        return { lookups: step.keys.map((key) => ({ key, ttl: true })) };
      });
      expect(seen).toEqual(['t1:a', 't1:b', 't1:c', 't2:x', 't1:d']);
      expect(Object.fromEntries(answers.map((a) => [a.key, a.pttl]))).toEqual({ 't1:a': 97_000, 't1:b': 98_000, 't1:c': 99_000, 't2:x': 120_000, 't1:d': 100_000 });
      expect(result).toMatchObject({ cursor: '0', scanCalls: 3 });
      // Three SCAN round trips; the last pages' lookups take at most two more (one more where a refused script is read again).
      expect(reader.trips.filter((trip) => trip.some(([name]) => name === 'SCAN'))).toHaveLength(3);
      expect(reader.trips.length).toBeLessThanOrEqual(scripts === 'error reply' ? 6 : 5);
    });
  }

  it('walks only the scope’s keys, with the escaped prefix in MATCH, and resumes from the cursor where it stopped', async () => {
    const reader = pages('answer');
    const seen: string[] = [];
    const scope = { tenantId: 't1', redis: { keyPrefix: 't1:' } };
    const first = await walkKeys(reader, { match: 'a*' }, scope, (step) => {
      seen.push(...step.keys);
      return { stop: true };
    });
    expect(reader.trips[0]?.at(-1)).toEqual(['SCAN', '0', 'MATCH', 't1:a*', 'COUNT', 1000]);
    // The page already asked for when the visitor said stop is still handed over: SCAN pages are kept whole.
    expect(first.cursor).not.toBe('0');
    await walkKeys(reader, { cursor: first.cursor }, scope, (step) => void seen.push(...step.keys));
    expect(seen).toEqual(['t1:a', 't1:b', 't1:c', 't1:d']);
  });

  it('stops between round trips once cancelled', async () => {
    const reader = pages('answer');
    const controller = new AbortController();
    const walk = walkKeys(reader, {}, undefined, () => controller.abort(), { signal: controller.signal });
    await expect(walk).rejects.toSatisfy((error) => AppError.is(error, 'cancelled'));
    expect(reader.trips.length).toBeLessThanOrEqual(2);
  });
});
