import { spawn, type ChildProcess } from 'node:child_process';
import { access, readdir, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { AppError } from '@shared/errors';
import type { PostgresEndpoint } from '@shared/model/workspace';
import { createPostgresClient, postgresClientConfig } from './client';
import { toPostgresError } from './errors';

/**
 * The PostgreSQL client programs (pg_dump, pg_restore, psql) run against a workspace's endpoint:
 * found on disk, checked against the server's version, run with the endpoint's connection in the
 * environment (never on the command line, where `ps` would show the password), stopped on cancel.
 */

export type PostgresToolName = 'pg_dump' | 'pg_restore' | 'psql';

export interface LocatedTool {
  name: PostgresToolName;
  path: string;
  /** `pg_dump (PostgreSQL) 15.8` as the program says it. */
  version: string;
  major: number;
}

export interface ServerVersion {
  text: string;
  major: number;
}

/** Where to look for the programs: an explicit folder (`TENANTSCOPE_PG_BIN`) alone, else the usual places. */
export interface ToolSearch {
  binDir?: string | undefined;
  path?: string | undefined;
}

const INSTALL_HINT = (major: number): string =>
  `install the PostgreSQL ${major} client programs (Debian/Ubuntu: apt-get install postgresql-client-${major}; Fedora: dnf install postgresql${major}; macOS: brew install postgresql@${major}), ` +
  'or set TENANTSCOPE_PG_BIN to the folder that holds them';

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The folders searched, best first: TENANTSCOPE_PG_BIN alone when set; else the server's major under /usr/lib/postgresql, newer majors, then PATH. */
export async function toolFolders(search: ToolSearch, serverMajor: number): Promise<string[]> {
  if (search.binDir) return [search.binDir];
  const versioned: number[] = [];
  try {
    for (const entry of await readdir('/usr/lib/postgresql')) if (/^\d+$/.test(entry)) versioned.push(Number(entry));
  } catch {
    // No Debian layout on this machine.
  }
  // The server's own major first: pg_dump of a newer major also works, an older one never does.
  const majors = [serverMajor, ...versioned.filter((m) => m > serverMajor).sort((a, b) => a - b)];
  const folders = majors.filter((m) => versioned.includes(m)).map((m) => `/usr/lib/postgresql/${m}/bin`);
  for (const brew of [`/opt/homebrew/opt/postgresql@${serverMajor}/bin`, `/usr/local/opt/postgresql@${serverMajor}/bin`, `/usr/pgsql-${serverMajor}/bin`]) folders.push(brew);
  folders.push(...(search.path ?? process.env.PATH ?? '').split(delimiter).filter(Boolean));
  return folders;
}

/** `pg_dump (PostgreSQL) 15.8 (Debian 15.8-1)` → 15; `pg_dump (PostgreSQL) 9.6.24` → 9. */
export function majorOf(versionText: string): number | undefined {
  const match = /\b(\d+)(?:\.(\d+))?/.exec(versionText.replace(/^[^)]*\)/, ''));
  return match ? Number(match[1]) : undefined;
}

/**
 * Whether a client program can work with the server: pg_dump and psql must be of the server's
 * major or newer (an older pg_dump refuses a newer server); pg_restore must be at least as new as
 * the pg_dump that wrote the archive, which is checked against the manifest separately.
 */
export function versionProblem(tool: LocatedTool, server: ServerVersion): string | undefined {
  if (tool.major >= server.major) return undefined;
  return (
    `${tool.name} at ${tool.path} is ${tool.version}, older than the server (PostgreSQL ${server.text}): ` +
    `point the console at PostgreSQL ${server.major} client programs by setting TENANTSCOPE_PG_BIN (for example /usr/lib/postgresql/${server.major}/bin), or ${INSTALL_HINT(server.major)}`
  );
}

export async function locateTool(name: PostgresToolName, server: ServerVersion, search: ToolSearch): Promise<LocatedTool> {
  const folders = await toolFolders(search, server.major);
  let olderFound: LocatedTool | undefined;
  for (const folder of folders) {
    const path = join(folder, name);
    if (!(await executable(path))) continue;
    const version = await versionOf(path);
    const major = majorOf(version);
    if (major === undefined) continue;
    const tool = { name, path, version, major };
    if (!versionProblem(tool, server)) return tool;
    olderFound ??= tool;
  }
  if (olderFound) throw new AppError('version_mismatch', versionProblem(olderFound, server) ?? '', { tool: olderFound.version, server: server.text });
  const where = search.binDir ? `in ${search.binDir} (TENANTSCOPE_PG_BIN)` : 'on this machine';
  throw new AppError('tool_missing', `${name} was not found ${where}: ${INSTALL_HINT(server.major)}.`, { tool: name });
}

