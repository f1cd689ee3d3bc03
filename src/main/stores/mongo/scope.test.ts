import { ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { parseTenantScope } from '@shared/model/tenant-scope';
import { assertTarget, collectionsInScope, pipelineWrites, scopedDocuments, scopedFilter, scopedPipeline, scopedTarget } from './scope';

const orgId = '652f1c2e9b1d4a0012ab34cd';
const fieldScope = parseTenantScope({ tenantId: orgId, mongo: { mode: 'field', field: 'tenantId', valueType: 'objectId', collections: ['clients', 'clientnotes'] } });
const stringScope = parseTenantScope({ tenantId: 'acme01', mongo: { mode: 'field' } });
const prefixScope = parseTenantScope({ tenantId: 'acme01', mongo: { mode: 'collection-prefix', collectionPrefix: 'tenant_acme01_' } });

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('MongoDB tenant scope', () => {
  it('ANDs the tenant condition with the caller filter, so $or cannot widen it', () => {
    const filter = scopedFilter({ $or: [{ name: 'a' }, { tenantId: new ObjectId() }] }, fieldScope, 'clients');
    expect(filter).toEqual({ $and: [{ $or: [{ name: 'a' }, { tenantId: expect.any(ObjectId) as unknown }] }, { tenantId: new ObjectId(orgId) }] });
  });

  it('uses the bare condition for an empty filter and the string form when the preset stores strings', () => {
    expect(scopedFilter({}, stringScope, 'anything')).toEqual({ tenantId: 'acme01' });
  });

  it('refuses a collection the scope does not list', () => {
    expect(codeOf(() => scopedFilter({}, fieldScope, 'sharedconfig'))).toBe('invalid_argument');
  });

  it('refuses an ObjectId scope with a tenant id that is not an ObjectId', () => {
    const bad = parseTenantScope({ tenantId: 'acme01', mongo: { mode: 'field', valueType: 'objectId' } });
    expect(codeOf(() => scopedFilter({}, bad, 'clients'))).toBe('invalid_argument');
  });

  it('reaches only prefixed collections in collection-prefix mode, adding no field', () => {
    expect(scopedFilter({ a: 1 }, prefixScope, 'tenant_acme01_case_notes')).toEqual({ a: 1 });
    expect(codeOf(() => scopedFilter({}, prefixScope, 'tenant_other_case_notes'))).toBe('invalid_argument');
    expect(collectionsInScope(['tenant_acme01_a', 'tenant_acme012_b', 'tenant_other_a'], prefixScope)).toEqual(['tenant_acme01_a']);
    expect(collectionsInScope(['clients', 'sharedconfig'], fieldScope)).toEqual(['clients']);
  });

  it('resolves a logical collection to the tenant’s under a collection-prefix scope, and leaves physical names to the prefix check', () => {
    const db = 'murima';
    expect(scopedTarget({ database: db, collection: 'case_notes' }, prefixScope)).toEqual({ database: db, collection: 'tenant_acme01_case_notes' });
    expect(scopedTarget({ database: db, collection: 'tenant_acme01_case_notes' }, prefixScope).collection).toBe('tenant_acme01_case_notes');
    const other = scopedTarget({ database: db, collection: 'tenant_other_case_notes' }, prefixScope).collection;
    expect(codeOf(() => scopedFilter({}, prefixScope, other))).toBe('invalid_argument');
    expect(scopedTarget({ database: db, collection: 'clients' }, fieldScope).collection).toBe('clients');
    expect(scopedTarget({ database: db, collection: 'case_notes' }, undefined).collection).toBe('case_notes');
  });

  it('puts a $match on the tenant in front of a pipeline', () => {
    expect(scopedPipeline([{ $group: { _id: '$status', n: { $sum: 1 } } }], stringScope, 'cases')).toEqual([
      { $match: { tenantId: 'acme01' } },
      { $group: { _id: '$status', n: { $sum: 1 } } },
    ]);
  });

  it('refuses stages that reach other collections, even nested in $facet', () => {
    expect(codeOf(() => scopedPipeline([{ $lookup: { from: 'users', localField: 'a', foreignField: 'b', as: 'u' } }], stringScope, 'cases'))).toBe('invalid_argument');
    expect(codeOf(() => scopedPipeline([{ $facet: { x: [{ $unionWith: 'other' }] } }], stringScope, 'cases'))).toBe('invalid_argument');
    expect(codeOf(() => scopedPipeline([{ $out: 'stolen' }], stringScope, 'cases'))).toBe('invalid_argument');
  });

  it('knows which pipelines write', () => {
    expect(pipelineWrites([{ $match: {} }, { $merge: { into: 'x' } }])).toBe(true);
    expect(pipelineWrites([{ $match: { $expr: { $gt: ['$a', 1] } } }])).toBe(false);
  });

  it('stamps inserted documents with the tenant and refuses documents of another tenant', () => {
    expect(scopedDocuments([{ name: 'a' }], stringScope, 'cases')).toEqual([{ name: 'a', tenantId: 'acme01' }]);
    expect(codeOf(() => scopedDocuments([{ name: 'a', tenantId: 'other' }], stringScope, 'cases'))).toBe('invalid_argument');
  });

  it('refuses database and collection names MongoDB would reject or that are system collections', () => {
    expect(codeOf(() => assertTarget({ database: 'a.b', collection: 'c' }))).toBe('invalid_argument');
    expect(codeOf(() => assertTarget({ database: 'a', collection: 'system.users' }))).toBe('invalid_argument');
    expect(codeOf(() => assertTarget({ database: 'a', collection: 'c$d' }))).toBe('invalid_argument');
    expect(codeOf(() => assertTarget({ database: 'a\0', collection: 'c' }))).toBe('invalid_argument');
    expect(codeOf(() => assertTarget({ database: 'crm_customer_dev', collection: 'clients' }))).toBeUndefined();
  });
});
