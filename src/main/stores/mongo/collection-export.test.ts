import { createHash } from 'node:crypto';
import { access, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { BSON, Decimal128, Long, ObjectId, type ClientSession, type Collection, type Document } from 'mongodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Deadline } from '../execution';
import { exportCollection } from './collection-export';

/**
 * A collection whose `find` cursor yields the given documents, as the driver's cursor does
 * (async iteration, close). What is tested is the export's file, not MongoDB's cursor.
 */
function collectionOf(documents: Document[], onEach?: (index: number) => void): { collection: Collection<Document>; closed: () => boolean; options: () => unknown } {
  let closed = false;
  let seen: unknown;
  const collection = {
    find: (_filter: Document, options: unknown) => {
      seen = options;
      return {
        async *[Symbol.asyncIterator]() {
          for (const [i, document] of documents.entries()) {
            onEach?.(i);
            await Promise.resolve();
            yield document;
          }
        },
        close: async () => {
          closed = true;
        },
      };
    },
  };
  return { collection: collection as unknown as Collection<Document>, closed: () => closed, options: () => seen };
}

describe('exporting a collection as gzip canonical Extended JSON', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tenantscope-export-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('writes one canonical document per line, types kept, with the SHA-256 of the gzip bytes', async () => {
    const documents = [
      { _id: new ObjectId('652f1c2e9b1d4a0012ab34cd'), at: new Date('2025-06-02T10:00:00Z'), amount: Decimal128.fromString('12.50'), seq: Long.fromNumber(2 ** 40), n: 1 },
      { _id: new ObjectId('652f1c2e9b1d4a0012ab34ce'), note: 'ünïcode\nline', n: 2.5 },
    ];
    const { collection, options } = collectionOf(documents);
    const file = join(dir, 'bucket.ejson.gz');
    const deadline = new Deadline({});
    const written = await exportCollection(collection, file, { session: {} as ClientSession, deadline, what: 'MongoDB export' });
    const bytes = await readFile(file);
    expect(written).toEqual({ file, documents: 2, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    const lines = gunzipSync(bytes).toString('utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(lines[0]).toContain('{"$oid":"652f1c2e9b1d4a0012ab34cd"}');
    expect(lines[0]).toContain('{"$numberDecimal":"12.50"}');
    expect(lines[0]).toContain('{"$numberLong":"1099511627776"}');
    // Byte for byte the same BSON once read back: every type survives the file.
    expect(lines.slice(0, 2).map((line) => Buffer.from(BSON.serialize(BSON.EJSON.parse(line, { relaxed: false }) as Document)))).toEqual(documents.map((d) => Buffer.from(BSON.serialize(d))));
    expect(options()).toMatchObject({ sort: { _id: 1 }, promoteValues: false, promoteLongs: false });
    deadline.dispose();
  });

  it('leaves no file behind when cancelled half way, and closes the cursor', async () => {
    const deadline = new Deadline({});
    const { collection, closed } = collectionOf(
      Array.from({ length: 50 }, (_, i) => ({ _id: i })),
      (i) => i === 10 && deadline.stop('cancelled'),
    );
    const file = join(dir, 'bucket.ejson.gz');
    await expect(exportCollection(collection, file, { session: {} as ClientSession, deadline, what: 'MongoDB export' })).rejects.toThrow();
    await expect(access(file)).rejects.toThrow();
    expect(await readdir(dir)).toEqual([]);
    expect(closed()).toBe(true);
    deadline.dispose();
  });
});
