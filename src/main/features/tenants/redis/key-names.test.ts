import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { MASK } from '@shared/masking';
import type { Role, Session } from '@shared/model/session';
import { murima2025 } from '@shared/tenancy';
import { JustificationStore } from '../../../security/policy/justifications';
import type { RedisCommand, RedisReader, RedisReply } from '../../../stores/redis/pipe';
import { redisReadsOver } from '../../../stores/redis/reads';
import { KeyRefs } from './key-ref';
import { createTenantsService, type TenantsCallContext } from '../service';

const TENANT = '4b0f6c1e-2d7a-4c38-9a51-0e6f1d2c3b4a';
const OTHER = '9d3e2a10-5b6c-4f7d-8e9a-1b2c3d4e5f60';
const SESSION_ID = '8f14e45fceea167a5a36dedd4bea2543';
const SESSION = `${TENANT}:session:${SESSION_ID}`;
const CASE = `${TENANT}:case:c-41`;
const THEIR_SESSION = `${OTHER}:session:c9f0f895fb98ab9159f51fd0297e236d`;
const HASHES: Record<string, Record<string, string>> = {
  [SESSION]: { user_id: 'u-7781', ip: '203.0.113.9' },
  [CASE]: { title: 'Printer on fire', status: 'open' },
  [THEIR_SESSION]: { user_id: 'u-9' },
};

/** The glob of SCAN MATCH as a RegExp: `*`, and `\x` for a literal. */
function globRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '\\') source += (glob[++i] as string).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else if (c === '*') source += '[\\s\\S]*';
    else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** A few hashes, answered the way Redis answers the key browser's commands; every SCAN is one full page. */
function hashes(): RedisReader & ReturnType<typeof redisReadsOver> & { commands: RedisCommand[] } {
  const commands: RedisCommand[] = [];
  const answer = (command: RedisCommand): unknown => {
    commands.push(command);
    const [name, target] = command;
    const hash = typeof target === 'string' ? HASHES[target] : undefined;
    switch (name) {
      case 'SCAN':
        return ['0', Object.keys(HASHES).filter((key) => globRegExp(String(command[3])).test(key))];
      case 'TYPE':
        return hash ? 'hash' : 'none';
      case 'PTTL':
        return hash ? 60_000 : -2;
      case 'HLEN':
        return Object.keys(hash ?? {}).length;
      case 'HGETALL':
        return Object.entries(hash ?? {}).flat();
      default:
        throw new Error(`unexpected ${name}`);
    }
  };
  const reader: RedisReader = { pipeline: async (batch) => batch.map((command): RedisReply => [null, answer(command)]) };
  return { commands, ...reader, ...redisReadsOver(reader) };
}

const person = (role: Role): Pick<Session, 'operator' | 'role'> => ({ operator: { name: role, email: `${role}@example.com` }, role });
const as = (session?: Pick<Session, 'operator' | 'role'>): TenantsCallContext => ({
  signal: new AbortController().signal,
  emit: () => undefined,
  ...(session && { session }),
});

async function refused(call: Promise<unknown>, code: 'invalid_argument' | 'forbidden'): Promise<AppError> {
  const error = await call.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(AppError.is(error, code), String(error)).toBe(true);
  return error as AppError;
}

