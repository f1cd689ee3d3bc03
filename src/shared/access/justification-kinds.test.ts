import { describe, expect, it } from 'vitest';
import { methodSpec } from '../contract';
import { ActiveJustification, ReasonNeeded } from '../model/operator';
import { Role } from '../model/session';
import { JUSTIFICATION_KINDS, JustificationKind, mayJustify } from './justification-kinds';

const JUSTIFY_ARGS = { workspaceId: 'w', tenantId: 'acme', field: 'postgres:users#email', reason: 'checking a support ticket' };

describe('justification kinds, one list for both sides', () => {
  it('is the list a refusal names and the status bar shows', () => {
    expect(ReasonNeeded.options.map((option) => option.shape.scope.value).sort()).toEqual([...JUSTIFICATION_KINDS].sort());
    expect(ActiveJustification.shape.scope.options).toEqual([...JUSTIFICATION_KINDS]);
    expect(JustificationKind.options).toEqual([...JUSTIFICATION_KINDS]);
  });

  it('is the list access.justify accepts, in its one spelling', () => {
    const args = methodSpec('access.justify').args;
    for (const scope of JUSTIFICATION_KINDS) {
      const withScope = scope === 'unmask' ? { ...JUSTIFY_ARGS, scope } : { ...JUSTIFY_ARGS, field: undefined, scope };
      expect(args.safeParse(withScope).success, scope).toBe(true);
    }
    for (const scope of ['cross' + '_tenant', 'prod' + '_unlock', 'crossTenant']) {
      expect(args.safeParse({ ...JUSTIFY_ARGS, field: undefined, scope }).success, scope).toBe(false);
    }
  });

  it('lets each role give only its reasons: support opens a tenant, a DBA also works across tenants and unlocks, an admin also unmasks', () => {
    const given = Object.fromEntries(Role.options.map((role) => [role, JUSTIFICATION_KINDS.filter((kind) => mayJustify(role, kind))]));
    expect(given).toEqual({
      support: ['tenant'],
      dba: ['tenant', 'cross-tenant', 'prod-unlock'],
      platform_admin: ['tenant', 'cross-tenant', 'unmask', 'prod-unlock'],
    });
  });
});
