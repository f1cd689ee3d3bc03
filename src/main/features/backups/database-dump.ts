import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '@shared/errors';
import type { JobKind, JobResult } from '../../jobs';
import { fileFailure, listFiles, writeJsonDurably } from './bundle-files';
import { applicationNameOf, errorText, Operator, type BackupStores, type OpenBackupStores } from './stores';

export const DatabaseDumpParams = z
  .object({
    /** `<backup folder>/<workspaceId>`, resolved when the job was started. */
    folder: z.string().min(1).max(1100),
    format: z.enum(['custom', 'directory']),
    jobs: z.number().int().min(1).max(16),
    justification: z.string().max(500).optional(),
    operator: Operator,
  })
  .strict();
export type DatabaseDumpParams = z.infer<typeof DatabaseDumpParams>;

export const DUMP_RECORD = 'dump.json';

/**
 * `backups.database-dump`: `pg_dump` of the whole database, every tenant, into
 * `<folder>/database/<time>/`, progress from its verbose output (tables done of the database's
 * tables), then `dump.json` last with the SHA-256 of every file. A failure removes the folder.
 */
export function databaseDumpKind(openStores: OpenBackupStores): JobKind<DatabaseDumpParams, BackupStores> {
  return {
    name: 'backups.database-dump',
    store: 'postgres',
    params: DatabaseDumpParams,
    describe: (p) => ({ title: `Dump the whole PostgreSQL database (${p.format})`, tenantIds: ['*'] }),
    openStores,
    async run(params, { jobId, signal, stores, progress, log }) {
      const postgres = stores.postgres;
      if (!postgres) throw new AppError('invalid_argument', `Workspace ${stores.workspaceId} has no PostgreSQL to dump.`);
      const versionRow = (await postgres.query("SELECT current_setting('server_version'), current_setting('server_version_num')::int", [], undefined, { signal })).rows[0] ?? [];
      const server = { text: String(versionRow[0]), major: Math.floor(Number(versionRow[1]) / 10_000) };
      const tools = postgres.tools();
      const tool = await tools.locate('pg_dump', server);
      const tables = Number((await postgres.query("SELECT count(*) FROM pg_catalog.pg_class WHERE relkind = 'r' AND relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)", [], undefined, { signal })).rows[0]?.[0] ?? 0);
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
      const folder = join(params.folder, 'database', stamp);
      const file = params.format === 'custom' ? 'database.dump' : 'database';
      try {
        await mkdir(folder, { recursive: true }).catch((error: unknown) => {
          throw fileFailure(error, `The dump folder ${folder} cannot be created`);
        });
        let done = 0;
        progress(0, tables, 'reading the catalogs');
        const run = tools.run(
          tool,
          ['--verbose', `--format=${params.format}`, `--file=${join(folder, file)}`, ...(params.format === 'directory' ? [`--jobs=${params.jobs}`] : [])],
          {
            signal,
            applicationName: applicationNameOf(jobId),
            onLine: (line) => {
              const match = /dumping contents of table "([^"]+)"/.exec(line);
              if (match) progress(Math.min((done += 1), tables), tables, `dumping ${match[1]}`);
            },
          },
        );
        await run.done;
        const files = await listFiles(folder, '.', signal);
        await writeJsonDurably(folder, DUMP_RECORD, {
          workspaceId: stores.workspaceId,
          database: tools.database,
          format: `pg_dump ${params.format}`,
          server: server.text,
          tool: tool.version,
          files: files.map((f) => ({ ...f, path: f.path.replace(/^\.\//, '') })),
          operator: params.operator,
          ...(params.justification ? { justification: params.justification } : {}),
          jobId,
          endedAt: new Date().toISOString(),
        });
        const result: JobResult = { folder, files: files.length, bytes: files.reduce((sum, f) => sum + f.bytes, 0), tables };
        return result;
      } catch (error) {
        await rm(folder, { recursive: true, force: true }).catch(() => undefined);
        log(`The partial dump was removed (${errorText(error)}).`);
        throw error;
      }
    },
  };
}
