import { MongoBulkWriteError, MongoServerError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { canonicalJson, type AuditEntry } from '@shared/model/audit';
import { MongoEndpoint } from '@shared/model/workspace';
import { alreadyStored, auditDocumentOf, firstClash, indexFailure, MongoAuditSink, shipFailure, shipOperations, storableKey } from './audit-sink';

const entry = (seq: number, overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  seq,
  id: `e-${seq}`,
  at: '2026-03-01T10:15:30.123+02:00',
  workspaceId: 'cms-prod',
  operator: { name: 'Sam Support', email: 'sam@example.com' },
  role: 'support',
  tenantIds: ['64b7f0c2a1b2c3d4e5f60718'],
  action: 'clients.get',
  target: `mongo:clients/${seq}`,
  justification: { id: 'j-1', reason: 'customer says invoices are missing', ticket: 'SUP-1' },
  outcome: 'allowed',
  details: { n: seq },
  prevHash: String(seq - 1).padStart(64, '0'),
  hash: String(seq).padStart(64, 'a'),
  ...overrides,
});

describe('the consoleaudit document of an entry', () => {
  it('keeps the fields searchable, the time as a date and the canonical line exact', () => {
    const received = new Date('2026-03-01T08:16:00Z');
    const document = auditDocumentOf(entry(7), received);
    expect(document).toMatchObject({
      workspaceId: 'cms-prod',
      seq: 7,
      id: 'e-7',
      operator: { name: 'Sam Support', email: 'sam@example.com' },
      role: 'support',
      tenantIds: ['64b7f0c2a1b2c3d4e5f60718'],
      action: 'clients.get',
      target: 'mongo:clients/7',
      justification: { id: 'j-1', reason: 'customer says invoices are missing', ticket: 'SUP-1' },
      outcome: 'allowed',
      details: { n: 7 },
      hash: entry(7).hash,
      prevHash: entry(7).prevHash,
      receivedAt: received,
    });
    expect(document.at).toBeInstanceOf(Date);
    expect(document.at.toISOString()).toBe('2026-03-01T08:15:30.123Z');
    expect(document.entry).toBe(canonicalJson(entry(7)));
  });

  it('leaves out an operator email the entry does not have, and keeps a missing justification as null', () => {
    const document = auditDocumentOf(entry(1, { operator: { name: 'Console' }, justification: null }), new Date());
    expect(document.operator).toEqual({ name: 'Console' });
    expect(Object.hasOwn(document.operator, 'email')).toBe(false);
    expect(document.justification).toBeNull();
  });

  it('encodes detail keys a document cannot hold, at any depth, and keeps the exact text in entry', () => {
    const details = { '$where': 1, 'a.b': { 'c\u0000d': [{ '50%': true }] }, plain: 'x\u0000y' };
    const document = auditDocumentOf(entry(2, { details }), new Date());
    expect(document.details).toEqual({ '%24where': 1, 'a%2Eb': { 'c%00d': [{ '50%25': true }] }, plain: 'x\u0000y' });
    expect(JSON.parse(document.entry).details).toEqual(details);
  });

  it('encodes only the characters that need it', () => {
    expect(storableKey('tenantId')).toBe('tenantId');
    expect(storableKey('$a.b%')).toBe('%24a%2Eb%25');
  });
});

