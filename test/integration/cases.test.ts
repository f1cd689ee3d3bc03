import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cases as casesSection } from '@shared/contract/cases';
import { AppError } from '@shared/errors';
import type { Role } from '@shared/model/session';
import { PostgresEndpoint } from '@shared/model/workspace';
import { quoteIdent } from '@shared/sql/identifiers';
import { murima2025, scopeFor, tenantSchemaName } from '@shared/tenancy';
import type { InspectorStores, ScopedElastic } from '../../src/main/reading/stores';
import { createCasesService, type CasesService } from '../../src/main/features/cases/service';
import { PostgresStore } from '../../src/main/stores/postgres/store';
import { createBlueprintSchema, createRegistry, createScratchDatabase, currentMonth, pgLayout, registerTenant } from './tenants-fixtures';

/**
 * The case inspector against a real PostgreSQL: two Murima2025 tenants built from the blueprint,
 * read through PostgresStore connected as a plain login role (no superuser, no BYPASSRLS), so both
 * the tenant's search_path and its row-level security are what keep tenants apart.
 */

const DATABASE = 'cases_it';
const READER = 'case_inspector_it';
const READER_PASSWORD = `pw-${randomUUID()}`;
const DAY = 86_400_000;

const tenantA = randomUUID();
const tenantB = randomUUID();
const schemaA = quoteIdent(tenantSchemaName(pgLayout, tenantA));
const schemaB = quoteIdent(tenantSchemaName(pgLayout, tenantB));

const ids = {
  alice: randomUUID(),
  bob: randomUUID(),
  workflow: randomUUID(),
  stageTriage: randomUUID(),
  caseType: randomUUID(),
  channel: randomUUID(),
  espresso: randomUUID(),
  otherEspresso: randomUUID(),
};

const context = (role: Role = 'support', signal = new AbortController().signal) => ({ signal, session: { role, operator: { name: 'Ada Admin' } } });

const base = new Date(Date.UTC(2026, 9, 1, 9, 0, 0));
const at = (days: number, minutes = 0): string => new Date(base.getTime() + days * DAY + minutes * 60_000).toISOString();

const STATUSES = ['open', 'in_progress', 'pending', 'resolved', 'closed'];
const PRIORITIES = ['low', 'medium', 'high', 'urgent'];
const TITLE_WORDS = ['Billing question', 'Login trouble', 'Delivery late', 'Invoice copy', 'Password reset', 'Parcel damaged'];

