import { AppError } from '@shared/errors';
import type { IndexDefinition } from '@shared/model/indexes';
import { qualified, quoteIdent } from '@shared/sql/identifiers';
import { recordsOf } from '../../reading/stores';
import type { PostgresFace, PostgresSession } from '../../stores/postgres/face';

/** `CREATE [UNIQUE] INDEX CONCURRENTLY` of a definition in one schema: every name quoted, expressions and the predicate as the server will parse them. */
export function createIndexStatement(definition: IndexDefinition, schema: string): string {
  const keys = definition.keys
    .map((key) => `${'column' in key ? quoteIdent(key.column) : `(${key.expression})`}${key.order === 'desc' ? ' DESC' : ''}`)
    .join(', ');
  const include = definition.include.length > 0 ? ` INCLUDE (${definition.include.map(quoteIdent).join(', ')})` : '';
  const where = definition.where ? ` WHERE ${definition.where}` : '';
  return `CREATE ${definition.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY ${quoteIdent(definition.name)} ON ${qualified(schema, definition.table)} USING ${definition.method} (${keys})${include}${where}`;
}

/**
 * A statement that names every column, expression and the predicate of a definition without
 * building anything: EXPLAIN of it makes the server parse them against the tenant's table, so a
 * missing column or a predicate that does not parse is refused with the server's own words.
 */
export function definitionProbe(definition: IndexDefinition): string {
  const parts = [
    ...definition.keys.map((key) => ('column' in key ? quoteIdent(key.column) : `(${key.expression})`)),
    ...definition.include.map(quoteIdent),
  ];
  const where = definition.where ? ` WHERE ${definition.where}` : '';
  return `SELECT ${parts.join(', ')} FROM ${quoteIdent(definition.table)}${where} LIMIT 0`;
}

/** A server refusal of a definition, as the caller's mistake: `invalid_argument` with the server's message. */
export function asDefinitionError(error: unknown): unknown {
  if (!(error instanceof AppError)) return error;
  const sqlState = (error.details as { sqlState?: unknown } | undefined)?.sqlState;
  if (typeof sqlState === 'string' && (sqlState.startsWith('42') || sqlState.startsWith('22'))) {
    return new AppError('invalid_argument', `The index definition was refused: ${error.message}`, error.details);
  }
  return error;
}

/** What `pg_stat_progress_create_index` says about one backend's build. */
export interface BuildProgress {
  phase: string;
  blocksDone: number;
  blocksTotal: number;
  tuplesDone: number;
  tuplesTotal: number;
  lockersDone: number;
  lockersTotal: number;
}

const PROGRESS_SQL = `SELECT phase, blocks_done, blocks_total, tuples_done, tuples_total, lockers_done, lockers_total
  FROM pg_catalog.pg_stat_progress_create_index WHERE pid = $1`;

/** "scanning table: blocks 120 of 800", in the words of the view, with the lockers waited for when there are some. */
export function describeProgress(p: BuildProgress): string {
  const parts = [p.phase];
  if (p.blocksTotal > 0) parts.push(`blocks ${p.blocksDone} of ${p.blocksTotal}`);
  if (p.tuplesTotal > 0) parts.push(`tuples ${p.tuplesDone} of ${p.tuplesTotal}`);
  if (p.lockersTotal > 0) parts.push(`lockers ${p.lockersDone} of ${p.lockersTotal}`);
  return parts.join(' · ');
}

export interface ProgressWatch {
  stop(): Promise<void>;
}

/**
 * Polls the build's progress from a second connection (the pool), every `intervalMs`, until
 * stopped; each answer goes to `report`. A failed poll is skipped: progress is a view, not the work.
 */
export function watchProgress(
  pg: Pick<PostgresFace, 'query'>,
  pid: number,
  report: (progress: BuildProgress) => void,
  signal: AbortSignal,
  intervalMs = 200,
): ProgressWatch {
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped && !signal.aborted) {
      try {
        const row = recordsOf(await pg.query(PROGRESS_SQL, [pid], undefined, { signal, timeoutMs: 5_000 }))[0];
        if (row && !stopped) {
          report({
            phase: String(row.phase),
            blocksDone: Number(row.blocks_done ?? 0),
            blocksTotal: Number(row.blocks_total ?? 0),
            tuplesDone: Number(row.tuples_done ?? 0),
            tuplesTotal: Number(row.tuples_total ?? 0),
            lockersDone: Number(row.lockers_done ?? 0),
            lockersTotal: Number(row.lockers_total ?? 0),
          });
        }
      } catch {
        // The next poll tries again; the build's own outcome is what the job reports.
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, intervalMs).unref?.();
      });
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}

/** Runs one build statement on the session while its progress is watched from the pool. */
export async function buildWatched(
  pg: Pick<PostgresFace, 'query'>,
  session: PostgresSession,
  sql: string,
  report: (progress: BuildProgress) => void,
  signal: AbortSignal,
): Promise<void> {
  const watch = watchProgress(pg, session.pid, report, signal);
  try {
    await session.run(sql);
  } finally {
    await watch.stop();
  }
}
