import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PlanRecord } from '@shared/contract/explain';
import { PlanStore } from './plan-store';

const record = (statement: string, tenantId: string | null = 'a1'): Omit<PlanRecord, 'id' | 'at'> => ({
  operator: 'Ada',
  tenantId,
  engine: 'postgres',
  statement,
  fingerprint: statement,
  analyzed: false,
  totalTimeMs: null,
  planningTimeMs: null,
  headline: 'Result',
});
const keep = (store: PlanStore, workspaceId: string, statement: string, tenantId?: string) =>
  store.keep(workspaceId, { raw: [{ Plan: { 'Node Type': 'Result' } }], advice: { tenantKey: 'tenant_id' }, record: record(statement, tenantId) });

describe('kept plans', () => {
  it('keeps the last plans of each workspace, deleting the oldest files, newest first in the history', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'tenantscope-plans-'));
    const store = new PlanStore(directory, { limit: 3 });
    const kept: PlanRecord[] = [];
    for (const n of [1, 2, 3, 4, 5]) kept.push(await keep(store, 'w', `q${n}`));
    await keep(store, 'other', 'q1');
    expect((await store.history('w', { limit: 10 })).map((r) => r.statement)).toEqual(['q5', 'q4', 'q3']);
    expect((await readdir(join(directory, 'w'))).filter((name) => name.startsWith('plan_')).sort()).toEqual(kept.slice(2).map((r) => `${r.id}.json`).sort());
    await expect(store.read('w', kept[0]!.id)).rejects.toMatchObject({ code: 'not_found' });
    expect((await store.read('w', kept[4]!.id)).record).toEqual(kept[4]);
    expect((await store.history('other', { limit: 10 })).map((r) => r.statement)).toEqual(['q1']);
  });

  it('writes plans of one workspace one after another, so concurrent runs all land in the index', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'tenantscope-plans-'));
    const store = new PlanStore(directory);
    await Promise.all(Array.from({ length: 20 }, (_, n) => keep(store, 'w', `q${n}`)));
    const index = JSON.parse(await readFile(join(directory, 'w', 'index.json'), 'utf8')) as { records: PlanRecord[] };
    expect(index.records).toHaveLength(20);
    expect(await new PlanStore(directory).history('w', { limit: 100 })).toHaveLength(20);
  });

  it('rebuilds a damaged index from the plan files, and reads a plan only by a plan id', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'tenantscope-plans-'));
    const first = new PlanStore(directory);
    await keep(first, 'w', 'q1', 'a1');
    await keep(first, 'w', 'q2', 'b2');
    await writeFile(join(directory, 'w', 'index.json'), '{"version": 1, "records": [');
    const again = new PlanStore(directory);
    expect((await again.history('w', { limit: 10, tenantId: 'b2' })).map((r) => r.statement)).toEqual(['q2']);
    expect((await again.history('w', { limit: 10, fingerprints: new Set(['q1']) })).map((r) => r.statement)).toEqual(['q1']);
    await expect(again.read('w', '../index')).rejects.toMatchObject({ code: 'not_found' });
  });
});
