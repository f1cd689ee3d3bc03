import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import type { BundlePart } from '@shared/model/backup';
import { murima2025, scopeFor } from '@shared/tenancy';
import type { PartContext } from '../../../services/backup-part';
import type { MongoTarget } from '../../../stores/mongo/face';
import { mongoBackupPart, type BackupMongo } from './mongo';

const tenant = '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f';
const roots: string[] = [];

/**
 * The store as the part sees it, holding canonical Extended JSON lines per physical collection.
 * It is no MongoDB: these tests are about the part's files (gzip, digests, one per collection,
 * the index definitions) and what it hands back on restore; the tenant guarantee of the inserts
 * is the real store's, tested with MONGO_URL.
 */
function fakeMongo(data: Record<string, string[]>): BackupMongo & { inserted: Map<string, string[]>; dropped: string[] } {
  const inserted = new Map<string, string[]>();
  const dropped: string[] = [];
  const physical = (target: MongoTarget): string => `${target.database}.tenant_${tenant}_${target.collection}`;
  return {
    inserted,
    dropped,
    health: async () => ({ store: 'mongo', state: 'connected', serverVersion: '7.0.14', checkedAt: '' }),
    exportCanonical: async (target, _scope, onBatch, options) => {
      const lines = data[physical(target)] ?? [];
      for (let at = 0; at < lines.length; at += options?.batchSize ?? 1000) await onBatch(lines.slice(at, at + (options?.batchSize ?? 1000)));
      return lines.length;
    },
    importCanonical: async (target, lines) => {
      inserted.set(physical(target), [...(inserted.get(physical(target)) ?? []), ...lines]);
      return { insertedCount: lines.length };
    },
    countDocuments: async (target) => inserted.get(physical(target))?.length ?? 0,
    listIndexes: async (target) => [{ v: 2, key: { _id: 1 }, name: '_id_' }, { v: 2, key: { tenant_id: 1, created_at: -1 }, name: 'tenant_id_1_created_at_-1', ns: `${target.database}.${target.collection}` }],
    createIndexes: async (_target, specs) => specs.map((s) => String(s.name)),
    listCollectionNames: async (database) => (database === 'busy' ? ['something'] : []),
    dropDatabase: async (database) => {
      dropped.push(database);
    },
  };
}

async function partFolder(): Promise<{ root: string; context: PartContext }> {
  const root = await mkdtemp(join(tmpdir(), 'tenantscope-mongo-part-'));
  roots.push(root);
  await mkdir(join(root, 'mongo'));
  return { root, context: { signal: new AbortController().signal, folder: join(root, 'mongo'), relativeFolder: 'mongo', progress: () => undefined, log: () => undefined } };
}

afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

