import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { AuditEntry } from '@shared/model/audit';
import { CONSOLE_JOURNAL_ID } from '@shared/model/audit';
import { Workspace, type Workspace as WorkspaceType } from '@shared/model/workspace';
import { clientManagement, murima2025, type TenancyPreset } from '@shared/tenancy';
import { createKeyFileCipher, createVault } from '../security/vault';
import { useTempDirs } from '../security/vault/test-support';
import { createWorkspaceRepository } from '../features/workspaces/repository';
import { adminStoreOf, createAuditSinks } from './audit-sinks';

const tempDir = useTempDirs();

const entry = (workspaceId: string): AuditEntry => ({
  seq: 1,
  id: 'e-1',
  at: '2026-03-01T10:00:00.000Z',
  workspaceId,
  operator: { name: 'Ada Admin' },
  role: 'platform_admin',
  tenantIds: [],
  action: 'workspaces.update',
  target: '',
  justification: null,
  outcome: 'allowed',
  details: {},
  prevHash: '0'.repeat(64),
  hash: 'a'.repeat(64),
});

const workspace = (id: string, preset: string, endpoints: z.input<typeof Workspace>['endpoints']): WorkspaceType =>
  Workspace.parse({ id, name: `Workspace ${id}`, environment: 'prod', preset, endpoints, createdAt: '2026-01-01', updatedAt: '2026-01-01' });

async function sinksOver(workspaces: WorkspaceType[]): Promise<ReturnType<typeof createAuditSinks>> {
  const dir = await tempDir();
  const repository = createWorkspaceRepository(dir);
  await repository.save(workspaces);
  return createAuditSinks({ repository, vault: createVault(dir, await createKeyFileCipher(dir)), connectTimeoutMs: 200 });
}

describe('the admin store a preset names', () => {
  it('is PostgreSQL for Murima2025 and the MongoDB admin database for Client Management', () => {
    expect(adminStoreOf(murima2025)).toBe('postgres');
    expect(adminStoreOf(clientManagement)).toBe('mongo');
  });

  it('is none for a preset with neither PostgreSQL nor a MongoDB admin database', () => {
    const mongoOnly = clientManagement.layout.mongo;
    if (!mongoOnly) throw new Error('the Client Management preset has a MongoDB layout');
    const bare: TenancyPreset = { ...clientManagement, layout: { mongo: { ...mongoOnly, databases: { customer: 'c' } } } };
    expect(adminStoreOf(bare)).toBeUndefined();
  });
});

describe('choosing a sink per workspace journal', () => {
  it('gives the console journal no sink', async () => {
    const sinks = await sinksOver([]);
    expect(sinks.sinkFor(CONSOLE_JOURNAL_ID)).toBeUndefined();
    await sinks.close();
  });

  it('fails a Client Management shipment with the reason when the workspace has no MongoDB', async () => {
    const sinks = await sinksOver([workspace('cms', 'client-management', { postgres: { host: '127.0.0.1', port: 1, database: 'x', username: 'u' } })]);
    const sink = sinks.sinkFor('cms');
    await expect(sink?.ship([entry('cms')])).rejects.toThrow(/has no MongoDB, where the Client Management System preset keeps .*consoleaudit/);
    await sinks.close();
  });

  it('fails a Client Management shipment with the reason when the workspace names no admin database', async () => {
    const sinks = await sinksOver([workspace('cms', 'client-management', { mongo: { hosts: '127.0.0.1:1', databases: { customer: 'acme_customer_prod' } } })]);
    await expect(sinks.sinkFor('cms')?.ship([entry('cms')])).rejects.toThrow(/names no MongoDB admin database/);
    await sinks.close();
  });

  it('ships a Client Management journal to MongoDB even when the workspace also has PostgreSQL', async () => {
    const sinks = await sinksOver([
      workspace('cms', 'client-management', {
        postgres: { host: '127.0.0.1', port: 1, database: 'x', username: 'u' },
        mongo: { hosts: '127.0.0.1:1', databases: { admin: 'acme_admin_prod' } },
      }),
    ]);
    await expect(sinks.sinkFor('cms')?.ship([entry('cms')])).rejects.toMatchObject({ code: 'unreachable', message: expect.stringMatching(/acme_admin_prod\.consoleaudit on MongoDB/) });
    await sinks.close();
  });

  it('fails a Murima2025 shipment with the reason when the workspace has no PostgreSQL', async () => {
    const sinks = await sinksOver([workspace('murima', 'murima2025', { mongo: { hosts: '127.0.0.1:1', databases: { admin: 'a' } } })]);
    await expect(sinks.sinkFor('murima')?.ship([entry('murima')])).rejects.toThrow(/has no PostgreSQL, where the Murima2025 preset keeps .*public\.console_audit/);
    await sinks.close();
  });

  it('fails the shipment of a workspace that is not configured', async () => {
    const sinks = await sinksOver([]);
    await expect(sinks.sinkFor('gone')?.ship([entry('gone')])).rejects.toMatchObject({ code: 'not_found' });
    await sinks.close();
  });
});
