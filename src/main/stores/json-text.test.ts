import { describe, expect, it } from 'vitest';
import { parseJsonText, positionIn } from './json-text';

function refusal(text: string): unknown {
  try {
    parseJsonText(text, 'The filter');
  } catch (error) {
    return error;
  }
  throw new Error('parsed');
}

describe('JSON typed into the workbench', () => {
  it('parses JSON as JSON.parse does', () => {
    expect(parseJsonText('{ "a": [1, "x", null, true] }', 'The filter')).toEqual({ a: [1, 'x', null, true] });
  });

  it.each([
    ['{"a": 1', 7, 1, 8],
    ['[1,]', 3, 1, 4],
    ['{"a":1}x', 7, 1, 8],
    ['', 0, 1, 1],
    ['{\n  "a": tru\n}', 12, 2, 11],
    ['{\n  "a": 1,\n  b: 2\n}', 14, 3, 3],
    ['{"a": "\\q"}', 7, 1, 8],
  ])('refuses %j with the line and column where it broke', (text, position, line, column) => {
    expect(refusal(text)).toMatchObject({ code: 'invalid_argument', details: { position, line, column } });
    expect((refusal(text) as Error).message).toContain(`line ${line}, column ${column}`);
  });

  it('counts lines and columns from one', () => {
    expect(positionIn('ab\ncd', 4)).toEqual({ position: 4, line: 2, column: 2 });
  });
});
