import type { Collection, Document } from 'mongodb';
import { toRelaxedJson } from './relaxed-json';
import type { MongoRunLease } from './user-query';
import type { ScopedUserRequest } from './user-request';

/**
 * `explain('executionStats')` of a workbench find or aggregate, built exactly as the run would be
 * (same scope, same refusals), so the plan is the plan of what the person runs. The server runs
 * the query to count what it examined, inside the same session and time limit as a run.
 */
export async function explainUserRequest(collection: Collection<Document>, request: ScopedUserRequest, lease: MongoRunLease): Promise<Record<string, unknown>> {
  const maxTimeMS = lease.deadline.timeoutMs;
  const common = { session: lease.session, ...(maxTimeMS ? { maxTimeMS } : {}) };
  const explained =
    request.operation === 'find'
      ? collection.find(request.filter, { ...common, ...request.find }).explain('executionStats')
      : collection.aggregate(request.pipeline, common).explain('executionStats');
  return toRelaxedJson(await lease.deadline.race(explained, lease.what));
}
