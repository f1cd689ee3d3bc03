import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearLeftoverServer, type LeftoverServer } from './leftover-server';
import { processFacts } from './process-facts';

// /proc tells a process's working directory on Linux; the suite's machines are Linux.
const linux = process.platform === 'linux';
if (!linux) console.warn(`[skipped] leftover local servers: these cases read /proc, which ${process.platform} does not have`);

let dir: string;
let dataDir: string;
const started: number[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tenantscope-leftover-'));
  dataDir = join(dir, 'data');
  execFileSync('mkdir', [dataDir]);
});
afterAll(async () => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await rm(dir, { recursive: true, force: true });
});

function spec(overrides: Partial<LeftoverServer> = {}): LeftoverServer {
  return {
    server: 'The test server',
    programs: ['sleep'],
    pidFile: join(dir, 'server.pid'),
    dataDir,
    stopSteps: [{ signal: 'SIGTERM', graceMs: 10_000 }],
    ...overrides,
  };
}

/** A `sleep` whose parent is gone, as a server is once its console was killed: the shell that started it exits at once. */
function orphanSleep(cwd: string, ignoreTerm = false): number {
  const script = `${ignoreTerm ? "trap '' TERM; " : ''}sleep 300 >/dev/null 2>&1 & echo $!`;
  const pid = Number(execFileSync('sh', ['-c', script], { cwd, encoding: 'utf8' }).trim());
  started.push(pid);
  return pid;
}

function childSleep(cwd: string): ChildProcess {
  const child = spawn('sleep', ['300'], { cwd, stdio: 'ignore' });
  started.push(child.pid!);
  return child;
}

async function alive(pid: number): Promise<boolean> {
  return (await processFacts(pid)).alive;
}

describe.runIf(linux)('a pidfile left on a local server’s data directory', () => {
  it('is nothing to do when there is none', async () => {
    await rm(spec().pidFile, { force: true });
    expect(await clearLeftoverServer(spec())).toEqual({ kind: 'none' });
  });

  it('is removed when the pid it names is gone', async () => {
    const done = spawn('true');
    await new Promise((resolve) => done.once('exit', resolve));
    await writeFile(spec().pidFile, `${done.pid}\n${dataDir}\n`);
    expect(await clearLeftoverServer(spec())).toEqual({ kind: 'stale', pid: done.pid });
    expect(existsSync(spec().pidFile)).toBe(false);
  });

  it('is removed, and the process left running, when the pid now belongs to another program or another folder', async () => {
    const elsewhere = orphanSleep(dir);
    await writeFile(spec().pidFile, `${elsewhere}\n`);
    // Another program: a "postgres" pidfile naming a sleep.
    expect(await clearLeftoverServer(spec({ programs: ['postgres'] }))).toEqual({ kind: 'stale', pid: elsewhere });
    expect(existsSync(spec().pidFile)).toBe(false);
    // The same program, working from another folder.
    await writeFile(spec().pidFile, `${elsewhere}\n`);
    expect(await clearLeftoverServer(spec())).toEqual({ kind: 'stale', pid: elsewhere });
    expect(await alive(elsewhere)).toBe(true);
  });

  it('stops the server of that folder whose console is gone, with its clean-stop signal', async () => {
    const leftover = orphanSleep(dataDir);
    expect((await processFacts(leftover)).parent).not.toBe(process.pid);
    await writeFile(spec().pidFile, `${leftover}\n`);
    expect(await clearLeftoverServer(spec())).toEqual({ kind: 'stopped', pid: leftover });
    expect(await alive(leftover)).toBe(false);
  });

  it('goes on to the next signal when the first is ignored', async () => {
    const stubborn = orphanSleep(dataDir, true);
    await writeFile(spec().pidFile, `${stubborn}\n`);
    const steps: LeftoverServer['stopSteps'] = [
      { signal: 'SIGTERM', graceMs: 300 },
      { signal: 'SIGKILL', graceMs: 10_000 },
    ];
    expect(await clearLeftoverServer(spec({ stopSteps: steps }))).toEqual({ kind: 'stopped', pid: stubborn });
    expect(await alive(stubborn)).toBe(false);
  });

  it('refuses, and stops nothing, when the server’s console is still alive', async () => {
    const owned = childSleep(dataDir);
    await writeFile(spec().pidFile, `${owned.pid}\n`);
    await expect(clearLeftoverServer(spec())).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining(`another Tenantscope console (process ${process.pid}) is running it`),
    });
    expect(await alive(owned.pid!)).toBe(true);
    expect(existsSync(spec().pidFile)).toBe(true);
    owned.kill('SIGKILL');
  });
});
