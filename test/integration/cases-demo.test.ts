import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cases as casesSection } from '@shared/contract/cases';
import { PostgresEndpoint } from '@shared/model/workspace';
import { quoteIdent } from '@shared/sql/identifiers';
import { murima2025 } from '@shared/tenancy';
import { seedDemoPlatform } from '../../src/main/demo/seed';
import { createCasesService, type CasesService } from '../../src/main/features/cases/service';
import { PostgresStore } from '../../src/main/stores/postgres/store';
import { createScratchDatabase } from './tenants-fixtures';

/**
 * The case inspector on the demo platform: 50 Murima2025 tenants from the demo seeder; for every
 * tenant, search and the case page show exactly what direct SQL counts in its schema.
 */

const TENANTS = 50;
const DATABASE = 'cases_demo_it';
const context = { signal: new AbortController().signal, session: { role: 'dba' as const, operator: { name: 'Ada Admin' } } };

describe('Case inspector on the 50-tenant demo platform', () => {
  let db: { pool: pg.Pool; drop(): Promise<void> };
  let store: PostgresStore;
  let service: CasesService;
  let tenants: Array<{ id: string; schema: string }>;

  beforeAll(async () => {
    const server = inject('postgres');
    db = await createScratchDatabase(server.url, DATABASE);
    store = new PostgresStore(PostgresEndpoint.parse({ host: server.host, port: server.port, database: DATABASE, username: server.user, poolSize: 4 }), {
      password: server.password,
    });
    const summary = await seedDemoPlatform({ postgres: store }, { preset: 'murima2025', tenants: TENANTS, seed: 'cases-demo', until: '2026-06' });
    const registry = await db.pool.query<{ id: string; schema_name: string }>('SELECT id::text AS id, schema_name FROM public.tenants');
    const schemaOf = new Map(registry.rows.map((r) => [r.id, r.schema_name]));
    tenants = summary.tenantIds.map((id) => ({ id, schema: quoteIdent(schemaOf.get(id) ?? '') }));
    service = createCasesService({ openStores: async () => ({ preset: murima2025, postgres: store }) });
  }, 240_000);

  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  const search = (tenantId: string, args: Record<string, unknown>) =>
    service.search(casesSection.methods.search.args.parse({ workspaceId: 'demo', tenantId, ...args }), context);

  it('lists every case of every tenant, in order, across pages', async () => {
    expect(tenants).toHaveLength(TENANTS);
    let total = 0;
    for (const tenant of tenants) {
      const { rows } = await db.pool.query<{ id: string }>(`SELECT id::text AS id FROM ${tenant.schema}.cases ORDER BY created_at DESC, id DESC`);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await search(tenant.id, { limit: 40, ...(cursor ? { cursor } : {}) });
        seen.push(...page.cases.map((c) => c.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen, tenant.id).toEqual(rows.map((r) => r.id));
      total += seen.length;
    }
    expect(total).toBeGreaterThan(TENANTS * 5);
  });

  it('finds by full text, status and priority exactly what direct SQL finds', async () => {
    for (const tenant of tenants.slice(0, 20)) {
      const [sample] = (await db.pool.query<{ id: string; title: string }>(`SELECT id::text AS id, title FROM ${tenant.schema}.cases ORDER BY id LIMIT 1`)).rows;
      const word = sample!.title.split(/\s+/).find((w) => /^[A-Za-z]{5,}$/.test(w)) ?? sample!.title.split(/\s+/)[0]!;
      const direct = await db.pool.query<{ id: string }>(
        `SELECT id::text AS id FROM ${tenant.schema}.cases, websearch_to_tsquery('english', $1) q WHERE search_vector @@ q
          ORDER BY ts_rank(search_vector, q) DESC, created_at DESC, id DESC`,
        [word],
      );
      const found = await search(tenant.id, { text: word, limit: 200 });
      expect(found.cases.map((c) => c.id), `${tenant.id} ${word}`).toEqual(direct.rows.map((r) => r.id));
      expect(found.cases.map((c) => c.id)).toContain(sample!.id);

      const counts = await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${tenant.schema}.cases WHERE status = 'closed' AND priority = 'medium'`);
      expect((await search(tenant.id, { status: 'closed', priority: 'medium', limit: 200 })).cases).toHaveLength(Number(counts.rows[0]!.n));
    }
  });

  it('shows each tenant’s busiest case with exactly its interactions, tasks, documents and audit trail', async () => {
    for (const tenant of tenants.slice(0, 20)) {
      const [busiest] = (
        await db.pool.query<{ id: string; interactions: string; tasks: string; completed: string; documents: string; audit: string }>(
          `SELECT c.id::text AS id,
                  (SELECT count(*) FROM ${tenant.schema}.interactions i WHERE i.case_id = c.id) AS interactions,
                  (SELECT count(*) FROM ${tenant.schema}.tasks t WHERE t.case_id = c.id) AS tasks,
                  (SELECT count(*) FROM ${tenant.schema}.tasks t WHERE t.case_id = c.id AND t.completed_at IS NOT NULL) AS completed,
                  (SELECT count(*) FROM ${tenant.schema}.documents d WHERE d.case_id = c.id) AS documents,
                  (SELECT count(*) FROM ${tenant.schema}.audit_logs a WHERE a.entity_id = c.id
                      OR a.entity_id IN (SELECT t.id FROM ${tenant.schema}.tasks t WHERE t.case_id = c.id)
                      OR a.entity_id IN (SELECT d.id FROM ${tenant.schema}.documents d WHERE d.case_id = c.id)) AS audit
             FROM ${tenant.schema}.cases c
            ORDER BY 2 DESC, 3 DESC, c.id LIMIT 1`,
        )
      ).rows;
      const detail = await service.get({ workspaceId: 'demo', tenantId: tenant.id, caseId: busiest!.id }, context);
      const kinds = (...names: string[]) => detail.timeline.filter((item) => names.includes(item.kind)).length;
      expect(kinds('interaction'), tenant.id).toBe(Number(busiest!.interactions));
      expect(kinds('task')).toBe(Number(busiest!.tasks));
      expect(kinds('task_completed')).toBe(Number(busiest!.completed));
      expect(kinds('document')).toBe(Number(busiest!.documents));
      expect(kinds('audit', 'status_change')).toBe(Number(busiest!.audit));
      const times = detail.timeline.map((item) => Date.parse(item.at));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      expect(detail.caseType).not.toBeNull();
      expect(detail.workflow?.stages.length).toBeGreaterThan(0);
    }
  });
});