describe('the shipment of a batch', () => {
  it('upserts each entry by (workspaceId, seq) in seq order and only sets fields on insert', () => {
    const received = new Date('2026-03-01T00:00:00Z');
    const operations = shipOperations([entry(1), entry(2), entry(3)], received);
    expect(operations).toHaveLength(3);
    operations.forEach((operation, index) => {
      expect(operation).toEqual({
        updateOne: {
          filter: { workspaceId: 'cms-prod', seq: index + 1 },
          update: { $setOnInsert: auditDocumentOf(entry(index + 1), received) },
          upsert: true,
        },
      });
    });
  });

  it('names the entries the store already held from the indexes the reply did not upsert', () => {
    const batch = [entry(1), entry(2), entry(3), entry(4)];
    expect(alreadyStored(batch, { 0: 'id0', 2: 'id2' }).map((e) => e.seq)).toEqual([2, 4]);
    expect(alreadyStored(batch, { 0: 'a', 1: 'b', 2: 'c', 3: 'd' })).toEqual([]);
    expect(alreadyStored(batch, {}).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it('finds the first entry stored with another hash, or lost from the store, and none when all match', () => {
    const already = [entry(2), entry(3), entry(4)];
    const same = new Map(already.map((e) => [e.seq, e.hash]));
    expect(firstClash(already, same)).toBeUndefined();
    expect(firstClash(already, new Map([...same, [3, 'f'.repeat(64)]]))?.seq).toBe(3);
    const lost = new Map(same);
    lost.delete(4);
    expect(firstClash(already, lost)?.seq).toBe(4);
  });
});

describe('what a failed shipment tells the shipper', () => {
  const where = 'acme_admin_prod.consoleaudit on MongoDB at db:27017';
  const server = 'MongoDB at db:27017';
  const duplicate = { index: 3, code: 11000, errmsg: 'E11000 duplicate key error collection: acme_admin_prod.consoleaudit index: workspaceId_1_seq_1' };
  const bulkResult = { insertedCount: 0, matchedCount: 3, modifiedCount: 0, deletedCount: 0, upsertedCount: 0, upsertedIds: {}, insertedIds: {} };

  it('retries a duplicate key from a simultaneous upsert instead of halting on it as a conflict', () => {
    const bulk = new MongoBulkWriteError({ message: duplicate.errmsg, code: 11000, writeErrors: [duplicate] as never }, bulkResult as never);
    const failure = shipFailure(bulk, where, server);
    expect(failure.code).not.toBe('conflict');
    expect(failure.message).toContain(where);
  });

  it('keeps the code of any other failure and names the collection', () => {
    const failure = shipFailure(new MongoServerError({ ok: 0, errmsg: 'not authorized on acme_admin_prod', code: 13, codeName: 'Unauthorized' }), where, server);
    expect(failure).toMatchObject({ code: 'forbidden' });
    expect(failure.message).toMatch(/^The audit entries could not be stored in acme_admin_prod\.consoleaudit on MongoDB at db:27017: /);
  });

  it('passes a conflict found by comparing hashes through unchanged', () => {
    const clash = new AppError('conflict', 'already holds a different entry 7', { seq: 7 });
    expect(shipFailure(clash, where, server)).toBe(clash);
  });

  it('halts on an index that cannot be created because the store disagrees with it', () => {
    const options = new MongoServerError({ ok: 0, errmsg: 'An existing index has the same name as the requested index', code: 86, codeName: 'IndexKeySpecsConflict' });
    expect(indexFailure(options, where, server)).toMatchObject({ code: 'conflict', message: expect.stringContaining('unique index on (workspaceId, seq)') });
    const twins = new MongoServerError({ ok: 0, errmsg: duplicate.errmsg, code: 11000, codeName: 'DuplicateKey' });
    expect(indexFailure(twins, where, server).code).toBe('conflict');
  });

  it('retries an index build that failed for any other reason', () => {
    const down = new MongoServerError({ ok: 0, errmsg: 'not primary', code: 10107, codeName: 'NotWritablePrimary' });
    expect(indexFailure(down, where, server)).toMatchObject({ code: 'read_only', message: expect.stringContaining(where) });
  });
});

describe('MongoAuditSink against a store that is not there', () => {
  it('fails the attempt quickly as unreachable, naming the collection, and can be closed', async () => {
    const sink = new MongoAuditSink({ endpoint: MongoEndpoint.parse({ hosts: '127.0.0.1:1' }), database: 'acme_admin_prod', connectTimeoutMs: 200 });
    try {
      const failure = sink.ship([entry(1)]);
      await expect(failure).rejects.toMatchObject({ code: 'unreachable' });
      await expect(failure).rejects.toThrow(/acme_admin_prod\.consoleaudit on MongoDB at 127\.0\.0\.1:1/);
    } finally {
      await sink.close();
    }
  });

  it('ships nothing and connects to nothing for an empty batch', async () => {
    const sink = new MongoAuditSink({ endpoint: MongoEndpoint.parse({ hosts: '127.0.0.1:1' }), database: 'acme_admin_prod', connectTimeoutMs: 200 });
    await expect(sink.ship([])).resolves.toBeUndefined();
    await sink.close();
  });
});
