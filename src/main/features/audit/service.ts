import { readdir } from 'node:fs/promises';
import { AppError } from '@shared/errors';
import type { AuditEntry } from '@shared/model/audit';
import type { AuditQueryFilter } from '@shared/contract/audit';
import type { SectionService } from '../../services/section';
import type { AuditLog } from '../../security/audit/audit-log';
import { queryJournal } from '../../security/audit/query';
import type { InspectorStores } from '../../reading/stores';
import { callMasker, type UnmaskedPaths } from '../../reading/masking';
import { entriesToCsv, entriesToJson } from './export';
import { readPlatformLogs } from './platform-logs';

export interface AuditServiceDeps {
  log: AuditLog;
  /** Where the journals are: every `<journalId>.jsonl` in it is read when no workspace is named. */
  directory: string;
  openStores(workspaceId: string, signal: AbortSignal): Promise<InspectorStores>;
  unmaskedPaths?: UnmaskedPaths;
  storeTimeoutMs?: number;
  /**
   * Whether a query naming no workspace may read this journal: roles are per workspace, so only
   * the journals of workspaces where the operator is a platform admin (and the console's own).
   */
  readableWithoutWorkspace?(journalId: string): Promise<boolean>;
}

interface Found {
  entries: AuditEntry[];
  unreadable: Array<{ journal: string; line: number }>;
  more: boolean;
}

/** The console's audit journal as the viewer sees it, and the platform's own audit logs for a tenant. */
export function createAuditService(deps: AuditServiceDeps): SectionService<'audit'> {
  async function journalIds(): Promise<string[]> {
    try {
      return (await readdir(deps.directory)).filter((name) => name.endsWith('.jsonl')).map((name) => name.slice(0, -'.jsonl'.length));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  async function readableJournals(): Promise<string[]> {
    const ids = await journalIds();
    const check = deps.readableWithoutWorkspace;
    if (!check) return ids;
    const readable = await Promise.all(ids.map((id) => check(id).catch(() => false)));
    return ids.filter((_id, i) => readable[i]);
  }

  async function find(filter: AuditQueryFilter, limit: number): Promise<Found> {
    const { workspaceId, ...conditions } = filter;
    const ids = workspaceId ? [workspaceId] : await readableJournals();
    const found: Found = { entries: [], unreadable: [], more: false };
    for (const id of ids) {
      const page = await queryJournal(deps.log.journalFile(id), conditions, limit);
      found.entries.push(...page.entries);
      found.unreadable.push(...page.unreadableLines.map((line) => ({ journal: id, line })));
      found.more ||= page.more;
    }
    // Newest first across journals; within one journal the sequence breaks ties.
    found.entries.sort((a, b) => b.at.localeCompare(a.at) || b.seq - a.seq);
    if (found.entries.length > limit) {
      found.entries.length = limit;
      found.more = true;
    }
    return found;
  }

  return {
    async query({ limit, ...filter }) {
      return find(filter, limit);
    },

    async verify({ workspaceId }) {
      try {
        return { journal: workspaceId, ...(await deps.log.verify(workspaceId)) };
      } catch (error) {
        if (AppError.is(error, 'not_found')) throw new AppError('not_found', `Workspace ${workspaceId} has no audit journal on this machine yet.`);
        throw error;
      }
    },

    async export({ format, limit, ...filter }) {
      const { entries } = await find(filter, limit);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      return {
        fileName: `tenantscope-audit-${filter.workspaceId ?? 'all'}-${stamp}.${format}`,
        content: format === 'csv' ? entriesToCsv(entries) : entriesToJson(entries),
        entries: entries.length,
      };
    },

    async platformLogs({ workspaceId, tenantId, limit }, context) {
      const stores = await deps.openStores(workspaceId, context.signal);
      const mask = callMasker(deps.unmaskedPaths, context, workspaceId, tenantId);
      return readPlatformLogs(stores, tenantId, limit, mask, { signal: context.signal, timeoutMs: deps.storeTimeoutMs ?? 10_000 });
    },
  };
}
