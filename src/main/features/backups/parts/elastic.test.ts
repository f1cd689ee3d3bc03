import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import type { BundlePart } from '@shared/model/backup';
import { murima2025 } from '@shared/tenancy';
import { fixture, mockedCluster, type MockedCluster, type Reply } from '../../../../../test/fixtures/backups/elastic-mock';
import type { PartContext } from '../../../services/backup-part';
import { elasticBackupPart } from './elastic';

const tenant = '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f';
const indexA = `tenant-${tenant}-cases-2026-11`;
const indexB = `tenant-${tenant}-interactions-2026-11`;
const at = new Date('2026-12-03T02:15:00Z');
const snapshot = `tenantscope-${tenant}-20261203t021500z`;

function context(phases: string[] = []): PartContext {
  return { signal: new AbortController().signal, folder: '/nonexistent', relativeFolder: 'elastic', progress: (done, total, phase) => phases.push(`${phase} ${done}/${total}`), log: () => undefined };
}

/** A cluster with the tenant's two indices, one repository, and a snapshot that is done on the second poll. */
function cluster(statuses = ['snapshot-status-in-progress', 'snapshot-status-success'], docs: Record<string, number> = { [indexA]: 120, [indexB]: 7 }): MockedCluster {
  const c = mockedCluster();
  const names = { INDEX_A: indexA, INDEX_B: indexB, SNAPSHOT: snapshot };
  // One repository of the documented two: with one, the part needs no choice.
  c.answer('GET', '/_snapshot', { backups: (fixture('get-repository').response as Record<string, unknown>).backups });
  c.answer('GET', '/_cat/indices/:index', (params): Reply => {
    const pattern = String(params.path).split('/')[3] ?? '';
    const rows = fixture('cat-indices', names).response as { index: string }[];
    const prefix = decodeURIComponent(pattern).replace(/\*$/, '');
    return rows.filter((row) => row.index.startsWith(prefix));
  });
  for (const method of ['GET', 'POST']) {
    c.answer(method, '/:index/_count', (params): Reply => {
      const index = decodeURIComponent(String(params.path).split('/')[1] ?? '');
      const original = index.startsWith('restored-0417-') ? `tenant-${tenant}-${index.slice('restored-0417-'.length)}` : index;
      return { ...(fixture('count').response as Record<string, unknown>), count: docs[original] ?? 0 };
    });
  }
  c.answer('PUT', '/_snapshot/:repository/:snapshot', fixture('create-snapshot-accepted').response);
  let poll = 0;
  c.answer('GET', '/_snapshot/:repository/:snapshot/_status', () => fixture(statuses[Math.min(poll++, statuses.length - 1)] as string, names).response);
  c.answer('GET', '/_snapshot/:repository/:snapshot', fixture('get-snapshot-partial', names).response);
  c.answer('DELETE', '/_snapshot/:repository/:snapshot', { acknowledged: true });
  c.answer('POST', '/_snapshot/:repository/:snapshot/_restore', fixture('restore-snapshot-completed', { RESTORED_A: 'restored-0417-cases-2026-11', RESTORED_B: 'restored-0417-interactions-2026-11', SNAPSHOT: snapshot }).response);
  c.answer('DELETE', '/:index', { acknowledged: true });
  return c;
}

const partOf = (c: MockedCluster) => elasticBackupPart({ preset: murima2025, elastic: c.store, pollMs: 1, now: () => at });

async function backedUp(c: MockedCluster): Promise<BundlePart> {
  const written = await partOf(c).backup(tenant, context());
  return { ...written, startedAt: at.toISOString(), endedAt: at.toISOString() };
}

