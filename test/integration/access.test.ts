import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { contract } from '@shared/contract';
import type { AuditEntry } from '@shared/model/audit';
import type { CaseDetail, CaseSearchResult } from '@shared/model/case';
import type { Session } from '@shared/model/session';
import { PostgresEndpoint, type WorkspaceView } from '@shared/model/workspace';
import { createConsole, type ConsoleCore } from '../../src/main/core/console';
import { seedDemoPlatform } from '../../src/main/demo/seed';
import { PostgresStore } from '../../src/main/stores/postgres/store';
import { createScratchDatabase } from './tenants-fixtures';

/**
 * Roles, reasons, unmasking and the journal as a renderer reaches them: through createConsole's
 * router with a session it issued, against a real PostgreSQL seeded with two Murima2025 tenants.
 */
const DATABASE = 'access_it';

describe('access and audit through the console router', () => {
  let core: ConsoleCore;
  let dataDir: string;
  let db: { pool: pg.Pool; drop(): Promise<void> };
  let session: Session;
  let workspaceId: string;
  let tenants: string[];
  const call = <T>(method: string, args: unknown): Promise<T> => core.router.invoke(method, args, session) as Promise<T>;
  const as = (role: 'support' | 'platform_admin', name: string) =>
    call('access.setOperator', { workspaceId, name, email: `${name.toLowerCase()}@example.com`, role });
  const journal = async (): Promise<AuditEntry[]> =>
    (await readFile(core.auditLog.journalFile(workspaceId), 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line) as AuditEntry);

  beforeAll(async () => {
    const server = inject('postgres');
    db = await createScratchDatabase(server.url, DATABASE);
    const store = new PostgresStore(PostgresEndpoint.parse({ host: server.host, port: server.port, database: DATABASE, username: server.user }), {
      password: server.password,
    });
    tenants = (await seedDemoPlatform({ postgres: store }, { preset: 'murima2025', tenants: 2, seed: 'access-it', until: '2026-06' })).tenantIds;
    await store.close();

    dataDir = await mkdtemp(join(tmpdir(), 'tenantscope-access-'));
    core = await createConsole({ dataDir, mode: 'web', version: 'test' });
    session = core.newSession('renderer-1');
    const created = await call<WorkspaceView>('workspaces.create', {
      workspace: {
        name: 'Access test',
        environment: 'dev',
        preset: 'murima2025',
        endpoints: { postgres: { host: server.host, port: server.port, database: DATABASE, username: server.user, password: server.password } },
      },
    });
    workspaceId = created.id;
  }, 240_000);

  afterAll(async () => {
    await core?.close();
    await db?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('makes whoever creates a workspace its platform admin, named after the OS user', async () => {
    const state = contract.access.session.result.parse(await call('access.session', { workspaceId }));
    expect(state.operator.role).toBe('platform_admin');
    expect(state.operator.name).toBe(session.operator.name);
    expect(state.managed).toBeNull();
  });

  it('refuses support a write, another tenant and an unmask; nothing changes and each refusal is journaled', async () => {
    const [open, other] = tenants as [string, string];
    await as('support', 'Sam');
    await expect(call('workspaces.update', { id: workspaceId, workspace: { name: 'Renamed', environment: 'dev', preset: 'murima2025', endpoints: {} } })).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(((await call<WorkspaceView>('workspaces.get', { id: workspaceId })).name)).toBe('Access test');

    await expect(call('cases.search', { workspaceId, tenantId: open })).rejects.toMatchObject({ code: 'forbidden' });
    await call('access.justify', { workspaceId, scope: 'tenant', tenantId: open, reason: 'SUP-7: customer misses a case', ticket: 'SUP-7' });
    const found = await call<CaseSearchResult>('cases.search', { workspaceId, tenantId: open, limit: 5 });
    expect(found.cases.length).toBeGreaterThan(0);
    await expect(call('cases.search', { workspaceId, tenantId: other })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      call('access.justify', { workspaceId, scope: 'unmask', tenantId: open, field: 'postgres:users#email', reason: 'I need to call this person' }),
    ).rejects.toMatchObject({ code: 'forbidden' });

    const state = await call<{ justifications: Array<{ scope: string; tenantId?: string; reason: string }> }>('access.session', { workspaceId });
    expect(state.justifications).toEqual([expect.objectContaining({ scope: 'tenant', tenantId: open, reason: 'SUP-7: customer misses a case' })]);

    const bySam = (await journal()).filter((e) => e.operator.name === 'Sam');
    expect(bySam.map((e) => [e.action, e.outcome, e.tenantIds])).toEqual([
      ['workspaces.update', 'refused', []],
      ['cases.search', 'refused', [open]],
      ['access.justify.tenant', 'allowed', [open]],
      ['cases.search', 'allowed', [open]],
      ['cases.search', 'refused', [other]],
      ['access.justify.unmask', 'refused', [open]],
    ]);
    expect(bySam.every((e) => e.role === 'support')).toBe(true);
    expect(bySam[3]?.justification).toMatchObject({ reason: 'SUP-7: customer misses a case', ticket: 'SUP-7' });
  });

  it('shows an admin a field in clear after an unmask with a reason, and the journal keeps the reason', async () => {
    const [tenant] = tenants as [string];
    await as('platform_admin', 'Ada');
    const { cases } = await call<CaseSearchResult>('cases.search', { workspaceId, tenantId: tenant, limit: 5 });
    const caseId = cases[0]?.id;
    const masked = await call<CaseDetail>('cases.get', { workspaceId, tenantId: tenant, caseId });
    const schema = (await db.pool.query<{ schema_name: string }>('SELECT schema_name FROM public.tenants WHERE id = $1', [tenant])).rows[0]?.schema_name;
    const stored = await db.pool.query<{ email: string }>(`SELECT email FROM "${schema}".users WHERE id = $1`, [masked.createdBy?.id]);
    const email = stored.rows[0]?.email;
    expect(email).toMatch(/@/);
    expect(masked.createdBy?.email).not.toBe(email);

    await call('access.justify', { workspaceId, scope: 'unmask', tenantId: tenant, field: 'postgres:users#email', reason: 'customer asked us to confirm their contact (SUP-12)' });
    const clear = await call<CaseDetail>('cases.get', { workspaceId, tenantId: tenant, caseId });
    expect(clear.createdBy?.email).toBe(email);

    const unmask = (await journal()).find((e) => e.action === 'access.justify.unmask' && e.outcome === 'allowed');
    expect(unmask).toMatchObject({ operator: { name: 'Ada' }, role: 'platform_admin', tenantIds: [tenant], justification: { reason: 'customer asked us to confirm their contact (SUP-12)' } });
    expect(unmask?.target).toContain('postgres:users#email');
  });

  it('filters the journal, exports it without losing a reason, and ships it to public.console_audit', async () => {
    const [open, other] = tenants as [string, string];
    const refusedOther = await call<{ entries: AuditEntry[] }>('audit.query', { workspaceId, tenantId: other, outcome: 'refused', limit: 50 });
    expect(refusedOther.entries.map((e) => e.action)).toEqual(['cases.search']);
    const sams = await call<{ entries: AuditEntry[] }>('audit.query', { operator: 'sam@EXAMPLE', limit: 50 });
    // Six from the support test, then Sam handing the workspace back to Ada.
    expect(sams.entries.map((e) => e.action)[0]).toBe('access.setOperator');
    expect(sams.entries.length).toBe(7);
    expect(sams.entries.every((e) => e.operator.name === 'Sam')).toBe(true);
    const justifications = await call<{ entries: AuditEntry[] }>('audit.query', { workspaceId, action: 'access.justify.', limit: 50 });
    expect(justifications.entries.map((e) => e.action).sort()).toEqual(['access.justify.tenant', 'access.justify.unmask', 'access.justify.unmask']);
    const future = await call<{ entries: AuditEntry[] }>('audit.query', { workspaceId, from: '2999-01-01T00:00:00Z', limit: 50 });
    expect(future.entries).toEqual([]);

    const csv = await call<{ fileName: string; content: string; entries: number }>('audit.export', { workspaceId, tenantId: open, format: 'csv' });
    expect(csv.fileName).toMatch(/\.csv$/);
    expect(csv.content).toContain('SUP-7: customer misses a case');
    expect(csv.content.split('\r\n').filter(Boolean)).toHaveLength(csv.entries + 1);
    const json = await call<{ content: string }>('audit.export', { workspaceId, format: 'json' });
    expect((JSON.parse(json.content) as AuditEntry[]).length).toBe((await journal()).length);

    const last = (await journal()).at(-1);
    await core.auditLog.whenShipped(workspaceId, last?.seq ?? 0);
    const shipped = await db.pool.query<{ seq: string; action: string }>('SELECT seq::text AS seq, action FROM public.console_audit WHERE workspace_id = $1 ORDER BY console_audit.seq', [workspaceId]);
    expect(shipped.rows.map((r) => r.action)).toEqual((await journal()).map((e) => e.action));
  });

  it('reads the platform’s own audit log of a tenant from its schema, masked, and says which stores are not configured', async () => {
    const [tenant] = tenants as [string];
    const schema = (await db.pool.query<{ schema_name: string }>('SELECT schema_name FROM public.tenants WHERE id = $1', [tenant])).rows[0]?.schema_name;
    const count = Number((await db.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${schema}".audit_logs`)).rows[0]?.n);
    expect(count).toBeGreaterThan(0);
    const logs = contract.audit.platformLogs.result.parse(await call('audit.platformLogs', { workspaceId, tenantId: tenant, limit: 20 }));
    expect(logs.sources.postgres).toMatchObject({ state: 'ok', truncated: count > 20 });
    expect(logs.entries).toHaveLength(Math.min(count, 20));
    expect(logs.entries.every((e) => e.store === 'postgres')).toBe(true);
    const times = logs.entries.map((e) => e.at ?? '');
    expect(times).toEqual([...times].sort().reverse());
    expect(logs.sources.mongo).toMatchObject({ state: 'not_configured' });
    expect(logs.sources.elastic).toMatchObject({ state: 'not_configured' });
    expect(JSON.stringify(logs)).not.toMatch(/\$2[aby]\$\d\d\$[./A-Za-z0-9]{20,}/);
  });

  it('records an allowed call that then fails, and shows a prod unlock with its expiry', async () => {
    const [tenant] = tenants as [string];
    const missing = '00000000-0000-4000-8000-000000000000';
    await expect(call('cases.get', { workspaceId, tenantId: tenant, caseId: missing })).rejects.toMatchObject({ code: 'not_found' });
    const last = (await journal()).slice(-2);
    expect(last.map((e) => [e.action, e.outcome])).toEqual([
      ['cases.get', 'allowed'],
      ['cases.get', 'failed'],
    ]);
    expect(last[1]?.details).toMatchObject({ code: 'not_found' });

    const before = Date.now();
    const { expiresAt } = await call<{ expiresAt: string }>('access.justify', { workspaceId, scope: 'prod-unlock', reason: 'CHG-88: rebuild the cases index' });
    const after = Date.now();
    // 30 minutes from the moment the reason was given, which lies between before and after.
    expect(Date.parse(expiresAt)).toBeGreaterThanOrEqual(before + 30 * 60_000);
    expect(Date.parse(expiresAt)).toBeLessThanOrEqual(after + 30 * 60_000);
    expect(await call('access.session', { workspaceId })).toMatchObject({ prodUnlock: { reason: 'CHG-88: rebuild the cases index', expiresAt } });
    await expect(call('access.justify', { workspaceId, scope: 'cross-tenant', reason: 'too short' })).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('refuses support the audit viewer, and names a tampered entry', async () => {
    await as('support', 'Sam');
    await expect(call('audit.verify', { workspaceId })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(call('audit.query', { workspaceId, limit: 5 })).rejects.toMatchObject({ code: 'forbidden' });
    // Naming no workspace reads only the journals of workspaces where the caller is a platform admin.
    const everywhere = await call<{ entries: AuditEntry[] }>('audit.query', { limit: 500 });
    expect(everywhere.entries.length).toBeGreaterThan(0);
    expect(everywhere.entries.filter((e) => e.workspaceId === workspaceId)).toEqual([]);
    await as('platform_admin', 'Ada');
    expect(await call('audit.verify', { workspaceId })).toMatchObject({ intact: true });

    const file = core.auditLog.journalFile(workspaceId);
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines[2] = (lines[2] ?? '').replace('"refused"', '"allowed"');
    await writeFile(file, lines.join('\n'));
    expect(await call('audit.verify', { workspaceId })).toMatchObject({ intact: false, problem: { seq: 3, line: 3 } });
  });
});