describe('MongoDB bundle part files', () => {
  const notes = Array.from({ length: 2_500 }, (_, i) => `{"_id":{"$oid":"65a1b2c3d4e5f60718${String(i).padStart(6, '0')}"},"tenant_id":"${tenant}","n":{"$numberInt":"${i}"},"at":{"$date":{"$numberLong":"-14182940000"}}}`);
  const data = { [`murima2025.tenant_${tenant}_case_notes`]: notes, [`murima2025.tenant_${tenant}_custom_field_definitions`]: [`{"_id":{"$oid":"65a1b2c3d4e5f60718000000"},"tenant_id":"${tenant}","big":{"$numberLong":"9007199254740993"}}`] };

  it('writes one gzip file of canonical lines per collection and the index definitions, each with the digest of its bytes', async () => {
    const { root, context } = await partFolder();
    const part = mongoBackupPart({ preset: murima2025, mongo: fakeMongo(data), databases: { tenant: 'murima2025' }, batchSize: 1000, path: '' });
    const written = await part.backup(tenant, context);
    const names = (murima2025.blueprint.mongo?.collections ?? []).map((c) => c.name);
    expect(written.files.map((f) => f.path).sort()).toEqual([...names.map((n) => `mongo/${n}.ejson.gz`), 'mongo/indexes.json'].sort());
    for (const file of written.files) {
      const bytes = await readFile(join(root, file.path));
      expect(file).toMatchObject({ bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
    expect(gunzipSync(await readFile(join(root, 'mongo/case_notes.ejson.gz'))).toString('utf8')).toBe(`${notes.join('\n')}\n`);
    expect(written.counts.case_notes).toBe(2_500);
    expect(written.counts.custom_field_definitions).toBe(1);
    const indexes = JSON.parse(await readFile(join(root, 'mongo/indexes.json'), 'utf8')) as Record<string, { name: string }[]>;
    expect(indexes.case_notes?.map((i) => i.name)).toEqual(['tenant_id_1_created_at_-1']);
    expect(written.details).toMatchObject({ exporter: 'driver', mongodump: 'not on PATH', layout: 'collection-prefix' });
  });

  it('restores the same lines into a new database, builds the indexes without _id_, and counts them back', async () => {
    const { context } = await partFolder();
    const mongo = fakeMongo(data);
    const part = mongoBackupPart({ preset: murima2025, mongo, databases: { tenant: 'murima2025' }, batchSize: 700, path: '' });
    const written: BundlePart = { ...(await part.backup(tenant, context)), startedAt: '', endedAt: '' };
    const restored = await part.restore(written, tenant, { mode: 'rename', name: 'restore_0417' }, context);
    expect(restored).toEqual({ target: 'restore_0417', counts: written.counts });
    expect(mongo.inserted.get(`restore_0417.tenant_${tenant}_case_notes`)).toEqual(notes);
    expect(scopeFor(murima2025, tenant).mongo).toMatchObject({ collectionPrefix: `tenant_${tenant}_` });
  });

  it('refuses a live, system, hostile or non-empty database, and a replace, before anything is inserted', async () => {
    const { context } = await partFolder();
    const mongo = fakeMongo(data);
    const part = mongoBackupPart({ preset: murima2025, mongo, databases: { tenant: 'murima2025' }, path: '' });
    const written: BundlePart = { ...(await part.backup(tenant, context)), startedAt: '', endedAt: '' };
    const codes = new Map<string, string | undefined>();
    for (const name of ['murima2025', 'admin', 'config', 'a.b', 'x"; db.dropDatabase()', '', 'busy']) {
      const error = await part.restore(written, tenant, { mode: 'rename', name }, context).catch((e: unknown) => e);
      codes.set(name, AppError.is(error) ? error.code : undefined);
    }
    expect(Object.fromEntries(codes)).toEqual({ murima2025: 'forbidden', admin: 'forbidden', config: 'forbidden', 'a.b': 'invalid_argument', 'x"; db.dropDatabase()': 'invalid_argument', '': 'invalid_argument', busy: 'conflict' });
    await expect(part.restore(written, tenant, { mode: 'replace', replaceExisting: true }, context)).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(part.dropRestored('murima2025', new AbortController().signal)).rejects.toMatchObject({ code: 'forbidden' });
    expect(mongo.inserted.size).toBe(0);
    expect(mongo.dropped).toEqual([]);
  });

  it('restores into the live database only while the tenant has no documents there, and never over them', async () => {
    const { context } = await partFolder();
    const mongo = fakeMongo(data);
    const part = mongoBackupPart({ preset: murima2025, mongo, databases: { tenant: 'murima2025' }, path: '' });
    const written: BundlePart = { ...(await part.backup(tenant, context)), startedAt: '', endedAt: '' };
    mongo.inserted.set(`murima2025.tenant_${tenant}_case_notes`, ['{"left":"over"}']);
    const conflict = await part.restore(written, tenant, { mode: 'replace' }, context).catch((e: unknown) => e);
    expect(AppError.is(conflict, 'conflict')).toBe(true);
    expect((conflict as Error).message).toContain('case_notes (1)');
    expect(mongo.inserted.get(`murima2025.tenant_${tenant}_case_notes`)).toEqual(['{"left":"over"}']);
    mongo.inserted.clear();
    const restored = await part.restore(written, tenant, { mode: 'replace' }, context);
    expect(restored).toEqual({ target: 'murima2025', counts: written.counts });
    expect(mongo.inserted.get(`murima2025.tenant_${tenant}_case_notes`)).toEqual(notes);
  });

  it('a damaged file is named, and the half-restored database is dropped', async () => {
    const { root, context } = await partFolder();
    const mongo = fakeMongo(data);
    const part = mongoBackupPart({ preset: murima2025, mongo, databases: { tenant: 'murima2025' }, path: '' });
    const written: BundlePart = { ...(await part.backup(tenant, context)), startedAt: '', endedAt: '' };
    const path = join(root, 'mongo/case_notes.ejson.gz');
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, bytes.length - 20));
    await expect(part.restore(written, tenant, { mode: 'rename', name: 'restore_bad' }, context)).rejects.toThrow(/mongo\/case_notes\.ejson\.gz/);
    expect(mongo.dropped).toEqual(['restore_bad']);
    // Into the live database nothing is dropped or deleted: the failure says the restore is partial.
    const partial = await part.restore(written, tenant, { mode: 'replace' }, context).catch((e: unknown) => e);
    expect((partial as AppError).message).toMatch(/case_notes\.ejson\.gz.*partial/s);
    expect((partial as AppError).details).toMatchObject({ partial: true });
    expect(mongo.dropped).toEqual(['restore_bad']);
    expect(await readdir(join(root, 'mongo'))).toContain('indexes.json');
  });
});
