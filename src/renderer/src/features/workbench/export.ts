import { BRIDGE_KEY } from '@shared/contract/bridge';
import type { WorkbenchQueryInput } from '@shared/model/workbench';
import { api } from '../../api';

/** What an export did, for the notification. */
export type ExportOutcome = { kind: 'file'; path: string; rows: number } | { kind: 'download'; fileName: string } | { kind: 'cancelled' };

/**
 * Exports a one-tenant query. The main process runs it again and streams every row to the file;
 * the renderer never holds the file. The desktop asks where with its save dialog; web mode gets a
 * one-time same-origin address that the browser downloads.
 */
export async function exportQuery(workspaceId: string, tenantId: string, query: WorkbenchQueryInput, format: 'csv' | 'json'): Promise<ExportOutcome> {
  const desktop = typeof window !== 'undefined' && window[BRIDGE_KEY] !== undefined;
  const answer = await api().workbench.export({
    workspaceId,
    tenantId,
    query,
    format,
    destination: desktop ? { kind: 'save-dialog', suggestedName: `${tenantId}-query.${format === 'csv' ? 'csv' : 'jsonl'}` } : { kind: 'download' },
  });
  if (answer.cancelled) return { kind: 'cancelled' };
  if (answer.file) return { kind: 'file', path: answer.file.path, rows: answer.file.rows };
  if (answer.download) {
    const link = document.createElement('a');
    link.href = answer.download.url;
    link.download = answer.download.fileName;
    link.style.display = 'none';
    document.body.append(link);
    try {
      link.click();
    } finally {
      link.remove();
    }
    return { kind: 'download', fileName: answer.download.fileName };
  }
  return { kind: 'cancelled' };
}
