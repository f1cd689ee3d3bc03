import { randomBytes } from 'node:crypto';
import { basename, join } from 'node:path';
import { AppError } from '@shared/errors';
import type { BundlePart } from '@shared/model/backup';
import { scopeFor, type TenancyPreset } from '@shared/tenancy';
import { KeyClassifier, redisLayoutOf } from '@shared/tenancy/key-families';
import type { BackupPart, PartContext, RestoredPart, RestoreTarget } from '../../../services/backup-part';
import { escapeGlob } from '../../../stores/redis/commands';
import type { DumpedKey, RedisFace } from '../../../stores/redis/face';
import { HashedFile } from './hashed-file';
import { assertRestorePrefix, entryLine, headerLine, readRedisFile, REDIS_FILE, restorePrefixOf, type RedisFileEntry } from './redis-file';

/** What the Redis part uses of the store. */
export type BackupRedis = Pick<RedisFace, 'health' | 'walkKeys' | 'restoreKeys' | 'existingKeys' | 'renameKeys' | 'unlinkPrefix'>;

export interface RedisPartOptions {
  preset: TenancyPreset;
  redis: BackupRedis;
  /** SCAN's COUNT hint per page. Default 1000. */
  scanCount?: number;
  /** Keys per RESTORE pipeline and per existence check. Default 500. */
  batchSize?: number;
}

/** Where restores are staged before they are swapped in; its first segment is no tenant id. */
const STAGING_HEAD = 'tenantscope-restoring';
/** Names in a conflict message at most. */
const NAMED = 5;

/**
 * A tenant's Redis keys as a bundle part: the keys under its prefix, walked with SCAN through the
 * store's scoped walk, each with DUMP and PTTL riding in the walk's own round trips, written as
 * JSON lines. A restore stages every key under a scratch prefix first and renames them into place
 * at the end, so a failed or cancelled restore leaves the target as it was.
 */
