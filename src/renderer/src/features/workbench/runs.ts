import { create } from 'zustand';
import { AppError, type ErrorCode } from '@shared/errors';
import type { RowBatch, RunSummary, TenantRunStatus, WorkbenchEngine, WorkbenchQueryInput } from '@shared/model/workbench';
import { api } from '../../api';
import { ColumnStore } from '../../components/ResultGrid';
import { runScopeOf, targetOf, type WorkbenchTab } from './tabs-store';

export type RunState = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'timeout';

export interface RunFailure {
  code: ErrorCode;
  message: string;
  /** Where the server says the statement went wrong: a 1-based character offset into the text. */
  position?: number;
}

/** One tab's latest run: its rows (in a column store filled in place), how it is going, and how it ended. */
export interface TabRun {
  runId: string;
  engine: WorkbenchEngine;
  state: RunState;
  store: ColumnStore;
  /** The store's revision as last announced: views re-read the store when it changes. */
  revision: number;
  fanOut: boolean;
  write: boolean;
  rowLimit: number;
  summary?: RunSummary;
  failure?: RunFailure;
  /** A fan-out's tenants by id, from `workbench.tenant` events and then the summary. */
  tenants: Record<string, TenantRunStatus>;
  controller: AbortController;
}

interface RunsState {
  runs: Record<string, TabRun>;
  /** Bumped when a run ended, so the history list reads again. */
  finished: number;
}

/** The runs of the open tabs: not persisted, as rows are the server's to give again. */
export const useRuns = create<RunsState>()(() => ({ runs: {}, finished: 0 }));

/** Which tab a run id belongs to, for the events that carry only the run id. */
const tabOfRun = new Map<string, string>();

function patchRun(tabId: string, runId: string, change: Partial<TabRun> | ((run: TabRun) => Partial<TabRun>)): void {
  useRuns.setState((s) => {
    const run = s.runs[tabId];
    if (!run || run.runId !== runId) return s;
    return { runs: { ...s.runs, [tabId]: { ...run, ...(typeof change === 'function' ? change(run) : change) } } };
  });
}

// Batches arrive faster than frames; the store takes each at once and views hear about it once a frame.
const grown = new Set<string>();
let flushScheduled = false;

function scheduleFlush(): void {
  if (flushScheduled) return;
  flushScheduled = true;
  const flush = (): void => {
    flushScheduled = false;
    const tabs = [...grown];
    grown.clear();
    for (const tabId of tabs) {
      const run = useRuns.getState().runs[tabId];
      if (run) patchRun(tabId, run.runId, { revision: run.store.revision });
    }
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(flush);
  else setTimeout(flush, 0);
}

export function receiveBatch(batch: RowBatch): void {
  const tabId = tabOfRun.get(batch.runId);
  const run = tabId ? useRuns.getState().runs[tabId] : undefined;
  if (!tabId || !run || run.runId !== batch.runId) return;
  try {
    run.store.append(batch);
  } catch (failure) {
    // A lost or reordered batch would leave a hole nobody sees: stop the run and say so instead.
    run.controller.abort();
    patchRun(tabId, run.runId, { state: 'failed', failure: { code: 'internal', message: `The result arrived broken: ${messageOf(failure)}` } });
    return;
  }
  grown.add(tabId);
  scheduleFlush();
}

export function receiveTenantStatus(status: TenantRunStatus): void {
  const tabId = tabOfRun.get(status.runId);
  if (tabId) patchRun(tabId, status.runId, (run) => ({ tenants: { ...run.tenants, [status.tenantId]: status } }));
}

let listeners = 0;
let unsubscribe: (() => void) | null = null;

/**
 * Listens for the workbench's events while a workbench is on screen. Subscribed before any run
 * starts, so the first batch is never missed.
 */
export function listenForRuns(): () => void {
  listeners += 1;
  if (listeners === 1) {
    const offBatch = api().on('workbench.batch', receiveBatch);
    const offTenant = api().on('workbench.tenant', receiveTenantStatus);
    unsubscribe = () => {
      offBatch();
      offTenant();
    };
  }
  return () => {
    listeners -= 1;
    if (listeners === 0) {
      unsubscribe?.();
      unsubscribe = null;
    }
  };
}

function messageOf(failure: unknown): string {
  return failure instanceof Error ? failure.message : String(failure);
}

function failureOf(error: unknown): RunFailure {
  if (!AppError.is(error)) return { code: 'internal', message: messageOf(error) };
  const details = error.details as { position?: unknown } | undefined;
  // PostgreSQL gives the position as text ("11"), as its wire protocol carries it; other engines as a number.
  const raw = details?.position;
  const position = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : undefined;
  return { code: error.code, message: error.message, ...(position !== undefined && { position }) };
}

const RUN_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function newRunId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  return `run_${[...bytes].map((b) => RUN_ID_ALPHABET[b % RUN_ID_ALPHABET.length]).join('')}`;
}

