import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { AppError } from '@shared/errors';
import type { BundlePart } from '@shared/model/backup';
import { qualified, quoteIdent } from '@shared/sql/identifiers';
import { scopeFor, type TenancyPreset } from '@shared/tenancy';
import type { BackupPart, PartContext, RestoreTarget, RestoredPart } from '../../../services/backup-part';
import type { PostgresFace } from '../../../stores/postgres/face';
import type { LocatedTool, PostgresTools, ServerVersion, ToolSearch } from '../../../stores/postgres/tools';
import { listFiles } from '../bundle-files';
import { SchemaRenamer } from './schema-rename';

export type BackupPostgres = Pick<PostgresFace, 'query' | 'execute' | 'tools' | 'readOnly'>;

export interface PostgresPartOptions {
  postgres: BackupPostgres;
  preset: TenancyPreset;
  /** TENANTSCOPE_PG_BIN, when set: the one folder the client programs are taken from. */
  search?: ToolSearch;
  format?: 'custom' | 'directory';
  /** pg_dump workers for the directory format. */
  jobs?: number;
  /** Names the programs' connections in pg_stat_activity (`tenantscope-<jobId>`). */
  applicationName?: string;
}

/** Verify's scratch schemas: outside every tenant prefix, so no roster ever lists one as a tenant. */
export const SCRATCH_PREFIX = 'tsverify_';

const DUMP_LINE = /dumping contents of table "([^"]+)"/;

/** `"tenant_a"` as a pg_dump `-n` pattern: inside double quotes a pattern's * ? and . are plain characters. */
export function exactSchemaPattern(schema: string): string {
  return `"${schema.replaceAll('"', '""')}"`;
}

async function serverVersion(postgres: BackupPostgres, signal: AbortSignal): Promise<ServerVersion> {
  const result = await postgres.query("SELECT current_setting('server_version'), current_setting('server_version_num')::int", [], undefined, { signal });
  const row = result.rows[0] ?? [];
  return { text: String(row[0]), major: Math.floor(Number(row[1]) / 10_000) };
}

async function schemaExists(postgres: BackupPostgres, schema: string, signal: AbortSignal): Promise<boolean> {
  const result = await postgres.query('SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1', [schema], undefined, { signal });
  return result.rows.length > 0;
}

/** Exact row counts of the given tables of a schema, read now by the store (after a restore). */
async function countTables(postgres: BackupPostgres, schema: string, tables: string[], signal: AbortSignal): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  if (tables.length === 0) return counts;
  // One statement for every table: a UNION ALL of count(*) FROM ONLY, so partitions count alone.
  const sql = tables.map((t, i) => `SELECT ${i} AS i, count(*)::bigint AS n FROM ONLY ${qualified(schema, t)}`).join(' UNION ALL ');
  const result = await postgres.query(sql, [], undefined, { signal });
  for (const row of result.rows) counts[tables[Number(row[0])] as string] = Number(row[1]);
  return counts;
}

/**
 * Views and foreign keys in other schemas that depend on the live schema's tables: the swap's
 * `DROP SCHEMA … CASCADE` would drop them silently, so a replace is refused while they exist.
 */
const OUTSIDE_DEPENDENTS_SQL = `
  SELECT DISTINCT vn.nspname || '.' || v.relname || ' (view)' AS what
    FROM pg_catalog.pg_depend d
    JOIN pg_catalog.pg_rewrite r ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND r.oid = d.objid
    JOIN pg_catalog.pg_class v ON v.oid = r.ev_class
    JOIN pg_catalog.pg_namespace vn ON vn.oid = v.relnamespace
    JOIN pg_catalog.pg_class t ON d.refclassid = 'pg_catalog.pg_class'::regclass AND t.oid = d.refobjid
    JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
   WHERE tn.nspname = $1 AND vn.nspname <> $1
  UNION
  SELECT DISTINCT cn.nspname || '.' || c.relname || ' (foreign key ' || k.conname || ')'
    FROM pg_catalog.pg_constraint k
    JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
    JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace
    JOIN pg_catalog.pg_class t ON t.oid = k.confrelid
    JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
   WHERE k.contype = 'f' AND tn.nspname = $1 AND cn.nspname <> $1
   LIMIT 20`;

