import { execFile } from 'node:child_process';
import { readFile, readlink, realpath } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { promisify } from 'node:util';
import { processAlive } from '../process-alive';

const run = promisify(execFile);

/** What the system says about a process id, as far as this account may see. */
export interface ProcessFacts {
  /** Running (a zombie, waiting to be reaped, is not). */
  alive: boolean;
  /** The names it answers to: its command name, and the base name of its first argument and of its executable. */
  names: string[];
  /** Its working directory; undefined where this account cannot see it or the system cannot tell. */
  cwd?: string;
  /** Its parent's process id. */
  parent?: number;
  /** Its executable's full path, where the system can tell. */
  executable?: string;
}

const GONE: ProcessFacts = { alive: false, names: [] };

/**
 * The facts about `pid`, from /proc on Linux and from `ps` and `lsof` elsewhere. On a system that
 * has neither (Windows), only whether it runs: a caller that needs more must treat it as unknown.
 */
export async function processFacts(pid: number): Promise<ProcessFacts> {
  if (!Number.isSafeInteger(pid) || pid <= 0) return GONE;
  if (process.platform === 'linux') return fromProc(pid);
  if (process.platform === 'win32') return { alive: processAlive(pid), names: [] };
  return fromPs(pid);
}

async function fromProc(pid: number): Promise<ProcessFacts> {
  let stat: string;
  try {
    stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return GONE;
  }
  // "pid (comm) state ppid …": the command name may itself hold spaces and parentheses.
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  const comm = stat.slice(open + 1, close);
  const [state, ppid] = stat.slice(close + 2).split(' ');
  if (state === 'Z' || state === 'X') return GONE;
  const names = new Set([comm]);
  const argv0 = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0')[0]!;
  // A server that renames itself ("redis-server 127.0.0.1:6379") keeps its program as the first word.
  if (argv0) names.add(basename(argv0.split(' ')[0]!));
  const executable = await readlink(`/proc/${pid}/exe`).then(withoutDeleted, () => undefined);
  if (executable) names.add(basename(executable));
  const cwd = await readlink(`/proc/${pid}/cwd`).then(withoutDeleted, () => undefined);
  return { alive: true, names: [...names], cwd, parent: Number(ppid), executable };
}

/** A folder or program removed while in use reads as "<path> (deleted)": it is no longer that path. */
function withoutDeleted(path: string): string | undefined {
  return path.endsWith(' (deleted)') ? undefined : path;
}

async function fromPs(pid: number): Promise<ProcessFacts> {
  let line: string;
  try {
    line = (await run('ps', ['-o', 'ppid=,stat=,comm=', '-p', String(pid)])).stdout.trim();
  } catch {
    // ps exits non-zero when no such process exists.
    return GONE;
  }
  const match = /^(\d+)\s+(\S+)\s+(.*)$/.exec(line);
  if (!match) return { alive: processAlive(pid), names: [] };
  if (match[2]!.startsWith('Z')) return GONE;
  const cwd = await run('lsof', ['-a', '-p', String(pid), '-d', 'cwd', '-Fn']).then(
    ({ stdout }) => stdout.split('\n').find((l) => l.startsWith('n'))?.slice(1),
    () => undefined,
  );
  return { alive: true, names: [basename(match[3]!)], cwd, parent: Number(match[1]), executable: match[3] };
}

/** Both paths name the same folder once links are followed. */
export async function samePath(a: string, b: string): Promise<boolean> {
  const canonical = (path: string): Promise<string> => realpath(path).catch(() => resolve(path));
  return (await canonical(a)) === (await canonical(b));
}
