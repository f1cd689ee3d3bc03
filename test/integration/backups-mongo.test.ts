import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { murima2025 } from '@shared/tenancy';
import { mongoBackupPart } from '../../src/main/features/backups/parts/mongo';
import type { PartContext } from '../../src/main/services/backup-part';
import { MongoStore } from '../../src/main/stores/mongo/store';
import { announceSkip, mongoSkipReason, mongoUrl } from '../support/external-stores';
import { mongoEndpointFrom } from '../support/mongo-endpoint';

announceSkip('MongoDB bundle part', mongoSkipReason);

describe.skipIf(!mongoUrl)('MongoDB bundle part on a real server', () => {
  const tenant = randomUUID();
  const neighbour = randomUUID();
  const database = `ts_backup_${tenant.slice(0, 8)}`;
  const restoreInto = `ts_restore_${tenant.slice(0, 8)}`;
  let store: MongoStore;
  let root: string;
  let context: PartContext;

  beforeAll(async () => {
    const { endpoint, password } = mongoEndpointFrom(mongoUrl ?? '');
    store = new MongoStore(endpoint, { ...(password ? { password } : {}) });
    root = await mkdtemp(join(tmpdir(), 'tenantscope-mongo-bundle-'));
    await mkdir(join(root, 'mongo'));
    context = { signal: new AbortController().signal, folder: join(root, 'mongo'), relativeFolder: 'mongo', progress: () => undefined, log: () => undefined };
    for (const [id, count] of [[tenant, 30], [neighbour, 5]] as const) {
      const docs = Array.from({ length: count }, (_, i) => ({ case_id: `c${i}`, n: { $numberInt: String(i) }, big: { $numberLong: '9007199254740993' }, content: `note ${i}` }));
      await store.insertExtendedJson({ database, collection: 'case_notes' }, docs, { tenantId: id, mongo: { mode: 'collection-prefix', collectionPrefix: `tenant_${id}_`, field: 'tenant_id', valueType: 'string' } });
    }
  });

  afterAll(async () => {
    await store.dropDatabase(database).catch(() => undefined);
    await store.dropDatabase(restoreInto).catch(() => undefined);
    await store.close();
    await rm(root, { recursive: true, force: true });
  });

  it('backs up the tenant’s documents only, and restores them into another database with their types and the tenant field', async () => {
    const part = mongoBackupPart({ preset: murima2025, mongo: store, databases: { tenant: database } });
    const written = await part.backup(tenant, context);
    expect(written.counts.case_notes).toBe(30);
    const restored = await part.restore({ ...written, startedAt: '', endedAt: '' }, tenant, { mode: 'rename', name: restoreInto }, context);
    expect(restored.counts).toEqual(written.counts);
    const [first] = await store.findExtendedJson({ database: restoreInto, collection: `tenant_${tenant}_case_notes` }, { case_id: 'c1' }, { limit: 1 });
    expect(first).toMatchObject({ tenant_id: tenant, content: 'note 1' });
    expect(String(first?.big)).toBe('9007199254740993');
    await part.dropRestored(restoreInto, new AbortController().signal);
    expect(await store.listCollectionNames(restoreInto)).toEqual([]);
  });
});
