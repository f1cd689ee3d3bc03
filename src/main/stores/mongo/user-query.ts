import type { AbstractCursor, ClientSession, Collection, Document } from 'mongodb';
import type { Deadline } from '../execution';
import type { UserQueryOptions, UserQueryPart } from '../user-query';
import { toRelaxedJson } from './relaxed-json';
import type { ScopedUserRequest } from './user-request';

/**
 * The workbench runner for MongoDB: a find or aggregate cursor read in batches of `batchSize`, each
 * batch fetched from the server only when the caller pulls (the driver's `getMore` happens inside
 * `next()` once its buffer is empty). Documents leave as relaxed Extended JSON, so ObjectIds,
 * dates and binaries survive the trip to the renderer as `{ $oid }`, `{ $date }`, `{ $binary }`.
 */

/** Documents per batch when the caller names none: one getMore's worth, a grid page several times over. */
export const DEFAULT_MONGO_BATCH = 500;

/** The session an operation runs in, with the deadline that kills it on cancel or timeout. */
export interface MongoRunLease {
  session: ClientSession;
  deadline: Deadline;
  /** `MongoDB workbench run`, for the deadline's words. */
  what: string;
}

/** How many documents a run hands over, and whether stopping there is a truncation. */
interface Limits {
  rowLimit: number;
  /** The person's own `limit` (find); stopping there is what they asked for. */
  userLimit: number | undefined;
  batchSize: number;
}

/** The cursor the request asks for, on a collection already resolved to the tenant's. */
export function openUserCursor(collection: Collection<Document>, request: ScopedUserRequest, lease: MongoRunLease, options: UserQueryOptions): { cursor: AbstractCursor<Document>; limits: Limits } {
  const batchSize = Math.max(1, Math.min(options.batchSize ?? DEFAULT_MONGO_BATCH, 100_000));
  const maxTimeMS = lease.deadline.timeoutMs;
  const common = { session: lease.session, batchSize, ...(maxTimeMS ? { maxTimeMS } : {}) };
  if (request.operation === 'find') {
    const { limit: userLimit, ...find } = request.find;
    // One more than the run keeps, so the store knows whether the row limit cut the result.
    const limit = userLimit !== undefined && userLimit > 0 && userLimit <= options.rowLimit ? userLimit : options.rowLimit + 1;
    return {
      cursor: collection.find(request.filter, { ...common, ...find, limit }),
      limits: { rowLimit: options.rowLimit, userLimit: userLimit === 0 ? undefined : userLimit, batchSize },
    };
  }
  // A trailing $limit lets the server stop early (and fold it into a preceding $sort); a writing
  // pipeline must end with its $out/$merge, and returns nothing anyway.
  const stages = request.writes ? request.pipeline : [...request.pipeline, { $limit: options.rowLimit + 1 }];
  return { cursor: collection.aggregate(stages, common), limits: { rowLimit: options.rowLimit, userLimit: undefined, batchSize } };
}

/**
 * Reads the cursor batch by batch, at most the row limit, then `truncated` when more was left.
 * The cursor is closed when the run ends for any reason (finished, cut, cancelled, or the caller
 * stopped pulling), which frees it on the server.
 */
export async function* streamUserCursor(cursor: AbstractCursor<Document>, limits: Limits, lease: MongoRunLease): AsyncGenerator<UserQueryPart, void, undefined> {
  const cap = Math.min(limits.rowLimit, limits.userLimit ?? Number.POSITIVE_INFINITY);
  let delivered = 0;
  try {
    while (delivered < cap) {
      const want = Math.min(limits.batchSize, cap - delivered);
      const documents: Record<string, unknown>[] = [];
      while (documents.length < want) {
        const document = await lease.deadline.race(cursor.next(), lease.what);
        if (document === null) break;
        documents.push(toRelaxedJson(document));
      }
      if (documents.length > 0) {
        delivered += documents.length;
        yield { kind: 'documents', documents };
      }
      if (documents.length < want) return;
    }
    if (limits.userLimit === undefined || limits.userLimit > limits.rowLimit) {
      if (await lease.deadline.race(cursor.hasNext(), lease.what)) yield { kind: 'truncated' };
    }
  } finally {
    // After a cancel the session is being killed, which frees the cursor too; no need to wait.
    const closing = cursor.close().catch(() => undefined);
    if (!lease.deadline.reason) await closing;
  }
}
