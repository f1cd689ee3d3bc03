import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Session } from '@shared/model/session';
import type { StoreStatus, WorkspaceView } from '@shared/model/workspace';
import { storeStatusLine } from '@shared/store-state';
import { murima2025 } from '@shared/tenancy';
import { createConsole } from '../../src/main/core/console';
import { DEMO_TENANTS } from '../../src/main/core/demo-platform';
import { startLocalMongo } from '../../src/main/local-servers/mongo';
import { localPostgresDir } from '../../src/main/local-servers/postgres';
import { announceSkip, mongoSkipReason, mongoUrl } from '../support/external-stores';

const session: Session = { connectionId: 'test', operator: { name: 'tester' }, role: 'platform_admin' };

/**
 * mongodb-memory-server reads its settings from MONGOMS_* variables. These point it at a download
 * that cannot succeed (nothing listens on port 1) for a version no cache holds, so no mongod can
 * start here whatever the machine has.
 */
function impossibleDownload(downloadDir: string, mirror = 'http://127.0.0.1:1'): Record<string, string> {
  return {
    MONGOMS_DOWNLOAD_MIRROR: mirror,
    MONGOMS_USE_HTTP: 'true',
    MONGOMS_DOWNLOAD_DIR: downloadDir,
    MONGOMS_VERSION: '7.0.99',
    MONGOMS_MAX_RETRIES: '1',
  };
}

