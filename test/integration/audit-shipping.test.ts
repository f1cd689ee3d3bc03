import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AuditEntry, AuditEntryDraft, AuditSink } from '@shared/model/audit';
import { AuditJournal } from '../../src/main/security/audit/journal';
import { AuditShipper, cursorFileOf, readShipCursor } from '../../src/main/security/audit/shipper';
import { verifyEntryTexts, verifyJournal } from '../../src/main/security/audit/verify';
import { PostgresAuditSink } from '../../src/main/stores/postgres/audit-sink';
import { startPostgres, type ThrowawayPostgres } from '../support/postgres-server';
import { clientReadDraft } from '../support/audit-drafts';

const run = promisify(execFile);

/** Stops and starts a throwaway cluster in place (same data, same port), as an admin store going down and coming back. */
async function controlOf(server: ThrowawayPostgres): Promise<{ stop(): Promise<void>; start(): Promise<void> }> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  const { rows } = await client.query<{ data_directory: string }>('show data_directory');
  await client.end();
  const dataDir = rows[0]?.data_directory ?? '';
  const socketDir = dirname(dataDir);
  const pgCtl = async (args: string[]): Promise<void> => {
    const file = join(server.binDir, 'pg_ctl');
    if (userInfo().uid === 0) await run('runuser', ['-u', 'postgres', '--', file, ...args], { cwd: socketDir });
    else await run(file, args, { cwd: socketDir });
  };
  return {
    stop: () => pgCtl(['-D', dataDir, '-m', 'fast', '-w', 'stop']),
    start: () =>
      pgCtl([
        '-D', dataDir, '-l', join(socketDir, 'server.log'), '-w', '-t', '60',
        '-o', `-p ${server.port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c fsync=off`,
        'start',
      ]),
  };
}

/** Passes entries through to the real sink and records the order in which they were confirmed. */
class RecordingSink implements AuditSink {
  readonly confirmed: number[] = [];
  constructor(private readonly inner: AuditSink) {}
  async ship(entries: readonly AuditEntry[]): Promise<void> {
    await this.inner.ship(entries);
    this.confirmed.push(...entries.map((e) => e.seq));
  }
}

const draft = (n: number): AuditEntryDraft => clientReadDraft(n, { tenantIds: ['tenant-42'] });

