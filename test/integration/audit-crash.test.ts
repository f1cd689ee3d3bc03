import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AuditEntry } from '@shared/model/audit';
import { AuditJournal } from '../../src/main/security/audit/journal';
import { AuditShipper, cursorFileOf, readShipCursor } from '../../src/main/security/audit/shipper';
import { verifyEntryTexts, verifyJournal } from '../../src/main/security/audit/verify';
import { PostgresAuditSink } from '../../src/main/stores/postgres/audit-sink';
import { createScratchDatabase } from './tenants-fixtures';

const repo = resolve(import.meta.dirname, '../..');

/** A console process that audits as fast as it can and ships as it goes, until it is killed. */
const CHILD = `
import { AuditJournal } from '${repo}/src/main/security/audit/journal';
import { AuditShipper } from '${repo}/src/main/security/audit/shipper';
import { PostgresAuditSink } from '${repo}/src/main/stores/postgres/audit-sink';
const [file, url, workspaceId] = process.argv.slice(2);
const journal = await AuditJournal.open({ file, workspaceId });
const shipper = await AuditShipper.open({ file, sink: new PostgresAuditSink({ connection: { connectionString: url } }), batchSize: 7 });
journal.onAppend(() => shipper.notify());
shipper.start();
for (let n = 1; ; n += 1) {
  await journal.append({ operator: { name: 'Crash Test' }, role: 'dba', tenantIds: ['t' + (n % 5)], action: 'workbench.run', target: 'query ' + n, outcome: 'allowed', details: { n } });
  if (n % 25 === 0) process.stdout.write(n + '\\n');
}
`;

let dir: string;
/** Children still running if a test gave up half way; killed at the end whatever happened. */
const running = new Set<AuditChild>();
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tenantscope-audit-crash-'));
  await writeFile(join(dir, 'child.mts'), CHILD);
});
afterAll(async () => {
  await Promise.all([...running].map((child) => child.kill().catch(() => undefined)));
  await rm(dir, { recursive: true, force: true });
});

/** The child console process: how many entries it reported appended, and a way to kill it. */
interface AuditChild {
  reported(): number;
  /** Resolves once the child reported at least `count` appended entries. */
  untilReported(count: number): Promise<void>;
  /** SIGKILL, resolved when the process is gone; rejects if it had exited by itself. */
  kill(): Promise<void>;
}

function startChild(file: string, url: string, workspaceId: string): AuditChild {
  const child = spawn(process.execPath, ['--import', 'tsx', join(dir, 'child.mts'), file, url, workspaceId], {
    cwd: repo,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(repo, 'tsconfig.node.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let reported = 0;
  let errors = '';
  const waiters = new Set<{ count: number; resolve(): void }>();
  const exited = new Promise<NodeJS.Signals | null>((resolveExit, reject) => {
    child.on('exit', (code, signal) => {
      for (const waiter of waiters) waiter.resolve();
      if (signal === 'SIGKILL') resolveExit(signal);
      else reject(new Error(`the audit child exited by itself (${code}): ${errors}`));
    });
  });
  exited.catch(() => undefined);
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    reported = Number(chunk.toString().trim().split('\n').at(-1));
    for (const waiter of waiters) {
      if (reported >= waiter.count) {
        waiters.delete(waiter);
        waiter.resolve();
      }
    }
  });
  const handle: AuditChild = {
    reported: () => reported,
    async untilReported(count) {
      if (reported < count) await new Promise<void>((resolveWait) => waiters.add({ count, resolve: resolveWait }));
      if (reported < count) await exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      running.delete(handle);
    },
  };
  running.add(handle);
  return handle;
}

async function rowsOf(pool: pg.Pool, workspaceId: string): Promise<{ seq: number; hash: string }[]> {
  const { rows } = await pool.query<{ seq: string; hash: string }>(
    'select seq::text, hash from public.console_audit where workspace_id = $1 order by console_audit.seq',
    [workspaceId],
  );
  return rows.map((row) => ({ seq: Number(row.seq), hash: row.hash }));
}

/** Polls `check` until it holds; the test's own timeout bounds the wait, so no clock is asserted. */
async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolveWait) => setTimeout(resolveWait, 20));
}

const CHILD_APPLICATION = 'tenantscope-audit-crash-child';

