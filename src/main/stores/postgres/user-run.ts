import type pg from 'pg';
import Cursor from 'pg-cursor';
import { AppError } from '@shared/errors';
import { parseTenantScope, type TenantScope } from '@shared/model/tenant-scope';
import type { UserQueryOptions, UserQueryPart } from '../user-query';
import type { PostgresUserQueryOptions } from './face';
import type { Lease } from './lease';
import { applyTenantScope } from './statements';
import { checkResolvedNames, type CheckedStatement, type StatementPolicy } from './user-statement';
import type { TypeNames } from './user-types';

/** Rows of the first batch: a small one puts rows on screen at once, the rest come in full batches. */
const FIRST_BATCH_ROWS = 200;
/** Rows per batch when the caller names none: 5,000 read fastest in test/bench/workbench-postgres (200k rows; 500 and 2,000 were 15–30 % slower, 10,000 no faster). */
export const DEFAULT_USER_BATCH_ROWS = 5000;
export const MAX_USER_BATCH_ROWS = 50_000;

/** No type parsing: every value stays the server's text form, exactly what COPY writes. */
const TEXT_VALUES = { getTypeParser: () => (value: string) => value };

/** What a run needs of its store besides the lease. */
export interface UserRunContext {
  types: TypeNames;
  /** A query on a connection other than the lease's (its own is busy with the cursor). */
  sideQuery: (sql: string, values: unknown[]) => Promise<{ oid: number; name: string }[]>;
  /** Awaits driver work, marking the store down on a lost connection. */
  guard: <T>(work: Promise<T>) => Promise<T>;
}

interface Read {
  rows: unknown[][];
  fields: pg.FieldDef[];
}

function read(cursor: Cursor<unknown[]>, size: number): Promise<Read> {
  return new Promise((resolve, reject) => {
    cursor.read(size, (error, rows, result) => {
      if (error) reject(error);
      else resolve({ rows, fields: result.fields });
    });
  });
}

/**
 * Prepares the run's transaction in one round trip: the server's own statement_timeout (so a run
 * the client cannot reach still ends), and where the statement's unqualified relation names
 * resolve under the scope's search_path, judged before the statement is sent.
 */
async function prepareRun(lease: Lease, checked: CheckedStatement, policy: StatementPolicy): Promise<void> {
  const timeoutMs = lease.deadline.timeoutMs;
  const timeout = timeoutMs !== undefined && timeoutMs > 0 ? String(Math.ceil(timeoutMs)) : null;
  if (checked.unqualified.length === 0 && timeout === null) return;
  const names = [...new Set(checked.unqualified.map((n) => n.name))];
  // Local to the run's transaction; a statement run outside one sets it for its session, which is then discarded.
  const local = !checked.outsideTransaction;
  const result = await lease.client.query<{ name: string | null; schema: string | null }>(
    `select n.name, s.nspname as schema
       from (select $2::text is null or set_config('statement_timeout', $2, ${local}) is not null) as t(applied)
       left join unnest($1::text[]) as n(name) on true
       left join pg_class c on c.oid = to_regclass(quote_ident(n.name))
       left join pg_namespace s on s.oid = c.relnamespace`,
    [names, timeout],
  );
  const resolved = new Map(result.rows.flatMap((r) => (r.name === null ? [] : [[r.name, r.schema] as const])));
  checkResolvedNames(checked.unqualified, resolved, policy);
}

/**
 * Runs a checked statement on a scoped lease and yields its parts: columns, then rows in batches
 * read through a portal (pg-cursor) only when the consumer pulls, then `truncated` or, for a
 * statement without rows, a `notice` with the command tag. The portal is closed whichever way the
 * generator ends; the lease (transaction, connection) is the caller's to finish.
 */
export async function* runOnLease(
  lease: Lease,
  sql: string,
  checked: CheckedStatement,
  policy: StatementPolicy,
  options: UserQueryOptions,
  context: UserRunContext,
): AsyncGenerator<UserQueryPart, void, undefined> {
  const { client, deadline } = lease;
  await context.guard(prepareRun(lease, checked, policy));
  await context.guard(context.types.load(client));
  const batchSize = Math.max(1, Math.min(options.batchSize ?? DEFAULT_USER_BATCH_ROWS, MAX_USER_BATCH_ROWS));
  let tag = '';
  const onTag = (message: { text?: string }): void => {
    tag = message.text ?? tag;
  };
  client.connection.on('commandComplete', onTag);
  const cursor = client.query(new Cursor<unknown[]>(sql, [], { rowMode: 'array', types: TEXT_VALUES }));
  // A failed read ends the portal with its transaction; any other way out leaves it open to close.
  let portalOpen = true;
  const next = async (size: number): Promise<Read> => {
    try {
      return await context.guard(read(cursor, size));
    } catch (error) {
      portalOpen = false;
      throw error;
    }
  };
  try {
    let delivered = 0;
    let columnsSent = false;
    for (let size = Math.min(batchSize, FIRST_BATCH_ROWS); ; size = batchSize) {
      deadline.throwIfStopped('The query');
      const remaining = options.rowLimit - delivered;
      // One row past the limit says whether the result was cut.
      const batch = await next(Math.min(size, remaining + 1));
      if (!columnsSent && batch.fields.length > 0) {
        await context.guard(context.types.lookUp(context.types.missing(batch.fields.map((f) => f.dataTypeID)), context.sideQuery));
        yield { kind: 'columns', columns: batch.fields.map((f) => ({ name: f.name, type: context.types.name(f.dataTypeID) })) };
        columnsSent = true;
      }
      if (batch.rows.length > remaining) {
        if (remaining > 0) yield { kind: 'rows', rows: batch.rows.slice(0, remaining) };
        yield { kind: 'truncated' };
        return;
      }
      if (batch.rows.length > 0) yield { kind: 'rows', rows: batch.rows };
      delivered += batch.rows.length;
      if (batch.rows.length < Math.min(size, remaining + 1)) break;
    }
    if (!columnsSent) yield { kind: 'notice', text: tag || 'OK' };
  } finally {
    client.connection.off('commandComplete', onTag);
    // A stopped run's connection may already be cut (the canceller's last resort): closing would
    // wait for an answer that never comes, so the session is discarded instead.
    if (deadline.reason) lease.spoil();
    else if (portalOpen) await cursor.close().catch(() => lease.spoil());
  }
}