export function redisBackupPart(options: RedisPartOptions): BackupPart {
  const { preset, redis } = options;
  const layout = redisLayoutOf(preset);
  if (!layout) throw new AppError('invalid_argument', `The ${preset.title} preset keeps nothing in Redis.`);
  const classifier = new KeyClassifier(layout);
  const scanCount = options.scanCount ?? 1000;
  const batchSize = options.batchSize ?? 500;
  const emptyCounts = (): Record<string, number> => Object.fromEntries(classifier.familyNames.map((name) => [name, 0]));
  const familyOf = (rest: string): string => classifier.familyNames[classifier.familyIndex(rest)] ?? 'other';

  async function serverVersion(signal: AbortSignal): Promise<string> {
    const status = await redis.health({ signal, timeoutMs: 10_000 });
    if (status.state === 'down' || !status.serverVersion) {
      throw new AppError('unreachable', `Redis is not reachable${status.reason ? `: ${status.reason}` : ''}.`);
    }
    return status.serverVersion;
  }

  /** Counts per family of the keys under a prefix, read back from the store with SCAN. */
  async function countUnder(prefix: string, signal: AbortSignal): Promise<Record<string, number>> {
    const counts = emptyCounts();
    await redis.walkKeys({ match: `${escapeGlob(prefix)}*`, count: scanCount }, undefined, ({ keys }) => {
      for (const key of keys) {
        if (!key.startsWith(prefix)) continue;
        const family = familyOf(key.slice(prefix.length));
        counts[family] = (counts[family] ?? 0) + 1;
      }
    }, { signal, timeoutMs: 30_000 });
    return counts;
  }

  return {
    store: 'redis',

    async preflight(tenantId, signal) {
      scopeFor(preset, tenantId);
      return { server: await serverVersion(signal) };
    },

    async backup(tenantId, context) {
      const scope = scopeFor(preset, tenantId);
      const prefix = scope.redis?.keyPrefix as string;
      const version = await serverVersion(context.signal);
      const file = await HashedFile.create(context.folder, context.relativeFolder, REDIS_FILE);
      const counts = emptyCounts();
      let keys = 0;
      let vanished = 0;
      let undecodable = 0;
      try {
        file.append(headerLine({ format: 'tenantscope-redis-dump', version: 1, prefix, redisVersion: version }));
        context.progress(0, null, 'Dumping keys');
        const walk = await redis.walkKeys({ count: scanCount }, scope, ({ keys: page, answers }) => {
          let chunk = '';
          for (const answer of answers) {
            // A key that expired or was deleted between SCAN and DUMP is not part of the tenant any more.
            if (!answer.payload || answer.pttl === undefined || answer.pttl === -2) {
              vanished += 1;
              continue;
            }
            const rest = answer.key.slice(prefix.length);
            chunk += entryLine(rest, answer.pttl, answer.payload);
            const family = familyOf(rest);
            counts[family] = (counts[family] ?? 0) + 1;
            keys += 1;
          }
          file.append(chunk);
          if (answers.length > 0) context.progress(keys, null, 'Dumping keys');
          // Key names are read as UTF-8: a name of other bytes comes back altered (U+FFFD), its DUMP
          // finds nothing, and the key would silently be missing from the bundle.
          for (const key of page) if (key.includes('\uFFFD')) undecodable += 1;
          return { lookups: page.map((key) => ({ key, ttl: true, dump: true })), stop: file.failed || undecodable > 0 };
        }, { signal: context.signal, timeoutMs: 60_000 });
        if (undecodable > 0) {
          throw new AppError('internal', `Tenant ${tenantId} has keys whose names are not UTF-8 (${undecodable} seen); Tenantscope reads key names as text and cannot back them up, so it writes no Redis part rather than one that misses them.`);
        }
        const written = await file.close();
        context.log(`${keys} keys of ${prefix}* dumped in ${walk.scanCalls} SCAN pages${vanished ? `; ${vanished} expired or went before their DUMP` : ''}.`);
        context.progress(keys, keys, 'Dumped');
        return {
          store: 'redis',
          format: 'redis dump+pttl',
          server: { version },
          counts,
          files: [written],
          details: { keyPrefix: prefix, keys, file: REDIS_FILE },
        };
      } catch (error) {
        await file.discard();
        throw error;
      }
    },

    async restore(part, tenantId, target, context) {
      const scope = scopeFor(preset, tenantId);
      const ownPrefix = scope.redis?.keyPrefix as string;
      const finalPrefix = targetPrefix(target, ownPrefix, preset);
      const replace = target.replaceExisting === true;
      const file = fileOf(part, context);
      const exec = { signal: context.signal, timeoutMs: 60_000 };

      // Nothing is written before every target name is known to be free (or may be replaced).
      context.progress(0, null, 'Checking the target');
      const rests: string[] = [];
      const header = await readRedisFile(file.path, file.name, batchSize, async (entries) => {
        rests.push(...entries.map((e) => e.rest));
      });
      if (header.prefix !== ownPrefix) throw new AppError('invalid_argument', `The Redis part holds the keys of ${header.prefix}*, not of tenant ${tenantId}.`);
      if (!replace) {
        const taken: string[] = [];
        for (let at = 0; at < rests.length; at += batchSize) {
          taken.push(...(await redis.existingKeys(rests.slice(at, at + batchSize).map((rest) => finalPrefix + rest), exec)));
        }
        if (taken.length > 0) {
          throw new AppError(
            'conflict',
            `${taken.length} of the bundle's keys already exist under ${finalPrefix} (${taken.slice(0, NAMED).join(', ')}${taken.length > NAMED ? ', …' : ''}); nothing was restored. Restore under a new prefix, or ask for REPLACE.`,
            { existing: taken.slice(0, 100) },
          );
        }
      }

      const staging = `${STAGING_HEAD}:${randomBytes(6).toString('hex')}:`;
      assertRestorePrefix(staging, preset);
      let restored = 0;
      try {
        await readRedisFile(file.path, file.name, batchSize, async (entries) => {
          const keys: DumpedKey[] = entries.map((e: RedisFileEntry) => ({ key: staging + e.rest, pttl: e.pttl, payload: e.payload }));
          const outcome = await redis.restoreKeys(keys, { ...exec, replace: false });
          if (outcome.failed.length > 0) throw restoreRefused(outcome.failed);
          restored += outcome.restored;
          context.progress(restored, rests.length, 'Restoring keys');
        });
      } catch (error) {
        await redis.unlinkPrefix(staging, { timeoutMs: 60_000 }).catch(() => undefined);
        throw error;
      }

      // The swap is not cancellable: RENAME is O(1) a key, and a swap stopped half way would leave
      // the target part old and part restored, which a cancel must never do.
      context.progress(restored, rests.length, 'Swapping in');
      const swap = await redis.renameKeys(rests.map((rest) => ({ from: staging + rest, to: finalPrefix + rest })), { replace, timeoutMs: 120_000 });
      await redis.unlinkPrefix(staging, { timeoutMs: 60_000 }).catch(() => undefined);
      if (swap.conflicts.length > 0) {
        throw new AppError(
          'conflict',
          `The restore under ${finalPrefix} is partial: ${swap.renamed} keys were restored, and ${swap.conflicts.length} appeared while it ran and were left as they are (${swap.conflicts.slice(0, NAMED).join(', ')}).`,
          { partial: true, conflicts: swap.conflicts.slice(0, 100) },
        );
      }
      context.log(`${swap.renamed} keys restored under ${finalPrefix}${swap.expired ? `; ${swap.expired} expired before the swap` : ''}.`);
      return { target: finalPrefix, counts: await countUnder(finalPrefix, context.signal) } satisfies RestoredPart;
    },

    async dropRestored(target, signal) {
      const prefix = restorePrefixOf(target, preset);
      await redis.unlinkPrefix(prefix, { signal, timeoutMs: 120_000 });
    },
  };
}

/** The prefix a restore writes under: the tenant's own for `replace`, a checked new one otherwise. */
function targetPrefix(target: RestoreTarget, ownPrefix: string, preset: TenancyPreset): string {
  if (target.mode === 'replace') {
    if (target.name !== undefined && target.name !== ownPrefix) {
      throw new AppError('invalid_argument', `A replacing restore writes under the tenant's own prefix ${ownPrefix}, not ${JSON.stringify(target.name)}.`);
    }
    return ownPrefix;
  }
  if (target.name === undefined) throw new AppError('invalid_argument', `A ${target.mode} restore needs the new key prefix.`);
  return restorePrefixOf(target.name, preset);
}

/** The part's file in its folder, by the name the manifest lists. */
function fileOf(part: BundlePart, context: PartContext): { path: string; name: string } {
  const listed = part.files.find((f) => basename(f.path) === REDIS_FILE);
  if (!listed) throw new AppError('invalid_argument', `The Redis part lists no ${REDIS_FILE}.`);
  return { path: join(context.folder, REDIS_FILE), name: listed.path };
}

function restoreRefused(failed: { key: string; message: string }[]): AppError {
  const first = failed[0];
  const message = first?.message ?? '';
  if (/payload version|checksum/i.test(message)) {
    return new AppError('version_mismatch', `This Redis cannot read the bundle's DUMP payloads (${message}): restore into a Redis of the same or a newer version than the one backed up.`);
  }
  return new AppError('internal', `Redis refused to restore ${failed.length} keys; the first: ${message}`, { failed: failed.slice(0, 20) });
}
