import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MongoEndpoint, PostgresEndpoint } from '@shared/model/workspace';
import { quoteIdent } from '@shared/sql/identifiers';
import { murima2025, tenantSchemaName } from '@shared/tenancy';
import { createCasesService, type CasesService } from '../../src/main/features/cases/service';
import { MongoStore } from '../../src/main/stores/mongo/store';
import { PostgresStore } from '../../src/main/stores/postgres/store';
import { announceSkip, mongoSkipReason, mongoUrl } from '../support/external-stores';
import { createBlueprintSchema, createRegistry, createScratchDatabase, currentMonth, pgLayout, registerTenant } from './tenants-fixtures';

announceSkip('Case timeline with MongoDB case notes and audit logs', mongoSkipReason);

/**
 * A Murima2025 case whose notes and audit entries live in MongoDB `tenant_<id>_case_notes` and
 * `tenant_<id>_audit_logs`: the timeline holds exactly this case's documents, merged in time order
 * with its PostgreSQL history. MongoStore goes in as it is: with the collection-prefix scope no
 * filter value needs an ObjectId.
 */
describe.skipIf(!mongoUrl)('Case timeline with MongoDB case notes and audit logs', () => {
  const tenant = randomUUID();
  const neighbour = randomUUID();
  const caseId = randomUUID();
  const otherCase = randomUUID();
  const mongoDatabase = `tenantscope_cases_it_${process.pid}`;
  let db: { pool: pg.Pool; drop(): Promise<void> };
  let postgres: PostgresStore;
  let mongo: MongoStore;
  let admin: MongoClient;
  let service: CasesService;

  beforeAll(async () => {
    const server = inject('postgres');
    db = await createScratchDatabase(server.url, 'cases_mongo_it');
    await createRegistry(db.pool);
    await registerTenant(db.pool, tenant, 'Tenant M');
    await createBlueprintSchema(db.pool, tenant, currentMonth(), currentMonth());
    const schema = quoteIdent(tenantSchemaName(pgLayout, tenant));
    const user = randomUUID();
    const type = randomUUID();
    await db.pool.query(`INSERT INTO ${schema}.users (id, tenant_id, username, email, password_hash, role) VALUES ($1, $2, 'zawadi', 'z@x.example', 'h', 'agent')`, [user, tenant]);
    await db.pool.query(`INSERT INTO ${schema}.case_types (id, tenant_id, name, form_definition) VALUES ($1, $2, 'Billing', '{}')`, [type, tenant]);
    for (const id of [caseId, otherCase]) {
      await db.pool.query(
        `INSERT INTO ${schema}.cases (id, tenant_id, case_number, title, case_type_id, created_by, created_at) VALUES ($1, $2, $3, 'Double charge', $4, $5, '2026-01-05T08:00:00Z')`,
        [id, tenant, `CASE-${id.slice(0, 8)}`, type, user],
      );
    }
    admin = new MongoClient(mongoUrl ?? '');
    await admin.connect();
    const mdb = admin.db(mongoDatabase);
    await mdb.collection(`tenant_${tenant}_case_notes`).insertMany([
      { tenant_id: tenant, case_id: caseId, content: 'Second note', created_at: new Date('2026-01-05T12:00:00Z'), is_internal: false },
      { tenant_id: tenant, case_id: caseId, content: 'First note', created_at: new Date('2026-01-05T09:00:00Z'), is_internal: true },
      { tenant_id: tenant, case_id: otherCase, content: 'Another case', created_at: new Date('2026-01-05T10:00:00Z') },
    ]);
    await mdb.collection(`tenant_${tenant}_audit_logs`).insertOne({
      tenant_id: tenant, entity_type: 'case', entity_id: caseId, action: 'update', timestamp: new Date('2026-01-05T10:30:00Z'),
      changes: [{ field: 'status', old_value: 'open', new_value: 'pending' }], context: { session_id: 'sess-secret-1', request_id: 'r' },
    });
    await mdb.collection(`tenant_${neighbour}_case_notes`).insertOne({ tenant_id: neighbour, case_id: caseId, content: 'Neighbour note', created_at: new Date('2026-01-05T11:00:00Z') });

    postgres = new PostgresStore(PostgresEndpoint.parse({ host: server.host, port: server.port, database: 'cases_mongo_it', username: server.user }), { password: server.password });
    const parsed = new URL(mongoUrl ?? '');
    mongo = new MongoStore(
      MongoEndpoint.parse({ hosts: parsed.host, srv: parsed.protocol === 'mongodb+srv:', ...(parsed.username ? { username: decodeURIComponent(parsed.username), authSource: 'admin' } : {}) }),
      { password: parsed.password ? decodeURIComponent(parsed.password) : undefined },
    );
    await Promise.all([postgres.connect(), mongo.connect()]);
    service = createCasesService({ openStores: async () => ({ preset: murima2025, postgres, mongo: { reader: mongo, database: mongoDatabase } }) });
  });

  afterAll(async () => {
    await admin?.db(mongoDatabase).dropDatabase();
    await Promise.all([postgres?.close(), mongo?.close(), admin?.close()]);
    await db?.drop();
  });

  it('merges exactly this case’s notes and audit entries into the timeline, in time order, masked', async () => {
    const detail = await service.get({ workspaceId: 'm', tenantId: tenant, caseId }, { signal: new AbortController().signal, session: { role: 'support', operator: { name: 'Ada Admin' } } });
    const fromMongo = detail.timeline.filter((item) => item.source === 'mongo');
    expect(fromMongo.map((item) => [item.kind, item.detail.content ?? null])).toEqual([
      ['note', 'First note'],
      ['status_change', null],
      ['note', 'Second note'],
    ]);
    const times = detail.timeline.map((item) => Date.parse(item.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(detail.sources.find((s) => s.part === 'case_notes')).toMatchObject({ state: 'ok', items: 2 });
    expect(detail.sources.find((s) => s.part === 'audit_logs')).toMatchObject({ state: 'ok', items: 1 });
    expect(JSON.stringify(detail)).not.toContain('sess-secret-1');
    expect(JSON.stringify(detail)).not.toContain('Neighbour note');
  });
});