describe('Redis key names in the key browser', () => {
  const setup = () => {
    const justifications = new JustificationStore();
    const redis = hashes();
    const service = createTenantsService({
      openStores: async () => ({ preset: murima2025, redis }),
      unmaskedPaths: justifications.unmaskedPaths.bind(justifications),
    });
    const list = async (session?: Pick<Session, 'operator' | 'role'>, family?: string) =>
      (await service.keys({ workspaceId: 'w', tenantId: TENANT, cursor: '0', pageSize: 100, ...(family && { family }) }, as(session))).keys;
    return { justifications, redis, service, list };
  };

  it('lists a session key with its id masked, for every role and without a session', async () => {
    const { list } = setup();
    for (const session of [person('support'), person('dba'), person('platform_admin'), undefined]) {
      const keys = await list(session);
      expect(keys.map((k) => [k.key, k.family])).toEqual([
        [`${TENANT}:session:${MASK}`, 'session'],
        [CASE, 'case'],
      ]);
      expect(JSON.stringify(keys)).not.toContain(SESSION_ID);
      expect(JSON.stringify(keys)).not.toContain(SESSION_ID.slice(0, 8));
    }
  });

  it('matches the family on the real names: the session family still finds the session key', async () => {
    const { list, redis } = setup();
    const keys = await list(person('support'), 'session');
    expect(keys.map((k) => k.family)).toEqual(['session']);
    expect(redis.commands.find(([name]) => name === 'SCAN')?.[3]).toBe(`${TENANT}:session:*`);
  });

  it('opens the session by the ref the list gave, with its name masked in the answer', async () => {
    const { list, service } = setup();
    const [session] = await list(person('support'), 'session');
    const value = await service.keyValue({ workspaceId: 'w', tenantId: TENANT, keyRef: session!.keyRef, limit: 10 }, as(person('support')));
    expect(value).toMatchObject({ type: 'hash', key: `${TENANT}:session:${MASK}`, length: 2 });
    expect(JSON.stringify(value)).not.toContain(SESSION_ID);
  });

  it('refuses to open a session key by its name, and says how to open it', async () => {
    const { service } = setup();
    const error = await refused(service.keyValue({ workspaceId: 'w', tenantId: TENANT, key: SESSION, limit: 10 }, as(person('platform_admin'))), 'invalid_argument');
    expect(error.message).toMatch(/keyRef/);
    expect(error.message).not.toContain(SESSION_ID);
  });

  it('still opens a key whose name is no credential by its name, or by its ref', async () => {
    const { list, service } = setup();
    const byName = await service.keyValue({ workspaceId: 'w', tenantId: TENANT, key: CASE, limit: 10 }, as(person('support')));
    expect(byName).toMatchObject({ type: 'hash', key: CASE, fields: [['title', 'Printer on fire'], ['status', 'open']] });
    const [listed] = await list(person('support'), 'case');
    expect(await service.keyValue({ workspaceId: 'w', tenantId: TENANT, keyRef: listed!.keyRef, limit: 10 }, as(person('support')))).toEqual(byName);
  });

  it('refuses a tampered ref, a ref of another workspace and one of another console', async () => {
    const { list, service } = setup();
    const [session] = await list(person('platform_admin'), 'session');
    const ref = session!.keyRef;
    const tampered = `${ref.slice(0, -2)}${ref.endsWith('AA') ? 'BB' : 'AA'}`;
    const read = (workspaceId: string, keyRef: string) => service.keyValue({ workspaceId, tenantId: TENANT, keyRef, limit: 10 }, as(person('platform_admin')));
    await refused(read('w', tampered), 'invalid_argument');
    await refused(read('w2', ref), 'invalid_argument');
    await refused(read('w', new KeyRefs().seal('w', SESSION)), 'invalid_argument');
  });

  it('refuses a genuine ref to another tenant’s key, as for a name outside the prefix, without naming it', async () => {
    const refs = new KeyRefs();
    const service = createTenantsService({ openStores: async () => ({ preset: murima2025, redis: hashes() }), keyRefs: refs });
    const error = await refused(
      service.keyValue({ workspaceId: 'w', tenantId: TENANT, keyRef: refs.seal('w', THEIR_SESSION), limit: 10 }, as(person('platform_admin'))),
      'forbidden',
    );
    expect(error.message).not.toContain('c9f0f895');
  });

  it('shows a platform admin the names in clear after an unmask of redis:session#<key> in this tenant, and no one else', async () => {
    const { justifications, list, service } = setup();
    const admin = person('platform_admin');
    justifications.grant(admin, { kind: 'unmask', workspaceId: 'w', tenantId: OTHER, field: 'redis:session#<key>' }, { reason: 'another tenant’s incident' });
    expect((await list(admin, 'session'))[0]?.key).toBe(`${TENANT}:session:${MASK}`);

    justifications.grant(admin, { kind: 'unmask', workspaceId: 'w', tenantId: TENANT, field: 'redis:session#<key>' }, { reason: 'customer reports a hijacked session' });
    const [session] = await list(admin, 'session');
    expect(session?.key).toBe(SESSION);
    const value = await service.keyValue({ workspaceId: 'w', tenantId: TENANT, keyRef: session!.keyRef, limit: 10 }, as(admin));
    // The name is in clear; the fields were not unmasked and stay masked.
    expect(value).toMatchObject({ key: SESSION, fields: [['user_id', MASK], ['ip', MASK]] });

    for (const other of [person('support'), person('dba'), undefined]) expect((await list(other, 'session'))[0]?.key).toBe(`${TENANT}:session:${MASK}`);
  });
});
