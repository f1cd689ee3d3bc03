import { readFile, realpath, rm } from 'node:fs/promises';
import { AppError } from '@shared/errors';
import { processFacts, samePath, type ProcessFacts } from './process-facts';

/**
 * A local server's pidfile on its own data directory, and how to stop the server it names.
 *
 * A server found running there was left by an earlier console that died without stopping it (killed
 * with SIGKILL, a crash, a power-cut laptop that resumed). It is stopped cleanly, the way its own
 * tools would, and started anew; it is not adopted. Adopting would keep a server this console did
 * not start: no output to read its failures from, no child to watch or stop, a port the workspace
 * no longer names, and possibly binaries of an older copy than the one this console runs. A clean
 * stop costs a second or two and keeps its data, so every start is the same start.
 */
export interface LeftoverServer {
  /** How messages name it: "The demo PostgreSQL". */
  server: string;
  /** The names its process answers to (command name, or first argument's base name). */
  programs: readonly string[];
  pidFile: string;
  /** Its data directory: the server works from it, so its process's working directory is this folder. */
  dataDir: string;
  /** Signals to send in turn, each given `graceMs` to end it: a clean stop first, then a harder one. */
  stopSteps: ReadonlyArray<{ signal: NodeJS.Signals; graceMs: number }>;
}

export type LeftoverOutcome =
  /** No pidfile: nothing was left. */
  | { kind: 'none' }
  /** The pidfile named no live server of this data directory (its pid gone, or reused by another program): removed. */
  | { kind: 'stale'; pid?: number }
  /** The server left by an earlier console was stopped. */
  | { kind: 'stopped'; pid: number }
  /** A process of that name runs, but this system does not say where from: left alone, pidfile kept. */
  | { kind: 'unknown'; pid: number };

const POLL_MS = 100;

/**
 * Finds what the pidfile of `spec` names and deals with it before the server starts: a server of
 * this data directory left running by a console that is gone is stopped; a stale pidfile is
 * removed; any other process is never signalled. A server whose parent is still a live console
 * (the same program as this one) belongs to that console: a `conflict` error says so, and nothing
 * is stopped.
 */
export async function clearLeftoverServer(spec: LeftoverServer): Promise<LeftoverOutcome> {
  let text: string;
  try {
    text = await readFile(spec.pidFile, 'utf8');
  } catch {
    // No pidfile, or one this account cannot read: the server itself will say so when it starts.
    return { kind: 'none' };
  }
  const pid = Number(text.split('\n')[0]!.trim());
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return removeStale(spec, undefined);
  const facts = await processFacts(pid);
  if (!facts.alive) return removeStale(spec, pid);
  if (facts.names.length === 0) return { kind: 'unknown', pid };
  if (!spec.programs.some((name) => facts.names.includes(name))) return removeStale(spec, pid);
  if (facts.cwd === undefined) return { kind: 'unknown', pid };
  if (!(await samePath(facts.cwd, spec.dataDir))) return removeStale(spec, pid);

  const owner = await liveConsoleParent(facts);
  if (owner !== undefined) {
    throw new AppError(
      'conflict',
      `${spec.server} could not be started: another Tenantscope console (process ${owner}) is running it on ${spec.dataDir}. Close that console first, or start this one with --data-dir on another folder.`,
      { pid, owner },
    );
  }
  for (const step of spec.stopSteps) {
    try {
      process.kill(pid, step.signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') break;
      throw new AppError('conflict', `${spec.server} could not be started: an earlier one (process ${pid}) still runs on ${spec.dataDir} and cannot be stopped from here (${(error as NodeJS.ErrnoException).code}). Stop it (kill ${pid}) and start again.`, { pid });
    }
    if (await goneWithin(pid, step.graceMs)) break;
  }
  if ((await processFacts(pid)).alive) {
    throw new AppError('conflict', `${spec.server} could not be started: an earlier one (process ${pid}) still runs on ${spec.dataDir} and did not stop when asked. Stop it (kill ${pid}) and start again.`, { pid });
  }
  return { kind: 'stopped', pid };
}

async function removeStale(spec: LeftoverServer, pid: number | undefined): Promise<LeftoverOutcome> {
  await rm(spec.pidFile, { force: true });
  return { kind: 'stale', ...(pid !== undefined && { pid }) };
}

/**
 * The parent of a server a console started is that console. Once the console is gone the server
 * is handed to init or a subreaper, which is never the program this console runs on.
 */
async function liveConsoleParent(facts: ProcessFacts): Promise<number | undefined> {
  const parentPid = facts.parent;
  if (parentPid === undefined || parentPid <= 1) return undefined;
  if (parentPid === process.pid) return parentPid;
  const parent = await processFacts(parentPid);
  if (!parent.alive || parent.executable === undefined) return undefined;
  const ours = await realpath(process.execPath).catch(() => process.execPath);
  return (await samePath(parent.executable, ours)) ? parentPid : undefined;
}

async function goneWithin(pid: number, graceMs: number): Promise<boolean> {
  for (let waited = 0; waited < graceMs; waited += POLL_MS) {
    if (!(await processFacts(pid)).alive) return true;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return !(await processFacts(pid)).alive;
}

/** One line for the console's log, or nothing when there was nothing to say. */
export function leftoverLine(server: string, outcome: LeftoverOutcome): string | undefined {
  switch (outcome.kind) {
    case 'stopped':
      return `${server} left running by an earlier console (process ${outcome.pid}) was stopped before starting it again.`;
    case 'stale':
      return `${server} had a stale pidfile${outcome.pid ? ` naming process ${outcome.pid}, which is not that server` : ''}; it was removed.`;
    case 'unknown':
      return `${server}'s pidfile names process ${outcome.pid}, which this system does not say enough about to stop safely; it was left alone.`;
    default:
      return undefined;
  }
}