describe('Elasticsearch bundle part (request shapes against the documented replies)', () => {
  it('snapshots exactly the tenant’s indices by name, without the global state, and polls _status until SUCCESS', async () => {
    const c = cluster();
    const phases: string[] = [];
    const part = await partOf(c).backup(tenant, context(phases));
    expect(c.sent('GET', /^\/_cat\/indices\//)[0]?.path).toBe(`/_cat/indices/${encodeURIComponent(`tenant-${tenant}-*`)}`);
    const created = c.sent('PUT', /^\/_snapshot\/backups\//);
    expect(created).toHaveLength(1);
    expect(created[0]?.path).toBe(`/_snapshot/backups/${snapshot}`);
    expect(created[0]?.querystring).toMatchObject({ wait_for_completion: 'false' });
    expect(created[0]?.body).toMatchObject({ indices: `${indexA},${indexB}`, include_global_state: false, partial: false });
    expect(c.sent('GET', /\/_status$/)).toHaveLength(2);
    expect(phases).toEqual(['Snapshot started 1/2', 'Snapshot success 2/2']);
    expect(part).toMatchObject({
      store: 'elastic',
      format: 'elasticsearch snapshot',
      server: { version: '8.15.0' },
      counts: { [indexA]: 120, [indexB]: 7 },
      files: [],
      details: { repository: 'backups', snapshot, indices: [indexA, indexB], indexPrefix: `tenant-${tenant}-` },
    });
  });

  it('restores under a new prefix with rename_pattern, and counts each restored index under its original name', async () => {
    const c = cluster();
    const part = await backedUp(c);
    const restored = await partOf(c).restore(part, tenant, { mode: 'rename', name: 'restored-0417-' }, context());
    const request = c.sent('POST', /\/_restore$/)[0];
    expect(request?.path).toBe(`/_snapshot/backups/${snapshot}/_restore`);
    expect(request?.querystring).toMatchObject({ wait_for_completion: 'true' });
    expect(request?.body).toEqual({
      indices: `${indexA},${indexB}`,
      rename_pattern: `^tenant\\-${tenant.replaceAll('-', '\\-')}\\-(.+)$`,
      rename_replacement: 'restored-0417-$1',
      include_global_state: false,
      include_aliases: false,
    });
    // The pattern, read as the cluster reads it, turns each index into its restored name.
    const pattern = new RegExp(String((request?.body as { rename_pattern: string }).rename_pattern));
    expect(indexA.replace(pattern, 'restored-0417-$1')).toBe('restored-0417-cases-2026-11');
    expect(restored).toEqual({ target: 'restored-0417-', counts: part.counts });
  });

  it('a PARTIAL snapshot fails with the shard failure and is deleted from the repository', async () => {
    const c = cluster(['snapshot-status-in-progress', 'snapshot-status-partial']);
    const error = await partOf(c).backup(tenant, context()).catch((e: unknown) => e);
    expect(AppError.is(error, 'internal')).toBe(true);
    expect((error as Error).message).toContain('PARTIAL');
    expect((error as Error).message).toContain('disk full');
    expect(c.sent('DELETE', /^\/_snapshot\/backups\//).map((r) => r.path)).toEqual([`/_snapshot/backups/${snapshot}`]);
  });

  it('refuses a name that exists, a hostile prefix or a replace before any restore is sent', async () => {
    const c = cluster();
    const part = await backedUp(c);
    const restore = partOf(c).restore.bind(partOf(c));
    const outcomes = new Map<string, unknown>();
    for (const name of ['tenant-', 'tenant-x-', 'tenant', 'Restored-', '_restored-', '.restored-', 'a*-', 'a', 'restored,other-', '../x-']) {
      outcomes.set(name, await restore(part, tenant, { mode: 'rename', name }, context()).catch((e: unknown) => e));
    }
    for (const [name, error] of outcomes) expect(AppError.is(error) && ['invalid_argument', 'forbidden'].includes(error.code), name).toBe(true);
    expect((outcomes.get('tenant-x-') as AppError).code).toBe('forbidden');
    await expect(restore(part, tenant, { mode: 'replace' }, context())).rejects.toMatchObject({ code: 'invalid_argument' });
    // The restored names already exist: a conflict naming them.
    const taken = mockedCluster();
    taken.answer('GET', '/_cat/indices/:index', [{ index: 'copy-cases-2026-11', health: 'green', status: 'open', 'docs.count': '1', 'store.size': '1' }]);
    const conflict = await elasticBackupPart({ preset: murima2025, elastic: taken.store }).restore(part, tenant, { mode: 'rename', name: 'copy-' }, context()).catch((e: unknown) => e);
    expect(AppError.is(conflict, 'conflict')).toBe(true);
    expect((conflict as Error).message).toContain('copy-cases-2026-11');
    expect(c.sent('POST', /\/_restore$/)).toHaveLength(0);
    expect(taken.sent('POST', /\/_restore$/)).toHaveLength(0);
    await expect(partOf(c).dropRestored('tenant-', new AbortController().signal)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('takes the bundle job’s base name (a schema name) as the prefix with a dash after it', async () => {
    const c = cluster();
    const part = await backedUp(c);
    c.mock.clear({ method: 'POST', path: '/_snapshot/:repository/:snapshot/_restore' });
    c.answer('POST', '/_snapshot/:repository/:snapshot/_restore', fixture('restore-snapshot-completed', { RESTORED_A: 'acme_copy-cases-2026-11', RESTORED_B: 'acme_copy-interactions-2026-11', SNAPSHOT: snapshot }).response);
    const restored = await partOf(c).restore(part, tenant, { mode: 'scratch', name: 'acme_copy' }, context());
    expect(restored.target).toBe('acme_copy-');
    expect((c.sent('POST', /\/_restore$/)[0]?.body as { rename_replacement: string }).rename_replacement).toBe('acme_copy-$1');
  });

  it('drops a restored copy by the exact names under its prefix', async () => {
    const c = mockedCluster();
    c.answer('GET', '/_cat/indices/:index', [
      { index: 'restored-0417-cases-2026-11', health: 'green', status: 'open', 'docs.count': '1', 'store.size': '1' },
      { index: 'restored-0417-interactions-2026-11', health: 'green', status: 'open', 'docs.count': '1', 'store.size': '1' },
    ]);
    c.answer('DELETE', '/:index', { acknowledged: true });
    await partOf(c).dropRestored('restored-0417-', new AbortController().signal);
    expect(c.sent('DELETE', /.*/).map((r) => decodeURIComponent(String(r.path)))).toEqual(['/restored-0417-cases-2026-11,restored-0417-interactions-2026-11']);
  });
});