describe('an audit journal whose process is killed between writing and shipping', () => {
  let db: { pool: pg.Pool; drop(): Promise<void> };
  let url: string;
  beforeAll(async () => {
    const server = inject('postgres');
    // A database of its own: the lock below and the sessions it watches are this test's alone.
    db = await createScratchDatabase(server.url, 'audit_crash_it');
    const target = new URL(server.url);
    target.pathname = '/audit_crash_it';
    target.searchParams.set('application_name', CHILD_APPLICATION);
    url = target.toString();
  });
  afterAll(async () => {
    await db?.drop();
  });

  /**
   * Runs the child, lets a few batches reach the admin store, then holds the shipment with a table
   * lock (inserts wait on it, reads do not) while the child keeps writing locally, and kills the
   * child there. Proves the kill landed between the local write and the shipment. The dead child's
   * server session still waits on the lock with its last batch; `orphan` says what becomes of it:
   * ended before the lock goes (the batch never lands), or left to run once it goes (the batch
   * lands after its process died, so the cursor on disk is behind what the admin store holds).
   */
  async function crashWithShipmentHeld(file: string, workspaceId: string, orphan: 'ended' | 'lands'): Promise<{ shippedAtLock: number }> {
    const child = startChild(file, url, workspaceId);
    const lock = await db.pool.connect();
    let waitingPid: number | undefined;
    let shippedAtLock: number;
    try {
      await until(async () => {
        const exists = await db.pool.query("select to_regclass('public.console_audit') is not null as ok");
        return exists.rows[0]?.ok === true && (await rowsOf(db.pool, workspaceId)).length >= 14;
      });
      await lock.query('begin');
      await lock.query('lock table public.console_audit in exclusive mode');
      shippedAtLock = (await rowsOf(db.pool, workspaceId)).length;

      // The child's shipper is now blocked on the lock with its next batch, and keeps writing locally.
      await until(async () => {
        const waiting = await db.pool.query<{ pid: number }>(
          "select pid from pg_stat_activity where application_name = $1 and wait_event_type = 'Lock' and query ilike '%insert into public.console_audit%'",
          [CHILD_APPLICATION],
        );
        waitingPid = waiting.rows[0]?.pid;
        return waitingPid !== undefined;
      });
      await child.untilReported(shippedAtLock + 100);
      await child.kill();
      const reported = child.reported();

      // The admin store and the cursor stop where the lock held them, well short of the journal.
      const afterCrash = await verifyJournal(file);
      expect(afterCrash.intact).toBe(true);
      expect(afterCrash.lastSeq).toBeGreaterThanOrEqual(reported);
      expect(reported).toBeGreaterThanOrEqual(shippedAtLock + 100);
      expect((await readShipCursor(cursorFileOf(file)))?.seq).toBe(shippedAtLock);
      expect((await rowsOf(db.pool, workspaceId)).length).toBe(shippedAtLock);

      if (orphan === 'ended') await db.pool.query('select pg_terminate_backend($1)', [waitingPid]);
    } finally {
      await child.kill().catch(() => undefined);
      await lock.query('rollback').catch(() => undefined);
      lock.release();
    }
    await until(async () => (await db.pool.query('select 1 from pg_stat_activity where pid = $1', [waitingPid])).rowCount === 0);
    return { shippedAtLock };
  }

  /** A new console process ships the journal: every entry lands once, in order, with the journal's hashes. */
  async function restartAndShip(file: string, workspaceId: string): Promise<number> {
    const journal = await AuditJournal.open({ file, workspaceId });
    const afterCrash = await verifyJournal(file);
    expect(afterCrash.intact).toBe(true);
    const sink = new PostgresAuditSink({ connection: { connectionString: url } });
    try {
      const shipper = await AuditShipper.open({ file, sink });
      const sent = await shipper.shipPending();
      const rows = await rowsOf(db.pool, workspaceId);
      const entries = (await readFile(file, 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as AuditEntry);
      expect(rows.map((row) => row.seq)).toEqual(entries.map((entry) => entry.seq));
      expect(rows.map((row) => row.hash)).toEqual(entries.map((entry) => entry.hash));
      expect(rows.length).toBe(afterCrash.lastSeq);
      // The admin store's copy is a chain of its own, and it verifies.
      const stored = await verifyEntryTexts(sink.readEntryTexts(workspaceId));
      expect(stored).toMatchObject({ intact: true, lastSeq: afterCrash.lastSeq, lastHash: afterCrash.lastHash });
      // Shipping again sends nothing: each entry is there once.
      expect(await shipper.shipPending()).toBe(0);
      expect((await rowsOf(db.pool, workspaceId)).length).toBe(afterCrash.lastSeq);
      return sent;
    } finally {
      await journal.close();
      await sink.close();
    }
  }

  it('is killed with entries written locally and held from shipping; a new process ships them exactly once, chain intact', async () => {
    const workspaceId = `crash-ended-${process.pid}`;
    const file = join(dir, 'crash-ended.jsonl');
    const { shippedAtLock } = await crashWithShipmentHeld(file, workspaceId, 'ended');
    const shippedBefore = await rowsOf(db.pool, workspaceId);
    expect(shippedBefore.map((row) => row.seq)).toEqual(Array.from({ length: shippedAtLock }, (_, i) => i + 1));

    const { lastSeq } = await verifyJournal(file);
    expect(await restartAndShip(file, workspaceId)).toBe(lastSeq - shippedAtLock);
  });

  it('absorbs the batch that landed after the process died: the restart resends it and nothing is doubled', async () => {
    const workspaceId = `crash-lands-${process.pid}`;
    const file = join(dir, 'crash-lands.jsonl');
    const { shippedAtLock } = await crashWithShipmentHeld(file, workspaceId, 'lands');
    // The held batch went in once the lock was gone, after its process had died: the admin store
    // is now ahead of the cursor on disk, which never heard of it.
    const landed = (await rowsOf(db.pool, workspaceId)).length;
    expect(landed).toBeGreaterThan(shippedAtLock);
    expect(landed).toBeLessThanOrEqual(shippedAtLock + 7);
    expect((await readShipCursor(cursorFileOf(file)))?.seq).toBe(shippedAtLock);

    const { lastSeq } = await verifyJournal(file);
    // Everything after the cursor is sent, the batch that already landed included.
    expect(await restartAndShip(file, workspaceId)).toBe(lastSeq - shippedAtLock);
  });
});