/** `--version` of a program, asked once per file (its path, size and time of change) for the console's life. */
const versions = new Map<string, Promise<string>>();

async function versionOf(path: string): Promise<string> {
  const { size, mtimeMs } = await stat(path);
  const key = `${path}\u0000${size}\u0000${mtimeMs}`;
  let version = versions.get(key);
  if (!version) {
    version = runForOutput(path, ['--version']).then((out) => out.trim());
    versions.set(key, version);
    version.catch(() => versions.delete(key));
  }
  return version;
}

function runForOutput(path: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', () => resolve(out));
  });
}

export interface ToolRun {
  child: ChildProcess;
  stdin: Writable | null;
  stdout: Readable | null;
  /** Resolves when the program exits 0; rejects with its last stderr lines otherwise, or `cancelled`. */
  done: Promise<void>;
}

export interface ToolRunOptions {
  signal: AbortSignal;
  /** Each stderr line as it comes (pg_dump --verbose progress). */
  onLine?(line: string): void;
  /** stdin/stdout as pipes (pg_restore -f - | psql); ignored otherwise. */
  pipeIn?: boolean;
  pipeOut?: boolean;
  /** Shown in pg_stat_activity, so an administrator sees which job holds the connection. */
  applicationName?: string;
  /** Another database of the same server. */
  database?: string;
}

/**
 * A workspace's PostgreSQL as the client programs see it. Made by the store, which alone knows the
 * password; `readOnly` is the store's, so restore work refuses itself on a read-only (prod) set.
 */
export class PostgresTools {
  readonly #endpoint: PostgresEndpoint;
  readonly #password: string | undefined;
  readonly readOnly: boolean;
  readonly #search: ToolSearch;

  constructor(endpoint: PostgresEndpoint, password: string | undefined, options: { readOnly: boolean; search?: ToolSearch }) {
    this.#endpoint = endpoint;
    this.#password = password;
    this.readOnly = options.readOnly;
    this.#search = options.search ?? {};
  }

  get database(): string {
    return this.#endpoint.database;
  }

