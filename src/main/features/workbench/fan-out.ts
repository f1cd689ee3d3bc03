import { z } from 'zod';
import { AppError, type SerializedError } from '@shared/errors';
import { TenantId } from '@shared/model/tenant-id';
import { RunId, WorkbenchQuery, type TenantRunStatus, type WorkbenchEngine } from '@shared/model/workbench';
import { STORE_LABELS } from '@shared/model/workspace';
import { scopeFor } from '@shared/tenancy';
import type { JobKind } from '../../jobs';
import type { ResultAssembler } from './result-assembler';
import { streamParts, type BatchSink } from './stream-parts';
import { openRunner, type OpenWorkbenchStores, type WorkbenchStores } from './stores';

export const FanOutParams = z
  .object({
    runId: RunId,
    query: WorkbenchQuery,
    /** The tenants, resolved before the job starts (`allTenants` becomes the roster's ids). */
    tenantIds: z.array(TenantId).min(1).max(100_000),
    concurrency: z.number().int().min(1).max(32),
  })
  .strict();
export type FanOutParams = z.infer<typeof FanOutParams>;

/**
 * One kind per engine, so a fan-out waits for a slot of the store it reads (`workbench.fan-out.postgres`
 * counts against PostgreSQL's job limit, the MongoDB one against MongoDB's).
 */
export const fanOutKindName = (engine: WorkbenchEngine): string => `workbench.fan-out.${engine}`;

/** The call a fan-out streams to, open while `workbench.fanOut` waits for its job. */
export interface FanOutRun {
  workspaceId: string;
  sink: BatchSink;
  assembler: ResultAssembler;
  emitTenant(status: TenantRunStatus): void;
  /** Each tenant's last state, in the order of the job's tenant list once it has run. */
  statuses: Map<string, TenantRunStatus>;
  /** Set when the row limit cut any tenant's rows (the limit applies per tenant). */
  truncated: boolean;
}

/**
 * The open fan-out calls by run id. A job of the fan-out kinds streams to its call and nowhere
 * else; one started without a call (through `jobs.start`) is refused, since its rows would reach
 * nobody and its tenants would be read without the cross-tenant reason `workbench.fanOut` asks for.
 */
export class FanOutRuns {
  readonly #runs = new Map<string, FanOutRun>();

  open(runId: string, run: FanOutRun): () => void {
    if (this.#runs.has(runId)) throw new AppError('conflict', `Run ${runId} is already running; choose a new run id.`);
    this.#runs.set(runId, run);
    return () => {
      if (this.#runs.get(runId) === run) this.#runs.delete(runId);
    };
  }

  get(runId: string): FanOutRun | undefined {
    return this.#runs.get(runId);
  }
}

export function serializedError(error: unknown): SerializedError {
  if (AppError.is(error)) return { ...error.toJSON(), message: error.message.slice(0, 4_000) };
  return { code: 'internal', message: 'The query failed unexpectedly; the console log has the details.' };
}

const firstLine = (text: string): string => {
  const line = text.trim().split('\n', 1)[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
};

/**
 * Runs one read-only query once per tenant inside the store's job slot, `concurrency` tenants at a
 * time. Each tenant's rows stream to the call with a leading `tenant` column as they come; a tenant
 * that fails reports its own error and the others carry on; a cancel stops every tenant still
 * running on the server and leaves the ones not yet started `cancelled`.
 */
export function workbenchFanOutKind(engine: WorkbenchEngine, deps: { openStores: OpenWorkbenchStores; runs: FanOutRuns; onError?: (line: string) => void }): JobKind<FanOutParams, WorkbenchStores> {
  return {
    name: fanOutKindName(engine),
    store: engine,
    params: FanOutParams,
    describe: (params) => {
      // Called before the job is written: a fan-out with no call to stream to never starts.
      if (!deps.runs.get(params.runId)) throw new AppError('invalid_argument', 'A workbench fan-out is started by workbench.fanOut, which streams its rows.');
      if (params.query.target.engine !== engine) throw new AppError('invalid_argument', `This job kind runs ${STORE_LABELS[engine]} queries.`);
      const count = params.tenantIds.length;
      return { title: `Fan-out on ${STORE_LABELS[engine]} over ${count} tenant${count === 1 ? '' : 's'}: ${firstLine(params.query.text)}`, tenantIds: params.tenantIds };
    },
    openStores: (workspaceId, signal) => deps.openStores(workspaceId, signal),
    async run(params, { signal, stores, progress, log }) {
      const run = deps.runs.get(params.runId);
      if (!run) throw new AppError('cancelled', 'The call that asked for this fan-out has gone.');
      const total = params.tenantIds.length;
      let next = 0;
      let finished = 0;
      let failed = 0;
      const report = (status: TenantRunStatus): void => {
        run.statuses.set(status.tenantId, status);
        run.emitTenant(status);
      };

      const runTenant = async (tenantId: string): Promise<void> => {
        const started = performance.now();
        report({ runId: params.runId, tenantId, state: 'running', rows: 0 });
        try {
          const scope = scopeFor(stores.preset, tenantId);
          const parts = openRunner(stores, params.query.target, params.query.text, scope, {
            rowLimit: params.query.rowLimit,
            write: false,
            signal,
            timeoutMs: params.query.timeoutMs,
          });
          const outcome = await streamParts(parts, run.assembler, run.sink, tenantId);
          if (outcome.truncated) run.truncated = true;
          report({ runId: params.runId, tenantId, state: 'done', rows: outcome.rows, durationMs: performance.now() - started });
        } catch (error) {
          if (signal.aborted) {
            report({ runId: params.runId, tenantId, state: 'cancelled', rows: 0, durationMs: performance.now() - started });
            return;
          }
          failed += 1;
          const failure = serializedError(error);
          if (!AppError.is(error)) deps.onError?.(`Fan-out ${params.runId}, tenant ${tenantId}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          log(`Tenant ${tenantId} failed (${failure.code}): ${failure.message}`);
          report({ runId: params.runId, tenantId, state: 'failed', rows: 0, durationMs: performance.now() - started, error: failure });
        }
      };

      const worker = async (): Promise<void> => {
        while (!signal.aborted && next < total) {
          const tenantId = params.tenantIds[next] as string;
          next += 1;
          await runTenant(tenantId);
          finished += 1;
          progress(finished, total, `${finished} of ${total} tenants`);
        }
      };

      progress(0, total, `0 of ${total} tenants`);
      await Promise.all(Array.from({ length: Math.min(params.concurrency, total) }, worker));
      if (signal.aborted) {
        for (const tenantId of params.tenantIds.slice(next)) report({ runId: params.runId, tenantId, state: 'cancelled', rows: 0 });
        throw new AppError('cancelled', 'The fan-out was cancelled.');
      }
      log(`${total - failed} of ${total} tenants answered; ${failed} failed; ${run.assembler.rows} rows.`);
      return { tenants: total, failed, rows: run.assembler.rows };
    },
  };
}
