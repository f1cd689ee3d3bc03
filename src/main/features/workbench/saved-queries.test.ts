import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SavedQueries } from './saved-queries';

const ann = { operator: { name: 'ann' } };

describe('SavedQueries', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'tenantscope-saved-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('saves, replaces by id, lists by name with a search, deletes, and survives a new instance', async () => {
    const saved = new SavedQueries(root);
    const open = await saved.save({ workspaceId: 'ws-1', name: 'Open tickets', target: { engine: 'postgres' }, text: "select * from tickets where status = 'open'" }, ann);
    await saved.save({ workspaceId: 'ws-1', name: 'Active sessions', target: { engine: 'redis' }, text: 'SCAN 0 MATCH session:*' }, ann);
    expect(open).toMatchObject({ id: expect.stringMatching(/^sq_/), savedBy: 'ann', workspaceId: 'ws-1' });
    const replaced = await saved.save({ workspaceId: 'ws-1', id: open.id, name: 'Open tickets', description: 'by status', target: { engine: 'postgres' }, text: 'select 1' }, ann);
    expect(replaced.id).toBe(open.id);

    const again = new SavedQueries(root);
    expect((await again.list('ws-1')).map((q) => q.name)).toEqual(['Active sessions', 'Open tickets']);
    expect((await again.list('ws-1', 'STATUS')).map((q) => q.text)).toEqual(['select 1']);
    expect(await again.delete('ws-1', open.id)).toBe(true);
    expect(await again.delete('ws-1', open.id)).toBe(false);
    expect((await again.list('ws-1')).map((q) => q.name)).toEqual(['Active sessions']);
    expect(await again.list('ws-2')).toEqual([]);
  });

  it('refuses to replace a query that does not exist, and loses none of many saved at once', async () => {
    const saved = new SavedQueries(root);
    await expect(saved.save({ workspaceId: 'ws-1', id: 'sq_missing123', name: 'x', target: { engine: 'postgres' }, text: 'select 1' }, ann)).rejects.toMatchObject({ code: 'not_found' });
    await Promise.all(Array.from({ length: 20 }, (_, i) => saved.save({ workspaceId: 'ws-1', name: `q${i}`, target: { engine: 'postgres' }, text: 'select 1' }, ann)));
    expect(await saved.list('ws-1')).toHaveLength(20);
  });
});
