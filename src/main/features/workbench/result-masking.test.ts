import { describe, expect, it } from 'vitest';
import { columnRule, columnVisible, documentKind } from './result-masking';

describe('workbench masking rules', () => {
  it('masks a row column the engine’s rules name, or whose name is sensitive anywhere', () => {
    expect(columnRule('postgres', 'email')).toEqual({ category: 'personal_email', kinds: ['postgres:users'] });
    expect(columnRule('postgres', 'API-Key')).toEqual({ category: 'secret', kinds: [] });
    expect(columnRule('postgres', 'status')).toBeUndefined();
    // `email` is a rule of PostgreSQL's users, not of Redis replies.
    expect(columnRule('redis', 'email')).toBeUndefined();
  });

  it('shows a column in clear only to a role that may unmask it, for a field it unmasked', () => {
    const rule = columnRule('postgres', 'email')!;
    expect(columnVisible(rule, 'email', { role: 'platform_admin', unmaskedPaths: (kind) => (kind === 'postgres:users' ? ['email'] : []) })).toBe(true);
    expect(columnVisible(rule, 'email', { role: 'support', unmaskedPaths: () => ['email'] })).toBe(false);
    // A name that is sensitive anywhere has no family to unmask it in.
    expect(columnVisible(columnRule('postgres', 'token')!, 'token', { role: 'platform_admin', unmaskedPaths: () => ['token'] })).toBe(false);
  });

  it('masks documents as their collection, or as the index entity without pattern and month', () => {
    expect(documentKind({ engine: 'mongo', collection: 'clientcontacts', operation: 'find' })).toBe('mongo:clientcontacts');
    expect(documentKind({ engine: 'elastic', index: 'audit-logs' })).toBe('elastic:audit-logs');
    expect(documentKind({ engine: 'elastic', index: 'audit-logs-*' })).toBe('elastic:audit-logs');
    expect(documentKind({ engine: 'elastic', index: 'audit-logs-2026.01' })).toBe('elastic:audit-logs');
    expect(documentKind({ engine: 'postgres' })).toBeUndefined();
  });
});
