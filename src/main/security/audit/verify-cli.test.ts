import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditSink } from '@shared/model/audit';
import { AuditJournal } from './journal';
import { AuditShipper } from './shipper';
import { main } from './verify-cli';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tenantscope-cli-'));
  file = join(dir, 'prod.jsonl');
  const journal = await AuditJournal.open({ file, workspaceId: 'prod' });
  for (let n = 1; n <= 4; n += 1) await journal.append({ operator: { name: 'Ada' }, role: 'platform_admin', action: 'access.unmask', outcome: 'allowed', details: { n } });
  await journal.close();
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe('audit:verify', () => {
  it('exits 0 for an intact journal', async () => {
    expect(await main(['--journal', file])).toBe(0);
  });

  it('exits 1 and names the entry when a byte was changed', async () => {
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"n":3', '"n":8'));
    expect(await main(['--journal', file])).toBe(1);
    expect(vi.mocked(console.log).mock.calls.flat().join(' ')).toMatch(/Entry 3 at line 3/);
  });

  it('exits 1 when entries were cut from the end after they were shipped', async () => {
    const sink: AuditSink = { ship: async () => undefined };
    await (await AuditShipper.open({ file, sink })).shipPending();
    const lines = (await readFile(file, 'utf8')).split('\n');
    await writeFile(file, `${lines.slice(0, 2).join('\n')}\n`);
    expect(await main(['--journal', file])).toBe(1);
    expect(await main(['--journal', file, '--no-cursor'])).toBe(0);
  });

  it('exits 2 when it cannot check: no journal, no argument, unknown option', async () => {
    expect(await main(['--journal', join(dir, 'absent.jsonl')])).toBe(2);
    expect(await main([])).toBe(2);
    expect(await main(['--journal', file, '--fix'])).toBe(2);
  });
});
