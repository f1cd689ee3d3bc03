import { randomUUID } from 'node:crypto';
import { Client as ElasticClient } from '@elastic/elasticsearch';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElasticEndpoint } from '@shared/model/workspace';
import { murima2025, tenantIdPattern, type ElasticLayout, type MongoLayout } from '@shared/tenancy';
import { listElasticTenants } from '../../src/main/features/tenants/elastic-tenants';
import { listMongoTenants } from '../../src/main/features/tenants/mongo-tenants';
import { ElasticStore } from '../../src/main/stores/elastic/store';
import { MongoStore } from '../../src/main/stores/mongo/store';
import { announceSkip, elasticSkipReason, elasticUrl, mongoSkipReason, mongoUrl } from '../support/external-stores';
import { mongoEndpointFrom } from '../support/mongo-endpoint';

announceSkip('Tenant footprints in MongoDB', mongoSkipReason);
announceSkip('Tenant footprints in Elasticsearch', elasticSkipReason);

const idPattern = tenantIdPattern(murima2025);

describe.skipIf(!mongoUrl)('Tenant footprints in MongoDB', () => {
  const database = `tenantscope_tenants_${process.pid}`;
  const [a, b] = [randomUUID(), randomUUID()];
  let admin: MongoClient;
  let store: MongoStore;

  beforeAll(async () => {
    const { endpoint, password } = mongoEndpointFrom(mongoUrl ?? '');
    store = new MongoStore(endpoint, password ? { password } : {}, { readOnly: true });
    admin = new MongoClient(mongoUrl ?? '');
    await admin.connect();
    const db = admin.db(database);
    await db.collection(`tenant_${a}_case_notes`).insertMany([{ tenant_id: a }, { tenant_id: a }, { tenant_id: a }]);
    await db.collection(`tenant_${a}_audit_logs`).insertMany([{ tenant_id: a }, { tenant_id: a }]);
    await db.collection(`tenant_${b}_case_notes`).insertOne({ tenant_id: b });
    await db.collection('unrelated').insertOne({ x: 1 });
  });

  afterAll(async () => {
    await admin?.db(database).dropDatabase();
    await Promise.all([admin?.close(), store?.close()]);
  });

  it('counts each tenant’s collections and documents through MongoStore, as the server does', async () => {
    const rows = await listMongoTenants(store, murima2025.layout.mongo as MongoLayout, murima2025.blueprint.mongo, { tenant: database }, { idPattern });
    const db = admin.db(database);
    const direct = async (id: string) =>
      (await db.collection(`tenant_${id}_case_notes`).countDocuments()) + (id === a ? await db.collection(`tenant_${id}_audit_logs`).countDocuments() : 0);
    expect(rows.find((r) => r.id === a)?.footprint).toMatchObject({ store: 'mongo', collections: 2, documents: await direct(a) });
    expect(rows.find((r) => r.id === b)?.footprint).toMatchObject({ store: 'mongo', collections: 1, documents: await direct(b) });
    expect(rows).toHaveLength(2);
  });
});

describe.skipIf(!elasticUrl)('Tenant footprints in Elasticsearch', () => {
  const tenant = randomUUID();
  const indices = [`tenant-${tenant}-cases-2026-01`, `tenant-${tenant}-audit-logs-2026-01`];
  let client: ElasticClient;
  let store: ElasticStore;

  beforeAll(async () => {
    const url = new URL(elasticUrl ?? '');
    const endpoint = ElasticEndpoint.parse({
      node: `${url.protocol}//${url.host}`,
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      tls: { enabled: url.protocol === 'https:', rejectUnauthorized: false },
    });
    store = new ElasticStore(endpoint, url.password ? { password: decodeURIComponent(url.password) } : {}, { readOnly: true });
    client = new ElasticClient({ node: elasticUrl ?? '', tls: { rejectUnauthorized: false } });
    await client.bulk({
      refresh: true,
      operations: [
        { index: { _index: indices[0] } }, { title: 'Leak' },
        { index: { _index: indices[0] } }, { title: 'Window' },
        { index: { _index: indices[1] } }, { action: 'create' },
      ],
    });
  });

  afterAll(async () => {
    await client?.indices.delete({ index: indices, ignore_unavailable: true }).catch(() => undefined);
    await Promise.all([client?.close(), store?.close()]);
  });

  it('sums a tenant’s indices and documents through ElasticStore, as _cat/indices does', async () => {
    const entities = murima2025.blueprint.elastic!.indices.map((i) => i.entity);
    const rows = await listElasticTenants(store, murima2025.layout.elastic as ElasticLayout, entities, idPattern, { tenantId: tenant });
    const direct = await client.count({ index: indices });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.footprint).toMatchObject({ store: 'elastic', indices: 2, documents: direct.count });
  });
});
