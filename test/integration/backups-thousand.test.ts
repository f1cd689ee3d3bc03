import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTenantSchemas } from './backups-fixtures';
import { indexesWorld, type IndexesWorld } from './indexes-fixtures';

const run = promisify(execFile);
const DATABASE = 'backups_thousand';

describe('a one-tenant bundle on a database of 1,000 tenant schemas', () => {
  let world: IndexesWorld;
  let folder: string;

  beforeAll(async () => {
    world = await indexesWorld(DATABASE, 2);
    // The cut blueprint: 1,000 schemas of indexes, policies and triggers that load and drop in reasonable time.
    await addTenantSchemas(world.pool, 998, { cut: true });
    folder = await mkdtemp(join(tmpdir(), 'tenantscope-bundles-1000-'));
    await world.api.backups.setBackupFolder({ workspaceId: world.workspaceId, folder });
  }, 900_000);

  afterAll(async () => {
    await world?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  }, 600_000);

  it('holds that tenant only: every schema pg_restore --list names is the tenant’s', async () => {
    const { rows } = await world.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_namespace WHERE nspname LIKE 'tenant\\_%'");
    expect(rows[0]?.n).toBe(1_000);
    const tenant = world.tenants[1] as string;
    const schema = `tenant_${tenant.replaceAll('-', '_')}`;
    const job = await world.api.backups.backupTenant({ workspaceId: world.workspaceId, tenantId: tenant });
    const done = await world.settled(job.id);
    expect(done.failure).toBeUndefined();
    const dump = join(folder, world.workspaceId, String(done.result?.bundleId), 'postgres', 'tenant.dump');
    const { stdout } = await run('/usr/lib/postgresql/15/bin/pg_restore', ['--list', dump], { maxBuffer: 64 * 1024 * 1024 });
    const named = new Set(stdout.match(/\btenant_[0-9a-f_]{36}\b/g) ?? []);
    expect([...named]).toEqual([schema]);
    // Its data is there: every table pg_dump wrote rows for is one of the manifest's counts.
    const bundle = await world.api.backups.bundle({ workspaceId: world.workspaceId, bundleId: String(done.result?.bundleId) });
    const dataEntries = stdout.split('\n').filter((l) => / TABLE DATA /.test(l)).map((l) => l.split(' TABLE DATA ')[1]?.split(' ')[1]);
    expect(dataEntries.sort()).toEqual(Object.keys(bundle.manifest?.parts[0]?.counts ?? {}).sort());
  });
});
