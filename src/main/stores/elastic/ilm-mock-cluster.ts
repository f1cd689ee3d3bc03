import Mock, { type MockPattern } from '@elastic/elasticsearch-mock';
import { ElasticEndpoint } from '@shared/model/workspace';
import { explainFailedReply } from './ilm-fixtures';
import { ElasticStore } from './store';

/**
 * A cluster of many tenant indices behind Elastic's transport mock, for the ILM room's tests and
 * its benchmark: `_cat/indices` and `_ilm/explain` answer from the index list (comma-separated
 * patterns with `*`, `only_errors`), in the explain reply shape of the reference (see
 * `ilm-fixtures.ts`). Every request is recorded with its path, so batching can be counted.
 */

export interface MockIndex {
  index: string;
  phase: string;
  /** The failed step's reason, when the step failed. */
  failure?: string;
}

const info = { name: 'n', cluster_name: 'mock', cluster_uuid: 'x', version: { number: '8.15.0', build_flavor: 'default', lucene_version: '9', minimum_wire_compatibility_version: '7', minimum_index_compatibility_version: '7' }, tagline: 'You Know, for Search' };

const globTest = (pattern: string): RegExp => new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

function explained(entry: MockIndex) {
  const template = explainFailedReply.indices['my-index-000001'];
  const base = { index: entry.index, managed: true, policy: 'case_logs_policy', lifecycle_date_millis: Date.UTC(2026, 0, 1), age: '30.5d', phase: entry.phase, action: 'complete', step: 'complete' };
  return entry.failure ? { ...base, action: template.action, step: 'ERROR', failed_step: template.failed_step, step_info: { type: template.step_info.type, reason: entry.failure }, is_auto_retryable_error: false, failed_step_retry_count: 0 } : base;
}

export interface MockCluster {
  store: ElasticStore;
  mock: Mock;
  requests: Array<{ method: string; path: string; querystring: Record<string, unknown> }>;
}

/**
 * A store over a mocked cluster holding `indices`. `refuse` may answer an explain expression with
 * an error instead (a batch that fails). Routes are one wildcard: the mock's router does not match
 * a path parameter longer than 100 characters, and batched expressions are longer.
 */
export function mockIlmCluster(indices: readonly MockIndex[], options: { refuse?: (expression: string) => Error | undefined } = {}): MockCluster {
  const mock = new Mock();
  const requests: MockCluster['requests'] = [];
  // A trailing-star pattern is a range of the sorted names: the mock's own matching stays cheap beside the client's work.
  const sorted = [...indices].sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : 0));
  const from = (prefix: string): number => {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((sorted[middle]?.index ?? '') < prefix) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  const matching = (expression: string): MockIndex[] => {
    const found = new Set<MockIndex>();
    for (const part of expression.split(',')) {
      if (part.indexOf('*') === part.length - 1) {
        const prefix = part.slice(0, -1);
        for (let at = from(prefix); at < sorted.length && sorted[at]?.index.startsWith(prefix); at++) found.add(sorted[at] as MockIndex);
      } else {
        const test = globTest(part);
        for (const entry of sorted) if (test.test(entry.index)) found.add(entry);
      }
    }
    return [...found];
  };
  mock.add({ method: 'GET', path: '/' }, () => info);
  mock.add({ method: 'GET', path: '/*' }, (params: MockPattern) => {
    const path = String(params.path);
    const querystring = (params.querystring ?? {}) as Record<string, unknown>;
    requests.push({ method: 'GET', path, querystring });
    const parts = path.split('/');
    if (path.startsWith('/_cat/indices/')) return matching(parts[3] ?? '').map((i) => ({ index: i.index, 'docs.count': String(i.index.length * 100), 'store.size': String(i.index.length * 4096) }));
    if (path.endsWith('/_ilm/explain')) {
      const expression = parts[1] ?? '';
      const refused = options.refuse?.(expression);
      if (refused) return refused;
      const rows = matching(expression).filter((i) => querystring.only_errors !== 'true' || i.failure);
      return { indices: Object.fromEntries(rows.map((i) => [i.index, explained(i)])) };
    }
    return { error: 'not mocked' };
  });
  const store = new ElasticStore(ElasticEndpoint.parse({ node: 'http://es.mock:9200' }), {}, { connection: mock.getConnection() });
  return { store, mock, requests };
}

/**
 * `tenants` tenants with `perTenant` monthly indices each (`tenant-<uuid>-<entity>-YYYY-MM`), every
 * `failEvery`-th index stuck in a failed step. Ids are UUIDs built from the tenant's number.
 */
export function tenantFleet(tenants: number, perTenant: number, failEvery = 0): MockIndex[] {
  const entities = ['cases', 'interactions', 'audit-logs'];
  const out: MockIndex[] = [];
  for (let t = 0; t < tenants; t++) {
    const id = `${t.toString(16).padStart(8, '0')}-0000-4000-8000-${(t * 7919).toString(16).padStart(12, '0')}`;
    for (let i = 0; i < perTenant; i++) {
      const month = new Date(Date.UTC(2026, 11 - Math.floor(i / entities.length), 1));
      const name = `tenant-${id}-${entities[i % entities.length]}-${month.getUTCFullYear()}-${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
      const phase = i < 3 ? 'hot' : i < 9 ? 'warm' : 'cold';
      const failing = failEvery > 0 && (t * perTenant + i) % failEvery === 0;
      out.push({ index: name, phase, ...(failing ? { failure: `[${name}] the number of target shards [4] must be less that the number of source shards [2]` } : {}) });
    }
  }
  return out;
}
