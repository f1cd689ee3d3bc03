import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { PostgresEndpoint } from '../../src/shared/model/workspace';
import type { EventPayload } from '../../src/shared/contract';
import type { JobSummary } from '../../src/shared/model/job';
import { createConsole, type ConsoleCore } from '../../src/main/core/console';
import { seedDemoPlatform } from '../../src/main/demo/seed';
import { PostgresStore } from '../../src/main/stores/postgres/store';
import { apiOf, postgresWorkspace, until } from '../support/job-database';
import { createScratchDatabase } from './tenants-fixtures';

/**
 * A console over a scratch database seeded as the Murima2025 demo (real tenant schemas with their
 * RLS, triggers and guards), with the typed API as a renderer sees it and the job states it announced.
 */
export interface IndexesWorld {
  core: ConsoleCore;
  api: ReturnType<typeof apiOf>['api'];
  pool: pg.Pool;
  workspaceId: string;
  tenants: string[];
  states: Array<EventPayload<'jobs.state'>['job']>;
  /** The job once its final state was announced (after its audit entry was written). */
  settled(jobId: string): Promise<JobSummary & { log: Array<{ line: string }> }>;
  close(): Promise<void>;
}

export async function indexesWorld(database: string, tenantCount: number): Promise<IndexesWorld> {
  const server = inject('postgres');
  const db = await createScratchDatabase(server.url, database);
  const store = new PostgresStore(PostgresEndpoint.parse({ host: server.host, port: server.port, database, username: server.user }), { password: server.password });
  const { tenantIds } = await seedDemoPlatform({ postgres: store }, { preset: 'murima2025', tenants: tenantCount, seed: database, months: 1 });
  await store.close();
  const dataDir = await mkdtemp(join(tmpdir(), `tenantscope-${database}-`));
  const core = await createConsole({ dataDir, mode: 'web', version: 'test', jobLimits: { postgres: 2 } });
  const connection = apiOf(core);
  const states: IndexesWorld['states'] = [];
  connection.api.on('jobs.state', ({ job }) => states.push(job));
  const { id: workspaceId } = await connection.api.workspaces.create({ workspace: postgresWorkspace('Indexes', database) });
  return {
    core,
    api: connection.api,
    pool: db.pool,
    workspaceId,
    tenants: [...tenantIds].sort(),
    states,
    async settled(jobId) {
      await until(() => states.some((s) => s.id === jobId && ['succeeded', 'failed', 'cancelled'].includes(s.state)), 60_000);
      return connection.api.jobs.get({ workspaceId, jobId });
    },
    async close() {
      connection.close();
      await core.close();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** `tenant_<id>` as the Murima2025 layout names a tenant's schema, quoted. */
export const schemaOf = (tenantId: string): string => pg.escapeIdentifier(`tenant_${tenantId.replaceAll('-', '_')}`);
