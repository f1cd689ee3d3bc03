import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitForPort } from './ports';

const run = promisify(execFile);

export interface ThrowawayRedis {
  host: string;
  port: number;
  password: string;
  /** `redis://:password@127.0.0.1:port/0` */
  url: string;
  /** Kills the server at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export function redisServerAvailable(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}

/** Starts a throwaway `redis-server` from PATH on a free loopback port, with a password. */
export async function startRedis(options: { password?: string } = {}): Promise<ThrowawayRedis> {
  const password = options.password ?? 'tenantscope-test';
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'tenantscope-redis-'));
  const pidFile = join(dir, 'redis.pid');
  const start = async (): Promise<void> => {
    await run('redis-server', [
      '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
      '--daemonize', 'yes', '--dir', dir, '--pidfile', pidFile, '--requirepass', password,
      '--logfile', join(dir, 'redis.log'),
    ]);
    await waitForPort(port);
  };
  const kill = async (signal: NodeJS.Signals): Promise<void> => {
    const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
    if (!pid) return;
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    for (let i = 0; i < 200; i++) {
      try {
        process.kill(pid, 0);
        await new Promise((r) => setTimeout(r, 25));
      } catch {
        break;
      }
    }
    await rm(pidFile, { force: true });
  };
  await start();
  return {
    host: '127.0.0.1',
    port,
    password,
    url: `redis://:${encodeURIComponent(password)}@127.0.0.1:${port}/0`,
    kill: () => kill('SIGKILL'),
    restart: start,
    async stop() {
      await kill('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
