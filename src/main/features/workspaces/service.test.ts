import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import type { ConnectionCheck, StoreKind, WorkspaceInput } from '@shared/model/workspace';
import { WorkspaceInput as WorkspaceInputSchema, WorkspaceView } from '@shared/model/workspace';
import type { CallContext } from '../../services/section';
import { createKeyFileCipher, createPassphraseVault, createVault, SECRETS_FILE_NAME, type Vault } from '../../security/vault';
import { useTempDirs } from '../../security/vault/test-support';
import { createWorkspaceRepository, type WorkspaceRepository } from './repository';
import { createWorkspacesService, type ProbeEndpoint } from './service';

const context: CallContext = {
  signal: new AbortController().signal,
  session: { connectionId: 'test', operator: { name: 'tester' }, role: 'platform_admin' },
  emit: () => undefined,
};

/** What the router would hand the service: the editor's input parsed by the contract schema. */
const input = (overrides: Partial<WorkspaceInput> = {}) =>
  WorkspaceInputSchema.parse({
    name: 'Murima prod',
    environment: 'prod',
    preset: 'murima2025',
    endpoints: {
      postgres: { host: 'db.internal', database: 'murima', username: 'ops', password: 'pg-secret-1' },
      redis: { host: 'cache.internal', password: 'redis-secret-1' },
    },
    ...overrides,
  });

interface ProbeCall {
  kind: StoreKind;
  host: unknown;
  password?: string;
  timeoutMs: number;
}

