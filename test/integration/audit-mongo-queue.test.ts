import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntryDraft } from '@shared/model/audit';
import { Workspace, type MongoEndpoint } from '@shared/model/workspace';
import { createAuditSinks, type AuditSinks } from '../../src/main/core/audit-sinks';
import { createWorkspaceRepository, type WorkspaceRepository } from '../../src/main/features/workspaces/repository';
import { AuditLog } from '../../src/main/security/audit/audit-log';
import { cursorFileOf, readShipCursor } from '../../src/main/security/audit/shipper';
import { verifyEntryTexts } from '../../src/main/security/audit/verify';
import { createKeyFileCipher, createVault, type Vault } from '../../src/main/security/vault';
import { CONSOLE_AUDIT_COLLECTION, MongoAuditSink } from '../../src/main/stores/mongo/audit-sink';
import { announceSkip, mongoSkipReason, mongoUrl } from '../support/external-stores';
import { mongoEndpointFrom } from '../support/mongo-endpoint';
import { freePort } from '../support/ports';
import { waitFor } from './stores/postgres-helpers';
import { clientReadDraft } from '../support/audit-drafts';

/**
 * A Client Management workspace ships its audit entries to `consoleaudit` in its MongoDB admin
 * database, wired as createConsole wires it (workspaces file, vault, createAuditSinks, AuditLog).
 * While that MongoDB does not answer, entries wait in the journal; once it does, all of them go.
 */
const WORKSPACE = 'cms-audit-queue';
const ADMIN_DATABASE = `tenantscope_cms_admin_it_${process.pid}`;
const SHIPS_SUITE = 'A Client Management workspace ships its queued audit entries once its MongoDB answers';
announceSkip(SHIPS_SUITE, mongoSkipReason);

const draft = (n: number): AuditEntryDraft => clientReadDraft(n, { operator: { name: 'Ada Admin', email: 'ada@example.com' }, role: 'platform_admin', justification: { id: 'j-9', reason: 'billing dispute, ticket OPS-9', ticket: 'OPS-9' } });

interface Console {
  repository: WorkspaceRepository;
  vault: Vault;
  sinks: AuditSinks;
  auditLog: AuditLog;
  retries: unknown[];
}

const opened: { dir: string; console: Console }[] = [];
afterEach(async () => {
  for (const { dir, console } of opened.splice(0)) {
    await console.auditLog.close();
    await console.sinks.close();
    await rm(dir, { recursive: true, force: true });
  }
});

async function saveWorkspace(repository: WorkspaceRepository, mongo: MongoEndpoint): Promise<void> {
  await repository.save([
    Workspace.parse({
      id: WORKSPACE,
      name: 'Client Management prod',
      environment: 'prod',
      preset: 'client-management',
      endpoints: { mongo: { ...mongo, databases: { customer: 'acme_customer_prod', admin: ADMIN_DATABASE } } },
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    }),
  ]);
}

/** A console whose Client Management workspace points at a closed local port, with 100 audited actions recorded. */
async function queuedWhileUnreachable(): Promise<Console & { closedPort: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'tenantscope-audit-queue-'));
  const repository = createWorkspaceRepository(dir);
  const vault = createVault(dir, await createKeyFileCipher(dir));
  const closedPort = await freePort();
  await saveWorkspace(repository, { hosts: `127.0.0.1:${closedPort}`, srv: false, databases: {}, tls: { enabled: false, rejectUnauthorized: true }, poolSize: 5 });
  const sinks = createAuditSinks({ repository, vault, connectTimeoutMs: 300 });
  const retries: unknown[] = [];
  const auditLog = new AuditLog({
    directory: join(dir, 'audit'),
    sinkFor: (journalId) => sinks.sinkFor(journalId),
    backoff: { initialMs: 50, maxMs: 400 },
    onRetry: (_journalId, error) => retries.push(error),
  });
  const console = { repository, vault, sinks, auditLog, retries };
  opened.push({ dir, console });
  for (let n = 1; n <= 100; n += 1) await auditLog.record(WORKSPACE, draft(n));
  return { ...console, closedPort };
}

describe('a Client Management workspace whose MongoDB does not answer', () => {
  it('keeps every audit entry queued in the journal, in order, and ships none of them', async () => {
    const { auditLog, retries, closedPort } = await queuedWhileUnreachable();
    expect(await waitFor(async () => retries.length >= 3, 30_000)).toBe(true);

    const status = await auditLog.shipping(WORKSPACE);
    expect(status).toMatchObject({ shippedSeq: 0 });
    expect(status?.state === 'backing_off' || status?.state === 'shipping').toBe(true);
    expect(status?.attempts).toBeGreaterThanOrEqual(3);
    for (const error of retries) {
      expect(error).toMatchObject({ code: 'unreachable' });
      expect(String((error as Error).message)).toContain(`${ADMIN_DATABASE}.${CONSOLE_AUDIT_COLLECTION} on MongoDB at 127.0.0.1:${closedPort}`);
    }
    expect(await readShipCursor(cursorFileOf(auditLog.journalFile(WORKSPACE)))).toBeUndefined();
    expect(await auditLog.verify(WORKSPACE)).toMatchObject({ intact: true, entries: 100, lastSeq: 100 });
  }, 60_000);
});

describe.skipIf(!mongoUrl)(SHIPS_SUITE, () => {
  it('ships all 100 queued entries, once and in order, after the workspace points at a MongoDB that answers', async () => {
    const { auditLog, repository, vault, sinks, retries } = await queuedWhileUnreachable();
    expect(await waitFor(async () => retries.length >= 1, 30_000)).toBe(true);
    const { endpoint, password } = mongoEndpointFrom(mongoUrl ?? '');
    if (password !== undefined) await vault.write({ [WORKSPACE]: { mongo: await vault.seal(WORKSPACE, 'mongo', password) } });
    await saveWorkspace(repository, endpoint);
    sinks.invalidate(WORKSPACE);

    await auditLog.whenShipped(WORKSPACE, 100);
    const admin = new MongoClient(mongoUrl ?? '');
    await admin.connect();
    const reader = new MongoAuditSink({ endpoint, database: ADMIN_DATABASE, ...(password === undefined ? {} : { password }) });
    try {
      const documents = await admin.db(ADMIN_DATABASE).collection(CONSOLE_AUDIT_COLLECTION).find({ workspaceId: WORKSPACE }).sort({ _id: 1 }).toArray();
      expect(documents.map((document) => document.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(documents.map((document) => (document.details as { n: number }).n)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(await verifyEntryTexts(reader.readEntryTexts(WORKSPACE))).toEqual(await auditLog.verify(WORKSPACE));
      expect(await readShipCursor(cursorFileOf(auditLog.journalFile(WORKSPACE)))).toMatchObject({ seq: 100 });
    } finally {
      await reader.close();
      await admin.db(ADMIN_DATABASE).dropDatabase();
      await admin.close();
    }
  }, 120_000);
});
