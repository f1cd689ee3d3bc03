import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, readlink, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '@shared/model/session';
import type { StoreKind, StoreStatus } from '@shared/model/workspace';
import { createConsole, type ConsoleCore } from '../../src/main/core/console';
import { DEMO_TENANTS } from '../../src/main/core/demo-platform';
import { dieWithConsoleLauncher } from '../../src/main/local-servers/die-with-console';
import { processFacts } from '../../src/main/local-servers/process-facts';
import { clearLeftoverPostgres, localPostgresDir } from '../../src/main/local-servers/postgres';
import { clearLeftoverRedis } from '../../src/main/local-servers/redis';
import { announceSkip } from '../support/external-stores';

const repo = resolve(import.meta.dirname, '../..');
const session: Session = { connectionId: 'test', operator: { name: 'tester' }, role: 'platform_admin' };
const linux = process.platform === 'linux';

/**
 * mongodb-memory-server reads MONGOMS_* variables: a download that cannot succeed keeps any mongod
 * out of these runs, so the only servers in play are the demo's PostgreSQL and Redis.
 */
const NO_MONGOD = { MONGOMS_DOWNLOAD_MIRROR: 'http://127.0.0.1:1', MONGOMS_DOWNLOAD_DIR: '', MONGOMS_VERSION: '7.0.99', MONGOMS_MAX_RETRIES: '1' };

/** A console with the demo, run as `npm start` runs it, that reports once the demo is up and then waits to be killed. */
const CHILD = `
import { createConsole } from '${repo}/src/main/core/console';
const [dataDir, watch] = process.argv.slice(2);
const core = await createConsole({ dataDir, mode: 'web', version: 'test', demo: { dieWithConsole: watch === 'watched' }, env: {}, log: () => undefined });
const stores = await core.registry.open(core.demo.workspaceId);
const keys = await stores.redis.dbsize();
process.stdout.write(JSON.stringify({ keys, unavailable: core.demo.unavailable }) + '\\n');
setInterval(() => undefined, 60_000);
`;

let dir: string;
let dataDir: string;
const children = new Set<ChildProcess>();
const sleepers: ChildProcess[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tenantscope-orphans-'));
  dataDir = join(dir, 'data');
  await writeFile(join(dir, 'child.mts'), CHILD);
  NO_MONGOD.MONGOMS_DOWNLOAD_DIR = join(dir, 'mongodb-binaries');
  Object.assign(process.env, NO_MONGOD);
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const sleeper of sleepers) sleeper.kill('SIGKILL');
  for (const key of Object.keys(NO_MONGOD)) if (!(key in saved)) delete process.env[key];
  // Whatever a failed case left running on these folders goes the way the console itself stops it.
  await clearLeftoverPostgres(join(dataDir, 'demo', 'postgres')).catch(() => undefined);
  await clearLeftoverRedis(join(dataDir, 'demo', 'redis')).catch(() => undefined);
  await rm(localPostgresDir(join(dataDir, 'demo', 'postgres')), { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
});

const postgresData = (): string => join(localPostgresDir(join(dataDir, 'demo', 'postgres')), 'data');
const redisDir = (): string => join(dataDir, 'demo', 'redis');
const pidFiles = (): { postgres: string; redis: string } => ({ postgres: join(postgresData(), 'postmaster.pid'), redis: join(redisDir(), 'redis-server.pid') });

async function pidIn(file: string): Promise<number> {
  return Number((await readFile(file, 'utf8')).split('\n')[0]);
}

/** Starts the child console and resolves once its demo is up, with what it reported. */
async function startChildConsole(watch: 'watched' | 'unwatched'): Promise<{ child: ChildProcess; keys: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(dir, 'child.mts'), dataDir, watch], {
    cwd: repo,
    env: { ...process.env, ...NO_MONGOD, TSX_TSCONFIG_PATH: join(repo, 'tsconfig.node.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const report = await new Promise<{ keys: number; unavailable: Partial<Record<StoreKind, string>> }>((resolveReport, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolveReport(JSON.parse(chunk.toString().trim().split('\n')[0]!)));
    child.once('exit', (code) => reject(new Error(`the child console exited by itself (${code}): ${errors}`)));
  });
  expect(report.unavailable.postgres).toBeUndefined();
  expect(report.unavailable.redis).toBeUndefined();
  return { child, keys: report.keys };
}

