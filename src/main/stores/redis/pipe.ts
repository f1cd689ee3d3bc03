import { AppError } from '@shared/errors';
import type { ExecutionOptions } from '../execution';
import { toRedisError } from './errors';

export type RedisArg = string | number;
export type RedisCommand = readonly [name: string, ...args: RedisArg[]];

/**
 * Commands whose reply is bytes, not text: DUMP's payload is RDB-serialized and would be mangled by
 * decoding it as UTF-8, so it is read as a Buffer.
 */
export const BINARY_REPLIES: ReadonlySet<string> = new Set(['DUMP']);

/** One reply of a pipeline: the error Redis answered for that command alone, or its value. */
export type RedisReply = [error: Error | null, value: unknown];

/**
 * Read commands sent in one round trip: what the store's walks and value reads are written over.
 * The store answers it on its shared connection; tests answer it over a bare driver or by hand.
 * Only the store's own code sends through it, and only reads (SCAN, PTTL, TYPE, MEMORY USAGE,
 * *RANGE, *SCAN…), so a read-only workspace runs all of it.
 */
export interface RedisReader {
  pipeline(commands: readonly RedisCommand[], options?: ExecutionOptions): Promise<RedisReply[]>;
}

/** The value of one pipeline reply, or an AppError naming the command Redis refused. */
export function replyValue(reply: RedisReply | undefined, command: string): unknown {
  if (!reply) throw new AppError('internal', `Redis sent no reply to ${command}`);
  const [error, value] = reply;
  if (error) throw replyError(error, command);
  return value;
}

/**
 * The error of one pipeline reply: the connection going away (which fails every reply of the
 * pipeline) is `unreachable` or `timeout` as anywhere else; a refusal of this one command is `internal`.
 */
export function replyError(error: Error, command: string): AppError {
  const mapped = toRedisError(error);
  return mapped.code === 'unreachable' || mapped.code === 'timeout' ? mapped : new AppError('internal', `Redis refused ${command}: ${error.message}`);
}

export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'number') return String(value);
  return '';
}

export function asNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  const parsed = Number(asText(value));
  return Number.isFinite(parsed) ? parsed : 0;
}

/** A SCAN-family reply: `[cursor, items]`. */
export function asScanReply(value: unknown, command: string): { cursor: string; items: string[] } {
  if (!Array.isArray(value) || value.length !== 2 || !Array.isArray(value[1])) {
    throw new AppError('internal', `Redis answered ${command} with an unexpected reply`);
  }
  const items = value[1] as unknown[];
  // ioredis answers strings: then the page is used as it came, not copied key by key.
  return { cursor: asText(value[0]), items: items.every((item) => typeof item === 'string') ? (items as string[]) : items.map(asText) };
}

/** Stops between round trips when the caller cancelled. */
export function throwIfCancelled(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new AppError('cancelled', `${what} was cancelled.`);
}
