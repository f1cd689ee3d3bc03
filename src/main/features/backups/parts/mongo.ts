import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import { AppError } from '@shared/errors';
import type { BundleFile, BundlePart } from '@shared/model/backup';
import { scopeFor, type MongoDatabases, type TenancyPreset } from '@shared/tenancy';
import type { BackupPart, RestoredPart, RestoreTarget } from '../../../services/backup-part';
import type { MongoFace } from '../../../stores/mongo/face';
import { HashedFile } from './hashed-file';

/** What the MongoDB part uses of the store. */
export type BackupMongo = Pick<MongoFace, 'health' | 'exportCanonical' | 'importCanonical' | 'countDocuments' | 'listIndexes' | 'createIndexes' | 'listCollectionNames' | 'dropDatabase'>;

export interface MongoPartOptions {
  preset: TenancyPreset;
  mongo: BackupMongo;
  /** The workspace's database names (the preset's, overridden by the workspace's own). */
  databases: MongoDatabases;
  /** Documents per batch read and inserted. Default 1000. */
  batchSize?: number;
  /** PATH to look for mongodump in. Default process.env.PATH. */
  path?: string;
}

export const INDEX_FILE = 'indexes.json';
const SYSTEM_DATABASES = new Set(['admin', 'local', 'config']);

interface CollectionPlan {
  /** The blueprint's name, which the counts and file are keyed by. */
  logical: string;
  database: string;
}

/**
 * A tenant's MongoDB documents as a bundle part: every collection of the preset the tenant has
 * documents in — by the tenant field on shared collections, by the `tenant_<id>_` prefix where each
 * tenant has its own — one gzip file of canonical Extended JSON lines per collection (so every BSON
 * type survives), plus the index definitions. A restore goes into a new, empty database, through
 * the same tenant guarantee as any write: each document gets the tenant field, and one naming
 * another tenant is refused. Into the live database (`replace`) only while the tenant has no
 * documents there (a tenant deleted by mistake): existing documents are never overwritten.
 */