async function killWithSigkill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
  child.kill('SIGKILL');
  await exited;
  children.delete(child);
}

/** Every process working from one of these folders: a server of the demo, whichever run started it. */
async function processesWorkingIn(folders: string[]): Promise<number[]> {
  const wanted = await Promise.all(folders.map((folder) => realpath(folder).catch(() => folder)));
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => undefined);
    if (cwd && wanted.includes(cwd) && (await processFacts(Number(entry))).alive) found.push(Number(entry));
  }
  return found;
}

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolveWait) => setTimeout(resolveWait, 100));
}

/** A console on the same data dir, in this process: the checks run before it closes, and nothing of it is left after. */
async function withNextConsole(check: (core: ConsoleCore, byStore: Record<StoreKind, StoreStatus>, lines: string[]) => Promise<void>): Promise<void> {
  const lines: string[] = [];
  const core = await createConsole({ dataDir, mode: 'web', version: 'test', demo: true, log: (l) => lines.push(l), env: {} });
  try {
    const pong = (await core.router.invoke('system.ping', { echo: 'after the kill' }, session)) as { echo?: string };
    expect(pong.echo).toBe('after the kill');
    const statuses = (await core.router.invoke('workspaces.status', { id: core.demo!.workspaceId }, session)) as StoreStatus[];
    const byStore = Object.fromEntries(statuses.map((s) => [s.store, s])) as Record<StoreKind, StoreStatus>;
    expect(byStore.postgres).toMatchObject({ state: 'connected' });
    expect(byStore.redis).toMatchObject({ state: 'connected' });
    const stores = await core.registry.open(core.demo!.workspaceId);
    const tenants = await stores.postgres!.query('select count(*)::int from public.tenants', []);
    expect(tenants.rows[0]![0]).toBe(DEMO_TENANTS);
    await check(core, byStore, lines);
  } finally {
    await core.close();
  }
  expect(await processesWorkingIn([postgresData(), redisDir()])).toEqual([]);
}

