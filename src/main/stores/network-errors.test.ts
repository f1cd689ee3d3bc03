import { describe, expect, it } from 'vitest';
import { classifyNetworkError } from './network-errors';

const withCode = (message: string, code: string): Error => Object.assign(new Error(message), { code });

describe('classifyNetworkError', () => {
  it.each([
    ['ECONNREFUSED', 'unreachable'],
    ['ENOTFOUND', 'unreachable'],
    ['EHOSTUNREACH', 'unreachable'],
    ['ETIMEDOUT', 'timeout'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ['CERT_HAS_EXPIRED', 'tls'],
  ])('maps %s to %s', (code, expected) => {
    expect(classifyNetworkError(withCode('x', code), 'Server')?.code).toBe(expected);
  });

  it('finds the socket error in a cause chain and inside an AggregateError', () => {
    const wrapped = new Error('driver failed', { cause: new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')]) });
    expect(classifyNetworkError(wrapped, 'PostgreSQL')?.code).toBe('unreachable');
  });

  it('leaves errors it does not know to the engine', () => {
    expect(classifyNetworkError(new Error('syntax error'), 'PostgreSQL')).toBeUndefined();
  });
});
