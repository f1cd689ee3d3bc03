import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { METHOD_NAMES } from '@shared/contract';
import type { Environment } from '@shared/model/workspace';
import type { Role } from '@shared/model/session';
import { authorize, decide, decideForClass, targetOf, type AccessTarget } from './decide';
import { JustificationStore, type JustificationScope } from './justifications';
import { METHOD_CLASSES, type MethodClass } from './table';

const session = (role: Role) => ({ operator: { name: `${role} person`, email: `${role}@example.com` }, role });
const REASON = { reason: 'investigating ticket SUP-77 for the customer' };

type Given = Partial<Record<'tenant' | 'otherTenant' | 'cross' | 'unmask' | 'unlock', boolean>>;

function storeWith(role: Role, given: Given): JustificationStore {
  const store = new JustificationStore();
  const grants: [keyof Given, JustificationScope][] = [
    ['otherTenant', { kind: 'tenant', workspaceId: 'w', tenantId: 't-other' }],
    ['tenant', { kind: 'tenant', workspaceId: 'w', tenantId: 't1' }],
    ['cross', { kind: 'cross-tenant', workspaceId: 'w' }],
    ['unmask', { kind: 'unmask', workspaceId: 'w', tenantId: 't1', field: 'postgres:users#password_hash' }],
    ['unlock', { kind: 'prod-unlock', workspaceId: 'w' }],
  ];
  for (const [name, scope] of grants) if (given[name]) store.grant(session(role), scope, REASON);
  return store;
}

const ONE: AccessTarget = { workspaceId: 'w', tenants: ['t1'] };
const ALL: AccessTarget = { workspaceId: 'w', tenants: 'all' };
const NONE: AccessTarget = { workspaceId: 'w' };
const FIELD: AccessTarget = { workspaceId: 'w', tenants: ['t1'], field: 'postgres:users#password_hash' };

type Case = [Role, MethodClass, AccessTarget, Environment, Given, 'allowed' | 'forbidden' | 'read_only'];

/** The policy as a table of cases: role, class, target, environment, reasons given → outcome. */
const CASES: Case[] = [
  // Support: read-only, one tenant at a time, with a reason.
  ['support', 'read', NONE, 'prod', {}, 'allowed'],
  ['support', 'tenant-read', ONE, 'prod', {}, 'forbidden'],
  ['support', 'tenant-read', ONE, 'prod', { tenant: true }, 'allowed'],
  ['support', 'tenant-read', ONE, 'dev', { otherTenant: true }, 'forbidden'],
  ['support', 'tenant-read', ALL, 'dev', { tenant: true }, 'forbidden'],
  ['support', 'tenant-read', { workspaceId: 'w', tenants: ['t1', 't2'] }, 'dev', { tenant: true }, 'forbidden'],
  ['support', 'cross-tenant-read', ALL, 'dev', {}, 'forbidden'],
  ['support', 'write', ONE, 'dev', { tenant: true }, 'forbidden'],
  ['support', 'schema-change', NONE, 'dev', {}, 'forbidden'],
  ['support', 'unmask', FIELD, 'dev', { tenant: true }, 'forbidden'],
  ['support', 'unlock', NONE, 'prod', {}, 'forbidden'],
  ['support', 'workspace.manage', NONE, 'dev', {}, 'forbidden'],
  ['support', 'audit-read', NONE, 'dev', {}, 'forbidden'],
  ['support', 'backup', ONE, 'dev', { tenant: true }, 'forbidden'],
  // DBA: workbench and index/partition/ILM changes off prod; on prod only with an unlock.
  ['dba', 'tenant-read', ONE, 'prod', {}, 'allowed'],
  ['dba', 'write', ONE, 'dev', {}, 'allowed'],
  ['dba', 'write', ONE, 'staging', {}, 'allowed'],
  ['dba', 'write', ONE, 'prod', {}, 'read_only'],
  ['dba', 'write', ONE, 'prod', { unlock: true }, 'allowed'],
  ['dba', 'schema-change', NONE, 'staging', {}, 'allowed'],
  ['dba', 'schema-change', NONE, 'prod', {}, 'read_only'],
  ['dba', 'schema-change', NONE, 'prod', { unlock: true }, 'allowed'],
  ['dba', 'cross-tenant-read', ALL, 'dev', {}, 'forbidden'],
  ['dba', 'cross-tenant-read', ALL, 'dev', { cross: true }, 'allowed'],
  ['dba', 'write', ALL, 'dev', {}, 'forbidden'],
  ['dba', 'write', ALL, 'dev', { cross: true }, 'allowed'],
  ['dba', 'unmask', FIELD, 'dev', {}, 'forbidden'],
  ['dba', 'unlock', NONE, 'prod', {}, 'allowed'],
  // A backup only reads: prod allows it without an unlock.
  ['dba', 'backup', ONE, 'prod', {}, 'allowed'],
  // Platform admin: everything, with a reason for cross-tenant work and unmasking, an unlock on prod.
  ['platform_admin', 'tenant-read', ALL, 'prod', {}, 'forbidden'],
  ['platform_admin', 'tenant-read', ALL, 'prod', { cross: true }, 'allowed'],
  ['platform_admin', 'cross-tenant-read', ALL, 'dev', {}, 'forbidden'],
  ['platform_admin', 'cross-tenant-read', ALL, 'dev', { cross: true }, 'allowed'],
  ['platform_admin', 'write', ONE, 'prod', {}, 'read_only'],
  ['platform_admin', 'write', ONE, 'prod', { unlock: true }, 'allowed'],
  ['platform_admin', 'unmask', FIELD, 'prod', {}, 'forbidden'],
  ['platform_admin', 'unmask', FIELD, 'prod', { unmask: true }, 'allowed'],
  ['platform_admin', 'unmask', { ...FIELD, field: 'postgres:users#email' }, 'prod', { unmask: true }, 'forbidden'],
  ['platform_admin', 'audit-read', NONE, 'prod', {}, 'allowed'],
  ['platform_admin', 'workspace.manage', NONE, 'prod', {}, 'allowed'],
];

