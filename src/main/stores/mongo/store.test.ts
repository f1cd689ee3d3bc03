import { describe, expect, it } from 'vitest';
import { parseTenantScope } from '@shared/model/tenant-scope';
import { MongoEndpoint } from '@shared/model/workspace';
import { settlesWithoutWaiting } from '../../../../test/support/settles';
import { MongoStore } from './store';

/** Nothing listens here: any call that reached the network would fail with unreachable, not these codes. */
const nowhere = MongoEndpoint.parse({ hosts: '127.0.0.1:9', poolSize: 1 });
const target = { database: 'crm_customer_prod', collection: 'clients' };

async function codeOf(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('MongoStore guards (before anything is sent)', () => {
  it('a read-only store refuses inserts, index builds and $out/$merge without connecting', async () => {
    const store = new MongoStore(nowhere, {}, { readOnly: true, connectTimeoutMs: 200 });
    try {
      expect(await codeOf(store.insertMany(target, [{ name: 'x' }]))).toBe('read_only');
      expect(await codeOf(store.createIndexes(target, [{ key: { tenantId: 1 } }]))).toBe('read_only');
      expect(await codeOf(store.aggregate(target, [{ $match: {} }, { $out: 'copy' }]))).toBe('read_only');
      expect(await codeOf(store.aggregate(target, [{ $facet: { a: [{ $merge: { into: 'copy' } }] } }]))).toBe('read_only');
      expect(store.status()).toMatchObject({ state: 'down', reason: 'not connected yet' });
    } finally {
      await store.close();
    }
  });

  it('refuses a scoped call on another tenant collection without connecting', async () => {
    const store = new MongoStore(nowhere, {}, { connectTimeoutMs: 200 });
    const scope = parseTenantScope({ tenantId: 'acme01', mongo: { mode: 'collection-prefix', collectionPrefix: 'tenant_acme01_' } });
    try {
      expect(await codeOf(store.find({ database: 'murima', collection: 'tenant_other_case_notes' }, {}, {}, scope))).toBe('invalid_argument');
      expect(await codeOf(store.insertMany({ database: 'murima', collection: 'tenant_other_case_notes' }, [{}], scope))).toBe('invalid_argument');
      expect(store.status()).toMatchObject({ reason: 'not connected yet' });
    } finally {
      await store.close();
    }
  });

  it('answers unreachable, and once down fails fast without waiting on the network', async () => {
    const store = new MongoStore(nowhere, {}, { connectTimeoutMs: 300, backoff: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20 } });
    try {
      expect(await codeOf(store.find(target))).toBe('unreachable');
      expect(store.status().state).toBe('down');
      const again = store.find(target);
      expect(await settlesWithoutWaiting(again)).toBe(true);
      expect(await codeOf(again)).toBe('unreachable');
    } finally {
      await store.close();
    }
  });
});
