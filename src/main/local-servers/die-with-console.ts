import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A program that starts a server so that it gets a signal when the console that started it dies. */
export interface Launcher {
  command: string;
  /** Its own arguments; the server's command and arguments follow a `--`. */
  args: string[];
}

let setpriv: Promise<string | undefined> | undefined;

/**
 * On Linux, util-linux's `setpriv --pdeathsig` asks the kernel to send the server `signal` when its
 * parent (the console) dies, however it dies, SIGKILL included, then runs the server in its place
 * (same pid, so stopping and watching it are unchanged). Elsewhere, or without a setpriv that knows
 * --pdeathsig (util-linux before 2.33), there is none: a server left by a killed console is then
 * stopped by the next start (see `clearLeftoverServer`), which covers every system.
 */
export async function dieWithConsoleLauncher(signal: NodeJS.Signals, searchPath = process.env.PATH ?? ''): Promise<Launcher | undefined> {
  if (process.platform !== 'linux') return undefined;
  setpriv ??= findSetpriv(searchPath);
  const command = await setpriv;
  return command ? { command, args: ['--pdeathsig', signal.replace(/^SIG/, '')] } : undefined;
}

async function findSetpriv(searchPath: string): Promise<string | undefined> {
  for (const dir of [...searchPath.split(delimiter).filter(Boolean), '/usr/bin', '/bin']) {
    const candidate = join(dir, 'setpriv');
    try {
      await access(candidate, constants.X_OK);
      const { stdout } = await run(candidate, ['--help']);
      return stdout.includes('--pdeathsig') ? candidate : undefined;
    } catch {
      // not here, or it would not run
    }
  }
  return undefined;
}

/**
 * The launcher reports a server program it cannot run by exiting 127 (not found) or 126 (not
 * runnable) with a line of its own: the same failure a direct spawn reports as ENOENT or EACCES.
 */
export function launcherExecFailure(launcher: Launcher, exitCode: number | null, lines: readonly string[]): NodeJS.ErrnoException | undefined {
  const own = lines.findLast((line) => line.startsWith(`${launcher.command.split('/').at(-1)}:`));
  if (!own || (exitCode !== 126 && exitCode !== 127)) return undefined;
  return Object.assign(new Error(own), { code: exitCode === 127 ? 'ENOENT' : 'EACCES' });
}
