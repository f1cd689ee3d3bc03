import { basename } from 'node:path';
import { AppError, isErrorCode } from '@shared/errors';
import type { ParsedArgsOf } from '@shared/contract/define';
import type { workbench as workbenchSection } from '@shared/contract/workbench';
import type { HistoryEntry, RunOutcome, RunScope, RunSummary, TenantRunStatus, WorkbenchEngine, WorkbenchQuery } from '@shared/model/workbench';
import type { Session } from '@shared/model/session';
import { scopeFor } from '@shared/tenancy';
import type { JobManager } from '../../jobs';
import type { UnmaskedPaths } from '../../reading/masking';
import type { CallContext, SectionService } from '../../services/section';
import type { Downloads } from './downloads';
import { exportStages, type ExportCounts } from './export-stream';
import { writeExportFile } from './export-file';
import { fanOutKindName, serializedError, type FanOutRun, type FanOutRuns } from './fan-out';
import type { RunHistory } from './history';
import { ResultAssembler } from './result-assembler';
import { documentKind, type ResultMasking } from './result-masking';
import type { SavedQueries } from './saved-queries';
import { catalogOf, openRunner, type OpenWorkbenchStores } from './stores';
import { streamParts, type BatchSink } from './stream-parts';

type Methods = typeof workbenchSection.methods;

export interface WorkbenchServiceDeps {
  openStores: OpenWorkbenchStores;
  history: RunHistory;
  saved: SavedQueries;
  jobs: Pick<JobManager, 'start' | 'settled' | 'cancel' | 'get'>;
  fanOuts: FanOutRuns;
  /** Every tenant of a workspace as the engine's store knows them (the tenant roster), for `allTenants`. */
  listTenants?(workspaceId: string, engine: WorkbenchEngine, signal: AbortSignal): Promise<string[]>;
  /** Desktop: asks where to save an export (undefined when the operator closed the dialog). Web mode has none. */
  chooseSavePath?(suggestedName: string): Promise<string | undefined>;
  /** Web mode: one-time download addresses for exports. */
  downloads?: Downloads;
  unmaskedPaths?: UnmaskedPaths;
  /** Rows per batch asked of the store; the store picks when absent. */
  batchSize?: number;
}

const EXTENSIONS = { csv: 'csv', json: 'jsonl' } as const;
const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', json: 'application/x-ndjson; charset=utf-8' } as const;

function outcomeOf(error: unknown, signal: AbortSignal): RunOutcome {
  if (AppError.is(error, 'timeout')) return 'timeout';
  if (signal.aborted || AppError.is(error, 'cancelled')) return 'cancelled';
  return 'failed';
}

/** The caller's connection as a batch sink: events to it alone, and its queue's room. */
function callerSink(context: CallContext): BatchSink {
  return {
    emit: (batch) => context.emit('workbench.batch', batch),
    whenWritable: () => context.whenWritable?.() ?? Promise.resolve(),
  };
}

function maskingFor(deps: WorkbenchServiceDeps, session: Pick<Session, 'operator' | 'role'>, workspaceId: string, tenantId?: string): ResultMasking {
  return {
    role: session.role,
    // Unmasking is per tenant: across tenants everything stays masked.
    unmaskedPaths: (kind) => (tenantId === undefined ? [] : (deps.unmaskedPaths?.(session, workspaceId, tenantId, kind) ?? [])),
  };
}

/**
 * The query workbench: runs typed queries in one tenant's scope (or per tenant as a job),
 * streaming column batches to the caller with backpressure, exports without holding the result,
 * and keeps each workspace's history and saved queries in the console's data folder.
 */