describe('access policy table', () => {
  it.each(CASES)('%s · %s · %j on %s with %j → %s', (role, methodClass, target, environment, given, expected) => {
    const decision = decideForClass(methodClass, `example.${methodClass}`, target, session(role), {
      environment,
      justifications: storeWith(role, given),
    });
    expect(decision.allowed ? 'allowed' : decision.code).toBe(expected);
    if (!decision.allowed) expect(decision.message.length).toBeGreaterThan(20);
  });

  it('treats a workspace of unknown environment as prod', () => {
    const decision = decideForClass('write', 'example.write', ONE, session('dba'), { justifications: new JustificationStore() });
    expect(decision).toMatchObject({ allowed: false, code: 'read_only' });
  });

  it('says why in words a person can act on', () => {
    const store = storeWith('support', { otherTenant: true });
    const refused = decideForClass('tenant-read', 'cases.get', ONE, session('support'), { environment: 'dev', justifications: store });
    expect(refused).toMatchObject({ allowed: false, message: expect.stringContaining('You have tenant t-other open') });
    const prod = decideForClass('write', 'workbench.run', ONE, session('dba'), { environment: 'prod', justifications: store });
    expect(prod).toMatchObject({ message: expect.stringMatching(/prod and opens read-only: unlock writes with a reason/) });
  });

  it('audits what the table says and names the reasons used', () => {
    const store = storeWith('platform_admin', { unmask: true });
    const decision = decideForClass('unmask', 'access.unmask', FIELD, session('platform_admin'), { environment: 'prod', justifications: store });
    expect(decision).toMatchObject({ allowed: true, audited: true, tenantIds: ['t1'] });
    expect(decision.allowed && decision.justifications[0]?.scope.kind).toBe('unmask');
    const app = decideForClass('app', 'system.ping', {}, session('support'), { justifications: store });
    expect(app).toMatchObject({ allowed: true, audited: false });
  });

  it('has a line for every method of the contract', () => {
    const missing = METHOD_NAMES.filter((method) => !Object.hasOwn(METHOD_CLASSES, method));
    expect(missing).toEqual([]);
  });

  it('refuses a method that has no line in the table', () => {
    const decision = decide('backups.restoreEverything', NONE, session('platform_admin'), { justifications: new JustificationStore() });
    expect(decision).toMatchObject({ allowed: false, code: 'forbidden', message: expect.stringContaining('no line in the access policy') });
  });
});

