import { describe, expect, it } from 'vitest';
import { mayJustify } from '@shared/access';
import { AppError } from '@shared/errors';
import type { Role } from '@shared/model/session';
import { DEFAULT_JUSTIFICATION_TTL_MS, JustificationStore } from './justifications';

const person = (role: Role, name = 'Pat') => ({ operator: { name, email: `${name.toLowerCase()}@example.com` }, role });
const reason = { reason: 'ticket 1234: customer cannot see invoices' };

function clock(start = Date.parse('2026-05-01T09:00:00Z')) {
  const state = { now: start };
  return { now: () => state.now, advance: (ms: number) => (state.now += ms) };
}

describe('JustificationStore', () => {
  it('holds a reason for 30 minutes by default, then forgets it', () => {
    const time = clock();
    const store = new JustificationStore(time.now);
    const scope = { kind: 'tenant', workspaceId: 'prod', tenantId: 't1' } as const;
    const granted = store.grant(person('support'), scope, reason);
    expect(granted.expiresAt - granted.grantedAt).toBe(DEFAULT_JUSTIFICATION_TTL_MS);
    time.advance(DEFAULT_JUSTIFICATION_TTL_MS - 1);
    expect(store.find(person('support'), scope)?.id).toBe(granted.id);
    time.advance(1);
    expect(store.find(person('support'), scope)).toBeUndefined();
  });

  it('takes a shorter or longer validity when asked, within 8 hours', () => {
    const time = clock();
    const store = new JustificationStore(time.now);
    const granted = store.grant(person('dba'), { kind: 'prod-unlock', workspaceId: 'prod' }, { ...reason, ttlMinutes: 5 });
    expect(granted.expiresAt - granted.grantedAt).toBe(5 * 60_000);
    expect(() => store.grant(person('dba'), { kind: 'prod-unlock', workspaceId: 'prod' }, { ...reason, ttlMinutes: 481 })).toThrow(AppError);
  });

  it.each([
    ['too short', { reason: 'because' }],
    ['blank padded', { reason: '   short   ' }],
    ['a ticket with spaces', { reason: 'a long enough reason', ticket: 'SUP 12' }],
  ])('refuses a reason that is %s', (_label, input) => {
    const store = new JustificationStore();
    const grant = () => store.grant(person('support'), { kind: 'tenant', workspaceId: 'w', tenantId: 't' }, input);
    expect(grant).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });

  it('keeps a ticket id beside the reason', () => {
    const store = new JustificationStore();
    const granted = store.grant(person('support'), { kind: 'tenant', workspaceId: 'w', tenantId: 't' }, { ...reason, ticket: 'SUP-1234' });
    expect(granted).toMatchObject({ reason: reason.reason, ticket: 'SUP-1234' });
  });

  it('covers only its own scope: another tenant, another field, another workspace or another person is not covered', () => {
    const store = new JustificationStore();
    store.grant(person('platform_admin'), { kind: 'unmask', workspaceId: 'w', tenantId: 't1', field: 'postgres:users#password_hash' }, reason);
    const find = (who: ReturnType<typeof person>, workspaceId: string, tenantId: string, field: string) =>
      store.find(who, { kind: 'unmask', workspaceId, tenantId, field });
    expect(find(person('platform_admin'), 'w', 't1', 'postgres:users#password_hash')).toBeDefined();
    expect(find(person('platform_admin'), 'w', 't2', 'postgres:users#password_hash')).toBeUndefined();
    expect(find(person('platform_admin'), 'w', 't1', 'postgres:users#email')).toBeUndefined();
    expect(find(person('platform_admin'), 'w2', 't1', 'postgres:users#password_hash')).toBeUndefined();
    expect(find(person('platform_admin', 'Kim'), 'w', 't1', 'postgres:users#password_hash')).toBeUndefined();
  });

  it('lets support have one tenant open per workspace: opening another closes the first', () => {
    const store = new JustificationStore();
    const support = person('support');
    store.grant(support, { kind: 'tenant', workspaceId: 'w', tenantId: 't1' }, reason);
    store.grant(support, { kind: 'tenant', workspaceId: 'other', tenantId: 'x' }, reason);
    store.grant(support, { kind: 'tenant', workspaceId: 'w', tenantId: 't2' }, reason);
    expect(store.find(support, { kind: 'tenant', workspaceId: 'w', tenantId: 't1' })).toBeUndefined();
    expect(store.openTenant(support, 'w')).toBe('t2');
    expect(store.openTenant(support, 'other')).toBe('x');
  });

  it('lets a platform admin hold several tenants open', () => {
    const store = new JustificationStore();
    const admin = person('platform_admin');
    store.grant(admin, { kind: 'tenant', workspaceId: 'w', tenantId: 't1' }, reason);
    store.grant(admin, { kind: 'tenant', workspaceId: 'w', tenantId: 't2' }, reason);
    expect(store.active(admin)).toHaveLength(2);
  });

  it.each([
    ['support', 'cross-tenant'],
    ['support', 'unmask'],
    ['support', 'prod-unlock'],
    ['dba', 'unmask'],
  ] as const)('refuses a %s reason for %s as forbidden', (role, kind) => {
    expect(mayJustify(role, kind)).toBe(false);
    const store = new JustificationStore();
    const scope =
      kind === 'unmask'
        ? ({ kind, workspaceId: 'w', tenantId: 't', field: 'f' } as const)
        : ({ kind, workspaceId: 'w' } as const);
    expect(() => store.grant(person(role), scope, reason)).toThrow(expect.objectContaining({ code: 'forbidden' }));
  });

  it('revokes a reason by id', () => {
    const store = new JustificationStore();
    const granted = store.grant(person('dba'), { kind: 'cross-tenant', workspaceId: 'w' }, reason);
    expect(store.revoke(person('dba'), granted.id)).toBe(true);
    expect(store.find(person('dba'), { kind: 'cross-tenant', workspaceId: 'w' })).toBeUndefined();
  });

  it('lists the unmasked paths of one record family for one tenant, while their reasons hold', () => {
    const time = clock();
    const store = new JustificationStore(time.now);
    const admin = person('platform_admin');
    store.grant(admin, { kind: 'unmask', workspaceId: 'w', tenantId: 't1', field: 'postgres:users#password_hash' }, reason);
    store.grant(admin, { kind: 'unmask', workspaceId: 'w', tenantId: 't1', field: 'postgres:users_archive#email' }, reason);
    store.grant(admin, { kind: 'unmask', workspaceId: 'w', tenantId: 't2', field: 'postgres:users#email' }, { ...reason, ttlMinutes: 60 });
    expect(store.unmaskedPaths(admin, 'w', 't1', 'postgres:users')).toEqual(['password_hash']);
    expect(store.unmaskedPaths(admin, 'w', 't2', 'postgres:users')).toEqual(['email']);
    time.advance(DEFAULT_JUSTIFICATION_TTL_MS);
    expect(store.unmaskedPaths(admin, 'w', 't1', 'postgres:users')).toEqual([]);
    expect(store.unmaskedPaths(admin, 'w', 't2', 'postgres:users')).toEqual(['email']);
  });
});