async function storedSeqs(url: string, workspaceId: string): Promise<{ seq: number; hash: string; tenant_ids: string[] }[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ seq: string; hash: string; tenant_ids: string[] }>(
      'select seq::text, hash, tenant_ids from public.console_audit where workspace_id = $1 order by received_at, console_audit.seq',
      [workspaceId],
    );
    return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
  } finally {
    await client.end();
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tenantscope-audit-it-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('shipping the audit journal to PostgreSQL', () => {
  it('queues 100 entries while the admin store is down and ships all of them once, in order, when it is back', async () => {
    const server = await startPostgres();
    const control = await controlOf(server);
    const sink = new PostgresAuditSink({ connection: { connectionString: server.url }, connectTimeoutMs: 1_000 });
    const recording = new RecordingSink(sink);
    const file = join(dir, 'outage.jsonl');
    const journal = await AuditJournal.open({ file, workspaceId: 'murima-prod' });
    // Resolved by the shipper's own retry report, so the test waits for failures that happened, not for a clock.
    let retriedTwice: () => void = () => undefined;
    const twoRetries = new Promise<void>((resolve) => (retriedTwice = resolve));
    const shipper = await AuditShipper.open({
      file,
      sink: recording,
      batchSize: 32,
      backoff: { initialMs: 50, maxMs: 400 },
      onRetry: (_error, attempt) => {
        if (attempt >= 2) retriedTwice();
      },
    });
    try {
      journal.onAppend(() => shipper.notify());
      shipper.start();
      await journal.append(draft(0));
      await shipper.whenShipped(1);

      await control.stop();
      for (let n = 1; n <= 100; n += 1) await journal.append(draft(n));
      // Appending never waits for the admin store: every entry is on disk while it is down.
      expect((await verifyJournal(file)).lastSeq).toBe(101);
      await twoRetries;
      expect(shipper.status().shippedSeq).toBe(1);
      expect(shipper.status().state).toBe('backing_off');
      expect(shipper.status().attempts).toBeGreaterThanOrEqual(2);

      await control.start();
      await shipper.whenShipped(101);
      const rows = await storedSeqs(server.url, 'murima-prod');
      expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: 101 }, (_, i) => i + 1));
      expect(recording.confirmed).toEqual(Array.from({ length: 101 }, (_, i) => i + 1));
      expect(rows[5]?.tenant_ids).toEqual(['tenant-42']);
      expect(await readShipCursor(cursorFileOf(file))).toMatchObject({ seq: 101 });
    } finally {
      await shipper.stop();
      await journal.close();
      await sink.close();
      await server.stop();
    }
  });

  it('ships the rest without duplicates after a crash between the local write and the shipment', async () => {
    const { url } = inject('postgres');
    const sink = new PostgresAuditSink({ connection: { connectionString: url } });
    const file = join(dir, 'crash.jsonl');
    const journal = await AuditJournal.open({ file, workspaceId: 'cms-staging' });
    try {
      for (let n = 1; n <= 30; n += 1) await journal.append(draft(n));
      const first = await AuditShipper.open({ file, sink, batchSize: 10 });
      await first.shipPending();
      const cursorAt30 = await readShipCursor(cursorFileOf(file));
      for (let n = 31; n <= 60; n += 1) await journal.append(draft(n));
      // The first process shipped entries 31-60 and died before recording that: put its cursor back.
      await first.shipPending();
      await writeFile(cursorFileOf(file), JSON.stringify(cursorAt30));
      for (let n = 61; n <= 75; n += 1) await journal.append(draft(n));

      const second = await AuditShipper.open({ file, sink, batchSize: 10 });
      expect(second.shippedSeq).toBe(30);
      expect(await second.shipPending()).toBe(45);
      const rows = await storedSeqs(url, 'cms-staging');
      expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: 75 }, (_, i) => i + 1));
      const hashes = new Map((await readLines(file)).map((entry) => [entry.seq, entry.hash]));
      for (const row of rows) expect(row.hash).toBe(hashes.get(row.seq));
    } finally {
      await journal.close();
      await sink.close();
    }
  });

  it('refuses an entry that takes the place of a different one already in the admin store', async () => {
    const { url } = inject('postgres');
    const sink = new PostgresAuditSink({ connection: { connectionString: url } });
    const journals = [join(dir, 'a.jsonl'), join(dir, 'b.jsonl')];
    try {
      for (const [index, file] of journals.entries()) {
        const journal = await AuditJournal.open({ file, workspaceId: 'twin-workspace' });
        await journal.append({ ...draft(index), target: `from journal ${index}` });
        await journal.close();
      }
      await (await AuditShipper.open({ file: journals[0] as string, sink })).shipPending();
      const clash = (await AuditShipper.open({ file: journals[1] as string, sink })).shipPending();
      await expect(clash).rejects.toMatchObject({ code: 'conflict' });
    } finally {
      await sink.close();
    }
  });

  it('stores text PostgreSQL cannot hold (NUL) and keeps a copy that verifies like the journal, and shows tampering', async () => {
    const { url } = inject('postgres');
    const sink = new PostgresAuditSink({ connection: { connectionString: url } });
    const file = join(dir, 'copy.jsonl');
    const workspaceId = `copy-${process.pid}`;
    const journal = await AuditJournal.open({ file, workspaceId });
    try {
      await journal.append({ ...draft(1), target: 'tenant x\u0000"; drop schema public; --', details: { note: 'a\u0000b', path: 'C:\\u0000' } });
      for (let n = 2; n <= 5; n += 1) await journal.append(draft(n));
      await (await AuditShipper.open({ file, sink })).shipPending();

      const copy = await verifyEntryTexts(sink.readEntryTexts(workspaceId, 2));
      const local = await verifyJournal(file);
      expect(copy).toEqual(local);
      expect(copy).toMatchObject({ intact: true, entries: 5 });

      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query<{ target: string; details: { note: string; path: string } }>(
        'select target, details from public.console_audit where workspace_id = $1 and seq = 1',
        [workspaceId],
      );
      expect(rows[0]).toEqual({ target: 'tenant x\ufffd"; drop schema public; --', details: { note: 'a\ufffdb', path: 'C:\\u0000' } });
      await client.query(
        `update public.console_audit set entry = replace(entry, '"outcome":"allowed"', '"outcome":"refused"') where workspace_id = $1 and seq = 3`,
        [workspaceId],
      );
      await client.end();
      expect((await verifyEntryTexts(sink.readEntryTexts(workspaceId))).problem).toMatchObject({ kind: 'tampered', seq: 3 });
    } finally {
      await journal.close();
      await sink.close();
    }
  });

  it('creates public.console_audit with its primary key in a database that has none', async () => {
    const { url } = inject('postgres');
    const database = `audit_fresh_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${database}`);
    const freshUrl = new URL(url);
    freshUrl.pathname = `/${database}`;
    const sink = new PostgresAuditSink({ connection: { connectionString: freshUrl.toString() } });
    const file = join(dir, 'fresh.jsonl');
    const journal = await AuditJournal.open({ file, workspaceId: 'fresh' });
    try {
      await journal.append(draft(1));
      await (await AuditShipper.open({ file, sink })).shipPending();
      const check = new pg.Client({ connectionString: freshUrl.toString() });
      await check.connect();
      const { rows } = await check.query<{ def: string }>(
        `select pg_get_constraintdef(oid) as def from pg_constraint where conrelid = 'public.console_audit'::regclass and contype = 'p'`,
      );
      const stored = await check.query<{ n: string }>('select count(*)::text as n from public.console_audit');
      await check.end();
      expect(rows[0]?.def).toBe('PRIMARY KEY (workspace_id, seq)');
      expect(stored.rows[0]?.n).toBe('1');
    } finally {
      await journal.close();
      await sink.close();
      await admin.query(`drop database if exists ${database}`);
      await admin.end();
    }
  });
});

async function readLines(file: string): Promise<AuditEntry[]> {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditEntry);
}
