import { create, type StoreApi, type UseBoundStore } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { RunScope, WorkbenchEngine, WorkbenchTarget } from '@shared/model/workbench';

/** Where a tab runs: one tenant (maybe not chosen yet), some tenants, or all of them. */
export type TabScope = { kind: 'tenant'; tenantId: string | null } | { kind: 'tenants'; tenantIds: string[] } | { kind: 'all' };

/** One workbench tab: what survives a reload. Results do not; they are the server's to give again. */
export interface WorkbenchTab {
  id: string;
  title: string;
  engine: WorkbenchEngine;
  text: string;
  scope: TabScope;
  rowLimit: number;
  /** Seconds, as the operator types them. */
  timeoutSeconds: number;
  collection: string | null;
  operation: 'find' | 'aggregate';
  index: string | null;
}

export interface TabsState {
  tabs: WorkbenchTab[];
  activeTabId: string | null;
  openTab(engine: WorkbenchEngine, from?: Partial<Omit<WorkbenchTab, 'id' | 'engine'>>): string;
  closeTab(id: string): void;
  activate(id: string): void;
  updateTab(id: string, change: Partial<Omit<WorkbenchTab, 'id'>>): void;
}

export const DEFAULT_ROW_LIMIT = 1_000;
export const DEFAULT_TIMEOUT_SECONDS = 30;

const ENGINE_TITLES: Record<WorkbenchEngine, string> = { postgres: 'PostgreSQL', mongo: 'MongoDB', elastic: 'Elasticsearch', redis: 'Redis' };

export function engineTitle(engine: WorkbenchEngine): string {
  return ENGINE_TITLES[engine];
}

/** What a new tab holds, so the operator sees the shape of a query for that engine. */
export const STARTER_TEXT: Record<WorkbenchEngine, string> = {
  postgres: 'select * from cases\norder by 1\nlimit 100',
  mongo: '{}',
  elastic: '{\n  "query": { "match_all": {} }\n}',
  redis: 'SCAN 0 MATCH * COUNT 100',
};

/** `PostgreSQL 3` after `PostgreSQL 2`: numbered past the highest open one, so two tabs never share a name. */
function nextTitle(tabs: readonly WorkbenchTab[], engine: WorkbenchEngine): string {
  const base = engineTitle(engine);
  const taken = tabs.map((t) => (t.title.startsWith(`${base} `) ? Number(t.title.slice(base.length + 1)) : 0)).filter(Number.isInteger);
  return `${base} ${Math.max(0, ...taken) + 1}`;
}

let counter = 0;
function newTabId(): string {
  counter += 1;
  return `tab-${Date.now().toString(36)}-${counter}`;
}

/** The target a tab runs against, or why it cannot run yet. */
export function targetOf(tab: WorkbenchTab): WorkbenchTarget | { missing: string } {
  switch (tab.engine) {
    case 'postgres':
      return { engine: 'postgres' };
    case 'redis':
      return { engine: 'redis' };
    case 'mongo':
      return tab.collection ? { engine: 'mongo', collection: tab.collection, operation: tab.operation } : { missing: 'Choose a collection' };
    case 'elastic':
      return tab.index ? { engine: 'elastic', index: tab.index } : { missing: 'Choose an index' };
  }
}

/** A tab's scope as the contract's RunScope, or null when no tenant is chosen yet. */
export function runScopeOf(scope: TabScope): RunScope | null {
  if (scope.kind === 'tenant') return scope.tenantId ? { kind: 'tenant', tenantId: scope.tenantId } : null;
  if (scope.kind === 'tenants') return scope.tenantIds.length > 0 ? { kind: 'tenants', tenantIds: scope.tenantIds } : null;
  return { kind: 'all' };
}

const stores = new Map<string, UseBoundStore<StoreApi<TabsState>>>();

/** The storage key of a workspace's tabs: each workspace keeps its own. */
export function tabsStorageKey(workspaceId: string): string {
  return `tenantscope.workbench.${workspaceId}`;
}

/**
 * The tabs of one workspace, kept in localStorage under the workspace's own key so a reload (or a
 * restart) finds them with their text, engine, target and scope. One store per workspace, made
 * on first use.
 */
export function workbenchTabs(workspaceId: string): UseBoundStore<StoreApi<TabsState>> {
  let store = stores.get(workspaceId);
  if (store) return store;
  store = create<TabsState>()(
    persist(
      (set, get) => ({
        tabs: [],
        activeTabId: null,
        openTab(engine, from = {}) {
          const id = newTabId();
          const tab: WorkbenchTab = {
            id,
            title: nextTitle(get().tabs, engine),
            engine,
            text: STARTER_TEXT[engine],
            scope: { kind: 'tenant', tenantId: null },
            rowLimit: DEFAULT_ROW_LIMIT,
            timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
            collection: null,
            operation: 'find',
            index: null,
            ...from,
          };
          set((s) => ({ tabs: [...s.tabs, tab], activeTabId: id }));
          return id;
        },
        closeTab(id) {
          set((s) => {
            const at = s.tabs.findIndex((t) => t.id === id);
            const tabs = s.tabs.filter((t) => t.id !== id);
            const activeTabId = s.activeTabId === id ? (tabs[Math.min(at, tabs.length - 1)]?.id ?? null) : s.activeTabId;
            return { tabs, activeTabId };
          });
        },
        activate: (id) => set({ activeTabId: id }),
        updateTab(id, change) {
          set((s) => ({ tabs: s.tabs.map((t) => (t.id === id ? { ...t, ...change } : t)) }));
        },
      }),
      {
        name: tabsStorageKey(workspaceId),
        version: 1,
        storage: createJSONStorage(() => localStorage),
        partialize: ({ tabs, activeTabId }) => ({ tabs, activeTabId }),
      },
    ),
  );
  stores.set(workspaceId, store);
  return store;
}

/** Tests start from nothing: forgets the stores made so far (localStorage is the test's to clear). */
export function forgetTabStoresForTests(): void {
  stores.clear();
}
