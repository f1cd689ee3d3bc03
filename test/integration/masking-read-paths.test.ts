import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { contract } from '@shared/contract';
import { MASK } from '@shared/masking';
import type { AuditEntry } from '@shared/model/audit';
import type { Role, Session } from '@shared/model/session';
import { PostgresEndpoint, RedisEndpoint, type WorkspaceView } from '@shared/model/workspace';
import { quoteIdent } from '@shared/sql/identifiers';
import { createConsole, type ConsoleCore } from '../../src/main/core/console';
import { seedDemoPlatform } from '../../src/main/demo/seed';
import { PostgresStore } from '../../src/main/stores/postgres/store';
import { RedisStore } from '../../src/main/stores/redis/store';
import { createScratchDatabase } from './tenants-fixtures';

/**
 * Every masked field stays masked for every role that should not see it, across every read path
 * that returns it; a platform admin sees one in clear only after an unmask with a reason, which
 * the journal records. Each row is a read path and one field it returns, read through the
 * console's router (policy, journal, masking) from a seeded Murima2025 platform in a real
 * PostgreSQL and Redis.
 */
const DATABASE = 'masking_paths_it';
/** A Redis database of its own: other suites flush theirs. */
const REDIS_DB = 12;

type Call = <T>(method: string, args: unknown) => Promise<T>;

interface ReadPath {
  /** What the row reads, as a test name. */
  name: string;
  /** The field as an unmask names it. */
  field: string;
  /** What the masked form shows, to tell it from a value merely changed: `••••` unless told. */
  maskedLike?: string;
  /** The value the store holds. */
  clear(): string;
  /** Reads the field through the router as the current operator. */
  read(call: Call): Promise<string | null | undefined>;
  /** Other masked fields the same read returns, with their stored values: an unmask must not reveal them. */
  siblings?(call: Call): Promise<Array<{ field: string; shown: string | null | undefined; stored: string }>>;
}

const OPERATORS: Record<Role, { name: string; email: string }> = {
  support: { name: 'Sam', email: 'sam@example.com' },
  dba: { name: 'Dana', email: 'dana@example.com' },
  platform_admin: { name: 'Ada', email: 'ada@example.com' },
};

