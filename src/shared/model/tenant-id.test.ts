import { describe, expect, it } from 'vitest';
import { cases } from '../contract/cases';
import { AppError } from '../errors';
import { murima2025, scopeFor } from '../tenancy';
import { TenantId as ContractTenantId } from './tenant';
import { parseTenantScope } from './tenant-scope';
import { TenantId, validateTenantId } from './tenant-id';

const UUID = '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f';

const refusedBy = (check: () => unknown): boolean => {
  try {
    check();
    return false;
  } catch (error) {
    return error instanceof AppError && error.code === 'invalid_argument';
  }
};

/** Every place a tenant id enters: the contract, a bare check, a scope, and a preset's scope. */
const verdicts = (id: string) => ({
  contract: !cases.methods.get.args.safeParse({ workspaceId: 'w', tenantId: id, caseId: UUID }).success,
  schema: !TenantId.safeParse(id).success,
  validate: refusedBy(() => validateTenantId(id)),
  scope: refusedBy(() => parseTenantScope({ tenantId: id })),
});

describe('one tenant-id rule', () => {
  it('is the schema the contract uses', () => {
    expect(ContractTenantId).toBe(TenantId);
  });

  it.each([
    ['65 characters, which the contract once allowed up to 128', 'a'.repeat(65)],
    ['an SQL comment', 'a--b'],
    ['a dot', 'acme.corp'],
    ['a colon', 'a:b'],
    ['a leading dash', '-acme'],
    ['nothing', ''],
  ])('refuses %s everywhere alike', (_label, id) => {
    expect(verdicts(id)).toEqual({ contract: true, schema: true, validate: true, scope: true });
  });

  it.each([UUID, 'acme_01', 'a'.repeat(64), '652f1c2e9b1d4a0012ab34cd'])('accepts %s everywhere alike', (id) => {
    expect(verdicts(id)).toEqual({ contract: false, schema: false, validate: false, scope: false });
  });

  it("applies the preset's pattern on top of the rule", () => {
    expect(scopeFor(murima2025, UUID).tenantId).toBe(UUID);
    expect(refusedBy(() => scopeFor(murima2025, 'acme_01'))).toBe(true);
  });
});