async function setup(options: { vault?: (dir: string) => Promise<Vault> | Vault; repository?: (base: WorkspaceRepository) => WorkspaceRepository } = {}) {
  const dir = await tempDir();
  const vault = options.vault ? await options.vault(dir) : createVault(dir, await createKeyFileCipher(dir));
  const base = createWorkspaceRepository(dir);
  const probes: ProbeCall[] = [];
  const answers: Partial<Record<StoreKind, ConnectionCheck>> = {};
  const probe: ProbeEndpoint = async (kind, endpoint, credentials, probeOptions) => {
    probes.push({ kind, host: 'host' in endpoint ? endpoint.host : undefined, password: credentials.password, timeoutMs: probeOptions.timeoutMs });
    return answers[kind] ?? { ok: true, serverVersion: `${kind} 1.0`, latencyMs: 3 };
  };
  const changes: string[] = [];
  const service = createWorkspacesService({
    repository: options.repository ? options.repository(base) : base,
    vault,
    probe,
    onChange: (id, change) => changes.push(`${change} ${id}`),
  });
  const files = async () => ({
    workspaces: await readFile(join(dir, 'workspaces.json'), 'utf8').catch(() => undefined),
    secrets: await readFile(join(dir, SECRETS_FILE_NAME), 'utf8').catch(() => undefined),
  });
  return { dir, vault, service, probes, answers, changes, files };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`, { cause: error });
  return error;
}

const tempDir = useTempDirs();

describe('workspaces service: create and read', () => {
  it('keeps passwords out of workspaces.json, stores only ciphertexts and shows hasPassword', async () => {
    const { service, files, changes } = await setup();
    const created = await service.create({ workspace: input() }, context);
    expect(WorkspaceView.parse(created)).toEqual(created);
    expect(created.id).toMatch(/^murima-prod-[0-9a-f]{6}$/);
    expect(created.endpoints.postgres).toMatchObject({ host: 'db.internal', hasPassword: true });
    expect(created.endpoints.redis).toMatchObject({ hasPassword: true });
    expect(created.endpoints.postgres).not.toHaveProperty('password');
    const { workspaces, secrets } = await files();
    expect(workspaces).toContain('db.internal');
    expect(workspaces).not.toMatch(/secret-1|password/);
    expect(secrets).toContain(created.id);
    expect(secrets).not.toContain('secret-1');
    expect(changes).toEqual([`created ${created.id}`]);
  });

  it('lists and gets workspaces with hasPassword and no secret', async () => {
    const { service } = await setup();
    const created = await service.create(
      { workspace: input({ endpoints: { postgres: { host: 'h', database: 'd', username: 'u' } }, name: 'No password' }) },
      context,
    );
    const [listed] = await service.list({}, context);
    expect(listed?.endpoints.postgres?.hasPassword).toBe(false);
    await expect(service.get({ id: created.id }, context)).resolves.toEqual(created);
    expect(JSON.stringify(await service.list({}, context))).not.toContain('secret');
  });

  it('refuses a second workspace with the same name, whatever the case', async () => {
    const { service, files } = await setup();
    await service.create({ workspace: input() }, context);
    const before = await files();
    expect((await failure(service.create({ workspace: input({ name: 'MURIMA PROD' }) }, context))).code).toBe('conflict');
    expect(await files()).toEqual(before);
  });

  it('answers not_found for an unknown id', async () => {
    const { service } = await setup();
    expect((await failure(service.get({ id: 'nope-000000' }, context))).code).toBe('not_found');
  });
});

describe('workspaces service: update', () => {
  it('keeps the stored password when it is omitted', async () => {
    const { service, probes } = await setup();
    const { id } = await service.create({ workspace: input() }, context);
    const updated = await service.update(
      { id, workspace: input({ endpoints: { postgres: { host: 'db.internal', database: 'other', username: 'ops' } } }) },
      context,
    );
    expect(updated.endpoints.postgres).toMatchObject({ database: 'other', hasPassword: true });
    await service.testConnection({ workspaceId: id, target: { store: 'postgres', endpoint: { ...updated.endpoints.postgres!, password: undefined } } }, context);
    expect(probes.at(-1)?.password).toBe('pg-secret-1');
  });

  it('forgets the password on null and replaces it on a new value', async () => {
    const { service, probes } = await setup();
    const { id } = await service.create({ workspace: input() }, context);
    const updated = await service.update(
      {
        id,
        workspace: input({
          endpoints: {
            postgres: { host: 'db.internal', database: 'murima', username: 'ops', password: null },
            redis: { host: 'cache.internal', password: 'redis-secret-2' },
          },
        }),
      },
      context,
    );
    expect(updated.endpoints.postgres?.hasPassword).toBe(false);
    expect(updated.endpoints.redis?.hasPassword).toBe(true);
    await service.status({ id }, context);
    expect(probes.find((p) => p.kind === 'postgres')?.password).toBeUndefined();
    expect(probes.find((p) => p.kind === 'redis')?.password).toBe('redis-secret-2');
  });

  it('drops the secret of an endpoint that is removed', async () => {
    const { service, files } = await setup();
    const { id } = await service.create({ workspace: input() }, context);
    await service.update({ id, workspace: input({ endpoints: { redis: { host: 'cache.internal' } } }) }, context);
    const secrets = JSON.parse((await files()).secrets ?? '{}') as Record<string, Record<string, string>>;
    expect(Object.keys(secrets[id] ?? {})).toEqual(['redis']);
  });

  it('refuses to keep a password for an endpoint moved to another server, changing nothing', async () => {
    const { service, files } = await setup();
    const { id } = await service.create({ workspace: input() }, context);
    const before = await files();
    const error = await failure(
      service.update({ id, workspace: input({ endpoints: { postgres: { host: 'evil.example.com', database: 'murima', username: 'ops' } } }) }, context),
    );
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toMatch(/enter the password again/);
    expect(await files()).toEqual(before);
  });
});

describe('workspaces service: remove', () => {
  it('with a wrong confirmation changes nothing', async () => {
    const { service, files } = await setup();
    const { id } = await service.create({ workspace: input() }, context);
    const before = await files();
    const error = await failure(service.remove({ id, confirmName: 'Murima' }, context));
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toContain('Murima prod');
    expect(await files()).toEqual(before);
  });

  it('with the typed name removes the workspace and its secrets', async () => {
    const { service, files } = await setup();
    const keep = await service.create({ workspace: input({ name: 'Keep me' }) }, context);
    const { id } = await service.create({ workspace: input() }, context);
    await expect(service.remove({ id, confirmName: 'Murima prod' }, context)).resolves.toEqual({ removed: true });
    expect((await service.list({}, context)).map((w) => w.id)).toEqual([keep.id]);
    const { secrets } = await files();
    expect(secrets).not.toContain(id);
    expect(secrets).toContain(keep.id);
  });
});

describe('workspaces service: nothing half-saved', () => {
  const failingSave = (base: WorkspaceRepository): WorkspaceRepository => ({
    ...base,
    load: base.load,
    save: async () => {
      throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    },
  });

  it('rolls the secrets back when the workspace cannot be written on create', async () => {
    const { service, files } = await setup({ repository: failingSave });
    const error = await failure(service.create({ workspace: input() }, context));
    expect(error.code).toBe('internal');
    expect(error.message).toMatch(/ENOSPC.*nothing was changed/);
    const { secrets, workspaces } = await files();
    expect(workspaces).toBeUndefined();
    expect(JSON.parse(secrets ?? '{}')).toEqual({});
  });

  it('keeps the old password when an update cannot be written', async () => {
    let fail = false;
    const { service, files, probes } = await setup({
      repository: (base) => ({ ...base, save: async (list) => (fail ? failingSave(base).save(list) : base.save(list)) }),
    });
    const { id } = await service.create({ workspace: input() }, context);
    const before = await files();
    fail = true;
    await failure(
      service.update({ id, workspace: input({ endpoints: { postgres: { host: 'db.internal', database: 'murima', username: 'ops', password: 'pg-secret-2' } } }) }, context),
    );
    expect(await files()).toEqual(before);
    await service.status({ id }, context);
    expect(probes.find((p) => p.kind === 'postgres')?.password).toBe('pg-secret-1');
  });

  it('says plainly when even putting the old passwords back fails', async () => {
    let writes = 0;
    const { service } = await setup({
      repository: failingSave,
      vault: async (dir) => {
        const real = createVault(dir, await createKeyFileCipher(dir));
        return {
          ...real,
          write: async (secrets) => {
            writes += 1;
            if (writes > 1) throw Object.assign(new Error('read-only file system'), { code: 'EROFS' });
            return real.write(secrets);
          },
        };
      },
    });
    const error = await failure(service.create({ workspace: input() }, context));
    expect(error.code).toBe('internal');
    expect(error.message).toMatch(/ENOSPC.*EROFS.*enter the passwords/);
    expect(error.message).not.toMatch(/nothing was changed/);
  });

  it('writes nothing when the vault is locked and a password must be sealed', async () => {
    const { service, files } = await setup({ vault: (dir) => createPassphraseVault(dir, { cost: { N: 2 ** 12, r: 8, p: 1 } }) });
    expect((await failure(service.create({ workspace: input() }, context))).code).toBe('locked');
    expect(await files()).toEqual({ workspaces: undefined, secrets: undefined });
  });
});

describe('workspaces service: testConnection and status', () => {
  it('tests an unsaved endpoint with the given password and a 5 s budget', async () => {
    const { service, probes } = await setup();
    const check = await service.testConnection(
      { target: { store: 'redis', endpoint: { host: 'cache', port: 6379, db: 0, tls: { enabled: false, rejectUnauthorized: true }, poolSize: 5, password: 'typed' } } },
      context,
    );
    expect(check).toEqual({ ok: true, serverVersion: 'redis 1.0', latencyMs: 3 });
    expect(probes).toEqual([{ kind: 'redis', host: 'cache', password: 'typed', timeoutMs: 5000 }]);
  });

  it('never sends the stored password to another server', async () => {
    const { service, probes } = await setup();
    const created = await service.create({ workspace: input() }, context);
    const error = await failure(
      service.testConnection(
        { workspaceId: created.id, target: { store: 'postgres', endpoint: { ...created.endpoints.postgres!, host: 'evil.example.com' } } },
        context,
      ),
    );
    expect(error.code).toBe('invalid_argument');
    expect(probes).toEqual([]);
  });

  it('tests without a password when the form clears it', async () => {
    const { service, probes } = await setup();
    const created = await service.create({ workspace: input() }, context);
    await service.testConnection({ workspaceId: created.id, target: { store: 'postgres', endpoint: { ...created.endpoints.postgres!, password: null } } }, context);
    expect(probes[0]?.password).toBeUndefined();
  });

  it('reports each store: connected, down with the reason, not configured', async () => {
    const { service, answers } = await setup();
    const { id } = await service.create({ workspace: input() }, context);
    answers.redis = { ok: false, code: 'auth_failed', message: 'WRONGPASS invalid username-password pair' };
    const statuses = await service.status({ id }, context);
    expect(statuses.map(({ store, state }) => [store, state])).toEqual([
      ['postgres', 'connected'],
      ['mongo', 'not_configured'],
      ['redis', 'down'],
      ['elastic', 'not_configured'],
    ]);
    expect(statuses[0]).toMatchObject({ serverVersion: 'postgres 1.0', latencyMs: 3 });
    expect(statuses[2]?.reason).toMatch(/^auth_failed: WRONGPASS/);
  });

  it('lists while a passphrase vault is locked, but refuses to use a stored password with locked', async () => {
    const cost = { N: 2 ** 12, r: 8, p: 1 };
    const { service, dir } = await setup({
      vault: async (d) => {
        const v = createPassphraseVault(d, { cost });
        await v.unlock('correct horse battery');
        return v;
      },
    });
    const { id } = await service.create({ workspace: input() }, context);
    const relocked = createWorkspacesService({
      repository: createWorkspaceRepository(dir),
      vault: createPassphraseVault(dir, { cost }),
      probe: async () => ({ ok: true, serverVersion: 'x', latencyMs: 1 }),
    });
    const [listed] = await relocked.list({}, context);
    expect(listed?.endpoints.postgres?.hasPassword).toBe(true);
    expect((await failure(relocked.status({ id }, context))).code).toBe('locked');
  });
});
