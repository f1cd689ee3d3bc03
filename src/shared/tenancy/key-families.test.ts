import { describe, expect, it } from 'vitest';
import { murima2025, tenantIdPattern } from '@shared/tenancy';
import { KeyClassifier, OTHER_FAMILY, ttlBucketOf, TTL_BUCKET_INDEX } from './key-families';

const classifier = new KeyClassifier({ separator: ':', tenantIdPattern: tenantIdPattern(murima2025), families: murima2025.blueprint.redis!.families });
const id = '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f';
const familyOf = (key: string): string => classifier.familyNames[classifier.familyIndex(key.slice(id.length + 1))] as string;

describe('KeyClassifier', () => {
  it('gives the most specific family, so case viewers are not counted as cases', () => {
    expect(familyOf(`${id}:case:42:viewers`)).toBe('case_viewers');
    expect(familyOf(`${id}:case:42`)).toBe('case');
    expect(familyOf(`${id}:user:7:permissions`)).toBe('user_permissions');
    expect(familyOf(`${id}:online_users`)).toBe('online_users');
    expect(familyOf(`${id}:something:else`)).toBe(OTHER_FAMILY);
  });

  it('finds the tenant only where the prefix is a tenant id of the preset', () => {
    expect(classifier.tenantOf(`${id}:session:abc`)).toBe(id);
    expect(classifier.tenantOf('celery-task-meta-1')).toBeUndefined();
    expect(classifier.tenantOf('global:config:x')).toBeUndefined();
    expect(classifier.tenantOf(':session:abc')).toBeUndefined();
  });

  it('gives the family glob that the store puts after the tenant prefix', () => {
    expect(classifier.globOf('session')).toBe('session:*');
    expect(classifier.globOf()).toBe('*');
  });
});

describe('ttlBucketOf', () => {
  it('puts PTTL answers into the five buckets and leaves vanished keys out', () => {
    expect(ttlBucketOf(-1)).toBe(TTL_BUCKET_INDEX.none);
    expect(ttlBucketOf(-2)).toBeUndefined();
    expect(ttlBucketOf(59_999)).toBe(TTL_BUCKET_INDEX.under_1m);
    expect(ttlBucketOf(60_000)).toBe(TTL_BUCKET_INDEX.under_1h);
    expect(ttlBucketOf(3_599_999)).toBe(TTL_BUCKET_INDEX.under_1h);
    expect(ttlBucketOf(86_399_999)).toBe(TTL_BUCKET_INDEX.under_1d);
    expect(ttlBucketOf(86_400_000)).toBe(TTL_BUCKET_INDEX.longer);
  });
});
