import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '@shared/model/audit';
import type { Session } from '@shared/model/session';
import type { WorkspaceView } from '@shared/model/workspace';
import { createConsole, type ConsoleCore } from '../../src/main/core/console';
import { generateSigningKeys, MANAGED_FORMAT, signWorkspace } from '../../src/main/security/managed/signed-workspace';

/** Managed workspaces through the console router: import, fixed role and settings, tampering refused. */
const payload = {
  format: MANAGED_FORMAT,
  version: 1,
  id: 'murima-staging',
  workspace: { name: 'Murima staging', environment: 'staging', preset: 'murima2025', endpoints: { redis: { host: 'redis.example.com', port: 6380 } } },
  operator: { role: 'dba', name: 'Dee DBA', email: 'dee@example.com' },
  issuedBy: 'Ada Admin <ada@example.com>',
  issuedAt: '2026-11-20T08:00:00Z',
};

describe('managed workspaces through the console router', () => {
  let core: ConsoleCore;
  let dataDir: string;
  let session: Session;
  let keys: { privatePem: string; publicPem: string };
  let workspaceId: string;
  const call = <T>(method: string, args: unknown): Promise<T> => core.router.invoke(method, args, session) as Promise<T>;
  const signed = (body: unknown = payload) => JSON.stringify(signWorkspace(body, keys.privatePem));

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tenantscope-managed-'));
    keys = generateSigningKeys();
    await mkdir(join(dataDir, 'trusted-keys'));
    await writeFile(join(dataDir, 'trusted-keys', 'ada.pem'), keys.publicPem);
    core = await createConsole({ dataDir, mode: 'web', version: 'test' });
    session = core.newSession('renderer-1');
  });
  afterAll(async () => {
    await core?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('imports a signed file: the workspace opens with the signed role, which cannot be changed', async () => {
    const imported = await call<{ workspaceId: string; session: { operator: { role: string; name: string }; managed: { issuedBy: string } | null } }>(
      'access.importManaged',
      { fileText: signed() },
    );
    workspaceId = imported.workspaceId;
    expect(imported.session).toMatchObject({ operator: { role: 'dba', name: 'Dee DBA' }, managed: { issuedBy: 'Ada Admin <ada@example.com>' } });
    await expect(call('access.setOperator', { workspaceId, name: 'Dee', email: 'dee@example.com', role: 'platform_admin' })).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('managed'),
    });
    expect(await call('access.session', { workspaceId })).toMatchObject({ operator: { role: 'dba' } });
    const entries = (await readFile(core.auditLog.journalFile(workspaceId), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditEntry);
    expect(entries.map((e) => [e.action, e.outcome])).toEqual([
      ['access.importManaged', 'allowed'],
      ['access.setOperator', 'refused'],
    ]);
  });

  it('lets the operator enter a password but not change the signed settings', async () => {
    const settings = payload.workspace;
    await call('workspaces.update', { id: workspaceId, workspace: { ...settings, endpoints: { redis: { ...settings.endpoints.redis, password: 's3cret' } } } });
    await expect(call('workspaces.update', { id: workspaceId, workspace: { ...settings, environment: 'dev' } })).rejects.toMatchObject({ code: 'forbidden' });
    expect((await call<WorkspaceView>('workspaces.get', { id: workspaceId })).environment).toBe('staging');
  });

  it('refuses a file whose role was changed after signing, an unsigned file and one signed by an untrusted key', async () => {
    const tampered = JSON.parse(signed()) as { payload: { operator: { role: string } } };
    tampered.payload.operator.role = 'platform_admin';
    await expect(call('access.importManaged', { fileText: JSON.stringify(tampered) })).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('changed after it was signed'),
    });
    await expect(call('access.importManaged', { fileText: JSON.stringify(payload) })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('not signed') });
    const stranger = generateSigningKeys();
    await expect(call('access.importManaged', { fileText: JSON.stringify(signWorkspace(payload, stranger.privatePem)) })).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('not among the trusted keys'),
    });
    await expect(call('access.importManaged', { fileText: 'not json' })).rejects.toMatchObject({ code: 'invalid_argument' });
    const list = await call<WorkspaceView[]>('workspaces.list', {});
    expect(list.filter((w) => w.name === 'Murima staging')).toHaveLength(1);
  });

  it('replaces the workspace when a newer file of the same managed id is imported', async () => {
    const again = await call<{ workspaceId: string }>('access.importManaged', { fileText: signed({ ...payload, operator: { role: 'support' }, issuedAt: '2026-11-21T08:00:00Z' }) });
    expect(again.workspaceId).toBe(workspaceId);
    expect(await call('access.session', { workspaceId })).toMatchObject({ operator: { role: 'support' } });
  });

  it('refuses every call in a managed workspace whose stored file was edited to raise the role', async () => {
    const stored = join(dataDir, 'access', 'managed', `${workspaceId}.signed.json`);
    const file = JSON.parse(await readFile(stored, 'utf8')) as { payload: { operator: { role: string } } };
    file.payload.operator.role = 'platform_admin';
    await writeFile(stored, JSON.stringify(file));
    // A console started afterwards finds it on first use.
    await core.close();
    core = await createConsole({ dataDir, mode: 'web', version: 'test' });
    session = core.newSession('renderer-2');
    await expect(call('access.session', { workspaceId })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('is refused') });
    expect(await call('access.verifyManaged', { workspaceId })).toMatchObject({ managed: true, valid: false, message: expect.stringContaining('changed after it was signed') });
    await expect(call('access.session', { workspaceId })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
