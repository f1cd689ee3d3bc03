import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { AppError } from '@shared/errors';
import { launcherExecFailure, type Launcher } from './die-with-console';
import { freeLoopbackPort } from './free-port';

/** The last lines a server printed, kept to say why it stopped. */
const TAIL_LINES = 20;

export interface ServerProcess {
  child: ChildProcess;
  /**
   * Resolves once a line matches `ready` (or, for a program run to its end, once it exits with 0);
   * rejects with the program's own words when it fails first.
   */
  ready: Promise<void>;
  /** Resolves when the process has exited (at once if it never started). */
  exited: Promise<void>;
  /** What the process printed last, newest last. */
  output(): string[];
}

/**
 * Runs a local server program and watches its output. Every way it can fail becomes a rejection of
 * `ready` (never an unhandled `'error'` event): the program cannot be run (ENOENT, EACCES), it
 * exits before it is ready, or it says something `failure` recognises.
 */
export function runServer(
  command: string,
  args: string[],
  options: SpawnOptions & { ready?: RegExp; name: string; launcher?: Launcher },
): ServerProcess {
  const lines: string[] = [];
  const { launcher } = options;
  const child = launcher
    ? spawn(launcher.command, [...launcher.args, '--', command, ...args], { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    // A program that cannot be spawned emits 'error' and never 'exit'.
    child.once('error', () => resolve());
  });
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) {
        const trimmed = line.trim();
        if (!trimmed) continue;
        lines.push(trimmed);
        if (lines.length > TAIL_LINES) lines.shift();
        if (options.ready?.test(trimmed)) resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error: NodeJS.ErrnoException) => reject(error));
    child.once('exit', (code, signal) => {
      if (!options.ready && code === 0) resolve();
      reject((launcher && launcherExecFailure(launcher, code, lines)) ?? new ServerExit(options.name, code, signal, [...lines]));
    });
  });
  // Whoever awaits `ready` sees the failure; a late exit after readiness is not an error here.
  ready.catch(() => undefined);
  return { child, ready, exited, output: () => [...lines] };
}

/** A server that exited before it was ready, with what it printed. */
export class ServerExit extends Error {
  constructor(
    readonly server: string,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly lines: string[],
  ) {
    super(`${server} exited before it was ready (${signal ?? `exit code ${exitCode}`})${lines.length ? `: ${lines.at(-1)}` : ''}`);
  }
}

/**
 * Starts a server on the port asked for, or on a free one. A free port can be taken by another
 * program between the moment it is found and the server binding it: then once more on another.
 */
export async function startOnFreePort<T>(asked: number | undefined, start: (port: number) => Promise<T>): Promise<T> {
  if (asked !== undefined) return start(asked);
  try {
    return await start(await freeLoopbackPort());
  } catch (error) {
    if (!AppError.is(error, 'conflict')) throw error;
    return start(await freeLoopbackPort());
  }
}

/** Stops a server with `signal`, and kills it when it has not exited after `graceMs`. */
export async function stopServer(server: ServerProcess, signal: NodeJS.Signals, graceMs = 10_000): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  timer.unref();
  await server.exited;
  clearTimeout(timer);
}

/**
 * One reason a person can act on, for a local server that could not start: what went wrong, then
 * the fix. `port` and `paths` let it name the port that is taken and the file that cannot be run.
 */
export function startFailure(
  server: string,
  error: unknown,
  context: { port?: number; program: string; dataDir: string; programFix: string },
): AppError {
  if (AppError.is(error)) return error;
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  if (errno === 'ENOENT') {
    return new AppError('tool_missing', `${server} could not be started: ${context.program} does not exist. ${context.programFix}`, { errno });
  }
  if (errno === 'EACCES' || errno === 'EPERM' || errno === 'ENOEXEC') {
    return new AppError('tool_missing', `${server} could not be started: ${context.program} cannot be run by the account the server runs as (${errno}). ${context.programFix}`, { errno });
  }
  const lines = error instanceof ServerExit ? error.lines : [];
  const said = lines.join('\n');
  if (/address already in use/i.test(said)) {
    return new AppError('conflict', `${server} could not be started: port ${context.port} on 127.0.0.1 is already taken by another program. Restart Tenantscope to pick another port, or stop the program that holds it.`, { port: context.port });
  }
  if (/read-only file system|permission denied|not a directory|can't chdir|could not (create|open|write)/i.test(said)) {
    const line = lines.find((l) => /read-only file system|permission denied|not a directory|can't chdir|could not (create|open|write)/i.test(l));
    return new AppError('unreachable', `${server} could not be started: it cannot write its data directory ${context.dataDir} (${line ?? 'not writable'}). ${DATA_DIR_FIX}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('unreachable', `${server} could not be started: ${message}`, { output: lines });
}

export const DATA_DIR_FIX = 'Free space or write access on that disk, or start Tenantscope with --data-dir on a writable disk.';

/** For a data directory the console itself could not create or write. */
export function dataDirFailure(server: string, dir: string, error: unknown): AppError {
  if (AppError.is(error)) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? (error instanceof Error ? error.message : String(error));
  return new AppError('unreachable', `${server} could not be started: its data directory ${dir} cannot be written (${code}). ${DATA_DIR_FIX}`, { errno: code });
}
