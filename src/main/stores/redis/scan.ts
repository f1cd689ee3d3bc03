import type { Redis } from 'ioredis';
import type { Deadline } from '../execution';
import { escapeGlob, type RedisKeyType } from './commands';

export interface ScanQuery {
  /** Glob after the tenant prefix (with a scope), or over the whole name. Default `*`. */
  match?: string;
  /** SCAN's COUNT hint. Default 500. */
  count?: number;
  type?: RedisKeyType;
}

/**
 * SCAN page by page on the shared connection, yielding each non-empty page as it comes. With a
 * prefix, MATCH starts with it (escaped, so `a*b:` matches only itself) and every key is checked
 * against it again.
 */
export async function* scanPages(client: Redis, query: ScanQuery, prefix: string, deadline: Deadline): AsyncGenerator<string[], void, undefined> {
  const match = `${escapeGlob(prefix)}${query.match ?? '*'}`;
  const count = Math.max(1, Math.min(query.count ?? 500, 100_000));
  let cursor = '0';
  do {
    deadline.throwIfStopped('The key scan');
    const args: (string | number)[] = [cursor, 'MATCH', match, 'COUNT', count, ...(query.type ? ['TYPE', query.type] : [])];
    const reply = (await deadline.race(client.call('scan', args), 'The key scan')) as [string, string[]];
    cursor = reply[0];
    const keys = prefix ? reply[1].filter((key) => key.startsWith(prefix)) : reply[1];
    if (keys.length > 0) yield keys;
  } while (cursor !== '0');
}
