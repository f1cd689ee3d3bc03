import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '@shared/errors';
import type { AuditEntryDraft } from '@shared/model/audit';
import { JobManager } from './job-manager';
import type { JobEmit } from './manager-options';
import type { PersistedJob } from './job-files';
import type { JobKind } from './kind';

const admin = { operator: { name: 'Ada Admin', email: 'ada@example.com' }, role: 'platform_admin' as const };

/** A runner that waits until the test lets it finish, or its signal fires. */
class Gates {
  readonly #open = new Map<string, () => void>();
  readonly entered: string[] = [];
  readonly cleanedUp: string[] = [];

  kind(name = 'test.gate', store: 'postgres' | 'redis' = 'postgres'): JobKind<{ label: string; fail?: 'app' | 'bug' }, null> {
    return {
      name,
      store,
      params: z.object({ label: z.string().max(20), fail: z.enum(['app', 'bug']).optional() }).strict(),
      describe: ({ label }) => ({ title: `Gate ${label}`, tenantIds: [label] }),
      openStores: async () => null,
      run: async ({ label, fail }, { signal, progress, log }) => {
        this.entered.push(label);
        progress(1, 3, 'waiting at the gate');
        log(`${label} is waiting`);
        await new Promise<void>((resolve, reject) => {
          this.#open.set(label, resolve);
          if (signal.aborted) reject(new AppError('cancelled', 'stopped'));
          signal.addEventListener('abort', () => reject(new AppError('cancelled', 'stopped')), { once: true });
        });
        if (fail === 'app') throw new AppError('conflict', 'the index already exists');
        if (fail === 'bug') throw new TypeError('x is undefined at secret/path.ts:12');
        progress(3, 3, 'done');
        return { label };
      },
      afterInterruption: async ({ label }, { jobId, log }) => {
        this.cleanedUp.push(`${label}:${jobId}`);
        log('nothing was left running');
      },
    };
  }

  open(label: string): void {
    const release = this.#open.get(label);
    if (!release) throw new Error(`${label} is not waiting`);
    release();
  }
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 2));
  expect(check()).toBe(true);
}

