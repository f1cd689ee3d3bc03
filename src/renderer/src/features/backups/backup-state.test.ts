import { describe, expect, it } from 'vitest';
import { RestoreSchemaName } from '@shared/contract/backups';
import { formatDuration, restoredPartsOf, suggestedRestoreName, visibleBundles } from './backup-state';
import { toolLabel } from './ManifestParts';
import { BROKEN, CATALOG, HELD, NEWER, OLDER, entry } from './test-data';

describe('the backups screens’ rules', () => {
  it('suggests a restore name PostgreSQL accepts whatever the tenant id, dated by the bundle', () => {
    const names = [
      suggestedRestoreName('20261201T020000Z-3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f-a1b2', '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f'),
      suggestedRestoreName('20261201T020000Z-ACME_Corp-a1b2', 'ACME_Corp'),
      suggestedRestoreName('20261201T020000Z-x-a1b2', '___'),
      suggestedRestoreName('20261201T020000Z-x-a1b2', null),
      suggestedRestoreName('not-a-bundle-id', 'a'.repeat(64)),
    ];
    expect(names).toEqual([
      'restored_3f2c1a9e_7b4d_4e21_9c55_20261201_0200',
      'restored_acme_corp_20261201_0200',
      'restored_tenant_20261201_0200',
      'restored_tenant_20261201_0200',
      `restored_${'a'.repeat(24)}`,
    ]);
    for (const name of names) expect(RestoreSchemaName.safeParse(name).success).toBe(true);
    // It never looks like a tenant schema, so the copy is not listed as another tenant.
    for (const name of names) expect(name.startsWith('tenant_')).toBe(false);
  });

  it('lists bundles newest first, the bundle id breaking ties, and filters by tenant and status together', () => {
    const twin = entry({ bundleId: `20261202T090000Z-${CATALOG[0]!.tenantId}-ffff`, startedAt: '2026-12-02T09:00:00.000Z' });
    expect(visibleBundles([...CATALOG, twin], { tenantId: null, status: null }).map((b) => b.bundleId)).toEqual([BROKEN, twin.bundleId, NEWER, OLDER, HELD]);
    expect(visibleBundles(CATALOG, { tenantId: CATALOG[0]!.tenantId, status: 'verified' }).map((b) => b.bundleId)).toEqual([OLDER]);
    expect(visibleBundles(CATALOG, { tenantId: 'nobody', status: null })).toEqual([]);
  });

  it('reads the restored parts a restore job reports, and nothing from a result of another shape', () => {
    const result = { bundleId: OLDER, mode: 'rename', targets: { redis: 'acme_monday:', postgres: 'acme_monday' }, counts: { postgres: { cases: 3 }, redis: { session: 2 } } };
    expect(restoredPartsOf(result)).toEqual([
      { store: 'postgres', target: 'acme_monday', counts: { cases: 3 } },
      { store: 'redis', target: 'acme_monday:', counts: { session: 2 } },
    ]);
    expect(restoredPartsOf({ bundleId: OLDER, ok: true, files: 2 })).toEqual([]);
    expect(restoredPartsOf(undefined)).toEqual([]);
    expect(restoredPartsOf({ targets: { oracle: 'x' }, counts: {} })).toEqual([]);
  });

  it('says how long a backup took', () => {
    expect(formatDuration('2026-12-01T02:00:00.000Z', '2026-12-01T02:00:41.000Z')).toBe('41 s');
    expect(formatDuration('2026-12-01T02:00:00.000Z', '2026-12-01T02:03:05.000Z')).toBe('3 min 05 s');
    expect(formatDuration('2026-12-01T02:00:00.000Z', '2026-12-01T04:05:00.000Z')).toBe('2 h 05 min');
    expect(formatDuration('2026-12-01T02:00:00.000Z', null)).toBe('—');
  });

  it('names a part’s tool once, whether or not its version string already says it', () => {
    expect(toolLabel({ name: 'pg_dump', version: '15.8' })).toBe('pg_dump 15.8');
    expect(toolLabel({ name: 'pg_dump', version: 'pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)' })).toBe('pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)');
  });
});