describe('every masked field, on every read path, for every role', () => {
  let core: ConsoleCore;
  let dataDir: string;
  let db: { pool: pg.Pool; drop(): Promise<void> };
  let redis: Redis;
  let session: Session;
  let workspaceId: string;
  let tenant: string;
  let sessionKey: string;
  let sessionHash: Record<string, string>;
  let assigned: { caseId: string; email: string; userId: string };
  let configKey: string;
  /** Stored values the test writes itself, where the seed holds none of a kind. */
  const planted = {
    apiKey: 'sk_live_51Hq2mRkT8vXw3YbQ9aZp4Lc',
    emailChange: { old: 'kieran.old@example.org', new: 'kieran.lowe@example.net' },
    passwordChange: { old: '$2b$12$Q9p0f3kQ8a7c1m2n3b4v5uOe6r7t8y9u0i1o2p3a4s5d6f7g8h9j0', new: '$2b$12$Z1x2c3v4b5n6m7a8s9d0fuGh1j2k3l4q5w6e7r8t9y0u1i2o3p4a5' },
  };
  const auditIds = { caseEmail: '', userPassword: '' };
  /** Fields the admin has unmasked so far: each row adds its own. */
  const unmaskedByAdmin = new Set<string>();

  const call: Call = <T>(method: string, args: unknown): Promise<T> => core.router.invoke(method, args, session) as Promise<T>;
  const become = async (role: Role): Promise<void> => {
    await call('access.setOperator', { workspaceId, ...OPERATORS[role], role });
    // Support works in one tenant at a time, opened with a reason.
    if (role === 'support') await call('access.justify', { workspaceId, scope: 'tenant', tenantId: tenant, reason: 'SUP-90: customer cannot log in' });
  };
  const journal = async (): Promise<AuditEntry[]> =>
    (await readFile(core.auditLog.journalFile(workspaceId), 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line) as AuditEntry);

  /** The session as the key list gives it: its name masked for the caller, and the ref to open it by. */
  const listedSession = async (read: Call): Promise<{ key: string; keyRef: string }> => {
    const page = contract.tenants.keys.result.parse(await read('tenants.keys', { workspaceId, tenantId: tenant, family: 'session' }));
    expect(page.keys, 'the tenant keeps exactly the one session the rows read').toHaveLength(1);
    return page.keys[0]!;
  };
  const sessionValue = async (read: Call): Promise<Record<string, string>> => {
    const { keyRef } = await listedSession(read);
    const value = contract.tenants.keyValue.result.parse(await read('tenants.keyValue', { workspaceId, tenantId: tenant, keyRef }));
    if (value.type !== 'hash') throw new Error(`expected the session to be a hash, got ${value.type}`);
    return Object.fromEntries(value.fields);
  };
  const sessionSiblings = async (read: Call, except: string) =>
    Object.entries(await sessionValue(read))
      .filter(([name]) => `redis:session#${name}` !== except)
      .map(([name, shown]) => ({ field: `redis:session#${name}`, shown, stored: sessionHash[name] as string }));

  const sessionField = (field: string): ReadPath => ({
    name: `tenants.keyValue, session hash field ${field}`,
    field: `redis:session#${field}`,
    clear: () => sessionHash[field] as string,
    read: async (read) => (await sessionValue(read))[field],
    siblings: (read) => sessionSiblings(read, `redis:session#${field}`),
  });

  const sessionKeyName: ReadPath = {
    name: 'tenants.keys and tenants.keyValue, the session id in the session key’s name',
    field: 'redis:session#<key>',
    clear: () => sessionKey,
    read: async (read) => {
      const listed = await listedSession(read);
      // The value names its key as the list does, masked or not alike.
      const value = contract.tenants.keyValue.result.parse(await read('tenants.keyValue', { workspaceId, tenantId: tenant, keyRef: listed.keyRef }));
      expect(value.key).toBe(listed.key);
      return listed.key;
    },
    siblings: (read) => sessionSiblings(read, 'redis:session#<key>'),
  };

  const configField: ReadPath = {
    name: 'tenants.keyValue, a provider API key in a config hash',
    field: 'redis:config#api_key',
    clear: () => planted.apiKey,
    read: async (read) => {
      const value = contract.tenants.keyValue.result.parse(await read('tenants.keyValue', { workspaceId, tenantId: tenant, key: configKey }));
      if (value.type !== 'hash') throw new Error(`expected the config to be a hash, got ${value.type}`);
      return Object.fromEntries(value.fields).api_key;
    },
  };

  const caseDetail = async (read: Call) => contract.cases.get.result.parse(await read('cases.get', { workspaceId, tenantId: tenant, caseId: assigned.caseId }));
  const auditItemOfCase = async (read: Call) => {
    const item = (await caseDetail(read)).timeline.find((entry) => entry.key === `postgres:audit:${auditIds.caseEmail}`);
    if (!item) throw new Error('the case timeline has no item for the planted audit row');
    return item.detail as { changes: { email: { old: string; new: string } } };
  };
  const platformLogOfUser = async (read: Call) => {
    const { entries } = contract.audit.platformLogs.result.parse(await read('audit.platformLogs', { workspaceId, tenantId: tenant }));
    const entry = entries.find((candidate) => candidate.store === 'postgres' && candidate.record.id === auditIds.userPassword);
    if (!entry) throw new Error('the platform logs hold no entry for the planted audit row');
    return entry.record as { changes: { password_hash: { old: string; new: string } } };
  };

  const PATHS: ReadPath[] = [
    sessionKeyName,
    sessionField('username'),
    sessionField('user_id'),
    configField,
    {
      name: 'cases.get, the assignee’s e-mail',
      field: 'postgres:users#email',
      maskedLike: '***@',
      clear: () => assigned.email,
      read: async (read) => (await caseDetail(read)).assignee?.email,
    },
    {
      name: 'cases.get timeline, an e-mail change in the case’s audit trail',
      field: 'postgres:audit_logs#changes.email.new',
      maskedLike: '***@',
      clear: () => planted.emailChange.new,
      read: async (read) => (await auditItemOfCase(read)).changes.email.new,
      siblings: async (read) => [{ field: 'postgres:audit_logs#changes.email.old', shown: (await auditItemOfCase(read)).changes.email.old, stored: planted.emailChange.old }],
    },
    {
      name: 'audit.platformLogs, a password hash change in the tenant’s audit table',
      field: 'postgres:audit_logs#changes.password_hash.new',
      maskedLike: `$2b$12$${MASK}`,
      clear: () => planted.passwordChange.new,
      read: async (read) => (await platformLogOfUser(read)).changes.password_hash.new,
      siblings: async (read) => [
        { field: 'postgres:audit_logs#changes.password_hash.old', shown: (await platformLogOfUser(read)).changes.password_hash.old, stored: planted.passwordChange.old },
      ],
    },
  ];

  beforeAll(async () => {
    const postgres = inject('postgres');
    const redisServer = inject('redis');
    db = await createScratchDatabase(postgres.url, DATABASE);
    redis = new Redis({ host: redisServer.host, port: redisServer.port, password: redisServer.password, db: REDIS_DB });
    await redis.flushdb();
    const pgStore = new PostgresStore(PostgresEndpoint.parse({ host: postgres.host, port: postgres.port, database: DATABASE, username: postgres.user }), {
      password: postgres.password,
    });
    const redisStore = new RedisStore(RedisEndpoint.parse({ host: redisServer.host, port: redisServer.port, db: REDIS_DB }), { password: redisServer.password });
    try {
      await seedDemoPlatform({ postgres: pgStore, redis: redisStore }, { preset: 'murima2025', tenants: 1, seed: 'masking-paths-it', until: '2026-06' });
    } finally {
      await Promise.all([pgStore.close(), redisStore.close()]);
    }
    const [registered] = (await db.pool.query<{ id: string; schema: string }>('SELECT id::text AS id, schema_name AS schema FROM public.tenants')).rows;
    tenant = registered!.id;
    const schema = quoteIdent(registered!.schema);
    const [row] = (
      await db.pool.query<{ id: string; email: string; user_id: string }>(
        `SELECT c.id::text AS id, u.email, u.id::text AS user_id FROM ${schema}.cases c JOIN ${schema}.users u ON u.id = c.assigned_to WHERE u.email LIKE '%@%' ORDER BY c.id LIMIT 1`,
      )
    ).rows;
    assigned = { caseId: row!.id, email: row!.email, userId: row!.user_id };
    // The seed records status changes only: an e-mail change on the case and a password change of
    // its assignee are written here, as the platform's audit trigger would.
    const plant = async (entityType: string, entityId: string, changes: Record<string, { old: string; new: string }>): Promise<string> => {
      const client = await db.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query("SELECT set_config('app.current_tenant_id', $1, true)", [tenant]);
        const inserted = await client.query<{ id: string }>(
          `INSERT INTO ${schema}.audit_logs (tenant_id, entity_type, entity_id, action, user_id, changes) VALUES ($1, $2, $3, 'update', $4, $5) RETURNING id::text AS id`,
          [tenant, entityType, entityId, assigned.userId, JSON.stringify(changes)],
        );
        await client.query('COMMIT');
        return inserted.rows[0]!.id;
      } finally {
        client.release();
      }
    };
    auditIds.caseEmail = await plant('cases', assigned.caseId, { email: planted.emailChange });
    auditIds.userPassword = await plant('users', assigned.userId, { password_hash: planted.passwordChange });
    configKey = `${tenant}:config:payments`;
    await redis.hset(configKey, { provider: 'stripe', api_key: planted.apiKey });
    // One session is kept, so the one row the key list gives (its name masked) is the one read here.
    const [key, ...others] = await redis.keys(`${tenant}:session:*`);
    if (others.length > 0) await redis.del(...others);
    sessionKey = key!;
    sessionHash = await redis.hgetall(sessionKey);

    dataDir = await mkdtemp(join(tmpdir(), 'tenantscope-masking-'));
    core = await createConsole({ dataDir, mode: 'web', version: 'test' });
    session = core.newSession('renderer-1');
    const created = await call<WorkspaceView>('workspaces.create', {
      workspace: {
        name: 'Masking test',
        environment: 'dev',
        preset: 'murima2025',
        endpoints: {
          postgres: { host: postgres.host, port: postgres.port, database: DATABASE, username: postgres.user, password: postgres.password },
          redis: { host: redisServer.host, port: redisServer.port, db: REDIS_DB, password: redisServer.password },
        },
      },
    });
    workspaceId = created.id;
  }, 240_000);

  afterAll(async () => {
    await core?.close();
    await redis?.flushdb();
    redis?.disconnect();
    await db?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('seeds what the rows read: a session hash in Redis and an assignee with an e-mail', () => {
    expect(sessionKey).toMatch(new RegExp(`^${tenant}:session:`));
    for (const path of PATHS) expect(path.clear(), path.name).toMatch(/\S{3,}/);
  });

  describe.each(['support', 'dba'] as const)('%s', (role) => {
    it.each(PATHS.map((path) => [path.name, path] as const))('sees %s masked and is refused the unmask, which is journaled', async (_name, path) => {
      await become(role);
      const before = await path.read(call);
      expect(before).not.toBe(path.clear());
      expect(before).toContain(path.maskedLike ?? MASK);
      await expect(
        call('access.justify', { workspaceId, scope: 'unmask', tenantId: tenant, field: path.field, reason: 'I would like to see this value' }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      expect(await path.read(call)).toBe(before);

      const refusal = (await journal()).filter((e) => e.action === 'access.justify.unmask' && e.operator.name === OPERATORS[role].name).at(-1);
      expect(refusal).toMatchObject({ outcome: 'refused', role, tenantIds: [tenant] });
      expect(refusal?.target).toContain(path.field);
    });
  });

  describe('platform_admin', () => {
    it.each(PATHS.map((path) => [path.name, path] as const))(
      'sees %s masked, then in clear after an unmask with a reason, while the other fields stay masked',
      async (_name, path) => {
        await become('platform_admin');
        expect(await path.read(call)).not.toBe(path.clear());
        const reason = `SUP-91: confirm ${path.field} for the customer`;
        await call('access.justify', { workspaceId, scope: 'unmask', tenantId: tenant, field: path.field, reason });
        unmaskedByAdmin.add(path.field);
        expect(await path.read(call)).toBe(path.clear());
        const siblings = ((await path.siblings?.(call)) ?? []).filter((sibling) => !unmaskedByAdmin.has(sibling.field));
        for (const sibling of siblings) expect(sibling.shown, sibling.field).not.toBe(sibling.stored);

        const unmask = (await journal()).filter((e) => e.action === 'access.justify.unmask' && e.outcome === 'allowed').at(-1);
        expect(unmask).toMatchObject({ operator: { name: 'Ada' }, role: 'platform_admin', tenantIds: [tenant], justification: { reason } });
        expect(unmask?.target).toContain(path.field);

        // The admin's unmask is theirs alone: support, reading the same path afterwards, still sees it masked.
        await become('support');
        expect(await path.read(call)).not.toBe(path.clear());
      },
    );
  });

  it('masks the session id of a key under no known tenant in the namespace map’s sample, for every role', async () => {
    const orphanId = 'c4ca4238a0b923820dcc509a6f75849b';
    await redis.hset(`legacy:session:${orphanId}`, { user_id: 'u-1' });
    try {
      for (const role of ['support', 'dba', 'platform_admin'] as const) {
        await become(role);
        const map = contract.tenants.namespaceMap.result.parse(await call('tenants.namespaceMap', { workspaceId, refresh: true }));
        expect(map.orphans.sample).toContain(`legacy:session:${MASK}`);
        expect(JSON.stringify(map)).not.toContain(orphanId);
      }
    } finally {
      await redis.del(`legacy:session:${orphanId}`);
    }
  });

  it('journals every Redis value read, with its outcome', async () => {
    const reads = (await journal()).filter((e) => e.action === 'tenants.keyValue');
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((e) => e.outcome === 'allowed' && e.tenantIds.includes(tenant))).toBe(true);
    expect(new Set(reads.map((e) => e.role))).toEqual(new Set(['support', 'dba', 'platform_admin']));
  });
});
