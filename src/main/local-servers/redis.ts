import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { AppError } from '@shared/errors';
import { clearLeftoverServer, leftoverLine } from './leftover-server';
import { dieWithConsoleLauncher } from './die-with-console';
import { dataDirFailure, runServer, startFailure, startOnFreePort, stopServer } from './server-process';

export interface LocalRedis {
  host: '127.0.0.1';
  port: number;
  stop(): Promise<void>;
}

export interface LocalRedisOptions {
  dir: string;
  password: string;
  /** A port chosen by the caller; default a free loopback port. */
  port?: number;
  /** The PATH searched for redis-server; default this process's PATH. */
  searchPath?: string;
  /**
   * The server stops by itself (SIGTERM, its clean stop) when the console process dies, where the
   * system allows it (see `dieWithConsoleLauncher`). Default true.
   */
  dieWithConsole?: boolean;
  /** Told, in one line, about a server an earlier console left running on this folder and what became of it. */
  notice?: (line: string) => void;
}

const SERVER = 'The demo Redis';
export const REDIS_INSTALL_HINT =
  'Install redis-server (Debian/Ubuntu: sudo apt-get install redis-server; Fedora: sudo dnf install redis; macOS: brew install redis) and start Tenantscope again.';

/** The first executable `redis-server` on the search path, or undefined. */
export async function findRedisServer(searchPath = process.env.PATH ?? ''): Promise<string | undefined> {
  for (const dir of searchPath.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'redis-server');
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** Where the demo Redis writes its pid (redis-server removes it when it stops cleanly). */
function redisPidFile(dir: string): string {
  return join(dir, 'redis-server.pid');
}

/**
 * Stops a demo Redis an earlier console left running on `dir`, or removes its stale pidfile, as
 * `clearLeftoverServer` says. SIGTERM is Redis's own clean shutdown: it snapshots the keys into
 * demo.rdb and exits, so the next start loads them. SIGKILL only if that hangs.
 */
export async function clearLeftoverRedis(dir: string, notice?: (line: string) => void): Promise<void> {
  const outcome = await clearLeftoverServer({
    server: SERVER,
    // Debian's redis-server is a link to redis-check-rdb; the process still calls itself redis-server.
    programs: ['redis-server'],
    pidFile: redisPidFile(dir),
    dataDir: dir,
    stopSteps: [
      { signal: 'SIGTERM', graceMs: 30_000 },
      { signal: 'SIGKILL', graceMs: 5_000 },
    ],
  });
  const line = leftoverLine(SERVER, outcome);
  if (line) notice?.(line);
}

/**
 * A `redis-server` from PATH run by the console for the demo platform: loopback only, with a
 * password, snapshotting into `dir` so the demo's keys survive a restart. Every failure rejects
 * with an AppError whose message says what went wrong and the fix.
 */
export async function startLocalRedis(options: LocalRedisOptions): Promise<LocalRedis> {
  const program = await findRedisServer(options.searchPath);
  if (!program) throw new AppError('tool_missing', `${SERVER} could not be started: redis-server is not on PATH. ${REDIS_INSTALL_HINT}`);
  try {
    await mkdir(options.dir, { recursive: true, mode: 0o700 });
    // redis-server only finds out at its first snapshot that it cannot write; find out now.
    await access(options.dir, constants.W_OK);
  } catch (error) {
    throw dataDirFailure(SERVER, options.dir, error);
  }
  await clearLeftoverRedis(options.dir, options.notice);
  const launcher = options.dieWithConsole === false ? undefined : await dieWithConsoleLauncher('SIGTERM');
  return startOnFreePort(options.port, async (port) => {
    const server = runServer(
      program,
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', options.dir, '--dbfilename', 'demo.rdb', '--pidfile', redisPidFile(options.dir), '--save', '60 1', '--appendonly', 'no', '--requirepass', options.password],
      { ready: /Ready to accept connections/i, launcher, name: 'redis-server' },
    );
    try {
      await server.ready;
    } catch (error) {
      await stopServer(server, 'SIGKILL');
      throw startFailure(SERVER, error, { port, program, dataDir: options.dir, programFix: REDIS_INSTALL_HINT });
    }
    return { host: '127.0.0.1' as const, port, stop: () => stopServer(server, 'SIGTERM') };
  });
}
