import { useMemo } from 'react';
import type { CatalogEntry, WorkbenchEngine } from '@shared/model/workbench';
import { api } from '../../api';
import { useCall } from '../../lib/useCall';
import type { CompletionSource } from './completion-items';
import type { WorkbenchTab } from './tabs-store';

export interface TabCatalog {
  /** Tables, collections or indices to pick from and complete. */
  entries: CatalogEntry[];
  /** What the editor completes for this tab, once the catalog is in. */
  completion: CompletionSource | null;
  loading: boolean;
  error: string | null;
}

const NO_ENTRIES: CatalogEntry[] = [];

/**
 * The catalog of the tenant a tab reads (its own, or the first of a fan-out's): the list for the
 * pickers, and for MongoDB the chosen collection's sampled fields on top.
 */
export function useCatalog(workspaceId: string, tab: WorkbenchTab, tenantId: string | null): TabCatalog {
  const engine: WorkbenchEngine = tab.engine;
  const wanted = engine !== 'redis' && tenantId !== null;
  const list = useCall(
    wanted ? (signal) => api().workbench.catalog({ workspaceId, tenantId, engine }, { signal }) : null,
    [workspaceId, tenantId, engine, wanted],
  );
  const collection = engine === 'mongo' && wanted ? tab.collection : null;
  const fields = useCall(
    collection && tenantId ? (signal) => api().workbench.catalog({ workspaceId, tenantId, engine, collection }, { signal }) : null,
    [workspaceId, tenantId, collection],
  );
  const entries = list.data?.entries ?? NO_ENTRIES;
  const sampled = fields.data?.entries;
  const completion = useMemo((): CompletionSource | null => {
    if (!wanted || !list.data) return null;
    const merged = sampled ? [...entries.filter((e) => !sampled.some((s) => s.name === e.name)), ...sampled] : entries;
    return { engine, entries: merged, collection: tab.collection, index: tab.index };
  }, [wanted, list.data, entries, sampled, engine, tab.collection, tab.index]);
  return { entries, completion, loading: list.loading || fields.loading, error: list.error ?? fields.error };
}