const dirs: string[] = [];
async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tenantscope-demo-mongo-'));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  const clusters = dirs.map((dir) => localPostgresDir(join(dir, 'demo', 'postgres')));
  await Promise.all([...dirs, ...clusters].map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the demo platform without a MongoDB it can run', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    delete process.env.MONGOMS_SYSTEM_BINARY;
  });
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (key.startsWith('MONGOMS_') && !(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it('reports MongoDB as not available with the download error, while PostgreSQL and Redis come up live and seeded', async () => {
    const dataDir = await scratch();
    Object.assign(process.env, impossibleDownload(join(dataDir, 'mongodb-binaries')));
    const lines: string[] = [];
    const core = await createConsole({ dataDir, mode: 'web', version: 'test', demo: true, log: (l) => lines.push(l), env: {} });
    try {
      // The demo opens without waiting for MongoDB; until it settles the status says it is starting.
      expect(core.demo!.unavailable.mongo).toMatch(/^(starting|mongod could not be downloaded)/);
      await core.demo!.mongoSettled;
      const reason = core.demo!.unavailable.mongo;
      expect(reason).toMatch(/^mongod could not be downloaded from http:\/\/127\.0\.0\.1:1\/.*7\.0\.99.*ECONNREFUSED/);
      expect(reason).toMatch(/set MONGO_URL/);

      const [workspace] = (await core.router.invoke('workspaces.list', {}, session)) as WorkspaceView[];
      expect(workspace!.endpoints.mongo).toBeUndefined();
      const statuses = (await core.router.invoke('workspaces.status', { id: workspace!.id }, session)) as StoreStatus[];
      const byStore = Object.fromEntries(statuses.map((s) => [s.store, s]));
      expect(byStore.postgres).toMatchObject({ state: 'connected' });
      expect(byStore.redis).toMatchObject({ state: 'connected' });
      expect(byStore.mongo).toMatchObject({ state: 'unavailable', reason });
      // The start-up log says what the status bar says, in the same words: first starting, then why not.
      await vi.waitFor(() => expect(lines).toContain(`  ${storeStatusLine(byStore.mongo!)}`));
      const mongoLines = lines.filter((l) => l.startsWith('  MongoDB: '));
      expect(mongoLines.at(-1)).toBe(`  MongoDB: not available: ${reason}`);
      expect(mongoLines.slice(0, -1).every((l) => l.startsWith('  MongoDB: not available: starting'))).toBe(true);

      const stores = await core.registry.open(workspace!.id);
      const tenants = await stores.postgres!.query('select count(*)::int from public.tenants', []);
      expect(tenants.rows[0]![0]).toBe(DEMO_TENANTS);
      const state = JSON.parse(await readFile(join(dataDir, 'demo', 'state.json'), 'utf8')) as { seededAt?: string; mongo?: unknown };
      expect(state.seededAt).toBeDefined();
      expect(state.mongo).toBeUndefined();
    } finally {
      await core.close();
    }
  }, 240_000);

  it('with a MONGO_URL that does not answer, MongoDB joins the workspace and shows as down while PostgreSQL and Redis stay live', async () => {
    const dataDir = await scratch();
    const lines: string[] = [];
    const core = await createConsole({ dataDir, mode: 'web', version: 'test', demo: true, log: (l) => lines.push(l), env: { MONGO_URL: 'mongodb://127.0.0.1:9/' } });
    try {
      await core.demo!.mongoSettled;
      expect(core.demo!.unavailable.mongo).toBeUndefined();
      const [workspace] = (await core.router.invoke('workspaces.list', {}, session)) as WorkspaceView[];
      expect(workspace!.endpoints.mongo).toMatchObject({ hosts: '127.0.0.1:9' });
      expect(lines.some((l) => l.startsWith("The demo's MongoDB could not be set up: ") && /unreachable|could not be reached/.test(l))).toBe(true);
      const statuses = (await core.router.invoke('workspaces.status', { id: workspace!.id }, session)) as StoreStatus[];
      const byStore = Object.fromEntries(statuses.map((s) => [s.store, s]));
      expect(byStore.postgres).toMatchObject({ state: 'connected' });
      expect(byStore.redis).toMatchObject({ state: 'connected' });
      expect(byStore.mongo!.state).not.toBe('connected');
      // Not recorded as seeded: the next start tries again.
      const state = JSON.parse(await readFile(join(dataDir, 'demo', 'state.json'), 'utf8')) as { mongo?: { target: string; seededAt?: string } };
      expect(state.mongo).toEqual({ target: 'url:127.0.0.1:9' });
    } finally {
      await core.close();
    }
  }, 240_000);

  it('gives up on a mongod download that does not finish within the bound, with a timeout', async () => {
    const dataDir = await scratch();
    // A mirror that accepts the connection and never answers: the download hangs.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    Object.assign(process.env, impossibleDownload(join(dataDir, 'mongodb-binaries'), `http://127.0.0.1:${port}`));
    try {
      const failure = await startLocalMongo({ dir: join(dataDir, 'mongo'), password: 'unused-password', timeoutMs: 1000 }).then(
        async (server) => {
          await server.stop();
          return undefined;
        },
        (error: unknown) => error,
      );
      expect(failure).toMatchObject({ code: 'timeout', message: expect.stringMatching(/did not start within 1 s/) });
      expect(sockets.size).toBeGreaterThan(0);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

announceSkip('the demo platform with MONGO_URL', mongoSkipReason);

describe.skipIf(!mongoUrl)('the demo platform with MONGO_URL', () => {
  const database = murima2025.layout.mongo!.databases.tenant!;

  it('seeds the Murima2025 tenant collections into MongoDB once and keeps them for the next start', async () => {
    const admin = new MongoClient(mongoUrl ?? '');
    await admin.connect();
    // The demo's database name is fixed; the test server must not hold it from elsewhere.
    await admin.db(database).dropDatabase();
    const dataDir = await scratch();
    try {
      const first = await createConsole({ dataDir, mode: 'web', version: 'test', demo: true, log: () => undefined, env: { MONGO_URL: mongoUrl } });
      let workspaceId: string;
      try {
        workspaceId = first.demo!.workspaceId;
        await first.demo!.mongoSettled;
        expect(first.demo!.unavailable.mongo).toBeUndefined();
        const statuses = (await first.router.invoke('workspaces.status', { id: workspaceId }, session)) as StoreStatus[];
        expect(statuses.find((s) => s.store === 'mongo')).toMatchObject({ state: 'connected' });
      } finally {
        await first.close();
      }
      const names = (await admin.db(database).listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
      const perTenant = murima2025.blueprint.mongo!.collections.length;
      expect(names.filter((n) => n.startsWith('tenant_'))).toHaveLength(DEMO_TENANTS * perTenant);
      const cache = names.find((n) => n.endsWith('_ai_results_cache'))!;
      const ttl = (await admin.db(database).collection(cache).listIndexes().toArray()).find((i) => i.name === 'expires_at_1');
      expect(ttl?.expireAfterSeconds).toBe(0);
      const documents = async (): Promise<number> => {
        let n = 0;
        for (const name of names) n += await admin.db(database).collection(name).countDocuments();
        return n;
      };
      const seeded = await documents();
      expect(seeded).toBeGreaterThan(0);

      const lines: string[] = [];
      const second = await createConsole({ dataDir, mode: 'web', version: 'test', demo: true, log: (l) => lines.push(l), env: { MONGO_URL: mongoUrl } });
      try {
        expect(second.demo!.workspaceId).toBe(workspaceId);
        await second.demo!.mongoSettled;
        expect(lines.some((l) => /Demo MongoDB seeded/.test(l))).toBe(false);
      } finally {
        await second.close();
      }
      expect(await documents()).toBe(seeded);
    } finally {
      await admin.db(database).dropDatabase();
      await admin.close();
    }
  }, 240_000);
});
