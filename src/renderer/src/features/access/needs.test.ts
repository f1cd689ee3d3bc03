import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { fieldLabel, justifyArgs, mayGiveReason, needKey, needOfRefusal } from './needs';

const needing = (reasonNeeded: unknown, message = 'Open tenant acme with a reason first') => new AppError('forbidden', message, { method: 'cases.get', reasonNeeded });

describe('needOfRefusal', () => {
  it('takes the reason a refusal waits for from the refusal itself', () => {
    for (const need of [
      { scope: 'tenant', workspaceId: 'w', tenantId: 'acme' },
      { scope: 'cross-tenant', workspaceId: 'w' },
      { scope: 'unmask', workspaceId: 'w', tenantId: 'acme', field: 'postgres:users#email' },
      { scope: 'prod-unlock', workspaceId: 'w' },
    ]) {
      expect(needOfRefusal(needing(need), { workspaceId: 'other', tenantId: 'other' })).toEqual(need);
    }
  });

  it('asks for a prod unlock when a data service refuses a write as read-only', () => {
    expect(needOfRefusal(new AppError('read_only', 'prod opens read-only'), { workspaceId: 'w', tenantId: 'acme' })).toEqual({ scope: 'prod-unlock', workspaceId: 'w' });
    expect(needOfRefusal(new AppError('read_only', 'prod opens read-only'), {})).toBeNull();
  });

  it('finds none where no reason would help', () => {
    expect(needOfRefusal(new AppError('forbidden', 'A support operator may not change data (cases.update). Support is read-only.', { method: 'cases.update' }), { workspaceId: 'w', tenantId: 'a' })).toBeNull();
    expect(needOfRefusal(new AppError('forbidden', 'Open tenant acme with a reason first'), { workspaceId: 'w', tenantId: 'acme' })).toBeNull();
    expect(needOfRefusal(needing({ scope: 'unmask', workspaceId: 'w', tenantId: 'acme' }), { workspaceId: 'w' })).toBeNull();
    expect(needOfRefusal(needing({ scope: 'sudo', workspaceId: 'w' }), { workspaceId: 'w' })).toBeNull();
    expect(needOfRefusal(new AppError('not_found', 'no tenant'), { workspaceId: 'w', tenantId: 'a' })).toBeNull();
    expect(needOfRefusal(new Error('forbidden'), { workspaceId: 'w', tenantId: 'a' })).toBeNull();
  });
});

describe('reasons', () => {
  it('follow the roles: support opens tenants only, DBAs never unmask, admins give every reason', () => {
    expect(mayGiveReason('support', 'tenant')).toBe(true);
    expect(mayGiveReason('support', 'unmask')).toBe(false);
    expect(mayGiveReason('support', 'prod-unlock')).toBe(false);
    expect(mayGiveReason('dba', 'prod-unlock')).toBe(true);
    expect(mayGiveReason('dba', 'unmask')).toBe(false);
    expect(mayGiveReason('platform_admin', 'unmask')).toBe(true);
  });

  it('become the access.justify call, and the same scope has the same key', () => {
    expect(justifyArgs({ scope: 'unmask', workspaceId: 'w', tenantId: 'acme', field: 'postgres:users#password_hash' }, { reason: 'Breach check', ticket: 'SEC-1' })).toEqual({
      workspaceId: 'w',
      scope: 'unmask',
      tenantId: 'acme',
      field: 'postgres:users#password_hash',
      reason: 'Breach check',
      ticket: 'SEC-1',
    });
    expect(justifyArgs({ scope: 'prod-unlock', workspaceId: 'w' }, { reason: 'Reindex now', minutes: 60 })).toEqual({
      workspaceId: 'w',
      scope: 'prod-unlock',
      reason: 'Reindex now',
      minutes: 60,
    });
    expect(needKey({ scope: 'tenant', workspaceId: 'w', tenantId: 'a' })).toBe(needKey({ scope: 'tenant', workspaceId: 'w', tenantId: 'a' }));
    expect(needKey({ scope: 'tenant', workspaceId: 'w', tenantId: 'a' })).not.toBe(needKey({ scope: 'tenant', workspaceId: 'w', tenantId: 'b' }));
    expect(fieldLabel('postgres:users#password_hash')).toBe('users.password_hash');
  });
});