export function createWorkbenchService(deps: WorkbenchServiceDeps): SectionService<'workbench'> {
  async function remember(base: Omit<HistoryEntry, 'id' | 'durationMs' | 'rows' | 'truncated' | 'outcome'>, started: number, result: { rows: number; truncated: boolean; outcome: RunOutcome; error?: unknown }): Promise<string> {
    const id = `h_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`;
    await deps.history.append({
      ...base,
      id,
      durationMs: performance.now() - started,
      rows: result.rows,
      truncated: result.truncated,
      outcome: result.outcome,
      ...(result.error !== undefined && { error: serializedError(result.error) }),
    });
    return id;
  }

  function historyBase(workspaceId: string, session: Session, query: WorkbenchQuery, scope: RunScope, write: boolean) {
    return { workspaceId, at: new Date().toISOString(), operator: session.operator.name.slice(0, 200), target: query.target, text: query.text, scope, write };
  }

  async function runOne(args: ParsedArgsOf<Methods['run']>, context: CallContext, write: boolean): Promise<RunSummary> {
    const { workspaceId, tenantId, runId, query } = args;
    const started = performance.now();
    const base = historyBase(workspaceId, context.session, query, { kind: 'tenant', tenantId }, write);
    const assembler = new ResultAssembler({
      runId,
      engine: query.target.engine,
      masking: maskingFor(deps, context.session, workspaceId, tenantId),
      ...(documentKind(query.target) && { documentKind: documentKind(query.target) }),
    });
    try {
      const stores = await deps.openStores(workspaceId, context.signal);
      // scopeFor validates the tenant id against the preset, so a hostile id never reaches a store.
      const scope = scopeFor(stores.preset, tenantId);
      const parts = openRunner(stores, query.target, query.text, scope, {
        rowLimit: query.rowLimit,
        write,
        signal: context.signal,
        timeoutMs: query.timeoutMs,
        ...(deps.batchSize !== undefined && { batchSize: deps.batchSize }),
      });
      const outcome = await streamParts(parts, assembler, callerSink(context), tenantId);
      const historyId = await remember(base, started, { rows: outcome.rows, truncated: outcome.truncated, outcome: 'succeeded' });
      return {
        runId,
        columns: assembler.columns,
        rows: outcome.rows,
        truncated: outcome.truncated,
        rowLimit: query.rowLimit,
        durationMs: performance.now() - started,
        ...(outcome.notice !== undefined && { notice: outcome.notice }),
        historyId,
      };
    } catch (error) {
      await remember(base, started, { rows: assembler.rows, truncated: false, outcome: outcomeOf(error, context.signal), error }).catch(() => undefined);
      throw error;
    }
  }

  async function fanOut(args: ParsedArgsOf<Methods['fanOut']>, context: CallContext): Promise<RunSummary> {
    const { workspaceId, runId, query, concurrency } = args;
    const started = performance.now();
    const scope: RunScope = args.allTenants ? { kind: 'all' } : { kind: 'tenants', tenantIds: args.tenantIds ?? [] };
    const base = historyBase(workspaceId, context.session, query, scope, false);
    const assembler = new ResultAssembler({
      runId,
      engine: query.target.engine,
      masking: maskingFor(deps, context.session, workspaceId),
      leadingTenant: true,
      ...(documentKind(query.target) && { documentKind: documentKind(query.target) }),
    });
    const statuses = new Map<string, TenantRunStatus>();
    const run: FanOutRun = {
      workspaceId,
      sink: callerSink(context),
      assembler,
      statuses,
      truncated: false,
      emitTenant: (status) => context.emit('workbench.tenant', status),
    };
    const close = deps.fanOuts.open(runId, run);
    let jobId: string | undefined;
    try {
      const tenantIds = args.allTenants ? await allTenants(workspaceId, query.target.engine, context.signal) : [...new Set(args.tenantIds ?? [])];
      const job = await deps.jobs.start({
        workspaceId,
        kind: fanOutKindName(query.target.engine),
        params: { runId, query, tenantIds, concurrency },
        session: context.session,
      });
      jobId = job.id;
      const cancel = (): void => void deps.jobs.cancel(workspaceId, job.id, context.session).catch(() => undefined);
      context.signal.addEventListener('abort', cancel, { once: true });
      try {
        await deps.jobs.settled(job.id);
      } finally {
        context.signal.removeEventListener('abort', cancel);
      }
      const finished = deps.jobs.get(workspaceId, job.id);
      if (finished.state !== 'succeeded') {
        const code = finished.failure && isErrorCode(finished.failure.code) ? finished.failure.code : 'internal';
        throw new AppError(code, finished.failure?.message ?? `The fan-out ended ${finished.state}.`);
      }
      const tenants = tenantIds.map((tenantId) => statuses.get(tenantId) ?? { runId, tenantId, state: 'cancelled' as const, rows: 0 });
      const historyId = await remember(base, started, { rows: assembler.rows, truncated: run.truncated, outcome: 'succeeded' });
      return {
        runId,
        columns: assembler.columns,
        rows: assembler.rows,
        truncated: run.truncated,
        rowLimit: query.rowLimit,
        durationMs: performance.now() - started,
        tenants,
        jobId: job.id,
        historyId,
      };
    } catch (error) {
      await remember(base, started, { rows: assembler.rows, truncated: run.truncated, outcome: outcomeOf(error, context.signal), error }).catch(() => undefined);
      throw jobId === undefined || !context.signal.aborted ? error : new AppError('cancelled', 'The fan-out was cancelled.');
    } finally {
      close();
    }
  }

  async function allTenants(workspaceId: string, engine: WorkbenchEngine, signal: AbortSignal): Promise<string[]> {
    if (!deps.listTenants) throw new AppError('invalid_argument', 'This console cannot list every tenant; name the tenants instead.');
    const ids = await deps.listTenants(workspaceId, engine, signal);
    if (ids.length === 0) throw new AppError('not_found', `Workspace ${workspaceId} has no tenants to run the query in.`);
    return ids;
  }

  async function exportRun(args: ParsedArgsOf<Methods['export']>, context: CallContext): Promise<{ file?: { path: string; rows: number; bytes: number; sha256: string }; download?: { url: string; fileName: string }; cancelled?: boolean }> {
    const { workspaceId, tenantId, query, format, destination } = args;
    const masking = maskingFor(deps, context.session, workspaceId, tenantId);
    const kind = documentKind(query.target);
    const open = async (signal: AbortSignal, counts: ExportCounts, settled?: (error?: unknown) => void) => {
      const stores = await deps.openStores(workspaceId, signal);
      const scope = scopeFor(stores.preset, tenantId);
      const parts = openRunner(stores, query.target, query.text, scope, {
        rowLimit: query.rowLimit,
        write: false,
        signal,
        timeoutMs: query.timeoutMs,
        ...(deps.batchSize !== undefined && { batchSize: deps.batchSize }),
      });
      return exportStages({ parts, engine: query.target.engine, masking, ...(kind && { documentKind: kind }) }, format, counts, settled);
    };
    const suggested = `${destination.kind === 'save-dialog' && destination.suggestedName ? basename(destination.suggestedName) : `${query.target.engine}-${tenantId}`}`;
    const fileName = /\.[A-Za-z0-9]{1,8}$/.test(suggested) ? suggested : `${suggested}.${EXTENSIONS[format]}`;

    if (destination.kind === 'download') {
      if (!deps.downloads) throw new AppError('invalid_argument', 'Downloads are for web mode; on the desktop, export to a file through the save dialog.');
      // Checked now, so a bad tenant id or a missing store fails the call rather than the download.
      scopeFor((await deps.openStores(workspaceId, context.signal)).preset, tenantId);
      const { url } = deps.downloads.offer({
        fileName,
        contentType: CONTENT_TYPES[format],
        // The run happens when the browser fetches the address; it joins the history when it ends.
        open: (signal) => {
          const started = performance.now();
          const base = historyBase(workspaceId, context.session, query, { kind: 'tenant', tenantId }, false);
          const counts: ExportCounts = { rows: 0, truncated: false, width: 0 };
          const settled = (error?: unknown): void => {
            const outcome = error === undefined ? 'succeeded' : outcomeOf(error, signal);
            void remember(base, started, { rows: counts.rows, truncated: counts.truncated, outcome, ...(error !== undefined && { error }) }).catch(() => undefined);
          };
          return open(signal, counts, settled);
        },
      });
      return { download: { url, fileName } };
    }
    if (!deps.chooseSavePath) {
      throw new AppError('invalid_argument', 'There is no save dialog in web mode: export as a download (destination kind "download") instead.');
    }
    const path = await deps.chooseSavePath(fileName);
    if (path === undefined) return { cancelled: true };
    const started = performance.now();
    const base = historyBase(workspaceId, context.session, query, { kind: 'tenant', tenantId }, false);
    const counts: ExportCounts = { rows: 0, truncated: false, width: 0 };
    try {
      const written = await writeExportFile(path, await open(context.signal, counts), context.signal);
      await remember(base, started, { rows: counts.rows, truncated: counts.truncated, outcome: 'succeeded' });
      return { file: { path, rows: counts.rows, ...written } };
    } catch (error) {
      await remember(base, started, { rows: counts.rows, truncated: counts.truncated, outcome: outcomeOf(error, context.signal), error }).catch(() => undefined);
      throw context.signal.aborted && !AppError.is(error) ? new AppError('cancelled', 'The export was cancelled.') : error;
    }
  }

  return {
    run: (args, context) => runOne(args, context, false),
    runWrite: (args, context) => runOne(args, context, true),
    fanOut,
    export: exportRun,
    catalog: async ({ workspaceId, tenantId, engine, collection }, { signal }) => {
      const stores = await deps.openStores(workspaceId, signal);
      const entries = await catalogOf(stores, engine, scopeFor(stores.preset, tenantId), { signal }, collection);
      return { entries };
    },
    history: async ({ workspaceId, search, engine, limit }) => ({
      entries: await deps.history.list(workspaceId, { limit, ...(search !== undefined && { search }), ...(engine !== undefined && { engine }) }),
    }),
    saved: async ({ workspaceId, search }) => ({ queries: await deps.saved.list(workspaceId, search) }),
    saveQuery: (args, { session }) => deps.saved.save(args, session),
    deleteSaved: async ({ workspaceId, id }) => ({ deleted: await deps.saved.delete(workspaceId, id) }),
  };
}