async function seedTenantA(pool: pg.Pool): Promise<void> {
  const q = (sql: string, values: unknown[] = []) => pool.query(sql, values);
  await q(
    `INSERT INTO ${schemaA}.users (id, tenant_id, username, email, password_hash, first_name, last_name, role) VALUES
       ($1, $3, 'alice', 'alice@home.example', 'hash-a', 'Alice', 'Achieng', 'agent'),
       ($2, $3, 'bob', 'bob@home.example', 'hash-b', 'Bob', 'Baraka', 'supervisor')`,
    [ids.alice, ids.bob, tenantA],
  );
  const stages = [
    { id: randomUUID(), name: 'New', order: 0 },
    { id: ids.stageTriage, name: 'Triage', order: 1 },
    { id: randomUUID(), name: 'Resolved', order: 2 },
  ];
  await q(`INSERT INTO ${schemaA}.workflows (id, tenant_id, name, stages, transitions) VALUES ($1, $2, 'Standard', $3, '[]')`, [
    ids.workflow,
    tenantA,
    JSON.stringify(stages),
  ]);
  await q(`INSERT INTO ${schemaA}.case_types (id, tenant_id, name, description, form_definition, workflow_id) VALUES ($1, $2, 'Refund', 'Refund requests', '{}', $3)`, [
    ids.caseType,
    tenantA,
    ids.workflow,
  ]);
  await q(`INSERT INTO ${schemaA}.channels (id, tenant_id, name, type, configuration) VALUES ($1, $2, 'Support email', 'email', '{"apiKey":"sk-live-123"}')`, [
    ids.channel,
    tenantA,
  ]);
  // 40 ordinary cases, spread over time, statuses, priorities and assignees; two share a creation time.
  for (let i = 0; i < 40; i++) {
    const created = i === 21 ? at(20) : at(i);
    await q(
      `INSERT INTO ${schemaA}.cases (tenant_id, case_number, title, description, status, priority, case_type_id, created_by, assigned_to, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
      [
        tenantA,
        `CASE-2026-${String(i + 2).padStart(6, '0')}`,
        `${TITLE_WORDS[i % TITLE_WORDS.length]} ${i}`,
        i % 5 === 0 ? 'The customer mentions a refund in passing' : 'Routine request',
        STATUSES[i % STATUSES.length],
        PRIORITIES[i % PRIORITIES.length],
        ids.caseType,
        ids.bob,
        i % 3 === 0 ? null : i % 3 === 1 ? ids.alice : ids.bob,
        created,
      ],
    );
  }
  await q(
    `INSERT INTO ${schemaA}.cases (id, tenant_id, case_number, title, description, status, priority, case_type_id, workflow_id,
                                   current_stage_id, created_by, assigned_to, created_at, updated_at, due_date, custom_fields, tags)
     VALUES ($1, $2, 'CASE-2026-000001', 'Refund for broken espresso machine', 'The machine leaks after two days',
             'open', 'high', $3, $4, $5, $6, $7, $8, $8, $9, $10, ARRAY['refund','vip'])`,
    [ids.espresso, tenantA, ids.caseType, ids.workflow, ids.stageTriage, ids.bob, ids.alice, at(50), at(60), JSON.stringify({ customer_id: 'CUST-1', apiKey: 'sk-secret-9' })],
  );
  for (const [k, minutes] of [[0, 30], [1, 90], [2, 15]] as const) {
    await q(
      `INSERT INTO ${schemaA}.interactions (tenant_id, case_id, channel_id, user_id, direction, content, "timestamp")
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [tenantA, ids.espresso, ids.channel, k === 1 ? ids.alice : null, k === 1 ? 'outbound' : 'inbound', `Message ${k} about the espresso machine`, at(50 + k, minutes)],
    );
  }
  await q(
    `INSERT INTO ${schemaA}.tasks (tenant_id, case_id, title, status, priority, assigned_to, created_by, created_at, updated_at, completed_at) VALUES
       ($1, $2, 'Ask for a photo of the leak', 'completed', 'high', $3, $4, $5, $5, $6),
       ($1, $2, 'Arrange the refund', 'pending', 'high', $3, $4, $7, $7, NULL)`,
    [tenantA, ids.espresso, ids.alice, ids.bob, at(50, 45), at(51, 10), at(52)],
  );
  await q(
    `INSERT INTO ${schemaA}.documents (tenant_id, case_id, filename, mime_type, size, storage_path, uploaded_by, uploaded_at)
     VALUES ($1, $2, 'leak.jpg', 'image/jpeg', 123456, 'a/leak.jpg', $3, $4)`,
    [tenantA, ids.espresso, ids.alice, at(51, 5)],
  );
  // A status change the audit trigger records as an update of the case.
  await q(`UPDATE ${schemaA}.cases SET status = 'in_progress' WHERE id = $1`, [ids.espresso]);
}

async function seedTenantB(pool: pg.Pool): Promise<void> {
  const user = randomUUID();
  const type = randomUUID();
  await pool.query(`INSERT INTO ${schemaB}.users (id, tenant_id, username, email, password_hash, role) VALUES ($1, $2, 'carol', 'carol@b.example', 'h', 'agent')`, [user, tenantB]);
  await pool.query(`INSERT INTO ${schemaB}.case_types (id, tenant_id, name, form_definition) VALUES ($1, $2, 'Refund', '{}')`, [type, tenantB]);
  await pool.query(
    `INSERT INTO ${schemaB}.cases (id, tenant_id, case_number, title, status, priority, case_type_id, created_by)
     VALUES ($1, $2, 'CASE-2026-000001', 'Espresso machine of the neighbour', 'open', 'high', $3, $4)`,
    [ids.otherEspresso, tenantB, type, user],
  );
}

