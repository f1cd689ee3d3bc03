import { AppError } from '@shared/errors';
import type { AuditEntry, AuditSink } from '@shared/model/audit';
import { CONSOLE_JOURNAL_ID } from '@shared/model/audit';
import type { Workspace } from '@shared/model/workspace';
import { presetByName, type TenancyPreset } from '@shared/tenancy';
import type { WorkspaceRepository } from '../features/workspaces/repository';
import type { Vault } from '../security/vault';
import { MongoAuditSink } from '../stores/mongo/audit-sink';
import { PostgresAuditSink } from '../stores/postgres/audit-sink';
import { postgresClientConfig } from '../stores/postgres/client';

/** Where a platform keeps its administration data, and so the console's audit entries. */
export type AdminStore = 'postgres' | 'mongo';

/**
 * The admin store a preset names: its PostgreSQL when it has one (Murima2025,
 * `public.console_audit`), otherwise the admin database of its MongoDB layout (Client
 * Management, `consoleaudit`); undefined when it has neither.
 */
export function adminStoreOf(preset: TenancyPreset): AdminStore | undefined {
  if (preset.layout.postgres) return 'postgres';
  if (preset.layout.mongo?.databases.admin) return 'mongo';
  return undefined;
}

interface ClosableSink extends AuditSink {
  close(): Promise<void>;
}

export interface AuditSinks {
  /** The admin store a journal ships to, as the workspace's preset names it. */
  sinkFor(journalId: string): AuditSink | undefined;
  /** The workspace's settings changed: the next shipment connects with the new ones. */
  invalidate(workspaceId: string): void;
  close(): Promise<void>;
}

export interface AuditSinksOptions {
  repository: WorkspaceRepository;
  vault: Vault;
  /** How long one shipment waits to connect before it fails and the shipper backs off. */
  connectTimeoutMs?: number;
}

/**
 * One sink per workspace journal, connecting on its first shipment with the workspace's settings
 * and password as they are then, to the admin store its preset names. A workspace without that
 * store has nothing to ship to yet: its sink fails each attempt with that reason, so its entries
 * stay queued in the journal, in order, until the store is configured.
 */
export function createAuditSinks(deps: AuditSinksOptions): AuditSinks {
  const open = new Map<string, Promise<ClosableSink>>();

  async function password(workspaceId: string, store: AdminStore): Promise<string | undefined> {
    const sealed = (await deps.vault.read())[workspaceId]?.[store];
    return sealed === undefined ? undefined : deps.vault.open(workspaceId, store, sealed);
  }

  async function postgresSink(workspace: Workspace, preset: TenancyPreset): Promise<ClosableSink> {
    const endpoint = workspace.endpoints.postgres;
    if (!endpoint) throw missingStore(workspace, preset, 'PostgreSQL', 'public.console_audit');
    const connectTimeoutMs = deps.connectTimeoutMs ?? 5_000;
    return new PostgresAuditSink({
      connection: await postgresClientConfig(endpoint, await password(workspace.id, 'postgres'), { connectTimeoutMs, applicationName: 'Tenantscope audit' }),
      connectTimeoutMs,
    });
  }

  async function mongoSink(workspace: Workspace, preset: TenancyPreset): Promise<ClosableSink> {
    const endpoint = workspace.endpoints.mongo;
    if (!endpoint) throw missingStore(workspace, preset, 'MongoDB', 'the admin database, collection consoleaudit');
    const database = endpoint.databases.admin;
    if (!database) {
      throw new AppError(
        'invalid_argument',
        `Workspace "${workspace.name}" names no MongoDB admin database, where the ${preset.title} preset keeps the console's audit entries ` +
          `(collection consoleaudit; the platform's is ${preset.layout.mongo?.databases.admin ?? 'its admin database'}). ` +
          'Set it in the workspace editor; until then the entries stay queued in the local journal.',
      );
    }
    const secret = await password(workspace.id, 'mongo');
    return new MongoAuditSink({
      endpoint,
      database,
      ...(secret === undefined ? {} : { password: secret }),
      ...(deps.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: deps.connectTimeoutMs }),
    });
  }

  async function connect(workspaceId: string): Promise<ClosableSink> {
    const workspace = (await deps.repository.load()).find((w) => w.id === workspaceId);
    if (!workspace) throw new AppError('not_found', `Workspace ${workspaceId} is not configured; its audit entries stay in the local journal.`);
    const preset = presetByName(workspace.preset);
    switch (adminStoreOf(preset)) {
      case 'postgres':
        return postgresSink(workspace, preset);
      case 'mongo':
        return mongoSink(workspace, preset);
      case undefined:
        throw new AppError('invalid_argument', `The ${preset.title} preset names no admin store; the audit entries of "${workspace.name}" stay in the local journal.`);
    }
  }

  function sinkOf(workspaceId: string): Promise<ClosableSink> {
    let sink = open.get(workspaceId);
    if (!sink) {
      sink = connect(workspaceId);
      open.set(workspaceId, sink);
      sink.catch(() => open.delete(workspaceId));
    }
    return sink;
  }

  async function drop(workspaceId: string): Promise<void> {
    const sink = open.get(workspaceId);
    open.delete(workspaceId);
    await sink?.then((s) => s.close()).catch(() => undefined);
  }

  return {
    sinkFor(journalId) {
      if (journalId === CONSOLE_JOURNAL_ID) return undefined;
      return {
        async ship(entries: readonly AuditEntry[]) {
          await (await sinkOf(journalId)).ship(entries);
        },
      };
    },
    invalidate(workspaceId) {
      void drop(workspaceId);
    },
    async close() {
      await Promise.all([...open.keys()].map(drop));
    },
  };
}

function missingStore(workspace: Workspace, preset: TenancyPreset, store: string, where: string): AppError {
  return new AppError(
    'invalid_argument',
    `Workspace "${workspace.name}" has no ${store}, where the ${preset.title} preset keeps the console's audit entries (${where}). ` +
      `Add its ${store} in the workspace editor; until then the entries stay queued in the local journal, in order.`,
  );
}
