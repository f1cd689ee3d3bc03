import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { WorkspaceId, type Workspace } from '@shared/model/workspace';
import { useTempDirs } from '../../security/vault/test-support';
import { createWorkspaceRepository, newWorkspaceId, WORKSPACES_FILE_NAME } from './repository';

const sample: Workspace = {
  id: 'murima-prod-a1b2c3',
  name: 'Murima prod',
  environment: 'prod',
  preset: 'murima2025',
  endpoints: {
    postgres: {
      host: 'db.internal',
      port: 5432,
      database: 'murima',
      username: 'ops',
      tls: { enabled: true, rejectUnauthorized: true },
      poolSize: 5,
    },
  },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('workspace repository', () => {
  const tempDir = useTempDirs();

  it('reads a missing file as no workspaces', async () => {
    await expect(createWorkspaceRepository(await tempDir()).load()).resolves.toEqual([]);
  });

  it('saves and loads workspaces, privately, without temporary files left over', async () => {
    const dir = await tempDir();
    const repository = createWorkspaceRepository(dir);
    await repository.save([sample]);
    await expect(createWorkspaceRepository(dir).load()).resolves.toEqual([sample]);
    expect(await readdir(dir)).toEqual([WORKSPACES_FILE_NAME]);
    expect((await stat(repository.path)).mode & 0o777).toBe(0o600);
  });

  it('creates the data directory on first save', async () => {
    const dir = join(await tempDir(), 'nested', 'data');
    await createWorkspaceRepository(dir).save([sample]);
    await expect(createWorkspaceRepository(dir).load()).resolves.toHaveLength(1);
  });

  it.each([
    ['not JSON', '{"version":1,"workspaces":['],
    ['a workspace that breaks the schema', JSON.stringify({ version: 1, workspaces: [{ ...sample, environment: 'qa' }] })],
    ['an unknown file version', JSON.stringify({ version: 2, workspaces: [] })],
    ['an array instead of the file object', '[]'],
  ])('refuses %s with internal, naming the file and leaving it untouched', async (_what, text) => {
    const dir = await tempDir();
    const repository = createWorkspaceRepository(dir);
    await writeFile(repository.path, text);
    const error = await repository.load().catch((e: unknown) => e);
    expect(AppError.is(error, 'internal')).toBe(true);
    expect((error as AppError).message).toContain(repository.path);
    expect(await readFile(repository.path, 'utf8')).toBe(text);
  });
});

describe('newWorkspaceId', () => {
  it('is a slug of the name with a short random suffix', () => {
    const id = newWorkspaceId('Murima2025 — Prod (EU)');
    expect(id).toMatch(/^murima2025-prod-eu-[0-9a-f]{6}$/);
    expect(newWorkspaceId('Murima2025 — Prod (EU)')).not.toBe(id);
  });

  it('always yields a valid id, whatever the name', () => {
    for (const name of ['Ålesund façade', '日本語', '---', 'x'.repeat(80), ' spaced  out ', 'a']) {
      expect(WorkspaceId.safeParse(newWorkspaceId(name)).success, name).toBe(true);
    }
    expect(newWorkspaceId('Ålesund façade')).toMatch(/^alesund-facade-/);
    expect(newWorkspaceId('日本語')).toMatch(/^workspace-[0-9a-f]{6}$/);
  });
});
