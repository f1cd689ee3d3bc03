import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Session } from '@shared/model/session';
import type { StoreStatus, WorkspaceView } from '@shared/model/workspace';
import { createConsole, type ConsoleCore } from '../../src/main/core/console';
import { DEMO_TENANTS } from '../../src/main/core/demo-platform';
import { localPostgresDir } from '../../src/main/local-servers/postgres';

const session: Session = { connectionId: 'test', operator: { name: 'tester' }, role: 'platform_admin' };

async function tenantRowCount(core: ConsoleCore): Promise<number> {
  const stores = await core.registry.open(core.demo!.workspaceId);
  const result = await stores.postgres!.query('select count(*)::int as n from public.tenants', []);
  return result.rows[0]![0] as number;
}

describe('the embedded demo platform of npm start', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    const clusters = dirs.map((dir) => localPostgresDir(join(dir, 'demo', 'postgres')));
    await Promise.all([...dirs, ...clusters].map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('starts PostgreSQL and Redis, seeds Murima2025 once, keeps it for the next start, and stays removed once removed', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tenantscope-demo-'));
    dirs.push(dataDir);
    const lines: string[] = [];
    const first = await createConsole({ dataDir, mode: 'web', version: 'test', demo: true, log: (l) => lines.push(l), env: {} });
    let firstPort: number;
    try {
      expect(first.demo).toBeDefined();
      const [workspace] = (await first.router.invoke('workspaces.list', {}, session)) as WorkspaceView[];
      expect(workspace).toMatchObject({ name: 'Demo', environment: 'dev', preset: 'murima2025' });
      expect(workspace!.endpoints.postgres?.hasPassword).toBe(true);
      expect(JSON.stringify(workspace)).not.toMatch(/"password"/);
      firstPort = workspace!.endpoints.postgres!.port;

      const statuses = (await first.router.invoke('workspaces.status', { id: workspace!.id }, session)) as StoreStatus[];
      const byStore = Object.fromEntries(statuses.map((s) => [s.store, s]));
      expect(byStore.postgres).toMatchObject({ state: 'connected', serverVersion: expect.stringMatching(/^15\./) });
      expect(byStore.redis).toMatchObject({ state: 'connected' });
      expect(first.demo!.unavailable.mongo).toMatch(/MONGO_URL/);
      expect(first.demo!.unavailable.elastic).toMatch(/ES_URL/);
      // The status bar says why MongoDB and Elasticsearch are not there.
      expect(byStore.mongo).toMatchObject({ state: 'unavailable', reason: expect.stringMatching(/MONGO_URL/) });
      expect(byStore.elastic).toMatchObject({ state: 'unavailable', reason: expect.stringMatching(/ES_URL/) });

      expect(await tenantRowCount(first)).toBe(DEMO_TENANTS);
      const stores = await first.registry.open(workspace!.id);
      const schemas = await stores.postgres!.query("select count(*)::int from pg_namespace where nspname like 'tenant\\_%'", []);
      expect(schemas.rows[0]![0]).toBe(DEMO_TENANTS);
      expect(lines.some((l) => /seeded/.test(l))).toBe(true);
    } finally {
      await first.close();
    }

    // Second start: same workspace, same data, servers restarted; no second seeding.
    const lines2: string[] = [];
    const second = await createConsole({ dataDir, mode: 'web', version: 'test', demo: true, log: (l) => lines2.push(l), env: {} });
    try {
      expect(second.demo?.workspaceId).toBe(first.demo!.workspaceId);
      expect(await tenantRowCount(second)).toBe(DEMO_TENANTS);
      expect(lines2.some((l) => /Seeding/.test(l))).toBe(false);
      const [workspace] = (await second.router.invoke('workspaces.list', {}, session)) as WorkspaceView[];
      expect(workspace!.endpoints.postgres!.port).toBeGreaterThan(0);
      expect(typeof firstPort).toBe('number');
      // Once the user removes the Demo, it stays removed.
      await second.router.invoke('workspaces.remove', { id: workspace!.id, confirmName: 'Demo' }, session);
    } finally {
      await second.close();
    }
    const third = await createConsole({ dataDir, mode: 'web', version: 'test', demo: true, env: {} });
    try {
      expect(third.demo).toBeUndefined();
      expect(await third.router.invoke('workspaces.list', {}, session)).toEqual([]);
    } finally {
      await third.close();
    }
  }, 240_000);

  it('starts empty when no demo is asked for', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tenantscope-demo-'));
    dirs.push(dataDir);
    const core = await createConsole({ dataDir, mode: 'web', version: 'test' });
    try {
      expect(core.demo).toBeUndefined();
      expect(await core.router.invoke('workspaces.list', {}, session)).toEqual([]);
    } finally {
      await core.close();
    }
  });
});
