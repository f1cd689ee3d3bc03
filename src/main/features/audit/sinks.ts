import type { AuditEntry, AuditSink } from '@shared/model/audit';
import { CONSOLE_JOURNAL_ID } from '@shared/model/audit';
import type { WorkspaceRepository } from '../workspaces/repository';
import type { Vault } from '../../security/vault';
import { PostgresAuditSink } from '../../stores/postgres/audit-sink';
import { tlsConnectionOptions } from '../../stores/tls';

export interface AuditSinks {
  /** The admin store a journal ships to: the workspace's PostgreSQL (`public.console_audit`). */
  sinkFor(journalId: string): AuditSink | undefined;
  /** The workspace's settings changed: the next shipment connects with the new ones. */
  invalidate(workspaceId: string): void;
  close(): Promise<void>;
}

/**
 * One sink per workspace journal, connecting on its first shipment with the workspace's settings
 * and password as they are then. A workspace without PostgreSQL has nothing to ship to yet: its
 * sink fails each attempt with that reason, so its entries stay queued in the journal, in order,
 * until an admin store is configured.
 */
export function createAuditSinks(deps: { repository: WorkspaceRepository; vault: Vault }): AuditSinks {
  const open = new Map<string, Promise<PostgresAuditSink>>();

  async function connect(workspaceId: string): Promise<PostgresAuditSink> {
    const workspace = (await deps.repository.load()).find((w) => w.id === workspaceId);
    const endpoint = workspace?.endpoints.postgres;
    if (!endpoint) throw new Error(`workspace ${workspaceId} has no PostgreSQL to keep its audit entries in (public.console_audit)`);
    const sealed = (await deps.vault.read())[workspaceId]?.postgres;
    const password = sealed === undefined ? undefined : await deps.vault.open(workspaceId, 'postgres', sealed);
    const ssl = await tlsConnectionOptions(endpoint.tls);
    return new PostgresAuditSink({
      connection: {
        host: endpoint.host,
        port: endpoint.port,
        database: endpoint.database,
        user: endpoint.username,
        password: password ?? '',
        ssl: ssl ?? false,
        application_name: 'Tenantscope audit',
      },
    });
  }

  function sinkOf(workspaceId: string): Promise<PostgresAuditSink> {
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