/**
 * Runs a checked statement that PostgreSQL refuses inside a transaction block (`CREATE INDEX
 * CONCURRENTLY`) on a lease without one: the tenant's scope and the timeout are set for the session,
 * the names are judged as for any run, and the session is discarded afterwards so none of it
 * returns to the pool. It yields the command tag.
 */
export async function* runOutsideTransaction(
  lease: Lease,
  sql: string,
  checked: CheckedStatement,
  policy: StatementPolicy,
  scope: TenantScope,
  context: Pick<UserRunContext, 'guard'>,
): AsyncGenerator<UserQueryPart, void, undefined> {
  lease.spoil();
  await context.guard(applyTenantScope(lease.client, scope, { session: true }));
  await context.guard(prepareRun(lease, checked, policy));
  // The server's whole command tag (`CREATE INDEX`); the driver's `command` keeps only its first word.
  let tag = '';
  const onTag = (message: { text?: string }): void => {
    tag = message.text ?? tag;
  };
  lease.client.connection.on('commandComplete', onTag);
  try {
    await context.guard(lease.client.query(sql));
  } finally {
    lease.client.connection.off('commandComplete', onTag);
  }
  yield { kind: 'notice', text: tag || 'OK' };
}

/** A statement that writes, refused before anything is sent when the run may not write. */
export function refuseWrite(checked: CheckedStatement, storeReadOnly: boolean, write: boolean): void {
  if (!checked.writes || write) return;
  if (storeReadOnly) throw new AppError('read_only', 'This statement writes, and this workspace is read-only (prod). Unlock writes first.', { kind: checked.kind });
  throw new AppError('read_only', 'This statement writes; run it as a write to change data.', { kind: checked.kind });
}

/** The longest statement text the workbench sends (a pasted migration is far smaller). */
const MAX_SQL_LENGTH = 1_000_000;
const MAX_ROW_LIMIT = 10_000_000;

export interface ValidUserRun {
  scope: TenantScope;
  policy: StatementPolicy;
  /** Whether the run may write: asked for, and the store is not read-only. */
  write: boolean;
}

/** Validates what crosses into the store for a run; a bad argument is `invalid_argument` before anything else. */
export function validUserRun(sql: unknown, scope: unknown, options: PostgresUserQueryOptions, storeReadOnly: boolean): ValidUserRun {
  if (typeof sql !== 'string') throw new AppError('invalid_argument', 'The statement must be text.');
  if (sql.length > MAX_SQL_LENGTH) throw new AppError('invalid_argument', `The statement is ${sql.length} characters; the workbench sends at most ${MAX_SQL_LENGTH}.`);
  if (sql.includes('\0')) throw new AppError('invalid_argument', 'The statement holds a NUL character, which PostgreSQL does not accept.');
  const { rowLimit, batchSize, sharedTables = [] } = options;
  if (!Number.isInteger(rowLimit) || rowLimit < 1 || rowLimit > MAX_ROW_LIMIT) throw new AppError('invalid_argument', `The row limit must be a whole number from 1 to ${MAX_ROW_LIMIT}.`);
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_USER_BATCH_ROWS)) {
    throw new AppError('invalid_argument', `The batch size must be a whole number from 1 to ${MAX_USER_BATCH_ROWS}.`);
  }
  if (!Array.isArray(sharedTables) || !sharedTables.every((t) => typeof t === 'string')) throw new AppError('invalid_argument', 'The shared tables must be a list of table names.');
  const valid = parseTenantScope(scope);
  const schema = valid.postgres?.schema;
  if (!schema) throw new AppError('invalid_argument', `The tenant scope of ${valid.tenantId} says nothing about PostgreSQL.`);
  return { scope: valid, policy: { schema, sharedTables }, write: options.write === true && !storeReadOnly };
}

/** The run's AppError: a server-side statement_timeout is a `timeout`, like the client's own deadline. */
export function userRunError(raw: unknown, mapped: AppError): AppError {
  const sqlState = typeof raw === 'object' && raw !== null && 'code' in raw ? (raw as { code: unknown }).code : undefined;
  if (mapped.code === 'cancelled' && sqlState === '57014' && raw instanceof Error && /statement timeout/.test(raw.message)) {
    return new AppError('timeout', `The query ran past its timeout and the server stopped it (${raw.message}).`, mapped.details);
  }
  return mapped;
}
