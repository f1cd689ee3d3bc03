import { mkdtemp, readFile, readdir, rm, writeFile, appendFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { GENESIS_HASH, type AuditEntryDraft } from '@shared/model/audit';
import { AuditJournal } from './journal';
import { hashEntry } from './canonical';
import { verifyJournal } from './verify';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tenantscope-journal-'));
  file = join(dir, 'prod.jsonl');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const draft = (n: number): AuditEntryDraft => ({
  operator: { name: 'Ada Support', email: 'ada@example.com' },
  role: 'support',
  tenantIds: ['tenant-7'],
  action: 'clients.get',
  target: `mongo:clients/${n}`,
  justification: { id: 'j1', reason: 'customer ticket 4411 about invoices', ticket: 'SUP-4411' },
  outcome: 'allowed',
  details: { n },
});

async function journalOf(count: number): Promise<void> {
  const journal = await AuditJournal.open({ file, workspaceId: 'prod' });
  for (let n = 1; n <= count; n += 1) await journal.append(draft(n));
  await journal.close();
}

describe('AuditJournal', () => {
  it('chains entries by seq and prevHash, each hash over its own content', async () => {
    const journal = await AuditJournal.open({ file, workspaceId: 'prod', now: () => new Date('2026-03-01T10:00:00Z') });
    const first = await journal.append(draft(1));
    const second = await journal.append(draft(2));
    await journal.close();
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, workspaceId: 'prod', at: '2026-03-01T10:00:00.000Z' });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    expect(second.hash).toBe(hashEntry(second));
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[1] ?? '')).toEqual(second);
  });

  it('keeps call order when appends are not awaited one by one', async () => {
    const journal = await AuditJournal.open({ file, workspaceId: 'prod' });
    const entries = await Promise.all([1, 2, 3, 4, 5].map((n) => journal.append(draft(n))));
    await journal.close();
    expect(entries.map((e) => [e.seq, e.details.n])).toEqual([[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]);
    expect((await verifyJournal(file)).intact).toBe(true);
  });

  it('continues the chain after being reopened', async () => {
    await journalOf(3);
    const journal = await AuditJournal.open({ file, workspaceId: 'prod' });
    expect(journal.lastSeq).toBe(3);
    const fourth = await journal.append(draft(4));
    await journal.close();
    expect(fourth.seq).toBe(4);
    expect(await verifyJournal(file)).toMatchObject({ intact: true, entries: 4, lastSeq: 4, lastHash: fourth.hash });
  });

  it('refuses an entry that is not plain JSON, before writing anything', async () => {
    const journal = await AuditJournal.open({ file, workspaceId: 'prod' });
    await expect(journal.append({ ...draft(1), details: { when: new Date() as unknown as string } })).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('so the action was not done'),
    });
    const next = await journal.append(draft(2));
    await journal.close();
    expect(next.seq).toBe(1);
  });

  it('reports a torn last line, keeps its bytes and records the recovery in the chain', async () => {
    await journalOf(2);
    const torn = '{"action":"clients.get","details":{"n":3},"hash":"ab';
    await appendFile(file, torn);
    expect((await verifyJournal(file)).problem).toMatchObject({ kind: 'torn_tail', line: 3, seq: 3 });

    const journal = await AuditJournal.open({ file, workspaceId: 'prod' });
    expect(journal.recovery).toMatchObject({ tornBytes: Buffer.byteLength(torn), recordedAs: 3 });
    const quarantined = journal.recovery?.quarantinedTo ?? '';
    expect(await readFile(quarantined, 'utf8')).toBe(torn);
    const next = await journal.append(draft(4));
    await journal.close();

    expect(next.seq).toBe(4);
    expect(await verifyJournal(file)).toMatchObject({ intact: true, entries: 4 });
    const recorded = JSON.parse((await readFile(file, 'utf8')).split('\n')[2] ?? '');
    expect(recorded).toMatchObject({ action: 'audit.journal_recovered', role: 'system', outcome: 'failed' });
    expect(recorded.details.tornBytes).toBe(Buffer.byteLength(torn));
    expect((await readdir(dir)).filter((name) => name.includes('.torn-'))).toHaveLength(1);
  });

  it('refuses to chain onto a damaged last entry', async () => {
    await journalOf(2);
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines[1] = (lines[1] ?? '').replace('clients.get', 'clients.GET');
    await writeFile(file, lines.join('\n'));
    const opened = AuditJournal.open({ file, workspaceId: 'prod' });
    await expect(opened).rejects.toSatisfy((error: unknown) => AppError.is(error, 'conflict'));
    await expect(opened).rejects.toThrow(/audit:verify/);
  });

  it('refuses a second writer while the journal is open, so the chain cannot fork', async () => {
    const first = await AuditJournal.open({ file, workspaceId: 'prod' });
    await expect(AuditJournal.open({ file, workspaceId: 'prod' })).rejects.toSatisfy((error: unknown) => AppError.is(error, 'locked'));
    await first.close();
    const second = await AuditJournal.open({ file, workspaceId: 'prod' });
    await second.close();
  });

  it('takes over the lock of a process that died', async () => {
    await writeFile(`${file}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), since: '2026-01-01T00:00:00Z' }));
    const journal = await AuditJournal.open({ file, workspaceId: 'prod' });
    expect((await journal.append(draft(1))).seq).toBe(1);
    await journal.close();
  });
});
