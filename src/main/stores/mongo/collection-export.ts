import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { BSON, type Collection, type Document } from 'mongodb';
import type { MongoRunLease } from './user-query';

/** What an export wrote: one canonical Extended JSON document per line, gzip, and the file's SHA-256. */
export interface CollectionExport {
  file: string;
  documents: number;
  /** Bytes of the gzip file. */
  bytes: number;
  /** SHA-256 of the gzip file's bytes, as `sha256sum` prints it. */
  sha256: string;
}

/** Documents read from the server per batch. */
const BATCH_SIZE = 1000;

/**
 * Streams a whole collection into `file` as gzip canonical Extended JSON (types kept: ObjectId,
 * dates, Decimal128, Int64 come back as they were), one document per line, hashing the gzip bytes
 * as they are written. The file appears under its name only once complete (written as
 * `<file>.partial`, then renamed); a cancel or a failure removes the partial file. The cursor reads
 * in `_id` order inside the lease's session, which a cancel kills on the server.
 */
export async function exportCollection(collection: Collection<Document>, file: string, lease: MongoRunLease): Promise<CollectionExport> {
  const partial = `${file}.partial`;
  const hash = createHash('sha256');
  let bytes = 0;
  let documents = 0;
  // No promotion to JS numbers: an Int64, an Int32 and a double stay what they are in the file.
  const cursor = collection.find({}, { session: lease.session, sort: { _id: 1 }, batchSize: BATCH_SIZE, promoteValues: false, promoteLongs: false });
  async function* lines(): AsyncGenerator<string> {
    for await (const document of cursor) {
      lease.deadline.throwIfStopped(lease.what);
      documents += 1;
      yield `${BSON.EJSON.stringify(document, { relaxed: false })}\n`;
    }
  }
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.from(lines()), createGzip(), counted, createWriteStream(partial, { mode: 0o600 }), { signal: lease.deadline.signal });
    await rename(partial, file);
  } catch (error) {
    await cursor.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
  return { file, documents, bytes, sha256: hash.digest('hex') };
}
