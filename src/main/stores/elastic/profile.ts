import type { estypes } from '@elastic/elasticsearch';
import { searchBody, type ElasticRunLease } from './user-query';
import type { UserSearchBody } from './user-body';

/**
 * The Search Profiler's question for a workbench body: the same `_search`, on the same confined
 * index, with `profile: true`, answered whole (per shard: the query tree with its timing
 * breakdown, collectors, aggregations, fetch). `size` is the person's (0 profiles aggregations
 * alone); paging does not apply.
 */
export function profileSearch(lease: ElasticRunLease, index: string, search: UserSearchBody): Promise<estypes.SearchResponse> {
  return lease.deadline.race(searchBody(lease, index, { ...search.body, ...(search.size === undefined ? {} : { size: search.size }), profile: true }), lease.what);
}
