import type { Redis } from 'ioredis';
import { AppError } from '@shared/errors';
import type { Deadline } from '../execution';
import { escapeGlob } from './commands';
import { asScanReply } from './pipe';

/** One key as a backup holds it: its name, its remaining time to live and DUMP's bytes. */
export interface DumpedKey {
  key: string;
  /** Milliseconds left when it was dumped; -1 when it had no expiry. */
  pttl: number;
  payload: Buffer;
}

export interface RestoreOutcome {
  restored: number;
  /** Keys Redis refused, with its reason (BUSYKEY, a payload of a newer server…). */
  failed: { key: string; message: string }[];
}

export interface RenameOutcome {
  renamed: number;
  /** Targets that appeared after the existence check: RENAMENX left them (and their source) alone. */
  conflicts: string[];
  /** Sources that expired before their turn (a key backed up with little time left). */
  expired: number;
}

const BATCH = 500;

/** A key prefix a store operation may sweep: long enough and free of glob characters, so MATCH cannot widen it. */
export function assertSweepablePrefix(prefix: string): void {
  if (typeof prefix !== 'string' || prefix.length < 2 || prefix.length > 200 || /[\s*?[\]\\]/.test(prefix)) {
    throw new AppError('invalid_argument', `${JSON.stringify(String(prefix).slice(0, 80))} is not a key prefix Tenantscope sweeps: 2–200 characters, no spaces or glob characters.`);
  }
}

/**
 * RESTORE in pipelines of 500, each key with the time to live it had left (0: none). Without
 * `replace` a key that exists is refused by Redis itself (BUSYKEY) and reported, never overwritten.
 */
export async function restoreInBatches(client: Redis, keys: readonly DumpedKey[], replace: boolean, deadline: Deadline): Promise<RestoreOutcome> {
  const failed: RestoreOutcome['failed'] = [];
  let restored = 0;
  for (let start = 0; start < keys.length; start += BATCH) {
    deadline.throwIfStopped('The key restore');
    const chunk = keys.slice(start, start + BATCH);
    const pipeline = client.pipeline();
    for (const { key, pttl, payload } of chunk) {
      const args: (string | number | Buffer)[] = [key, pttl > 0 ? pttl : 0, payload];
      if (replace) args.push('REPLACE');
      pipeline.call('RESTORE', ...args);
    }
    const replies = (await deadline.race(pipeline.exec(), 'The key restore')) ?? [];
    replies.forEach(([error], i) => {
      const item = chunk[i];
      if (!item) return;
      if (error) failed.push({ key: item.key, message: error.message });
      else restored += 1;
    });
  }
  return { restored, failed };
}

/** Which of the keys exist now, by EXISTS in pipelines of 500. */
export async function existingIn(client: Redis, keys: readonly string[], deadline: Deadline): Promise<string[]> {
  const found: string[] = [];
  for (let start = 0; start < keys.length; start += BATCH) {
    deadline.throwIfStopped('The existence check');
    const chunk = keys.slice(start, start + BATCH);
    const pipeline = client.pipeline();
    for (const key of chunk) pipeline.exists(key);
    const replies = (await deadline.race(pipeline.exec(), 'The existence check')) ?? [];
    replies.forEach(([error, value], i) => {
      if (error) throw new AppError('internal', `Redis refused EXISTS: ${error.message}`);
      const key = chunk[i];
      if (key !== undefined && Number(value) > 0) found.push(key);
    });
  }
  return found;
}

/**
 * Moves keys to their final names: RENAME over what is there with `replace`, RENAMENX otherwise,
 * so a target that appeared since the caller's check is reported and left as it was. RENAME keeps
 * the key's expiry.
 */
export async function renameInBatches(client: Redis, pairs: readonly { from: string; to: string }[], replace: boolean, deadline: Deadline): Promise<RenameOutcome> {
  const conflicts: string[] = [];
  let renamed = 0;
  let expired = 0;
  for (let start = 0; start < pairs.length; start += BATCH) {
    deadline.throwIfStopped('The swap');
    const chunk = pairs.slice(start, start + BATCH);
    const pipeline = client.pipeline();
    for (const { from, to } of chunk) {
      if (replace) pipeline.rename(from, to);
      else pipeline.renamenx(from, to);
    }
    const replies = (await deadline.race(pipeline.exec(), 'The swap')) ?? [];
    replies.forEach(([error, value], i) => {
      const pair = chunk[i];
      if (!pair) return;
      if (error && /no such key/i.test(error.message)) expired += 1;
      else if (error) throw new AppError('internal', `Redis refused to rename ${JSON.stringify(pair.from.slice(0, 80))}: ${error.message}`);
      else if (replace || Number(value) === 1) renamed += 1;
      else conflicts.push(pair.to);
    });
  }
  return { renamed, conflicts, expired };
}

/**
 * Deletes every key that starts with `prefix`, page by page: SCAN with the escaped prefix as
 * MATCH, each key checked again, UNLINK per page (freed in the background, so a big value does not
 * hold the server). Returns how many keys went.
 */
export async function unlinkByPrefix(client: Redis, prefix: string, deadline: Deadline): Promise<number> {
  assertSweepablePrefix(prefix);
  const match = `${escapeGlob(prefix)}*`;
  let cursor = '0';
  let removed = 0;
  do {
    deadline.throwIfStopped('Removing the restored keys');
    const reply = asScanReply(await deadline.race(client.call('SCAN', cursor, 'MATCH', match, 'COUNT', 1000), 'Removing the restored keys'), 'SCAN');
    cursor = reply.cursor;
    const keys = reply.items.filter((key) => key.startsWith(prefix));
    if (keys.length > 0) removed += Number(await deadline.race(client.unlink(...keys), 'Removing the restored keys'));
  } while (cursor !== '0');
  return removed;
}
