import type { Client, estypes } from '@elastic/elasticsearch';
import type { Deadline } from '../execution';
import type { UserQueryOptions, UserQueryPart } from '../user-query';
import { pagingSort, type UserSearchBody } from './user-body';

/**
 * The workbench runner for Elasticsearch: hits streamed page by page through a point in time with
 * `search_after` (so no result window applies and the pages see one snapshot), each page fetched
 * only when the caller pulls. A hit leaves as `{ _id, _index, ..._source }` with `_index` the
 * logical name (the tenant's prefix taken off, as the person typed it); aggregations leave once,
 * from the first page, as one document `{ _aggregations: … }` ahead of the hits. The point in time
 * is closed however the run ends.
 */

/** Hits per page when the caller names no batch size. */
export const DEFAULT_ELASTIC_BATCH = 500;
/** How long the cluster keeps the point in time between two pages. */
const KEEP_ALIVE = '2m';

/** One request's worth of what the store lends a run: the client, the run's deadline and how requests are tagged. */
export interface ElasticRunLease {
  client: Client;
  deadline: Deadline;
  transport: { signal: AbortSignal; opaqueId: string };
  what: string;
}

/** A hit as the workbench shows it. */
export function hitDocument(hit: estypes.SearchHit, tenantPrefix: string): Record<string, unknown> {
  const index = hit._index.startsWith(tenantPrefix) ? hit._index.slice(tenantPrefix.length) : hit._index;
  const source = hit._source !== null && typeof hit._source === 'object' ? (hit._source as Record<string, unknown>) : {};
  return { _id: hit._id ?? null, _index: index, ...source, ...(hit._source === undefined && hit.fields ? hit.fields : {}) };
}

/**
 * A search with the body as the person wrote it. Sent as JSON text: the client would otherwise
 * move keys it does not know as body fields into the query string.
 */
export function searchBody(lease: Pick<ElasticRunLease, 'client' | 'transport'>, index: string | undefined, body: Record<string, unknown>): Promise<estypes.SearchResponse> {
  return lease.client.search({ ...(index === undefined ? {} : { index }), body: JSON.stringify(body) }, lease.transport);
}

/** Only the aggregations, when the person asked for no hits (`size: 0`): one plain search. */
async function* aggregationsOnly(lease: ElasticRunLease, index: string, search: UserSearchBody): AsyncGenerator<UserQueryPart, void, undefined> {
  const reply = await lease.deadline.race(searchBody(lease, index, { ...search.body, size: 0 }), lease.what);
  if (reply.aggregations) yield { kind: 'documents', documents: [{ _aggregations: reply.aggregations }] };
}

/**
 * Streams the hits of a search on `index` (already confined to the tenant's pattern), at most the
 * row limit, then `truncated` when more were left.
 */
export async function* streamUserSearch(lease: ElasticRunLease, index: string, search: UserSearchBody, tenantPrefix: string, options: UserQueryOptions): AsyncGenerator<UserQueryPart, void, undefined> {
  if (search.size === 0) {
    yield* aggregationsOnly(lease, index, search);
    return;
  }
  const batchSize = Math.max(1, Math.min(options.batchSize ?? DEFAULT_ELASTIC_BATCH, 10_000));
  const cap = Math.min(options.rowLimit, search.size ?? Number.POSITIVE_INFINITY);
  // Stopping at the row limit is a cut only when the person's own size asked for more.
  const cutIsTruncation = search.size === undefined || search.size > options.rowLimit;
  const opened = await lease.deadline.race(lease.client.openPointInTime({ index, keep_alive: KEEP_ALIVE }, lease.transport), lease.what);
  let pitId = opened.id;
  try {
    const sort = pagingSort(search.body.sort);
    const { aggs, aggregations, suggest, ...rest } = search.body;
    let delivered = 0;
    let searchAfter: unknown[] | undefined;
    for (;;) {
      const size = Math.min(batchSize, cap - delivered + (cutIsTruncation ? 1 : 0));
      if (size <= 0) return;
      const first = searchAfter === undefined;
      // Aggregations and suggestions are computed once, on the first page; later pages only page.
      const body = first
        ? { ...rest, ...(aggs ? { aggs } : {}), ...(aggregations ? { aggregations } : {}), ...(suggest ? { suggest } : {}) }
        : { ...rest, track_total_hits: false, search_after: searchAfter };
      const reply = await lease.deadline.race(
        searchBody(lease, undefined, { ...body, size, sort, pit: { id: pitId, keep_alive: KEEP_ALIVE } }),
        lease.what,
      );
      pitId = reply.pit_id ?? pitId;
      if (first && reply.aggregations) yield { kind: 'documents', documents: [{ _aggregations: reply.aggregations }] };
      const hits = reply.hits.hits;
      const kept = hits.slice(0, cap - delivered);
      if (kept.length > 0) {
        delivered += kept.length;
        yield { kind: 'documents', documents: kept.map((hit) => hitDocument(hit, tenantPrefix)) };
      }
      if (hits.length > kept.length) {
        yield { kind: 'truncated' };
        return;
      }
      if (hits.length < size || delivered >= cap) return;
      searchAfter = hits.at(-1)?.sort;
      if (!searchAfter) return;
    }
  } finally {
    // Not with the run's signal: after a cancel the close must still reach the cluster.
    await lease.client.closePointInTime({ id: pitId }, { opaqueId: lease.transport.opaqueId }).catch(() => undefined);
  }
}
