import { describe, expect, it } from 'vitest';
import { MASK } from '@shared/masking';
import type { KeyValue } from '@shared/model/tenant';
import type { Session } from '@shared/model/session';
import { murima2025 } from '@shared/tenancy';
import { JustificationStore } from '../../../security/policy/justifications';
import type { RedisCommand, RedisReply } from '../../../stores/redis/pipe';
import { redisReadsOver, type RedisWalks } from '../../../stores/redis/reads';
import { KeyRefs } from './key-ref';
import { createTenantsService, type TenantsCallContext } from '../service';

const TENANT = '4b0f6c1e-2d7a-4c38-9a51-0e6f1d2c3b4a';
const OTHER = '9d3e2a10-5b6c-4f7d-8e9a-1b2c3d4e5f60';
const KEY = `${TENANT}:session:8f14e45fceea167a5a36dedd4bea2543`;
const STORED: Record<string, string> = { user_id: 'u-7781', ip: '203.0.113.9', last_activity: '2026-11-01T10:00:00Z' };

/** One session hash, answered the way Redis answers the key browser's read commands. */
function oneSessionHash(key: string, hash: Record<string, string>): RedisWalks {
  const answer = ([name, target]: RedisCommand): unknown => {
    if (target !== key) return name === 'TYPE' ? 'none' : -2;
    switch (name) {
      case 'TYPE':
        return 'hash';
      case 'PTTL':
        return 86_400_000;
      case 'HLEN':
        return Object.keys(hash).length;
      case 'HGETALL':
        return Object.entries(hash).flat();
      default:
        throw new Error(`unexpected ${name}`);
    }
  };
  return redisReadsOver({ pipeline: async (commands) => commands.map((command): RedisReply => [null, answer(command)]) });
}

const admin: Pick<Session, 'operator' | 'role'> = { operator: { name: 'Ada', email: 'ada@example.com' }, role: 'platform_admin' };
const support: Pick<Session, 'operator' | 'role'> = { operator: { name: 'Sam', email: 'sam@example.com' }, role: 'support' };
const as = (session?: Pick<Session, 'operator' | 'role'>): TenantsCallContext => ({
  signal: new AbortController().signal,
  emit: () => undefined,
  ...(session && { session }),
});
const fieldsOf = (value: KeyValue): Record<string, string> => {
  if (value.type !== 'hash') throw new Error(`expected a hash, got ${value.type}`);
  return Object.fromEntries(value.fields);
};

describe('tenants.keyValue with unmasked fields', () => {
  const justifications = new JustificationStore();
  const keyRefs = new KeyRefs();
  const service = createTenantsService({
    openStores: async () => ({ preset: murima2025, redis: oneSessionHash(KEY, STORED) }),
    unmaskedPaths: justifications.unmaskedPaths.bind(justifications),
    keyRefs,
  });
  const read = (session?: Pick<Session, 'operator' | 'role'>) =>
    service.keyValue({ workspaceId: 'w', tenantId: TENANT, keyRef: keyRefs.seal('w', KEY), limit: 100 }, as(session));

  it('masks every field of a session hash while nothing is unmasked', async () => {
    for (const session of [admin, support, undefined]) {
      expect(fieldsOf(await read(session))).toEqual({ user_id: MASK, ip: MASK, last_activity: MASK });
    }
  });

  it('shows a platform admin the one field they unmasked in this tenant, and only that one', async () => {
    justifications.grant(admin, { kind: 'unmask', workspaceId: 'w', tenantId: TENANT, field: 'redis:session#ip' }, { reason: 'customer reports a login from abroad' });
    expect(fieldsOf(await read(admin))).toEqual({ user_id: MASK, ip: '203.0.113.9', last_activity: MASK });
    // Another operator, or no session at all, still sees it masked.
    expect(fieldsOf(await read(support)).ip).toBe(MASK);
    expect(fieldsOf(await read()).ip).toBe(MASK);
  });

  it('does not carry an unmask over to another tenant or another key family', async () => {
    justifications.grant(admin, { kind: 'unmask', workspaceId: 'w', tenantId: OTHER, field: 'redis:session#user_id' }, { reason: 'customer reports a login from abroad' });
    justifications.grant(admin, { kind: 'unmask', workspaceId: 'w', tenantId: TENANT, field: 'redis:case#user_id' }, { reason: 'customer reports a login from abroad' });
    expect(fieldsOf(await read(admin)).user_id).toBe(MASK);
  });
});