describe('Case inspector against PostgreSQL', () => {
  let db: { pool: pg.Pool; drop(): Promise<void> };
  let store: PostgresStore;
  let stores: InspectorStores;
  let service: CasesService;

  beforeAll(async () => {
    const server = inject('postgres');
    db = await createScratchDatabase(server.url, DATABASE);
    await createRegistry(db.pool);
    await registerTenant(db.pool, tenantA, 'Tenant A');
    await registerTenant(db.pool, tenantB, 'Tenant B');
    await createBlueprintSchema(db.pool, tenantA, '2026-09', currentMonth());
    await createBlueprintSchema(db.pool, tenantB, '2026-09', currentMonth());
    await seedTenantA(db.pool);
    await seedTenantB(db.pool);
    // A console account as a platform would grant it: reads on both schemas, no RLS bypass.
    await db.pool.query(`DROP ROLE IF EXISTS ${READER}`);
    await db.pool.query(`CREATE ROLE ${READER} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '${READER_PASSWORD}'`);
    for (const schema of [schemaA, schemaB]) {
      await db.pool.query(`GRANT USAGE ON SCHEMA ${schema} TO ${READER}`);
      await db.pool.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${READER}`);
    }
    store = new PostgresStore(
      PostgresEndpoint.parse({ host: server.host, port: server.port, database: DATABASE, username: READER, poolSize: 4 }),
      { password: READER_PASSWORD },
    );
    await store.connect();
    stores = { preset: murima2025, postgres: store };
    service = createCasesService({ openStores: async () => stores, partLimit: 100 });
  });

  afterAll(async () => {
    await store?.close();
    await db?.drop();
    const server = inject('postgres');
    const pgModule = await import('pg');
    const admin = new pgModule.default.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${READER}`);
    await admin.end();
  });

  const search = (args: Partial<z.input<typeof casesSection.methods.search.args>>) =>
    service.search(casesSection.methods.search.args.parse({ workspaceId: 'murima', tenantId: tenantA, ...args }), context());

  it('pages through every case of the tenant, newest first, exactly as the table holds them', async () => {
    const { rows } = await db.pool.query<{ id: string }>(`SELECT id::text AS id FROM ${schemaA}.cases ORDER BY created_at DESC, id DESC`);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await search({ limit: 7, ...(cursor ? { cursor } : {}) });
      expect(casesSection.methods.search.result.safeParse(page).success).toBe(true);
      expect(page.cases.length).toBeLessThanOrEqual(7);
      seen.push(...page.cases.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(rows).toHaveLength(41);
    expect(seen).toEqual(rows.map((r) => r.id));
    expect(pages).toBe(Math.ceil(41 / 7));
  });

  it('finds a case by a word of its title with full text, ranked like websearch_to_tsquery, and only in this tenant', async () => {
    const page = await search({ text: 'espresso' });
    expect(page.cases.map((c) => c.id)).toEqual([ids.espresso]);
    const found = page.cases[0]!;
    expect(found).toMatchObject({ caseNumber: 'CASE-2026-000001', title: 'Refund for broken espresso machine', status: 'in_progress', priority: 'high', caseType: 'Refund' });
    expect(found.assignee).toEqual({ id: ids.alice, name: 'Alice Achieng' });
    const { rows } = await db.pool.query<{ rank: number }>(
      `SELECT ts_rank(search_vector, websearch_to_tsquery('english', 'espresso')) AS rank FROM ${schemaA}.cases WHERE id = $1`,
      [ids.espresso],
    );
    expect(found.rank).toBeCloseTo(rows[0]!.rank, 6);
  });

  it('ranks title matches above description matches and pages a ranked search without gaps', async () => {
    const { rows } = await db.pool.query<{ id: string }>(
      `SELECT id::text AS id FROM ${schemaA}.cases, websearch_to_tsquery('english', 'refund') q
        WHERE search_vector @@ q ORDER BY ts_rank(search_vector, q) DESC, created_at DESC, id DESC`,
    );
    expect(rows.length).toBeGreaterThan(3);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await search({ text: 'refund', limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.cases.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(rows.map((r) => r.id));
    expect(seen[0]).toBe(ids.espresso);
  });

  it('filters by exact case number, status, priority and assignee as direct SQL counts them', async () => {
    expect((await search({ caseNumber: 'CASE-2026-000001' })).cases.map((c) => c.id)).toEqual([ids.espresso]);
    expect((await search({ caseNumber: 'CASE-2026-00000' })).cases).toEqual([]);
    const count = async (where: string, values: unknown[]) =>
      Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${schemaA}.cases WHERE ${where}`, values)).rows[0]!.n);
    const byStatus = await search({ status: 'pending', limit: 200 });
    expect(byStatus.cases.length).toBe(await count('status = $1', ['pending']));
    expect(byStatus.cases.every((c) => c.status === 'pending')).toBe(true);
    const combined = await search({ priority: 'high', assigneeId: ids.alice, limit: 200 });
    expect(combined.cases.length).toBe(await count('priority = $1 AND assigned_to = $2', ['high', ids.alice]));
    expect(combined.cases.length).toBeGreaterThan(0);
    expect(combined.cases.every((c) => c.priority === 'high' && c.assignee?.id === ids.alice)).toBe(true);
  });

  it('treats a hostile search string as a value: no error, no match, nothing changed', async () => {
    const hostile = `x'); DROP TABLE cases; SELECT ('`;
    const before = await db.pool.query(`SELECT count(*) AS n FROM ${schemaA}.cases`);
    expect((await search({ text: hostile })).cases).toEqual([]);
    expect((await search({ caseNumber: `' OR '1'='1` })).cases).toEqual([]);
    expect((await search({ text: `"unterminated & | ! <-> (` })).cases).toEqual([]);
    const after = await db.pool.query(`SELECT count(*) AS n FROM ${schemaA}.cases`);
    expect(after.rows).toEqual(before.rows);
  });

  it('refuses a cursor that was not issued, or one from a search of the other kind', async () => {
    const page = await search({ limit: 2 });
    await expect(search({ cursor: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(search({ text: 'refund', cursor: page.nextCursor! })).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('does not reach another tenant’s case through this tenant’s scope', async () => {
    const neighbour = await search({ text: 'neighbour' });
    expect(neighbour.cases).toEqual([]);
    await expect(service.get({ workspaceId: 'murima', tenantId: tenantA, caseId: ids.otherEspresso }, context())).rejects.toMatchObject({ code: 'not_found' });
    // RLS on its own: even a schema-qualified read of B's table in A's scope sees none of B's rows.
    const scope = scopeFor(murima2025, tenantA);
    const qualified = await store.query(`SELECT count(*)::int AS n FROM ${schemaB}.cases`, [], scope);
    expect(qualified.rows).toEqual([[0]]);
    const fromB = await service.get({ workspaceId: 'murima', tenantId: tenantB, caseId: ids.otherEspresso }, context());
    expect(fromB.case.title).toBe('Espresso machine of the neighbour');
  });

  it('returns the case with its type, workflow stage, people and a merged, ordered timeline', async () => {
    const detail = await service.get({ workspaceId: 'murima', tenantId: tenantA, caseId: ids.espresso }, context('support'));
    expect(casesSection.methods.get.result.safeParse(detail).success).toBe(true);
    expect(detail.case).toMatchObject({ caseNumber: 'CASE-2026-000001', status: 'in_progress', priority: 'high', tags: ['refund', 'vip'], version: 1 });
    expect(detail.caseType).toEqual({ id: ids.caseType, name: 'Refund', description: 'Refund requests' });
    expect(detail.workflow?.stages.map((s) => s.name)).toEqual(['New', 'Triage', 'Resolved']);
    expect(detail.currentStage).toEqual({ id: ids.stageTriage, name: 'Triage', order: 1 });
    expect(detail.assignee).toMatchObject({ id: ids.alice, username: 'alice', name: 'Alice Achieng', role: 'agent' });
    expect(detail.createdBy?.id).toBe(ids.bob);

    const direct = async (sql: string) => Number((await db.pool.query<{ n: string }>(sql, [ids.espresso])).rows[0]!.n);
    const interactions = await direct(`SELECT count(*) AS n FROM ${schemaA}.interactions WHERE case_id = $1`);
    const tasks = await direct(`SELECT count(*) AS n FROM ${schemaA}.tasks WHERE case_id = $1`);
    const completed = await direct(`SELECT count(*) AS n FROM ${schemaA}.tasks WHERE case_id = $1 AND completed_at IS NOT NULL`);
    const documents = await direct(`SELECT count(*) AS n FROM ${schemaA}.documents WHERE case_id = $1`);
    const audit = await direct(
      `SELECT count(*) AS n FROM ${schemaA}.audit_logs WHERE entity_id = $1
          OR entity_id IN (SELECT id FROM ${schemaA}.tasks WHERE case_id = $1) OR entity_id IN (SELECT id FROM ${schemaA}.documents WHERE case_id = $1)`,
    );
    const kinds = (kind: string) => detail.timeline.filter((item) => item.kind === kind).length;
    expect(kinds('case_created')).toBe(1);
    expect(kinds('interaction')).toBe(interactions);
    expect(kinds('task')).toBe(tasks);
    expect(kinds('task_completed')).toBe(completed);
    expect(kinds('document')).toBe(documents);
    // The trigger audited the case, both tasks and the document on insert, and the status change.
    expect(audit).toBe(5);
    expect(kinds('audit') + kinds('status_change')).toBe(audit);
    expect(detail.timeline.find((item) => item.kind === 'status_change')?.title).toBe('Status open → in_progress');
    expect(detail.timeline).toHaveLength(1 + interactions + tasks + completed + documents + audit);
    expect(detail.timeline.every((item) => item.source === 'postgres')).toBe(true);

    const times = detail.timeline.map((item) => Date.parse(item.at));
    expect(times.every((t) => !Number.isNaN(t))).toBe(true);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(detail.timeline[0]?.kind).toBe('case_created');
    expect(new Set(detail.timeline.map((i) => i.key)).size).toBe(detail.timeline.length);

    const parts = Object.fromEntries(detail.sources.map((s) => [s.part, s]));
    expect(parts.interactions).toMatchObject({ state: 'ok', items: interactions, truncated: false });
    expect(parts.case_notes).toMatchObject({ store: 'mongo', state: 'not_configured' });
    expect(parts.audit_logs).toMatchObject({ store: 'mongo', state: 'not_configured' });
    expect(parts.search_documents).toMatchObject({ store: 'elastic', state: 'not_configured' });
  });

  it('masks e-mail addresses and secrets in custom fields and channel data for every role', async () => {
    for (const role of ['support', 'dba', 'platform_admin'] as const) {
      const detail = await service.get({ workspaceId: 'murima', tenantId: tenantA, caseId: ids.espresso }, context(role));
      expect(detail.assignee?.email).not.toBe('alice@home.example');
      expect(detail.assignee?.email).toBe('a***@h***.example');
      expect(detail.case.customFields).toMatchObject({ customer_id: 'CUST-1' });
      expect(detail.case.customFields?.apiKey).not.toBe('sk-secret-9');
      expect(JSON.stringify(detail)).not.toContain('sk-secret-9');
      expect(JSON.stringify(detail)).not.toContain('alice@home.example');
    }
  });

  it('keeps the case when Elasticsearch is down and says why in sources', async () => {
    const down: ScopedElastic = {
      search: async () => {
        throw new AppError('unreachable', 'Elasticsearch at es.internal:9200 refused the connection.');
      },
    };
    const withDownElastic = createCasesService({ openStores: async () => ({ ...stores, elastic: down }) });
    const detail = await withDownElastic.get({ workspaceId: 'murima', tenantId: tenantA, caseId: ids.espresso }, context());
    expect(detail.case.id).toBe(ids.espresso);
    expect(detail.sources.find((s) => s.part === 'search_documents')).toMatchObject({
      store: 'elastic',
      state: 'down',
      reason: 'Elasticsearch at es.internal:9200 refused the connection.',
    });
    expect(detail.timeline.some((item) => item.source === 'elastic')).toBe(false);
  });

  it('reports a slow store as timed out without holding up the case', async () => {
    const slow: ScopedElastic = { search: (_index, _body, _scope, options) => new Promise((_resolve, reject) => options?.signal?.addEventListener('abort', () => reject(new AppError('cancelled', 'stopped')))) };
    const impatient = createCasesService({ openStores: async () => ({ ...stores, elastic: slow }), storeTimeoutMs: 300 });
    const detail = await impatient.get({ workspaceId: 'murima', tenantId: tenantA, caseId: ids.espresso }, context());
    expect(detail.sources.find((s) => s.part === 'search_documents')).toMatchObject({ state: 'timeout' });
    expect(detail.timeline.length).toBeGreaterThan(5);
  });

  it('caps a part and says it was cut', async () => {
    const capped = createCasesService({ openStores: async () => stores, partLimit: 2 });
    const detail = await capped.get({ workspaceId: 'murima', tenantId: tenantA, caseId: ids.espresso }, context());
    expect(detail.sources.find((s) => s.part === 'interactions')).toMatchObject({ state: 'ok', items: 2, truncated: true });
    expect(detail.timeline.filter((i) => i.kind === 'interaction')).toHaveLength(2);
  });

  it('refuses a tenant id the preset does not allow before any query runs', async () => {
    await expect(service.search({ workspaceId: 'murima', tenantId: 'not-a-uuid', limit: 5 }, context())).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});
