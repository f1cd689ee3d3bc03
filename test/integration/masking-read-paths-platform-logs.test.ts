import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as ElasticClient } from '@elastic/elasticsearch';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '@shared/contract';
import { MASK } from '@shared/masking';
import type { Role, Session } from '@shared/model/session';
import { ElasticEndpoint, type WorkspaceView } from '@shared/model/workspace';
import { createConsole, type ConsoleCore } from '../../src/main/core/console';
import { announceSkip, elasticSkipReason, elasticUrl, mongoSkipReason, mongoUrl } from '../support/external-stores';
import { mongoWorkspaceEndpoint } from '../support/mongo-endpoint';

announceSkip('Masked session ids in the platform’s MongoDB audit logs', mongoSkipReason);
announceSkip('Masked session ids in the platform’s Elasticsearch audit index', elasticSkipReason);

/**
 * The rows of the masking table whose store cannot run on every machine (see
 * masking-read-paths.test.ts for PostgreSQL and Redis): `audit.platformLogs` of a Murima2025
 * tenant returns the session id of each audit entry in `context.session_id`, from
 * `tenant_<id>_audit_logs` (MongoDB) and the audit index (Elasticsearch). Read through the
 * console's router for each role; each store runs where MONGO_URL / ES_URL names a server.
 */
type Call = <T>(method: string, args: unknown) => Promise<T>;

const OPERATORS: Record<Role, { name: string; email: string }> = {
  support: { name: 'Sam', email: 'sam@example.com' },
  dba: { name: 'Dana', email: 'dana@example.com' },
  platform_admin: { name: 'Ada', email: 'ada@example.com' },
};

/** One console with one Murima2025 workspace over a single store, and the calls the rows make. */
function harness(endpoints: Record<string, unknown>) {
  let core: ConsoleCore;
  let dataDir: string;
  let session: Session;
  let workspaceId = '';
  const call: Call = <T>(method: string, args: unknown): Promise<T> => core.router.invoke(method, args, session) as Promise<T>;
  return {
    async open(): Promise<void> {
      dataDir = await mkdtemp(join(tmpdir(), 'tenantscope-masking-logs-'));
      core = await createConsole({ dataDir, mode: 'web', version: 'test' });
      session = core.newSession('renderer-1');
      const created = await call<WorkspaceView>('workspaces.create', { workspace: { name: 'Masking test (platform logs)', environment: 'dev', preset: 'murima2025', endpoints } });
      workspaceId = created.id;
    },
    async close(): Promise<void> {
      await core?.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
    call,
    workspaceId: () => workspaceId,
    async become(role: Role, tenantId: string): Promise<void> {
      await call('access.setOperator', { workspaceId, ...OPERATORS[role], role });
      if (role === 'support') await call('access.justify', { workspaceId, scope: 'tenant', tenantId, reason: 'SUP-94: customer disputes a change' });
    },
  };
}

/** The table's checks for one field of the platform logs: masked for support and dba, in clear for an admin after an unmask. */
function platformLogRows(store: 'mongo' | 'elastic', h: ReturnType<typeof harness>, tenantId: string, sessionId: string): void {
  const field = `${store === 'mongo' ? 'mongo:audit_logs' : 'elastic:audit-logs'}#context.session_id`;
  const read = async (): Promise<unknown> => {
    const { entries, sources } = contract.audit.platformLogs.result.parse(await h.call('audit.platformLogs', { workspaceId: h.workspaceId(), tenantId }));
    const entry = entries.find((candidate) => candidate.store === store);
    if (!entry) throw new Error(`no ${store} entry in the platform logs: ${JSON.stringify(sources[store])}`);
    return (entry.record.context as Record<string, unknown> | undefined)?.session_id;
  };

  it.each(['support', 'dba'] as const)(`audit.platformLogs (${store}): %s sees the session id masked and is refused the unmask`, async (role) => {
    await h.become(role, tenantId);
    expect(await read()).toBe(MASK);
    await expect(h.call('access.justify', { workspaceId: h.workspaceId(), scope: 'unmask', tenantId, field, reason: 'I would like to see this value' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(await read()).toBe(MASK);
  });

  it(`audit.platformLogs (${store}): a platform admin sees the session id only after an unmask with a reason, and support still does not`, async () => {
    await h.become('platform_admin', tenantId);
    expect(await read()).toBe(MASK);
    await h.call('access.justify', { workspaceId: h.workspaceId(), scope: 'unmask', tenantId, field, reason: 'SUP-95: match the change to a login' });
    expect(await read()).toBe(sessionId);
    await h.become('support', tenantId);
    expect(await read()).toBe(MASK);
  });
}

describe.skipIf(!mongoUrl)('the platform’s MongoDB audit logs, masked for every role', () => {
  const tenantId = randomUUID();
  const sessionId = randomUUID();
  const collection = `tenant_${tenantId}_audit_logs`;
  let mongo: MongoClient;
  const h = harness({
    mongo: mongoWorkspaceEndpoint(mongoUrl ?? 'mongodb://localhost'),
  });

  beforeAll(async () => {
    mongo = new MongoClient(mongoUrl ?? '');
    await mongo.connect();
    await mongo.db('murima2025').collection(collection).insertOne({
      tenant_id: tenantId, entity_type: 'case', entity_id: randomUUID(), action: 'update', user_id: randomUUID(), timestamp: new Date(),
      changes: [{ field: 'status', old_value: 'open', new_value: 'closed' }], context: { session_id: sessionId, request_id: randomUUID() },
    });
    await h.open();
  }, 120_000);

  afterAll(async () => {
    await h.close();
    await mongo?.db('murima2025').collection(collection).drop().catch(() => undefined);
    await mongo?.close();
  });

  platformLogRows('mongo', h, tenantId, sessionId);
});

describe.skipIf(!elasticUrl)('the platform’s Elasticsearch audit index, masked for every role', () => {
  const tenantId = randomUUID();
  const sessionId = randomUUID();
  const index = `tenant-${tenantId}-audit-logs-2026-06`;
  let client: ElasticClient;
  const url = new URL(elasticUrl ?? 'http://localhost:9200');
  const h = harness({
    elastic: {
      ...ElasticEndpoint.parse({
        node: `${url.protocol}//${url.host}`,
        ...(url.username && { username: decodeURIComponent(url.username) }),
        tls: { enabled: url.protocol === 'https:', rejectUnauthorized: false },
      }),
      ...(url.password && { password: decodeURIComponent(url.password) }),
    },
  });

  beforeAll(async () => {
    client = new ElasticClient({ node: elasticUrl ?? '', tls: { rejectUnauthorized: false } });
    await client.indices.create({ index, mappings: { properties: { tenant_id: { type: 'keyword' }, timestamp: { type: 'date' } } } });
    await client.index({
      index,
      refresh: true,
      document: {
        tenant_id: tenantId, entity_type: 'case', entity_id: randomUUID(), action: 'update', timestamp: '2026-06-01T10:00:00Z',
        changes: [{ field: 'status', old_value: 'open', new_value: 'closed' }], context: { session_id: sessionId },
      },
    });
    await h.open();
  }, 120_000);

  afterAll(async () => {
    await h.close();
    await client?.indices.delete({ index, ignore_unavailable: true });
    await client?.close();
  });

  platformLogRows('elastic', h, tenantId, sessionId);
});