describe('authorize', () => {
  it('throws forbidden when support calls a method that changes data', () => {
    const call = () =>
      authorize('workspaces.create', { workspace: {} }, session('support'), { environment: 'dev', justifications: new JustificationStore() });
    expect(call).toThrow(AppError);
    expect(call).toThrow(expect.objectContaining({ code: 'forbidden', message: expect.stringContaining('Support is read-only') }));
  });

  it('throws forbidden when support reads a tenant other than the one open', () => {
    const store = storeWith('support', { otherTenant: true });
    const call = () => authorize('cases.get', { workspaceId: 'w', tenantId: 't1', caseId: 'c' }, session('support'), { environment: 'prod', justifications: store });
    expect(call).toThrow(expect.objectContaining({ code: 'forbidden' }));
  });

  it('names the reason that would lift a refusal in its details, and none where no reason helps', () => {
    const refusal = (method: string, args: Record<string, unknown>, role: Role, environment: Environment, given: Given = {}): unknown => {
      try {
        authorize(method, args, session(role), { environment, justifications: storeWith(role, given) });
      } catch (error) {
        return AppError.is(error) ? error.details : error;
      }
      return 'allowed';
    };
    expect(refusal('cases.get', { workspaceId: 'w', tenantId: 't1', caseId: 'c' }, 'support', 'prod', { otherTenant: true })).toMatchObject({
      reasonNeeded: { scope: 'tenant', workspaceId: 'w', tenantId: 't1' },
    });
    expect(refusal('access.justify', { scope: 'unmask', workspaceId: 'w', tenantId: 't1', field: 'postgres:users#email', reason: REASON.reason }, 'support', 'dev')).not.toHaveProperty('reasonNeeded');
    expect(refusal('workspaces.create', { workspace: {} }, 'support', 'dev')).not.toHaveProperty('reasonNeeded');
    const decisions = [
      decide('x', FIELD, session('platform_admin'), { environment: 'dev', justifications: storeWith('platform_admin', { tenant: true }) }),
      decideForClass('write', 'x', ONE, session('dba'), { environment: 'prod', justifications: storeWith('dba', { tenant: true }) }),
      decideForClass('write', 'x', ALL, session('platform_admin'), { environment: 'dev', justifications: storeWith('platform_admin', {}) }),
      decideForClass('unmask', 'x', FIELD, session('platform_admin'), { environment: 'dev', justifications: storeWith('platform_admin', { tenant: true }) }),
    ];
    expect(decisions.map((d) => (d.allowed ? 'allowed' : d.reasonNeeded?.scope ?? 'none'))).toEqual(['none', 'prod-unlock', 'cross-tenant', 'unmask']);
  });

  it('lets support read the tenant it opened', () => {
    const store = storeWith('support', { tenant: true });
    const decision = authorize('cases.get', { workspaceId: 'w', tenantId: 't1', caseId: 'c' }, session('support'), { environment: 'prod', justifications: store });
    expect(decision).toMatchObject({ allowed: true, audited: true, tenantIds: ['t1'] });
  });
});

describe('targetOf', () => {
  it('reads the workspace, tenants and field from the contract’s argument conventions', () => {
    expect(targetOf('cases.get', { workspaceId: 'w', tenantId: 't1' })).toEqual({ workspaceId: 'w', tenants: ['t1'] });
    expect(targetOf('workbench.run', { workspaceId: 'w', tenantIds: ['a', 'b'] })).toEqual({ workspaceId: 'w', tenants: ['a', 'b'] });
    expect(targetOf('workbench.run', { workspaceId: 'w', allTenants: true, tenantId: 'x' })).toEqual({ workspaceId: 'w', tenants: 'all' });
    expect(targetOf('workspaces.update', { id: 'w' })).toEqual({ workspaceId: 'w' });
    expect(targetOf('access.unmask', { workspaceId: 'w', tenantId: 't', field: 'f' })).toEqual({ workspaceId: 'w', tenants: ['t'], field: 'f' });
    expect(targetOf('system.ping', undefined)).toEqual({});
  });
});
