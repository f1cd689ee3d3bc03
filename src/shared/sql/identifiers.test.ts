import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { qualified, quoteIdent } from './identifiers';

describe('quoteIdent', () => {
  it('wraps names in double quotes and doubles inner quotes', () => {
    expect(quoteIdent('cases')).toBe('"cases"');
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteIdent('x"; DROP TABLE t; --')).toBe('"x""; DROP TABLE t; --"');
    expect(qualified('tenant_1', 'ca"ses')).toBe('"tenant_1"."ca""ses"');
  });

  it('refuses empty names, NUL and names the server would truncate', () => {
    for (const bad of ['', 'a\0b', 'x'.repeat(64), 'é'.repeat(32)]) {
      expect(() => quoteIdent(bad)).toThrow(AppError);
    }
    expect(quoteIdent('x'.repeat(63))).toHaveLength(65);
  });
});
