import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditJournal } from './journal';
import { queryJournal } from './query';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tenantscope-query-'));
  file = join(dir, 'prod.jsonl');
  let minute = 0;
  const journal = await AuditJournal.open({ file, workspaceId: 'prod', now: () => new Date(Date.UTC(2026, 4, 1, 9, minute++)) });
  const rows: [string, string, string[], 'allowed' | 'refused'][] = [
    ['Sam Support', 'access.justify.tenant', ['t1'], 'allowed'],
    ['Sam Support', 'cases.get', ['t1'], 'allowed'],
    ['Sam Support', 'cases.get', ['t2'], 'refused'],
    ['Ada Admin', 'access.justify.cross-tenant', ['*'], 'allowed'],
    ['Ada Admin', 'tenants.get', ['t1', 't2'], 'allowed'],
    ['Dee DBA', 'workspaces.update', [], 'allowed'],
  ];
  for (const [name, action, tenantIds, outcome] of rows) {
    await journal.append({
      operator: { name, email: `${name.split(' ')[0]?.toLowerCase()}@example.com` },
      role: 'support',
      tenantIds,
      action,
      outcome,
    });
  }
  await journal.close();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const seqs = async (...args: Parameters<typeof queryJournal> extends [string, ...infer R] ? R : never) =>
  (await queryJournal(file, ...args)).entries.map((e) => e.seq);

describe('queryJournal', () => {
  it('returns matches newest first', async () => {
    expect(await seqs({})).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('filters by operator name or email, tenant (cross-tenant entries included), action or prefix, outcome and time', async () => {
    expect(await seqs({ operator: 'sam' })).toEqual([3, 2, 1]);
    expect(await seqs({ operator: 'dee@EXAMPLE' })).toEqual([6]);
    expect(await seqs({ tenantId: 't2' })).toEqual([5, 4, 3]);
    expect(await seqs({ action: 'cases.get' })).toEqual([3, 2]);
    expect(await seqs({ action: 'access.' })).toEqual([4, 1]);
    expect(await seqs({ outcome: 'refused' })).toEqual([3]);
    expect(await seqs({ from: '2026-05-01T09:01:00Z', to: '2026-05-01T09:03:00Z' })).toEqual([4, 3, 2]);
    expect(await seqs({ operator: 'sam', tenantId: 't1', outcome: 'allowed' })).toEqual([2, 1]);
  });

  it('stops at the limit and says there is more', async () => {
    expect(await queryJournal(file, {}, 2)).toMatchObject({ more: true, entries: [{ seq: 6 }, { seq: 5 }] });
    expect((await queryJournal(file, {}, 6)).more).toBe(false);
  });

  it('names lines that are not entries instead of hiding them', async () => {
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines[2] = lines[2]?.replace('cases.get', 'cases.GET') ?? '';
    await writeFile(file, lines.join('\n'));
    const page = await queryJournal(file);
    expect(page.unreadableLines).toEqual([3]);
    expect(page.entries.map((e) => e.seq)).toEqual([6, 5, 4, 2, 1]);
  });

  it('refuses a time it cannot read and answers an absent journal with nothing', async () => {
    await expect(queryJournal(file, { from: 'yesterday' })).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(await queryJournal(join(dir, 'none.jsonl'))).toEqual({ entries: [], unreadableLines: [], more: false });
  });
});
