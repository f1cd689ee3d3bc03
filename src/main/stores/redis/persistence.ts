import type { Redis } from 'ioredis';
import { AppError } from '@shared/errors';
import type { Deadline } from '../execution';

/** What `INFO persistence` and `LASTSAVE` say about the server's RDB snapshots. */
export interface RedisPersistence {
  /** LASTSAVE: Unix seconds of the last successful save. */
  lastSave: number;
  bgsaveInProgress: boolean;
  /** `ok` or `err`: how the last background save ended. */
  lastBgsaveStatus: string;
  changesSinceLastSave: number;
  /** Seconds the current background save has run; -1 when none runs. */
  currentBgsaveSeconds: number;
  /** TIME: the server's clock in Unix seconds, to compare with LASTSAVE. */
  serverTime: number;
}

/** The `field:value` lines of one INFO section. */
export function infoFields(info: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of info.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) fields.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  return fields;
}

export function persistenceFrom(info: string, lastSave: number, serverTime: number): RedisPersistence {
  const fields = infoFields(info);
  const number = (name: string, fallback: number): number => {
    const value = Number(fields.get(name));
    return Number.isFinite(value) ? value : fallback;
  };
  return {
    lastSave,
    bgsaveInProgress: fields.get('rdb_bgsave_in_progress') === '1',
    lastBgsaveStatus: fields.get('rdb_last_bgsave_status') ?? 'unknown',
    changesSinceLastSave: number('rdb_changes_since_last_save', 0),
    currentBgsaveSeconds: number('rdb_current_bgsave_time_sec', -1),
    serverTime,
  };
}

/** INFO persistence, LASTSAVE and TIME in one round trip. */
export async function readPersistence(client: Redis, deadline: Deadline): Promise<RedisPersistence> {
  const replies = (await deadline.race(client.pipeline().info('persistence').lastsave().time().exec(), 'INFO persistence')) ?? [];
  const [info, lastSave, time] = replies;
  if (!info || info[0] || !lastSave || lastSave[0] || !time || time[0]) {
    throw new AppError('internal', `Redis refused INFO persistence, LASTSAVE or TIME: ${(info?.[0] ?? lastSave?.[0] ?? time?.[0])?.message ?? 'no reply'}`);
  }
  return persistenceFrom(String(info[1]), Number(lastSave[1]), Number((time[1] as unknown[])[0]));
}

/**
 * BGSAVE: the server forks and writes its RDB file; nothing in the dataset changes. One already
 * running is a `conflict` rather than a second save.
 */
export async function startBgsave(client: Redis, deadline: Deadline): Promise<string> {
  try {
    return String(await deadline.race(client.bgsave(), 'BGSAVE'));
  } catch (error) {
    if (error instanceof Error && /already in progress/i.test(error.message)) {
      throw new AppError('conflict', 'A background save is already running on this Redis; wait for it to end (LASTSAVE moves when it does).');
    }
    throw error;
  }
}
