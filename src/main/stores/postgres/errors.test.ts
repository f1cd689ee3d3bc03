import { DatabaseError } from 'pg';
import { describe, expect, it } from 'vitest';
import { codeForSqlState, toPostgresError } from './errors';

/** A server error as pg builds it from an ErrorResponse message. */
function serverError(code: string, message: string, extra: Partial<DatabaseError> = {}): DatabaseError {
  const error = new DatabaseError(message, message.length, 'error');
  Object.assign(error, { code, severity: 'ERROR', ...extra });
  return error;
}

describe('PostgreSQL errors', () => {
  it.each([
    ['28P01', 'auth_failed'],
    ['28000', 'auth_failed'],
    ['25006', 'read_only'],
    ['57014', 'cancelled'],
    ['42P01', 'not_found'],
    ['3F000', 'not_found'],
    ['23505', 'conflict'],
    ['40P01', 'conflict'],
    ['42601', 'invalid_argument'],
    ['22P02', 'invalid_argument'],
    ['23502', 'invalid_argument'],
    ['42501', 'forbidden'],
    ['55P03', 'locked'],
    ['08006', 'unreachable'],
    ['57P01', 'unreachable'],
    ['XX000', 'internal'],
  ])('maps SQLSTATE %s to %s', (state, code) => {
    expect(codeForSqlState(state)).toBe(code);
  });

  it('keeps the SQLSTATE, hint and position for the person reading it', () => {
    const mapped = toPostgresError(serverError('42703', 'column "nmae" does not exist', { hint: 'Perhaps you meant "name".', position: '8' }));
    expect(mapped.code).toBe('not_found');
    expect(mapped.details).toEqual({ sqlState: '42703', hint: 'Perhaps you meant "name".', position: '8' });
  });

  it('says the credentials were refused on 28P01', () => {
    expect(toPostgresError(serverError('28P01', 'password authentication failed for user "x"'), 'PostgreSQL at db:5432').message).toMatch(/^PostgreSQL at db:5432 refused the credentials/);
  });

  it('recognises pg client messages without SQLSTATE', () => {
    expect(toPostgresError(new Error('The server does not support SSL connections')).code).toBe('tls');
    expect(toPostgresError(new Error('Connection terminated unexpectedly')).code).toBe('unreachable');
    expect(toPostgresError(new Error('timeout expired')).code).toBe('timeout');
    expect(toPostgresError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })).code).toBe('unreachable');
  });
});