export function mongoBackupPart(options: MongoPartOptions): BackupPart {
  const { preset, mongo, databases } = options;
  const layout = preset.layout.mongo;
  if (!layout) throw new AppError('invalid_argument', `The ${preset.title} preset keeps nothing in MongoDB.`);
  const batchSize = options.batchSize ?? 1000;
  const liveDatabases = new Set(Object.values(databases).filter((d): d is string => typeof d === 'string'));

  const plan = (): CollectionPlan[] =>
    (preset.blueprint.mongo?.collections ?? [])
      .filter((c) => (layout.mode === 'field' ? c.tenantScoped : c.database === 'tenant'))
      .flatMap((c) => {
        const database = databases[c.database];
        return database ? [{ logical: c.name, database }] : [];
      });

  async function serverVersion(signal: AbortSignal): Promise<string> {
    const status = await mongo.health({ signal, timeoutMs: 10_000 });
    if (status.state === 'down' || !status.serverVersion) throw new AppError('unreachable', `MongoDB is not reachable${status.reason ? `: ${status.reason}` : ''}.`);
    return status.serverVersion;
  }

  return {
    store: 'mongo',

    async preflight(tenantId, signal) {
      scopeFor(preset, tenantId);
      return { server: await serverVersion(signal) };
    },

    async backup(tenantId, context) {
      const scope = scopeFor(preset, tenantId);
      const version = await serverVersion(context.signal);
      const collections = plan();
      const counts: Record<string, number> = {};
      const files: BundleFile[] = [];
      const indexes: Record<string, unknown[]> = {};
      const exec = { signal: context.signal, timeoutMs: 600_000 };
      const written: HashedFile[] = [];
      try {
        for (const [at, { logical, database }] of collections.entries()) {
          context.progress(at, collections.length, `Exporting ${logical}`);
          const file = await HashedFile.create(context.folder, context.relativeFolder, `${logical}.ejson.gz`);
          written.push(file);
          const gzip = createGzip();
          gzip.on('data', (chunk: Buffer) => file.append(chunk));
          const ended = once(gzip, 'end');
          ended.catch(() => undefined);
          counts[logical] = await mongo.exportCanonical({ database, collection: logical }, scope, async (lines) => {
            if (file.failed) throw new AppError('internal', `${logical}.ejson.gz could not be written.`);
            if (!gzip.write(`${lines.join('\n')}\n`)) await once(gzip, 'drain');
          }, { ...exec, batchSize });
          gzip.end();
          await ended;
          files.push(await file.close());
          indexes[logical] = (await mongo.listIndexes(physicalTarget(scope, logical, database), exec)).filter((index) => (index as { name?: string }).name !== '_id_');
        }
        const indexFile = await HashedFile.create(context.folder, context.relativeFolder, INDEX_FILE);
        written.push(indexFile);
        indexFile.append(`${JSON.stringify(indexes, null, 2)}\n`);
        files.push(await indexFile.close());
      } catch (error) {
        await Promise.all(written.map((f) => f.discard()));
        throw error;
      }
      const mongodump = await onPath('mongodump', options.path ?? process.env.PATH ?? '');
      context.progress(collections.length, collections.length, 'Exported');
      return {
        store: 'mongo',
        format: 'extended-json.gz',
        server: { version },
        counts,
        files,
        details: {
          exporter: 'driver',
          // mongodump would need the workspace's credentials on its command line (seen by every
          // local process in `ps`); the driver already holds them, so it exports the same filter.
          mongodump: mongodump ? `found at ${mongodump}, not used: the driver exports the same filter without handing it the credentials` : 'not on PATH',
          layout: layout.mode,
          collections: collections.map((c) => c.logical),
        },
      };
    },

    async restore(part, tenantId, target, context) {
      const scope = scopeFor(preset, tenantId);
      const collections = partCollections(part);
      const exec = { signal: context.signal, timeoutMs: 600_000 };
      const indexes = JSON.parse(await readFile(join(context.folder, INDEX_FILE), 'utf8')) as Record<string, Record<string, unknown>[]>;
      const live = target.mode === 'replace';
      const databaseOf = live ? liveDatabaseOf(collections, plan()) : () => targetDatabase(target, liveDatabases);
      if (live) {
        // The live database is only ever added to: a tenant with documents there is a conflict, so
        // no document of the tenant is overwritten or mixed with the bundle's.
        if (target.replaceExisting) throw new AppError('invalid_argument', 'MongoDB does not put a bundle over a tenant’s live documents: they cannot be swapped in at once. Restore into a new database instead.');
        const present: string[] = [];
        for (const logical of collections) {
          const count = await mongo.countDocuments({ database: databaseOf(logical), collection: logical }, {}, scope, exec);
          if (count > 0) present.push(`${logical} (${count})`);
        }
        if (present.length > 0) {
          throw new AppError('conflict', `Tenant ${tenantId} still has documents in the live database (${present.join(', ')}); nothing was restored. Restore into a new database to compare.`);
        }
      } else if ((await mongo.listCollectionNames(databaseOf(''), exec)).length > 0) {
        throw new AppError('conflict', `Database ${databaseOf('')} already holds collections; a restore goes into a new, empty database, so nothing there is mixed up or overwritten.`);
      }
      const done: string[] = [];
      try {
        for (const [at, logical] of collections.entries()) {
          context.progress(at, collections.length, `Restoring ${logical}`);
          const database = databaseOf(logical);
          const existed = live && (await mongo.listCollectionNames(database, exec)).includes(physicalTarget(scope, logical, database).collection);
          await readLines(join(context.folder, `${logical}.ejson.gz`), `${context.relativeFolder}/${logical}.ejson.gz`, batchSize, async (lines) => {
            await mongo.importCanonical({ database, collection: logical }, lines, scope, exec);
          });
          const specs = (indexes[logical] ?? []).map(({ v: _v, ns: _ns, ...spec }) => spec);
          if (specs.length > 0 && !existed) await mongo.createIndexes(physicalTarget(scope, logical, database), specs as unknown as Parameters<BackupMongo['createIndexes']>[1], exec);
          done.push(logical);
        }
      } catch (error) {
        if (!live) {
          // The database was empty before: dropping it leaves the cluster as it was.
          await mongo.dropDatabase(databaseOf(''), { timeoutMs: 60_000 }).catch(() => undefined);
          throw error;
        }
        // Documents of a live database are never deleted on a guess: the restore is marked partial, with what it reached.
        const reason = AppError.is(error) ? error : new AppError('internal', String(error));
        throw new AppError(reason.code, `${reason.message} The restore into the live database is partial: ${done.length ? done.join(', ') : 'no collection'} restored whole, the next one in part; the tenant had no documents there before.`, { partial: true, restored: done });
      }
      const counts: Record<string, number> = {};
      for (const logical of collections) counts[logical] = await mongo.countDocuments({ database: databaseOf(logical), collection: logical }, {}, scope, exec);
      context.progress(collections.length, collections.length, 'Restored');
      return { target: live ? [...new Set(collections.map(databaseOf))].join(',') : databaseOf(''), counts } satisfies RestoredPart;
    },

    async dropRestored(target, signal) {
      await mongo.dropDatabase(assertRestoreDatabase(target, liveDatabases), { signal, timeoutMs: 60_000 });
    },
  };
}

