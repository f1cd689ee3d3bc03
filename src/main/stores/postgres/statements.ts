import pg from 'pg';
import { AppError } from '@shared/errors';
import type { TenantScope } from '@shared/model/tenant-scope';
import type { QueryColumn, QueryResult } from './types';

/** pg sends a query with the extended protocol (one statement only) when asked, even without parameters. */
export type ExtendedQuery = pg.QueryArrayConfig & { queryMode?: 'extended' };

/** Statements after which a pooled session is not the one we handed out any more. */
const SESSION_CHANGING = new Set(['SET', 'RESET', 'DISCARD', 'BEGIN', 'COMMIT', 'ROLLBACK', 'START', 'PREPARE', 'LISTEN', 'LOCK', 'DECLARE', 'SAVEPOINT', 'RELEASE']);

export function columnsOf(fields: readonly pg.FieldDef[]): QueryColumn[] {
  return fields.map((field) => ({ name: field.name, dataTypeId: field.dataTypeID }));
}

/** Quotes an identifier with pg's own escaping; NUL and names PostgreSQL would truncate are refused. */
export function quoteIdentifier(name: string): string {
  if (typeof name !== 'string' || name.length === 0) throw new AppError('invalid_argument', 'An identifier cannot be empty.');
  if (name.includes('\0')) throw new AppError('invalid_argument', 'An identifier cannot hold a NUL character.');
  if (Buffer.byteLength(name) > 63) throw new AppError('invalid_argument', `An identifier is at most 63 bytes: ${name.slice(0, 40)}…`);
  return pg.escapeIdentifier(name);
}

/**
 * Scopes the open transaction to one tenant in one round trip: the tenant setting as a parameter
 * and the search_path to the quoted schema (then public, for shared tables and extensions), both
 * local to the transaction (`set_config(…, true)` is `SET LOCAL`) so nothing leaks into the pooled
 * session. A missing schema is `not_found`.
 */
export async function applyTenantScope(client: pg.ClientBase, scope: TenantScope, how: { session?: boolean } = {}): Promise<void> {
  const postgres = scope.postgres;
  if (!postgres) throw new AppError('invalid_argument', `The tenant scope of ${scope.tenantId} says nothing about PostgreSQL.`);
  const searchPath = `${quoteIdentifier(postgres.schema)}, public`;
  // For the session only where the statement cannot run in a transaction; that session is never pooled again.
  const local = how.session !== true;
  const found = await client.query<{ present: boolean }>(
    `select set_config($1, $2, ${local}) as tenant, set_config('search_path', $4, ${local}) as search_path,
            exists (select 1 from pg_namespace where nspname = $3) as present`,
    [postgres.setting, scope.tenantId, postgres.schema, searchPath],
  );
  if (!found.rows[0]?.present) {
    throw new AppError('not_found', `Tenant ${scope.tenantId} has no schema ${postgres.schema} in this database.`);
  }
}

/**
 * Runs user SQL. Without `allowScript` it goes through the extended protocol, which takes one
 * statement only, so `COMMIT; DROP …` cannot step out of a READ ONLY or scoped transaction.
 * Reports whether a statement changed the session (SET, RESET…), so the caller can discard it.
 */
export async function runUserSql(client: pg.ClientBase, sql: string, params: readonly unknown[], allowScript: boolean): Promise<{ result: QueryResult; changedSession: boolean }> {
  const config: ExtendedQuery = { text: sql, values: [...params], rowMode: 'array', ...(allowScript ? {} : { queryMode: 'extended' as const }) };
  const raw = (await client.query(config)) as pg.QueryArrayResult | pg.QueryArrayResult[];
  const results = Array.isArray(raw) ? raw : [raw];
  const changedSession = results.some((r) => SESSION_CHANGING.has(r.command));
  const last = [...results].reverse().find((r) => r.fields.length > 0) ?? results[results.length - 1];
  const result: QueryResult = last
    ? { columns: columnsOf(last.fields), rows: last.rows as unknown[][], rowCount: last.rowCount, command: last.command }
    : { columns: [], rows: [], rowCount: null, command: '' };
  return { result, changedSession };
}
