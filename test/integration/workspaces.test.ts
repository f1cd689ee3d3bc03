import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createConsole, type ConsoleCore } from '../../src/main/core/console';
import type { ConnectionCheck, StoreStatus, WorkspaceView } from '@shared/model/workspace';
import type { Session } from '@shared/model/session';
import { freePort } from '../support/ports';

const session: Session = { connectionId: 'integration', operator: { name: 'tester' }, role: 'platform_admin' };

/** Accepts TCP connections and never says a word: what a firewall that drops replies looks like. */
async function startBlackHole(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('black hole has no port');
  return {
    port: address.port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('workspaces against real PostgreSQL and Redis', () => {
  const pg = inject('postgres');
  const redis = inject('redis');
  let dataDir: string;
  let core: ConsoleCore;
  const call = <T>(method: string, args: unknown): Promise<T> => core.router.invoke(method, args, session) as Promise<T>;

  const pgEndpoint = (overrides: Record<string, unknown> = {}) => ({
    host: pg.host,
    port: pg.port,
    database: pg.database,
    username: pg.user,
    password: pg.password,
    ...overrides,
  });
  const redisEndpoint = (overrides: Record<string, unknown> = {}) => ({ host: redis.host, port: redis.port, password: redis.password, ...overrides });
  const test = (target: unknown, workspaceId?: string) =>
    call<ConnectionCheck>('workspaces.testConnection', workspaceId ? { workspaceId, target } : { target });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tenantscope-ws-'));
    core = await createConsole({ dataDir, mode: 'web', version: 'test' });
  });

  afterAll(async () => {
    await core.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reports the PostgreSQL server version and round trip', async () => {
    const check = await test({ store: 'postgres', endpoint: pgEndpoint() });
    expect(check).toMatchObject({ ok: true, serverVersion: expect.stringMatching(/^15\.\d+/) });
    if (!check.ok) throw new Error(check.message);
    expect(check.latencyMs).toBeGreaterThan(0);
    expect(check.latencyMs).toBeLessThan(5000);
  });

  it('reports the Redis server version and round trip', async () => {
    const check = await test({ store: 'redis', endpoint: redisEndpoint() });
    expect(check).toMatchObject({ ok: true, serverVersion: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    if (!check.ok) throw new Error(check.message);
    expect(check.latencyMs).toBeGreaterThan(0);
  });

  it('answers auth_failed for a wrong password', async () => {
    const [pgCheck, redisCheck] = await Promise.all([
      test({ store: 'postgres', endpoint: pgEndpoint({ password: 'not-the-password' }) }),
      test({ store: 'redis', endpoint: redisEndpoint({ password: 'not-the-password' }) }),
    ]);
    expect(pgCheck).toMatchObject({ ok: false, code: 'auth_failed' });
    expect(redisCheck).toMatchObject({ ok: false, code: 'auth_failed' });
    expect(JSON.stringify([pgCheck, redisCheck])).not.toContain('not-the-password');
  });

  it('answers unreachable for a closed port', async () => {
    const closed = await freePort();
    const [pgCheck, redisCheck] = await Promise.all([
      test({ store: 'postgres', endpoint: pgEndpoint({ port: closed }) }),
      test({ store: 'redis', endpoint: redisEndpoint({ port: closed }) }),
    ]);
    expect(pgCheck).toMatchObject({ ok: false, code: 'unreachable' });
    expect(redisCheck).toMatchObject({ ok: false, code: 'unreachable' });
  });

  it('answers timeout within about 5 s for a server that accepts and never answers', async () => {
    const hole = await startBlackHole();
    try {
      const started = Date.now();
      const [pgCheck, redisCheck] = await Promise.all([
        test({ store: 'postgres', endpoint: pgEndpoint({ port: hole.port }) }),
        test({ store: 'redis', endpoint: redisEndpoint({ port: hole.port }) }),
      ]);
      const elapsed = Date.now() - started;
      expect(pgCheck).toMatchObject({ ok: false, code: 'timeout' });
      expect(redisCheck).toMatchObject({ ok: false, code: 'timeout' });
      // The 5 s budget is the product's promise; the margin absorbs a busy machine.
      expect(elapsed).toBeGreaterThanOrEqual(4900);
      expect(elapsed).toBeLessThan(8000);
    } finally {
      await hole.close();
    }
  });

  it('uses the stored password to test a saved workspace, and shows both stores connected in status', async () => {
    const created = await call<WorkspaceView>('workspaces.create', {
      workspace: {
        name: 'Integration lab',
        environment: 'dev',
        preset: 'murima2025',
        endpoints: { postgres: pgEndpoint(), redis: redisEndpoint() },
      },
    });
    expect(created.endpoints.postgres?.hasPassword).toBe(true);
    expect(created.endpoints.redis?.hasPassword).toBe(true);

    const { hasPassword: _pgHas, ...storedPg } = created.endpoints.postgres!;
    await expect(test({ store: 'postgres', endpoint: storedPg }, created.id)).resolves.toMatchObject({ ok: true });
    // Without the workspace the same endpoint has no password, and the server says so.
    await expect(test({ store: 'postgres', endpoint: storedPg })).resolves.toMatchObject({ ok: false, code: 'auth_failed' });

    const statuses = await call<StoreStatus[]>('workspaces.status', { id: created.id });
    const byStore = Object.fromEntries(statuses.map((s) => [s.store, s]));
    expect(byStore.postgres).toMatchObject({ state: 'connected', serverVersion: expect.stringMatching(/^15\./) });
    expect(byStore.redis).toMatchObject({ state: 'connected', serverVersion: expect.stringMatching(/^\d+\./) });
    expect(byStore.postgres?.latencyMs).toBeGreaterThan(0);
    expect(byStore.mongo).toMatchObject({ state: 'not_configured' });
    expect(byStore.elastic).toMatchObject({ state: 'not_configured' });
  });

  it('shows a store down with the reason when its stored password is wrong', async () => {
    const created = await call<WorkspaceView>('workspaces.create', {
      workspace: {
        name: 'Wrong redis password',
        environment: 'staging',
        preset: 'murima2025',
        endpoints: { postgres: pgEndpoint(), redis: redisEndpoint({ password: 'stale-password' }) },
      },
    });
    const statuses = await call<StoreStatus[]>('workspaces.status', { id: created.id });
    const redisStatus = statuses.find((s) => s.store === 'redis');
    expect(redisStatus).toMatchObject({ state: 'down', reason: expect.stringMatching(/^auth_failed/) });
    expect(statuses.find((s) => s.store === 'postgres')).toMatchObject({ state: 'connected' });
  });
});
