import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AuditEntry } from '@shared/model/audit';
import { AuditJournal } from '../../src/main/security/audit/journal';
import { AuditShipper } from '../../src/main/security/audit/shipper';
import { verifyJournal } from '../../src/main/security/audit/verify';
import { PostgresAuditSink } from '../../src/main/stores/postgres/audit-sink';

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
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tenantscope-audit-crash-'));
  await writeFile(join(dir, 'child.mts'), CHILD);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the child until it reported `count` appended entries, then kills it with SIGKILL. */
function runAndKill(file: string, url: string, workspaceId: string, count: number): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(dir, 'child.mts'), file, url, workspaceId], {
      cwd: repo,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(repo, 'tsconfig.node.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let reported = 0;
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      const last = chunk.toString().trim().split('\n').at(-1);
      reported = Number(last);
      if (reported >= count && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolvePromise(reported);
      else reject(new Error(`the audit child exited by itself (${code}): ${errors}`));
    });
  });
}

async function rowsOf(url: string, workspaceId: string): Promise<{ seq: number; hash: string }[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ seq: string; hash: string }>(
      'select seq::text, hash from public.console_audit where workspace_id = $1 order by console_audit.seq',
      [workspaceId],
    );
    return rows.map((row) => ({ seq: Number(row.seq), hash: row.hash }));
  } finally {
    await client.end();
  }
}

describe('an audit journal whose process is killed between writing and shipping', () => {
  it('keeps every entry it reported, and a new process ships the rest exactly once', async () => {
    const { url } = inject('postgres');
    const workspaceId = `crash-${process.pid}`;
    const file = join(dir, 'crash.jsonl');
    const reported = await runAndKill(file, url, workspaceId, 300);

    // Whatever the kill interrupted, every entry the process had finished is there and the chain holds.
    const journal = await AuditJournal.open({ file, workspaceId });
    const afterCrash = await verifyJournal(file);
    expect(afterCrash.intact).toBe(true);
    expect(afterCrash.lastSeq).toBeGreaterThanOrEqual(reported);
    const shippedBefore = (await rowsOf(url, workspaceId)).length;
    expect(shippedBefore).toBeLessThanOrEqual(afterCrash.lastSeq);

    const sink = new PostgresAuditSink({ connection: { connectionString: url } });
    try {
      const shipper = await AuditShipper.open({ file, sink });
      await shipper.shipPending();
      const rows = await rowsOf(url, workspaceId);
      const entries = (await readFile(file, 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as AuditEntry);
      expect(rows.map((row) => row.seq)).toEqual(entries.map((entry) => entry.seq));
      expect(rows.map((row) => row.hash)).toEqual(entries.map((entry) => entry.hash));
      expect(rows.length).toBe(afterCrash.lastSeq);
    } finally {
      await journal.close();
      await sink.close();
    }
  });
});
