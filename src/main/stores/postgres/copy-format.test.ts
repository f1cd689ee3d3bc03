import { describe, expect, it } from 'vitest';
import { copyField, copyLine } from './copy-format';

describe('COPY text format', () => {
  it('writes null as \\N and escapes backslash, tab and line breaks', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(undefined)).toBe('\\N');
    expect(copyField('\\N')).toBe('\\\\N');
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
  });

  it('writes booleans, dates, bytes, objects and arrays the way PostgreSQL reads them', () => {
    expect(copyField(true)).toBe('t');
    expect(copyField(new Date(Date.UTC(2025, 0, 2, 3, 4, 5)))).toBe('2025-01-02T03:04:05.000Z');
    expect(copyField(Buffer.from([0xde, 0xad]))).toBe('\\\\xdead');
    expect(copyField({ a: 'x\ty' })).toBe('{"a":"x\\\\ty"}');
    expect(copyField(['a,b', 'c"d', null])).toBe('{"a,b","c\\\\"d",NULL}');
    expect(copyField(Number.NaN)).toBe('NaN');
  });

  it('joins a row with tabs and refuses a row of the wrong width', () => {
    expect(copyLine([1, 'x', null], 3, 0)).toBe('1\tx\t\\N\n');
    expect(() => copyLine([1], 2, 4)).toThrowError(expect.objectContaining({ code: 'invalid_argument', message: 'Row 5 has 1 values for 2 columns.' }) as Error);
  });
});
