import { describe, expect, it } from 'vitest';
import { isMaskedRedisField, keyFamilyOf } from './redis-fields';

const TENANT = '4b0f6c1e-2d7a-4c38-9a51-0e6f1d2c3b4a';

describe('keyFamilyOf', () => {
  it('names the Murima2025 family of a tenant key, the most specific glob first', () => {
    expect(keyFamilyOf('murima2025', TENANT, `${TENANT}:session:8f14e45fceea167a`)).toBe('session');
    expect(keyFamilyOf('murima2025', TENANT, `${TENANT}:case:c1:viewers`)).toBe('case_viewers');
    expect(keyFamilyOf('murima2025', TENANT, `${TENANT}:case:c1`)).toBe('case');
    expect(keyFamilyOf('murima2025', TENANT, `${TENANT}:user:u1:permissions`)).toBe('user_permissions');
  });

  it('answers "other" for a key outside the tenant, an unknown family or an unknown preset', () => {
    expect(keyFamilyOf('murima2025', TENANT, `someone-else:session:abc`)).toBe('other');
    expect(keyFamilyOf('murima2025', TENANT, `${TENANT}:scratch`)).toBe('other');
    expect(keyFamilyOf('no-such-preset', TENANT, `${TENANT}:session:abc`)).toBe('other');
    expect(keyFamilyOf(undefined, TENANT, `${TENANT}:session:abc`)).toBe('other');
  });
});

describe('isMaskedRedisField', () => {
  it('follows the masking rules: every session field, sensitive names anywhere, nothing else', () => {
    expect(isMaskedRedisField('session', 'username')).toBe(true);
    expect(isMaskedRedisField('session', 'value')).toBe(true);
    expect(isMaskedRedisField('config', 'api_key')).toBe(true);
    expect(isMaskedRedisField('case', 'title')).toBe(false);
    expect(isMaskedRedisField('notifications', 'value')).toBe(false);
  });
});
