import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '@shared/model/workbench';
import { HISTORY_LIMIT, RunHistory } from './history';

const entry = (n: number, over: Partial<HistoryEntry> = {}): HistoryEntry => ({
  id: `h_${n}`,
  workspaceId: 'ws-1',
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  operator: 'ann',
  target: { engine: 'postgres' },
  text: `select ${n}`,
  scope: { kind: 'tenant', tenantId: 't1' },
  write: false,
  durationMs: 1,
  rows: n,
  truncated: false,
  outcome: 'succeeded',
  ...over,
});

describe('RunHistory', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'tenantscope-history-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('lists newest first, filtered by text and engine, and survives a new instance', async () => {
    const history = new RunHistory(root);
    await history.append(entry(1, { text: 'SELECT * FROM tickets' }));
    await history.append(entry(2, { target: { engine: 'redis' }, text: 'GET t1:x' }));
    await history.append(entry(3, { text: 'select count(*) from tickets', outcome: 'failed', error: { code: 'timeout', message: 'stopped' } }));
    const again = new RunHistory(root);
    expect((await again.list('ws-1', { limit: 10 })).map((e) => e.id)).toEqual(['h_3', 'h_2', 'h_1']);
    expect((await again.list('ws-1', { limit: 10, search: 'TICKETS' })).map((e) => e.id)).toEqual(['h_3', 'h_1']);
    expect((await again.list('ws-1', { limit: 10, engine: 'redis' })).map((e) => e.id)).toEqual(['h_2']);
    expect((await again.list('ws-1', { limit: 1 })).map((e) => e.id)).toEqual(['h_3']);
    expect(await again.list('ws-2', { limit: 10 })).toEqual([]);
  });

  it('keeps the newest 2,000 runs once the file has grown past them, and skips a torn line', async () => {
    // An earlier console's 2,200 runs on disk; one more append takes the file past its slack.
    await mkdir(join(root, 'ws-1'), { recursive: true });
    await writeFile(join(root, 'ws-1', 'history.jsonl'), Array.from({ length: HISTORY_LIMIT + 200 }, (_, i) => JSON.stringify(entry(i)) + '\n').join(''));
    const history = new RunHistory(root);
    await history.append(entry(HISTORY_LIMIT + 200));
    const lines = (await readFile(join(root, 'ws-1', 'history.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(HISTORY_LIMIT);
    // A line a crash cut short is passed over.
    await appendFile(join(root, 'ws-1', 'history.jsonl'), '{"id":"h_torn","workspa');
    const listed = await history.list('ws-1', { limit: 1_000 });
    expect(listed[0]?.id).toBe(`h_${HISTORY_LIMIT + 200}`);
    expect(listed.at(-1)?.id).toBe(`h_${HISTORY_LIMIT + 200 - 999}`);
    // The next console appends after the torn line, not onto it.
    await new RunHistory(root).append(entry(99_999));
    expect((await history.list('ws-1', { limit: 1 }))[0]?.id).toBe('h_99999');
  });
});
