import { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTenantScope } from '../../src/shared/model/tenant-scope';
import { ElasticEndpoint } from '../../src/shared/model/workspace';
import { ElasticStore } from '../../src/main/stores/elastic/store';
import type { UserQueryPart } from '../../src/main/stores/user-query';
import { announceSkip, elasticSkipReason, elasticUrl } from '../support/external-stores';
import { errorOf, waitFor } from './stores/postgres-helpers';

announceSkip('The Elasticsearch workbench against a real Elasticsearch', elasticSkipReason);

function endpointFrom(url: string): { endpoint: ElasticEndpoint; password?: string } {
  const parsed = new URL(url);
  return {
    endpoint: ElasticEndpoint.parse({ node: `${parsed.protocol}//${parsed.host}`, ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}), tls: { enabled: parsed.protocol === 'https:', rejectUnauthorized: false } }),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
  };
}

async function drain(parts: AsyncGenerator<UserQueryPart>): Promise<UserQueryPart[]> {
  const all: UserQueryPart[] = [];
  for await (const part of parts) all.push(part);
  return all;
}

describe.skipIf(!elasticUrl)('The Elasticsearch workbench against a real Elasticsearch', () => {
  const tenant = `wb${process.pid}`;
  const other = `wbo${process.pid}`;
  const scope = defaultTenantScope(tenant);
  const mine = `tenant-${tenant}-cases-2025-01`;
  const theirs = `tenant-${other}-cases-2025-01`;
  let store: ElasticStore;
  let admin: Client;

  /** Points in time open on the cluster, to see that a run closed its own. */
  async function openContexts(): Promise<number> {
    const stats = await admin.nodes.stats({ metric: 'indices', index_metric: 'search' });
    return Object.values(stats.nodes).reduce((sum, node) => sum + Number(node.indices?.search?.open_contexts ?? 0), 0);
  }

  beforeAll(async () => {
    const { endpoint, password } = endpointFrom(elasticUrl ?? '');
    store = new ElasticStore(endpoint, { password });
    const parsed = new URL(elasticUrl ?? '');
    admin = new Client({ node: `${parsed.protocol}//${parsed.host}`, ...(parsed.username ? { auth: { username: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) } } : {}), tls: { rejectUnauthorized: false } });
    for (const index of [mine, theirs]) {
      await admin.indices.create({ index, mappings: { properties: { n: { type: 'integer' }, title: { type: 'text', fields: { keyword: { type: 'keyword' } } }, status: { type: 'keyword' } } } });
    }
    await admin.bulk({
      refresh: true,
      operations: [
        ...Array.from({ length: 30 }, (_, i) => [{ index: { _index: mine, _id: `m${i}` } }, { n: i, title: `case ${i}`, status: i % 2 ? 'open' : 'closed' }]).flat(),
        ...Array.from({ length: 5 }, (_, i) => [{ index: { _index: theirs, _id: `o${i}` } }, { n: i, title: `theirs ${i}`, status: 'open' }]).flat(),
      ],
    });
  });

  afterAll(async () => {
    await admin?.indices.delete({ index: [mine, theirs], ignore_unavailable: true }).catch(() => undefined);
    await Promise.all([store?.close(), admin?.close()]);
  });

  it('streams the tenant’s hits page by page, says where the limit cut, and closes its point in time', async () => {
    const before = await openContexts();
    const parts = await drain(store.runUser('cases-*', '{ "sort": [{ "n": "asc" }] }', scope, { rowLimit: 20, write: false, batchSize: 8 }));
    expect(parts.map((p) => (p.kind === 'documents' ? p.documents.length : p.kind))).toEqual([8, 8, 4, 'truncated']);
    const documents = parts.flatMap((p) => (p.kind === 'documents' ? p.documents : []));
    expect(documents.map((d) => d.n)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(new Set(documents.map((d) => d._index))).toEqual(new Set(['cases-2025-01']));
    expect(await waitFor(async () => (await openContexts()) <= before, 5_000)).toBe(true);
  });

  it('hands aggregations over once as a document', async () => {
    const parts = await drain(store.runUser('cases-*', '{ "size": 0, "aggs": { "s": { "terms": { "field": "status" } } } }', scope, { rowLimit: 10, write: false }));
    const [document] = parts.flatMap((p) => (p.kind === 'documents' ? p.documents : []));
    expect((document?._aggregations as { s: { buckets: Array<{ doc_count: number }> } }).s.buckets.map((b) => b.doc_count)).toEqual([15, 15]);
  });

  it('refuses each way out before it is sent', async () => {
    const escapes: Array<[string, string]> = [
      [theirs, '{}'],
      [`cases-*,${theirs}`, '{}'],
      ['_all', '{}'],
      ['cases-*', JSON.stringify({ query: { terms: { _id: { index: theirs, id: 'o1', path: 'title' } } } })],
      ['cases-*', JSON.stringify({ query: { more_like_this: { fields: ['title'], like: [{ _index: theirs, _id: 'o1' }], min_term_freq: 1, min_doc_freq: 1 } } })],
    ];
    for (const [index, body] of escapes) expect(await errorOf(drain(store.runUser(index, body, scope, { rowLimit: 10, write: false }))), `${index} ${body}`).toMatchObject({ code: 'forbidden' });
  });

  it('passes the cluster’s refusal of a bad query on as invalid_argument', async () => {
    expect(await errorOf(drain(store.runUser('cases-*', '{ "query": { "mtch": {} } }', scope, { rowLimit: 10, write: false })))).toMatchObject({ code: 'invalid_argument' });
  });

  it('closes the point in time when the run is cancelled between pages', async () => {
    const before = await openContexts();
    const controller = new AbortController();
    const run = store.runUser('cases-*', '{}', scope, { rowLimit: 100, write: false, batchSize: 5, signal: controller.signal });
    await run.next();
    controller.abort();
    expect(await errorOf(run.next())).toMatchObject({ code: 'cancelled' });
    expect(await waitFor(async () => (await openContexts()) <= before, 5_000)).toBe(true);
  });

  it('profiles the same body on the same confined index', async () => {
    const reply = (await store.profileUser('cases-*', '{ "query": { "match": { "title": "case" } } }', scope)) as { profile?: { shards: Array<{ id: string }> } };
    expect(reply.profile?.shards.length).toBeGreaterThan(0);
    expect(reply.profile?.shards.every((s) => s.id.includes(mine))).toBe(true);
  });

  it('lists the tenant’s indices by logical name with their fields', async () => {
    const catalog = await store.userCatalog(scope);
    expect(catalog.map((c) => c.name)).toEqual(['cases-2025-01']);
    expect(catalog[0]?.fields).toEqual(expect.arrayContaining([{ name: 'title.keyword', type: 'keyword' }, { name: 'n', type: 'integer' }]));
  });
});
