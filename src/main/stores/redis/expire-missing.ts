import type { Redis } from 'ioredis';
import { AppError } from '@shared/errors';
import type { Deadline } from '../execution';

/** Keys per pipeline: one round trip, a few milliseconds of the server's time. */
const EXPIRE_BATCH = 500;

/** Before Redis 7.0, `EXPIRE key s NX` is refused: the same check as a one-key script. */
const EXPIRE_IF_NONE = "if redis.call('PTTL', KEYS[1]) == -1 then return redis.call('EXPIRE', KEYS[1], ARGV[1]) end return 0";

export interface ExpireOutcome {
  /** Keys that had no TTL and now have `seconds`. */
  set: number;
  /** Those keys. */
  setKeys: string[];
  /** Keys left alone: they had a TTL already or were gone. */
  kept: number;
  failed: { key: string; message: string }[];
}

const refusesNx = (error: Error | null | undefined): boolean => Boolean(error && /syntax|wrong number of arguments|unsupported option/i.test(error.message));

/**
 * Gives `seconds` of TTL to those of `keys` that have none, decided by the server key by key
 * (`EXPIRE … NX`), so a key that got a TTL or went away between the SCAN that found it and this
 * pipeline keeps what it has. Pipelines of 500; stops between them when the deadline does.
 */
export async function expireWhereMissing(client: Redis, keys: readonly string[], seconds: number, deadline: Deadline): Promise<ExpireOutcome> {
  if (!Number.isInteger(seconds) || seconds <= 0) throw new AppError('invalid_argument', `A TTL is a whole number of seconds above 0, not ${seconds}.`);
  const outcome: ExpireOutcome = { set: 0, setKeys: [], kept: 0, failed: [] };
  let script = false;
  for (let start = 0; start < keys.length; start += EXPIRE_BATCH) {
    deadline.throwIfStopped('Setting TTLs');
    const chunk = keys.slice(start, start + EXPIRE_BATCH);
    const send = async () => {
      const pipeline = client.pipeline();
      for (const key of chunk) {
        if (script) pipeline.call('EVAL', EXPIRE_IF_NONE, 1, key, seconds);
        else pipeline.call('EXPIRE', key, seconds, 'NX');
      }
      return (await deadline.race(pipeline.exec(), 'Setting TTLs')) ?? [];
    };
    let replies = await send();
    if (!script && replies.length > 0 && replies.every(([error]) => refusesNx(error))) {
      script = true;
      replies = await send();
    }
    replies.forEach(([error, value], i) => {
      const key = chunk[i] as string;
      if (error) outcome.failed.push({ key, message: error.message });
      else if (Number(value) === 1) {
        outcome.set += 1;
        outcome.setKeys.push(key);
      }
      else outcome.kept += 1;
    });
  }
  return outcome;
}
