import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { fakeSafeStorage, useTempDirs } from '../security/vault/test-support';
import { chooseVault, createConsole } from './console';

const tempDir = useTempDirs();

describe('choosing the vault', () => {
  it('uses a key file in web mode', async () => {
    const vault = await chooseVault({ dataDir: await tempDir(), mode: 'web', version: '0', safeStorage: fakeSafeStorage() });
    expect(vault.backend).toBe('key-file');
  });

  it('uses safeStorage on a desktop with a real keychain', async () => {
    const vault = await chooseVault({ dataDir: await tempDir(), mode: 'desktop', version: '0', safeStorage: fakeSafeStorage({ backend: 'kwallet5' }) });
    await expect(vault.status()).resolves.toEqual({ backend: 'safe-storage', locked: false, initialized: true });
  });

  it.each([
    ['Linux basic_text (a hard-coded key)', fakeSafeStorage({ backend: 'basic_text' })],
    ['safeStorage unavailable', fakeSafeStorage({ available: false })],
    ['no safeStorage at all', undefined],
  ])('asks for a master passphrase with %s, and stays locked until then', async (_why, safeStorage) => {
    const vault = await chooseVault({ dataDir: await tempDir(), mode: 'desktop', version: '0', safeStorage });
    await expect(vault.status()).resolves.toMatchObject({ backend: 'passphrase', locked: true });
  });
});

describe('createConsole', () => {
  const session = { connectionId: 'c', operator: { name: 'op' }, role: 'platform_admin' as const };

  it('reports the vault backend in system.info and vault.status', async () => {
    const core = await createConsole({ dataDir: await tempDir(), mode: 'web', version: '1.2.3' });
    await expect(core.router.invoke('system.info', {}, session)).resolves.toMatchObject({ vault: 'key-file', mode: 'web' });
    await expect(core.router.invoke('vault.status', {}, session)).resolves.toEqual({ backend: 'key-file', locked: false, initialized: true });
  });

  it('unlocks a passphrase vault through vault.unlock, after which passwords can be saved', async () => {
    const dataDir = await tempDir();
    const core = await createConsole({ dataDir, mode: 'desktop', version: '1', safeStorage: fakeSafeStorage({ backend: 'basic_text' }) });
    const workspace = {
      name: 'Lab',
      environment: 'dev',
      preset: 'murima2025',
      endpoints: { redis: { host: '127.0.0.1', password: 'lab-secret' } },
    };
    const locked = await core.router.invoke('workspaces.create', { workspace }, session).catch((e: unknown) => e);
    expect(AppError.is(locked, 'locked')).toBe(true);
    await expect(core.router.invoke('vault.unlock', { passphrase: 'a long lab passphrase' }, session)).resolves.toMatchObject({ locked: false });
    await expect(core.router.invoke('workspaces.create', { workspace }, session)).resolves.toMatchObject({ endpoints: { redis: { hasPassword: true } } });
    expect(await readFile(join(dataDir, 'secrets.json'), 'utf8')).not.toContain('lab-secret');
  }, 20_000);

  it('refuses a create with bad arguments before anything is written', async () => {
    const dataDir = await tempDir();
    const core = await createConsole({ dataDir, mode: 'web', version: '1' });
    const error = await core.router
      .invoke('workspaces.create', { workspace: { name: '', environment: 'qa', preset: 'x', endpoints: {} } }, session)
      .catch((e: unknown) => e);
    expect(AppError.is(error, 'invalid_argument')).toBe(true);
    await expect(readFile(join(dataDir, 'workspaces.json'))).rejects.toThrow(/ENOENT/);
  });

  it('broadcasts workspaces.changed when a workspace is created', async () => {
    const core = await createConsole({ dataDir: await tempDir(), mode: 'web', version: '1' });
    const events: unknown[] = [];
    core.router.connect({ send: (message) => events.push(message) }, session);
    const created = (await core.router.invoke('workspaces.create', { workspace: { name: 'Events', environment: 'dev', preset: 'murima2025', endpoints: {} } }, session)) as { id: string };
    expect(events).toEqual([{ kind: 'event', name: 'workspaces.changed', payload: { id: created.id, change: 'created' } }]);
  });
});
