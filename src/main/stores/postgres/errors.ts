import { AppError, type ErrorCode } from '@shared/errors';
import { classifyNetworkError } from '../network-errors';

/** SQLSTATE classes and codes (PostgreSQL appendix A) mapped to the product's stable codes. */
const BY_SQLSTATE: Record<string, ErrorCode> = {
  '28P01': 'auth_failed', // invalid_password
  '28000': 'auth_failed', // invalid_authorization_specification (no pg_hba entry, unknown user)
  '25006': 'read_only', // read_only_sql_transaction
  '25001': 'invalid_argument', // active_sql_transaction: a statement that cannot run inside a transaction block
  '57014': 'cancelled', // query_canceled: the caller decides whether it was a timeout
  '42501': 'forbidden', // insufficient_privilege
  '3D000': 'not_found', // invalid_catalog_name (database)
  '3F000': 'not_found', // invalid_schema_name
  '42P01': 'not_found', // undefined_table
  '42703': 'not_found', // undefined_column
  '42883': 'not_found', // undefined_function
  '42704': 'not_found', // undefined_object
  '23505': 'conflict', // unique_violation
  '23503': 'conflict', // foreign_key_violation
  '23P01': 'conflict', // exclusion_violation
  '40001': 'conflict', // serialization_failure
  '40P01': 'conflict', // deadlock_detected
  '42P07': 'conflict', // duplicate_table
  '42P06': 'conflict', // duplicate_schema
  '42710': 'conflict', // duplicate_object
  '55P03': 'locked', // lock_not_available
  '57P01': 'unreachable', // admin_shutdown
  '57P02': 'unreachable', // crash_shutdown
  '57P03': 'unreachable', // cannot_connect_now
  '53300': 'unreachable', // too_many_connections
};

/** SQLSTATE classes whose every code means the same thing to a person. */
const BY_CLASS: Record<string, ErrorCode> = {
  '08': 'unreachable', // connection exception
  '22': 'invalid_argument', // data exception
  '23': 'invalid_argument', // integrity constraint violation (not-null, check)
  '42': 'invalid_argument', // syntax error or access rule violation
  '0A': 'invalid_argument', // feature not supported
};

interface PgDriverError {
  code: string;
  message: string;
  detail?: string;
  hint?: string;
  position?: string;
  schema?: string;
  table?: string;
  column?: string;
  constraint?: string;
}

function isPgDriverError(error: unknown): error is PgDriverError {
  if (!(error instanceof Error) || !('severity' in error)) return false;
  const code: unknown = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}

/** The stable code for a SQLSTATE, or `internal` when the state says nothing a person can act on. */
export function codeForSqlState(sqlState: string): ErrorCode {
  return BY_SQLSTATE[sqlState] ?? BY_CLASS[sqlState.slice(0, 2)] ?? 'internal';
}

/**
 * Turns anything `pg` throws into an AppError: server errors by SQLSTATE (kept in details with the
 * server's hint and position), socket errors by their Node code, pg's own connection messages.
 */
export function toPostgresError(error: unknown, server = 'PostgreSQL'): AppError {
  if (error instanceof AppError) return error;
  if (isPgDriverError(error)) {
    const code = codeForSqlState(error.code);
    const prefix = code === 'auth_failed' ? `${server} refused the credentials: ` : '';
    const details: Record<string, string> = { sqlState: error.code };
    for (const key of ['detail', 'hint', 'position', 'schema', 'table', 'column', 'constraint'] as const) {
      const value = error[key];
      if (typeof value === 'string' && value) details[key] = value;
    }
    return new AppError(code, `${prefix}${error.message}`, details);
  }
  const network = classifyNetworkError(error, server);
  if (network) return network;
  const message = error instanceof Error ? error.message : String(error);
  if (/does not support SSL|SSL connection|self[- ]signed|certificate/i.test(message)) {
    return new AppError('tls', `The TLS connection to ${server} failed: ${message}. Check the endpoint's TLS settings.`);
  }
  if (/timeout expired|timeout exceeded when trying to connect|Connection terminated due to connection timeout/i.test(message)) {
    return new AppError('timeout', `${server} did not answer in time (${message}).`);
  }
  if (/Connection terminated|Client has encountered a connection error|connection is closed|Client was closed/i.test(message)) {
    return new AppError('unreachable', `The connection to ${server} was lost: ${message}.`);
  }
  if (/password must be a string|SASL|SCRAM/i.test(message)) {
    return new AppError('auth_failed', `${server} asked for a password the workspace does not have: ${message}.`);
  }
  return new AppError('internal', `${server}: ${message}`);
}
