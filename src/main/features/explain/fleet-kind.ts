import { z } from 'zod';
import { AppError } from '@shared/errors';
import { TenantId } from '@shared/model/tenant-id';
import type { TenancyPreset } from '@shared/tenancy';
import { jobTag, type JobContext, type JobKind } from '../../jobs';
import type { PostgresFace } from '../../stores/postgres/face';
import { explainInTenant, headlineOf } from './engines';
import { fingerprintOf } from './fingerprint';
import type { FleetPlans, FleetRecorder } from './fleet-plans';

export const FLEET_KIND = 'explain.fleet';
/** As many tenants as a job summary names (`JobSummary.tenantIds`). */
const MAX_NAMED_TENANTS = 1_000;

/**
 * A fleet explain's parameters as the job keeps them: the tenants are always named (the service
 * resolves "all tenants" from the roster before starting), so the job's audit entry names them.
 */
export const FleetParams = z
  .object({
    statement: z.string().min(1).max(100_000),
    tenantIds: z.array(TenantId).min(1).max(100_000),
    /** The tenants are the whole roster at the time of the start. */
    allTenants: z.boolean().default(false),
    analyze: z.boolean().default(false),
    concurrency: z.number().int().min(1).max(32).default(4),
    /** Per tenant. */
    timeoutMs: z.number().int().min(100).max(600_000).default(60_000),
    /** Who started it, for the kept plans' records (a job's runner sees no session). */
    operator: z.string().max(200).default(''),
  })
  .strict();
export type FleetParams = z.infer<typeof FleetParams>;

export interface FleetStores {
  workspaceId: string;
  preset: TenancyPreset;
  postgres: Pick<PostgresFace, 'explain' | 'query'>;
}

export interface FleetKindDeps {
  openStores(workspaceId: string, signal: AbortSignal): Promise<FleetStores>;
  fleets: FleetPlans;
}

const shorten = (text: string, length: number): string => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > length ? `${line.slice(0, length - 1)}…` : line;
};

/**
 * Explains one PostgreSQL statement in many tenants: `concurrency` tenants at a time inside the
 * job's one PostgreSQL slot, each in its own scope (schema and RLS setting), plain EXPLAIN unless
 * `analyze` (and then only a statement that does not write is run). A tenant that fails is recorded
 * with its error and the others carry on; cancel stops the statements running and starts no more.
 * Every plan is kept, and the tenants are grouped by plan shape as they come in.
 */
export function fleetExplainKind(deps: FleetKindDeps): JobKind<FleetParams, FleetStores> {
  return {
    name: FLEET_KIND,
    store: 'postgres',
    params: FleetParams,
    describe: (params) => ({
      title: `Fleet explain over ${params.allTenants ? 'all ' : ''}${params.tenantIds.length} tenant${params.tenantIds.length === 1 ? '' : 's'}: ${shorten(params.statement, 120)}`,
      // A job names up to 1,000 tenants in lists and events; past that it says "all", and its audit
      // entry still names every one through its parameters.
      tenantIds: params.tenantIds.length <= MAX_NAMED_TENANTS ? params.tenantIds : ['*'],
    }),
    openStores: (workspaceId, signal) => deps.openStores(workspaceId, signal),
    async run(params, context) {
      const { stores, signal, jobId } = context;
      const recorder = await deps.fleets.begin(stores.workspaceId, jobId);
      const total = params.tenantIds.length;
      const fingerprint = fingerprintOf('postgres', params.statement);
      let done = 0;
      let failures = 0;
      context.progress(0, total, `explaining ${total} tenants, ${params.concurrency} at a time`);
      try {
        await eachLimited(params.tenantIds, params.concurrency, signal, async (tenantId, position) => {
          const failed = await explainOne(stores, params, context, recorder, tenantId, position, fingerprint, params.operator);
          done += 1;
          if (failed) failures += 1;
          context.progress(done, total, `explained ${done} of ${total}${failures > 0 ? `, ${failures} failed` : ''}`);
        });
      } catch (error) {
        deps.fleets.abandon(jobId);
        await recorder.finish().catch(() => undefined);
        throw error;
      }
      const grouping = await recorder.finish();
      const differing = grouping.groups.slice(1).reduce((sum, group) => sum + group.tenantIds.length, 0);
      context.log(`${grouping.tenantsExplained} explained in ${grouping.groups.length} plan shape(s); ${differing} differ from most; ${failures} failed.`);
      return { tenants: total, explained: grouping.tenantsExplained, failed: failures, shapes: grouping.groups.length, differing };
    },
    async afterInterruption(_params, { jobId, signal, stores, log }) {
      // Statements are `EXPLAIN (…) /* tenantscope <jobId> */ …`: the tag is inside, not at the start.
      const { rows } = await stores.postgres.query(
        `select count(*)::int from (select pg_cancel_backend(pid) from pg_stat_activity
           where strpos(query, $1) > 0 and pid <> pg_backend_pid()) cancelled`,
        [jobTag(jobId).trim()],
        undefined,
        { signal },
      );
      const count = Number(rows[0]?.[0] ?? 0);
      log(count === 0 ? 'no explain of this job was still running on PostgreSQL.' : `cancelled ${count} explain(s) still running on PostgreSQL.`);
    },
  };
}

/** Explains one tenant and keeps its plan; true when the tenant failed (recorded), throws when the job was cancelled. */
async function explainOne(
  stores: FleetStores,
  params: FleetParams,
  context: JobContext<FleetStores>,
  recorder: FleetRecorder,
  tenantId: string,
  position: number,
  fingerprint: string,
  operator: string,
): Promise<boolean> {
  try {
    const outcome = await explainInTenant(
      stores,
      { tenantId, engine: 'postgres', statement: params.statement },
      { analyze: params.analyze, analyzeWrites: false, signal: context.signal, timeoutMs: params.timeoutMs, tag: jobTag(context.jobId) },
    );
    recorder.add(position, outcome.plan, {
      raw: outcome.raw,
      ...(outcome.notes.length > 0 && { notes: outcome.notes }),
      advice: outcome.advice,
      record: {
        operator,
        tenantId,
        engine: 'postgres',
        statement: params.statement,
        fingerprint,
        analyzed: outcome.plan.analyzed,
        totalTimeMs: outcome.plan.totalMs ?? null,
        planningTimeMs: outcome.plan.planningMs ?? null,
        headline: headlineOf(outcome.plan),
      },
    });
    return false;
  } catch (error) {
    if (context.signal.aborted) throw error;
    const code = AppError.is(error) ? error.code : 'internal';
    const message = AppError.is(error) ? error.message : 'The explain failed for a reason the console could not name.';
    recorder.fail(position, tenantId, code, message);
    context.log(`${tenantId}: ${code}: ${shorten(message, 300)}`);
    return true;
  }
}

/** Runs `work` over `items` with at most `limit` at once; no new item starts once `signal` is aborted. */
async function eachLimited<T>(items: readonly T[], limit: number, signal: AbortSignal, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      if (signal.aborted) throw new AppError('cancelled', 'The fleet explain was cancelled.');
      const index = next++;
      await work(items[index] as T, index);
    }
  };
  const workers = Array.from({ length: Math.min(limit, items.length) }, worker);
  const results = await Promise.allSettled(workers);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
}
