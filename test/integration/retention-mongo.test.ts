import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { BSON, Decimal128, Long, MongoClient, ObjectId, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthOf, shiftMonth } from '@shared/model/retention';
import { MongoEndpoint } from '@shared/model/workspace';
import { murima2025 } from '@shared/tenancy';
import { exportDropKind } from '../../src/main/features/retention/export-drop-job';
import { readMongoRetention } from '../../src/main/features/retention/mongo-retention';
import { MongoStore } from '../../src/main/stores/mongo/store';
import { announceSkip, mongoSkipReason, mongoUrl } from '../support/external-stores';

const SUITE = 'Retention on MongoDB: monthly buckets, TTL indexes and export-then-drop';
announceSkip(SUITE, mongoSkipReason);

/**
 * A Murima2025 tenant's `audit_logs` buckets on a real MongoDB: months past the 12-month retention
 * are found and exported as gzip canonical Extended JSON that reads back to the same documents (types
 * kept), then dropped; the months kept stay; a TTL index with other seconds than the blueprint's is
 * found; a read-only store refuses the drop.
 */
describe.skipIf(!mongoUrl)(SUITE, () => {
  const tenant = randomUUID();
  const database = `tenantscope_retention_it_${process.pid}`;
  const now = monthOf(new Date());
  const expired = [shiftMonth(now, -14), shiftMonth(now, -13)];
  const kept = [shiftMonth(now, -1), now];
  const bucket = (month: string) => `tenant_${tenant}_audit_logs_${month.replace('-', '_')}`;
  const signal = new AbortController().signal;
  let admin: MongoClient;
  let store: MongoStore;
  let readOnly: MongoStore;
  let exportRoot: string;

  const storeOf = (options: { readOnly?: boolean } = {}) => {
    const parsed = new URL(mongoUrl ?? '');
    return new MongoStore(
      MongoEndpoint.parse({ hosts: parsed.host, srv: parsed.protocol === 'mongodb+srv:', ...(parsed.username ? { username: decodeURIComponent(parsed.username), authSource: 'admin' } : {}) }),
      { password: parsed.password ? decodeURIComponent(parsed.password) : undefined },
      options,
    );
  };

  beforeAll(async () => {
    admin = new MongoClient(mongoUrl ?? '');
    await admin.connect();
    const db = admin.db(database);
    for (const [i, month] of [...expired, ...kept].entries()) {
      await db.collection(bucket(month)).insertMany([
        { _id: new ObjectId(), tenant_id: tenant, action: 'login', at: new Date(`${month}-02T10:00:00Z`), amount: Decimal128.fromString('12.50'), seq: Long.fromNumber(2 ** 40 + i) },
        { _id: new ObjectId(), tenant_id: tenant, action: 'update', at: new Date(`${month}-03T10:00:00Z`) },
      ]);
    }
    await db.collection(`tenant_${tenant}_ai_results_cache`).createIndex({ expires_at: 1 }, { name: 'expires_at_1', expireAfterSeconds: 3600 });
    store = storeOf();
    readOnly = storeOf({ readOnly: true });
    await Promise.all([store.connect(), readOnly.connect()]);
    exportRoot = await mkdtemp(join(tmpdir(), 'tenantscope-retention-mongo-'));
  });

  afterAll(async () => {
    await admin?.db(database).dropDatabase();
    await Promise.all([store?.close(), readOnly?.close(), admin?.close()]);
    if (exportRoot) await rm(exportRoot, { recursive: true, force: true });
  });

  it('finds the buckets past retention with their counts, and the TTL index with other seconds', async () => {
    const view = await readMongoRetention({ face: store, database }, murima2025, { tenantId: tenant, now, signal });
    if (!view.available) throw new Error(view.reason);
    const family = view.buckets.find((b) => b.family === 'audit_logs');
    expect(family?.buckets.map((b) => [b.month, b.expired, b.documents])).toEqual([
      [expired[0], true, 2],
      [expired[1], true, 2],
      [kept[0], false, 2],
      [kept[1], false, 2],
    ]);
    expect(view.ttl.find((c) => c.family === 'ai_results_cache')).toMatchObject({ state: 'wrong_seconds', prescribedSeconds: 0, liveSeconds: 3600 });
  });

  it('exports the expired buckets as Extended JSON that reads back to the same documents, then drops exactly them', async () => {
    // Read with the BSON types kept (no promotion to JS numbers), as the export writes them.
    const originals = await admin.db(database).collection(bucket(expired[0] as string)).find({}, { sort: { _id: 1 }, promoteValues: false, promoteLongs: false }).toArray();
    const stores = { workspaceId: 'ws', preset: murima2025, mongo: { face: store, database }, exportRoot };
    const kind = exportDropKind(async () => stores);
    const result = await kind.run(kind.params.parse({ tenantId: tenant, family: 'audit_logs', months: expired }), {
      jobId: 'job_retentionmongotest01',
      signal,
      stores,
      progress: () => undefined,
      log: () => undefined,
    });
    expect(result).toMatchObject({ dropped: expired.map(bucket), exported: 2 });
    const names = await admin.db(database).listCollections({}, { nameOnly: true }).map((c) => c.name).toArray();
    expect(names.filter((n) => n.includes('_audit_logs_')).sort()).toEqual(kept.map(bucket).sort());
    const file = join(exportRoot, 'ws', 'job_retentionmongotest01', `${bucket(expired[0] as string)}.ejson.gz`);
    const lines = gunzipSync(await readFile(file)).toString('utf8').trim().split('\n');
    // Byte for byte the same BSON once read back: ObjectId, dates, Decimal128 and Int64 survive the file.
    expect(lines.map((line) => Buffer.from(BSON.serialize(BSON.EJSON.parse(line, { relaxed: false }) as Document)))).toEqual(originals.map((d) => Buffer.from(BSON.serialize(d))));
  });

  it('a read-only store refuses the drop before sending it', async () => {
    await expect(readOnly.dropCollection({ database, collection: bucket(kept[0] as string) })).rejects.toMatchObject({ code: 'read_only' });
    expect(await admin.db(database).collection(bucket(kept[0] as string)).countDocuments()).toBe(2);
  });
});
