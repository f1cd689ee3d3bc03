import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { defaultTenantScope, parseTenantScope, validateTenantId } from './tenant-scope';

const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof AppError ? error.code : 'not-an-app-error';
  }
}

describe('validateTenantId', () => {
  it('accepts ids that match the preset pattern', () => {
    expect(validateTenantId('3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f', UUID)).toBe('3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f');
    expect(validateTenantId('acme_01')).toBe('acme_01');
  });

  it.each([
    ['a double quote', 'x"y'],
    ['a single quote', "o'hara"],
    ['a semicolon', 'a;b'],
    ['an SQL comment', 'a--b'],
    ['a parent path', 'a..b'],
    ['NUL', 'a\0b'],
    ['a newline', 'a\nb'],
    ['a space', 'a b'],
    ['a glob', 'a*'],
    ['a comma', 'a,b'],
    ['a colon (the Redis key separator)', 'a:b'],
    ['500 characters', 'a'.repeat(500)],
    ['the classic injection', 'x"; drop schema public; --'],
    ['nothing', ''],
  ])('refuses %s', (_label, id) => {
    expect(codeOf(() => validateTenantId(id))).toBe('invalid_argument');
  });

  it('refuses ids the preset pattern does not match, even an unanchored pattern', () => {
    expect(codeOf(() => validateTenantId('acme', UUID))).toBe('invalid_argument');
    expect(codeOf(() => validateTenantId('zz652f1c2e9b1d4a0012ab34cdzz', '[0-9a-f]{24}'))).toBe('invalid_argument');
    expect(codeOf(() => validateTenantId('tënant', '^[a-z]+$'))).toBe('invalid_argument');
  });

  it('refuses a non-string', () => {
    expect(codeOf(() => validateTenantId(42))).toBe('invalid_argument');
  });
});

describe('TenantScope', () => {
  it('builds the architecture default from a tenant id', () => {
    const scope = defaultTenantScope('3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f', UUID);
    expect(scope.postgres).toEqual({ schema: 'tenant_3f2c1a9e_7b4d_4e21_9c55_0a1b2c3d4e5f', setting: 'app.current_tenant_id' });
    expect(scope.redis?.keyPrefix).toBe('3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f:');
    expect(scope.elastic?.indexPattern).toBe('tenant-3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f-*');
    expect(scope.mongo).toEqual({ mode: 'field', field: 'tenantId', valueType: 'string' });
  });

  it('refuses a scope whose tenant id is hostile', () => {
    expect(codeOf(() => parseTenantScope({ tenantId: 'x"; drop schema public; --' }))).toBe('invalid_argument');
  });

  it('refuses a Redis prefix that belongs to another tenant', () => {
    expect(codeOf(() => parseTenantScope({ tenantId: 'acme', redis: { keyPrefix: 'other:' } }))).toBe('invalid_argument');
  });

  it('refuses an index pattern that would widen to other indices', () => {
    expect(codeOf(() => parseTenantScope({ tenantId: 'acme', elastic: { indexPattern: 'tenant-acme-*,*' } }))).toBe('invalid_argument');
    expect(codeOf(() => parseTenantScope({ tenantId: 'acme', elastic: { indexPattern: 'tenant-other-*' } }))).toBe('invalid_argument');
  });

  it('refuses a setting name that is not namespace.name', () => {
    expect(codeOf(() => parseTenantScope({ tenantId: 'acme', postgres: { schema: 'tenant_acme', setting: "x'); drop" } }))).toBe('invalid_argument');
  });

  it('refuses a schema longer than PostgreSQL keeps', () => {
    expect(codeOf(() => parseTenantScope({ tenantId: 'acme', postgres: { schema: 's'.repeat(64) } }))).toBe('invalid_argument');
  });

  it('keeps a collection-prefix scope about its own tenant', () => {
    expect(parseTenantScope({ tenantId: 'acme', mongo: { mode: 'collection-prefix', collectionPrefix: 'tenant_acme_' } }).mongo).toMatchObject({ collectionPrefix: 'tenant_acme_' });
    expect(codeOf(() => parseTenantScope({ tenantId: 'acme', mongo: { mode: 'collection-prefix', collectionPrefix: 'tenant_other_' } }))).toBe('invalid_argument');
  });
});
