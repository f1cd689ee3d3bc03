import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '@shared/model/audit';
import { AuditJournal } from '../../src/main/security/audit/journal';
import { AuditShipper } from '../../src/main/security/audit/shipper';
import { verifyEntryTexts, verifyJournal } from '../../src/main/security/audit/verify';
import { CONSOLE_AUDIT_COLLECTION, MongoAuditSink } from '../../src/main/stores/mongo/audit-sink';
import { announceSkip, mongoSkipReason, mongoUrl } from '../support/external-stores';
import { mongoEndpointFrom } from '../support/mongo-endpoint';
import { clientReadDraft } from '../support/audit-drafts';

const SUITE = 'MongoAuditSink against a real MongoDB (consoleaudit in the admin database)';
announceSkip(SUITE, mongoSkipReason);

const draft = clientReadDraft;

async function journalEntries(file: string): Promise<AuditEntry[]> {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditEntry);
}

describe.skipIf(!mongoUrl)(SUITE, () => {
  const database = `tenantscope_audit_it_${process.pid}`;
  let dir: string;
  let admin: MongoClient;
  const sinks: MongoAuditSink[] = [];
  const sinkFor = (): MongoAuditSink => {
    const { endpoint, password } = mongoEndpointFrom(mongoUrl ?? '');
    const sink = new MongoAuditSink({ endpoint, database, connectTimeoutMs: 5_000, ...(password === undefined ? {} : { password }) });
    sinks.push(sink);
    return sink;
  };
  const stored = (workspaceId: string): Promise<Document[]> =>
    admin.db(database).collection(CONSOLE_AUDIT_COLLECTION).find({ workspaceId }).sort({ _id: 1 }).toArray();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tenantscope-mongo-audit-'));
    admin = new MongoClient(mongoUrl ?? '');
    await admin.connect();
  });

  afterAll(async () => {
    await Promise.all(sinks.map((sink) => sink.close()));
    await admin?.db(database).dropDatabase();
    await admin?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('creates consoleaudit with a unique index on (workspaceId, seq) and one on at, in a database that has none', async () => {
    const file = join(dir, 'fresh.jsonl');
    const journal = await AuditJournal.open({ file, workspaceId: 'cms-fresh' });
    try {
      await journal.append(draft(1));
      await (await AuditShipper.open({ file, sink: sinkFor() })).shipPending();
    } finally {
      await journal.close();
    }
    const indexes = await admin.db(database).collection(CONSOLE_AUDIT_COLLECTION).indexes();
    expect(indexes.find((index) => JSON.stringify(index.key) === JSON.stringify({ workspaceId: 1, seq: 1 }))).toMatchObject({ unique: true });
    expect(indexes.some((index) => JSON.stringify(index.key) === JSON.stringify({ at: 1 }))).toBe(true);
    await expect(admin.db(database).collection(CONSOLE_AUDIT_COLLECTION).insertOne({ workspaceId: 'cms-fresh', seq: 1 })).rejects.toMatchObject({ code: 11000 });
  });

  it('ships 100 entries in order, once, with BSON dates and the canonical line; a re-ship adds and changes nothing', async () => {
    const file = join(dir, 'hundred.jsonl');
    const journal = await AuditJournal.open({ file, workspaceId: 'cms-hundred' });
    try {
      for (let n = 1; n <= 100; n += 1) await journal.append(draft(n));
    } finally {
      await journal.close();
    }
    const sink = sinkFor();
    expect(await (await AuditShipper.open({ file, sink, batchSize: 32 })).shipPending()).toBe(100);
    const entries = await journalEntries(file);
    const first = await stored('cms-hundred');
    expect(first.map((document) => document.seq)).toEqual(entries.map((entry) => entry.seq));
    expect(first.map((document) => document.hash)).toEqual(entries.map((entry) => entry.hash));
    expect(first[0]?.at).toBeInstanceOf(Date);
    expect((first[0]?.at as Date).toISOString()).toBe(new Date(entries[0]?.at ?? '').toISOString());
    expect(first[4]).toMatchObject({ operator: { name: 'Sam Support' }, tenantIds: ['64b7f0c2a1b2c3d4e5f60718'], outcome: 'allowed', details: { n: 5 } });

    // The shipper's cursor lost, as after a crash: everything goes again and nothing changes.
    await sink.ship(entries);
    await sinkFor().ship(entries.slice(40, 60));
    const again = await stored('cms-hundred');
    expect(again).toEqual(first);
    expect(await verifyEntryTexts(sink.readEntryTexts('cms-hundred', 30))).toEqual(await verifyJournal(file));
  });

  it('refuses an entry that comes back with another hash, leaving the stored one as it was', async () => {
    const file = join(dir, 'tampered.jsonl');
    const journal = await AuditJournal.open({ file, workspaceId: 'cms-tampered' });
    try {
      for (let n = 1; n <= 10; n += 1) await journal.append(draft(n));
    } finally {
      await journal.close();
    }
    const sink = sinkFor();
    await (await AuditShipper.open({ file, sink })).shipPending();
    const entries = await journalEntries(file);
    const before = await stored('cms-tampered');
    const tampered = entries.map((entry) => (entry.seq === 7 ? { ...entry, target: 'somewhere else', hash: 'f'.repeat(64) } : entry));
    await expect(sink.ship(tampered.slice(4, 9))).rejects.toMatchObject({ code: 'conflict', details: { workspaceId: 'cms-tampered', seq: 7 } });
    expect(await stored('cms-tampered')).toEqual(before);
  });

  it('halts the shipper of a second journal that claims the places of the first one', async () => {
    const journals = [join(dir, 'twin-a.jsonl'), join(dir, 'twin-b.jsonl')];
    for (const [index, file] of journals.entries()) {
      const journal = await AuditJournal.open({ file, workspaceId: 'cms-twin' });
      await journal.append({ ...draft(index), target: `from journal ${index}` });
      await journal.close();
    }
    await (await AuditShipper.open({ file: journals[0] as string, sink: sinkFor() })).shipPending();
    await expect((await AuditShipper.open({ file: journals[1] as string, sink: sinkFor() })).shipPending()).rejects.toMatchObject({ code: 'conflict' });
    expect((await stored('cms-twin')).map((document) => document.target)).toEqual(['from journal 0']);
  });

  it('stores detail keys a document cannot hold and NUL in text, and its copy shows tampering of the canonical line', async () => {
    const file = join(dir, 'awkward.jsonl');
    const journal = await AuditJournal.open({ file, workspaceId: 'cms-awkward' });
    try {
      await journal.append({ ...draft(1), target: 'tenant x\u0000"; db.dropDatabase()', details: { $where: 'sleep(1)', 'a.b': { 'c\u0000d': 1 } } });
      for (let n = 2; n <= 5; n += 1) await journal.append(draft(n));
    } finally {
      await journal.close();
    }
    const sink = sinkFor();
    await (await AuditShipper.open({ file, sink })).shipPending();
    const [first] = await stored('cms-awkward');
    expect(first).toMatchObject({ target: 'tenant x\u0000"; db.dropDatabase()', details: { '%24where': 'sleep(1)', 'a%2Eb': { 'c%00d': 1 } } });
    expect(await verifyEntryTexts(sink.readEntryTexts('cms-awkward'))).toMatchObject({ intact: true, entries: 5 });

    const third = (await stored('cms-awkward'))[2];
    await admin
      .db(database)
      .collection(CONSOLE_AUDIT_COLLECTION)
      .updateOne({ workspaceId: 'cms-awkward', seq: 3 }, { $set: { entry: String(third?.entry).replace('"outcome":"allowed"', '"outcome":"refused"') } });
    expect((await verifyEntryTexts(sink.readEntryTexts('cms-awkward'))).problem).toMatchObject({ kind: 'tampered', seq: 3 });
  });
});
