import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsole, type ConsoleCore } from '../../src/main/core/console';
import { activeStatements, apiOf, createDatabase, postgresWorkspace, until } from '../support/job-database';

const repo = resolve(import.meta.dirname, '../..');
const DATABASE = 'jobs_crash_it';

/**
 * A console that creates a workspace, starts a long job, says so once the job is running, and
 * waits to be killed.
 */
const CHILD = `
import { createConsole } from '${repo}/src/main/core/console';
const [dataDir, workspaceJson] = process.argv.slice(2);
const core = await createConsole({ dataDir, mode: 'web', version: 'crash-test' });
const session = core.newSession('crash-child');
let jobId;
// Running is announced once it is on disk, and only then does the runner start.
core.router.connect({
  send: (message) => {
    if (message.kind === 'event' && message.name === 'jobs.state' && message.payload.job.id === jobId && message.payload.job.state === 'running') {
      process.stdout.write(JSON.stringify({ workspaceId: message.payload.job.workspaceId, jobId }) + '\\n');
    }
  },
}, session);
const { id: workspaceId } = await core.router.invoke('workspaces.create', { workspace: JSON.parse(workspaceJson) }, session);
({ id: jobId } = await core.router.invoke('jobs.start', { workspaceId, job: { kind: 'demo.sleep', params: { steps: 5, secondsPerStep: 60 } } }, session));
setInterval(() => undefined, 1000);
`;

let dir: string;
let db: Awaited<ReturnType<typeof createDatabase>>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tenantscope-jobs-crash-'));
  await writeFile(join(dir, 'child.mts'), CHILD);
  db = await createDatabase(DATABASE);
});
afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

/** Runs the child console until its job is running, then kills it with SIGKILL. */
function runAndKill(dataDir: string): Promise<{ workspaceId: string; jobId: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(dir, 'child.mts'), dataDir, JSON.stringify(postgresWorkspace('Crash', DATABASE))], {
      cwd: repo,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(repo, 'tsconfig.node.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let said: { workspaceId: string; jobId: string } | undefined;
    let output = '';
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (line && !said) {
        said = JSON.parse(line) as { workspaceId: string; jobId: string };
        // Killed mid-statement: once its pg_sleep is running on the server.
        until(() => activeStatements(db.admin, DATABASE, 'select pg_sleep').then((n) => n === 1)).then(
          () => child.kill('SIGKILL'),
          (error: unknown) => {
            child.kill('SIGKILL');
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        );
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' && said) resolvePromise(said);
      else reject(new Error(`the console child exited by itself (${code}): ${errors}`));
    });
  });
}

describe('a console killed while a job runs', () => {
  let core: ConsoleCore | undefined;
  afterAll(async () => {
    await core?.close();
  });

  it('starts again with that job failed, saying why, and audited once', async () => {
    const dataDir = join(dir, 'data');
    const { workspaceId, jobId } = await runAndKill(dataDir);
    // PostgreSQL runs a statement to its end when its client dies without a word: the sleep outlives the console.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await activeStatements(db.admin, DATABASE, 'select pg_sleep')).toBe(1);

    core = await createConsole({ dataDir, mode: 'web', version: 'test' });
    // The job's kind stops what the dead console left running.
    await core.jobs.cleanedUp();
    await until(() => activeStatements(db.admin, DATABASE, 'select pg_sleep').then((n) => n === 0), 5_000);
    const { api, close } = apiOf(core);
    try {
      const job = await api.jobs.get({ workspaceId, jobId });
      expect(job.state).toBe('failed');
      expect(job.failure).toEqual({
        code: 'interrupted',
        message: 'The console stopped (it crashed or was killed) while this job was running, so it did not finish. Check what it had done before running it again.',
      });
      expect(job.startedAt).toBeDefined();
      expect(job.finishedAt).toBeDefined();
      expect(job.log.slice(-2).map((l) => l.line)).toEqual([
        `Marked failed when the console started again: ${job.failure?.message}`,
        'After the interruption: cancelled 1 statement(s) still running on PostgreSQL.',
      ]);
      expect((await api.jobs.list({ workspaceId })).jobs.map((j) => [j.id, j.state])).toEqual([[jobId, 'failed']]);

      const { entries } = await api.audit.query({ workspaceId, action: 'jobs.', limit: 10 });
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        action: 'jobs.demo.sleep',
        outcome: 'failed',
        details: { jobId, state: 'failed', failure: { code: 'interrupted' } },
      });
    } finally {
      close();
    }
  });
});