  /** The same server and credentials, looking for the programs elsewhere. */
  withSearch(search: ToolSearch): PostgresTools {
    return new PostgresTools(this.#endpoint, this.#password, { readOnly: this.readOnly, search: { ...this.#search, ...search } });
  }

  locate(name: PostgresToolName, server: ServerVersion): Promise<LocatedTool> {
    return locateTool(name, server, this.#search);
  }

  /** libpq's environment for the endpoint: host, port, user, database, password and TLS files. */
  environment(options: { applicationName?: string | undefined; database?: string | undefined } = {}): NodeJS.ProcessEnv {
    const { tls } = this.#endpoint;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '',
      LANG: 'C',
      LC_ALL: 'C',
      PGHOST: this.#endpoint.host,
      PGPORT: String(this.#endpoint.port),
      PGUSER: this.#endpoint.username,
      PGDATABASE: options.database ?? this.#endpoint.database,
      PGCONNECT_TIMEOUT: '10',
      PGAPPNAME: options.applicationName ?? 'tenantscope-tools',
      PGSSLMODE: tls.enabled ? (tls.rejectUnauthorized ? 'verify-full' : 'require') : 'prefer',
      // Never a password file or service of the account running the console.
      PGPASSFILE: '/dev/null',
    };
    if (this.#password !== undefined) env.PGPASSWORD = this.#password;
    if (tls.caFile) env.PGSSLROOTCERT = tls.caFile;
    if (tls.certFile) env.PGSSLCERT = tls.certFile;
    if (tls.keyFile) env.PGSSLKEY = tls.keyFile;
    return env;
  }

  /** Starts a program; a cancel sends SIGTERM (SIGKILL a second later) and the run rejects with `cancelled`. */
  run(tool: LocatedTool, args: string[], options: ToolRunOptions): ToolRun {
    if (options.signal.aborted) throw new AppError('cancelled', `${tool.name} was cancelled before it started.`);
    const child = spawn(tool.path, args, {
      env: this.environment({ applicationName: options.applicationName, database: options.database }),
      stdio: [options.pipeIn ? 'pipe' : 'ignore', options.pipeOut ? 'pipe' : 'ignore', 'pipe'],
    });
    const tail: string[] = [];
    let partial = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line) continue;
        tail.push(line);
        if (tail.length > 20) tail.shift();
        options.onLine?.(line);
      }
    });
    // A program that exits before reading all of its input (a refused statement) must not leave the
    // pipe to it open: 'close' waits for every stdio stream, and a writer would wait for a drain forever.
    child.on('exit', () => child.stdin?.destroy());
    let killTimer: ReturnType<typeof setTimeout> | undefined;
    const stop = (): void => {
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), 1_000);
      killTimer.unref?.();
    };
    options.signal.addEventListener('abort', stop, { once: true });
    const done = new Promise<void>((resolve, reject) => {
      child.on('error', (error: NodeJS.ErrnoException) => {
        reject(
          error.code === 'ENOENT'
            ? new AppError('tool_missing', `${tool.path} could not be started (${error.code}).`)
            : new AppError('internal', `${tool.name} could not be started: ${error.message}`),
        );
      });
      child.on('close', (code, signal) => {
        options.signal.removeEventListener('abort', stop);
        if (killTimer) clearTimeout(killTimer);
        if (partial) tail.push(partial);
        if (options.signal.aborted) return reject(new AppError('cancelled', `${tool.name} was stopped: the job was cancelled.`));
        if (code === 0) return resolve();
        const said = tail.filter((l) => !/^\S+: (?:dumping|reading|processing|executing|creating|launching|finished|identifying|saving|last built-in|restoring|connecting|implied)/i.test(l)).slice(-5);
        reject(new AppError(failureCode(said), `${tool.name} failed (${signal ? `signal ${signal}` : `exit ${code}`}): ${said.join(' | ') || 'no message'}`));
      });
    });
    // A failure nobody awaits yet must not become an unhandled rejection before the caller gets to it.
    done.catch(() => undefined);
    return { child, stdin: child.stdin, stdout: child.stdout, done };
  }

  /**
   * A `REPEATABLE READ READ ONLY` transaction whose snapshot is exported (`pg_export_snapshot()`), so
   * `pg_dump --snapshot` and the row counts read here see the same data. The transaction stays open
   * until `work` ends; a cancel stops the statement in flight by closing the connection.
   */
  async withSnapshot<T>(work: (snapshot: { id: string; query(sql: string, params?: unknown[]): Promise<unknown[][]> }) => Promise<T>, signal: AbortSignal, applicationName: string): Promise<T> {
    const server = `PostgreSQL at ${this.#endpoint.host}:${this.#endpoint.port}`;
    const client = createPostgresClient(await postgresClientConfig(this.#endpoint, this.#password, { connectTimeoutMs: 10_000, applicationName }));
    const cut = (): void => {
      // Ending the socket stops a statement waiting on a lock; the server rolls the transaction back.
      (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    };
    signal.addEventListener('abort', cut, { once: true });
    try {
      await client.connect();
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const exported = await client.query<{ id: string }>('SELECT pg_catalog.pg_export_snapshot() AS id');
      const id = exported.rows[0]?.id;
      if (!id) throw new AppError('internal', 'The server exported no snapshot.');
      const result = await work({
        id,
        query: async (sql, params) => (await client.query({ text: sql, values: params ?? [], rowMode: 'array' })).rows as unknown[][],
      });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (signal.aborted) throw new AppError('cancelled', 'The backup was cancelled.');
      throw error instanceof AppError ? error : toPostgresError(error, server);
    } finally {
      signal.removeEventListener('abort', cut);
      await client.end().catch(() => undefined);
    }
  }
}

function failureCode(lines: string[]): 'unreachable' | 'invalid_argument' | 'internal' | 'conflict' {
  const text = lines.join(' ').toLowerCase();
  if (/server closed the connection|connection to server .* failed|could not connect|terminating connection|no connection to the server|connection refused|the database system is (?:shutting down|starting up|in recovery mode)/.test(text)) return 'unreachable';
  if (/no matching schemas were found|does not exist/.test(text)) return 'invalid_argument';
  if (/already exists/.test(text)) return 'conflict';
  return 'internal';
}
