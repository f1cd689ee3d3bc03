import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { AppError } from '@shared/errors';
import { tenantIdPattern, type TenancyPreset } from '@shared/tenancy';

/**
 * The Redis part's file, `keys.jsonl`: one JSON header line, then a line per key with its name
 * after the tenant prefix (`k`), the milliseconds it had left (`t`, -1 for none) and DUMP's bytes
 * in base64 (`p`). Names are kept without the prefix so a restore can put them under any prefix.
 */
export const REDIS_FILE = 'keys.jsonl';
export const REDIS_FORMAT = 'tenantscope-redis-dump';

export interface RedisFileHeader {
  format: typeof REDIS_FORMAT;
  version: 1;
  /** The tenant prefix the names were taken from. */
  prefix: string;
  redisVersion: string;
}

export interface RedisFileEntry {
  /** The key's name after the prefix. */
  rest: string;
  pttl: number;
  payload: Buffer;
}

export function headerLine(header: RedisFileHeader): string {
  return `${JSON.stringify(header)}\n`;
}

export function entryLine(rest: string, pttl: number, payload: Buffer): string {
  return `${JSON.stringify({ k: rest, t: pttl, p: payload.toString('base64') })}\n`;
}

function parseLine(line: string, at: number, file: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    throw new AppError('invalid_argument', `${file} line ${at} is not JSON: the file is damaged.`);
  }
}

/**
 * Reads the file back: the header, then entries in batches. A line that is not what the writer
 * writes names the file and the line.
 */
export async function readRedisFile(path: string, file: string, batchSize: number, onBatch: (entries: RedisFileEntry[]) => Promise<void>): Promise<RedisFileHeader> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let header: RedisFileHeader | undefined;
  let at = 0;
  let batch: RedisFileEntry[] = [];
  try {
    for await (const line of lines) {
      at += 1;
      if (line.length === 0) continue;
      const value = parseLine(line, at, file) as Record<string, unknown>;
      if (!header) {
        if (value.format !== REDIS_FORMAT || value.version !== 1 || typeof value.prefix !== 'string') {
          throw new AppError('invalid_argument', `${file} does not start with a Tenantscope Redis dump header.`);
        }
        header = value as unknown as RedisFileHeader;
        continue;
      }
      if (typeof value.k !== 'string' || typeof value.t !== 'number' || typeof value.p !== 'string') {
        throw new AppError('invalid_argument', `${file} line ${at} is not a dumped key: the file is damaged.`);
      }
      batch.push({ rest: value.k, pttl: value.t, payload: Buffer.from(value.p, 'base64') });
      if (batch.length >= batchSize) {
        await onBatch(batch);
        batch = [];
      }
    }
  } catch (error) {
    if (AppError.is(error)) throw error;
    throw new AppError('not_found', `${file} could not be read: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    lines.close();
  }
  if (!header) throw new AppError('invalid_argument', `${file} is empty: the part was not written whole.`);
  if (batch.length > 0) await onBatch(batch);
  return header;
}

/**
 * The key prefix of a restore target: the name as given when it ends with the separator
 * (`restore-1:`), else the name with the separator after it, so the bundle job can hand every
 * part the same base name (`acme_restored`, verify's `tsverify_…`) and Redis makes `acme_restored:` of it.
 */
export function restorePrefixOf(name: unknown, preset: TenancyPreset): string {
  const separator = preset.layout.redis?.separator ?? ':';
  const prefix = typeof name === 'string' && !name.endsWith(separator) ? `${name}${separator}` : name;
  return assertRestorePrefix(prefix, preset);
}

/**
 * Whether a prefix may receive a restored copy or be swept afterwards. It ends with the preset's
 * separator (so `restore-1:` reaches `restore-1:…` and never `restore-10:…`) and its first segment
 * is no tenant id of the preset: a copy never lands in, and a sweep never deletes from, any
 * tenant's keys. A hostile prefix (glob characters, spaces, another tenant's id) is refused.
 */
export function assertRestorePrefix(prefix: unknown, preset: TenancyPreset): string {
  const separator = preset.layout.redis?.separator;
  if (!separator) throw new AppError('invalid_argument', `The ${preset.title} preset keeps nothing in Redis.`);
  if (typeof prefix !== 'string' || prefix.length < 2 || prefix.length > 200 || /[\s*?[\]\\"']/.test(prefix) || [...prefix].some((c) => c.charCodeAt(0) < 0x20)) {
    throw new AppError('invalid_argument', `${JSON.stringify(String(prefix).slice(0, 80))} is not a key prefix for a restore: 2–200 characters, no spaces, quotes or glob characters.`);
  }
  if (!prefix.endsWith(separator)) {
    throw new AppError('invalid_argument', `A restore prefix ends with ${JSON.stringify(separator)} (for example restore-1${separator}), so it cannot reach keys of a longer name.`);
  }
  const head = prefix.slice(0, prefix.indexOf(separator));
  if (head.length === 0) throw new AppError('invalid_argument', `A restore prefix starts with a name before ${JSON.stringify(separator)}.`);
  if (tenantIdPattern(preset).test(head)) {
    throw new AppError('forbidden', `${JSON.stringify(prefix)} is a tenant's own key space; a restored copy goes under a prefix no tenant uses.`);
  }
  return prefix;
}
