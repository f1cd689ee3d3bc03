import { describe, expect, it } from 'vitest';
import type { MongoIndex } from '@shared/tenancy';
import { clientManagementSharedConfig, generateClientManagementTenant, seedClientManagement } from './client-management-seed';
import type { DemoMongo } from './ports';
import type { SeedProgress } from './progress';
import { demoWindow } from './seed';

/** A DemoMongo that keeps what it is asked to write and answers with how many it wrote. */
function recordingMongo(): { mongo: DemoMongo; written: Map<string, number> } {
  const written = new Map<string, number>();
  const mongo: DemoMongo = {
    insertMany: async (database, collection, documents) => {
      const name = `${database}.${collection}`;
      written.set(name, (written.get(name) ?? 0) + documents.length);
      return documents.length;
    },
    createIndexes: async (_database: string, _collection: string, _indexes: readonly MongoIndex[]) => {},
  };
  return { mongo, written };
}

describe('Client Management seeder summary', () => {
  const window = demoWindow('2025-06');
  const options = { tenants: 4, seed: 'cm-summary', window, prefix: 'insightserenity', env: 'dev', batchSize: 3 };

  it('counts every document it writes, the three shared settings included', async () => {
    const { mongo, written } = recordingMongo();
    const progress: SeedProgress[] = [];
    const summary = await seedClientManagement(mongo, { ...options, onProgress: (p) => progress.push(p) });

    expect(written.get('insightserenity_shared_dev.sharedconfig')).toBe(3);
    const total = [...written.values()].reduce((sum, n) => sum + n, 0);
    expect(summary.mongo?.documents).toBe(total);
    expect(progress.at(-1)).toMatchObject({ phase: 'done', written: total });

    // The total is the plan: the tenants' documents, regenerated from the seed, plus the shared settings.
    const tenantDocuments = Array.from({ length: options.tenants }, (_, i) => generateClientManagementTenant(options.seed, i, window))
      .flatMap((tenant) => Object.values(tenant.docs))
      .reduce((sum, docs) => sum + docs.length, 0);
    expect(total).toBe(tenantDocuments + 3);
  });

  it('counts what the store reports it inserted, not what it was handed', async () => {
    const handed: number[] = [];
    // A store that drops one document of every batch (a duplicate key, say) and says so.
    const lossy: DemoMongo = {
      ...recordingMongo().mongo,
      insertMany: async (_database, _collection, documents) => {
        handed.push(documents.length);
        return documents.length - 1;
      },
    };
    const summary = await seedClientManagement(lossy, options);
    expect(summary.mongo?.documents).toBe(handed.reduce((sum, n) => sum + n - 1, 0));
  });

  it('writes the shared settings once, dated the day before the window ends', () => {
    const settings = clientManagementSharedConfig(window);
    expect(settings.map((s) => s.key)).toEqual(['features.portal', 'auth.tokenTtlSeconds', 'maintenance.window']);
    for (const s of settings) expect(s.updatedAt).toEqual({ $date: new Date(window.endMs - 86_400_000).toISOString() });
  });
});
