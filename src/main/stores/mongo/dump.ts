import { BSON, type ClientSession, type Document, type MongoClient } from 'mongodb';
import { AppError } from '@shared/errors';
import type { MongoTarget } from './scope';

/**
 * A tenant's documents out and back in as canonical Extended JSON (`relaxed: false`), so every
 * BSON type survives the trip: Int32 stays Int32, Long stays Long, Decimal128, Binary, dates
 * before 1970 and ObjectIds come back as they were.
 */

/** One document as a line of canonical Extended JSON. */
export function canonicalLine(document: Document): string {
  return BSON.EJSON.stringify(document, { relaxed: false });
}

/** A line written by `canonicalLine` back into a document; a damaged line names its place. */
export function documentOfLine(line: string, where: string): Document {
  try {
    return BSON.EJSON.parse(line, { relaxed: false }) as Document;
  } catch (error) {
    throw new AppError('invalid_argument', `${where} is not canonical Extended JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Streams the documents a filter matches, by `_id`, in batches of lines; the next batch is read
 * only once `onBatch` is done with the last, so a slow disk slows the read instead of filling memory.
 */
export async function exportLines(
  client: MongoClient,
  session: ClientSession,
  target: MongoTarget,
  filter: Document,
  onBatch: (lines: string[]) => Promise<void>,
  batchSize: number,
): Promise<number> {
  const cursor = client.db(target.database).collection(target.collection).find(filter, { session, sort: { _id: 1 }, batchSize });
  let lines: string[] = [];
  let count = 0;
  try {
    for await (const document of cursor) {
      lines.push(canonicalLine(document));
      count += 1;
      if (lines.length >= batchSize) {
        await onBatch(lines);
        lines = [];
      }
    }
    if (lines.length > 0) await onBatch(lines);
  } finally {
    await cursor.close().catch(() => undefined);
  }
  return count;
}
