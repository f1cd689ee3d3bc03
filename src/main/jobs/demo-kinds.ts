import { AppError } from '@shared/errors';
import { DemoSleepParams, DemoTenantSweepParams } from '@shared/model/job-demo';
import type { JobKind } from './kind';

/** The slice of `PostgresStore` the demo kinds use: one statement, values as parameters, cancellable. */
export interface DemoPostgres {
  query(sql: string, params: readonly unknown[], scope: undefined, options: { signal?: AbortSignal }): Promise<{ rows: unknown[][] }>;
}

/** The workspace's PostgreSQL, or undefined when it has none. */
export type PostgresOf = (workspaceId: string) => Promise<DemoPostgres | undefined>;

async function requirePostgres(postgresOf: PostgresOf, workspaceId: string): Promise<DemoPostgres> {
  const postgres = await postgresOf(workspaceId);
  if (!postgres) throw new AppError('invalid_argument', `Workspace ${workspaceId} has no PostgreSQL for this job to run on.`);
  return postgres;
}

const seconds = (value: number): string => `${Number(value.toFixed(3))} s`;

/**
 * A comment that leads every statement of a job, so `pg_stat_activity` can tell the job's work from
 * anyone else's. Job ids are letters, digits, `_` and `-`: nothing that could close the comment.
 */
export function jobTag(jobId: string): string {
  return `/* tenantscope ${jobId} */ `;
}

/**
 * Cancels the statements a crashed console left running for this job (PostgreSQL runs a statement
 * to its end when its client dies without a word). Only the job's own tagged statements are touched.
 */
export async function cancelLeftovers(postgres: DemoPostgres, jobId: string, signal: AbortSignal, log: (line: string) => void): Promise<void> {
  const { rows } = await postgres.query(
    `select count(*)::int from (select pg_cancel_backend(pid) from pg_stat_activity
       where left(query, length($1)) = $1 and pid <> pg_backend_pid()) cancelled`,
    [jobTag(jobId)],
    undefined,
    { signal },
  );
  const count = Number(rows[0]?.[0] ?? 0);
  log(count === 0 ? 'no statement of this job was still running on PostgreSQL.' : `cancelled ${count} statement(s) still running on PostgreSQL.`);
}

/** `pg_sleep` one step at a time: a running statement on the server that cancel must stop. */
export function demoSleepKind(postgresOf: PostgresOf): JobKind<DemoSleepParams, DemoPostgres> {
  return {
    name: 'demo.sleep',
    store: 'postgres',
    params: DemoSleepParams,
    describe: ({ steps, secondsPerStep }) => ({ title: `Sleep ${steps} × ${seconds(secondsPerStep)} on PostgreSQL` }),
    openStores: (workspaceId) => requirePostgres(postgresOf, workspaceId),
    async run({ steps, secondsPerStep }, { jobId, signal, stores, progress, log }) {
      for (let step = 0; step < steps; step += 1) {
        progress(step, steps, `sleeping: step ${step + 1} of ${steps}`);
        await stores.query(`${jobTag(jobId)}select pg_sleep($1)`, [secondsPerStep], undefined, { signal });
        log(`Step ${step + 1} of ${steps} slept ${seconds(secondsPerStep)}.`);
      }
      progress(steps, steps, 'done');
      return { steps, seconds: steps * secondsPerStep };
    },
    afterInterruption: (_params, { jobId, signal, stores, log }) => cancelLeftovers(stores, jobId, signal, log),
  };
}

/**
 * One step per tenant schema, as fan-out work over every tenant will run: each step counts the
 * schema's tables and sleeps in the same statement, so the sweep is slow enough to watch and cancel.
 */
export function demoTenantSweepKind(postgresOf: PostgresOf): JobKind<DemoTenantSweepParams, DemoPostgres> {
  return {
    name: 'demo.tenant-sweep',
    store: 'postgres',
    params: DemoTenantSweepParams,
    describe: ({ secondsPerTenant }) => ({ title: `Sweep every tenant schema, ${seconds(secondsPerTenant)} each`, tenantIds: ['*'] }),
    openStores: (workspaceId) => requirePostgres(postgresOf, workspaceId),
    async run({ secondsPerTenant, maxTenants }, { jobId, signal, stores, progress, log }) {
      progress(0, null, 'listing tenant schemas');
      const { rows } = await stores.query(
        String.raw`${jobTag(jobId)}select nspname from pg_namespace where nspname like 'tenant\_%' order by nspname limit $1`,
        [maxTenants],
        undefined,
        { signal },
      );
      const schemas = rows.map((row) => String(row[0]));
      log(`Found ${schemas.length} tenant schemas.`);
      let tables = 0;
      for (const [index, schema] of schemas.entries()) {
        progress(index, schemas.length, `sweeping ${schema}`);
        const answer = await stores.query(
          `${jobTag(jobId)}select (select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
                    where n.nspname = $1 and c.relkind in ('r', 'p'))::int, pg_sleep($2)`,
          [schema, secondsPerTenant],
          undefined,
          { signal },
        );
        const count = Number(answer.rows[0]?.[0] ?? 0);
        tables += count;
        log(`${schema}: ${count} tables.`);
      }
      progress(schemas.length, schemas.length, 'done');
      return { schemas: schemas.length, tables };
    },
    afterInterruption: (_params, { jobId, signal, stores, log }) => cancelLeftovers(stores, jobId, signal, log),
  };
}
