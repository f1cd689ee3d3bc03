import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { AppError } from '@shared/errors';
import { freeLoopbackPort, waitForPort } from './free-port';

export interface LocalRedis {
  host: '127.0.0.1';
  port: number;
  stop(): Promise<void>;
}

export function redisServerOnPath(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * A `redis-server` from PATH run by the console for the demo platform: loopback only, with a
 * password, snapshotting into `dir` so the demo's keys survive a restart.
 */
export async function startLocalRedis(options: { dir: string; password: string }): Promise<LocalRedis> {
  if (!redisServerOnPath()) throw new AppError('tool_missing', 'redis-server is not on PATH (Debian: apt-get install redis-server)');
  await mkdir(options.dir, { recursive: true });
  const port = await freeLoopbackPort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', options.dir, '--dbfilename', 'demo.rdb', '--save', '60 1', '--appendonly', 'no', '--requirepass', options.password],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await Promise.race([waitForPort(port), exited.then(() => Promise.reject(new Error('redis-server exited at start')))]);
  } catch (error) {
    child.kill('SIGKILL');
    throw new AppError('tool_missing', `Could not start the demo Redis server: ${String(error)}`);
  }
  return {
    host: '127.0.0.1',
    port,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
