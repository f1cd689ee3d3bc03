import type { ClientSession, Document, MongoClient } from 'mongodb';
import type { MongoTarget } from './scope';

/** An index build in progress on the server, as `currentOp` reports it. */
export interface MongoIndexBuild {
  opid: string;
  /** `Index Build: scanning collection`, `Index Build: draining writes`… */
  message: string;
  done: number | null;
  total: number | null;
}

/** `collMod` with `index: { name, hidden }`: the index stays maintained but the planner stops using it. */
export async function setIndexHidden(client: MongoClient, session: ClientSession, target: MongoTarget, name: string, hidden: boolean, maxTimeMS: number | undefined): Promise<void> {
  await client.db(target.database).command({ collMod: target.collection, index: { name, hidden } }, { session, ...(maxTimeMS ? { maxTimeMS } : {}) });
}

/**
 * The index builds running on one collection, from `currentOp` (MongoDB manual, "currentOp":
 * `msg` and `progress` of an index build); `$ownOps` is left false so builds of other sessions show.
 */
export async function indexBuilds(client: MongoClient, session: ClientSession, target: MongoTarget): Promise<MongoIndexBuild[]> {
  const namespace = `${target.database}.${target.collection}`;
  const reply = await client.db('admin').command(
    { currentOp: true, ns: namespace, $or: [{ 'command.createIndexes': { $exists: true } }, { msg: { $regex: '^Index Build' } }] },
    { session },
  );
  const inprog = Array.isArray(reply.inprog) ? (reply.inprog as Document[]) : [];
  return inprog.map((op) => {
    const progress = (op.progress ?? {}) as { done?: unknown; total?: unknown };
    return {
      opid: String(op.opid ?? ''),
      message: typeof op.msg === 'string' ? op.msg : 'Index Build',
      done: typeof progress.done === 'number' ? progress.done : null,
      total: typeof progress.total === 'number' ? progress.total : null,
    };
  });
}
