import { createRequire } from 'node:module';
import Mock, { type MockPattern } from '@elastic/elasticsearch-mock';
import { describe, expect, it } from 'vitest';
import { ElasticEndpoint } from '@shared/model/workspace';
import { explainFailedReply, getLifecycleReply, putLifecycleRefusedBody, retryRefusedBody, rolloverDryRunReply } from './ilm-fixtures';
import { EXPLAIN_FILTER, serverReason } from './ilm';
import { ElasticStore, type ElasticStoreOptions } from './store';

// The mock recognises errors of the client's CommonJS build; under vitest the test itself loads the ESM build.
const { errors } = createRequire(import.meta.url)('@elastic/elasticsearch') as typeof import('@elastic/elasticsearch');

const endpoint = ElasticEndpoint.parse({ node: 'http://es.test:9200' });
const info = { name: 'n', cluster_name: 'c', cluster_uuid: 'x', version: { number: '8.15.0', build_flavor: 'default', lucene_version: '9', minimum_wire_compatibility_version: '7', minimum_index_compatibility_version: '7' }, tagline: 'You Know, for Search' };

function mockedStore(options: ElasticStoreOptions = {}): { store: ElasticStore; mock: Mock; requests: MockPattern[] } {
  const mock = new Mock();
  const requests: MockPattern[] = [];
  mock.add({ method: 'GET', path: '/' }, () => info);
  const store = new ElasticStore(endpoint, {}, { ...options, connection: mock.getConnection() });
  return { store, mock, requests };
}

const refusal = (body: unknown, statusCode = 400) => new errors.ResponseError({ body, statusCode, headers: {}, warnings: null, meta: {} as never });

async function failureOf(work: Promise<unknown>): Promise<{ code?: string; message?: string; details?: unknown }> {
  try {
    await work;
  } catch (error) {
    return error as { code?: string; message?: string; details?: unknown };
  }
  throw new Error('expected a failure');
}

describe('ElasticLifecycle request shapes', () => {
  it('reads policies with in_use_by filtered out of the reply', async () => {
    const { store, mock, requests } = mockedStore();
    mock.add({ method: 'GET', path: '/_ilm/policy' }, (params) => {
      requests.push(params);
      return getLifecycleReply;
    });
    const policies = await store.ilm.policies(undefined);
    expect(policies.get('my_policy')).toMatchObject({ version: 1, modifiedDate: '2018-10-15T13:45:21.981Z' });
    expect(requests[0]?.querystring).toMatchObject({ filter_path: '*.version,*.modified_date,*.policy' });
    await store.close();
  });

  it('explains an expression with only the console’s fields, only_errors when asked', async () => {
    const { store, mock, requests } = mockedStore();
    mock.add({ method: 'GET', path: '/:index/_ilm/explain' }, (params) => {
      requests.push(params);
      return explainFailedReply;
    });
    const rows = await store.ilm.explain('tenant-a-*,tenant-b-*', { onlyErrors: true });
    expect(rows[0]).toMatchObject({ index: 'my-index-000001', failed_step: 'shrink', step_info: { reason: expect.stringContaining('target shards [4]') } });
    expect(requests[0]?.path).toBe('/tenant-a-*,tenant-b-*/_ilm/explain');
    expect(requests[0]?.querystring).toEqual({ filter_path: EXPLAIN_FILTER, only_errors: 'true' });
    await store.close();
  });

  it('reads index.lifecycle.name through the settings API with the setting in the path', async () => {
    const { store, mock, requests } = mockedStore();
    mock.add({ method: 'GET', path: '/:index/_settings/:name' }, (params) => {
      requests.push(params);
      return { 'tenant-a-cases-2026-01': { settings: { 'index.lifecycle.name': 'case_logs_policy' } }, 'tenant-a-misc': { settings: {} } };
    });
    const names = await store.ilm.lifecycleNames('*');
    expect([...names]).toEqual([['tenant-a-cases-2026-01', 'case_logs_policy'], ['tenant-a-misc', null]]);
    expect(requests[0]?.path).toBe('/*/_settings/index.lifecycle.name');
    expect(requests[0]?.querystring).toMatchObject({ flat_settings: 'true' });
    await store.close();
  });

  it('a refused retry carries the server’s reason, never "Bad Request"', async () => {
    const { store, mock } = mockedStore();
    mock.add({ method: 'POST', path: '/:index/_ilm/retry' }, () => refusal(retryRefusedBody));
    const failure = await failureOf(store.ilm.retry('my-index-000001'));
    expect(failure.code).toBe('invalid_argument');
    expect(failure.message).toBe('cannot retry an action for an index [my-index-000001] that has not encountered an error when running a Lifecycle Policy');
    expect(failure.details).toMatchObject({ status: 400, type: 'illegal_argument_exception' });
    await store.close();
  });

  it('a refused policy names the parser’s cause after the reason', async () => {
    const { store, mock } = mockedStore();
    mock.add({ method: 'PUT', path: '/_ilm/policy/:name' }, () => refusal(putLifecycleRefusedBody));
    const failure = await failureOf(store.ilm.putPolicy('p', { phases: {} }));
    expect(failure.message).toBe('[1:78] [lifecycle_policy] failed to parse field [phases]; caused by: [1:73] [shrink] unknown field [number_of_shard]');
    await store.close();
  });

  it('dry-runs a rollover on a read-only store and refuses the real one before sending', async () => {
    const { store, mock, requests } = mockedStore({ readOnly: true });
    mock.add({ method: 'POST', path: '/:alias/_rollover' }, (params) => {
      requests.push(params);
      return rolloverDryRunReply;
    });
    const reply = await store.ilm.rollover('my-alias', { dryRun: true, conditions: { max_docs: 1000 } });
    expect(reply).toMatchObject({ dry_run: true, rolled_over: false, new_index: 'my-index-2016.10.31-000002' });
    expect(requests[0]?.querystring).toMatchObject({ dry_run: 'true' });
    expect(requests[0]?.body).toEqual({ conditions: { max_docs: 1000 } });
    expect((await failureOf(store.ilm.rollover('my-alias', { dryRun: false }))).code).toBe('read_only');
    expect((await failureOf(store.ilm.retry('my-index-000001'))).code).toBe('read_only');
    expect((await failureOf(store.ilm.putPolicy('p', { phases: {} }))).code).toBe('read_only');
    expect(requests).toHaveLength(1);
    await store.close();
  });

  it('refuses a retry of a pattern or a hostile name before sending', async () => {
    const { store } = mockedStore();
    for (const index of ['tenant-*', 'a,b', 'a/../_all', 'x y']) expect((await failureOf(store.ilm.retry(index))).code).toBe('invalid_argument');
    await store.close();
  });
});

describe('serverReason', () => {
  it('reads a plain-string error and keeps distinct root causes once', () => {
    expect(serverReason({ error: 'Incorrect HTTP method' }).reason).toBe('Incorrect HTTP method');
    expect(serverReason(retryRefusedBody).rootCauses).toHaveLength(1);
    expect(serverReason({}).reason).toBeUndefined();
  });
});
