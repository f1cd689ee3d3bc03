import type { StateCreator } from 'zustand';
import type { StoreAnswer, StoreAnswerState, Tenant } from '@shared/model/tenant';
import { STORE_KINDS, type StoreKind, type WorkspaceView } from '@shared/model/workspace';
import { api } from '../../api';
import { NO_FILTER, type TenantFilter } from './filter';
import { ProgressiveTenants } from './progressive';

/** A store column of the tenant browser: still answering, or how it answered. */
export interface StoreColumn {
  state: 'loading' | StoreAnswerState;
  reason?: string;
  elapsedMs?: number;
  /** Tenants this store listed. */
  tenants?: number;
}

export interface TenantListState {
  workspaceId: string;
  /** Filled in place while stores answer; `revision` changes with every change. */
  tenants: Tenant[];
  revision: number;
  stores: Record<StoreKind, StoreColumn>;
  /** True until every store answered and the server's merged list (with inconsistencies) arrived. */
  loading: boolean;
  error: string | null;
}

export interface TenantsSlice {
  tenantList: TenantListState | null;
  tenantFilter: TenantFilter;
  /** Lists the workspace's tenants; rows arrive store by store. A second call replaces the first. */
  loadTenants(workspaceId: string, options?: { refreshRedis?: boolean }): Promise<void>;
  setTenantFilter(change: Partial<TenantFilter>): void;
}

let current: { controller: AbortController; requestId: string } | null = null;
let requestCounter = 0;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function answerColumn(answer: StoreAnswer, tenants?: number): StoreColumn {
  return { state: answer.state, elapsedMs: answer.elapsedMs, ...(answer.reason && { reason: answer.reason }), ...(tenants !== undefined && { tenants }) };
}

export const createTenantsSlice: StateCreator<TenantsSlice & { workspaces: WorkspaceView[] }, [], [], TenantsSlice> = (set, get) => ({
  tenantList: null,
  tenantFilter: NO_FILTER,

  async loadTenants(workspaceId, options = {}) {
    current?.controller.abort();
    const controller = new AbortController();
    const requestId = `tenants-${++requestCounter}`;
    current = { controller, requestId };
    const workspace = get().workspaces.find((w) => w.id === workspaceId);
    const stores = Object.fromEntries(
      STORE_KINDS.map((kind): [StoreKind, StoreColumn] => [kind, workspace && !workspace.endpoints[kind] ? { state: 'not_configured' } : { state: 'loading' }]),
    ) as Record<StoreKind, StoreColumn>;
    const merged = new ProgressiveTenants();
    set({ tenantList: { workspaceId, tenants: merged.rows, revision: 0, stores, loading: true, error: null } });
    const isCurrent = () => current?.requestId === requestId && !controller.signal.aborted;

    const stop = api().on('tenants.footprints', (event) => {
      if (event.requestId !== requestId || !isCurrent()) return;
      if (event.answer.state === 'ok') merged.apply(event.store, event.rows);
      set((state) =>
        state.tenantList
          ? {
              tenantList: {
                ...state.tenantList,
                revision: state.tenantList.revision + 1,
                stores: { ...state.tenantList.stores, [event.store]: answerColumn(event.answer, event.rows.length) },
              },
            }
          : {},
      );
    });
    try {
      const result = await api().tenants.list(
        { workspaceId, requestId, ...(options.refreshRedis && { refreshRedis: true }) },
        { signal: controller.signal },
      );
      if (!isCurrent()) return;
      set((state) => {
        const previous = state.tenantList?.stores ?? stores;
        const answered = { ...previous };
        for (const answer of result.stores) answered[answer.store] = answerColumn(answer, previous[answer.store].tenants);
        return { tenantList: { workspaceId, tenants: result.tenants, revision: (state.tenantList?.revision ?? 0) + 1, stores: answered, loading: false, error: null } };
      });
    } catch (error) {
      if (!isCurrent()) return;
      set((state) => (state.tenantList ? { tenantList: { ...state.tenantList, loading: false, error: messageOf(error) } } : {}));
    } finally {
      stop();
    }
  },

  setTenantFilter(change) {
    set((state) => ({ tenantFilter: { ...state.tenantFilter, ...change } }));
  },
});
