import { describe, expect, it } from 'vitest';
import type { KeyValue } from '@shared/model/tenant';
import { maskKeyValue } from './mask-key-value';

const session: KeyValue = {
  type: 'hash',
  key: 't1:session:abc',
  ttlMs: 86_400_000,
  fields: [
    ['user_id', '18ac2184-f3ca-43ed-b499-aecd0c1babf7'],
    ['username', 'noe.williamson'],
  ],
  length: 2,
  truncated: false,
};

describe('maskKeyValue', () => {
  it.each(['support', 'dba', 'platform_admin'] as const)('masks every field of a session hash for %s', (role) => {
    const masked = maskKeyValue(session, 'session', role);
    if (masked.type !== 'hash') throw new Error('expected a hash');
    expect(masked.fields.map(([field]) => field)).toEqual(['user_id', 'username']);
    for (const [, value] of masked.fields) {
      expect(value).not.toContain('noe.williamson');
      expect(value).not.toContain('18ac2184-f3ca-43ed-b499-aecd0c1babf7');
    }
  });

  it('masks a sensitive field name in a hash of any family, and leaves plain fields alone', () => {
    const value: KeyValue = { ...session, key: 't1:config:x', fields: [['api_key', 'sk_live_1234567890'], ['theme', 'dark']] };
    const masked = maskKeyValue(value, 'config', 'platform_admin');
    if (masked.type !== 'hash') throw new Error('expected a hash');
    expect(masked.fields[0]?.[1]).not.toBe('sk_live_1234567890');
    expect(masked.fields[1]).toEqual(['theme', 'dark']);
  });

  it('masks a session kept as a string', () => {
    const value: KeyValue = { type: 'string', key: 't1:session:abc', ttlMs: null, value: '{"token":"secret-token-value"}', bytes: 30, truncated: false };
    const masked = maskKeyValue(value, 'session', 'support');
    if (masked.type !== 'string') throw new Error('expected a string');
    expect(masked.value).not.toContain('secret-token-value');
  });

  it('shows a platform admin an unmasked hash field in clear, never support, and keeps the other fields masked', () => {
    const admin = maskKeyValue(session, 'session', 'platform_admin', ['username']);
    const support = maskKeyValue(session, 'session', 'support', ['username']);
    if (admin.type !== 'hash' || support.type !== 'hash') throw new Error('expected hashes');
    expect(Object.fromEntries(admin.fields).username).toBe('noe.williamson');
    expect(Object.fromEntries(admin.fields).user_id).not.toContain('18ac2184');
    expect(Object.fromEntries(support.fields).username).not.toBe('noe.williamson');
  });

  it('unmasks a whole non-hash value under the path "value"', () => {
    const value: KeyValue = { type: 'list', key: 't1:session:abc', ttlMs: null, items: ['tok-1', 'tok-2'], length: 2, truncated: false };
    const masked = maskKeyValue(value, 'session', 'platform_admin');
    const clear = maskKeyValue(value, 'session', 'platform_admin', ['value']);
    if (masked.type !== 'list' || clear.type !== 'list') throw new Error('expected lists');
    expect(masked.items.some((item) => item.startsWith('tok-'))).toBe(false);
    expect(clear.items).toEqual(['tok-1', 'tok-2']);
  });
});