async function refuseOutsideDependents(postgres: BackupPostgres, schema: string, signal: AbortSignal): Promise<void> {
  const found = (await postgres.query(OUTSIDE_DEPENDENTS_SQL, [schema], undefined, { signal })).rows.map((row) => String(row[0]));
  if (found.length > 0) {
    throw new AppError('conflict', `Objects outside ${schema} depend on its tables and would be dropped with it: ${found.join(', ')}. Restore under a new name instead, or remove them first.`);
  }
}

function toolOf(part: BundlePart): number | undefined {
  const match = /\b(\d+)(?:\.\d+)/.exec(part.tool?.version ?? '');
  return match ? Number(match[1]) : undefined;
}

/**
 * A tenant's PostgreSQL schema as a bundle part: `pg_dump -n <schema>` in custom format (one file)
 * or directory format with `-j` workers, inside a snapshot exported by the console, so the exact
 * row counts it records are the rows the dump holds. Restores rename the schema on the way in (see
 * SchemaRenamer) and run in one transaction, so a failure anywhere leaves the database as it was.
 */
export function postgresBackupPart(options: PostgresPartOptions): BackupPart {
  const { postgres, preset } = options;
  const format = options.format ?? 'custom';
  const appName = options.applicationName ?? 'tenantscope-backup';
  const tools = (): PostgresTools => postgres.tools(options.search);
  const schemaOf = (tenantId: string): string => {
    const schema = scopeFor(preset, tenantId).postgres?.schema;
    if (!schema) throw new AppError('invalid_argument', `The ${preset.name} preset keeps no tenant data in PostgreSQL schemas.`);
    return schema;
  };
  const restored = new Set<string>();

  // Asked once per part: a job's preflight and its work find the same programs and server.
  const found = new Map<string, Promise<{ tool: LocatedTool; server: ServerVersion }>>();
  function located(name: 'pg_dump' | 'pg_restore' | 'psql', signal: AbortSignal): Promise<{ tool: LocatedTool; server: ServerVersion }> {
    let lookup = found.get(name);
    if (!lookup) {
      lookup = serverVersion(postgres, signal).then(async (server) => ({ tool: await tools().locate(name, server), server }));
      found.set(name, lookup);
      lookup.catch(() => found.delete(name));
    }
    return lookup;
  }

  return {
    store: 'postgres',

    async preflight(tenantId, signal) {
      const schema = schemaOf(tenantId);
      const { tool, server } = await located('pg_dump', signal);
      if (!(await schemaExists(postgres, schema, signal))) throw new AppError('not_found', `Tenant ${tenantId} has no schema ${schema} in this database.`);
      return { server: server.text, tool: { name: 'pg_dump', version: tool.version } };
    },

    async backup(tenantId, context) {
      const schema = schemaOf(tenantId);
      const { tool, server } = await located('pg_dump', context.signal);
      const file = format === 'custom' ? 'tenant.dump' : 'tenant';
      const target = `${context.folder}/${file}`;
      const pg = tools();
      const counts = await pg.withSnapshot(
        async (snapshot) => {
          const tables = (
            await snapshot.query(
              `SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY c.relname`,
              [schema],
            )
          ).map((row) => String(row[0]));
          let done = 0;
          context.progress(0, tables.length, `dumping ${schema}: reading the catalogs`);
          const args = [
            '--verbose',
            `--format=${format === 'custom' ? 'custom' : 'directory'}`,
            `--file=${target}`,
            `--schema=${exactSchemaPattern(schema)}`,
            '--strict-names',
            `--snapshot=${snapshot.id}`,
            ...(format === 'directory' ? [`--jobs=${options.jobs ?? 2}`] : []),
          ];
          context.log(`pg_dump ${args.filter((a) => !a.startsWith('--snapshot')).join(' ')} (${tool.version}, server ${server.text})`);
          const run = pg.run(tool, args, {
            signal: context.signal,
            applicationName: appName,
            onLine: (line) => {
              const match = DUMP_LINE.exec(line);
              if (!match) return;
              done += 1;
              context.progress(Math.min(done, tables.length), tables.length, `dumping ${match[1]}`);
              context.log(`table ${Math.min(done, tables.length)} of ${tables.length}: ${match[1]}`);
            },
          });
          // Counted while pg_dump runs, in the same snapshot: the counts are the dump's rows.
          const counted: Record<string, number> = {};
          try {
            for (const table of tables) {
              const row = (await snapshot.query(`SELECT count(*)::bigint FROM ONLY ${qualified(schema, table)}`))[0];
              counted[table] = Number(row?.[0] ?? 0);
            }
          } catch (error) {
            run.child.kill('SIGTERM');
            await run.done.catch(() => undefined);
            throw error;
          }
          await run.done;
          context.progress(tables.length, tables.length, `dumped ${schema}`);
          return counted;
        },
        context.signal,
        appName,
      );
      const files = await listFiles(context.folder, context.relativeFolder, context.signal);
      return {
        store: 'postgres',
        format: `pg_dump ${format}`,
        server: { version: server.text },
        tool: { name: 'pg_dump', version: tool.version },
        counts,
        files,
        details: { schema, database: pg.database, file, tables: Object.keys(counts).length },
      };
    },

    async restore(part, tenantId, target, context) {
      const { signal } = context;
      const pg = tools();
      if (pg.readOnly || postgres.readOnly) throw new AppError('read_only', 'This workspace is prod and its PostgreSQL is read-only: unlock writes with a reason before restoring.');
      const live = typeof part.details.schema === 'string' ? part.details.schema : schemaOf(tenantId);
      const file = typeof part.details.file === 'string' ? part.details.file : 'tenant.dump';
      const tables = Object.keys(part.counts);
      const [{ tool: restoreTool, server }, { tool: psql }] = await Promise.all([located('pg_restore', context.signal), located('psql', context.signal)]);
      const archiveMajor = toolOf(part);
      if (archiveMajor !== undefined && restoreTool.major < archiveMajor) {
        throw new AppError('version_mismatch', `${restoreTool.path} is ${restoreTool.version}, older than the pg_dump ${part.tool?.version ?? ''} that wrote this bundle: set TENANTSCOPE_PG_BIN to PostgreSQL ${archiveMajor} (or newer) client programs.`);
      }
      const suffix = randomBytes(4).toString('hex');
      let into: string;
      let swap = '';
      if (target.mode === 'replace') {
        // The bundle goes in under a staging name; the swap is the last statement of the same transaction.
        into = `${live.slice(0, 48)}_r${suffix}`;
        const old = `${live.slice(0, 48)}_o${suffix}`;
        const present = await schemaExists(postgres, live, context.signal);
        if (present) await refuseOutsideDependents(postgres, live, context.signal);
        swap = [
          ...(present ? [`ALTER SCHEMA ${quoteIdent(live)} RENAME TO ${quoteIdent(old)};`] : []),
          `ALTER SCHEMA ${quoteIdent(into)} RENAME TO ${quoteIdent(live)};`,
          ...(present ? [`DROP SCHEMA ${quoteIdent(old)} CASCADE;`] : []),
        ].join('\n');
      } else {
        if (!target.name) throw new AppError('invalid_argument', 'A restore under a new name needs the new schema name.');
        into = target.name;
        if (into === live || (await schemaExists(postgres, into, context.signal))) {
          throw new AppError('conflict', `Schema ${into} already exists: restore under a name that is not taken, or replace the tenant's data instead.`);
        }
      }
      context.progress(0, tables.length, `restoring into ${target.mode === 'replace' ? live : into}`);
      context.log(`pg_restore ${file} | rename ${live} → ${into} | psql, in one transaction (${restoreTool.version}, server ${server.text})`);
      const renamer = new SchemaRenamer(live, into);
      const restoreRun = pg.run(restoreTool, ['--no-owner', '--file=-', `${context.folder}/${file}`], { signal: context.signal, pipeOut: true, applicationName: appName });
      const psqlRun = pg.run(psql, ['--no-psqlrc', '--quiet', '--set=ON_ERROR_STOP=1', '--file=-'], {
        signal: context.signal,
        pipeIn: true,
        applicationName: `tenantscope-restore-${suffix}`,
      });
      const stdin = psqlRun.stdin;
      const stdout = restoreRun.stdout;
      if (!stdin || !stdout) throw new AppError('internal', 'The restore programs started without their pipes.');
      // A psql that stops reading (it failed) must not leave pg_restore writing into a closed pipe.
      stdin.on('error', () => undefined);
      // A psql that ended early (a refused statement, a lost server) reads no more: stop pg_restore and the feed.
      let psqlEnded = false;
      const lines = createInterface({ input: stdout, crlfDelay: Infinity });
      void psqlRun.done
        .finally(() => {
          psqlEnded = true;
          // Closing the reader ends the loop below; a destroyed stream alone would leave it waiting.
          lines.close();
          stdout.destroy();
          restoreRun.child.kill('SIGTERM');
        })
        .catch(() => undefined);
      // The transaction is opened and committed by the script itself, COMMIT only once pg_restore has
      // ended well: psql's --single-transaction would commit whatever it read before an early end of
      // its input (a killed pg_restore, a cancel, a console that died), and half a restore must never stay.
      const feed = (async () => {
        const send = async (text: string): Promise<void> => {
          if (psqlEnded || stdin.destroyed) throw new AppError('internal', 'psql stopped reading the restore script.');
          if (!stdin.write(text)) {
            await new Promise<void>((resolve) => {
              // Checked and listened to in the same turn: a pipe already closed resolves at once.
              if (stdin.destroyed) return resolve();
              stdin.once('drain', resolve);
              stdin.once('close', resolve);
            });
          }
        };
        await send('BEGIN;\n');
        let copies = 0;
        for await (const line of lines) {
          if (psqlEnded) break;
          await send(`${renamer.line(line)}\n`);
          if (renamer.copies !== copies) {
            copies = renamer.copies;
            context.progress(Math.min(copies, tables.length), tables.length, `restoring rows into ${into}`);
          }
        }
        try {
          await restoreRun.done;
        } catch (error) {
          stdin.end();
          throw error;
        }
        if (signal.aborted) {
          stdin.end();
          return;
        }
        await send(`${swap ? `${swap}\n` : ''}COMMIT;\n`);
        stdin.end();
      })();
      const outcome = await Promise.allSettled([restoreRun.done, psqlRun.done, feed]);
      const failed = outcome.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      if (failed) {
        // psql's own words win: they say why the server stopped (a killed server, a refused statement).
        const psqlFailure = outcome[1].status === 'rejected' ? (outcome[1].reason as unknown) : undefined;
        throw psqlFailure ?? failed.reason;
      }
      const where = target.mode === 'replace' ? live : into;
      restored.add(where);
      const counts = await countTables(postgres, where, tables, context.signal);
      context.progress(tables.length, tables.length, `restored ${where}`);
      return { target: where, counts } satisfies RestoredPart;
    },

    async dropRestored(target, signal) {
      if (!target.startsWith(SCRATCH_PREFIX) && !restored.has(target)) {
        throw new AppError('forbidden', `Only a scratch schema this restore created may be dropped; ${target} is not one.`);
      }
      await postgres.execute(`DROP SCHEMA IF EXISTS ${quoteIdent(target)} CASCADE`, [], { signal });
      restored.delete(target);
    },
  };
}

/** A fresh scratch schema name for verify. */
export function scratchSchemaName(): string {
  return `${SCRATCH_PREFIX}${randomBytes(6).toString('hex')}`;
}

export type { PartContext, RestoreTarget };