/** The query a tab sends, or what is missing before it can. */
export function queryOf(tab: WorkbenchTab): WorkbenchQueryInput | { missing: string } {
  const target = targetOf(tab);
  if ('missing' in target) return target;
  if (tab.text.trim() === '') return { missing: 'Write something to run' };
  return { target, text: tab.text, rowLimit: tab.rowLimit, timeoutMs: Math.round(tab.timeoutSeconds * 1_000) };
}

/**
 * Runs a tab's query: read-only for one tenant, with writes allowed when asked, or fanned out over
 * several or all tenants. Rows land in a fresh column store as their batches arrive; the answer
 * (after the last batch) says how it ended. A refusal that needs a reason is asked for and retried
 * by the API wrapper the access feature installs, before the error would reach here.
 */
export async function runTab(workspaceId: string, tab: WorkbenchTab, options: { write: boolean }): Promise<void> {
  const query = queryOf(tab);
  const scope = runScopeOf(tab.scope);
  if ('missing' in query || !scope) return;
  const previous = useRuns.getState().runs[tab.id];
  if (previous) {
    previous.controller.abort();
    tabOfRun.delete(previous.runId);
  }
  const runId = newRunId();
  const controller = new AbortController();
  const fanOut = scope.kind !== 'tenant';
  tabOfRun.set(runId, tab.id);
  useRuns.setState((s) => ({
    runs: {
      ...s.runs,
      [tab.id]: {
        runId,
        engine: tab.engine,
        state: 'running',
        store: new ColumnStore(),
        revision: 0,
        fanOut,
        write: options.write && !fanOut,
        rowLimit: tab.rowLimit,
        tenants: {},
        controller,
      },
    },
  }));
  try {
    const call = { signal: controller.signal };
    const summary =
      scope.kind === 'tenant'
        ? await (options.write ? api().workbench.runWrite : api().workbench.run)({ workspaceId, tenantId: scope.tenantId, runId, query }, call)
        : await api().workbench.fanOut(
            { workspaceId, runId, query, ...(scope.kind === 'tenants' ? { tenantIds: scope.tenantIds } : { allTenants: true as const }) },
            call,
          );
    patchRun(tab.id, runId, (run) => ({
      state: 'succeeded',
      summary,
      revision: run.store.revision,
      tenants: summary.tenants ? { ...run.tenants, ...Object.fromEntries(summary.tenants.map((t) => [t.tenantId, t])) } : run.tenants,
    }));
  } catch (error) {
    const failure = failureOf(error);
    const state: RunState = controller.signal.aborted || failure.code === 'cancelled' ? 'cancelled' : failure.code === 'timeout' ? 'timeout' : 'failed';
    patchRun(tab.id, runId, (run) => ({ state, failure, revision: run.store.revision }));
  } finally {
    useRuns.setState((s) => ({ finished: s.finished + 1 }));
  }
}

/** Stops a tab's run: the call is aborted, and the router stops the server's work. */
export function cancelRun(tabId: string): void {
  useRuns.getState().runs[tabId]?.controller.abort();
}

/** Forgets a closed tab's run (stopping it first if it still runs). */
export function dropRun(tabId: string): void {
  const run = useRuns.getState().runs[tabId];
  if (!run) return;
  run.controller.abort();
  tabOfRun.delete(run.runId);
  useRuns.setState((s) => {
    const { [tabId]: _dropped, ...runs } = s.runs;
    return { runs };
  });
}