describe('the job manager', () => {
  let dir: string;
  let audited: Array<{ journal: string; draft: AuditEntryDraft }>;
  let events: Array<{ name: string; payload: unknown }>;
  let gates: Gates;
  const emit: JobEmit = (name, payload) => events.push({ name, payload });
  const open = (options: Partial<Parameters<typeof JobManager.open>[0]> = {}) =>
    JobManager.open({
      directory: dir,
      limits: { postgres: 1 },
      flushMs: 5,
      record: async (journal, draft) => audited.push({ journal, draft }),
      emit,
      ...options,
    });
  const states = (jobId: string) =>
    events
      .filter((e) => e.name === 'jobs.state' && (e.payload as { job: { id: string } }).job.id === jobId)
      .map((e) => (e.payload as { job: { state: string } }).job.state);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tenantscope-jobs-'));
    audited = [];
    events = [];
    gates = new Gates();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs a job queued → running → succeeded with progress, log and one audit entry', async () => {
    const jobs = await open();
    jobs.register(gates.kind());
    const started = await jobs.start({ workspaceId: 'demo', kind: 'test.gate', params: { label: 'a' }, session: admin });
    expect(started.state).toBe('queued');
    expect(started.id).toMatch(/^job_[A-Za-z0-9_-]{20}$/);
    await until(() => gates.entered.includes('a'));
    expect(jobs.get('demo', started.id).progress).toEqual({ done: 1, total: 3, phase: 'waiting at the gate' });
    gates.open('a');
    await jobs.settled(started.id);

    const job = jobs.get('demo', started.id);
    expect(job.state).toBe('succeeded');
    expect(job.result).toEqual({ label: 'a' });
    expect(job.progress).toEqual({ done: 3, total: 3, phase: 'done' });
    expect(job.log.map((l) => l.line)).toEqual(['Queued by Ada Admin (platform_admin).', 'Started.', 'a is waiting', 'Finished: succeeded.']);
    expect(states(started.id)).toEqual(['queued', 'running', 'succeeded']);
    expect(events.some((e) => e.name === 'jobs.progress')).toBe(true);
    expect(audited).toHaveLength(1);
    expect(audited[0]!.journal).toBe('demo');
    expect(audited[0]!.draft).toMatchObject({
      action: 'jobs.test.gate',
      outcome: 'allowed',
      operator: admin.operator,
      role: 'platform_admin',
      tenantIds: ['a'],
      details: { jobId: started.id, state: 'succeeded', params: { label: 'a' } },
    });
    await jobs.close();
  });

  it('writes the reason its start was allowed on into its one entry, and keeps it out of what callers see', async () => {
    const jobs = await open({ limits: { postgres: 2 } });
    jobs.register(gates.kind());
    const justification = { id: 'just_1', reason: 'repair drift (CHG-7)', ticket: 'CHG-7' };
    const started = await jobs.start({ workspaceId: 'demo', kind: 'test.gate', params: { label: 'why' }, session: admin, justification });
    const plain = await jobs.start({ workspaceId: 'demo', kind: 'test.gate', params: { label: 'plain' }, session: admin });
    await until(() => gates.entered.includes('why') && gates.entered.includes('plain'));
    gates.open('why');
    gates.open('plain');
    await jobs.settled(started.id);
    await jobs.settled(plain.id);
    const entryOf = (jobId: string) => audited.filter((a) => a.draft.details?.jobId === jobId).map((a) => a.draft.justification);
    expect(entryOf(started.id)).toEqual([justification]);
    expect(entryOf(plain.id)).toEqual([null]);
    expect(started).not.toHaveProperty('justification');
    expect(jobs.get('demo', started.id)).not.toHaveProperty('justification');
    await jobs.close();
  });

  it('records a failure with its stable code, and an unexpected error as internal without its text', async () => {
    const jobs = await open({ limits: { postgres: 2 } });
    jobs.register(gates.kind());
    const app = await jobs.start({ workspaceId: 'demo', kind: 'test.gate', params: { label: 'app', fail: 'app' }, session: admin });
    const bug = await jobs.start({ workspaceId: 'demo', kind: 'test.gate', params: { label: 'bug', fail: 'bug' }, session: admin });
    await until(() => gates.entered.length === 2);
    gates.open('app');
    gates.open('bug');
    await Promise.all([jobs.settled(app.id), jobs.settled(bug.id)]);
    expect(jobs.get('demo', app.id)).toMatchObject({ state: 'failed', failure: { code: 'conflict', message: 'the index already exists' } });
    const failed = jobs.get('demo', bug.id);
    expect(failed).toMatchObject({ state: 'failed', failure: { code: 'internal' } });
    expect(JSON.stringify(failed)).not.toContain('secret/path.ts');
    expect(audited.map((a) => a.draft.outcome)).toEqual(['failed', 'failed']);
    await jobs.close();
  });

  it('cancels a queued job at once and a running one once its runner has stopped', async () => {
    const jobs = await open();
    jobs.register(gates.kind());
    const first = await jobs.start({ workspaceId: 'demo', kind: 'test.gate', params: { label: 'first' }, session: admin });
    const second = await jobs.start({ workspaceId: 'demo', kind: 'test.gate', params: { label: 'second' }, session: admin });
    await until(() => gates.entered.includes('first'));
    expect(jobs.get('demo', second.id).log.at(-1)?.line).toMatch(/Waits its turn: 1 running and 0 waiting/);

    const queued = await jobs.cancel('demo', second.id, admin);
    expect(queued.state).toBe('cancelled');
    expect(gates.entered).toEqual(['first']);

    const running = await jobs.cancel('demo', first.id, admin);
    expect(running.cancelRequestedAt).toBeDefined();
    await jobs.settled(first.id);
    expect(jobs.get('demo', first.id)).toMatchObject({ state: 'cancelled', failure: { code: 'cancelled' } });
    expect(states(second.id)).toEqual(['queued', 'queued', 'cancelled']);
    // Cancelling a finished job changes nothing.
    expect((await jobs.cancel('demo', first.id, admin)).state).toBe('cancelled');
    expect(audited.map((a) => [a.draft.details?.jobId, a.draft.details?.state])).toEqual([
      [second.id, 'cancelled'],
      [first.id, 'cancelled'],
    ]);
    await jobs.close();
  });

  it('starts jobs of one store in order, one at a time under a limit of one', async () => {
    const jobs = await open();
    jobs.register(gates.kind());
    const ids = [];
    for (const label of ['a', 'b', 'c']) ids.push((await jobs.start({ workspaceId: 'demo', kind: 'test.gate', params: { label }, session: admin })).id);
    for (const label of ['a', 'b', 'c']) {
      await until(() => gates.entered.includes(label));
      gates.open(label);
    }
    await Promise.all(ids.map((id) => jobs.settled(id)));
    const transitions = events
      .filter((e) => e.name === 'jobs.state')
      .map((e) => (e.payload as { job: { title: string; state: string } }).job)
      .filter((job) => job.state !== 'queued')
      .map((job) => `${job.title}:${job.state}`);
    expect(transitions).toEqual(['Gate a:running', 'Gate a:succeeded', 'Gate b:running', 'Gate b:succeeded', 'Gate c:running', 'Gate c:succeeded']);
    await jobs.close();
  });

  it('keeps jobs across a restart, and marks the ones a crash interrupted as failed and audits them once', async () => {
    const first = await open();
    first.register(gates.kind());
    const done = await first.start({ workspaceId: 'demo', kind: 'test.gate', params: { label: 'done' }, session: admin });
    await until(() => gates.entered.includes('done'));
    gates.open('done');
    await first.settled(done.id);
    await first.close();

    // What a console killed mid-job leaves: a running and a queued job owned by a process now gone.
    const owner = { pid: process.pid, bootId: 'an-earlier-start' };
    const file = (id: string) => join(dir, `${id}.json`);
    const base = JSON.parse(await readFile(file(done.id), 'utf8')) as PersistedJob;
    const running: PersistedJob = { ...base, id: 'job_runningrunningrunnin', state: 'running', owner, audited: false, result: undefined, finishedAt: undefined };
    const queued: PersistedJob = { ...base, id: 'job_queuedqueuedqueuedqu', state: 'queued', owner, audited: false, result: undefined, finishedAt: undefined, startedAt: undefined };
    await writeFile(file(running.id), JSON.stringify(running));
    await writeFile(file(queued.id), JSON.stringify(queued));
    await writeFile(join(dir, `${queued.id}.json.0123456789ab.tmp`), '{"half":');
    await writeFile(join(dir, 'job_damageddamageddamage.json'), 'not json');
    audited = [];
    const errors: string[] = [];

    const second = await open({ onError: (message) => errors.push(message) });
    second.register(gates.kind());
    await second.cleanedUp();
    // Only the job that had started gets its kind's cleanup; the queued one never ran.
    expect(gates.cleanedUp).toEqual([`done:${running.id}`]);
    expect(second.get('demo', running.id).log.at(-1)?.line).toBe('After the interruption: nothing was left running');
    expect(second.get('demo', done.id).state).toBe('succeeded');
    expect(second.get('demo', running.id)).toMatchObject({ state: 'failed', failure: { code: 'interrupted' } });
    expect(second.get('demo', running.id).failure?.message).toMatch(/crashed or was killed\) while this job was running/);
    expect(second.get('demo', queued.id).failure?.message).toMatch(/before this job's turn came; it never ran/);
    expect(audited.map((a) => [a.draft.details?.jobId, a.draft.outcome])).toEqual(
      expect.arrayContaining([
        [running.id, 'failed'],
        [queued.id, 'failed'],
      ]),
    );
    expect(audited).toHaveLength(2);
    expect(errors.join('\n')).toContain('job_damageddamageddamage.json');
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    await second.close();

    // A third start finds nothing left to recover and writes no entry twice.
    audited = [];
    const third = await open();
    third.register(gates.kind());
    await third.cleanedUp();
    expect(gates.cleanedUp).toHaveLength(1);
    expect(third.list('demo').map((job) => job.state).sort()).toEqual(['failed', 'failed', 'succeeded']);
    expect(audited).toEqual([]);
    await third.close();
  });

  it('paces progress events of a chatty runner and always sends the latest value', async () => {
    let finish: () => void = () => undefined;
    const counter: JobKind<Record<string, never>, null> = {
      name: 'test.counter',
      store: 'postgres',
      params: z.object({}),
      describe: () => ({ title: 'Counter' }),
      openStores: async () => null,
      run: async (_params, { progress }) => {
        for (let i = 1; i <= 1000; i += 1) progress(i, 1000, 'counting');
        await new Promise<void>((resolve) => (finish = resolve));
      },
    };
    const jobs = await open({ progressIntervalMs: 50 });
    jobs.register(counter);
    const { id } = await jobs.start({ workspaceId: 'demo', kind: 'test.counter', params: {}, session: admin });
    const sent = () => events.filter((e) => e.name === 'jobs.progress').map((e) => (e.payload as { progress: { done: number } }).progress.done);
    await until(() => sent().at(-1) === 1000);
    expect(sent()).toEqual([1, 1000]);
    finish();
    await jobs.settled(id);
    expect(jobs.get('demo', id).progress.done).toBe(1000);
    await jobs.close();
  });

  it('keeps a bounded history and a bounded log', async () => {
    const chatty: JobKind<{ lines: number }, null> = {
      name: 'test.chatty',
      store: 'redis',
      params: z.object({ lines: z.number().int() }),
      describe: () => ({ title: 'Chatty' }),
      openStores: async () => null,
      run: async ({ lines }, { log }) => {
        for (let i = 0; i < lines; i += 1) log(`line ${i} ${'x'.repeat(3000)}`);
      },
    };
    const jobs = await open({ historyLimit: 3, logLimit: 10 });
    jobs.register(chatty);
    const ids = [];
    for (let i = 0; i < 5; i += 1) {
      const { id } = await jobs.start({ workspaceId: 'demo', kind: 'test.chatty', params: { lines: 20 }, session: admin });
      await jobs.settled(id);
      ids.push(id);
    }
    expect(jobs.list('demo').map((job) => job.id).sort()).toEqual(ids.slice(2).sort());
    expect((await readdir(dir)).filter((name) => name.endsWith('.json')).sort()).toEqual(ids.slice(2).map((id) => `${id}.json`).sort());
    const last = jobs.get('demo', ids[4]!);
    expect(last.log).toHaveLength(10);
    expect(last.droppedLogLines).toBe(13);
    expect(last.log.at(-1)?.line).toBe('Finished: succeeded.');
    expect(Math.max(...last.log.map((l) => l.line.length))).toBe(2000);
    await jobs.close();
  });

  it('refuses hostile starts: unknown kinds, bad parameters, another workspace’s job', async () => {
    const jobs = await open();
    jobs.register(gates.kind());
    await expect(jobs.start({ workspaceId: 'demo', kind: '../../etc', params: {}, session: admin })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(jobs.start({ workspaceId: 'demo', kind: 'test.gate', params: { label: 'x'.repeat(50) }, session: admin })).rejects.toBeInstanceOf(z.ZodError);
    await expect(jobs.start({ workspaceId: 'demo', kind: 'test.gate', params: { label: 'a', sql: 'drop' }, session: admin })).rejects.toBeInstanceOf(z.ZodError);
    const job = await jobs.start({ workspaceId: 'demo', kind: 'test.gate', params: { label: 'mine' }, session: admin });
    expect(() => jobs.get('other', job.id)).toThrow(/has no job/);
    await expect(jobs.cancel('other', job.id, admin)).rejects.toMatchObject({ code: 'not_found' });
    expect(() => jobs.register(gates.kind())).toThrow(/registered twice/);
    await jobs.close();
    // Closing stopped it; nobody cancelled it, so it failed as interrupted.
    expect(jobs.get('demo', job.id)).toMatchObject({ state: 'failed', failure: { code: 'interrupted' } });
  });
});
