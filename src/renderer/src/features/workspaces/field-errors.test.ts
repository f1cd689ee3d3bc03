import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { fieldErrorsFromError, storeFieldErrors } from './field-errors';

const invalid = (issues: { path: (string | number)[]; message: string }[]) => new AppError('invalid_argument', 'Invalid arguments', { issues });

describe('field errors from invalid_argument', () => {
  it('maps save issues to the editor’s field names, first issue per field', () => {
    const errors = fieldErrorsFromError(
      invalid([
        { path: ['workspace', 'name'], message: 'a name is required' },
        { path: ['workspace', 'endpoints', 'postgres', 'host'], message: 'host is required' },
        { path: ['workspace', 'endpoints', 'postgres', 'host'], message: 'second' },
        { path: ['workspace', 'endpoints', 'mongo', 'databases', 'customer'], message: 'bad name' },
      ]),
    );
    expect(errors).toEqual({ name: 'a name is required', 'postgres.host': 'host is required', 'mongo.databases.customer': 'bad name' });
    expect(storeFieldErrors(errors, 'postgres')).toEqual({ host: 'host is required' });
  });

  it('maps connection-test issues to the tested store', () => {
    expect(fieldErrorsFromError(invalid([{ path: ['target', 'endpoint', 'port'], message: 'too big' }]), 'redis')).toEqual({ 'redis.port': 'too big' });
  });

  it('has no field errors for other failures', () => {
    expect(fieldErrorsFromError(new AppError('conflict', 'taken'))).toEqual({});
    expect(fieldErrorsFromError(new Error('boom'))).toEqual({});
  });
});
