import { AppError } from '@shared/errors';
import type { ExecutionOptions } from '../../stores/execution';
import type { RedisStore } from '../../stores/redis/store';
import type { RedisCommand, RedisReader, RedisReply } from './redis-reader';

/** What the adapter uses of the Redis data service. */
export type RedisStoreSlice = Pick<RedisStore, 'command' | 'inspectKeys' | 'dbsize'>;

const INSPECTED = new Set(['PTTL', 'TYPE', 'MEMORY']);

const isInspection = (command: RedisCommand): boolean => {
  const name = command[0].toUpperCase();
  return INSPECTED.has(name) && (name !== 'MEMORY' || String(command[1]).toUpperCase() === 'USAGE');
};

const keyOf = (command: RedisCommand): string => String(command[0].toUpperCase() === 'MEMORY' ? command[2] : command[1]);

const asReply = async (work: Promise<unknown>): Promise<RedisReply> =>
  work.then(
    (value): RedisReply => [null, value],
    (error: unknown): RedisReply => {
      // A refusal of the whole call (read-only guard, cancel, server gone) is the caller's to see.
      if (AppError.is(error) && error.code !== 'invalid_argument' && error.code !== 'internal') throw error;
      return [error instanceof Error ? error : new Error(String(error)), null];
    },
  );

/**
 * The namespace map and key browser over the Redis data service. Runs of PTTL / TYPE / MEMORY
 * USAGE go to `inspectKeys` as one pipeline; DBSIZE to `dbsize`; anything else to `command`, which
 * checks that it is a read and runs it on a connection of its own. A read-only store refuses every
 * script (EVAL_RO included) with `read_only`; the walker then reads TTLs with PTTL instead.
 */
export function redisReaderOf(store: RedisStoreSlice): RedisReader {
  return {
    async pipeline(commands: readonly RedisCommand[], options: ExecutionOptions = {}): Promise<RedisReply[]> {
      const replies: RedisReply[] = [];
      for (let i = 0; i < commands.length; ) {
        const command = commands[i] as RedisCommand;
        const name = command[0].toUpperCase();
        if (isInspection(command)) {
          let end = i;
          while (end < commands.length && isInspection(commands[end] as RedisCommand)) end += 1;
          const run = commands.slice(i, end);
          const keys = [...new Set(run.map(keyOf))];
          const infos = await store.inspectKeys(keys, undefined, options);
          const byKey = new Map(infos.map((info) => [info.key, info]));
          for (const c of run) {
            const info = byKey.get(keyOf(c));
            const kind = c[0].toUpperCase();
            if (!info) replies.push([new Error('no reply'), null]);
            else if (kind === 'TYPE') replies.push([null, info.type]);
            // TTL is rounded to whole seconds; a key within half a second of a bucket edge may land one bucket up.
            else if (kind === 'PTTL') replies.push([null, info.ttlSeconds < 0 ? info.ttlSeconds : info.ttlSeconds * 1000]);
            else replies.push([null, info.memoryBytes]);
          }
          i = end;
          continue;
        }
        if (name === 'DBSIZE') replies.push(await asReply(store.dbsize(options)));
        else replies.push(await asReply(store.command(command[0], command.slice(1) as Array<string | number>, undefined, options)));
        i += 1;
      }
      return replies;
    },
  };
}
