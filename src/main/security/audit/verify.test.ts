import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '@shared/model/audit';
import { AuditJournal } from './journal';
import { canonicalJson, hashEntry } from './canonical';
import { verifyJournal } from './verify';

let dir: string;
let file: string;
let entries: AuditEntry[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tenantscope-verify-'));
  file = join(dir, 'staging.jsonl');
  const journal = await AuditJournal.open({ file, workspaceId: 'staging' });
  entries = [];
  for (let n = 1; n <= 6; n += 1) {
    entries.push(
      await journal.append({
        operator: { name: 'Bo Admin' },
        role: 'platform_admin',
        tenantIds: n % 2 ? ['*'] : ['t-1'],
        action: 'workbench.run',
        target: `postgres:query ${n}`,
        outcome: 'allowed',
        details: { rows: n * 10 },
      }),
    );
  }
  await journal.close();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function lines(): Promise<string[]> {
  return (await readFile(file, 'utf8')).split('\n').slice(0, -1);
}
async function writeLines(next: string[]): Promise<void> {
  await writeFile(file, next.map((line) => `${line}\n`).join(''));
}

describe('verifyJournal', () => {
  it('accepts an untouched journal and reports its head', async () => {
    expect(await verifyJournal(file)).toEqual({ intact: true, entries: 6, lastSeq: 6, lastHash: entries[5]?.hash });
  });

  it('names the entry in which any single byte was changed', async () => {
    const original = await readFile(file);
    const starts = [0];
    original.forEach((byte, index) => byte === 0x0a && starts.push(index + 1));
    // Every byte of entry 4's line (its newline aside), changed one at a time.
    const begin = starts[3] ?? 0;
    const end = (starts[4] ?? 0) - 1;
    for (let index = begin; index < end; index += 1) {
      const damaged = Buffer.from(original);
      damaged[index] = damaged[index] === 0x30 ? 0x31 : 0x30;
      await writeFile(file, damaged);
      const result = await verifyJournal(file);
      expect(result.intact, `byte ${index - begin} of entry 4`).toBe(false);
      expect(result.problem?.line, JSON.stringify(result.problem)).toBe(4);
      expect(result.problem?.seq).toBe(4);
    }
    // Some 400 rewrites and verifications: generous on a busy machine.
  }, 60_000);

  it('detects a deleted entry and names it', async () => {
    const all = await lines();
    await writeLines(all.filter((_, index) => index !== 2));
    expect(await verifyJournal(file)).toMatchObject({ intact: false, entries: 2, problem: { kind: 'missing', seq: 3, line: 3 } });
  });

  it('detects several deleted entries as one missing run', async () => {
    const all = await lines();
    await writeLines([...all.slice(0, 1), ...all.slice(4)]);
    const { problem } = await verifyJournal(file);
    expect(problem).toMatchObject({ kind: 'missing', seq: 2, line: 2 });
    expect(problem?.message).toContain('2–4');
  });

  it('detects a reordered pair', async () => {
    const all = await lines();
    await writeLines([all[0], all[1], all[3], all[2], all[4], all[5]] as string[]);
    expect((await verifyJournal(file)).problem).toMatchObject({ kind: 'reordered', seq: 3, line: 3 });
  });

  it('detects a duplicated entry', async () => {
    const all = await lines();
    await writeLines([...all.slice(0, 4), all[1] ?? '', ...all.slice(4)]);
    expect((await verifyJournal(file)).problem).toMatchObject({ kind: 'reordered', seq: 2, line: 5 });
  });

  it('detects an entry rewritten with a recomputed hash by the broken link after it', async () => {
    const all = await lines();
    const forged = { ...(entries[2] as AuditEntry), outcome: 'refused' as const };
    forged.hash = hashEntry(forged);
    all[2] = canonicalJson(forged);
    await writeLines(all);
    expect((await verifyJournal(file)).problem).toMatchObject({ kind: 'broken_link', seq: 3, line: 3 });
  });

  it('detects a line rewritten in another JSON form even when its values are the same', async () => {
    const all = await lines();
    all[1] = JSON.stringify(JSON.parse(all[1] ?? ''), null, 0).replace('"seq":2', '"seq":2.0');
    await writeLines(all);
    expect((await verifyJournal(file)).problem).toMatchObject({ kind: 'tampered', line: 2 });
  });

  it('finds entries cut from the end when given the shipped anchor', async () => {
    const all = await lines();
    await writeLines(all.slice(0, 4));
    expect((await verifyJournal(file)).intact).toBe(true);
    const cut = await verifyJournal(file, { anchor: { seq: 6, hash: entries[5]?.hash ?? '' } });
    expect(cut.problem).toMatchObject({ kind: 'missing', seq: 5, line: 5 });
  });

  it('finds a journal rebuilt from the anchor on by its different hash', async () => {
    const result = await verifyJournal(file, { anchor: { seq: 2, hash: 'a'.repeat(64) } });
    expect(result.problem).toMatchObject({ kind: 'tampered', seq: 2 });
  });

  it('says so when there is no journal', async () => {
    await expect(verifyJournal(join(dir, 'nope.jsonl'))).rejects.toThrow(/no audit journal/);
  });
});