describe.runIf(linux)('a console killed with SIGKILL while the demo runs', () => {
  if (!linux) announceSkip('demo servers left by a killed console', `these cases read /proc, which ${process.platform} does not have`);

  it('leaves its servers running where they cannot die with it; the next start stops them cleanly and opens the demo with its data', async () => {
    const { child, keys } = await startChildConsole('unwatched');
    expect(keys).toBeGreaterThan(0);
    const first = { postgres: await pidIn(pidFiles().postgres), redis: await pidIn(pidFiles().redis) };
    expect((await processFacts(first.postgres)).names).toContain('postgres');
    expect((await processFacts(first.redis)).names).toContain('redis-server');
    await killWithSigkill(child);
    // The premise: killed this way, the console stopped neither.
    expect((await processFacts(first.postgres)).alive).toBe(true);
    expect((await processFacts(first.redis)).alive).toBe(true);

    await withNextConsole(async (core, _byStore, lines) => {
      expect(lines).toContain(`The demo PostgreSQL left running by an earlier console (process ${first.postgres}) was stopped before starting it again.`);
      expect(lines).toContain(`The demo Redis left running by an earlier console (process ${first.redis}) was stopped before starting it again.`);
      expect((await processFacts(first.postgres)).alive).toBe(false);
      expect((await processFacts(first.redis)).alive).toBe(false);
      // Redis was stopped the clean way: it saved every key of the first run, and the new one loaded them.
      const stores = await core.registry.open(core.demo!.workspaceId);
      expect(await stores.redis!.dbsize()).toBe(keys);
    });
  }, 300_000);

  it('killed before its first seeding finished: the next start stops its servers before emptying their folders, and seeds anew', async () => {
    const { child } = await startChildConsole('unwatched');
    const first = { postgres: await pidIn(pidFiles().postgres), redis: await pidIn(pidFiles().redis) };
    await killWithSigkill(child);
    // What a kill in the middle of the first seeding leaves: a state that was never marked seeded.
    const statePath = join(dataDir, 'demo', 'state.json');
    const { seededAt: _seededAt, ...unseeded } = JSON.parse(await readFile(statePath, 'utf8')) as Record<string, unknown>;
    await writeFile(statePath, JSON.stringify(unseeded));

    await withNextConsole(async (_core, _byStore, lines) => {
      expect(lines).toContain(`The demo PostgreSQL left running by an earlier console (process ${first.postgres}) was stopped before starting it again.`);
      expect(lines).toContain(`The demo Redis left running by an earlier console (process ${first.redis}) was stopped before starting it again.`);
      expect(lines.some((line) => line.startsWith('Seeding the demo platform'))).toBe(true);
      expect((await processFacts(first.postgres)).alive).toBe(false);
      expect((await processFacts(first.redis)).alive).toBe(false);
    });
  }, 300_000);

  it('removes a stale pidfile naming a dead process or an unrelated live one, and that process keeps running', async () => {
    const done = spawn('true');
    await new Promise((resolveExit) => done.once('exit', resolveExit));
    const deadPid = done.pid!;
    // A process PostgreSQL itself would take for a live postmaster: one its own account may signal.
    const account = userInfo().uid === 0 ? { uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })) } : {};
    const sleeper = spawn('sleep', ['600'], { ...account, stdio: 'ignore' });
    sleepers.push(sleeper);
    const arrangements = [
      { postgres: sleeper.pid!, redis: deadPid },
      { postgres: deadPid, redis: sleeper.pid! },
    ];
    for (const named of arrangements) {
      await writeFile(pidFiles().postgres, `${named.postgres}\n${postgresData()}\n1700000000\n5432\n\n127.0.0.1\n  5432001  1\nready   \n`);
      await writeFile(pidFiles().redis, `${named.redis}\n`);
      await withNextConsole(async (_core, _byStore, lines) => {
        expect(lines).toContain(`The demo PostgreSQL had a stale pidfile naming process ${named.postgres}, which is not that server; it was removed.`);
        expect(lines).toContain(`The demo Redis had a stale pidfile naming process ${named.redis}, which is not that server; it was removed.`);
        // The pidfiles now name the servers this console runs.
        expect(await pidIn(pidFiles().postgres)).not.toBe(named.postgres);
        expect(await pidIn(pidFiles().redis)).not.toBe(named.redis);
      });
      expect((await processFacts(sleeper.pid!)).alive).toBe(true);
    }
  }, 300_000);

  it('takes its servers with it where the system allows it: they stop cleanly on their own, and the next start finds nothing left', async (context) => {
    if (!(await dieWithConsoleLauncher('SIGTERM'))) {
      announceSkip('demo servers dying with their console', 'no setpriv with --pdeathsig on this machine');
      return context.skip();
    }
    const { child } = await startChildConsole('watched');
    const first = { postgres: await pidIn(pidFiles().postgres), redis: await pidIn(pidFiles().redis) };
    await killWithSigkill(child);
    // The test's own timeout bounds these waits: no clock is asserted.
    await until(async () => !(await processFacts(first.postgres)).alive && !(await processFacts(first.redis)).alive);
    // A clean stop removes each server's own pidfile.
    expect(existsSync(pidFiles().postgres)).toBe(false);
    expect(existsSync(pidFiles().redis)).toBe(false);
    await withNextConsole(async (_core, _byStore, lines) => {
      expect(lines.filter((line) => /left running|stale pidfile/.test(line))).toEqual([]);
    });
  }, 300_000);
});
