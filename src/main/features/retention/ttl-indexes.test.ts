import { describe, expect, it } from 'vitest';
import { murima2025, type MongoCollection } from '@shared/tenancy';
import { compareTtlIndexes } from './ttl-indexes';
import { AI_RESULTS_CACHE_AS_PRESCRIBED, AI_RESULTS_CACHE_HOUR_BY_HAND, AI_RESULTS_CACHE_PLAIN_INDEX, CASE_NOTES_WITH_TTL } from './fixtures/list-indexes';

const collection = (name: string): MongoCollection => murima2025.blueprint.mongo?.collections.find((c) => c.name === name) as MongoCollection;
const where = { tenantId: '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f', collection: 'tenant_x_ai_results_cache' };

describe('TTL indexes against the blueprint (listIndexes replies from the manual)', () => {
  it('finds the prescribed expireAfterSeconds: 0 index as it should be', () => {
    expect(compareTtlIndexes(collection('ai_results_cache'), AI_RESULTS_CACHE_AS_PRESCRIBED, where)).toEqual([
      expect.objectContaining({ index: 'expires_at_1', field: 'expires_at', prescribedSeconds: 0, liveSeconds: 0, state: 'ok', source: '003 §4.2.3' }),
    ]);
  });

  it('finds a TTL index built by hand under another name by its key, and names its wrong seconds', () => {
    expect(compareTtlIndexes(collection('ai_results_cache'), AI_RESULTS_CACHE_HOUR_BY_HAND, where)).toEqual([
      expect.objectContaining({ index: 'expires_at_hour', prescribedSeconds: 0, liveSeconds: 3600, state: 'wrong_seconds' }),
    ]);
  });

  it('says missing when the collection has no TTL index, not_ttl when the index lost its option, no_collection when there is none', () => {
    const onlyId = [{ v: 2, key: { _id: 1 }, name: '_id_' }];
    expect(compareTtlIndexes(collection('ai_results_cache'), onlyId, where)[0]?.state).toBe('missing');
    expect(compareTtlIndexes(collection('ai_results_cache'), AI_RESULTS_CACHE_PLAIN_INDEX, where)[0]).toMatchObject({ state: 'not_ttl', liveSeconds: null });
    expect(compareTtlIndexes(collection('ai_results_cache'), null, where)[0]).toMatchObject({ state: 'no_collection', prescribedSeconds: 0 });
  });

  it('reports a TTL index the blueprint does not prescribe', () => {
    expect(compareTtlIndexes(collection('case_notes'), CASE_NOTES_WITH_TTL, { ...where, collection: 'tenant_x_case_notes' })).toEqual([
      expect.objectContaining({ index: 'created_at_1', field: 'created_at', prescribedSeconds: null, liveSeconds: 2_592_000, state: 'unexpected' }),
    ]);
  });

  it('reads seconds the driver hands over as a Long', () => {
    const long = { toNumber: () => 0 };
    expect(compareTtlIndexes(collection('ai_results_cache'), [{ name: 'expires_at_1', key: { expires_at: 1 }, expireAfterSeconds: long }], where)[0]?.state).toBe('ok');
  });
});