/** The collection as the server names it, for the index calls that take no scope. */
function physicalTarget(scope: ReturnType<typeof scopeFor>, logical: string, database: string): { database: string; collection: string } {
  const mongo = scope.mongo;
  return { database, collection: mongo?.mode === 'collection-prefix' ? `${mongo.collectionPrefix}${logical}` : logical };
}

/** The live database of each of the part's collections, as the preset places them. */
function liveDatabaseOf(collections: readonly string[], planned: readonly CollectionPlan[]): (logical: string) => string {
  const where = new Map(planned.map((c) => [c.logical, c.database]));
  for (const logical of collections) {
    if (!where.has(logical)) throw new AppError('invalid_argument', `The bundle's collection ${logical} has no place in this workspace's databases.`);
  }
  return (logical) => where.get(logical) as string;
}

function targetDatabase(target: RestoreTarget, live: ReadonlySet<string>): string {
  if (target.name === undefined) throw new AppError('invalid_argument', `A ${target.mode} restore needs the new database name.`);
  return assertRestoreDatabase(target.name, live);
}

/** A database a restore may create and drop: a plain name, never a live database of the workspace or a system one. */
export function assertRestoreDatabase(name: unknown, live: ReadonlySet<string>): string {
  if (typeof name !== 'string' || !/^[A-Za-z0-9_-]{1,63}$/.test(name)) {
    throw new AppError('invalid_argument', `${JSON.stringify(String(name).slice(0, 80))} is not a database name for a restore: 1–63 letters, digits, _ and -.`);
  }
  if (live.has(name) || SYSTEM_DATABASES.has(name)) {
    throw new AppError('forbidden', `${name} is a live or system database; a restored copy goes into a database of its own.`);
  }
  return name;
}

function partCollections(part: BundlePart): string[] {
  const listed = part.details.collections;
  if (!Array.isArray(listed)) throw new AppError('invalid_argument', 'The MongoDB part does not list its collections.');
  for (const name of listed) {
    if (!/^[A-Za-z0-9_.-]+$/.test(name) || !part.files.some((f) => f.path.endsWith(`/${name}.ejson.gz`))) {
      throw new AppError('invalid_argument', `The MongoDB part lists ${JSON.stringify(name)} without its file.`);
    }
  }
  return listed;
}

/** Reads a gzip file of lines in batches; a damaged file is named. */
export async function readLines(path: string, file: string, batchSize: number, onBatch: (lines: string[]) => Promise<void>): Promise<number> {
  const gunzip = createGunzip();
  const input = createReadStream(path);
  let failure: unknown;
  const fail = (error: unknown): void => {
    failure ??= error;
    gunzip.destroy();
  };
  input.on('error', fail);
  gunzip.on('error', fail);
  const lines = createInterface({ input: input.pipe(gunzip), crlfDelay: Infinity });
  let batch: string[] = [];
  let count = 0;
  try {
    for await (const line of lines) {
      if (line.length === 0) continue;
      batch.push(line);
      count += 1;
      if (batch.length >= batchSize) {
        await onBatch(batch);
        batch = [];
      }
    }
  } catch (error) {
    fail(error);
  } finally {
    lines.close();
  }
  if (failure !== undefined) {
    if (AppError.is(failure)) throw failure;
    throw new AppError('invalid_argument', `${file} could not be read: ${failure instanceof Error ? failure.message : String(failure)}`);
  }
  if (batch.length > 0) await onBatch(batch);
  return count;
}

/** Where a program is on PATH, if it is. */
async function onPath(program: string, path: string): Promise<string | undefined> {
  for (const folder of path.split(delimiter).filter(Boolean)) {
    const candidate = join(folder, program);
    if (await access(candidate).then(() => true, () => false)) return candidate;
  }
  return undefined;
}
